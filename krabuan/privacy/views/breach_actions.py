"""Actions on the breach page (POST only): assess, preview the suggested level (HTMX), record
the notices, update the facts, close, start the process-16 case. A refusal shows the breach page
again with the message next to the field (400); success redirects back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krabuan.core.audit import audit_record
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import format_datetime
from krabuan.org.forms import errors_from
from krabuan.privacy import risk
from krabuan.privacy.models import Breach, RiskLevel
from krabuan.privacy.selectors.breaches import assignable_users
from krabuan.privacy.services.breaches import (
    breach_assess,
    breach_case_start,
    breach_close,
    breach_notify_pdpc,
    breach_notify_subjects,
    breach_update,
    can_manage_breach,
)
from krabuan.privacy.views.breach_common import breach_context, breach_or_404
from krabuan.privacy.views.breach_forms import (
    AssessmentForm,
    BreachUpdateForm,
    CloseForm,
    NoticeForm,
)


def _again(
    request: HttpRequest, breach: Breach, exc: ApplicationError, **forms: Any
) -> HttpResponse:
    """The breach page again with the refusal (a message when it names no form field)."""
    if not any(form.errors for form in forms.values()):
        messages.error(request, exc.message)
    breach.refresh_from_db()
    audit_record(actor=request.user, action="view", obj=breach)  # the page shows it again
    context = breach_context(request, breach, **forms)
    return render(request, "privacy/breach/detail.html", context, status=exc.status)


def _done(request: HttpRequest, breach: Breach, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("privacy:breach_detail", breach_id=breach.pk)


@login_required
@require_POST
def breach_assess_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = breach_or_404(request, breach_id, log_view=False)
    form = AssessmentForm(request.POST)
    form.is_valid()
    try:
        assessment = breach_assess(
            actor=request.user,
            breach=breach,
            factors=form.raw_factors(),
            level=request.POST.get("level", ""),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        errors_from(form, exc)
        return _again(request, breach, exc, assess_form=form)
    duty = risk.obligations(assessment.level)
    return _done(
        request,
        breach,
        _("บันทึกผลการประเมิน: %(level)s — %(duty)s")
        % {
            "level": RiskLevel(assessment.level).label,
            "duty": "; ".join(str(x) for x in duty.lines),
        },
    )


@login_required
@require_POST
def breach_suggest_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    """HTMX: the suggested level and the obligations of the chosen level, as the form changes."""
    breach = breach_or_404(request, breach_id, log_view=False)
    form = AssessmentForm(request.POST)
    chosen = request.POST.get("level", "")
    context = {
        "breach": breach,
        "suggestion": risk.suggest(form.raw_factors()),
        "chosen": risk.obligations(chosen) if chosen in RiskLevel.values else None,
        "levels": risk.OBLIGATIONS,
    }
    return render(request, "privacy/breach/_suggestion.html", context)


def _notice(
    request: HttpRequest,
    breach_id: int,
    service: Callable[..., Breach],
    form_key: str,
    message: str,
    **extra: str,
) -> HttpResponse:
    breach = breach_or_404(request, breach_id, log_view=False)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        exc = ApplicationError(_("ข้อมูลไม่ถูกต้อง"), fields={})
        return _again(request, breach, exc, **{form_key: form})
    when = form.cleaned_data["notified_at"] or timezone.now()
    kwargs = {"late_reason": form.cleaned_data["late_reason"]} if extra.get("late") else {}
    try:
        updated = service(actor=request.user, breach=breach, notified_at=when, **kwargs)
    except ApplicationError as exc:
        errors_from(form, exc)
        return _again(request, breach, exc, **{form_key: form})
    return _done(request, updated, message % {"when": format_datetime(when)})


@login_required
@require_POST
def breach_notify_pdpc_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    return _notice(
        request,
        breach_id,
        breach_notify_pdpc,
        "pdpc_form",
        _("บันทึกการแจ้ง สคส. เมื่อ %(when)s แล้ว"),
        late="1",
    )


@login_required
@require_POST
def breach_notify_subjects_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    return _notice(
        request,
        breach_id,
        breach_notify_subjects,
        "subjects_form",
        _("บันทึกการแจ้งเจ้าของข้อมูลเมื่อ %(when)s แล้ว"),
    )


@login_required
@require_POST
def breach_update_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = breach_or_404(request, breach_id, log_view=False)
    form = BreachUpdateForm(
        request.POST, assignable=assignable_users(), can_assign=can_manage_breach(request.user)
    )
    if not form.is_valid():
        return _again(request, breach, ApplicationError(_("ข้อมูลไม่ถูกต้อง")), update_form=form)
    try:
        breach_update(actor=request.user, breach=breach, data=form.cleaned_data)
    except ApplicationError as exc:
        errors_from(form, exc)
        return _again(request, breach, exc, update_form=form)
    return _done(request, breach, _("บันทึกข้อมูลเหตุแล้ว"))


@login_required
@require_POST
def breach_close_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = breach_or_404(request, breach_id, log_view=False)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        breach_close(actor=request.user, breach=breach, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        errors_from(form, exc)
        return _again(request, breach, exc, close_form=form)
    return _done(request, breach, _("ปิดเรื่องแล้ว"))


@login_required
@require_POST
def breach_case_start_view(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = breach_or_404(request, breach_id, log_view=False)
    try:
        updated = breach_case_start(actor=request.user, breach=breach)
    except ApplicationError as exc:
        return _again(request, breach, exc)
    reference = updated.case.reference if updated.case else ""
    return _done(request, updated, _("เริ่มเรื่อง %(ref)s ตามกระบวนงานที่ 16 แล้ว") % {"ref": reference})
