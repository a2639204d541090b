"""Reads of cases and step instances, the guarded getters, and the process KPI aggregate."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from krabuan.core.errors import NotFound
from krabuan.core.thai import to_arabic_digits
from krabuan.manual.models import Process, Step
from krabuan.org.models import Role
from krabuan.org.permissions import user_roles
from krabuan.workflow.models import (
    OPEN_STEP_STATUSES,
    Case,
    ControlConfirmation,
    StepInstance,
    StepStatus,
)
from krabuan.workflow.permissions import can_see_all_cases

DEFAULT_TARGET_PCT = Decimal(90)
_PERCENT = re.compile(r"ร้อยละ\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:%|เปอร์เซ็นต์)")
# The standard's parts: lines and numbered items ("๑. … ๒. …", read as Arabic digits).
_PARTS = re.compile(r"\n|(?:^|\s)(?=\d+\.\s)")
_TIME_WORDS = re.compile(r"เวลา|กำหนด|ทันเวลา|on time", re.IGNORECASE)
_AVAILABILITY_WORDS = re.compile(r"เสถียรภาพ|พร้อมใช้|availability|uptime", re.IGNORECASE)


def visible_cases(*, user: Any) -> QuerySet[Case]:
    """Cases a user may see: staff and auditors all, a requester only their own."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if can_see_all_cases(user):
        return Case.objects.all()
    return Case.objects.filter(requester=user)


def case_get(*, user: Any, case_id: int) -> Case:
    """One case with its steps; NotFound for missing and for not visible."""
    steps = StepInstance.objects.select_related(
        "step", "assignee", "assignee_unit"
    ).prefetch_related(
        "step__controls",
        Prefetch(
            "confirmations", queryset=ControlConfirmation.objects.select_related("confirmed_by")
        ),
        "risk_occurrences",
    )
    try:
        return (
            visible_cases(user=user)
            .select_related("process", "process__manual", "responsible_unit", "requester")
            .prefetch_related(
                Prefetch("steps", queryset=steps.order_by("order", "pass_no", "iteration"))
            )
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, OverflowError):
        raise NotFound("ไม่พบเรื่อง", code="case_not_found") from None


def step_instance_get(*, user: Any, case_id: int, order: int) -> StepInstance:
    """The current instance of step `order` of a case: the open one, else the latest pass."""
    case_ids = visible_cases(user=user).filter(pk=case_id).values("pk")
    qs = StepInstance.objects.select_related("step", "case", "case__process").filter(
        case_id__in=case_ids, order=order
    )
    instance = (
        qs.filter(status__in=OPEN_STEP_STATUSES).first()
        or qs.order_by("-pass_no", "-iteration").first()
    )
    if instance is None:
        raise NotFound("ไม่พบขั้นตอน", code="step_not_found")
    return instance


def case_list(
    *,
    user: Any,
    status: str | None = None,
    process_code: str | None = None,
    fiscal_year: int | None = None,
    unit_code: str | None = None,
    late: bool | None = None,
    search: str | None = None,
) -> QuerySet[Case]:
    """Cases visible to the user, filtered; rows carry open/late step counts."""
    qs = visible_cases(user=user).select_related("process", "responsible_unit", "requester")
    if status:
        qs = qs.filter(status=status)
    if process_code:
        qs = qs.filter(process__code=process_code)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if unit_code:
        qs = qs.filter(responsible_unit__code=unit_code)
    if search:
        term = to_arabic_digits(search.strip())
        qs = qs.filter(Q(title__icontains=term) | Q(reference__icontains=term))
    # Correlated subqueries, not a JOIN + GROUP BY: the database counts steps only for the rows
    # of the page it returns, instead of grouping every matching case (200k cases → seconds).
    qs = qs.annotate(
        late_steps=_step_count(breached=True),
        open_steps=_step_count(status__in=OPEN_STEP_STATUSES),
    )
    breached = Exists(StepInstance.objects.filter(case=OuterRef("pk"), breached=True))
    if late is True:
        qs = qs.filter(breached)
    elif late is False:
        qs = qs.filter(~breached)
    return qs.order_by("-started_at", "-id")


def _step_count(**filters: Any) -> Coalesce:
    counted = (
        StepInstance.objects.filter(case=OuterRef("pk"), **filters)
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), Value(0))


def my_steps_scope(*, user: Any, scope: str = "mine") -> Q:
    """Which open steps a scope covers: mine (assigned to me, or to my units and unassigned); a
    group head's scope "group" adds the whole group; a director's (or admin's) "all" adds
    everything. A scope the user may not have falls back to "mine"."""
    roles = user_roles(user)
    unit_ids = list(user.memberships.values_list("unit_id", flat=True))
    if scope == "all" and roles & {Role.DIRECTOR, Role.ADMIN}:
        return Q()
    if scope == "group" and roles & {Role.GROUP_HEAD, Role.DIRECTOR, Role.ADMIN}:
        return Q(assignee_unit_id__in=unit_ids) | Q(assignee=user)
    return Q(assignee=user) | Q(assignee__isnull=True, assignee_unit_id__in=unit_ids)


def my_steps(*, user: Any, scope: str = "mine") -> QuerySet[StepInstance]:
    """Open steps of a scope (`my_steps_scope`) by deadline."""
    if not getattr(user, "is_authenticated", False):
        return StepInstance.objects.none()
    qs = (
        StepInstance.objects.filter(status__in=OPEN_STEP_STATUSES)
        .filter(my_steps_scope(user=user, scope=scope))
        .select_related("case", "case__process", "step", "assignee", "assignee_unit")
    )
    # Steps without a deadline go last on every database (SQLite puts NULLs first by default).
    return qs.order_by(F("due_at").asc(nulls_last=True), "case__started_at", "id")


def my_steps_counts(*, user: Any, scopes: list[str], by: Any) -> dict[str, dict[Any, int]]:
    """Per scope, how many open steps it has for each value of the expression `by` (e.g. the
    urgency), in one grouped pass over the open steps of the widest scope."""
    counts: dict[str, dict[Any, int]] = {scope: {} for scope in scopes}
    if not getattr(user, "is_authenticated", False) or not scopes:
        return counts
    filters = {scope: my_steps_scope(user=user, scope=scope) for scope in scopes}
    widest = Q()
    if all(filters.values()):  # an empty Q is the scope "all": no filter at all
        for q in filters.values():
            widest |= q
    grouped: Any = (
        StepInstance.objects.filter(status__in=OPEN_STEP_STATUSES)
        .filter(widest)
        .annotate(group=by)
        .values("group")
        .annotate(
            **{
                f"n_{scope}": Count("id", filter=q) if q else Count("id")
                for scope, q in filters.items()
            }
        )
        .order_by()
    )
    for row in grouped:
        for scope in scopes:
            counts[scope][row["group"]] = row[f"n_{scope}"]
    return counts


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


def _case_ids_of(process: Process, fiscal_year: int) -> QuerySet[Case, Any]:
    # Ids of the process's cases of the year (all manual versions of the code), through the
    # (process, fiscal_year, status) index; step rows are then reached through their case_id
    # index instead of a scan of every done step joined to its case.
    versions = Process.objects.filter(
        code=process.code, manual__unit_id=process.manual.unit_id
    ).values("pk")
    return (
        Case.objects.filter(process_id__in=versions, fiscal_year=fiscal_year)
        .order_by()
        .values("pk")
    )


def _middle(n: int) -> tuple[int, ...]:
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
    middle = Q()
    for name, by_order in counts.items():
        for order, n in by_order.items():
            if n:
                middle |= Q(order=order, **{f"{name}_no__in": sorted(set(_middle(n)))})
    picked: dict[str, dict[int, list[float]]] = {name: {} for name in values}
    if not middle:
        return {name: {} for name in values}
    for row in (
        rows.annotate(**values)
        .annotate(**windows)
        .filter(middle)
        .values("order", *values, *windows)
    ):
        order = row["order"]
        for name in values:
            n = counts[name].get(order, 0)
            if n and row[f"{name}_no"] in _middle(n):
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
    planned, actual = medians["planned"], medians["actual"]
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
