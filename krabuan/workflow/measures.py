"""The process KPI and the duration review computed from the step rows: the definitions. The
dashboards read the same numbers from the summary the engine keeps (krabuan/workflow/dashboard.py,
services/stats.py); the tests hold the two equal. The KPI API reads these directly."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from krabuan.core.thai import to_arabic_digits
from krabuan.manual.models import Process, Step
from krabuan.workflow.models import OPEN_STEP_STATUSES, Case, StepInstance, StepStatus

DEFAULT_TARGET_PCT = Decimal(90)
_PERCENT = re.compile(r"ร้อยละ\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:%|เปอร์เซ็นต์)")
# The standard's parts: lines and numbered items ("๑. … ๒. …", read as Arabic digits).
_PARTS = re.compile(r"\n|(?:^|\s)(?=\d+\.\s)")
_TIME_WORDS = re.compile(r"เวลา|กำหนด|ทันเวลา|on time", re.IGNORECASE)
_AVAILABILITY_WORDS = re.compile(r"เสถียรภาพ|พร้อมใช้|availability|uptime", re.IGNORECASE)


def quality_target_pct(process: Process) -> Decimal:
    """The manual's own on-time target ("ร้อยละ ๙๐ …" in the quality standard), else 90%.

    A percentage in a part of the standard that talks about time wins; a percentage about the
    availability of a system ("…มีเสถียรภาพ…ไม่น้อยกว่าร้อยละ ๙๕") is not an on-time target."""
    timed: list[Decimal] = []
    plain: list[Decimal] = []
    for part in _PARTS.split(to_arabic_digits(process.quality_standard or "")):
        match = _PERCENT.search(part)
        if match is None or _AVAILABILITY_WORDS.search(part):
            continue
        value = Decimal(match[1] or match[2])
        if 0 < value <= 100:
            (timed if _TIME_WORDS.search(part) else plain).append(value)
    if timed or plain:
        return (timed or plain)[0]
    return DEFAULT_TARGET_PCT


def _measured_steps(process: Process, fiscal_year: int) -> QuerySet[StepInstance]:
    # The same process across manual versions shares its code; cases count in the fiscal year
    # they started in. Skipped and cancelled steps and steps without a deadline are not measured.
    return (
        StepInstance.objects.filter(
            case_id__in=_case_ids_of(process, fiscal_year), due_at__isnull=False
        )
        .exclude(status__in=[StepStatus.SKIPPED, StepStatus.CANCELLED])
        .order_by()
    )


def open_late_filter(*, now: dt.datetime | None = None) -> Q:
    """Open steps already late: marked breached by the sweep, or past due before it runs."""
    return Q(status__in=OPEN_STEP_STATUSES) & (
        Q(breached=True) | Q(due_at__lt=now or timezone.now())
    )


def process_kpi(*, process: Process, fiscal_year: int) -> dict[str, Any]:
    """Steps done within the set time: one aggregate over step rows with a deadline.

    on_time_pct = steps completed on time / steps completed (the manual's "ร้อยละของขั้นตอนที่
    แล้วเสร็จภายในระยะเวลาที่กำหนด"); open steps already past their deadline are counted apart in
    steps_late_open (breached, or past due before the sweep marks them) so they stay visible."""
    totals = _measured_steps(process, fiscal_year).aggregate(
        steps_total=Count("id"),
        steps_completed=Count("id", filter=Q(status=StepStatus.DONE)),
        steps_on_time=Count("id", filter=Q(status=StepStatus.DONE, on_time=True)),
        steps_late_open=Count("id", filter=open_late_filter()),
    )
    return kpi_result(process=process, fiscal_year=fiscal_year, totals=totals)


def kpi_result(*, process: Process, fiscal_year: int, totals: dict[str, int]) -> dict[str, Any]:
    """The KPI's answer from its four counts: percentage on time, target, met or not."""
    completed = totals["steps_completed"]
    pct = (
        (Decimal(totals["steps_on_time"]) * 100 / completed).quantize(Decimal("0.01"))
        if completed
        else None
    )
    target = quality_target_pct(process)
    return {
        "process": process.pk,
        "fiscal_year": fiscal_year,
        **totals,
        "on_time_pct": float(pct) if pct is not None else None,
        "target_pct": float(target),
        "meets_target": bool(pct is not None and pct >= target),
    }


class ElapsedSeconds(Func):
    """Seconds from `start` to `end` as a float, in SQL on both databases."""

    output_field = FloatField()
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"
    arg_joiner = " - "

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # SQLite keeps time in whole milliseconds internally, so round to them: 7200.0 stays
        # 7200.0 instead of 7199.99999997.
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0, 3)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def process_versions(process: Process) -> QuerySet[Process, Any]:
    """Ids of every manual version of a process: the same code in the same unit's manuals."""
    return Process.objects.filter(code=process.code, manual__unit_id=process.manual.unit_id).values(
        "pk"
    )


def _case_ids_of(process: Process, fiscal_year: int) -> QuerySet[Case, Any]:
    # Ids of the process's cases of the year (all manual versions of the code), through the
    # (process, fiscal_year, status) index; step rows are then reached through their case_id
    # index instead of a scan of every done step joined to its case.
    versions = process_versions(process)
    return (
        Case.objects.filter(process_id__in=versions, fiscal_year=fiscal_year)
        .order_by()
        .values("pk")
    )


def middle(n: int) -> tuple[int, ...]:
    # 1-based positions of the middle row(s) of n sorted values.
    return (n + 1) // 2, (n + 2) // 2


def _medians(
    rows: QuerySet[StepInstance], values: dict[str, Any], counts: dict[str, dict[int, int]]
) -> dict[str, dict[int, float]]:
    """Per value and step order, the median over the rows where the value is not NULL
    (`counts` has how many there are): the rows are numbered by each value within their order
    (ROW_NUMBER, NULLs last, on both databases) and only the middle row (odd count) or two
    middle rows (even count) of each order leave the database, whatever the volume."""
    windows = {
        f"{name}_no": Window(
            RowNumber(), partition_by=[F("order")], order_by=F(name).asc(nulls_last=True)
        )
        for name in values
    }
    wanted = Q()
    for name, by_order in counts.items():
        for order, n in by_order.items():
            if n:
                wanted |= Q(order=order, **{f"{name}_no__in": sorted(set(middle(n)))})
    picked: dict[str, dict[int, list[float]]] = {name: {} for name in values}
    if not wanted:
        return {name: {} for name in values}
    for row in (
        rows.annotate(**values)
        .annotate(**windows)
        .filter(wanted)
        .values("order", *values, *windows)
    ):
        order = row["order"]
        for name in values:
            n = counts[name].get(order, 0)
            if n and row[f"{name}_no"] in middle(n):
                picked[name].setdefault(order, []).append(row[name])
    return {
        name: {order: statistics.mean(v) for order, v in by.items()} for name, by in picked.items()
    }


def step_duration_review(*, process: Process, fiscal_year: int) -> list[dict[str, Any]]:
    """Per step order: median planned vs actual duration (seconds from start to completion,
    minus time paused) of completed instances; a step whose actual median exceeds the planned
    one is the input for next year's revision. Steps without a deadline are listed with no plan
    (their actual durations help set one).

    Counts and medians come from SQL, exact on SQLite and PostgreSQL alike (percentile_cont has
    no SQLite counterpart, and an approximate median would move the "exceeds plan" line): one
    grouped count per order, then ROW_NUMBER within each order keeps the middle rows only. On
    SQLite actual durations are exact to the millisecond. Activity and duration text are those
    of the newest step version the rows ran on."""
    rows = StepInstance.objects.filter(
        case_id__in=_case_ids_of(process, fiscal_year),
        status=StepStatus.DONE,
        started_at__isnull=False,
        completed_at__isnull=False,
    ).order_by()
    totals = {
        t["order"]: t
        for t in rows.values("order").annotate(
            count=Count("id"),
            late=Count("id", filter=Q(on_time=False)),
            planned_count=Count("planned_seconds"),
            last_step=Max("step_id"),
        )
    }
    if not totals:
        return []
    seconds = ElapsedSeconds(F("completed_at"), F("started_at")) - Coalesce(
        F("paused_seconds"), Value(0), output_field=FloatField()
    )
    medians = _medians(
        rows,
        {
            "planned": ExpressionWrapper(F("planned_seconds"), FloatField()),
            "actual": ExpressionWrapper(seconds, FloatField()),
        },
        {
            "planned": {order: t["planned_count"] for order, t in totals.items()},
            "actual": {order: t["count"] for order, t in totals.items()},
        },
    )
    return review_rows(totals, planned=medians["planned"], actual=medians["actual"])


def review_rows(
    totals: Mapping[int, Mapping[str, Any]],
    *,
    planned: dict[int, float],
    actual: dict[int, float],
) -> list[dict[str, Any]]:
    """The review's rows from the per-order counts (count, late, last_step) and medians."""
    steps = Step.objects.order_by().in_bulk([t["last_step"] for t in totals.values()])
    result = []
    for order in sorted(totals):
        t = totals[order]
        step = steps[t["last_step"]]
        planned_median = planned.get(order)
        actual_median = actual.get(order)
        result.append(
            {
                "order": order,
                "activity": step.activity,
                "duration_text": step.duration_text,
                "count": t["count"],
                "late": t["late"],
                "planned_median_seconds": planned_median,
                "actual_median_seconds": actual_median,
                "exceeds_plan": bool(
                    planned_median is not None
                    and actual_median is not None
                    and actual_median > planned_median
                ),
            }
        )
    return result
