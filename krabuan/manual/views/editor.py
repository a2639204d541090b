"""The manual editor: process header, requirements, steps with their controls and risks, owners,
copying a year, and the improvement explanations. Editors only (director, group heads, admin);
each view parses a form, calls one service and redirects, or re-renders with Thai messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krabuan.core import errors
from krabuan.core.display import thai_digits_enabled
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.manual import selectors
from krabuan.manual.durations import format_duration, parse_duration
from krabuan.manual.forms import (
    ControlForm,
    ExplanationForm,
    ManualCopyForm,
    OwnersForm,
    ProcessForm,
    RequirementsForm,
    StepCreateForm,
    StepForm,
    apply_error,
)
from krabuan.manual.models import (
    ControlKind,
    DurationStatus,
    Manual,
    OwnerKind,
    Process,
    Step,
    StepControl,
)
from krabuan.manual.services import editing
from krabuan.manual.services.improvements import improvement_explanation_update
from krabuan.manual.services.versioning import manual_copy_to_year
from krabuan.manual.views.pages import process_list_context, step_rows
from krabuan.org.permissions import EDIT_MANUAL, role_required

editor_required = role_required(EDIT_MANUAL)


def _process(request: HttpRequest, process_id: int) -> Process:
    try:
        return selectors.process_get(user=request.user, process_id=process_id)
    except NotFound:
        raise Http404(_("ไม่พบกระบวนงาน")) from None


def _step(step_id: int) -> Step:
    step = Step.objects.select_related("process__manual").filter(pk=step_id).first()
    if step is None:
        raise Http404(_("ไม่พบขั้นตอน"))
    return step


def _edit_url(process: Process | int, anchor: str = "") -> str:
    pk = process if isinstance(process, int) else process.pk
    url = reverse("manual:process_edit", kwargs={"process_id": pk})
    return f"{url}#{anchor}" if anchor else url


def _refused(
    request: HttpRequest, error: ApplicationError, process: Process
) -> HttpResponse | None:
    """Refusals that are not about a field: read-only year, no permission. None otherwise."""
    if isinstance(error, errors.PermissionDenied):
        raise PermissionDenied(error.message)
    if error.code == "manual_read_only":
        messages.error(request, error.message)
        return redirect("manual:process_detail", process_id=process.pk)
    return None


def _read_only(request: HttpRequest, process: Process) -> HttpResponse | None:
    if editing.manual_is_editable(process.manual):
        return None
    messages.error(request, editing.READ_ONLY_MESSAGE)
    return redirect("manual:process_detail", process_id=process.pk)


def _process_initial(process: Process) -> dict[str, Any]:
    return {
        "number": process.number,
        "name": process.name,
        "authority_number": process.authority_number,
        "authority": process.authority,
        "customers": process.customers,
        "outputs": process.outputs,
        "responsible_unit": process.responsible_unit_id,
        "quality_standard": process.quality_standard,
    }


def _requirements_initial(process: Process) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for r in process.requirements.all():
        initial[f"{r.heading}-detail"] = r.detail
        initial[f"{r.heading}-priority"] = r.priority
    return initial


def _owners_initial(process: Process) -> dict[str, Any]:
    owners = list(process.owners.all())
    initial: dict[str, Any] = {}
    for kind, name in ((OwnerKind.MAIN, "main"), (OwnerKind.SUPPORTING, "supporting")):
        mine = [o for o in owners if o.kind == kind]
        initial[name] = [o.position_id for o in mine if o.position_id]
        initial[f"{name}_titles"] = "\n".join(o.title for o in mine if not o.position_id)
    return initial


def _step_initial(step: Step) -> dict[str, Any]:
    return {
        "activity": step.activity,
        "sub_items": "\n".join(step.sub_items or []),
        "duration_text": step.duration_text,
        "units_text": step.units_text,
        "related_units": [u.pk for u in step.related_units.all()],
        "output": step.output,
        "group": step.group,
        "is_optional": step.is_optional,
        "condition": step.condition,
    }


def _step_input(form: StepForm) -> editing.StepInput:
    data = form.cleaned_data
    return editing.StepInput(
        activity=data["activity"],
        sub_items=data["sub_items"],
        duration_text=data.get("duration_text") or "",
        units_text=data.get("units_text") or "",
        output=data.get("output") or "",
        is_optional=bool(data.get("is_optional")),
        condition=data.get("condition") or "",
        group=data.get("group") or "",
        related_units=list(data.get("related_units") or []),
    )


def _duration_message(step: Step) -> str:
    """What the parser made of the duration, shown back after every save."""
    parsed = parse_duration(step.duration_text)
    shown = format_duration(parsed, thai_digits=thai_digits_enabled())
    status = DurationStatus(step.duration_status).label
    if step.duration_status in (DurationStatus.UNPARSED, DurationStatus.UNIT_MISSING):
        return _("ระยะเวลา “%(text)s”: %(status)s — กรุณาแก้ไขให้มีตัวเลขและหน่วยเวลา") % {
            "text": step.duration_text,
            "status": status,
        }
    return _("ระยะเวลา “%(text)s” อ่านได้เป็น: %(shown)s (%(status)s)") % {
        "text": step.duration_text or "-",
        "shown": shown,
        "status": status,
    }


def _render_editor(
    request: HttpRequest, process: Process, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "process": process,
        "manual": process.manual,
        "process_form": forms.get("process_form") or ProcessForm(initial=_process_initial(process)),
        "requirements_form": forms.get("requirements_form")
        or RequirementsForm(initial=_requirements_initial(process)),
        "owners_form": forms.get("owners_form") or OwnersForm(initial=_owners_initial(process)),
        "step_form": forms.get("step_form") or StepCreateForm(),
        "rows": step_rows(process),
    }
    return render(request, "manual/process_edit.html", context, status=status)


@editor_required
def process_edit(request: HttpRequest, process_id: int) -> HttpResponse:
    """The editor page; a POST saves the header and the quality standard."""
    process = _process(request, process_id)
    if (refusal := _read_only(request, process)) is not None:
        return refusal
    if request.method != "POST":
        return _render_editor(request, process)
    form = ProcessForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            editing.process_update(
                process=process,
                actor=request.user,
                name=data["name"],
                number=data["number"],
                authority_number=data.get("authority_number"),
                authority=data.get("authority") or "",
                customers=data.get("customers") or "",
                outputs=data.get("outputs") or "",
                responsible_unit=data.get("responsible_unit"),
                quality_standard=data.get("quality_standard") or "",
            )
        except ApplicationError as error:
            if (refusal := _refused(request, error, process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("บันทึกข้อมูลกระบวนงานแล้ว"))
            return redirect(_edit_url(process, "header"))
    process = _process(request, process_id)  # reload: the failed save must not show as saved
    return _render_editor(request, process, status=400, process_form=form)


@editor_required
@require_POST
def requirements_edit(request: HttpRequest, process_id: int) -> HttpResponse:
    """Save the eight key requirements with their priorities."""
    process = _process(request, process_id)
    if (refusal := _read_only(request, process)) is not None:
        return refusal
    form = RequirementsForm(request.POST)
    if form.is_valid():
        rows = [
            editing.RequirementInput(heading=h, detail=d, priority=p)
            for h, d, p in form.cleaned_rows()
        ]
        try:
            editing.requirement_update(process=process, actor=request.user, rows=rows)
        except ApplicationError as error:
            if (refusal := _refused(request, error, process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("บันทึกข้อกำหนดที่สำคัญแล้ว"))
            return redirect(_edit_url(process, "requirements"))
    return _render_editor(request, _process(request, process_id), 400, requirements_form=form)


@editor_required
@require_POST
def owners_edit(request: HttpRequest, process_id: int) -> HttpResponse:
    """Replace the owners (main and supporting positions)."""
    process = _process(request, process_id)
    if (refusal := _read_only(request, process)) is not None:
        return refusal
    form = OwnersForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            editing.owner_set(
                process=process,
                actor=request.user,
                main=list(data["main"]),
                supporting=list(data["supporting"]),
                main_titles=data["main_titles"],
                supporting_titles=data["supporting_titles"],
            )
        except ApplicationError as error:
            if (refusal := _refused(request, error, process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("บันทึกผู้รับผิดชอบกระบวนงานแล้ว"))
            return redirect(_edit_url(process, "owners"))
    return _render_editor(request, _process(request, process_id), 400, owners_form=form)


@editor_required
@require_POST
def step_create(request: HttpRequest, process_id: int) -> HttpResponse:
    """Add a step (at the end, or at the position given)."""
    process = _process(request, process_id)
    if (refusal := _read_only(request, process)) is not None:
        return refusal
    form = StepCreateForm(request.POST)
    if form.is_valid():
        try:
            step = editing.step_create(
                process=process,
                actor=request.user,
                data=_step_input(form),
                position=form.cleaned_data.get("position"),
            )
        except ApplicationError as error:
            if (refusal := _refused(request, error, process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("เพิ่มขั้นตอนที่ %(n)s แล้ว") % {"n": step.label})
            messages.info(request, _duration_message(step))
            return redirect(_edit_url(process, f"step-{step.pk}"))
    return _render_editor(request, _process(request, process_id), 400, step_form=form)


def _render_step(
    request: HttpRequest,
    step: Step,
    status: int = 200,
    form: StepForm | None = None,
    control_form: ControlForm | None = None,
) -> HttpResponse:
    controls = list(step.controls.order_by("kind", "sort_order"))
    context = {
        "step": step,
        "process": step.process,
        "manual": step.process.manual,
        "form": form or StepForm(initial=_step_initial(step)),
        "control_form": control_form or ControlForm(),
        "control_groups": [
            {"kind": kind, "label": label, "items": [c for c in controls if c.kind == kind]}
            for kind, label in ControlKind.choices
        ],
        "duration_display": format_duration(
            parse_duration(step.duration_text), thai_digits=thai_digits_enabled()
        ),
    }
    return render(request, "manual/step_edit.html", context, status=status)


@editor_required
def step_edit(request: HttpRequest, step_id: int) -> HttpResponse:
    """Edit one step, its controls and risks; the duration is re-parsed and shown back."""
    step = _step(step_id)
    if (refusal := _read_only(request, step.process)) is not None:
        return refusal
    if request.method != "POST":
        return _render_step(request, step)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            editing.step_update(step=step, actor=request.user, data=_step_input(form))
        except ApplicationError as error:
            if (refusal := _refused(request, error, step.process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("บันทึกขั้นตอนที่ %(n)s แล้ว") % {"n": step.label})
            messages.info(request, _duration_message(step))
            return redirect("manual:step_edit", step_id=step.pk)
    return _render_step(request, _step(step_id), 400, form=form)


@editor_required
@require_POST
def step_delete(request: HttpRequest, step_id: int) -> HttpResponse:
    step = _step(step_id)
    process = step.process
    try:
        editing.step_delete(step=step, actor=request.user)
    except ApplicationError as error:
        if (refusal := _refused(request, error, process)) is not None:
            return refusal
        messages.error(request, error.message)
    else:
        messages.success(request, _("ลบขั้นตอนแล้ว ขั้นตอนถัดไปเลื่อนลำดับขึ้น"))
    return redirect(_edit_url(process, "steps"))


@editor_required
@require_POST
def step_move(request: HttpRequest, step_id: int) -> HttpResponse:
    step = _step(step_id)
    process = step.process
    direction = request.POST.get("direction", "")
    try:
        editing.step_move(step=step, actor=request.user, direction=direction)  # type: ignore[arg-type]
    except ApplicationError as error:
        if (refusal := _refused(request, error, process)) is not None:
            return refusal
        messages.error(request, error.message)
    return redirect(_edit_url(process, f"step-{step.pk}"))


@editor_required
@require_POST
def control_add(request: HttpRequest, step_id: int) -> HttpResponse:
    step = _step(step_id)
    form = ControlForm(request.POST)
    if form.is_valid():
        try:
            editing.control_add(
                step=step,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ApplicationError as error:
            if (refusal := _refused(request, error, step.process)) is not None:
                return refusal
            apply_error(form, error)
        else:
            messages.success(request, _("เพิ่มจุดควบคุม/ความเสี่ยงแล้ว"))
            return redirect("manual:step_edit", step_id=step.pk)
    return _render_step(request, step, 400, control_form=form)


@editor_required
@require_POST
def control_delete(request: HttpRequest, control_id: int) -> HttpResponse:
    control = (
        StepControl.objects.select_related("step__process__manual").filter(pk=control_id).first()
    )
    if control is None:
        raise Http404(_("ไม่พบจุดควบคุม/ความเสี่ยง"))
    step = control.step
    try:
        editing.control_delete(control=control, actor=request.user)
    except ApplicationError as error:
        if (refusal := _refused(request, error, step.process)) is not None:
            return refusal
        messages.error(request, error.message)
    else:
        messages.success(request, _("ลบจุดควบคุม/ความเสี่ยงแล้ว"))
    return redirect("manual:step_edit", step_id=step.pk)


@editor_required
@require_GET
def duration_preview(request: HttpRequest) -> HttpResponse:
    """What a duration text will be read as, for the editor's live hint (HTMX)."""
    text = request.GET.get("duration_text", "")[:500]
    parsed = parse_duration(text)
    context = {
        "text": text,
        "shown": format_duration(parsed, thai_digits=thai_digits_enabled()),
        "status": parsed.status,
        "status_label": DurationStatus(parsed.status).label,
        "needs_fix": parsed.status in (DurationStatus.UNPARSED, DurationStatus.UNIT_MISSING),
    }
    return render(request, "manual/_duration_preview.html", context)


@editor_required
@require_POST
def manual_copy(request: HttpRequest) -> HttpResponse:
    """Copy a fiscal year's manual as the next year's draft; the source year stays unchanged."""
    form = ManualCopyForm(request.POST)
    if form.is_valid():
        source: Manual | None = None
        try:
            source = selectors.manual_get(fiscal_year=form.cleaned_data["source_year"])
            copy = manual_copy_to_year(
                manual=source, fiscal_year=form.cleaned_data["fiscal_year"], actor=request.user
            )
        except NotFound as error:
            form.add_error("source_year", error.message)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("คัดลอกคู่มือปีงบประมาณ %(src)s เป็นปีงบประมาณ %(dst)s (ฉบับร่าง) แล้ว")
                % {"src": source.fiscal_year, "dst": copy.fiscal_year},
            )
            return redirect(f"{reverse('manual:process_list')}?fiscal_year={copy.fiscal_year}")
    context = process_list_context(request, copy_form=form)
    return render(request, "manual/process_list.html", context, status=400)


@editor_required
@require_POST
def improvement_explain(request: HttpRequest, fiscal_year: int, process_code: str) -> HttpResponse:
    """Save the explanation of one improvement-summary row (inline with HTMX, or a plain form)."""
    try:
        manual = selectors.manual_get(fiscal_year=fiscal_year)
    except NotFound:
        raise Http404(_("ไม่พบคู่มือกระบวนงานปีงบประมาณ %(y)s") % {"y": fiscal_year}) from None
    back = f"{reverse('manual:improvement_summary')}?fiscal_year={fiscal_year}"
    if not editing.manual_is_editable(manual):
        messages.error(request, editing.READ_ONLY_MESSAGE)
        return redirect(back)
    form = ExplanationForm(request.POST)
    entry = None
    if form.is_valid():
        try:
            entry = improvement_explanation_update(
                manual=manual,
                process_code=process_code,
                explanation=form.cleaned_data.get("explanation") or "",
                actor=request.user,
            )
        except NotFound:
            raise Http404(_("ไม่พบรายการสรุปการปรับปรุงของกระบวนงานนี้")) from None
        except ApplicationError as error:
            apply_error(form, error)
    if getattr(request, "htmx", False):
        cell = {
            "entry": entry or manual.improvements.filter(process_code=process_code).first(),
            "form": form,
            "year": fiscal_year,
            "editable": True,
            "saved": entry is not None,
        }
        if cell["entry"] is None:
            raise Http404(_("ไม่พบรายการสรุปการปรับปรุงของกระบวนงานนี้"))
        return render(request, "manual/_explanation_cell.html", cell)
    if entry is None:
        for message in form.errors.get("explanation", []) + form.non_field_errors():
            messages.error(request, str(message))
        return redirect(back)
    messages.success(request, _("บันทึกรายละเอียดการปรับปรุงแล้ว"))
    return redirect(f"{back}#row-{process_code}")
