"""Writes to the administrators' calendar overrides: add, update, delete — each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, NotFound, PermissionDenied
from krabuan.core.thai import format_date, normalize_text
from krabuan.org import calendar
from krabuan.org.models import CalendarOverride, OverrideKind
from krabuan.org.permissions import can_manage_calendar

NAME_MAX_LENGTH = CalendarOverride._meta.get_field("name").max_length or 255


def _check_actor(actor: Any) -> None:
    if not can_manage_calendar(actor):
        raise PermissionDenied("เฉพาะผู้ดูแลปฏิทินเท่านั้นที่แก้ไขวันหยุดได้")


def _clean(*, date: Any, kind: Any, name: Any, exclude_id: int | None) -> tuple[dt.date, str, str]:
    """Validate one override; every message is Thai and names its field."""
    fields: dict[str, list[str]] = {}
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        fields["date"] = ["กรุณาระบุวันที่"]
    elif not calendar.year_supported(date.year):
        fields["date"] = [f"วันที่ต้องอยู่ในช่วง {calendar.year_range_text()}"]
    if kind not in OverrideKind.values:
        fields["kind"] = ["ประเภทต้องเป็น 'เพิ่มวันหยุด' หรือ 'ยกเลิกวันหยุด (เป็นวันทำการ)'"]
    clean_name = normalize_text(name if isinstance(name, str) else "")
    if not clean_name:
        fields["name"] = ["กรุณาระบุชื่อวัน/เหตุผล"]
    elif len(clean_name) > NAME_MAX_LENGTH:
        fields["name"] = [f"ชื่อวัน/เหตุผลยาวได้ไม่เกิน {NAME_MAX_LENGTH} ตัวอักษร"]
    if "date" not in fields:
        taken = CalendarOverride.objects.filter(date=date)
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            fields["date"] = [f"วันที่ {format_date(date)} มีรายการอยู่แล้ว ให้แก้ไขรายการเดิม"]
        elif "kind" not in fields:
            # An override that changes nothing would only confuse the next reader of the table.
            already_off = calendar.WorkCalendar().is_day_off(date)
            if kind == OverrideKind.DAY_OFF and already_off:
                fields["date"] = [f"วันที่ {format_date(date)} เป็นวันหยุดอยู่แล้ว"]
            if kind == OverrideKind.WORKING_DAY and not already_off:
                fields["date"] = [f"วันที่ {format_date(date)} เป็นวันทำการอยู่แล้ว"]
    if fields:
        message = "; ".join(messages[0] for messages in fields.values())
        raise ApplicationError(message, code="invalid", fields=fields)
    assert isinstance(date, dt.date)
    return date, str(kind), clean_name


def _save(override: CalendarOverride) -> None:
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        # Someone saved the same date between our check and this save.
        message = f"วันที่ {format_date(override.date)} มีรายการอยู่แล้ว ให้แก้ไขรายการเดิม"
        raise ApplicationError(message, code="invalid", fields={"date": [message]}) from None


@transaction.atomic
def calendar_override_add(*, actor: Any, date: dt.date, kind: str, name: str) -> CalendarOverride:
    """Add a day off or a working day to the calendar; one row per date, must change something."""
    _check_actor(actor)
    day, clean_kind, clean_name = _clean(date=date, kind=kind, name=name, exclude_id=None)
    override = CalendarOverride(
        date=day,
        kind=clean_kind,
        name=clean_name,
        created_by=actor if actor.is_authenticated else None,
    )
    _save(override)
    audit_record(
        actor=actor,
        action="calendar.override.add",
        obj=override,
        changes=snapshot(override, ["date", "kind", "name"]),
    )
    return override


@transaction.atomic
def calendar_override_update(
    *, actor: Any, override_id: int, date: dt.date, kind: str, name: str
) -> CalendarOverride:
    """Change an override's date, kind and name under the same rules as adding one."""
    _check_actor(actor)
    override = CalendarOverride.objects.select_for_update().filter(pk=override_id).first()
    if override is None:
        raise NotFound("ไม่พบรายการวันหยุดที่กำหนดเพิ่ม/ยกเลิก")
    before = snapshot(override, ["date", "kind", "name"])
    day, clean_kind, clean_name = _clean(date=date, kind=kind, name=name, exclude_id=override.pk)
    override.date, override.kind, override.name = day, clean_kind, clean_name
    _save(override)
    changes = diff(before, snapshot(override, ["date", "kind", "name"]))
    if changes:
        audit_record(actor=actor, action="calendar.override.update", obj=override, changes=changes)
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Any, override_id: int) -> None:
    """Remove an override; the day falls back to the package's calendar."""
    _check_actor(actor)
    override = CalendarOverride.objects.select_for_update().filter(pk=override_id).first()
    if override is None:
        raise NotFound("ไม่พบรายการวันหยุดที่กำหนดเพิ่ม/ยกเลิก")
    # Audit before deleting: the row's id is gone afterwards.
    audit_record(
        actor=actor,
        action="calendar.override.delete",
        obj=override,
        changes=snapshot(override, ["date", "kind", "name"]),
    )
    override.delete()
