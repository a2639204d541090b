"""Case pages: the list (filters, sort, pages, CSV), starting a case, the case page, file
downloads through the case's guard, and the risk list fragment of the manual's process page."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, QuerySet, Subquery, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core import errors
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import format_datetime
from krabuan.manual import selectors as manual_selectors
from krabuan.manual.forms import apply_error
from krabuan.manual.models import Manual, Process, Step
from krabuan.org.models import Unit, UnitKind
from krabuan.workflow import selectors
from krabuan.workflow.dashboard import process_risk_occurrences
from krabuan.workflow.forms import CaseFilterForm, CaseStartForm
from krabuan.workflow.models import (
    OPEN_STEP_STATUSES,
    Case,
    CaseAttachment,
    ControlConfirmation,
    Priority,
    StepInstance,
)
from krabuan.workflow.permissions import can_backdate, can_start_case
from krabuan.workflow.services.cases import case_start
from krabuan.workflow.services.records import content_type_for
from krabuan.workflow.views.common import case_or_404, csv_response
from krabuan.workflow.views.timeline import case_context

PAGE_SIZE = 50
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


def _newest_processes() -> QuerySet[Process]:
    newest = Manual.objects.order_by("-fiscal_year").values("fiscal_year")[:1]
    return Process.objects.filter(manual__fiscal_year=Subquery(newest)).order_by("kind", "number")


def _filter_form(request: HttpRequest) -> CaseFilterForm:
    processes = [
        (code, f"{code} {name}") for code, name in _newest_processes().values_list("code", "name")
    ]
    units = list(
        Unit.objects.exclude(kind=UnitKind.EXTERNAL)
        .filter(is_active=True)
        .order_by("sort_order", "name")
        .values_list("code", "name")
    )
    return CaseFilterForm(request.GET, processes=processes, units=units)


def _ordered(qs: QuerySet[Case], sort: str | None) -> QuerySet[Case]:
    if sort == "priority":
        rank = When_(
            *(When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()),
            default=Value(9),
            output_field=IntegerField(),
        )
        return qs.annotate(priority_rank=rank).order_by("priority_rank", "-started_at", "-id")
    if sort in {"started_at", "reference", "title", "-late_steps"}:
        return qs.order_by(sort, "-id")
    return qs.order_by("-started_at", "-id")


def _open_steps() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=StepInstance.objects.filter(status__in=OPEN_STEP_STATUSES)
        .select_related("step", "assignee")
        .order_by("order", "pass_no", "iteration"),
        to_attr="open_step_list",
    )


def _with_open_steps(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("process__manual").prefetch_related(_open_steps())


class _CasePaginator(Paginator):
    """Pages of the case list read in two steps (selectors.case_list_page), with the count
    given (selectors.case_list_count)."""

    def __init__(self, object_list: QuerySet[Case], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property, already known

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = selectors.case_list_page(
            cast(QuerySet[Case], self.object_list), start=bottom, stop=top, extend=_with_open_steps
        )
        return Page(rows, number, self)


def _csv(qs: QuerySet[Case]) -> HttpResponse:
    header = [
        _("เลขที่เรื่อง"),
        _("ชื่อเรื่อง"),
        _("รหัสกระบวนงาน"),
        _("กระบวนงาน"),
        _("ปีงบประมาณ"),
        _("สถานะ"),
        _("ความสำคัญ"),
        _("หน่วยงานที่รับผิดชอบ"),
        _("ผู้ขอ"),
        _("เริ่มเมื่อ"),
        _("ปิดเมื่อ"),
        _("ขั้นตอนที่กำลังดำเนินการ"),
        _("จำนวนขั้นตอนล่าช้า"),
    ]
    rows = (
        [
            c.reference,
            c.title,
            c.process.code,
            c.process.name,
            c.fiscal_year,
            c.get_status_display(),
            c.get_priority_display(),
            c.responsible_unit.name,
            (c.requester.get_full_name() or c.requester.username) if c.requester else "",
            format_datetime(c.started_at, short=True),
            format_datetime(c.closed_at, short=True),
            "; ".join(
                f"{s.step.label or s.order}. {s.step.activity}"
                for s in c.open_step_list  # type: ignore[attr-defined]
            ),
            c.late_steps,  # type: ignore[attr-defined]
        ]
        for c in qs.iterator(chunk_size=1000)
    )
    return csv_response(f"cases-{timezone.localdate().isoformat()}.csv", header, rows)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, filtered (status, process, year, unit, late, search), sorted,
    in pages of 50, or all of them as CSV."""
    filters = _filter_form(request)
    filters.is_valid()
    qs = selectors.case_list(
        user=request.user,
        status=filters.value("status"),
        process_code=filters.value("process"),
        fiscal_year=filters.value("fiscal_year"),
        unit_code=filters.value("unit"),
        late=True if filters.value("late") else None,
        search=filters.value("q"),
    )
    qs = _ordered(qs, filters.value("sort"))
    if request.GET.get("format") == "csv":
        return _csv(_with_open_steps(qs))
    search = filters.value("q")
    narrowed = any(filters.value(f) for f in ("status", "process", "fiscal_year", "unit", "late"))
    count, more = selectors.case_list_count_capped(
        qs, user=request.user, search=search, narrowed=narrowed
    )
    page = _CasePaginator(qs, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    years = selectors.case_years()
    context = {
        "filters": filters,
        "page": page,
        "more": more,
        "years": years,
        "sorts": CaseFilterForm.SORTS,
        "can_start": can_start_case(request.user),
    }
    return render(request, "workflow/case_list.html", context)


def _start_processes() -> list[Process]:
    return list(
        _newest_processes()
        .select_related("manual", "responsible_unit")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("order")))
    )


def _initial_process(request: HttpRequest, processes: list[Process]) -> int | None:
    """?process=<id>: that process when it is in the newest manual, else the newest version of
    the same process (a link from an older year's page)."""
    raw = request.GET.get("process", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    wanted = int(raw)
    by_pk = {p.pk: p for p in processes}
    if wanted in by_pk:
        return wanted
    code = Process.objects.filter(pk=wanted).values_list("code", flat=True).first()
    match = next((p for p in processes if p.code == code), None)
    return match.pk if match else None


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Start a case of one process of the newest manual; the first step starts at once."""
    user = request.user
    if not can_start_case(user):
        raise PermissionDenied(_("บทบาทของท่านไม่สามารถเริ่มเรื่องได้"))
    processes = _start_processes()
    allow_backdate = can_backdate(user)
    form = CaseStartForm(
        request.POST or None,
        processes=processes,
        allow_backdate=allow_backdate,
        initial={"process": _initial_process(request, processes)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_start(
                process=data["process"],
                title=data["title"],
                actor=user,
                priority=data["priority"],
                description=data.get("description") or "",
                quantity=data.get("quantity"),
                started_at=data.get("started_at"),
            )
        except ApplicationError as exc:
            if isinstance(exc, errors.PermissionDenied) and not exc.fields:
                raise PermissionDenied(exc.message) from None
            apply_error(form, exc)
        else:
            messages.success(request, _("เริ่มเรื่อง %(ref)s แล้ว") % {"ref": case.reference})
            return redirect("workflow:case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "processes": processes, "allow_backdate": allow_backdate}
    return render(request, "workflow/case_form.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case: header, steps as a timeline, actions in place, comments, files, audit trail."""
    case = case_or_404(request, case_id)
    return render(request, "workflow/case_detail.html", case_context(request, case))


@login_required
@require_GET
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    """A case's file, only through its case's guard; always downloaded, never shown inline."""
    case = case_or_404(request, case_id)
    attachment = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None or not attachment.file:
        raise Http404(_("ไม่พบไฟล์"))
    return _download(attachment.file, attachment.name)


@login_required
@require_GET
def evidence_download(request: HttpRequest, case_id: int, confirmation_id: int) -> FileResponse:
    case = case_or_404(request, case_id)
    confirmation = (
        ControlConfirmation.objects.filter(step_instance__case=case, pk=confirmation_id)
        .exclude(evidence="")
        .first()
    )
    if confirmation is None:
        raise Http404(_("ไม่พบไฟล์"))
    name = (confirmation.evidence.name or "evidence").rsplit("/", 1)[-1]
    return _download(confirmation.evidence, name)


def _download(stored: Any, name: str) -> FileResponse:
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("ไม่พบไฟล์")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type_for(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def process_risks(request: HttpRequest, process_id: int) -> HttpResponse:
    """The risks that happened in the cases of one process version (the manual page's list)."""
    try:
        process = manual_selectors.process_get(user=request.user, process_id=process_id)
    except NotFound:
        raise Http404(_("ไม่พบกระบวนงาน")) from None
    rows, total = process_risk_occurrences(user=request.user, process=process)
    return render(
        request,
        "workflow/_process_risks.html",
        {"process": process, "occurrences": rows, "total": total},
    )
