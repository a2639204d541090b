"""The dashboards' summary: StepStats (per process version, fiscal year and step order) and
StepDuration (per completed step row), kept in step with the step rows by the engine's services.

Every service that changes a step row takes `counts_of(row)` before the change and calls
`step_changed` after it; the difference of the row's counts goes into its StepStats row with
one upsert (`INSERT … ON CONFLICT DO UPDATE SET n = n + …`, atomic on both databases), in the
service's transaction, so the summary commits or rolls back with the rows. A row that becomes
done also gets its StepDuration, with the seconds computed in SQL by the expression the row-based
duration review uses. Done rows never change again, so the durations are only ever added.

`stats_rebuild` recomputes everything from the rows, with the same rules: after a bulk load (the
benchmark), for data written outside the services, or to check the incremental totals
(`krabuan workflow_stats_rebuild`). The rules are those of measures.process_kpi and
measures.step_duration_review; the tests hold both ways of counting equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Coalesce

from krabuan.workflow.measures import ElapsedSeconds
from krabuan.workflow.models import StepDuration, StepInstance, StepStats, StepStatus

_UNMEASURED = (StepStatus.SKIPPED, StepStatus.CANCELLED)
_FIELDS = ("measured", "completed", "on_time", "done", "done_late", "done_planned")


class Counts(NamedTuple):
    """What one step row adds to its StepStats row (each 0 or 1)."""

    measured: int = 0
    completed: int = 0
    on_time: int = 0
    done: int = 0
    done_late: int = 0
    done_planned: int = 0


def counts_of(row: StepInstance) -> Counts:
    """The row's counts, by the rules of process_kpi and step_duration_review."""
    measured = row.due_at is not None and row.status not in _UNMEASURED
    completed = measured and row.status == StepStatus.DONE
    done = (
        row.status == StepStatus.DONE
        and row.started_at is not None
        and row.completed_at is not None
    )
    return Counts(
        measured=int(measured),
        completed=int(completed),
        on_time=int(completed and row.on_time is True),
        done=int(done),
        done_late=int(done and row.on_time is False),
        done_planned=int(done and row.planned_seconds is not None),
    )


_UPSERT = f"""
    INSERT INTO {StepStats._meta.db_table}
        (process_id, fiscal_year, "order", {", ".join(_FIELDS)}, last_step_id)
    VALUES (%s, %s, %s, {", ".join("%s" for _ in _FIELDS)}, %s)
    ON CONFLICT (process_id, fiscal_year, "order") DO UPDATE SET
        {", ".join(f"{f} = {StepStats._meta.db_table}.{f} + excluded.{f}" for f in _FIELDS)},
        last_step_id = CASE
            WHEN {StepStats._meta.db_table}.last_step_id IS NULL
                OR excluded.last_step_id > {StepStats._meta.db_table}.last_step_id
            THEN excluded.last_step_id
            ELSE {StepStats._meta.db_table}.last_step_id END
    RETURNING id
"""  # noqa: S608


def _bump(
    *, process_id: int, fiscal_year: int, order: int, delta: Counts, last_step_id: int | None
) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [process_id, fiscal_year, order, *delta, last_step_id])
        return int(cursor.fetchone()[0])


def _durations_select(rows: QuerySet[StepInstance], stats: Any) -> tuple[str, tuple[Any, ...]]:
    """SELECT stats id, planned seconds, actual seconds of done rows, with the expressions of
    the row-based review (exactly the same numbers, to the database's precision)."""
    seconds = ElapsedSeconds(F("completed_at"), F("started_at")) - Coalesce(
        F("paused_seconds"), Value(0), output_field=FloatField()
    )
    qs = (
        rows.filter(status=StepStatus.DONE, started_at__isnull=False, completed_at__isnull=False)
        .order_by()
        .annotate(
            stats_ref=stats,
            planned=ExpressionWrapper(F("planned_seconds"), FloatField()),
            actual=ExpressionWrapper(seconds, FloatField()),
        )
        .values_list("stats_ref", "planned", "actual")
    )
    return qs.query.sql_with_params()


def _durations_insert(rows: QuerySet[StepInstance], stats: Any) -> None:
    sql, params = _durations_select(rows, stats)
    table = StepDuration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (stats_id, planned_seconds, actual_seconds) {sql}", params
        )


def step_changed(*, row: StepInstance, before: Counts) -> None:
    """Add the change of one saved step row (counts `before` → now) to the summary."""
    after = counts_of(row)
    delta = Counts(*(a - b for a, b in zip(after, before, strict=True)))
    if not any(delta):
        return
    case = row.case
    became_done = delta.done > 0
    stats_id = _bump(
        process_id=case.process_id,
        fiscal_year=case.fiscal_year,
        order=row.order,
        delta=delta,
        last_step_id=row.step_id if became_done else None,
    )
    if became_done:
        _durations_insert(StepInstance.objects.filter(pk=row.pk), Value(stats_id))


def steps_cancelled(*, case: Any, rows: Iterable[StepInstance]) -> None:
    """Rows of a case about to be set cancelled in bulk: take their counts out (a cancelled
    row counts nowhere)."""
    by_order: dict[int, list[int]] = defaultdict(lambda: [0] * len(_FIELDS))
    for row in rows:
        counts = counts_of(row)
        by_order[row.order] = [n + c for n, c in zip(by_order[row.order], counts, strict=True)]
    for order, summed in by_order.items():
        delta = Counts(*(-n for n in summed))
        if any(delta):
            _bump(
                process_id=case.process_id,
                fiscal_year=case.fiscal_year,
                order=order,
                delta=delta,
                last_step_id=None,
            )


def _measured() -> Q:
    # measures.process_kpi / dashboard.process_overview: with a deadline, not skipped.
    return Q(due_at__isnull=False) & ~Q(status__in=_UNMEASURED)


def _done() -> Q:
    return Q(status=StepStatus.DONE, started_at__isnull=False, completed_at__isnull=False)


def _grouped() -> QuerySet[StepInstance, Any]:
    """Per (process version, fiscal year, order), the counts of every row, in SQL."""
    done = StepStatus.DONE
    return (
        StepInstance.objects.order_by()
        .values("case__process_id", "case__fiscal_year", "order")
        .annotate(
            n_measured=Count("id", filter=_measured()),
            n_completed=Count("id", filter=_measured() & Q(status=done)),
            n_on_time=Count("id", filter=_measured() & Q(status=done, on_time=True)),
            n_done=Count("id", filter=_done()),
            n_done_late=Count("id", filter=_done() & Q(on_time=False)),
            n_done_planned=Count("id", filter=_done() & Q(planned_seconds__isnull=False)),
            n_last_step=Max("step_id", filter=_done()),
        )
        .filter(
            Q(n_measured__gt=0)
            | Q(n_completed__gt=0)
            | Q(n_on_time__gt=0)
            | Q(n_done__gt=0)
            | Q(n_done_late__gt=0)
            | Q(n_done_planned__gt=0)
        )
        .values_list(
            "case__process_id",
            "case__fiscal_year",
            "order",
            *(f"n_{f}" for f in _FIELDS),
            "n_last_step",
        )
    )


@transaction.atomic
def stats_rebuild() -> dict[str, int]:
    """Recompute the whole summary from the step rows (two INSERT … SELECT statements)."""
    stats_table, durations_table = StepStats._meta.db_table, StepDuration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {durations_table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {stats_table}")  # noqa: S608
        sql, params = _grouped().query.sql_with_params()
        cursor.execute(
            f'INSERT INTO {stats_table} (process_id, fiscal_year, "order", '
            f"{', '.join(_FIELDS)}, last_step_id) {sql}",
            params,
        )
    stats = StepStats.objects.filter(
        process_id=OuterRef("case__process_id"),
        fiscal_year=OuterRef("case__fiscal_year"),
        order=OuterRef("order"),
    ).values("id")[:1]
    _durations_insert(StepInstance.objects.all(), Subquery(stats))
    return {
        "stats_rows": StepStats.objects.count(),
        "durations": StepDuration.objects.count(),
    }


def stats_snapshot() -> dict[str, Any]:
    """The summary as comparable values (rows with any count, durations sorted), for checks
    and tests."""
    all_stats = list(StepStats.objects.all())
    keys = {s.pk: (s.process_id, s.fiscal_year, s.order) for s in all_stats}
    rows = {
        keys[s.pk]: (*(getattr(s, f) for f in _FIELDS), s.last_step_id)
        for s in all_stats
        if any(getattr(s, f) for f in _FIELDS)
    }
    durations: dict[tuple[int, int, int], list[tuple[float | None, float]]] = defaultdict(list)
    for stats_id, planned, actual in StepDuration.objects.values_list(
        "stats_id", "planned_seconds", "actual_seconds"
    ):
        durations[keys[stats_id]].append((planned, actual))
    return {
        "stats": rows,
        "durations": {k: sorted(v, key=lambda p: (p[1], p[0] or 0)) for k, v in durations.items()},
    }
