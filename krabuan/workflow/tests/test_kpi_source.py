"""The workflow engine's live KPI source, read through the core registry (no kpi import)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from krabuan.core.errors import ApplicationError
from krabuan.core.registry import live_source
from krabuan.core.thai import BANGKOK
from krabuan.manual.tests.factories import ProcessFactory, StepFactory
from krabuan.workflow.services.cases import case_start, step_complete
from krabuan.workflow.tests.conftest import process

KEY = "workflow.process_on_time_pct"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def measure(params, *, fiscal_year=2567, round="12m"):
    source = live_source(KEY)
    assert source is not None
    return source.func(fiscal_year=fiscal_year, round=round, params=params)


def run_c10(manual, worker, *, day: int, second_step_at: tuple[int, int]):
    """One ICT service request: step 1 (no set time), step 2 (10 minutes), step 3 (1 hour)."""
    c10 = process(manual, "C10")
    with time_machine.travel(at(2024, 4, day, 9, 0), tick=False):
        case = case_start(process=c10, title="ขอใช้บริการ ICT", actor=worker)
    with time_machine.travel(at(2024, 4, day, 9, 1), tick=False):
        step_complete(instance=case.steps.get(order=1, status="active"), actor=worker)
    with time_machine.travel(at(2024, 4, day, *second_step_at), tick=False):
        step_complete(instance=case.steps.get(order=2, status="active"), actor=worker)
    hour, minute = second_step_at
    with time_machine.travel(at(2024, 4, day, hour, minute + 20), tick=False):
        step_complete(instance=case.steps.get(order=3, status="active"), actor=worker)
    return case


def test_the_source_is_registered_by_the_workflow_app():
    source = live_source(KEY)
    assert source is not None
    assert source.label == "ร้อยละขั้นตอนที่แล้วเสร็จตามเวลา (ระบบติดตามกระบวนงาน)"
    assert "process_code" in source.params_help


def test_one_process_on_time_from_real_cases(fy2567, worker):
    run_c10(fy2567, worker, day=10, second_step_at=(9, 5))  # both measured steps on time
    with time_machine.travel(at(2024, 4, 30, 12, 0), tick=False):
        value = measure({"process_code": "C10"})
    assert value.value == Decimal("100.00")
    assert value.source == "ระบบติดตามกระบวนงาน: C10 ปีงบประมาณ 2567"
    assert value.measured_at == at(2024, 4, 30, 12, 0)
    assert value.details["steps_completed"] == 2
    assert value.details["steps_on_time"] == 2
    assert value.details["manual_fiscal_year"] == 2567


def test_a_late_step_lowers_the_share(fy2567, worker):
    run_c10(fy2567, worker, day=10, second_step_at=(9, 5))
    run_c10(fy2567, worker, day=11, second_step_at=(11, 0))  # 10-minute step done after 2 hours
    value = measure({"process_code": "c10"})  # codes are matched without regard to case
    assert value.value == Decimal("75.00")
    assert (value.details["steps_completed"], value.details["steps_on_time"]) == (4, 3)


def test_all_processes_of_the_newest_manual(fy2567, worker):
    run_c10(fy2567, worker, day=11, second_step_at=(11, 0))
    c01 = process(fy2567, "C01")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        step_complete(instance=case.steps.get(order=1, status="active"), actor=worker)
    value = measure({})
    # C10: 1 of 2 on time; C01: 1 of 1 → 2 of 3.
    assert value.value == Decimal("66.67")
    assert value.source == "ระบบติดตามกระบวนงาน: ทุกกระบวนงาน ปีงบประมาณ 2567"
    assert len(value.details["processes"]) == fy2567.processes.count()
    by_code = {row["code"]: row for row in value.details["processes"]}
    assert by_code["C10"]["on_time_pct"] == 50.0
    assert by_code["C01"]["on_time_pct"] == 100.0


def test_another_fiscal_year_has_nothing_measured(fy2567, worker):
    run_c10(fy2567, worker, day=10, second_step_at=(9, 5))
    value = measure({"process_code": "C10"}, fiscal_year=2568)
    assert value.value is None
    assert value.details["steps_completed"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"process_code": "C99"}, "ไม่พบกระบวนงานรหัส C99 ในคู่มือปีงบประมาณ พ.ศ. 2567"),
        ({"process": "C10"}, "ไม่รู้จักพารามิเตอร์ process (รับเฉพาะ process_code)"),
        ({"process_code": 10}, "process_code ต้องเป็นข้อความ เช่น C10"),
        (["C10"], 'พารามิเตอร์ต้องเป็นชุดข้อมูล เช่น {"process_code": "C10"}'),
    ],
)
def test_bad_params_name_the_field(fy2567, params, message):
    with pytest.raises(ApplicationError) as refused:
        measure(params)
    assert refused.value.fields == {"live_params": [message]}


def test_without_any_manual(db):
    assert measure({}).value is None
    with pytest.raises(ApplicationError) as refused:
        measure({"process_code": "C10"})
    assert list(refused.value.fields) == ["live_params"]


def test_the_newest_manual_is_used(db):
    old = ProcessFactory(code="C10", manual__fiscal_year=2566)
    StepFactory(process=old, order=1)
    newest = ProcessFactory(code="C05", manual__fiscal_year=2568, manual__unit=old.manual.unit)
    StepFactory(process=newest, order=1)
    value = measure({})
    assert [row["code"] for row in value.details["processes"]] == ["C05"]
    assert value.details["manual_fiscal_year"] == 2568
