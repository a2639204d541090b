"""The breach register: report, assess, notify the PDPC Office and the data subjects, update,
close. Each function is one transaction with an audit entry.

`pdpc_deadline` is aware_at + 72 real hours (s.37(4): "within 72 hours of becoming aware"),
computed on UTC instants, so weekends, holidays and the offset the time was given in change
nothing. A breach runs as a case of process 16 of the manual (its steps and their deadlines come
from the manual); the case carries only the breach's reference, because cases are visible to all
staff while the breach itself is visible only to the privacy team and the assigned staff."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied, field_error
from krabuan.core.thai import BANGKOK, BE_OFFSET, fiscal_year_of, format_datetime
from krabuan.manual.models import Process, ProcessKind
from krabuan.notify.services import notify
from krabuan.privacy import risk
from krabuan.privacy.crypto import encrypt
from krabuan.privacy.models import (
    Breach,
    BreachAssessment,
    BreachChannel,
    BreachStatus,
    RiskLevel,
)
from krabuan.privacy.selectors.breaches import can_be_assigned, privacy_team_users
from krabuan.privacy.services import breach_common as parse
from krabuan.privacy.services.breach_common import (
    breach_link,
    can_manage_breach,
    can_report_breach,
    can_work_on_breach,
    deadline_for,
    lock_open,
    snap,
    status_for,
)
from krabuan.privacy.services.breach_notices import (  # noqa: F401 (the service API)
    breach_close,
    breach_notify_pdpc,
    breach_notify_subjects,
)
from krabuan.workflow.models import Priority
from krabuan.workflow.services.cases import case_start
from krabuan.workflow.services.links import case_link_add

logger = logging.getLogger(__name__)

BREACH_PROCESS_NUMBER = 16
REFERENCE_PREFIX = "BR"
_REFERENCE_ATTEMPTS = 5
NO_PROCESS_NOTE = "ไม่พบกระบวนงานที่ 16 (การแจ้งเหตุละเมิดข้อมูลส่วนบุคคล) ในคู่มือ จึงยังไม่ได้เริ่มเรื่อง"


def breach_process() -> Process | None:
    """Process 16 (core) of the manual in use: this fiscal year's, else the newest before it."""
    qs = Process.objects.filter(kind=ProcessKind.CORE, number=BREACH_PROCESS_NUMBER)
    year = fiscal_year_of(timezone.now())
    current = (
        qs.filter(manual__fiscal_year__lte=year)
        .order_by("-manual__fiscal_year", "manual__unit__sort_order", "pk")
        .first()
    )
    return current or qs.order_by("manual__fiscal_year", "pk").first()


def _next_reference(now: dt.datetime) -> str:
    """BR-<BE year>-0001, 0002, … gapless per BE year of the report (Bangkok time)."""
    prefix = f"{REFERENCE_PREFIX}-{now.astimezone(BANGKOK).year + BE_OFFSET}-"
    last = (
        Breach.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    suffix = last.rsplit("-", 1)[1] if last else ""
    return f"{prefix}{(int(suffix) + 1 if suffix.isdigit() else 1):04d}"


def _start_case(breach: Breach, *, actor: Any) -> str:
    """Start and link the process-16 case; '' when started, else the reason it was not."""
    process = breach_process()
    if process is None:
        return NO_PROCESS_NOTE
    try:
        case = case_start(
            process=process,
            title=f"แจ้งเหตุละเมิดข้อมูลส่วนบุคคล {breach.reference}",
            actor=actor,
            priority=Priority.URGENT,
        )
        case_link_add(case=case, target=breach, actor=actor)
    except ApplicationError as exc:  # case_start's savepoint rolled back; the breach stands
        return f"เริ่มเรื่องตามกระบวนงานที่ 16 ไม่ได้: {exc.message}"
    breach.case = case
    breach.save(update_fields=["case", "updated_at"])
    return ""


def _tell_team(breach: Breach) -> None:
    subject = f"[เหตุละเมิดข้อมูลส่วนบุคคล] รับแจ้ง {breach.reference}"
    body = "\n".join(
        [
            f"เลขที่เหตุ: {breach.reference} ({breach.get_channel_display()})",
            f"ทราบเหตุเมื่อ: {format_datetime(breach.aware_at)}",
            f"กำหนดแจ้ง สคส. (72 ชั่วโมง): {format_datetime(breach.pdpc_deadline)}",
            "โปรดประเมินความเสี่ยงโดยเร็ว",
        ]
    )
    for user in privacy_team_users():
        notify(
            user=user,
            subject=subject,
            body=body,
            link=breach_link(breach),
            dedupe_key=f"breach:{breach.pk}:reported",
            kind="breach_reported",
        )


@transaction.atomic
def breach_report(
    *,
    actor: Any,
    channel: str,
    title: Any,
    aware_at: Any,
    description: Any,
    data_types: Any,
    subjects_count: Any,
    records_count: Any,
    occurred_at: Any = None,
    systems_affected: Any = "",
    reporter_name: Any = "",
    reporter_contact: Any = "",
) -> Breach:
    """Record a breach with its 72-hour PDPC deadline and start its process-16 case.

    The public channel takes no actor: its aware_at is the moment the report arrives, and the
    reporter's name and contact are stored encrypted."""
    public = channel == BreachChannel.PUBLIC
    if channel not in BreachChannel.values:
        raise field_error("channel", "ช่องทางการแจ้งต้องเป็น " + ", ".join(BreachChannel.values))
    if not public and not can_report_breach(actor):
        raise PermissionDenied("บทบาทของท่านไม่สามารถบันทึกการแจ้งเหตุละเมิดได้")
    now = timezone.now()
    errors: parse.Errors = {}
    values = {
        "title": parse.text(
            errors, "title", "ชื่อเหตุ", title, required=True, max_length=parse.TITLE_MAX
        ),
        "description": parse.text(
            errors,
            "description",
            "รายละเอียดเหตุ",
            description,
            required=True,
            max_length=parse.TEXT_MAX,
        ),
        "data_types": parse.data_types(errors, data_types, required=not public),
        "subjects_count": parse.count(errors, "subjects_count", "จำนวนเจ้าของข้อมูล", subjects_count),
        "records_count": parse.count(errors, "records_count", "จำนวนรายการข้อมูล", records_count),
        "systems_affected": parse.text(
            errors,
            "systems_affected",
            "ระบบที่ได้รับผลกระทบ",
            systems_affected,
            required=False,
            max_length=parse.TEXT_MAX,
        ),
    }
    aware = (
        now
        if public
        else parse.moment(errors, "aware_at", "วันเวลาที่ทราบเหตุ", aware_at, required=True, now=now)
    )
    occurred = parse.moment(
        errors, "occurred_at", "วันเวลาที่เกิดเหตุ", occurred_at, required=False, now=now
    )
    if occurred and aware and occurred > aware:
        parse.add(errors, "occurred_at", "วันเวลาที่เกิดเหตุต้องไม่หลังวันเวลาที่ทราบเหตุ")
    name = parse.text(
        errors, "reporter_name", "ชื่อผู้แจ้ง", reporter_name, required=False, max_length=200
    )
    contact = parse.text(
        errors,
        "reporter_contact",
        "ช่องทางติดต่อกลับ",
        reporter_contact,
        required=public,
        max_length=parse.CONTACT_MAX,
    )
    if errors:
        raise ApplicationError("ข้อมูลการแจ้งเหตุไม่ถูกต้อง", code="invalid", fields=errors)
    assert aware is not None
    user = actor if getattr(actor, "is_authenticated", False) else None
    breach = Breach(
        channel=channel,
        aware_at=aware,
        occurred_at=occurred,
        pdpc_deadline=deadline_for(aware),
        reporter_name_enc=encrypt(name),
        reporter_contact_enc=encrypt(contact),
        reported_by=user,
        **values,
    )
    for _attempt in range(_REFERENCE_ATTEMPTS):
        breach.reference = _next_reference(now)
        try:
            with transaction.atomic():
                breach.save()
            break
        except IntegrityError:
            if not Breach.objects.filter(reference=breach.reference).exists():
                raise
            breach.pk = None  # another report took the number meanwhile: read it again
    else:
        raise Conflict("ออกเลขที่เหตุไม่ได้ กรุณาลองใหม่", code="reference_busy")
    note = _start_case(breach, actor=user) if user is not None else ""
    if public:
        note = "แจ้งจากภายนอก: เรื่องตามกระบวนงานที่ 16 จะเริ่มเมื่อทีมคุ้มครองข้อมูลรับเรื่อง"
    changes = diff({}, snap(breach))
    if note:
        changes["note"] = note
    audit_record(actor=user, action="breach.report", obj=breach, changes=changes)
    _tell_team(breach)
    return breach


@transaction.atomic
def breach_case_start(*, actor: Any, breach: Breach) -> Breach:
    """Start the process-16 case of a breach that has none (public report, manual loaded later)."""
    if not can_manage_breach(actor):
        raise PermissionDenied("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลเริ่มเรื่องของเหตุละเมิดได้")
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if breach.case_id is not None:
        raise Conflict("เหตุนี้มีเรื่องตามกระบวนงานที่ 16 แล้ว", code="breach_has_case")
    note = _start_case(breach, actor=actor)
    if note:
        raise ApplicationError(note, code="breach_case_not_started")
    audit_record(
        actor=actor,
        action="breach.case_start",
        obj=breach,
        changes={"case_id": [None, breach.case_id]},
    )
    return breach


@transaction.atomic
def breach_assess(
    *, actor: Any, breach: Breach, factors: Any, level: Any, note: Any = "", notes: Any = None
) -> BreachAssessment:
    """Assess the seven factors and choose the level (higher than suggested: allowed; lower:
    needs a reason). Every assessment is kept; the breach takes the newest one's obligations."""
    if not can_manage_breach(actor):
        raise PermissionDenied("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลประเมินความเสี่ยงได้")
    breach = lock_open(breach)
    cleaned, errors = risk.clean_factors(factors, notes=notes)
    clean_note = parse.text(
        errors, "note", "เหตุผลประกอบการประเมิน", note, required=False, max_length=5000
    )
    suggestion = risk.suggest(cleaned)
    if level not in RiskLevel.values:
        parse.add(
            errors,
            "level",
            "ระดับความเสี่ยงต้องเป็น none (ไม่มีความเสี่ยง), risk (มีความเสี่ยง) หรือ high (มีความเสี่ยงสูง)",
        )
    elif not errors and risk.is_lower(level, suggestion.level) and not clean_note:
        suggested = RiskLevel(suggestion.level).label
        parse.add(errors, "note", f"เลือกระดับต่ำกว่าที่ระบบเสนอ ({suggested}) ต้องระบุเหตุผล")
    if errors:
        raise ApplicationError("ข้อมูลการประเมินความเสี่ยงไม่ถูกต้อง", code="invalid", fields=errors)
    duty = risk.obligations(level)
    before = snap(breach)
    stored = {
        **cleaned,
        risk.SUGGESTED_KEY: {"value": suggestion.level, "note": "; ".join(suggestion.reasons)},
    }
    assessment = BreachAssessment.objects.create(
        breach=breach,
        factors=stored,
        level=level,
        notify_pdpc=duty.notify_pdpc,
        notify_subjects=duty.notify_subjects,
        note=clean_note,
        assessed_by=actor,
        assessed_at=timezone.now(),
    )
    breach.risk_level = level
    breach.notify_pdpc = duty.notify_pdpc
    breach.notify_subjects = duty.notify_subjects
    breach.status = status_for(breach)
    breach.save()
    changes = diff(before, snap(breach))
    changes["assessment_id"] = assessment.pk
    changes["suggested_level"] = suggestion.level
    audit_record(actor=actor, action="breach.assess", obj=breach, changes=changes)
    if breach.case_id is None and breach_process() is not None:
        _start_case(breach, actor=actor)
    return assessment


_TEXT_UPDATES = {
    "title": ("ชื่อเหตุ", True, parse.TITLE_MAX),
    "description": ("รายละเอียดเหตุ", True, parse.TEXT_MAX),
    "systems_affected": ("ระบบที่ได้รับผลกระทบ", False, parse.TEXT_MAX),
    "impact": ("ผลกระทบที่อาจเกิดขึ้น", False, parse.TEXT_MAX),
    "measures": ("มาตรการที่ดำเนินการแล้ว/จะดำเนินการ", False, parse.TEXT_MAX),
    "subject_advice": ("คำแนะนำสำหรับเจ้าของข้อมูล", False, parse.TEXT_MAX),
}
UPDATABLE = {
    *_TEXT_UPDATES,
    "data_types",
    "subjects_count",
    "records_count",
    "occurred_at",
    "contained_at",
    "assigned_to",
}


@transaction.atomic
def breach_update(*, actor: Any, breach: Breach, data: Mapping[str, Any]) -> Breach:
    """Change the facts, impact, measures and advice (team or assigned staff); assigning is the
    team's. Only the keys given change; aware_at never does (it starts the legal clock)."""
    if not can_work_on_breach(actor, breach):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขเหตุละเมิดนี้")
    unknown = sorted(set(data) - UPDATABLE)
    if unknown:
        raise ApplicationError(
            "แก้ไขได้เฉพาะ " + ", ".join(sorted(UPDATABLE)),
            code="invalid",
            fields={k: ["แก้ไขข้อมูลนี้ไม่ได้"] for k in unknown},
        )
    breach = lock_open(breach)
    now = timezone.now()
    errors: parse.Errors = {}
    values: dict[str, Any] = {}
    for key, (label, required, limit) in _TEXT_UPDATES.items():
        if key in data:
            values[key] = parse.text(
                errors, key, label, data[key], required=required, max_length=limit
            )
    if "data_types" in data:
        values["data_types"] = parse.data_types(
            errors, data["data_types"], required=breach.channel != BreachChannel.PUBLIC
        )
    for key, label in (("subjects_count", "จำนวนเจ้าของข้อมูล"), ("records_count", "จำนวนรายการข้อมูล")):
        if key in data:
            values[key] = parse.count(errors, key, label, data[key])
    for key, label in (("occurred_at", "วันเวลาที่เกิดเหตุ"), ("contained_at", "วันเวลาที่ระงับเหตุ")):
        if key in data:
            values[key] = parse.moment(errors, key, label, data[key], required=False, now=now)
    occurred = values.get("occurred_at", breach.occurred_at)
    if occurred and occurred > breach.aware_at:
        parse.add(errors, "occurred_at", "วันเวลาที่เกิดเหตุต้องไม่หลังวันเวลาที่ทราบเหตุ")
    contained = values.get("contained_at")
    if contained and occurred and contained < occurred:
        parse.add(errors, "contained_at", "วันเวลาที่ระงับเหตุต้องไม่ก่อนวันเวลาที่เกิดเหตุ")
    if "assigned_to" in data:
        assignee = data["assigned_to"]
        if not can_manage_breach(actor):
            parse.add(errors, "assigned_to", "เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลมอบหมายผู้รับผิดชอบได้")
        elif assignee is not None and not can_be_assigned(assignee):
            parse.add(errors, "assigned_to", "ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ที่ยังใช้งานอยู่")
        else:
            values["assigned_to"] = assignee
    if errors:
        raise ApplicationError("ข้อมูลเหตุละเมิดไม่ถูกต้อง", code="invalid", fields=errors)
    before = snap(breach)
    for key, value in values.items():
        setattr(breach, key, value)
    if diff(before, snap(breach)) and breach.status == BreachStatus.REPORTED:
        breach.status = BreachStatus.ASSESSING  # someone is working on it now
    changes = diff(before, snap(breach))
    if changes:
        breach.save()
        audit_record(actor=actor, action="breach.update", obj=breach, changes=changes)
    return breach
