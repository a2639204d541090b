"""The process KPI and the duration review over hand-built step rows, with exact numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from krabuan.core.thai import BANGKOK
from krabuan.manual.models import Process, Step
from krabuan.manual.tests.factories import ManualFactory, ProcessFactory, StepFactory
from krabuan.org.tests.factories import UnitFactory
from krabuan.workflow.models import Case, StepInstance, StepStatus
from krabuan.workflow.selectors import process_kpi, quality_target_pct, step_duration_review
from krabuan.workflow.services.cases import case_start, step_complete

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=BANGKOK)
START = dt.datetime(2024, 4, 1, 9, 0, tzinfo=BANGKOK)
HOUR = 3600
DAY = 24 * HOUR


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def make_case(proc: Process, fiscal_year: int = 2567, *, number: int | None = None) -> Case:
    number = number or Case.objects.count() + 1
    return Case.objects.create(
        reference=f"{proc.code}-{fiscal_year}-{number:05d}",
        process=proc,
        title=f"เรื่องทดสอบ {number}",
        responsible_unit=proc.manual.unit,
        fiscal_year=fiscal_year,
        started_at=START,
    )


def row(case: Case, step: Step, status: str, **fields) -> StepInstance:
    """One step row; `due` is seconds after START, `took` seconds from START to completion."""
    due = fields.pop("due", DAY)
    took = fields.pop("took", None)
    values = {
        "started_at": START if status != StepStatus.PENDING else None,
        "due_at": START + dt.timedelta(seconds=due) if due is not None else None,
        "planned_seconds": due,
        "completed_at": START + dt.timedelta(seconds=took) if took is not None else None,
    }
    if status == StepStatus.DONE and values["due_at"] is not None and took is not None:
        values["on_time"] = values["completed_at"] <= values["due_at"]
        values["breached"] = not values["on_time"]
    values.update(fields)
    passes = StepInstance.objects.filter(case=case, step=step).count()
    return StepInstance.objects.create(
        case=case, step=step, order=step.order, pass_no=passes + 1, status=status, **values
    )


@pytest.fixture
def kpi_process(db) -> Process:
    proc = ProcessFactory(quality_standard="ร้อยละ ๙๐ ของขั้นตอนแล้วเสร็จตามระยะเวลาที่กำหนด")
    for order in (1, 2, 3):
        StepFactory(process=proc, order=order)
    return proc


def steps_of(proc: Process) -> list[Step]:
    return list(proc.steps.order_by("order"))


def test_kpi_of_a_hand_built_data_set(kpi_process):
    first, second, third = steps_of(kpi_process)
    case = make_case(kpi_process)
    for hours in (1, 2, 3, 4, 5, 6, 7):  # 7 done on time (due after a day)
        row(case, first, StepStatus.DONE, took=hours * HOUR)
    for hours in (25, 30, 48):  # 3 done late
        row(case, second, StepStatus.DONE, took=hours * HOUR)
    row(case, third, StepStatus.ACTIVE)  # open, past due on 1 June
    row(case, third, StepStatus.SKIPPED, took=HOUR, skip_reason="ไม่มี")
    row(case, third, StepStatus.DONE, due=None, took=2 * HOUR)  # no deadline: not measured
    row(case, third, StepStatus.ACTIVE, due=90 * DAY)  # open, due 30 June: not late yet
    row(case, third, StepStatus.PENDING, due=None)
    row(case, third, StepStatus.CANCELLED)
    with time_machine.travel(NOW, tick=False):
        kpi = process_kpi(process=kpi_process, fiscal_year=2567)
    assert kpi == {
        "process": kpi_process.pk,
        "fiscal_year": 2567,
        "steps_total": 12,
        "steps_completed": 10,
        "steps_on_time": 7,
        "steps_late_open": 1,
        "on_time_pct": 70.0,
        "target_pct": 90.0,
        "meets_target": False,
    }


def test_kpi_leaves_out_other_years_other_processes_and_other_units(kpi_process):
    first = steps_of(kpi_process)[0]
    row(make_case(kpi_process), first, StepStatus.DONE, took=30 * HOUR)  # the only counted row
    row(make_case(kpi_process, 2566), first, StepStatus.DONE, took=HOUR)
    other = ProcessFactory(manual=kpi_process.manual)
    row(make_case(other), StepFactory(process=other, order=1), StepStatus.DONE, took=HOUR)
    # The same code in another unit's manual is another process.
    foreign_manual = ManualFactory(unit=UnitFactory(code="finance-x", name="กองคลังทดสอบ"))
    twin = ProcessFactory(manual=foreign_manual, code=kpi_process.code, number=1)
    row(make_case(twin, number=99), StepFactory(process=twin, order=1), StepStatus.DONE, took=HOUR)
    with time_machine.travel(NOW, tick=False):
        kpi = process_kpi(process=kpi_process, fiscal_year=2567)
    assert (kpi["steps_total"], kpi["steps_completed"], kpi["steps_on_time"]) == (1, 1, 0)
    assert kpi["on_time_pct"] == 0.0


def test_kpi_counts_every_manual_version_of_the_process(kpi_process):
    next_year = ManualFactory(unit=kpi_process.manual.unit, fiscal_year=2568)
    copy = ProcessFactory(manual=next_year, code=kpi_process.code, number=kpi_process.number)
    row(make_case(kpi_process), steps_of(kpi_process)[0], StepStatus.DONE, took=HOUR)
    # A case of the new version that started while fiscal year 2567 was still running.
    copy_step = StepFactory(process=copy, order=1)
    row(make_case(copy, number=50), copy_step, StepStatus.DONE, took=30 * HOUR)
    with time_machine.travel(NOW, tick=False):
        kpi = process_kpi(process=copy, fiscal_year=2567)
    assert (kpi["steps_completed"], kpi["steps_on_time"], kpi["on_time_pct"]) == (2, 1, 50.0)


def test_a_breached_step_that_is_open_counts_as_late_even_after_a_pause_moved_its_deadline(
    kpi_process,
):
    case = make_case(kpi_process)
    row(case, steps_of(kpi_process)[0], StepStatus.PAUSED, due=90 * DAY, breached=True)
    with time_machine.travel(NOW, tick=False):
        kpi = process_kpi(process=kpi_process, fiscal_year=2567)
    assert (kpi["steps_total"], kpi["steps_late_open"], kpi["on_time_pct"]) == (1, 1, None)


def test_on_time_percentage_is_rounded_to_two_places_and_meets_an_equal_target(db):
    proc = ProcessFactory(quality_standard="ร้อยละ 66.67 ของขั้นตอนเสร็จทันเวลา")
    step = StepFactory(process=proc, order=1)
    case = make_case(proc)
    for hours in (1, 2, 30):
        row(case, step, StepStatus.DONE, took=hours * HOUR)
    kpi = process_kpi(process=proc, fiscal_year=2567)
    assert (kpi["on_time_pct"], kpi["target_pct"], kpi["meets_target"]) == (66.67, 66.67, True)


def test_kpi_without_completed_steps_has_no_percentage(kpi_process):
    kpi = process_kpi(process=kpi_process, fiscal_year=2567)
    assert kpi == {
        "process": kpi_process.pk,
        "fiscal_year": 2567,
        "steps_total": 0,
        "steps_completed": 0,
        "steps_on_time": 0,
        "steps_late_open": 0,
        "on_time_pct": None,
        "target_pct": 90.0,
        "meets_target": False,
    }


def test_kpi_from_cases_worked_through_the_engine(kpi_process, officer):
    with time_machine.travel(at(2024, 4, 1, 9, 0), tick=False):  # Monday
        case = case_start(process=kpi_process, title="เรื่อง", actor=officer)
    # Steps are "๑ วัน" (calendar): due at 16:30 the next day.
    with time_machine.travel(at(2024, 4, 2, 10, 0), tick=False):
        step_complete(instance=case.steps.get(order=1), actor=officer)
    with time_machine.travel(at(2024, 4, 5, 10, 0), tick=False):
        step_complete(instance=case.steps.get(order=2), actor=officer)
    with time_machine.travel(at(2024, 4, 8, 10, 0), tick=False):
        kpi = process_kpi(process=kpi_process, fiscal_year=2567)
    assert (kpi["steps_total"], kpi["steps_completed"], kpi["steps_on_time"]) == (3, 2, 1)
    assert (kpi["steps_late_open"], kpi["on_time_pct"]) == (1, 50.0)
    late = case.steps.get(order=2)
    assert (late.due_at, late.on_time, late.breached) == (at(2024, 4, 3, 16, 30), False, True)


@pytest.mark.parametrize(
    ("standard", "target"),
    [
        ("ร้อยละ ๘๐ ของขั้นตอนแล้วเสร็จภายในระยะเวลาที่กำหนด", "80"),
        ("ร้อยละ ๘๐", "80"),
        ("", "90"),
        ("การดำเนินงานตามระยะเวลาที่กำหนดขั้นตอนกระบวนการ ร้อยละ ๙๐%", "90"),
        ("ขั้นตอนเสร็จตามกำหนดไม่น้อยกว่า 75%", "75"),
        ("ร้อยละ 92.5 ของงานเสร็จตามกำหนด", "92.5"),
        # C11: availability of the network is not an on-time target.
        ("ระบบคอมพิวเตอร์และเครือข่ายมีเสถียรภาพสามารถให้บริการได้เป็นปกติไม่น้อยกว่าร้อยละ ๙๕", "90"),
        ("๑. ระบบพร้อมใช้งาน ร้อยละ ๙๘\n๒. ดำเนินการแล้วเสร็จภายในเวลาที่กำหนด ร้อยละ ๘๕", "85"),
        ("๑. ผู้รับบริการพึงพอใจ ร้อยละ ๗๐ ๒. ดำเนินการทันเวลา ร้อยละ ๘๕", "85"),
        ("๑. ผู้รับบริการพึงพอใจ ร้อยละ ๗๐", "70"),
        ("ร้อยละ ๐", "90"),
        ("ร้อยละ ๑๕๐", "90"),
    ],
)
def test_the_target_comes_from_the_quality_standard(standard, target):
    assert quality_target_pct(Process(quality_standard=standard)) == Decimal(target)


def test_duration_review_medians_and_exceeds_plan(kpi_process):
    first, second, third = steps_of(kpi_process)
    extra = StepFactory(process=kpi_process, order=4, duration_text="ไม่ระบุ")
    case = make_case(kpi_process)
    for took in (1800, 3000, 7200):  # planned one hour each; the last is late
        row(case, first, StepStatus.DONE, due=HOUR, took=took)
    row(case, second, StepStatus.DONE, due=DAY, took=90000)  # late
    row(case, second, StepStatus.DONE, due=DAY, took=100000)  # late
    row(case, second, StepStatus.DONE, due=DAY + HOUR, took=80000)
    # 10000 s with 5000 s paused → 5000; and 7000 s: median 6000 = planned, not exceeding.
    # The pause moved the deadline, not the plan.
    row(
        case,
        third,
        StepStatus.DONE,
        due=11000,
        took=10000,
        paused_seconds=5000,
        planned_seconds=6000,
    )
    row(case, third, StepStatus.DONE, due=6000, took=7000)
    row(case, extra, StepStatus.DONE, due=None, took=7200)
    # Not completed or another year: left out.
    row(case, first, StepStatus.ACTIVE, due=HOUR)
    row(case, first, StepStatus.SKIPPED, due=HOUR, took=100 * HOUR)
    row(make_case(kpi_process, 2566), first, StepStatus.DONE, due=HOUR, took=100 * HOUR)

    review = step_duration_review(process=kpi_process, fiscal_year=2567)

    assert [
        (
            r["order"],
            r["count"],
            r["late"],
            r["planned_median_seconds"],
            r["actual_median_seconds"],
            r["exceeds_plan"],
        )
        for r in review
    ] == [
        (1, 3, 1, 3600, 3000.0, False),
        (2, 3, 2, 86400, 90000.0, True),
        (3, 2, 1, 6000, 6000.0, False),
        (4, 1, 0, None, 7200.0, False),
    ]
    assert (review[0]["activity"], review[3]["duration_text"]) == (first.activity, "ไม่ระบุ")
