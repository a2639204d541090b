"""The process dashboard: per fiscal year, every process's open/late cases and % of steps done on
time against the manual's own target (one bar chart), and per process the planned vs actual
median duration of each step, its bottlenecks and the duration review table (CSV)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.errors import NotFound
from krabuan.core.thai import fiscal_year_of
from krabuan.manual import selectors as manual_selectors
from krabuan.manual.models import Process
from krabuan.org.permissions import role_required
from krabuan.workflow import charts
from krabuan.workflow.dashboard import (
    ProcessRow,
    bottlenecks,
    dashboard_years,
    duration_review,
    process_numbers,
    process_overview,
)
from krabuan.workflow.display import format_seconds
from krabuan.workflow.forms import YearForm
from krabuan.workflow.permissions import SEE_ALL_CASES
from krabuan.workflow.views.common import csv_response

dashboard_access = role_required(SEE_ALL_CASES)


def _year(request: HttpRequest, years: list[int], default: int) -> tuple[YearForm, int]:
    form = YearForm(request.GET)
    wanted = form.value()
    if wanted is None:
        return form, default
    if wanted not in years:
        messages.warning(
            request, _("ไม่มีข้อมูลปีงบประมาณ %(y)s แสดงปี %(d)s แทน") % {"y": wanted, "d": default}
        )
        return form, default
    return form, wanted


@dashboard_access
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every process of the fiscal year: cases open/late and % steps on time vs the target."""
    now = timezone.now()
    years = dashboard_years()
    current = fiscal_year_of(now)
    default = current if current in years else (years[0] if years else current)
    form, year = _year(request, years, default)
    manual, rows = process_overview(fiscal_year=year, now=now)
    if request.GET.get("format") == "csv":
        return _overview_csv(rows, year)
    chart = charts.kpi_chart(
        [
            charts.KpiBar(
                label=r.process.code,
                title=_("%(code)s %(name)s: %(pct)s (เป้าหมาย %(target)s%%)")
                % {
                    "code": r.process.code,
                    "name": r.process.name,
                    "pct": f"{r.on_time_pct}%" if r.on_time_pct is not None else "-",
                    "target": r.target_pct,
                },
                value_pct=float(r.on_time_pct) if r.on_time_pct is not None else None,
                target_pct=float(r.target_pct),
            )
            for r in rows
        ],
        title=_("ร้อยละของขั้นตอนที่เสร็จทันเวลา ปีงบประมาณ %(y)s") % {"y": year},
    )
    totals = {
        "cases_open": sum(r.cases_open for r in rows),
        "cases_late": sum(r.cases_late for r in rows),
        "steps_completed": sum(r.steps_completed for r in rows),
        "steps_on_time": sum(r.steps_on_time for r in rows),
        "meeting": sum(1 for r in rows if r.meets_target),
        "measured": sum(1 for r in rows if r.on_time_pct is not None),
    }
    context = {
        "form": form,
        "years": years or [year],
        "year": year,
        "manual": manual,
        "rows": rows,
        # The chart escapes every text it draws, so it can go into the page as markup.
        "chart": mark_safe(chart),  # noqa: S308
        "totals": totals,
    }
    return render(request, "workflow/dashboard.html", context)


def _overview_csv(rows: list[ProcessRow], year: int) -> HttpResponse:
    header = [
        _("ปีงบประมาณ"),
        _("รหัส"),
        _("กระบวนงาน"),
        _("เรื่องทั้งหมด"),
        _("กำลังดำเนินการ"),
        _("เกินกำหนดอยู่"),
        _("ขั้นตอนที่มีกำหนดเสร็จ"),
        _("ขั้นตอนที่เสร็จ"),
        _("ทันเวลา"),
        _("ร้อยละทันเวลา"),
        _("เป้าหมาย (ร้อยละ)"),
        _("ถึงเป้าหมาย"),
    ]
    body = (
        [
            year,
            r.process.code,
            r.process.name,
            r.cases_total,
            r.cases_open,
            r.cases_late,
            r.steps_total,
            r.steps_completed,
            r.steps_on_time,
            "" if r.on_time_pct is None else r.on_time_pct,
            r.target_pct,
            "" if r.on_time_pct is None else (_("ใช่") if r.meets_target else _("ไม่")),
        ]
        for r in rows
    )
    return csv_response(f"process-dashboard-{year}.csv", header, body)


def _review_csv(process: Process, year: int, review: list[dict]) -> HttpResponse:
    header = [
        _("ลำดับขั้นตอน"),
        _("ขั้นตอนการทำงาน"),
        _("ระยะเวลาตามคู่มือ"),
        _("จำนวนครั้งที่เสร็จ"),
        _("จำนวนครั้งที่ล่าช้า"),
        _("ค่ามัธยฐานเวลาที่กำหนด (ชั่วโมง)"),
        _("ค่ามัธยฐานเวลาที่ใช้จริง (ชั่วโมง)"),
        _("ค่ามัธยฐานเวลาที่กำหนด"),
        _("ค่ามัธยฐานเวลาที่ใช้จริง"),
    ]

    def hours(seconds: float | None) -> str:
        return "" if seconds is None else f"{seconds / 3600:.2f}"

    rows = (
        [
            r["order"],
            r["activity"],
            r["duration_text"],
            r["count"],
            r["late"],
            hours(r["planned_median_seconds"]),
            hours(r["actual_median_seconds"]),
            format_seconds(r["planned_median_seconds"], thai_digits=False),
            format_seconds(r["actual_median_seconds"], thai_digits=False),
        ]
        for r in review
        if r["exceeds_plan"]
    )
    return csv_response(f"duration-review-{process.code}-{year}.csv", header, rows)


@dashboard_access
@require_GET
def process_dashboard(request: HttpRequest, process_id: int) -> HttpResponse:
    """One process: KPI, median planned vs actual per step (chart and table), bottlenecks,
    and the steps whose actual median exceeds the plan (?format=csv exports them)."""
    try:
        process = manual_selectors.process_get(user=request.user, process_id=process_id)
    except NotFound:
        raise Http404(_("ไม่พบกระบวนงาน")) from None
    years = dashboard_years()
    form, year = _year(request, years, process.manual.fiscal_year)
    review = duration_review(process=process, fiscal_year=year)
    if request.GET.get("format") == "csv":
        return _review_csv(process, year, review)
    kpi = process_numbers(process=process, fiscal_year=year, now=timezone.now())
    labels = {s.order: s.label or str(s.order) for s in process.steps.all()}
    chart = charts.duration_chart(
        [
            charts.DurationBar(
                label=_("ขั้นที่ %(n)s") % {"n": labels.get(r["order"], r["order"])},
                title=r["activity"],
                planned_seconds=r["planned_median_seconds"],
                actual_seconds=r["actual_median_seconds"],
            )
            for r in review
        ],
        title=_("ค่ามัธยฐานเวลาที่กำหนดและที่ใช้จริงของแต่ละขั้นตอน"),
    )
    for r in review:
        r["label"] = labels.get(r["order"], str(r["order"]))
    context = {
        "process": process,
        "form": form,
        "years": years or [year],
        "year": year,
        "kpi": kpi,
        "review": review,
        "exceeding": [r for r in review if r["exceeds_plan"]],
        "bottlenecks": bottlenecks(review),
        "chart": mark_safe(chart),  # noqa: S308
    }
    return render(request, "workflow/process_dashboard.html", context)
