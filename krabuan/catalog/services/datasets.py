"""Dataset writes (CKAN package_create/update/patch/delete and publishing).

Each use case validates the whole dataset first (nothing is saved on error), runs in one
transaction, audits, moves `metadata_modified`, rescores and reindexes. A dataset that would
become public (active and not private) must pass the personal-data guard first.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from krabuan.catalog import schema
from krabuan.catalog.dictize import upload_path
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.services.catalog_common import (
    after_change,
    dataset_snapshot,
    publish_blockers,
    require_editor,
    set_tags,
    touch,
)
from krabuan.catalog.services.resources import resource_apply, resource_tombstone
from krabuan.catalog.validation import clean_dataset, flatten_extras
from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import Conflict, field_error

_SPECIAL = {"type_fields", "tags", "groups", "owner_org", "private", "state", "resources"}


def _is_public(dataset: Dataset) -> bool:
    return dataset.state == State.ACTIVE and not dataset.private


def _apply(dataset: Dataset, cleaned: dict[str, Any]) -> None:
    for key, value in cleaned.items():
        if key not in _SPECIAL:
            setattr(dataset, key, value)
    dataset.type_fields = cleaned["type_fields"]
    dataset.owner_org = cleaned["owner_org"]
    dataset.private = cleaned["private"]
    if cleaned.get("state"):
        dataset.state = cleaned["state"]


def _check_publish(dataset: Dataset, *, was_public: bool) -> None:
    """Refuse to make a dataset public while the guard has reasons against it."""
    if was_public or not _is_public(dataset):
        return
    blockers = publish_blockers(dataset)
    if blockers:
        raise Conflict(
            "เผยแพร่ชุดข้อมูลไม่ได้: " + "; ".join(blockers),
            code="publish_blocked",
            fields={"private": [f"{schema.label('private')}: {b}" for b in blockers]},
        )


def _sync_resources(
    *, actor: Any, dataset: Dataset, resources: list[dict[str, Any]] | None
) -> None:
    """package_update semantics: listed resources are kept/updated (by id) in list order, new
    ones created, unlisted ones deleted; None leaves the resources alone."""
    if resources is None:
        return
    existing = {str(r.pk): r for r in dataset.resources.exclude(state=State.DELETED)}
    kept: set[str] = set()
    for position, cleaned in enumerate(resources):
        current = existing.get(cleaned.get("id") or "")
        if current is None:
            current = Resource(dataset=dataset, created=timezone.now())
            if cleaned.get("id"):
                _adopt_id(current, cleaned["id"])
        current.position = position
        resource_apply(resource=current, cleaned=cleaned)
        kept.add(str(current.pk))
    for key, resource in existing.items():
        if key not in kept:
            resource_tombstone(actor=actor, resource=resource)


def _adopt_id(obj: Dataset | Resource, raw: Any) -> None:
    """Keep a client-chosen UUID (harvest replays and re-imports keep ids) when it is free."""
    try:
        pk = uuid.UUID(str(raw))
    except ValueError:
        raise field_error("id", "รหัสอ้างอิง: ต้องเป็น UUID") from None
    if type(obj).objects.filter(pk=pk).exists():
        raise field_error("id", "รหัสอ้างอิง: มีรายการอื่นใช้รหัสนี้แล้ว")
    obj.pk = pk


@transaction.atomic
def dataset_create(*, actor: Any, data: dict[str, Any]) -> Dataset:
    """Create a dataset (and its listed resources) from a package dict; draft or active."""
    require_editor(actor)
    cleaned = clean_dataset(data, instance=None)
    now = timezone.now()
    dataset = Dataset(metadata_created=now, metadata_modified=now)
    if data.get("id"):
        _adopt_id(dataset, data["id"])
    if getattr(actor, "is_authenticated", False):
        dataset.creator = actor
    _apply(dataset, cleaned)
    dataset.save()
    set_tags(dataset, cleaned["tags"])
    dataset.groups.set(cleaned["groups"])
    _sync_resources(actor=actor, dataset=dataset, resources=cleaned["resources"])
    _check_publish(dataset, was_public=False)
    after_change(dataset)
    audit_record(
        actor=actor, action="catalog.dataset_create", obj=dataset, changes=dataset_snapshot(dataset)
    )
    return dataset


def _save_changes(*, actor: Any, dataset: Dataset, cleaned: dict[str, Any], action: str) -> Dataset:
    before = dataset_snapshot(dataset)
    was_public = _is_public(dataset)
    old_name = dataset.name
    _apply(dataset, cleaned)
    touch(dataset)
    dataset.save()
    if dataset.name != old_name:
        for resource in dataset.resources.filter(url_type="upload"):
            resource.url = upload_path(resource, dataset.name)
            resource.save(update_fields=["url"])
    set_tags(dataset, cleaned["tags"])
    dataset.groups.set(cleaned["groups"])
    _sync_resources(actor=actor, dataset=dataset, resources=cleaned["resources"])
    _check_publish(dataset, was_public=was_public)
    after_change(dataset)
    audit_record(
        actor=actor, action=action, obj=dataset, changes=diff(before, dataset_snapshot(dataset))
    )
    return dataset


def _locked(dataset: Dataset) -> Dataset:
    """The row, locked for this transaction and re-read (two editors never interleave)."""
    fresh = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if fresh.state == State.DELETED:
        raise Conflict("ชุดข้อมูลนี้ถูกลบแล้ว แก้ไขไม่ได้", code="dataset_deleted")
    return fresh


@transaction.atomic
def dataset_update(*, actor: Any, dataset: Dataset, data: dict[str, Any]) -> Dataset:
    """Replace a dataset's metadata with a full package dict (like package_update)."""
    require_editor(actor)
    dataset = _locked(dataset)
    cleaned = clean_dataset(data, instance=dataset)
    return _save_changes(
        actor=actor, dataset=dataset, cleaned=cleaned, action="catalog.dataset_update"
    )


def current_data(dataset: Dataset) -> dict[str, Any]:
    """The dataset's stored values as a package dict (input shape), without resources."""
    out: dict[str, Any] = {}
    for spec in schema.DATASET_FIELDS:
        if spec.name in ("tag_string", "owner_org"):
            continue
        source = dataset.__dict__ if spec.column else dataset.type_fields or {}
        for name in filter(None, (spec.name, spec.other_field)):
            if name in source:
                out[name] = source[name]
    out["owner_org"] = str(dataset.owner_org_id)
    out["tags"] = [{"name": n} for n in dataset.tags.values_list("name", flat=True)]
    out["groups"] = [{"name": n} for n in dataset.groups.values_list("name", flat=True)]
    out["private"] = dataset.private
    out["author"] = dataset.author
    out["author_email"] = dataset.author_email
    return out


@transaction.atomic
def dataset_patch(*, actor: Any, dataset: Dataset, data: dict[str, Any]) -> Dataset:
    """Change only the given fields (like package_patch); when the data type changes, fields
    of the old type are dropped."""
    require_editor(actor)
    dataset = _locked(dataset)
    merged = current_data(dataset)
    changes = flatten_extras(data)
    new_type = changes.get("data_type")
    if new_type and new_type != dataset.data_type:
        for name in schema.DATASET_TYPE_FIELD_NAMES:
            merged.pop(name, None)
    if "tag_string" in changes and "tags" not in changes:
        merged.pop("tags", None)
    merged.update(changes)
    cleaned = clean_dataset(merged, instance=dataset)
    return _save_changes(
        actor=actor, dataset=dataset, cleaned=cleaned, action="catalog.dataset_patch"
    )


@transaction.atomic
def dataset_publish(*, actor: Any, dataset: Dataset) -> Dataset:
    """Make a dataset public (private → False, draft → active) after validation and the guard."""
    require_editor(actor)
    dataset = _locked(dataset)
    merged = current_data(dataset) | {"private": False, "state": State.ACTIVE}
    cleaned = clean_dataset(merged, instance=dataset)
    return _save_changes(
        actor=actor, dataset=dataset, cleaned=cleaned, action="catalog.dataset_publish"
    )


@transaction.atomic
def dataset_delete(*, actor: Any, dataset: Dataset) -> None:
    """Mark a dataset deleted (a tombstone: harvesters must see the deletion; never removed)."""
    require_editor(actor)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.state == State.DELETED:
        return  # deleting twice is not an error (CKAN answers success too)
    before = dataset.state
    dataset.state = State.DELETED
    touch(dataset)
    dataset.save(update_fields=["state", "metadata_modified"])
    after_change(dataset)
    audit_record(
        actor=actor,
        action="catalog.dataset_delete",
        obj=dataset,
        changes={"state": [before, State.DELETED]},
    )
