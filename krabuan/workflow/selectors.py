"""Reads of cases and step instances, and the guarded getters. The process KPI and the duration
review from the rows are in krabuan/workflow/measures.py (importable from here as before)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from krabuan.core.errors import NotFound
from krabuan.manual.models import Process
from krabuan.org.models import Role, Unit
from krabuan.org.permissions import user_roles
from krabuan.workflow import search as case_search

# The KPI and the review stay importable from the selectors, where their callers found them.
from krabuan.workflow.measures import (  # noqa: F401
    DEFAULT_TARGET_PCT,
    ElapsedSeconds,
    kpi_result,
    middle,
    open_late_filter,
    process_kpi,
    process_versions,
    quality_target_pct,
    review_rows,
    step_duration_review,
)
from krabuan.workflow.models import (
    OPEN_STEP_STATUSES,
    Case,
    ControlConfirmation,
    StepInstance,
)
from krabuan.workflow.permissions import can_see_all_cases


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
    """Cases visible to the user, filtered; rows carry open/late step counts. Read a page of
    it with `case_list_page`, which computes those counts for the page's rows only."""
    qs = visible_cases(user=user)
    if status:
        qs = qs.filter(status=status)
    # Codes become id subqueries, not joins: the database then uses the case table's own
    # (process, …) and (fiscal_year, process, status) indexes and counts without a join.
    if process_code:
        qs = qs.filter(process_id__in=Process.objects.filter(code=process_code).values("pk"))
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if unit_code:
        qs = qs.filter(responsible_unit_id__in=Unit.objects.filter(code=unit_code).values("pk"))
    if search and search.strip():
        qs = case_search.search_filter(qs, search)
    if late is not None:
        qs = qs.filter(late=late)
    return with_step_counts(qs).order_by("-started_at", "-id")


def case_list_count(qs: QuerySet[Case], *, user: Any, search: str | None, narrowed: bool) -> int:
    """How many cases a list has. A search over every case (a user who sees all, no other
    filter) is counted in the full-text index alone; otherwise the database counts `qs`."""
    if search and search.strip() and not narrowed and can_see_all_cases(user):
        counted = case_search.search_count(search)
        if counted is not None:
            return counted
    return qs.count()


SEARCH_COUNT_CAP = 1000


def case_list_count_capped(
    qs: QuerySet[Case], *, user: Any, search: str | None, narrowed: bool
) -> tuple[int, bool]:
    """The count of a case list for people reading it, and whether there are more: a search
    narrowed by another filter is counted up to SEARCH_COUNT_CAP only ("more than 1,000"), as
    search pages do. Counting every match of a broad word among the filtered cases reads
    every matching case twice (the word's index rows, then each case), a hundred and more
    milliseconds at 200,000 cases; the first thousand are found in a fraction of that. The
    API (`case_list_count`) still counts exactly."""
    if search and search.strip() and (narrowed or not can_see_all_cases(user)):
        found = qs.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
        return min(found, SEARCH_COUNT_CAP), found > SEARCH_COUNT_CAP
    return case_list_count(qs, user=user, search=search, narrowed=narrowed), False


def with_step_counts(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with their late and open step counts and the rows a list shows beside them."""
    # Correlated subqueries, not a JOIN + GROUP BY: the database counts steps only for the rows
    # it returns, instead of grouping every matching case (200k cases → seconds).
    return qs.select_related("process", "responsible_unit", "requester").annotate(
        late_steps=_step_count(breached=True),
        open_steps=_step_count(status__in=OPEN_STEP_STATUSES),
    )


def case_list_page(
    qs: QuerySet[Case],
    *,
    start: int,
    stop: int,
    extend: Callable[[QuerySet[Case]], QuerySet[Case]] | None = None,
) -> list[Case]:
    """Rows start..stop of a case list, in two reads: the ids of the slice on the case table
    alone (filters, order, slice), then those rows with their step counts (`extend` adds what
    the caller shows). When the order needs a sort (a search, a sort by priority), a database
    computes every selected column of every matching row before sorting them, so one query
    would count the steps of thousands of cases to show fifty."""
    ids = list(qs.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = with_step_counts(Case.objects.filter(pk__in=ids)).order_by()
    if extend is not None:
        rows = extend(rows)
    by_id = {case.pk: case for case in rows}
    return [by_id[pk] for pk in ids]


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
    # Ties go by step id, the order the steps were created in: sorting by the case's start
    # instead joined every open step to its case before the sort (12,000 rows for a director's
    # "all": 28 ms on SQLite, against 3 ms from the open-step index alone).
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


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


def case_years() -> list[int]:
    """Fiscal years that have cases, newest first. A recursive query jumps from year to year
    down the fiscal_year index (one probe per year) instead of reading all of it (one entry
    per case) as DISTINCT would."""
    table = Case._meta.db_table
    sql = f"""
        WITH RECURSIVE years(y) AS (
            SELECT MAX(fiscal_year) FROM {table}
            UNION ALL
            SELECT (SELECT MAX(fiscal_year) FROM {table} WHERE fiscal_year < years.y)
            FROM years WHERE years.y IS NOT NULL
        )
        SELECT y FROM years WHERE y IS NOT NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [int(row[0]) for row in cursor.fetchall()]
