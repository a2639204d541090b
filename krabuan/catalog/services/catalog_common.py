"""What every catalog write does after saving: move `metadata_modified`, rescore, reindex.

Shared by the dataset and resource services (kept apart so neither imports the other)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from krabuan.catalog.models import Dataset, Resource, Tag
from krabuan.core.audit import snapshot
from krabuan.core.errors import PermissionDenied

_ONE_MICROSECOND = dt.timedelta(microseconds=1)
AUDIT_FIELDS = [
    f.attname
    for f in Dataset._meta.concrete_fields
    if f.attname
    not in (
        "metadata_modified",
        "quality_score",
        "quality_details",
        "view_count",
        "metadata_created",
    )
]
RESOURCE_AUDIT_FIELDS = [
    f.attname
    for f in Resource._meta.concrete_fields
    if f.attname
    not in ("metadata_modified", "download_count", "link_status", "link_checked_at", "link_error")
]


def next_timestamp(previous: dt.datetime | None) -> dt.datetime:
    """Now, or just after `previous` when the clock has not moved past it (strictly increasing,
    so harvesters that ask for `metadata_modified` > their last run never miss an edit)."""
    now = timezone.now()
    if previous is not None and now <= previous:
        return previous + _ONE_MICROSECOND
    return now


def touch(dataset: Dataset) -> dt.datetime:
    """Move the dataset's metadata_modified (also past every resource's, which it includes)."""
    latest_resource = dataset.resources.aggregate(m=Max("metadata_modified"))["m"]
    previous = max(filter(None, [dataset.metadata_modified, latest_resource]), default=None)
    dataset.metadata_modified = next_timestamp(previous)
    return dataset.metadata_modified


def require_editor(actor: Any) -> None:
    from krabuan.catalog.permissions import can_edit_catalog

    if not can_edit_catalog(actor):
        raise PermissionDenied("บทบาทของท่านแก้ไขบัญชีข้อมูลไม่ได้", code="catalog_forbidden")


def plain_snapshot(obj: Dataset | Resource, fields: list[str]) -> dict[str, Any]:
    """core.audit.snapshot with UUIDs as text (the audit log is JSON)."""
    out = {}
    for key, value in snapshot(obj, fields).items():
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, FieldFile):
            value = value.name or ""
        out[key] = value
    return out


def dataset_snapshot(dataset: Dataset) -> dict[str, Any]:
    """The audited state of a dataset: its fields, tags, groups (names)."""
    data = plain_snapshot(dataset, AUDIT_FIELDS)
    data["tags"] = sorted(dataset.tags.values_list("name", flat=True))
    data["groups"] = sorted(dataset.groups.values_list("name", flat=True))
    return data


def set_tags(dataset: Dataset, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    dataset.tags.set(tags)


def after_change(dataset: Dataset) -> None:
    """Rescore and reindex one dataset (inside the caller's transaction)."""
    from krabuan.catalog.quality import quality_apply
    from krabuan.catalog.search.index import index_dataset

    quality_apply(dataset)
    index_dataset(dataset)


def publish_blockers(dataset: Dataset) -> list[str]:
    """The personal-data guard's reasons not to publish (lazy: the guard imports services)."""
    from krabuan.catalog.services import guard

    return list(guard.publish_blockers(dataset))
