"""Destruction of personal data whose retention period has ended: the record (method, date,
period destroyed, approver, evidence) and the alerts of items falling due. What is due is read
from the schedule (selectors.records.retention_schedule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from krabuan.core.audit import audit_record
from krabuan.core.errors import field_error
from krabuan.core.thai import format_date
from krabuan.notify.services import notify
from krabuan.org.models import Role
from krabuan.org.permissions import has_role
from krabuan.privacy.models import DataItem, DestructionRecord
from krabuan.privacy.permissions import can_approve_for_unit
from krabuan.privacy.selectors.records import alert_recipients, retention_schedule
from krabuan.privacy.services.inventory import require_unit_editor
from krabuan.privacy.services.members import clean_text, record_snapshot
from krabuan.workflow.services.records import upload_check


def can_approve_destruction(user: Any, unit_id: int) -> bool:
    """The head of the unit (or the director), or the DPO."""
    return can_approve_for_unit(user, unit_id) or has_role(user, {Role.DPO})


@transaction.atomic
def destruction_record(
    *,
    actor: Any,
    item: DataItem,
    method: str,
    destroyed_on: dt.date | None,
    approved_by: Any,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    evidence: Any = None,
    note: str = "",
) -> DestructionRecord:
    """Record that an item's data was destroyed; the next due date counts from `period_end`
    (the newest data destroyed), else from the destruction date."""
    require_unit_editor(actor, item.activity.unit_id)
    clean_method = clean_text(method, field="method", label="วิธีการทำลาย", limit=255, required=True)
    if destroyed_on is None:
        raise field_error("destroyed_on", "กรุณากรอกวันที่ทำลาย", code="required")
    if destroyed_on > timezone.localdate():
        raise field_error("destroyed_on", "วันที่ทำลายต้องไม่อยู่ในอนาคต")
    if period_start and period_end and period_end < period_start:
        raise field_error("period_end", "ข้อมูลถึงวันที่ต้องไม่ก่อนข้อมูลตั้งแต่วันที่")
    if period_end and period_end > destroyed_on:
        raise field_error("period_end", "ข้อมูลที่ทำลายต้องเก็บก่อนวันที่ทำลาย")
    if approved_by is None:
        raise field_error("approved_by", "กรุณาเลือกผู้อนุมัติการทำลาย", code="required")
    if not can_approve_destruction(approved_by, item.activity.unit_id):
        raise field_error(
            "approved_by", "ผู้อนุมัติต้องเป็นหัวหน้าหน่วยงานเจ้าของข้อมูล ผู้อำนวยการ หรือเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล"
        )
    if evidence is not None:
        upload_check(evidence, field="evidence")
    record = DestructionRecord(
        item=item,
        method=clean_method,
        destroyed_on=destroyed_on,
        period_start=period_start,
        period_end=period_end,
        approved_by=approved_by,
        note=clean_text(note, field="note", label="หมายเหตุ", limit=5000, required=False),
        recorded_by=actor,
    )
    if evidence is not None:
        record.evidence.save(evidence.name, evidence, save=False)
    record.save()
    audit_record(
        actor=actor,
        action="privacy.destruction_record",
        obj=record,
        changes=record_snapshot(record),
    )
    return record


def retention_alerts_send(*, today: dt.date | None = None) -> int:
    """Tell the privacy team and the unit head of each item due for destruction within the
    schedule's horizon; once per item and due date. Returns the notifications queued."""
    today = today or timezone.localdate()
    rows, _unknown = retention_schedule(today=today)
    link = reverse("privacy:retention_schedule")
    sent = 0
    for row in rows:
        item = row.item
        key = f"privacy-retention-{item.pk}-{row.due_on.isoformat()}"
        state = "เลยกำหนดทำลายแล้ว" if row.overdue else "ถึงกำหนดทำลาย"
        subject = f"ข้อมูลส่วนบุคคล “{item.name}” {state} ({format_date(row.due_on, short=True)})"
        body = (
            f"กิจกรรม {item.activity.name} ของ{item.activity.unit.name}: ข้อมูล “{item.name}” "
            f"ครบระยะเวลาเก็บรักษา {item.retention_months} เดือน วันที่ {format_date(row.due_on)} "
            "กรุณาทำลายหรือทำให้ไม่สามารถระบุตัวบุคคลได้ และบันทึกการทำลายพร้อมหลักฐาน"
        )
        with transaction.atomic():
            for user in alert_recipients(unit_id=item.activity.unit_id):
                sent += len(
                    notify(
                        user=user,
                        subject=subject,
                        body=body,
                        link=link,
                        dedupe_key=key,
                        kind="privacy_retention",
                    )
                )
    return sent
