"""The SQL urgency (`level_expression`) gives every open step the level `classify` gives it."""

from __future__ import annotations

import datetime as dt

from krabuan.workflow import urgency
from krabuan.workflow.models import StepInstance, StepStatus
from krabuan.workflow.tests.test_kpi import HOUR, START, make_case, row, steps_of
from krabuan.workflow.tests.test_kpi import kpi_process as kpi_process  # the fixture

# The request's clock: START + 10 h; one working day of office time ends 8 h later.
NOW = START + dt.timedelta(hours=10)
CLOCK = urgency.Clock(now=NOW, one_working_day_later=NOW + dt.timedelta(hours=8))


def paused_at(hours: float) -> dict:
    return {"paused_at": START + dt.timedelta(hours=hours)}


def test_sql_levels_match_classify_row_by_row(kpi_process):
    first, *_rest = steps_of(kpi_process)
    case = make_case(kpi_process)
    cases = {
        "no deadline": row(case, first, StepStatus.ACTIVE, due=None, planned_seconds=None),
        "past due": row(case, first, StepStatus.ACTIVE, due=9 * HOUR),
        "due exactly now": row(case, first, StepStatus.ACTIVE, due=10 * HOUR),
        "within the working day": row(case, first, StepStatus.ACTIVE, due=18 * HOUR),
        "last quarter of its time": row(
            case, first, StepStatus.ACTIVE, due=28 * HOUR, planned_seconds=80 * HOUR
        ),
        "quarter left exactly": row(
            case, first, StepStatus.ACTIVE, due=30 * HOUR, planned_seconds=80 * HOUR
        ),
        "on time": row(case, first, StepStatus.ACTIVE, due=40 * HOUR, planned_seconds=40 * HOUR),
        "on time, zero plan": row(case, first, StepStatus.ACTIVE, due=40 * HOUR, planned_seconds=0),
        "paused after its deadline": row(
            case, first, StepStatus.PAUSED, due=5 * HOUR, **paused_at(6)
        ),
        "paused before its deadline, now past it": row(
            case,
            first,
            StepStatus.PAUSED,
            due=9 * HOUR,
            planned_seconds=100 * HOUR,
            **paused_at(1),
        ),
        "paused early, far from its deadline": row(
            case,
            first,
            StepStatus.PAUSED,
            due=9 * HOUR,
            planned_seconds=10 * HOUR,
            **paused_at(1),
        ),
        "paused in its last quarter": row(
            case,
            first,
            StepStatus.PAUSED,
            due=12 * HOUR,
            planned_seconds=40 * HOUR,
            **paused_at(4),
        ),
        "paused within the working day only": row(
            case,
            first,
            StepStatus.PAUSED,
            due=12 * HOUR,
            planned_seconds=10 * HOUR,
            **paused_at(4),
        ),
        "paused without a pause time": row(case, first, StepStatus.PAUSED, due=9 * HOUR),
    }

    in_sql = dict(
        StepInstance.objects.annotate(level=urgency.level_expression(CLOCK)).values_list(
            "pk", "level"
        )
    )
    in_python = {
        name: urgency.classify(
            status=i.status,
            due_at=i.due_at,
            planned_seconds=i.planned_seconds,
            paused_at=i.paused_at,
            at=CLOCK,
        )
        for name, i in cases.items()
    }

    assert {name: in_sql[i.pk] for name, i in cases.items()} == in_python
    assert in_python == {
        "no deadline": "no_deadline",
        "past due": "overdue",
        "due exactly now": "due_soon",
        "within the working day": "due_soon",
        "last quarter of its time": "due_soon",
        "quarter left exactly": "due_soon",
        "on time": "on_time",
        "on time, zero plan": "on_time",
        "paused after its deadline": "overdue",
        "paused before its deadline, now past it": "due_soon",
        "paused early, far from its deadline": "on_time",
        "paused in its last quarter": "due_soon",
        "paused within the working day only": "on_time",
        "paused without a pause time": "overdue",
    }
