from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from krabuan.core.errors import Conflict
from krabuan.core.thai import BANGKOK
from krabuan.workflow.models import CaseStatus, StepStatus
from krabuan.workflow.selectors import process_kpi
from krabuan.workflow.services.cases import (
    case_start,
    control_confirm,
    step_complete,
)
from krabuan.workflow.tests.conftest import process


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


@time_machine.travel(at(2024, 4, 10, 9, 0), tick=False)
def test_working_day_deadline_skips_songkran(fy2567, worker):
    s06 = process(fy2567, "S06")  # step 1: ๑ วันทำการ
    case = case_start(process=s06, title="แผนพัฒนารายบุคคล 2567", actor=worker)
    first = case.steps.get(order=1)
    assert first.status == StepStatus.ACTIVE
    # 10 Apr + 1 working day = 11 Apr (12 Apr bridge holiday and Songkran come after).
    assert first.due_at == at(2024, 4, 11, 16, 30)
    assert case.reference == "S06-2567-00001"


def test_completion_is_refused_while_a_control_point_is_open(fy2567, worker):
    c01 = process(fy2567, "C01")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    # Steps 1 and 2 have no control point; step 3 has one.
    for order in (1, 2):
        with time_machine.travel(at(2024, 4, 10, 10, order), tick=False):
            step_complete(instance=case.steps.get(order=order, status="active"), actor=worker)
    third = case.steps.get(order=3, status="active")
    with pytest.raises(Conflict) as refused:
        step_complete(instance=third, actor=worker)
    assert refused.value.status == 409
    assert "แนวทางการแก้ไข" in refused.value.message
    control = third.step.controls.get(kind="control")
    control_confirm(instance=third, control=control, actor=worker, note="ตรวจแล้ว")
    with time_machine.travel(at(2024, 4, 10, 11, 0), tick=False):
        case = step_complete(instance=third, actor=worker)
    assert case.steps.get(order=3).status == StepStatus.DONE
    assert case.status == CaseStatus.OPEN
    kpi = process_kpi(process=c01, fiscal_year=2567)
    assert kpi["steps_completed"] == 3
    assert kpi["steps_on_time"] == 3
    assert kpi["on_time_pct"] == 100.0
