"""The privacy working group and the units' representatives (process 15 step 1), and awareness
activities with their attendance. Each use case is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, PermissionDenied, field_error
from krabuan.core.thai import normalize_text
from krabuan.org.models import Unit, UnitKind
from krabuan.privacy.models import (
    Attendance,
    AwarenessActivity,
    GroupRole,
    WorkingGroupMember,
)
from krabuan.privacy.permissions import can_edit_records
from krabuan.privacy.selectors.records import can_manage_group

MAX_TITLE = 300
MAX_NAME = 255


def clean_text(value: str | None, *, field: str, label: str, limit: int, required: bool) -> str:
    text = normalize_text(value)
    if required and not text:
        raise field_error(field, f"กรุณากรอก{label}", code="required")
    if len(text) > limit:
        raise field_error(field, f"{label}ยาวเกิน {limit:,} ตัวอักษร", code="max_length")
    return text


def record_snapshot(obj: Any) -> dict[str, Any]:
    """snapshot() for the audit trail, with stored files as their names."""
    values = snapshot(obj)
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            values[field.attname] = getattr(obj, field.attname).name or ""
    return values


def clean_unit(unit: Unit | None, *, field: str = "unit") -> Unit:
    if unit is None:
        raise field_error(field, "กรุณาเลือกหน่วยงาน", code="required")
    if unit.kind == UnitKind.EXTERNAL:
        raise field_error(field, "หน่วยงานต้องเป็นหน่วยงานภายในสำนักงาน ไม่ใช่หน่วยงานภายนอก")
    return unit


def _day(value: dt.date | None, *, field: str, label: str) -> dt.date:
    if value is None:
        raise field_error(field, f"กรุณากรอก{label}", code="required")
    return value


def _require_manager(actor: Any) -> None:
    if not can_manage_group(actor):
        raise PermissionDenied("เฉพาะคณะทำงานคุ้มครองข้อมูลส่วนบุคคล ผู้อำนวยการ หรือผู้ดูแลระบบ")


@transaction.atomic
def member_appoint(
    *,
    actor: Any,
    user: Any,
    unit: Unit | None,
    role: str,
    appointed_on: dt.date | None,
    order_reference: str = "",
) -> WorkingGroupMember:
    """Appoint a user to a role for a unit; appointing a former member again reactivates the
    row with the new order."""
    _require_manager(actor)
    if user is None:
        raise field_error("user", "กรุณาเลือกผู้ได้รับแต่งตั้ง", code="required")
    if not user.is_active:
        raise field_error("user", "บัญชีผู้ใช้นี้ถูกปิดใช้งาน แต่งตั้งไม่ได้")
    if role not in GroupRole.values:
        raise field_error("role", "บทบาทที่เลือกไม่ถูกต้อง")
    unit = clean_unit(unit)
    day = _day(appointed_on, field="appointed_on", label="วันที่แต่งตั้ง")
    if day > timezone.localdate() + dt.timedelta(days=365):
        raise field_error("appointed_on", "วันที่แต่งตั้งไกลเกินไปในอนาคต")
    reference = clean_text(
        order_reference, field="order_reference", label="คำสั่งแต่งตั้ง", limit=255, required=True
    )
    member = (
        WorkingGroupMember.objects.select_for_update()
        .filter(user=user, unit=unit, role=role)
        .first()
    )
    if member is not None and member.active:
        raise Conflict(
            "ผู้ใช้นี้ดำรงบทบาทนี้ของหน่วยงานนี้อยู่แล้ว",
            fields={"user": ["ผู้ใช้นี้ดำรงบทบาทนี้ของหน่วยงานนี้อยู่แล้ว"]},
        )
    if member is None:
        member = WorkingGroupMember.objects.create(
            user=user, unit=unit, role=role, appointed_on=day, order_reference=reference
        )
        audit_record(
            actor=actor, action="privacy.member_appoint", obj=member, changes=snapshot(member)
        )
        return member
    before = snapshot(member)
    member.appointed_on, member.order_reference, member.active = day, reference, True
    member.save()
    audit_record(
        actor=actor,
        action="privacy.member_reappoint",
        obj=member,
        changes=diff(before, snapshot(member)),
    )
    return member


@transaction.atomic
def member_end(
    *, actor: Any, member: WorkingGroupMember, ended_on: dt.date | None = None, note: str = ""
) -> WorkingGroupMember:
    """End a member's term (the row stays, inactive, as the record of who served)."""
    _require_manager(actor)
    member = WorkingGroupMember.objects.select_for_update().get(pk=member.pk)
    if not member.active:
        raise Conflict("สมาชิกรายนี้พ้นจากหน้าที่แล้ว")
    day = ended_on or timezone.localdate()
    if day < member.appointed_on:
        raise field_error("ended_on", "วันที่พ้นจากหน้าที่ต้องไม่ก่อนวันที่แต่งตั้ง")
    member.active = False
    member.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action="privacy.member_end",
        obj=member,
        changes={
            "active": [True, False],
            "ended_on": day,
            "note": clean_text(note, field="note", label="หมายเหตุ", limit=1000, required=False),
        },
    )
    return member


# --- awareness -------------------------------------------------------------------------------


def _require_editor(actor: Any) -> None:
    if not can_edit_records(actor):
        raise PermissionDenied("บทบาทของท่านแก้ไขข้อมูลด้านการคุ้มครองข้อมูลส่วนบุคคลไม่ได้")


def _awareness_fields(
    *, title: str, held_on: dt.date | None, unit: Unit | None, description: str
) -> dict[str, Any]:
    return {
        "title": clean_text(title, field="title", label="ชื่อกิจกรรม", limit=MAX_TITLE, required=True),
        "held_on": _day(held_on, field="held_on", label="วันที่จัด"),
        "unit": clean_unit(unit),
        "description": clean_text(
            description, field="description", label="รายละเอียด", limit=10000, required=False
        ),
    }


@transaction.atomic
def awareness_create(
    *, actor: Any, title: str, held_on: dt.date | None, unit: Unit | None, description: str = ""
) -> AwarenessActivity:
    """Record a training or awareness activity."""
    _require_editor(actor)
    fields = _awareness_fields(title=title, held_on=held_on, unit=unit, description=description)
    activity = AwarenessActivity.objects.create(created_by=actor, **fields)
    audit_record(
        actor=actor, action="privacy.awareness_create", obj=activity, changes=snapshot(activity)
    )
    return activity


@transaction.atomic
def awareness_update(
    *,
    actor: Any,
    activity: AwarenessActivity,
    title: str,
    held_on: dt.date | None,
    unit: Unit | None,
    description: str = "",
) -> AwarenessActivity:
    _require_editor(actor)
    fields = _awareness_fields(title=title, held_on=held_on, unit=unit, description=description)
    activity = AwarenessActivity.objects.select_for_update().get(pk=activity.pk)
    before = snapshot(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    audit_record(
        actor=actor,
        action="privacy.awareness_update",
        obj=activity,
        changes=diff(before, snapshot(activity)),
    )
    return activity


@transaction.atomic
def attendance_add(
    *,
    actor: Any,
    activity: AwarenessActivity,
    user: Any = None,
    name: str = "",
    unit: Unit | None = None,
) -> Attendance:
    """Add an attendee: a user of the platform (name and unit filled from the account when not
    typed) or a free name (people without an account)."""
    _require_editor(actor)
    typed = clean_text(name, field="name", label="ชื่อผู้เข้าร่วม", limit=MAX_NAME, required=False)
    if user is None and not typed:
        raise field_error("name", "กรุณาเลือกผู้ใช้หรือกรอกชื่อผู้เข้าร่วม", code="required")
    if user is not None:
        typed = typed or normalize_text(user.get_full_name()) or user.username
        if Attendance.objects.filter(activity=activity, user=user).exists():
            raise Conflict("ผู้ใช้นี้อยู่ในรายชื่อผู้เข้าร่วมแล้ว", fields={"user": ["ผู้ใช้นี้อยู่ในรายชื่อผู้เข้าร่วมแล้ว"]})
        if unit is None:
            membership = user.memberships.select_related("unit").order_by("pk").first()
            unit = membership.unit if membership else None
    elif Attendance.objects.filter(activity=activity, user=None, name=typed).exists():
        raise Conflict("ชื่อนี้อยู่ในรายชื่อผู้เข้าร่วมแล้ว", fields={"name": ["ชื่อนี้อยู่ในรายชื่อผู้เข้าร่วมแล้ว"]})
    row = Attendance.objects.create(activity=activity, user=user, name=typed, unit=unit)
    audit_record(
        actor=actor,
        action="privacy.attendance_add",
        obj=activity,
        changes={"attendance_id": row.pk, "name": typed, "user_id": row.user_id},
    )
    return row


@transaction.atomic
def attendance_remove(*, actor: Any, attendance: Attendance) -> None:
    _require_editor(actor)
    activity = attendance.activity
    audit_record(
        actor=actor,
        action="privacy.attendance_remove",
        obj=activity,
        changes={"attendance_id": attendance.pk, "name": attendance.name},
    )
    attendance.delete()
