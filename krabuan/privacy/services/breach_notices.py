"""Notices and closing of a breach: the notice to the PDPC Office (late only with a reason),
the notice to the data subjects, and closing once every notice the level requires is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.thai import format_datetime
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.services import breach_common as parse
from krabuan.privacy.services.breach_common import (
    LATE_REASON_MESSAGE,
    can_manage_breach,
    lock_open,
    snap,
    status_for,
)


def _notice_moment(
    errors: parse.Errors, field: str, label: str, value: Any, breach: Breach
) -> dt.datetime | None:
    moment = parse.moment(errors, field, label, value, required=True, now=timezone.now())
    if moment is not None and moment < breach.aware_at:
        parse.add(errors, field, f"{label}ต้องไม่ก่อนวันเวลาที่ทราบเหตุ")
    return moment


@transaction.atomic
def breach_notify_pdpc(
    *, actor: Any, breach: Breach, notified_at: Any, late_reason: Any = ""
) -> Breach:
    """Record the notice to the PDPC Office; after the 72 hours the delay needs a reason."""
    if not can_manage_breach(actor):
        raise PermissionDenied("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลบันทึกการแจ้ง สคส. ได้")
    breach = lock_open(breach)
    if breach.risk_level is None:
        raise Conflict("ต้องประเมินความเสี่ยงก่อนแจ้ง สคส.", code="breach_not_assessed")
    if breach.pdpc_notified_at is not None:
        raise Conflict(
            f"แจ้ง สคส. แล้วเมื่อ {format_datetime(breach.pdpc_notified_at)}",
            code="pdpc_already_notified",
        )
    errors: parse.Errors = {}
    moment = _notice_moment(errors, "notified_at", "วันเวลาที่แจ้ง สคส.", notified_at, breach)
    reason = parse.text(
        errors, "late_reason", "เหตุผลที่แจ้งล่าช้า", late_reason, required=False, max_length=5000
    )
    if moment is not None and moment > breach.pdpc_deadline and not reason:
        parse.add(errors, "late_reason", LATE_REASON_MESSAGE)
    if errors:
        raise ApplicationError("ข้อมูลการแจ้ง สคส. ไม่ถูกต้อง", code="invalid", fields=errors)
    before = snap(breach)
    breach.pdpc_notified_at = moment
    breach.late_reason = reason if moment and moment > breach.pdpc_deadline else breach.late_reason
    breach.status = status_for(breach)
    breach.save()
    audit_record(
        actor=actor, action="breach.notify_pdpc", obj=breach, changes=diff(before, snap(breach))
    )
    return breach


@transaction.atomic
def breach_notify_subjects(*, actor: Any, breach: Breach, notified_at: Any) -> Breach:
    """Record that the data subjects were told (required for high risk; allowed for any level)."""
    if not can_manage_breach(actor):
        raise PermissionDenied("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลบันทึกการแจ้งเจ้าของข้อมูลได้")
    breach = lock_open(breach)
    if breach.risk_level is None:
        raise Conflict("ต้องประเมินความเสี่ยงก่อนแจ้งเจ้าของข้อมูล", code="breach_not_assessed")
    if breach.subjects_notified_at is not None:
        raise Conflict(
            f"แจ้งเจ้าของข้อมูลแล้วเมื่อ {format_datetime(breach.subjects_notified_at)}",
            code="subjects_already_notified",
        )
    errors: parse.Errors = {}
    moment = _notice_moment(errors, "notified_at", "วันเวลาที่แจ้งเจ้าของข้อมูล", notified_at, breach)
    if errors:
        raise ApplicationError("ข้อมูลการแจ้งเจ้าของข้อมูลไม่ถูกต้อง", code="invalid", fields=errors)
    before = snap(breach)
    breach.subjects_notified_at = moment
    breach.status = status_for(breach)
    breach.save()
    audit_record(
        actor=actor,
        action="breach.notify_subjects",
        obj=breach,
        changes=diff(before, snap(breach)),
    )
    return breach


@transaction.atomic
def breach_close(*, actor: Any, breach: Breach, note: Any = "") -> Breach:
    """Close a breach once it is assessed and every notice its level requires is recorded."""
    if not can_manage_breach(actor):
        raise PermissionDenied("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลปิดเรื่องได้")
    breach = lock_open(breach)
    if breach.risk_level is None:
        raise Conflict("ต้องประเมินความเสี่ยงก่อนปิดเรื่อง", code="breach_not_assessed")
    if breach.notify_pdpc and breach.pdpc_notified_at is None:
        raise Conflict("ยังไม่ได้บันทึกการแจ้ง สคส. จึงปิดเรื่องไม่ได้", code="pdpc_not_notified")
    if breach.notify_subjects and breach.subjects_notified_at is None:
        raise Conflict("ยังไม่ได้บันทึกการแจ้งเจ้าของข้อมูล จึงปิดเรื่องไม่ได้", code="subjects_not_notified")
    errors: parse.Errors = {}
    clean_note = parse.text(errors, "note", "บันทึกการปิดเรื่อง", note, required=False, max_length=5000)
    if errors:
        raise ApplicationError("ข้อมูลการปิดเรื่องไม่ถูกต้อง", code="invalid", fields=errors)
    before = snap(breach)
    breach.status = BreachStatus.CLOSED
    breach.closed_at = timezone.now()
    breach.save()
    changes = diff(before, snap(breach))
    if clean_note:
        changes["note"] = clean_note
    audit_record(actor=actor, action="breach.close", obj=breach, changes=changes)
    return breach


@transaction.atomic
def breach_purge_reporters(*, now: dt.datetime | None = None) -> int:
    """Erase the (encrypted) contact details of outside reporters of breaches closed longer
    than the retention period, like any other personal data; the breach record, its
    assessments and notices stay as the evidence the law asks to keep."""
    from krabuan.privacy.services.request_rules import retention_days

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    due = (
        Breach.objects.select_for_update()
        .filter(status=BreachStatus.CLOSED, closed_at__lt=cutoff)
        .exclude(reporter_name_enc="", reporter_contact_enc="")
    )
    count = 0
    for breach in due:
        breach.reporter_name_enc = breach.reporter_contact_enc = ""
        breach.save(update_fields=["reporter_name_enc", "reporter_contact_enc", "updated_at"])
        audit_record(
            actor=None,
            action="privacy.breach.purge_reporter",
            obj=breach,
            changes={"retention_days": retention_days()},
        )
        count += 1
    return count
