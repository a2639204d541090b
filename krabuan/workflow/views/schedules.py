"""Pages of the recurring starts: the list (with next runs in BE dates), one schedule with its
coming runs and the cases it started, and create / edit / enable-disable / delete for those who
may manage schedules (others read; their GET of a form and every POST get 403)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import MONTHS_LONG, parse_int
from krabuan.workflow.models import Schedule, ScheduleRule
from krabuan.workflow.permissions import can_manage_schedules
from krabuan.workflow.services import schedules as service


def _process_choices() -> list[tuple[str, str]]:
    manual = service.newest_manual()
    if manual is None:
        return []
    rows = manual.processes.order_by("kind", "number").values_list("code", "name")
    return [(code, f"{code} — {name}") for code, name in rows]


class ScheduleForm(forms.Form):
    """Parses what was typed (Thai or Arabic digits); the service checks the rules."""

    process_code = forms.ChoiceField(
        label=gettext_lazy("กระบวนงาน"),
        error_messages={
            "required": gettext_lazy("กรุณาเลือกกระบวนงาน"),
            "invalid_choice": gettext_lazy("กระบวนงานนี้ไม่มีในคู่มือฉบับล่าสุด"),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("ชื่อเรื่องที่จะสร้าง"),
        max_length=service.TITLE_MAX,
        help_text=gettext_lazy("ระบบจะต่อท้ายด้วยเดือน/ปีของรอบ เช่น (เม.ย. 2567)"),
        error_messages={
            "required": gettext_lazy("กรุณาระบุชื่อเรื่องที่จะสร้าง"),
            "max_length": gettext_lazy("ชื่อเรื่องยาวเกินกำหนด"),
        },
    )
    rule = forms.ChoiceField(
        label=gettext_lazy("รอบ"),
        choices=ScheduleRule.choices,
        error_messages={
            "required": gettext_lazy("กรุณาเลือกรอบ"),
            "invalid_choice": gettext_lazy("รอบต้องเป็น ทุกเดือน หรือ ทุกปี"),
        },
    )
    day = forms.CharField(
        label=gettext_lazy("ครบกำหนดวันที่"),
        max_length=10,
        help_text=gettext_lazy("1–31 ถ้าเดือนนั้นมีวันน้อยกว่า ใช้วันสุดท้ายของเดือน"),
        error_messages={"required": gettext_lazy("กรุณาระบุวันที่")},
    )
    months = forms.MultipleChoiceField(
        label=gettext_lazy("เดือน (สำหรับรอบทุกปี)"),
        choices=[(str(n), name) for n, name in enumerate(MONTHS_LONG, start=1)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("เดือนต้องอยู่ระหว่าง 1 ถึง 12")},
    )
    lead_days = forms.CharField(
        label=gettext_lazy("เริ่มเรื่องล่วงหน้า (วัน)"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("สร้างเรื่องก่อนวันครบกำหนดกี่วัน (0–90) เวลา 08:30 น."),
    )
    enabled = forms.BooleanField(label=gettext_lazy("เปิดใช้"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        process_field = self.fields["process_code"]
        assert isinstance(process_field, forms.ChoiceField)
        process_field.choices = [("", _("— เลือกกระบวนงาน —")), *_process_choices()]

    def _integer(self, name: str, label: str) -> int | None:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return None
        try:
            return parse_int(text)
        except ValueError:
            raise forms.ValidationError(_("%(label)s ต้องเป็นจำนวนเต็ม") % {"label": label}) from None

    def clean_day(self) -> int | None:
        return self._integer("day", _("วันที่"))

    def clean_lead_days(self) -> int:
        return self._integer("lead_days", _("จำนวนวันที่เริ่มล่วงหน้า")) or 0

    def clean_months(self) -> list[int]:
        return [int(m) for m in self.cleaned_data.get("months") or []]


def _initial(schedule: Schedule) -> dict[str, Any]:
    return {
        "process_code": schedule.process_code,
        "title": schedule.title,
        "rule": schedule.rule,
        "day": str(schedule.day),
        "months": [str(m) for m in schedule.months or []],
        "lead_days": str(schedule.lead_days),
        "enabled": schedule.enabled,
    }


def _schedule_or_404(schedule_id: int) -> Schedule:
    try:
        return service.schedule_get(schedule_id=schedule_id)
    except NotFound:
        raise Http404(_("ไม่พบกำหนดการเริ่มเรื่องอัตโนมัติ")) from None


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_schedules(request.user):
        raise PermissionDenied


def _case_link(case_id: int) -> str:
    try:
        return reverse("workflow:case_detail", args=[case_id])
    except NoReverseMatch:
        return ""


def _row(schedule: Schedule, *, now: Any, names: dict[str, str]) -> dict[str, Any]:
    run = service.stored_next(schedule)
    return {
        "schedule": schedule,
        "rule_text": service.schedule_describe(schedule),
        "period": service.period_label(run.due) if run else "",
        "overdue": bool(schedule.enabled and schedule.next_run_at and schedule.next_run_at < now),
        "process_name": names.get(schedule.process_code, ""),
        "process_missing": schedule.process_code not in names,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def schedule_list(request: HttpRequest) -> HttpResponse:
    """Every schedule with its rule, next run (BE date) and the period it will start."""
    now = timezone.now()
    manual = service.newest_manual()
    names = dict(manual.processes.values_list("code", "name")) if manual else {}
    rows = [_row(s, now=now, names=names) for s in service.schedule_list()]
    return render(
        request,
        "workflow/schedule_list.html",
        {
            "rows": rows,
            "manual": manual,
            "can_manage": can_manage_schedules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def schedule_detail(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """One schedule: its coming runs and the cases it started."""
    schedule = _schedule_or_404(schedule_id)
    now = timezone.now()
    upcoming = service.schedule_upcoming(schedule=schedule, count=6) if schedule.enabled else []
    cases = [
        {"case": case, "link": _case_link(case.pk)}
        for case in schedule.cases.select_related("process").order_by("-started_at", "-pk")[:50]
    ]
    manual = service.newest_manual(unit=schedule.unit)
    process = service.schedule_process(schedule=schedule)
    return render(
        request,
        "workflow/schedule_detail.html",
        {
            "schedule": schedule,
            "rule_text": service.schedule_describe(schedule),
            "upcoming": [
                {"run_at": run.run_at, "due": run.due, "period": service.period_label(run.due)}
                for run in upcoming
            ],
            "cases": cases,
            "manual": manual,
            "process": process,
            "overdue": bool(
                schedule.enabled and schedule.next_run_at and schedule.next_run_at < now
            ),
            "can_manage": can_manage_schedules(request.user),
        },
    )


def _save(request: HttpRequest, form: ScheduleForm, schedule: Schedule | None) -> Schedule | None:
    """Call the service; its field errors go back onto the form."""
    data = form.cleaned_data
    fields = {
        "process_code": data["process_code"],
        "title": data["title"],
        "rule": data["rule"],
        "day": data["day"],
        "months": data["months"],
        "lead_days": data["lead_days"],
        "enabled": data["enabled"],
    }
    try:
        if schedule is None:
            return service.schedule_create(actor=request.user, **fields)
        return service.schedule_update(actor=request.user, schedule=schedule, **fields)
    except ApplicationError as exc:
        for field, errors in exc.fields.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        if not exc.fields:
            form.add_error(None, exc.message)
        return None


def _form_page(
    request: HttpRequest, *, form: ScheduleForm, schedule: Schedule | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "workflow/schedule_form.html",
        {"form": form, "schedule": schedule, "has_manual": service.newest_manual() is not None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_create(request: HttpRequest) -> HttpResponse:
    """A new schedule (managers only)."""
    _require_manager(request)
    if request.method != "POST":
        form = ScheduleForm(initial={"rule": ScheduleRule.MONTHLY, "day": "1", "enabled": True})
        return _form_page(request, form=form, schedule=None)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("เพิ่มกำหนดการ %(title)s แล้ว") % {"title": saved.title})
            return redirect("schedules:detail", schedule_id=saved.pk)
    return _form_page(request, form=form, schedule=None, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_edit(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Change a schedule (managers only)."""
    _require_manager(request)
    schedule = _schedule_or_404(schedule_id)
    if request.method != "POST":
        return _form_page(request, form=ScheduleForm(initial=_initial(schedule)), schedule=schedule)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        saved = _save(request, form, schedule)
        if saved is not None:
            messages.success(request, _("บันทึกกำหนดการ %(title)s แล้ว") % {"title": saved.title})
            return redirect("schedules:detail", schedule_id=saved.pk)
    return _form_page(request, form=form, schedule=schedule, status=400)


@login_required
@require_POST
def schedule_toggle(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Enable or disable a schedule (managers only); `enabled` = "1" or "0"."""
    _require_manager(request)
    schedule = _schedule_or_404(schedule_id)
    enabled = request.POST.get("enabled") == "1"
    try:
        service.schedule_update(actor=request.user, schedule=schedule, enabled=enabled)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if enabled:
            messages.success(request, _("เปิดใช้กำหนดการแล้ว"))
        else:
            messages.success(request, _("ปิดใช้กำหนดการแล้ว ระบบจะไม่เริ่มเรื่องจนกว่าจะเปิดใช้อีกครั้ง"))
    return redirect("schedules:detail", schedule_id=schedule.pk)


@login_required
@require_POST
def schedule_delete(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Delete a schedule (managers only); the cases it started stay."""
    _require_manager(request)
    schedule = _schedule_or_404(schedule_id)
    title = schedule.title
    service.schedule_delete(actor=request.user, schedule=schedule)
    messages.success(request, _("ลบกำหนดการ %(title)s แล้ว") % {"title": title})
    return redirect("schedules:list")
