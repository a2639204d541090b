"""A dataset's audit trail: its own entries and those of its resources, their personal-data scans
and the stewards' decisions, newest first, with the changed fields under their Thai labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, PersonalDataScan, Resource, ScanDecision
from krabuan.core.models import AuditEntry

ACTION_LABELS = {
    "catalog.dataset_create": _("สร้างชุดข้อมูล"),
    "catalog.dataset_update": _("แก้ไขชุดข้อมูล"),
    "catalog.dataset_patch": _("แก้ไขชุดข้อมูล"),
    "catalog.dataset_publish": _("เผยแพร่ชุดข้อมูล"),
    "catalog.dataset_delete": _("ลบชุดข้อมูล"),
    "catalog.resource_create": _("เพิ่มทรัพยากร"),
    "catalog.resource_update": _("แก้ไขทรัพยากร"),
    "catalog.resource_delete": _("ลบทรัพยากร"),
    "catalog.personal_data_scan": _("ตรวจหาข้อมูลส่วนบุคคลในไฟล์"),
    "catalog.personal_data_decision": _("ผู้ดูแลข้อมูลบันทึกการตัดสินใจ"),
}
# Bookkeeping values that say nothing to a reader of the trail.
HIDDEN_KEYS = {
    "id",
    "dataset",
    "dataset_id",
    "owner_org_id",
    "creator_id",
    "decided_by_id",
    "hash",
    "file_hash",
    "position",
    "created",
    "url_type",
    "mimetype",
    "resource",
    "scan",
    "last_modified",
}
OWN_LABELS = {
    "size": _("ขนาดไฟล์ (ไบต์)"),
    "kind": _("การตัดสินใจ"),
    "note": _("เหตุผล/บันทึก"),
    "author": _("ผู้จัดทำ"),
    "author_email": _("อีเมลผู้จัดทำ"),
}
EMPTY: tuple[Any, ...] = (None, "", [], {})


@dataclass
class AuditRow:
    entry: AuditEntry
    action: str
    what: str
    changes: list[tuple[str, str]]


def _text(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        if key == "private":
            return str(_("ไม่เปิดเผย") if value else _("เปิดเผย"))
        return str(_("ใช่") if value else _("ไม่ใช่"))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{schema.label(k)}: {_text(v)}" for k, v in value.items()) or "—"
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def _label(key: str) -> str:
    return str(OWN_LABELS.get(key) or schema.label(key))


def _changes(changes: Any, *, created: bool) -> list[tuple[str, str]]:
    """(label, text) per changed field: "before → after" for edits (diffs hold [before, after]),
    the value for creations (snapshots); `type_fields` opened up into its fields, empty values
    of a creation left out."""
    if not isinstance(changes, dict):
        return []
    flat: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "type_fields" and created and isinstance(value, dict):
            flat.update(value)
        elif key == "type_fields" and isinstance(value, list) and len(value) == 2:
            before, after = (v if isinstance(v, dict) else {} for v in value)
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    flat[name] = [before.get(name), after.get(name)]
        else:
            flat[key] = value
    out = []
    for key, value in flat.items():
        if key in HIDDEN_KEYS:
            continue
        if not created and isinstance(value, list) and len(value) == 2:
            out.append((_label(key), f"{_text(value[0], key)} → {_text(value[1], key)}"))
        elif value not in EMPTY:
            out.append((_label(key), _text(value, key)))
    return out


def audit_rows(dataset: Dataset, *, limit: int) -> list[AuditRow]:
    """The newest `limit` entries about the dataset and everything under it (four queries)."""
    resource_ids = [
        str(pk) for pk in Resource.objects.filter(dataset=dataset).values_list("pk", flat=True)
    ]
    scans = PersonalDataScan.objects.filter(resource__dataset=dataset)
    scan_ids = [str(pk) for pk in scans.values_list("pk", flat=True)]
    decision_ids = [
        str(pk)
        for pk in ScanDecision.objects.filter(scan__resource__dataset=dataset).values_list(
            "pk", flat=True
        )
    ]
    names = {
        "catalog.dataset": [str(dataset.pk)],
        "catalog.resource": resource_ids,
        "catalog.personaldatascan": scan_ids,
        "catalog.scandecision": decision_ids,
    }
    query = Q()
    for object_type, ids in names.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=ids)
    entries = (
        AuditEntry.objects.filter(query).select_related("actor").order_by("-at", "-id")[:limit]
    )
    kinds = {
        "catalog.dataset": _("ชุดข้อมูล"),
        "catalog.resource": _("ทรัพยากร"),
        "catalog.personaldatascan": _("การตรวจข้อมูลส่วนบุคคล"),
        "catalog.scandecision": _("การตัดสินของผู้ดูแลข้อมูล"),
    }
    return [
        AuditRow(
            entry=e,
            action=str(ACTION_LABELS.get(e.action, e.action)),
            what=f"{kinds.get(e.object_type, e.object_type)}: {e.object_repr}",
            changes=_changes(e.changes, created=e.action.endswith("_create")),
        )
        for e in entries
    ]
