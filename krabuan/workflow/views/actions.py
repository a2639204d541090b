"""The case page's actions (HTMX or plain form posts): confirm a control point, complete, update,
skip, pause, resume, record a risk, reassign; comment, attach a file, cancel the case.

Each view checks the case is visible (404) and the role may act (403, nothing changed), parses
one form, calls one service and renders the case again: the `#case` fragment for HTMX, a redirect
otherwise. A refusal is shown in place with the service's Thai message and its status (400,
409 for missing control points, listing them).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krabuan.core import errors
from krabuan.core.errors import ApplicationError
from krabuan.manual.forms import apply_error
from krabuan.workflow.forms import (
    AttachmentForm,
    CaseCancelForm,
    CommentForm,
    ControlConfirmForm,
    RiskRecordForm,
    StepCompleteForm,
    StepPauseForm,
    StepReassignForm,
    StepSkipForm,
    StepUpdateForm,
)
from krabuan.workflow.models import Case, StepInstance
from krabuan.workflow.permissions import can_work_on_steps
from krabuan.workflow.services import cases as services
from krabuan.workflow.services import records
from krabuan.workflow.views.common import case_or_404, is_htmx
from krabuan.workflow.views.timeline import ActionError, _workers, case_context

Handler = Callable[[HttpRequest, Case, StepInstance], HttpResponse]


def _render_case(
    request: HttpRequest,
    case_id: int,
    *,
    status: int = 200,
    bound: dict[tuple[int, str], forms.Form] | None = None,
    error: ActionError | None = None,
    flash: str = "",
) -> HttpResponse:
    # Read the case again: the action may have changed any of its steps.
    case = case_or_404(request, case_id)
    context = case_context(request, case, bound=bound, error=error, flash=flash)
    template = "workflow/_case.html" if is_htmx(request) else "workflow/case_detail.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, case: Case, message: str, anchor: str = "") -> HttpResponse:
    if is_htmx(request):
        return _render_case(request, case.pk, flash=message)
    messages.success(request, message)
    url = reverse("workflow:case_detail", kwargs={"case_id": case.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _invalid(
    request: HttpRequest, case: Case, key: tuple[int, str], form: forms.Form
) -> HttpResponse:
    error = ActionError(key=key, message=_("ยังไม่ได้บันทึก กรุณาแก้ไขช่องที่มีข้อความสีแดง"))
    return _render_case(request, case.pk, status=400, bound={key: form}, error=error)


def _refused(
    request: HttpRequest,
    case: Case,
    key: tuple[int, str],
    form: forms.Form,
    exc: ApplicationError,
) -> HttpResponse:
    """A service said no: a permission refusal is a 403; a missing control point a 409 that
    lists them; anything else goes next to the field it names, with the service's status."""
    if isinstance(exc, errors.PermissionDenied):
        raise PermissionDenied(exc.message)
    if exc.code == "controls_unconfirmed":
        missing = [str(x) for x in exc.fields.get("controls", [])]
        error = ActionError(key=key, message=exc.message, missing=missing)
        return _render_case(request, case.pk, status=exc.status, bound={key: form}, error=error)
    fields = set(exc.fields) & set(form.fields)
    if fields:
        apply_error(form, exc)
    error = ActionError(key=key, message=exc.message)
    return _render_case(request, case.pk, status=exc.status, bound={key: form}, error=error)


def _worker_required(request: HttpRequest) -> None:
    # Auditors and requesters read the case; a post from them changes nothing.
    if not can_work_on_steps(request.user):
        raise PermissionDenied(_("บทบาทของท่านอ่านได้อย่างเดียว"))


def _instance(case: Case, instance_id: int) -> StepInstance:
    for instance in case.steps.all():
        if instance.pk == instance_id:
            instance.case = case
            return instance
    raise Http404(_("ไม่พบขั้นตอน"))


def _anchor(instance: StepInstance) -> str:
    return f"step-{instance.pk}"


def _complete(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "complete")
    form = StepCompleteForm(request.POST, instance=instance, prefix=f"c{instance.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    data = form.cleaned_data
    try:
        services.step_complete(
            instance=instance,
            actor=request.user,
            outcome=data.get("outcome") or "",
            note=data.get("note") or "",
            quantity=data.get("quantity"),
            alternative=data.get("alternative") or None,
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    label = instance.step.label or str(instance.order)
    return _done(request, case, _("บันทึกขั้นตอนที่ %(n)s เสร็จแล้ว") % {"n": label}, _anchor(instance))


def _update(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "update")
    form = StepUpdateForm(request.POST, instance=instance, prefix=f"u{instance.pk}")
    if not form.has_fields:
        raise Http404
    if not form.is_valid():
        return _invalid(request, case, key, form)
    data = form.cleaned_data
    try:
        services.step_update(
            instance=instance,
            actor=request.user,
            quantity=data.get("quantity"),
            alternative=data.get("alternative") or None,
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("ปรับกำหนดเสร็จตามข้อมูลใหม่แล้ว"), _anchor(instance))


def _skip(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "skip")
    form = StepSkipForm(request.POST, prefix=f"s{instance.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    try:
        services.step_skip(
            instance=instance, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("ข้ามขั้นตอนแล้ว"), _anchor(instance))


def _pause(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "pause")
    form = StepPauseForm(request.POST, prefix=f"p{instance.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    try:
        services.step_pause(
            instance=instance, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("หยุดรอแล้ว เวลาที่รอจะไม่นับรวมในกำหนดเสร็จ"), _anchor(instance))


def _resume(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "resume")
    try:
        services.step_resume(instance=instance, actor=request.user)
    except ApplicationError as exc:
        return _refused(request, case, key, forms.Form(), exc)
    return _done(request, case, _("ดำเนินการต่อแล้ว กำหนดเสร็จเลื่อนตามเวลาที่รอ"), _anchor(instance))


def _risk(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "risk")
    form = RiskRecordForm(request.POST, instance=instance, prefix=f"r{instance.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    risk = form.risks.get(form.cleaned_data.get("risk") or "")
    try:
        services.risk_record(
            instance=instance, actor=request.user, note=form.cleaned_data["note"], risk=risk
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("บันทึกความเสี่ยงที่เกิดขึ้นแล้ว"), _anchor(instance))


def _reassign(request: HttpRequest, case: Case, instance: StepInstance) -> HttpResponse:
    key = (instance.pk, "reassign")
    form = StepReassignForm(request.POST, workers=_workers(), prefix=f"a{instance.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    assignee = form.workers[form.cleaned_data["assignee"]]
    try:
        services.step_update(instance=instance, actor=request.user, assignee=assignee)
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    name = assignee.get_full_name() or assignee.username
    return _done(request, case, _("มอบหมายให้ %(name)s แล้ว") % {"name": name}, _anchor(instance))


STEP_ACTIONS: dict[str, Handler] = {
    "complete": _complete,
    "update": _update,
    "skip": _skip,
    "pause": _pause,
    "resume": _resume,
    "risk": _risk,
    "reassign": _reassign,
}


@login_required
@require_POST
def step_action(request: HttpRequest, case_id: int, instance_id: int, action: str) -> HttpResponse:
    """One action on one step of a case (see STEP_ACTIONS)."""
    case = case_or_404(request, case_id)
    handler = STEP_ACTIONS.get(action)
    if handler is None:
        raise Http404
    _worker_required(request)
    return handler(request, case, _instance(case, instance_id))


@login_required
@require_POST
def control_confirm(
    request: HttpRequest, case_id: int, instance_id: int, control_id: int
) -> HttpResponse:
    """Confirm one control point of the current step, with a note and optional evidence."""
    case = case_or_404(request, case_id)
    _worker_required(request)
    instance = _instance(case, instance_id)
    control = next((c for c in instance.step.controls.all() if c.pk == control_id), None)
    if control is None:
        raise Http404(_("ไม่พบจุดควบคุม"))
    key = (instance.pk, f"confirm:{control.pk}")
    form = ControlConfirmForm(request.POST, request.FILES, prefix=f"k{control.pk}")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    try:
        services.control_confirm(
            instance=instance,
            control=control,
            actor=request.user,
            note=form.cleaned_data.get("note") or "",
            evidence=form.cleaned_data.get("evidence") or None,
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("ยืนยันจุดควบคุมแล้ว"), _anchor(instance))


@login_required
@require_POST
def comment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    _worker_required(request)
    key = (0, "comment")
    form = CommentForm(request.POST, prefix="cm")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    try:
        records.comment_add(case=case, actor=request.user, body=form.cleaned_data["body"])
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("บันทึกความเห็นแล้ว"), "comments")


@login_required
@require_POST
def attachment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    _worker_required(request)
    key = (0, "attachment")
    steps = list(case.steps.all())
    form = AttachmentForm(request.POST, request.FILES, steps=steps, prefix="at")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    step = form.steps.get(form.cleaned_data.get("step_instance") or "")
    try:
        records.attachment_add(
            case=case, actor=request.user, upload=form.cleaned_data["file"], step_instance=step
        )
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("แนบไฟล์แล้ว"), "attachments")


@login_required
@require_POST
def case_cancel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    _worker_required(request)
    key = (0, "cancel")
    form = CaseCancelForm(request.POST, prefix="cx")
    if not form.is_valid():
        return _invalid(request, case, key, form)
    try:
        services.case_cancel(case=case, actor=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _refused(request, case, key, form, exc)
    return _done(request, case, _("ยกเลิกเรื่องแล้ว"))
