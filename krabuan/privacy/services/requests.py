"""Data-subject requests: receive (public form or staff entry), verify identity, assign, answer,
refuse (written into the RoPA, s.39(7)), cancel, and purge contact details after retention.

Contact details are stored only as Fernet tokens (privacy.crypto); audit rows name which contact
fields were given, never their values. Each use case is one transaction with an audit row.
A request runs inside the fiscal year's open case of process 15 (PDPA protection) when there is
one: it is linked to that case (workflow.services.links) rather than starting a ten-step case of
its own, since the process's steps are the yearly compliance cycle, not the handling of one
request. Without an open case, `case` stays empty and the request keeps its own deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, PermissionDenied, field_error
from krabuan.core.thai import fiscal_year_of, format_date
from krabuan.notify.services import notify
from krabuan.privacy import challenge
from krabuan.privacy.crypto import encrypt
from krabuan.privacy.models import (
    DataSubjectRequest,
    ProcessingActivity,
    RefusalSection,
    RequestChannel,
    RequestStatus,
    RequestType,
    Ropa,
    RopaKind,
)
from krabuan.privacy.permissions import is_privacy_team
from krabuan.privacy.selectors.requests import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    assignable_users,
    privacy_team_users,
)
from krabuan.privacy.services.request_rules import (
    MAX_TEXT,
    due_at_for,
    request_clean,
    request_reference,
    retention_days,
    text_of,
)
from krabuan.workflow.models import Case, CaseStatus
from krabuan.workflow.permissions import can_work_on_steps
from krabuan.workflow.services.links import case_link_add

PROCESS_CODE = "C15"
PUBLIC_LIMIT = 5
PUBLIC_WINDOW = 60 * 60
RATE_SCOPE = "privacy-request"
BACKDATE_LIMIT = dt.timedelta(days=365)
_CLOCK_SKEW = dt.timedelta(minutes=5)
_REFERENCE_ATTEMPTS = 5
MAX_REFUSAL = 5000  # what the RoPA keeps (services.ropa)
# The sections under which each type may be refused ("other" always fits).
REFUSAL_SECTIONS = {
    RequestType.ACCESS: RefusalSection.S30,
    RequestType.COPY: RefusalSection.S31,
    RequestType.OBJECTION: RefusalSection.S32,
    RequestType.RECTIFICATION: RefusalSection.S36,
}
PURGED_DETAILS = "[ลบข้อมูลติดต่อและรายละเอียดแล้วตามระยะเวลาเก็บรักษา]"
_AUDIT_FIELDS = [
    "reference",
    "type",
    "channel",
    "status",
    "received_at",
    "due_at",
    "activity_id",
    "assigned_to_id",
    "identity_method",
    "identity_verified_at",
    "identity_verified_by_id",
    "response",
    "responded_at",
    "refusal_section",
    "refusal_reason",
    "case_id",
]


# --- receiving ---------------------------------------------------------------------------------


def _running_case(at: dt.datetime) -> Case | None:
    """The newest open case of process 15 of the fiscal year of `at`."""
    return (
        Case.objects.filter(
            process__code=PROCESS_CODE,
            fiscal_year=fiscal_year_of(at),
            status__in=[CaseStatus.OPEN, CaseStatus.WAITING],
        )
        .order_by("-started_at", "-id")
        .first()
    )


def _notify_team(request: DataSubjectRequest, *, subject: str, key: str) -> None:
    link = reverse("privacy:request_detail", args=[request.pk])
    body = _("คำขอ %(ref)s (%(type)s) กำหนดตอบภายใน %(due)s") % {
        "ref": request.reference,
        "type": request.get_type_display(),
        "due": format_date(request.due_at),
    }
    for user in privacy_team_users():
        notify(user=user, subject=subject, body=body, link=link, dedupe_key=key, kind="privacy")


def _create(
    *, values: dict[str, Any], channel: str, actor: Any, received_at: dt.datetime
) -> DataSubjectRequest:
    due_at = due_at_for(type=values["type"], received_at=received_at)
    case = _running_case(received_at)
    for _attempt in range(_REFERENCE_ATTEMPTS):
        reference = request_reference(received_at)
        try:
            with transaction.atomic():
                request = DataSubjectRequest.objects.create(
                    reference=reference,
                    type=values["type"],
                    channel=channel,
                    status=RequestStatus.RECEIVED,
                    received_at=received_at,
                    due_at=due_at,
                    name_enc=encrypt(values["name"]),
                    email_enc=encrypt(values["email"]),
                    phone_enc=encrypt(values["phone"]),
                    address_enc=encrypt(values["address"]),
                    details=values["details"],
                    activity=values["activity"],
                    case=case,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            break
        except IntegrityError:
            if not DataSubjectRequest.objects.filter(reference=reference).exists():
                raise  # not the number: a real integrity problem
            # Another request took the number meanwhile: read the newest one again.
    else:
        raise Conflict(_("ออกเลขที่คำขอไม่ได้ กรุณาลองใหม่"), code="reference_busy")
    given = [k for k in ("name", "email", "phone", "address") if values[k]]
    changes = diff({}, snapshot(request, _AUDIT_FIELDS)) | {"contact_given": given}
    if case is None:
        changes["case_note"] = "ไม่มีเรื่องของกระบวนงานที่ 15 ที่เปิดอยู่ในปีงบประมาณนี้"
    audit_record(actor=actor, action="privacy.request.create", obj=request, changes=changes)
    if case is not None:
        link_actor = actor if actor is not None and can_work_on_steps(actor) else None
        case_link_add(case=case, target=request, actor=link_actor)
    _notify_team(
        request,
        subject=_("คำขอใช้สิทธิใหม่ %(ref)s") % {"ref": request.reference},
        key=f"privacy.request:{request.pk}:new",
    )
    return request


@transaction.atomic
def request_submit_public(
    *,
    type: str,
    name: str,
    email: str,
    phone: str,
    address: str,
    details: str,
    activity_id: Any = None,
    ip: str | None,
) -> DataSubjectRequest:
    """A request from the public form or API: at most 5 accepted per address per hour; every
    field validated (Thai messages naming it); contact details encrypted; received now."""
    challenge.rate_limit_check(scope=RATE_SCOPE, ident=ip, limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW)
    values = request_clean(
        type=type,
        name=name,
        email=email,
        phone=phone,
        address=address,
        details=details,
        activity_id=activity_id,
    )
    request = _create(
        values=values, channel=RequestChannel.PUBLIC, actor=None, received_at=timezone.now()
    )
    # Only accepted submissions count: a typo corrected and sent again does not use up the
    # allowance (bots are held back by the challenge and the API throttle instead).
    challenge.rate_limit_record(scope=RATE_SCOPE, ident=ip, window=PUBLIC_WINDOW)
    return request


def _received_at(value: Any) -> dt.datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise field_error("received_at", _("วันที่รับคำขอต้องระบุวันและเวลาพร้อมเขตเวลา"))
    if value > now + _CLOCK_SKEW:
        raise field_error("received_at", _("วันที่รับคำขอต้องไม่อยู่ในอนาคต"))
    if value < now - BACKDATE_LIMIT:
        raise field_error("received_at", _("วันที่รับคำขอย้อนหลังได้ไม่เกิน 365 วัน"))
    return value


def _require_team(actor: Any) -> None:
    if not is_privacy_team(actor):
        raise PermissionDenied(_("เฉพาะ DPO และคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเท่านั้น"))


@transaction.atomic
def request_create(
    *,
    actor: Any,
    type: str,
    name: str,
    details: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    activity_id: Any = None,
    received_at: dt.datetime | None = None,
) -> DataSubjectRequest:
    """Staff entry of a request received by letter, in person or by phone (channel "staff");
    the privacy team may back-date `received_at` up to a year, never into the future."""
    _require_team(actor)
    at = _received_at(received_at)
    values = request_clean(
        type=type,
        name=name,
        email=email,
        phone=phone,
        address=address,
        details=details,
        activity_id=activity_id,
    )
    return _create(values=values, channel=RequestChannel.STAFF, actor=actor, received_at=at)


# --- handling ----------------------------------------------------------------------------------


def _lock(request: DataSubjectRequest) -> tuple[DataSubjectRequest, dict[str, Any]]:
    locked = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    return locked, snapshot(locked, _AUDIT_FIELDS)


def _require_handler(actor: Any, request: DataSubjectRequest) -> None:
    if not (
        is_privacy_team(actor) or (request.assigned_to_id and request.assigned_to_id == actor.pk)
    ):
        raise PermissionDenied(_("เฉพาะทีมคุ้มครองข้อมูลส่วนบุคคลหรือผู้ได้รับมอบหมายเท่านั้น"))


def _require_open(request: DataSubjectRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise Conflict(
            _("คำขอนี้ปิดแล้ว (สถานะ: %(s)s)") % {"s": request.get_status_display()},
            code="request_closed",
        )


def _required_text(field: str, label: str, value: Any, limit: int) -> str:
    text = text_of(value)
    if not text:
        raise field_error(field, _("กรุณากรอก%(label)s") % {"label": label}, code="required")
    if len(text) > limit:
        raise field_error(
            field, _("%(label)sต้องยาวไม่เกิน %(n)s ตัวอักษร") % {"label": label, "n": limit}
        )
    return text


def _save(
    request: DataSubjectRequest,
    before: dict[str, Any],
    *,
    actor: Any,
    action: str,
    extra: dict[str, Any] | None = None,
) -> DataSubjectRequest:
    request.save()
    changes = diff(before, snapshot(request, _AUDIT_FIELDS)) | (extra or {})
    audit_record(actor=actor, action=action, obj=request, changes=changes)
    return request


@transaction.atomic
def request_assign(*, actor: Any, request: DataSubjectRequest, assignee: Any) -> DataSubjectRequest:
    """The team gives the request to a staff member, who is told; they then see and handle it."""
    _require_team(actor)
    request, before = _lock(request)
    _require_open(request)
    pk = getattr(assignee, "pk", assignee)
    user = assignable_users().filter(pk=pk).first() if pk not in (None, "") else None
    if user is None:
        raise field_error("assignee", _("กรุณาเลือกผู้รับผิดชอบที่เป็นเจ้าหน้าที่"))
    request.assigned_to = user
    if request.identity_verified_at is None:
        request.status = RequestStatus.VERIFYING
    _save(request, before, actor=actor, action="privacy.request.assign")
    notify(
        user=user,
        subject=_("ท่านได้รับมอบหมายคำขอ %(ref)s") % {"ref": request.reference},
        body=_("คำขอ %(ref)s (%(type)s) กำหนดตอบภายใน %(due)s")
        % {
            "ref": request.reference,
            "type": request.get_type_display(),
            "due": format_date(request.due_at),
        },
        link=reverse("privacy:request_detail", args=[request.pk]),
        dedupe_key=f"privacy.request:{request.pk}:assign:{user.pk}",
        kind="privacy",
    )
    return request


@transaction.atomic
def request_verify_identity(
    *, actor: Any, request: DataSubjectRequest, method: str
) -> DataSubjectRequest:
    """Record how the requester's identity was verified; the request then moves on."""
    _require_handler(actor, request)
    request, before = _lock(request)
    _require_open(request)
    if request.identity_verified_at is not None:
        raise Conflict(_("ยืนยันตัวตนของผู้ยื่นคำขอแล้ว"), code="already_verified")
    request.identity_method = _required_text("method", _("วิธียืนยันตัวตน"), method, 255)
    request.identity_verified_at = timezone.now()
    request.identity_verified_by = actor
    request.status = RequestStatus.IN_PROGRESS
    return _save(request, before, actor=actor, action="privacy.request.verify")


@transaction.atomic
def request_complete(
    *, actor: Any, request: DataSubjectRequest, response: str
) -> DataSubjectRequest:
    """Answer the request (after identity verification); the letter is then printed from it."""
    _require_handler(actor, request)
    request, before = _lock(request)
    _require_open(request)
    if request.identity_verified_at is None:
        raise Conflict(
            _("ต้องยืนยันตัวตนของผู้ยื่นคำขอก่อนตอบคำขอ"),
            code="identity_not_verified",
            fields={"response": [_("ต้องยืนยันตัวตนของผู้ยื่นคำขอก่อนตอบคำขอ")]},
        )
    request.response = _required_text("response", _("ผลการดำเนินการ"), response, MAX_TEXT)
    request.responded_at = timezone.now()
    request.status = RequestStatus.COMPLETED
    return _save(request, before, actor=actor, action="privacy.request.complete")


def _ropa_of(activity: ProcessingActivity) -> Ropa | None:
    kind = RopaKind.PROCESSOR if activity.is_processor else RopaKind.CONTROLLER
    ropas = list(Ropa.objects.filter(activity=activity))
    return next((r for r in ropas if r.kind == kind), ropas[0] if ropas else None)


@transaction.atomic
def request_refuse(
    *,
    actor: Any,
    request: DataSubjectRequest,
    section: str,
    reason: str,
    activity: ProcessingActivity | None = None,
) -> DataSubjectRequest:
    """Refuse with the section and reason; the refusal is written into the RoPA of the request's
    activity (s.30 para 3, s.39(7)), so the request must name its activity first."""
    from krabuan.privacy.services.ropa import ropa_record_refusal

    _require_handler(actor, request)
    request, before = _lock(request)
    _require_open(request)
    allowed = {RefusalSection.OTHER.value}
    if request.type in REFUSAL_SECTIONS:
        allowed.add(REFUSAL_SECTIONS[RequestType(request.type)].value)
    if section not in allowed:
        labels = ", ".join(str(RefusalSection(s).label) for s in sorted(allowed))
        raise field_error(
            "section", _("มาตราที่อ้างในการปฏิเสธคำขอประเภทนี้ต้องเป็น: %(l)s") % {"l": labels}
        )
    reason = _required_text("reason", _("เหตุผลการปฏิเสธ"), reason, MAX_REFUSAL)
    if activity is not None:
        if not activity.active:
            raise field_error("activity", _("กิจกรรมการประมวลผลนี้ไม่ได้ใช้งานแล้ว"))
        request.activity = activity
    if request.activity is None:
        raise field_error(
            "activity",
            _("กรุณาเลือกกิจกรรมการประมวลผลของคำขอนี้ก่อนปฏิเสธ เพื่อบันทึกการปฏิเสธลงใน RoPA ของกิจกรรมนั้น"),
        )
    ropa = _ropa_of(request.activity)
    if ropa is None:
        raise field_error(
            "activity",
            _("กิจกรรม “%(a)s” ยังไม่มีบันทึกกิจกรรมการประมวลผล (RoPA) กรุณาจัดทำ RoPA ก่อน")
            % {"a": request.activity.name},
        )
    request.refusal_section = section
    request.refusal_reason = reason
    request.responded_at = timezone.now()
    request.status = RequestStatus.REFUSED
    _save(request, before, actor=actor, action="privacy.request.refuse", extra={"ropa_id": ropa.pk})
    ropa_record_refusal(ropa=ropa, request=request, section=section, reason=reason, actor=actor)
    return request


@transaction.atomic
def request_cancel(*, actor: Any, request: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """The team closes a request that the requester withdrew or that duplicates another."""
    _require_team(actor)
    request, before = _lock(request)
    _require_open(request)
    request.response = _required_text("reason", _("เหตุผลที่ยกเลิก"), reason, MAX_TEXT)
    request.responded_at = timezone.now()
    request.status = RequestStatus.CANCELLED
    return _save(request, before, actor=actor, action="privacy.request.cancel")


# --- retention ---------------------------------------------------------------------------------


@transaction.atomic
def request_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Erase the contact details and details of requests closed longer than the retention
    period; the reference, dates and decision stay as the record of compliance."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    due = (
        DataSubjectRequest.objects.select_for_update()
        .filter(status__in=CLOSED_STATUSES, responded_at__lt=cutoff)
        .exclude(details=PURGED_DETAILS)
    )
    count = 0
    for request in due:
        request.name_enc = request.email_enc = request.phone_enc = request.address_enc = ""
        request.details = PURGED_DETAILS
        request.save(
            update_fields=[
                "name_enc",
                "email_enc",
                "phone_enc",
                "address_enc",
                "details",
                "updated_at",
            ]
        )
        audit_record(
            actor=None,
            action="privacy.request.purge",
            obj=request,
            changes={"retention_days": retention_days()},
        )
        count += 1
    return count
