"""The personal-data inventory: each unit's processing activities and the data items they
collect (category, s.26 sensitivity, data subjects, source, storage, retention, linked catalog
datasets). Editors change their own units' records (privacy team: every unit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from krabuan.catalog.models import Dataset, State
from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, PermissionDenied, field_error
from krabuan.org.models import Unit
from krabuan.privacy.models import DataItem, ProcessingActivity
from krabuan.privacy.selectors.records import can_edit_unit
from krabuan.privacy.services.members import clean_text, clean_unit

MAX_RETENTION_MONTHS = 1200  # 100 years: past this a number is a typing slip


def require_unit_editor(actor: Any, unit_id: int) -> None:
    """Refuse an actor who may not edit this unit's privacy records."""
    if not can_edit_unit(actor, unit_id):
        raise PermissionDenied("ท่านแก้ไขข้อมูลส่วนบุคคลของหน่วยงานนี้ไม่ได้")


def _activity_fields(*, unit: Unit | None, name: str, description: str) -> dict[str, Any]:
    return {
        "unit": clean_unit(unit),
        "name": clean_text(
            name, field="name", label="ชื่อกิจกรรมการประมวลผล", limit=300, required=True
        ),
        "description": clean_text(
            description, field="description", label="รายละเอียด", limit=10000, required=False
        ),
    }


def _unique_name(unit: Unit, name: str, exclude: int | None = None) -> None:
    clash = ProcessingActivity.objects.filter(unit=unit, name=name)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Conflict("หน่วยงานนี้มีกิจกรรมชื่อนี้แล้ว", fields={"name": ["หน่วยงานนี้มีกิจกรรมชื่อนี้แล้ว"]})


@transaction.atomic
def processing_activity_create(
    *, actor: Any, unit: Unit | None, name: str, description: str = "", is_processor: bool = False
) -> ProcessingActivity:
    """Add a processing activity to a unit's inventory."""
    fields = _activity_fields(unit=unit, name=name, description=description)
    require_unit_editor(actor, fields["unit"].pk)
    _unique_name(fields["unit"], fields["name"])
    activity = ProcessingActivity.objects.create(is_processor=bool(is_processor), **fields)
    audit_record(
        actor=actor, action="privacy.activity_create", obj=activity, changes=snapshot(activity)
    )
    return activity


@transaction.atomic
def processing_activity_update(
    *,
    actor: Any,
    activity: ProcessingActivity,
    unit: Unit | None,
    name: str,
    description: str = "",
    is_processor: bool = False,
    active: bool = True,
) -> ProcessingActivity:
    """Change an activity; moving it to another unit needs the right to edit both."""
    require_unit_editor(actor, activity.unit_id)
    fields = _activity_fields(unit=unit, name=name, description=description)
    require_unit_editor(actor, fields["unit"].pk)
    _unique_name(fields["unit"], fields["name"], exclude=activity.pk)
    activity = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
    before = snapshot(activity)
    for key, value in fields.items():
        setattr(activity, key, value)
    activity.is_processor, activity.active = bool(is_processor), bool(active)
    activity.save()
    audit_record(
        actor=actor,
        action="privacy.activity_update",
        obj=activity,
        changes=diff(before, snapshot(activity)),
    )
    return activity


def _datasets(values: Iterable[Any] | None) -> list[Dataset]:
    chosen = list(values or [])
    if not chosen:
        return []
    ids = [d.pk if isinstance(d, Dataset) else d for d in chosen]
    found = list(Dataset.objects.filter(pk__in=ids).exclude(state=State.DELETED))
    if len(found) != len(set(map(str, ids))):
        raise field_error("datasets", "ชุดข้อมูลที่เลือกบางรายการไม่มีในบัญชีข้อมูล")
    return found


def _item_fields(
    *,
    name: str,
    category: str,
    sensitive: bool,
    data_subjects: str,
    source: str,
    storage: str,
    retention_months: int | None,
    retention_text: str,
    collected_since: dt.date | None,
) -> dict[str, Any]:
    fields = {
        "name": clean_text(name, field="name", label="ข้อมูลส่วนบุคคล", limit=255, required=True),
        "category": clean_text(
            category, field="category", label="หมวดข้อมูล", limit=100, required=False
        ),
        "sensitive": bool(sensitive),
        "data_subjects": clean_text(
            data_subjects, field="data_subjects", label="เจ้าของข้อมูล", limit=255, required=True
        ),
        "source": clean_text(source, field="source", label="แหล่งที่มา", limit=255, required=True),
        "storage": clean_text(
            storage, field="storage", label="สถานที่/ระบบที่จัดเก็บ", limit=500, required=True
        ),
        "retention_text": clean_text(
            retention_text,
            field="retention_text",
            label="ระยะเวลาเก็บรักษา (ข้อความ)",
            limit=255,
            required=False,
        ),
        "retention_months": retention_months,
        "collected_since": collected_since,
    }
    if retention_months is not None and not 1 <= retention_months <= MAX_RETENTION_MONTHS:
        raise field_error(
            "retention_months", f"ระยะเวลาเก็บรักษาต้องอยู่ระหว่าง 1–{MAX_RETENTION_MONTHS:,} เดือน"
        )
    if retention_months is None and not fields["retention_text"]:
        raise field_error(
            "retention_months",
            "กรุณาระบุระยะเวลาเก็บรักษาเป็นจำนวนเดือน หรืออธิบายเป็นข้อความ",
            code="required",
        )
    if collected_since is not None and collected_since > timezone.localdate():
        raise field_error("collected_since", "วันที่เริ่มเก็บต้องไม่อยู่ในอนาคต")
    return fields


@transaction.atomic
def data_item_create(
    *,
    actor: Any,
    activity: ProcessingActivity,
    name: str,
    data_subjects: str,
    source: str,
    storage: str,
    category: str = "",
    sensitive: bool = False,
    retention_months: int | None = None,
    retention_text: str = "",
    collected_since: dt.date | None = None,
    datasets: Iterable[Any] | None = None,
) -> DataItem:
    """Add a personal-data item to an activity."""
    require_unit_editor(actor, activity.unit_id)
    fields = _item_fields(
        name=name,
        category=category,
        sensitive=sensitive,
        data_subjects=data_subjects,
        source=source,
        storage=storage,
        retention_months=retention_months,
        retention_text=retention_text,
        collected_since=collected_since,
    )
    linked = _datasets(datasets)
    item = DataItem.objects.create(activity=activity, **fields)
    item.datasets.set(linked)
    audit_record(
        actor=actor,
        action="privacy.item_create",
        obj=item,
        changes={**snapshot(item), "datasets": sorted(str(d.pk) for d in linked)},
    )
    return item


@transaction.atomic
def data_item_update(
    *,
    actor: Any,
    item: DataItem,
    name: str,
    data_subjects: str,
    source: str,
    storage: str,
    category: str = "",
    sensitive: bool = False,
    retention_months: int | None = None,
    retention_text: str = "",
    collected_since: dt.date | None = None,
    datasets: Iterable[Any] | None = None,
) -> DataItem:
    """Change a data item and its linked datasets."""
    require_unit_editor(actor, item.activity.unit_id)
    fields = _item_fields(
        name=name,
        category=category,
        sensitive=sensitive,
        data_subjects=data_subjects,
        source=source,
        storage=storage,
        retention_months=retention_months,
        retention_text=retention_text,
        collected_since=collected_since,
    )
    linked = _datasets(datasets)
    item = DataItem.objects.select_for_update().get(pk=item.pk)
    before = {
        **snapshot(item),
        "datasets": sorted(str(pk) for pk in item.datasets.values_list("pk", flat=True)),
    }
    for key, value in fields.items():
        setattr(item, key, value)
    item.save()
    item.datasets.set(linked)
    after = {**snapshot(item), "datasets": sorted(str(d.pk) for d in linked)}
    audit_record(actor=actor, action="privacy.item_update", obj=item, changes=diff(before, after))
    return item


@transaction.atomic
def data_item_delete(*, actor: Any, item: DataItem) -> None:
    """Remove an item entered by mistake; one with destruction records stays (evidence)."""
    require_unit_editor(actor, item.activity.unit_id)
    if item.destructions.exists():
        raise Conflict("รายการนี้มีบันทึกการทำลายข้อมูลแล้ว ลบไม่ได้ (เป็นหลักฐาน)")
    audit_record(actor=actor, action="privacy.item_delete", obj=item, changes=snapshot(item))
    item.delete()
