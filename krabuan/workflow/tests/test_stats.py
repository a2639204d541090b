"""The dashboards' summary (StepStats, StepDuration) kept by the services: exact after every kind
of change, equal to a rebuild from the rows, and equal to the row-based KPI and review."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.core.thai import BANGKOK
from krabuan.manual.durations import parse_duration
from krabuan.manual.tests.factories import ProcessFactory, StepFactory
from krabuan.workflow.dashboard import duration_review, process_numbers
from krabuan.workflow.models import StepDuration, StepInstance, StepStats
from krabuan.workflow.selectors import process_kpi, step_duration_review
from krabuan.workflow.services.cases import (
    case_cancel,
    case_start,
    control_confirm,
    step_complete,
    step_pause,
    step_resume,
    step_skip,
    step_update,
)
from krabuan.workflow.services.stats import stats_rebuild, stats_snapshot
from krabuan.workflow.tests.conftest import process

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=BANGKOK)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def frozen(*args: int):
    return time_machine.travel(at(*args), tick=False)


def active(case) -> StepInstance:
    return case.steps.select_related("step").get(status__in=["active", "paused"])


def finish(case, actor, **kwargs):
    """Confirm the active step's control points and complete it."""
    step = active(case)
    for control in step.step.controls.filter(kind="control"):
        control_confirm(instance=step, control=control, actor=actor)
    return step_complete(instance=step, actor=actor, **kwargs)


def stats_of(proc, order: int) -> dict:
    row = StepStats.objects.get(process=proc, fiscal_year=2567, order=order)
    return {
        f: getattr(row, f)
        for f in ("measured", "completed", "on_time", "done", "done_late", "done_planned")
    }


def assert_rebuild_equals_incremental() -> None:
    incremental = stats_snapshot()
    stats_rebuild()
    assert stats_snapshot() == incremental


def assert_summary_equals_rows(proc, fiscal_year: int = 2567) -> None:
    with time_machine.travel(NOW, tick=False):
        assert process_numbers(process=proc, fiscal_year=fiscal_year, now=NOW) == process_kpi(
            process=proc, fiscal_year=fiscal_year
        )
    assert duration_review(process=proc, fiscal_year=fiscal_year) == step_duration_review(
        process=proc, fiscal_year=fiscal_year
    )


@pytest.fixture
def s06_cases(fy2567, worker):
    """Three S06 cases: one sent back from step 3 to step 1 (two passes), one with a paused,
    quantity-changed and late step, one cancelled at step 2."""
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        back = case_start(process=s06, title="แผนพัฒนารายบุคคล ก", actor=worker)
        late = case_start(process=s06, title="แผนพัฒนารายบุคคล ข", actor=worker)
        gone = case_start(process=s06, title="แผนพัฒนารายบุคคล ค", actor=worker)
    with frozen(2024, 4, 10, 10, 0):
        finish(back, worker)
        finish(gone, worker)
    with frozen(2024, 4, 10, 10, 30):
        finish(back, worker)
    with frozen(2024, 4, 10, 10, 35):
        finish(back, worker, outcome="ไม่เห็นชอบ")
    with frozen(2024, 4, 11, 9, 0):
        step_pause(instance=active(late), actor=worker, reason="รอเอกสาร")
    with frozen(2024, 4, 12, 9, 0):
        step_resume(instance=active(late), actor=worker)
        step_update(instance=active(late), actor=worker, quantity=3)
    with frozen(2024, 4, 30, 9, 0):
        finish(late, worker)
        case_cancel(case=gone, actor=worker, reason="ยื่นซ้ำ")
    with frozen(2024, 5, 2, 9, 0):
        finish(back, worker)  # step 1, second pass
    return s06


def test_summary_is_exact_after_complete_return_pause_and_cancel(s06_cases):
    # Step 1: back (pass 1 on time, pass 2 late: sent back on 10 April, done on 2 May), late
    # (done 30 April, due about 12 April), gone (on time).
    assert stats_of(s06_cases, 1) == {
        "measured": 4,
        "completed": 4,
        "on_time": 2,
        "done": 4,
        "done_late": 2,
        "done_planned": 4,
    }
    # Step 2: back pass 1 done, back pass 2 active, late active, gone cancelled (not counted).
    assert stats_of(s06_cases, 2) == {
        "measured": 3,
        "completed": 1,
        "on_time": 1,
        "done": 1,
        "done_late": 0,
        "done_planned": 1,
    }
    assert StepDuration.objects.filter(stats__order=1).count() == 4
    assert_rebuild_equals_incremental()
    assert_summary_equals_rows(s06_cases)


def test_a_skipped_step_leaves_the_measured_steps(fy2567, worker):
    proc = ProcessFactory(manual=fy2567, code="C95", number=95, kind="core")
    for order, optional in ((1, False), (2, True), (3, False)):
        duration = parse_duration("๑ วันทำการ")
        StepFactory(
            process=proc,
            order=order,
            duration_text="๑ วันทำการ",
            duration=duration.to_dict(),
            duration_status=duration.status,
            is_optional=optional,
        )
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=proc, title="เรื่องที่มีขั้นตอนข้ามได้", actor=worker)
        finish(case, worker)
        assert stats_of(proc, 2)["measured"] == 1
        step_skip(instance=active(case), actor=worker, reason="ไม่มีกรณีนี้")
    assert stats_of(proc, 2) == dict.fromkeys(stats_of(proc, 2), 0)
    assert stats_of(proc, 3)["measured"] == 1
    assert_rebuild_equals_incremental()
    assert_summary_equals_rows(proc)


def test_the_dashboard_reads_agree_with_the_rows_for_every_process(fy2567, worker, s06_cases):
    with frozen(2024, 4, 10, 9, 0):
        for code in ("C01", "C10", "S02", "C14"):
            case = case_start(process=process(fy2567, code), title=f"เรื่อง {code}", actor=worker)
            finish(case, worker)
    for proc in fy2567.processes.all():
        assert_summary_equals_rows(proc)


def test_a_refused_completion_leaves_the_summary_as_it_was(fy2567, worker):
    s05 = process(fy2567, "S05")
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=s05, title="คำรับรอง", actor=worker)
    before = stats_snapshot()
    with frozen(2024, 4, 10, 9, 10), pytest.raises(Exception, match="ยังไม่ได้ยืนยันจุดควบคุม"):
        step_complete(instance=active(case), actor=worker)  # its control point is unconfirmed
    assert stats_snapshot() == before


def test_rebuild_command_and_check(s06_cases):
    call_command("workflow_stats_rebuild", "--check")  # the services kept it exact
    StepStats.objects.filter(order=1).update(on_time=0)
    with pytest.raises(CommandError, match="differs from the rows"):
        call_command("workflow_stats_rebuild", "--check")
    assert StepStats.objects.get(order=1).on_time == 0  # --check changed nothing
    call_command("workflow_stats_rebuild")
    call_command("workflow_stats_rebuild", "--check")
    assert stats_of(s06_cases, 1)["on_time"] == 2


def test_process_dashboard_is_a_fixed_number_of_queries(client, fy2567, worker, s06_cases):
    client.force_login(worker)
    url = f"/work/dashboard/process/{s06_cases.pk}/"
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with frozen(2024, 5, 10, 9, 0):
        for n in range(6):
            case = case_start(process=s06_cases, title=f"เพิ่ม {n}", actor=worker)
            finish(case, worker)
            finish(case, worker)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["review"][0]["count"] == 4 + 6
    assert len(many) == len(few)
    # No query reads the step rows of the year apart from the open ones.
    assert not [q for q in many if "ROW_NUMBER" in q["sql"]]
