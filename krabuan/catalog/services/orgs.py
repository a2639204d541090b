"""Organization and group writes (the demo data, the staff pages and the API use them)."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from krabuan.catalog.models import Group, Organization, State
from krabuan.catalog.schema import GROUP_CATEGORIES
from krabuan.catalog.services.catalog_common import require_editor
from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import normalize_text
from krabuan.org.models import Unit

_NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")
_CATEGORIES = {name for name, _ in GROUP_CATEGORIES}
_FIELDS = ["name", "title", "description", "image_url", "state"]


def _clean(
    model: type[Organization] | type[Group],
    data: dict[str, Any],
    *,
    instance: Organization | Group | None,
) -> dict[str, Any]:
    """name (slug, unique), title (required), description, image_url, state; Thai messages."""
    errors: dict[str, list[str]] = {}
    current = {f: getattr(instance, f) for f in _FIELDS} if instance else {}
    merged = {**current, **{k: v for k, v in data.items() if k in _FIELDS}}
    name = normalize_text(str(merged.get("name") or ""))
    title = normalize_text(str(merged.get("title") or ""))
    if not _NAME_RE.match(name):
        errors["name"] = ["ชื่อ URL: ใช้ได้เฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข - และ _ (2–100 ตัวอักษร)"]
    elif _taken(model, name, instance):
        errors["name"] = [f"ชื่อ URL: “{name}” มีผู้ใช้แล้ว"]
    if not title:
        errors["title"] = ["ชื่อ: ต้องระบุ"]
    state = merged.get("state") or State.ACTIVE
    if state not in (State.ACTIVE, State.DELETED):
        errors["state"] = ["สถานะ: ต้องเป็น active หรือ deleted"]
    cleaned = {
        "name": name,
        "title": title[:255],
        "description": normalize_text(str(merged.get("description") or "")),
        "image_url": str(merged.get("image_url") or "")[:500],
        "state": state,
    }
    if model is Organization and "unit" in data:
        cleaned["unit"] = _unit(data["unit"], errors)
    if model is Group and "category" in data:
        category = str(data.get("category") or "")
        if category and category not in _CATEGORIES:
            errors["category"] = [f"ประเภทกลุ่ม: ต้องเป็นหนึ่งใน {', '.join(sorted(_CATEGORIES))}"]
        cleaned["category"] = category
    if errors:
        raise ApplicationError("ข้อมูลไม่ถูกต้อง", code="validation", fields=errors)
    return cleaned


def _taken(model: Any, name: str, instance: Organization | Group | None) -> bool:
    qs = model.objects.filter(name=name)
    if instance is not None:
        qs = qs.exclude(pk=instance.pk)
    return bool(qs.exists())


def _unit(value: Any, errors: dict[str, list[str]]) -> Unit | None:
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        return value
    unit = Unit.objects.filter(code=str(value)).first()
    if unit is None:
        errors["unit"] = [f"หน่วยงานในโครงสร้าง: ไม่พบรหัส “{value}”"]
    return unit


def _audit_fields(model: type[Organization] | type[Group]) -> list[str]:
    return _FIELDS + (["unit_id"] if model is Organization else ["category"])


def _reindex(datasets: Any) -> None:
    """Search documents carry organization and group names, and the stored package_show dicts
    (DatasetListing) their other fields too: rewrite them after a change."""
    from krabuan.catalog.search.index import index_datasets

    index_datasets(list(datasets.values_list("pk", flat=True)))


@transaction.atomic
def organization_create(*, actor: Any, data: dict[str, Any]) -> Organization:
    """A publishing organization, optionally mapped to a unit of the org tree."""
    require_editor(actor)
    org = Organization(**_clean(Organization, data, instance=None))
    org.save()
    audit_record(
        actor=actor,
        action="catalog.organization_create",
        obj=org,
        changes=snapshot(org, _audit_fields(Organization)),
    )
    return org


@transaction.atomic
def organization_update(
    *, actor: Any, organization: Organization, data: dict[str, Any]
) -> Organization:
    """Change an organization's fields (only the given keys)."""
    require_editor(actor)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, _audit_fields(Organization))
    for key, value in _clean(Organization, data, instance=org).items():
        setattr(org, key, value)
    org.save()
    if snapshot(org, _audit_fields(Organization)) != before:
        _reindex(org.datasets.all())
    audit_record(
        actor=actor,
        action="catalog.organization_update",
        obj=org,
        changes=diff(before, snapshot(org, _audit_fields(Organization))),
    )
    return org


@transaction.atomic
def group_create(*, actor: Any, data: dict[str, Any]) -> Group:
    """A group: one of the seven area categories or a topic group."""
    require_editor(actor)
    group = Group(**_clean(Group, data, instance=None))
    group.save()
    audit_record(
        actor=actor,
        action="catalog.group_create",
        obj=group,
        changes=snapshot(group, _audit_fields(Group)),
    )
    return group


@transaction.atomic
def group_update(*, actor: Any, group: Group, data: dict[str, Any]) -> Group:
    """Change a group's fields (only the given keys)."""
    require_editor(actor)
    group = Group.objects.select_for_update().get(pk=group.pk)
    before = snapshot(group, _audit_fields(Group))
    for key, value in _clean(Group, data, instance=group).items():
        setattr(group, key, value)
    group.save()
    if snapshot(group, _audit_fields(Group)) != before:
        _reindex(group.datasets.all())
    audit_record(
        actor=actor,
        action="catalog.group_update",
        obj=group,
        changes=diff(before, snapshot(group, _audit_fields(Group))),
    )
    return group
