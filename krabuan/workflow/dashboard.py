"""Reads for the process dashboard and the process page: every process of a fiscal year with its
case and step counts in two grouped aggregates (not one query per process), and the risks that
happened in a process's cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from krabuan.manual.models import Manual, Process
from krabuan.workflow.models import (
    Case,
    CaseStatus,
    RiskOccurrence,
    StepInstance,
    StepStatus,
)
from krabuan.workflow.selectors import open_late_filter, quality_target_pct, visible_cases

OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.WAITING)


@dataclass
class ProcessRow:
    """One process of the dashboard's fiscal year with its measured numbers."""

    process: Process
    cases_total: int = 0
    cases_open: int = 0
    cases_late: int = 0
    steps_total: int = 0
    steps_completed: int = 0
    steps_on_time: int = 0
    steps_late_open: int = 0
    target_pct: Decimal = Decimal(90)

    @property
    def on_time_pct(self) -> Decimal | None:
        if not self.steps_completed:
            return None
        return (Decimal(self.steps_on_time) * 100 / self.steps_completed).quantize(Decimal("0.01"))

    @property
    def meets_target(self) -> bool:
        pct = self.on_time_pct
        return pct is not None and pct >= self.target_pct


def dashboard_years() -> list[int]:
    """Fiscal years with a manual or with cases, newest first."""
    # order_by() clears the models' default ordering, which would otherwise leak into the
    # DISTINCT and return one row per case instead of one per year.
    years = set(Manual.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years |= set(Case.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    return sorted(years, reverse=True)


def manual_for_year(fiscal_year: int) -> Manual | None:
    """The manual of the year, else the newest one before it (cases of a year may run on the
    previous year's manual until the new one is published), else the oldest one."""
    qs = Manual.objects.select_related("unit").order_by("unit__sort_order")
    return (
        qs.filter(fiscal_year=fiscal_year).first()
        or qs.filter(fiscal_year__lt=fiscal_year).order_by("-fiscal_year").first()
        or qs.order_by("fiscal_year").first()
    )


def _measured(q_prefix: str = "") -> Q:
    # The same rule as selectors.process_kpi: steps with a deadline that were not skipped.
    return Q(**{f"{q_prefix}due_at__isnull": False}) & ~Q(
        **{f"{q_prefix}status__in": [StepStatus.SKIPPED, StepStatus.CANCELLED]}
    )


def process_overview(
    *, fiscal_year: int, now: dt.datetime
) -> tuple[Manual | None, list[ProcessRow]]:
    """Per process of the year's manual: cases (all, open, open with a step late now) and the
    counts of `process_kpi` (same rules), matched by process code within the manual's unit."""
    manual = manual_for_year(fiscal_year)
    if manual is None:
        return None, []
    processes = list(
        Process.objects.filter(manual=manual)
        .select_related("manual", "responsible_unit")
        .order_by("kind", "number")
    )
    steps = (
        StepInstance.objects.filter(
            case__fiscal_year=fiscal_year, case__process__manual__unit_id=manual.unit_id
        )
        .filter(_measured())
        .values("case__process__code")
        .annotate(
            steps_total=Count("id"),
            steps_completed=Count("id", filter=Q(status=StepStatus.DONE)),
            steps_on_time=Count("id", filter=Q(status=StepStatus.DONE, on_time=True)),
            steps_late_open=Count("id", filter=open_late_filter(now=now)),
        )
        .order_by()
    )
    overdue_now = StepInstance.objects.filter(case=OuterRef("pk")).filter(open_late_filter(now=now))
    open_case = Q(status__in=OPEN_CASE_STATUSES)
    cases = (
        Case.objects.filter(fiscal_year=fiscal_year, process__manual__unit_id=manual.unit_id)
        .values("process__code")
        .annotate(
            cases_total=Count("id"),
            cases_open=Count("id", filter=open_case),
            cases_late=Count("id", filter=open_case & Q(Exists(overdue_now))),
        )
        .order_by()
    )
    by_code: dict[str, dict[str, Any]] = {}
    for step_row in steps:
        counts = dict(step_row)
        by_code.setdefault(str(counts.pop("case__process__code")), {}).update(counts)
    for case_row in cases:
        counts = dict(case_row)
        by_code.setdefault(str(counts.pop("process__code")), {}).update(counts)
    rows = [
        ProcessRow(process=p, target_pct=quality_target_pct(p), **by_code.get(p.code, {}))
        for p in processes
    ]
    return manual, rows


@dataclass
class Bottlenecks:
    slowest: list[dict[str, Any]]
    most_late: list[dict[str, Any]]


def bottlenecks(review: list[dict[str, Any]], *, top: int = 3) -> Bottlenecks:
    """The steps with the highest actual median, and those most often late (from the review)."""
    timed = [r for r in review if r["actual_median_seconds"] is not None]
    slowest = sorted(timed, key=lambda r: (-r["actual_median_seconds"], r["order"]))[:top]
    late = sorted((r for r in review if r["late"]), key=lambda r: (-r["late"], r["order"]))[:top]
    return Bottlenecks(slowest=slowest, most_late=late)


def process_risk_occurrences(
    *, user: Any, process: Process, limit: int = 50
) -> tuple[list[RiskOccurrence], int]:
    """Risks recorded in the cases of one process version that the user may see, newest first,
    with the total count."""
    case_ids = visible_cases(user=user).filter(process=process).values("pk")
    qs = RiskOccurrence.objects.filter(step_instance__case_id__in=case_ids)
    rows = list(
        qs.select_related(
            "risk", "recorded_by", "step_instance__case", "step_instance__step"
        ).order_by("-recorded_at", "-id")[:limit]
    )
    total = len(rows) if len(rows) < limit else qs.count()
    return rows, total
