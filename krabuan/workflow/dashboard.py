"""Reads for the process dashboard and the process page. The step counts and durations come
from the summary the engine keeps (StepStats and StepDuration, krabuan/workflow/services/
stats.py): a few rows per process and year instead of every step row. What depends on the
clock (open steps late *now*) is counted on the open step rows, which are few. The numbers are
those of measures.process_kpi and measures.step_duration_review, which compute them from the
rows; the tests hold the two equal."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from krabuan.manual.models import Manual, Process
from krabuan.workflow.measures import (
    kpi_result,
    middle,
    open_late_filter,
    process_versions,
    quality_target_pct,
    review_rows,
)
from krabuan.workflow.models import (
    Case,
    CaseStatus,
    RiskOccurrence,
    StepDuration,
    StepInstance,
    StepStats,
)
from krabuan.workflow.selectors import case_years, visible_cases

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
    # DISTINCT and return one row per manual instead of one per year.
    years = set(Manual.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years |= set(case_years())
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


def _late_steps(now: dt.datetime, fiscal_year: int) -> QuerySet[StepInstance]:
    """Open steps late now (measures.open_late_filter) of the year's cases."""
    qs = StepInstance.objects.filter(open_late_filter(now=now))
    if connection.vendor == "sqlite":
        # SQLite keeps no statistics and would start the join from the year's 40,000 cases
        # through the fiscal_year index. Compared as `fiscal_year + 0` (the same test, but no
        # index can serve it), it starts from the few open steps (workflow_step_open_idx).
        # PostgreSQL plans by statistics and would be misled by the expression.
        year = ExpressionWrapper(F("case__fiscal_year") + 0, IntegerField())
        return qs.alias(case_year=year).filter(case_year=fiscal_year)
    return qs.filter(case__fiscal_year=fiscal_year)


_STEP_SUMS = {
    "steps_total": Coalesce(Sum("measured"), 0),
    "steps_completed": Coalesce(Sum("completed"), 0),
    "steps_on_time": Coalesce(Sum("on_time"), 0),
}


def process_overview(
    *, fiscal_year: int, now: dt.datetime
) -> tuple[Manual | None, list[ProcessRow]]:
    """Per process of the year's manual: cases (all, open, open with a step late now) and the
    counts of `process_kpi` (same rules), matched by process code within the manual's unit."""
    manual = manual_for_year(fiscal_year)
    if manual is None:
        return None, []
    # Every version of the unit's processes (one query): the year's manual's ones are the rows,
    # and the counts, grouped by the process id of each row (no join per row), add up by code.
    versions = list(
        Process.objects.filter(manual__unit_id=manual.unit_id).select_related(
            "manual", "responsible_unit"
        )
    )
    processes = sorted(
        (p for p in versions if p.manual_id == manual.pk), key=lambda p: (p.kind, p.number)
    )
    codes = {p.pk: p.code for p in versions}
    ids = list(codes)
    steps = (
        StepStats.objects.filter(fiscal_year=fiscal_year, process_id__in=ids)
        .values("process_id")
        .annotate(**_STEP_SUMS)
        .order_by()
    )
    # A step counts among the measured ones only with a deadline, while a case is late with
    # any late open step (as process_kpi and the case list count them).
    late = (
        _late_steps(now, fiscal_year)
        .filter(case__process_id__in=ids)
        .values("case__process_id")
        .annotate(
            # case_id, not id: every column then is in workflow_step_open_idx.
            steps_late_open=Count("case_id", filter=Q(due_at__isnull=False)),
            cases_late=Count(
                "case_id", distinct=True, filter=Q(case__status__in=OPEN_CASE_STATUSES)
            ),
        )
        .order_by()
    )
    cases = (
        Case.objects.filter(fiscal_year=fiscal_year, process_id__in=ids)
        .values("process_id")
        .annotate(
            cases_total=Count("id"),
            cases_open=Count("id", filter=Q(status__in=OPEN_CASE_STATUSES)),
        )
        .order_by()
    )
    by_code: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    grouped_rows: list[tuple[Any, str]] = [
        (steps, "process_id"),
        (late, "case__process_id"),
        (cases, "process_id"),
    ]
    for grouped, key in grouped_rows:
        for row in grouped:
            counts: dict[str, int] = dict(row)
            summed = by_code[codes[counts.pop(key)]]
            for name, n in counts.items():
                summed[name] += n
    rows = [
        ProcessRow(process=p, target_pct=quality_target_pct(p), **by_code.get(p.code, {}))
        for p in processes
    ]
    return manual, rows


def process_numbers(*, process: Process, fiscal_year: int, now: dt.datetime) -> dict[str, Any]:
    """measures.process_kpi of one process and year, from the summary."""
    versions = process_versions(process)
    totals = StepStats.objects.filter(process__in=versions, fiscal_year=fiscal_year).aggregate(
        **_STEP_SUMS
    )
    # The year's cases of the process as an id list (from the (fiscal_year, process, status)
    # index), probed by the scan of the open steps' index: neither table is read.
    cases = Case.objects.filter(process_id__in=versions, fiscal_year=fiscal_year).values("pk")
    totals["steps_late_open"] = StepInstance.objects.filter(
        open_late_filter(now=now), due_at__isnull=False, case_id__in=cases
    ).count()
    return kpi_result(process=process, fiscal_year=fiscal_year, totals=totals)


@dataclass
class _Order:
    """The summary rows of one step order (one per process version)."""

    stats_ids: list[int] = field(default_factory=list)
    count: int = 0
    late: int = 0
    planned_count: int = 0
    last_step: int = 0


def duration_review(*, process: Process, fiscal_year: int) -> list[dict[str, Any]]:
    """measures.step_duration_review from the summary: the counts add up the StepStats rows of
    the process's versions, and each median is read from the middle of the (stats, seconds)
    index of StepDuration, all in one query (a sorted walk of half the order's rows at most)."""
    orders: dict[int, _Order] = defaultdict(_Order)
    for pk, order, done, late, with_plan, last_step in StepStats.objects.filter(
        process__in=process_versions(process), fiscal_year=fiscal_year, done__gt=0
    ).values_list("id", "order", "done", "done_late", "done_planned", "last_step_id"):
        o = orders[order]
        o.stats_ids.append(pk)
        o.count, o.late, o.planned_count = (
            o.count + done,
            o.late + late,
            o.planned_count + with_plan,
        )
        o.last_step = max(o.last_step, last_step or 0)
    if not orders:
        return []
    planned, actual = _index_medians(orders)
    totals = {
        order: {"count": o.count, "late": o.late, "last_step": o.last_step}
        for order, o in orders.items()
    }
    return review_rows(totals, planned=planned, actual=actual)


def _index_medians(orders: dict[int, _Order]) -> tuple[dict[int, float], dict[int, float]]:
    """Per order, the medians of planned and actual seconds: the middle one or two values of
    each, by LIMIT/OFFSET on the index, in one UNION ALL."""
    table = StepDuration._meta.db_table
    parts: list[str] = []
    params: list[Any] = []
    for order, o in orders.items():
        for kind, column, n in (
            ("planned", "planned_seconds", o.planned_count),
            ("actual", "actual_seconds", o.count),
        ):
            if not n:
                continue
            first, last = middle(n)
            marks = ", ".join(["%s"] * len(o.stats_ids))
            parts.append(
                f"SELECT * FROM (SELECT %s AS o, %s AS k, {column} AS v "  # noqa: S608
                f"FROM {table} "
                f"WHERE stats_id IN ({marks}) AND {column} IS NOT NULL "
                f"ORDER BY {column} LIMIT %s OFFSET %s) AS m{len(parts)}"
            )
            params += [order, kind, *o.stats_ids, last - first + 1, first - 1]
    picked: dict[str, dict[int, list[float]]] = {"planned": {}, "actual": {}}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for order, kind, value in cursor.fetchall():
            picked[kind].setdefault(int(order), []).append(float(value))
    medians = {
        kind: {order: statistics.mean(v) for order, v in by.items()} for kind, by in picked.items()
    }
    return medians["planned"], medians["actual"]


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
