"""What the breach pages share: the guarded getter (404 for missing and forbidden alike), the
72-hour countdown as the server sees it, and the breach page's context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from krabuan.core.display import thai_digits_enabled
from krabuan.core.errors import NotFound
from krabuan.privacy import risk
from krabuan.privacy.crypto import decrypt
from krabuan.privacy.documents.breach_data import DOCUMENT_LABELS
from krabuan.privacy.models import Breach, BreachStatus, RiskLevel
from krabuan.privacy.selectors.breaches import (
    assignable_users,
    breach_assessments,
    breach_audit_trail,
    breach_get_for_user,
)
from krabuan.privacy.services.breach_common import (
    LATE_GUIDANCE_DAYS,
    can_manage_breach,
    can_work_on_breach,
)
from krabuan.privacy.services.breaches import NO_PROCESS_NOTE, breach_process
from krabuan.privacy.views.breach_forms import (
    AssessmentForm,
    BreachUpdateForm,
    CloseForm,
    NoticeForm,
)
from krabuan.workflow.models import OPEN_STEP_STATUSES

URGENT_HOURS = 24


def breach_or_404(request: HttpRequest, breach_id: int, *, log_view: bool = True) -> Breach:
    try:
        return breach_get_for_user(user=request.user, breach_id=breach_id, log_view=log_view)
    except NotFound:
        raise Http404(_("ไม่พบเหตุละเมิดข้อมูลส่วนบุคคล")) from None


@dataclass(frozen=True)
class Countdown:
    """The PDPC clock at `now`: running (not notified, not closed, not "no risk") or not."""

    running: bool
    seconds: int  # negative once past the deadline
    urgent: bool  # under 24 hours left, or past

    @property
    def overdue(self) -> bool:
        return self.seconds < 0

    @property
    def hours(self) -> int:
        return abs(self.seconds) // 3600

    @property
    def minutes(self) -> int:
        return abs(self.seconds) % 3600 // 60

    @property
    def clock(self) -> str:
        return f"{'-' if self.overdue else ''}{self.hours}:{self.minutes:02d}"


def countdown(breach: Breach, now: dt.datetime | None = None) -> Countdown:
    now = now or timezone.now()
    seconds = int((breach.pdpc_deadline - now).total_seconds())
    running = (
        breach.pdpc_notified_at is None
        and breach.status != BreachStatus.CLOSED
        and breach.risk_level != RiskLevel.NONE
    )
    return Countdown(running=running, seconds=seconds, urgent=seconds < URGENT_HOURS * 3600)


def _assessment_initial(breach: Breach) -> dict[str, Any]:
    latest = breach_assessments(breach).first()
    if latest is None:
        return {"controller_status": "public_agency"}
    initial: dict[str, Any] = {"level": latest.level}
    for f in risk.FACTORS:
        answer = latest.factors.get(f.key) or {}
        initial[f.key] = answer.get("value", "")
        initial[f"{f.key}_note"] = answer.get("note", "")
    return initial


def _update_form(request: HttpRequest, breach: Breach) -> BreachUpdateForm:
    return BreachUpdateForm(
        initial={
            "title": breach.title,
            "description": breach.description,
            "occurred_at": _local_text(breach.occurred_at),
            "contained_at": _local_text(breach.contained_at),
            "data_types": "\n".join(breach.data_types),
            "subjects_count": breach.subjects_count,
            "records_count": breach.records_count,
            "systems_affected": breach.systems_affected,
            "impact": breach.impact,
            "measures": breach.measures,
            "subject_advice": breach.subject_advice,
            "assigned_to": breach.assigned_to_id,
        },
        assignable=assignable_users(),
        can_assign=can_manage_breach(request.user),
    )


def _local_text(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _change_lines(changes: Any) -> list[str]:
    """An audit entry's changes as 'field: before → after' lines."""
    if not isinstance(changes, dict):
        return []

    def show(value: Any) -> str:
        if value is None or value == "":
            return "-"
        if isinstance(value, list):
            return ", ".join(show(v) for v in value)
        return str(value)

    lines = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2 and key not in ("recipients",):
            lines.append(f"{key}: {show(value[0])} → {show(value[1])}")
        else:
            lines.append(f"{key}: {show(value)}")
    return lines


def breach_context(request: HttpRequest, breach: Breach, **forms: Any) -> dict[str, Any]:
    """Everything the breach page shows; bound forms with errors can be passed in."""
    now = timezone.now()
    assessments = list(breach_assessments(breach))
    latest = assessments[0] if assessments else None
    assess_form = forms.get("assess_form") or AssessmentForm(initial=_assessment_initial(breach))
    values = (
        assess_form.raw_factors() if assess_form.is_bound else (latest.factors if latest else {})
    )
    suggestion = risk.suggest(values) if values else None
    case_steps = []
    if breach.case is not None:
        case_steps = list(
            breach.case.steps.filter(status__in=OPEN_STEP_STATUSES)
            .select_related("step")
            .order_by("order", "pass_no", "iteration")
        )
    return {
        "breach": breach,
        "now": now,
        "clock": countdown(breach, now),
        "assessments": assessments,
        "latest": latest,
        "obligations": risk.obligations(breach.risk_level) if breach.risk_level else None,
        "suggestion": suggestion,
        "assess_form": assess_form,
        "pdpc_form": forms.get("pdpc_form") or NoticeForm(),
        "subjects_form": forms.get("subjects_form") or NoticeForm(),
        "update_form": forms.get("update_form") or _update_form(request, breach),
        "close_form": forms.get("close_form") or CloseForm(),
        "can_manage": can_manage_breach(request.user),
        "can_work": can_work_on_breach(request.user, breach),
        "past_deadline": now > breach.pdpc_deadline,
        "late_days": LATE_GUIDANCE_DAYS,
        "case_steps": case_steps,
        "no_process": breach.case_id is None and breach_process() is None,
        "no_process_note": NO_PROCESS_NOTE,
        "documents": DOCUMENT_LABELS,
        "trail": [(entry, _change_lines(entry.changes)) for entry in breach_audit_trail(breach)],
        "controller_note": risk.CONTROLLER_NOTE,
        "pdpc_note": risk.PDPC_NOTE,
        "levels": risk.OBLIGATIONS,
        "reporter_name": decrypt(breach.reporter_name_enc),
        "reporter_contact": decrypt(breach.reporter_contact_enc),
        "thai_digits": thai_digits_enabled(),
    }
