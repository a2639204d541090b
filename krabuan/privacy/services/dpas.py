"""Data processing / sharing agreements: counterpart, role, scope, dates and the signed file,
and the alerts sent before an agreement ends (to the privacy team and the unit head, once per
agreement, end date and threshold)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import field_error
from krabuan.core.thai import format_date
from krabuan.notify.services import notify
from krabuan.org.models import Unit
from krabuan.privacy.models import DataProcessingAgreement, DpaRole, ProcessingActivity
from krabuan.privacy.selectors.records import alert_recipients
from krabuan.privacy.services.inventory import require_unit_editor
from krabuan.privacy.services.members import clean_text, clean_unit, record_snapshot
from krabuan.workflow.services.records import upload_check

MAX_ALERT_DAYS = 365
# Besides the agreement's own alert_days, a last reminder a week before and on the end date.
EXTRA_THRESHOLDS = (7, 0)


def _fields(
    *,
    counterpart: str,
    role: str,
    scope: str,
    unit: Unit | None,
    activity: ProcessingActivity | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    alert_days: int | None,
) -> dict[str, Any]:
    owner = clean_unit(unit)
    if role not in DpaRole.values:
        raise field_error("role", "กรุณาเลือกลักษณะข้อตกลง", code="required")
    if starts_on is None:
        raise field_error("starts_on", "กรุณากรอกวันที่เริ่ม", code="required")
    if ends_on is not None and ends_on < starts_on:
        raise field_error("ends_on", "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม")
    days = 30 if alert_days is None else alert_days
    if not 0 <= days <= MAX_ALERT_DAYS:
        raise field_error("alert_days", f"แจ้งเตือนล่วงหน้าได้ 0–{MAX_ALERT_DAYS} วัน")
    if activity is not None and activity.unit_id != owner.pk:
        raise field_error("activity", "กิจกรรมที่เลือกไม่ใช่ของหน่วยงานนี้")
    return {
        "counterpart": clean_text(
            counterpart, field="counterpart", label="คู่สัญญา", limit=300, required=True
        ),
        "role": role,
        "scope": clean_text(scope, field="scope", label="ขอบเขต", limit=10000, required=True),
        "unit": owner,
        "activity": activity,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "alert_days": days,
    }


@transaction.atomic
def dpa_create(
    *,
    actor: Any,
    counterpart: str,
    role: str,
    scope: str,
    unit: Unit | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None = None,
    alert_days: int | None = 30,
    activity: ProcessingActivity | None = None,
    file: Any = None,
) -> DataProcessingAgreement:
    """Register an agreement with its signed file."""
    fields = _fields(
        counterpart=counterpart,
        role=role,
        scope=scope,
        unit=unit,
        activity=activity,
        starts_on=starts_on,
        ends_on=ends_on,
        alert_days=alert_days,
    )
    require_unit_editor(actor, fields["unit"].pk)
    if file is not None:
        upload_check(file, field="file")
    dpa = DataProcessingAgreement(created_by=actor, **fields)
    if file is not None:
        dpa.file.save(file.name, file, save=False)
    dpa.save()
    audit_record(actor=actor, action="privacy.dpa_create", obj=dpa, changes=record_snapshot(dpa))
    return dpa


@transaction.atomic
def dpa_update(
    *,
    actor: Any,
    dpa: DataProcessingAgreement,
    counterpart: str,
    role: str,
    scope: str,
    unit: Unit | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None = None,
    alert_days: int | None = 30,
    activity: ProcessingActivity | None = None,
    file: Any = None,
) -> DataProcessingAgreement:
    """Change an agreement; a new file replaces the old one (which stays in storage), a new end
    date re-arms its alerts."""
    require_unit_editor(actor, dpa.unit_id)
    fields = _fields(
        counterpart=counterpart,
        role=role,
        scope=scope,
        unit=unit,
        activity=activity,
        starts_on=starts_on,
        ends_on=ends_on,
        alert_days=alert_days,
    )
    require_unit_editor(actor, fields["unit"].pk)
    if file is not None:
        upload_check(file, field="file")
    dpa = DataProcessingAgreement.objects.select_for_update().get(pk=dpa.pk)
    before = record_snapshot(dpa)
    if fields["ends_on"] != dpa.ends_on or fields["alert_days"] != dpa.alert_days:
        dpa.alerted_at = None
    for key, value in fields.items():
        setattr(dpa, key, value)
    if file is not None:
        dpa.file.save(file.name, file, save=False)
    dpa.save()
    audit_record(
        actor=actor,
        action="privacy.dpa_update",
        obj=dpa,
        changes=diff(before, record_snapshot(dpa)),
    )
    return dpa


def _thresholds(dpa: DataProcessingAgreement) -> list[int]:
    return sorted(
        {dpa.alert_days, *(t for t in EXTRA_THRESHOLDS if t <= dpa.alert_days)}, reverse=True
    )


def dpa_alerts_send(*, today: dt.date | None = None) -> int:
    """Notify the privacy team and the unit head of agreements ending soon: once per agreement,
    end date and threshold (alert_days before, 7 days before, the end date). Returns the number
    of notifications queued."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=MAX_ALERT_DAYS)
    sent = 0
    candidates = DataProcessingAgreement.objects.select_related("unit").filter(
        ends_on__isnull=False, ends_on__gte=today, ends_on__lte=horizon
    )
    for dpa in candidates:
        assert dpa.ends_on is not None
        left = (dpa.ends_on - today).days
        passed = [t for t in _thresholds(dpa) if left <= t]
        if not passed:
            continue
        threshold = min(passed)  # the nearest threshold reached; earlier ones are old news
        sent += _alert(dpa, threshold=threshold, left=left)
    return sent


@transaction.atomic
def _alert(dpa: DataProcessingAgreement, *, threshold: int, left: int) -> int:
    assert dpa.ends_on is not None
    when = "วันนี้" if left == 0 else f"ในอีก {left} วัน"
    subject = f"ข้อตกลงการประมวลผลข้อมูลกับ {dpa.counterpart} จะสิ้นสุด{when}"
    body = (
        f"ข้อตกลง ({dpa.get_role_display()}) ของ{dpa.unit.name} กับ {dpa.counterpart} "
        f"สิ้นสุดวันที่ {format_date(dpa.ends_on)} กรุณาพิจารณาต่ออายุหรือยุติการประมวลผลข้อมูล"
    )
    link = reverse("privacy:dpa_detail", kwargs={"dpa_id": dpa.pk})
    key = f"privacy-dpa-{dpa.pk}-{dpa.ends_on.isoformat()}-{threshold}"
    count = 0
    for user in alert_recipients(unit_id=dpa.unit_id):
        count += len(
            notify(
                user=user, subject=subject, body=body, link=link, dedupe_key=key, kind="privacy_dpa"
            )
        )
    if count:
        DataProcessingAgreement.objects.filter(pk=dpa.pk).update(alerted_at=timezone.now())
        audit_record(
            actor=None,
            action="privacy.dpa_alert",
            obj=dpa,
            changes={"threshold_days": threshold, "days_left": left, "notifications": count},
        )
    return count
