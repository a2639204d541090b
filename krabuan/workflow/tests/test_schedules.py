from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.org.models import Membership, Role, Unit
from krabuan.workflow import tasks
from krabuan.workflow.models import Case, Schedule, ScheduleRule, StepStatus
from krabuan.workflow.services.schedules import (
    SYSTEM_USERNAME,
    next_run,
    run_due_schedules,
    schedule_create,
    schedule_delete,
    schedule_demo_load,
    schedule_next_run,
    schedule_run,
    schedule_upcoming,
    schedule_update,
)


def bkk(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def leave_rule(**overrides):
    """S01: leave statistics due 5 April and 5 October, started ten days before."""
    fields = {"rule": ScheduleRule.YEARLY, "day": 5, "months": [4, 10], "lead_days": 10}
    return {**fields, **overrides}


@pytest.fixture
def leave_schedule(fy2567, admin_user):
    with time_machine.travel(bkk(2024, 3, 1, 10, 0), tick=False):
        return schedule_create(
            actor=admin_user, process_code="S01", title="สรุปสถิติการลา", **leave_rule()
        )


# --- next-run arithmetic ------------------------------------------------------------------


def test_leave_summary_runs_ten_days_before_5_april_and_5_october():
    rule = leave_rule()
    first = next_run(**rule, after=bkk(2024, 1, 15, 12, 0))
    assert (first.run_at, first.due) == (bkk(2024, 3, 26, 8, 30), dt.date(2024, 4, 5))
    second = next_run(**rule, after=first.run_at)
    assert (second.run_at, second.due) == (bkk(2024, 9, 25, 8, 30), dt.date(2024, 10, 5))
    third = next_run(**rule, after=second.run_at)
    assert (third.run_at, third.due) == (bkk(2025, 3, 26, 8, 30), dt.date(2025, 4, 5))


def test_a_run_one_second_ahead_is_still_the_next_one():
    rule = leave_rule()
    assert next_run(**rule, after=bkk(2024, 3, 26, 8, 29, 59)).run_at == bkk(2024, 3, 26, 8, 30)


def test_day_31_is_clamped_to_the_end_of_february():
    rule = {"rule": ScheduleRule.MONTHLY, "day": 31, "months": [], "lead_days": 0}
    leap = next_run(**rule, after=bkk(2024, 2, 1, 0, 0))
    assert (leap.run_at, leap.due) == (bkk(2024, 2, 29, 8, 30), dt.date(2024, 2, 29))
    assert next_run(**rule, after=leap.run_at).run_at == bkk(2024, 3, 31, 8, 30)
    assert next_run(**rule, after=bkk(2025, 2, 1, 0, 0)).run_at == bkk(2025, 2, 28, 8, 30)
    assert next_run(**rule, after=bkk(2024, 4, 1, 0, 0)).run_at == bkk(2024, 4, 30, 8, 30)


def test_monthly_run_after_this_months_time_goes_to_next_month():
    rule = {"rule": ScheduleRule.MONTHLY, "day": 1, "months": [], "lead_days": 3}
    run = next_run(**rule, after=bkk(2024, 5, 29, 9, 0))
    assert (run.run_at, run.due) == (bkk(2024, 6, 28, 8, 30), dt.date(2024, 7, 1))


def test_lead_days_can_reach_back_into_the_previous_year():
    rule = {"rule": ScheduleRule.YEARLY, "day": 5, "months": [1], "lead_days": 10}
    run = next_run(**rule, after=bkk(2024, 12, 20, 9, 0))
    assert (run.run_at, run.due) == (bkk(2024, 12, 26, 8, 30), dt.date(2025, 1, 5))


def test_schedule_next_run_and_upcoming_use_the_row(leave_schedule):
    assert leave_schedule.next_run_at == bkk(2024, 3, 26, 8, 30)
    assert schedule_next_run(leave_schedule, bkk(2024, 3, 26, 8, 30)) == bkk(2024, 9, 25, 8, 30)
    runs = schedule_upcoming(schedule=leave_schedule, count=3, after=bkk(2024, 3, 1, 0, 0))
    assert [r.due for r in runs] == [dt.date(2024, 4, 5), dt.date(2024, 10, 5), dt.date(2025, 4, 5)]


# --- running -------------------------------------------------------------------------------


def test_a_due_schedule_starts_exactly_one_case(leave_schedule, fy2567):
    assert run_due_schedules(now=bkk(2024, 3, 26, 8, 29)) == []
    with time_machine.travel(bkk(2024, 3, 26, 9, 0), tick=False):
        started = run_due_schedules()
        again = run_due_schedules()
    assert again == []
    assert len(started) == 1
    case = started[0]
    assert case.title == "สรุปสถิติการลา (เม.ย. 2567)"
    assert case.process == fy2567.processes.get(code="S01")
    assert case.schedule == leave_schedule
    assert Case.objects.count() == 1
    leave_schedule.refresh_from_db()
    assert leave_schedule.next_run_at == bkk(2024, 9, 25, 8, 30)
    assert leave_schedule.last_run_at == bkk(2024, 3, 26, 9, 0)
    assert AuditEntry.objects.filter(action="schedule.run").count() == 1


def test_two_workers_with_the_same_row_start_one_case(leave_schedule):
    first_copy = Schedule.objects.get(pk=leave_schedule.pk)
    second_copy = Schedule.objects.get(pk=leave_schedule.pk)
    with time_machine.travel(bkk(2024, 3, 26, 9, 0), tick=False):
        won = schedule_run(schedule=first_copy)
        lost = schedule_run(schedule=second_copy)
    assert won is not None
    assert lost is None
    assert Case.objects.count() == 1


def test_the_system_account_starts_the_case_and_the_unit_gets_the_first_step(leave_schedule):
    with time_machine.travel(bkk(2024, 3, 26, 9, 0), tick=False):
        (case,) = run_due_schedules()
    system = case.requester
    assert system.username == SYSTEM_USERNAME
    assert system.is_active is True
    assert system.has_usable_password() is False
    assert set(Membership.objects.filter(user=system).values_list("role", flat=True)) == {
        Role.REQUESTER
    }
    first = case.steps.get(order=1)
    assert first.status == StepStatus.ACTIVE
    assert first.assignee is None
    assert first.assignee_unit == Unit.objects.get(code="ict-admin")


def test_a_disabled_schedule_does_nothing(leave_schedule, admin_user):
    schedule_update(actor=admin_user, schedule=leave_schedule, enabled=False)
    leave_schedule.refresh_from_db()
    assert leave_schedule.next_run_at is None
    assert run_due_schedules(now=bkk(2024, 12, 1, 9, 0)) == []
    assert schedule_run(schedule=leave_schedule, now=bkk(2024, 12, 1, 9, 0)) is None
    assert Case.objects.count() == 0


def test_enabling_again_starts_from_the_next_period(leave_schedule, admin_user):
    schedule_update(actor=admin_user, schedule=leave_schedule, enabled=False)
    with time_machine.travel(bkk(2024, 5, 1, 9, 0), tick=False):
        enabled = schedule_update(actor=admin_user, schedule=leave_schedule, enabled=True)
    assert enabled.next_run_at == bkk(2024, 9, 25, 8, 30)


def test_missed_periods_start_only_the_latest_one(leave_schedule):
    started = run_due_schedules(now=bkk(2024, 10, 1, 9, 0))
    assert [c.title for c in started] == ["สรุปสถิติการลา (ต.ค. 2567)"]
    leave_schedule.refresh_from_db()
    assert leave_schedule.next_run_at == bkk(2025, 3, 26, 8, 30)


def test_an_edit_that_points_at_a_period_already_started_does_not_start_it_again(
    leave_schedule, admin_user
):
    with time_machine.travel(bkk(2024, 3, 26, 9, 0), tick=False):
        run_due_schedules()
        # Five days ahead instead of ten: the April period's run moves to 31 March.
        moved = schedule_update(actor=admin_user, schedule=leave_schedule, lead_days=5)
    assert moved.next_run_at == bkk(2024, 3, 31, 8, 30)
    assert run_due_schedules(now=bkk(2024, 3, 31, 9, 0)) == []
    assert Case.objects.count() == 1
    moved.refresh_from_db()
    assert moved.next_run_at == bkk(2024, 9, 30, 8, 30)


def test_a_schedule_whose_process_left_the_manual_is_retried_not_advanced(leave_schedule):
    Schedule.objects.filter(pk=leave_schedule.pk).update(process_code="S99")
    assert run_due_schedules(now=bkk(2024, 3, 26, 9, 0)) == []
    leave_schedule.refresh_from_db()
    assert leave_schedule.next_run_at == bkk(2024, 3, 26, 8, 30)
    assert Case.objects.count() == 0


def test_the_hourly_task_runs_the_due_schedules(leave_schedule):
    with time_machine.travel(bkk(2024, 3, 26, 9, 7), tick=False):
        tasks.schedules_periodic()  # enqueued and run at once (HUEY immediate in tests)
        assert tasks.schedules_periodic.call_local() == []
    assert list(Case.objects.values_list("reference", "title")) == [
        ("S01-2567-00001", "สรุปสถิติการลา (เม.ย. 2567)")
    ]


# --- editing -------------------------------------------------------------------------------


def test_create_records_an_audit_entry(leave_schedule, admin_user):
    entry = AuditEntry.objects.get(action="schedule.create", object_id=str(leave_schedule.pk))
    assert entry.actor == admin_user
    assert entry.changes["process_code"] == "S01"
    assert leave_schedule.unit == Unit.objects.get(code="ict")
    assert leave_schedule.created_by == admin_user


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"process_code": "X99"},
            "process_code",
            "รหัสกระบวนงาน X99 ไม่มีในคู่มือฉบับล่าสุด (ปีงบประมาณ 2567)",
        ),
        ({"process_code": ""}, "process_code", "กรุณาเลือกรหัสกระบวนงาน"),
        ({"title": "  "}, "title", "กรุณาระบุชื่อเรื่องที่จะสร้าง"),
        ({"title": "ก" * 281}, "title", "ชื่อเรื่องยาวเกิน 280 ตัวอักษร"),
        ({"rule": "weekly"}, "rule", "รอบต้องเป็น ทุกเดือน หรือ ทุกปี"),
        ({"day": 0}, "day", "วันที่ต้องอยู่ระหว่าง 1 ถึง 31"),
        ({"day": 32}, "day", "วันที่ต้องอยู่ระหว่าง 1 ถึง 31"),
        ({"day": "ห้า"}, "day", "วันที่ต้องเป็นจำนวนเต็ม"),
        ({"months": []}, "months", "กรุณาเลือกอย่างน้อยหนึ่งเดือนสำหรับรอบทุกปี"),
        ({"months": [4, 13]}, "months", "เดือนต้องอยู่ระหว่าง 1 ถึง 12"),
        ({"lead_days": 91}, "lead_days", "เริ่มล่วงหน้าต้องอยู่ระหว่าง 0 ถึง 90 วัน"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(fy2567, admin_user, fields, field, message):
    values = {"process_code": "S01", "title": "สรุปสถิติการลา", **leave_rule(), **fields}
    with pytest.raises(ApplicationError) as refused:
        schedule_create(actor=admin_user, **values)
    assert refused.value.fields[field] == [message]
    assert Schedule.objects.count() == 0


def test_thai_digits_are_accepted_and_monthly_rules_drop_months(fy2567, admin_user):
    schedule = schedule_create(
        actor=admin_user,
        process_code="c14",
        title="ตรวจสอบอุปกรณ์",
        rule=ScheduleRule.MONTHLY,
        day="๑๕",
        months=[4],
        lead_days="๒",
    )
    assert (schedule.process_code, schedule.day, schedule.months, schedule.lead_days) == (
        "C14",
        15,
        [],
        2,
    )


def test_only_managers_edit_schedules(leave_schedule, fy2567, officer):
    with pytest.raises(PermissionDenied):
        schedule_create(actor=officer, process_code="S01", title="x", **leave_rule())
    with pytest.raises(PermissionDenied):
        schedule_update(actor=officer, schedule=leave_schedule, enabled=False)
    with pytest.raises(PermissionDenied):
        schedule_delete(actor=officer, schedule=leave_schedule)
    leave_schedule.refresh_from_db()
    assert leave_schedule.enabled is True
    assert Schedule.objects.count() == 1


def test_update_and_delete_are_audited(leave_schedule, group_head):
    with time_machine.travel(bkk(2024, 3, 1, 10, 0), tick=False):
        schedule_update(actor=group_head, schedule=leave_schedule, title="สรุปสถิติการลารายบุคคล")
    entry = AuditEntry.objects.get(action="schedule.update")
    assert entry.changes == {"title": ["สรุปสถิติการลา", "สรุปสถิติการลารายบุคคล"]}
    with time_machine.travel(bkk(2024, 3, 26, 9, 0), tick=False):
        (case,) = run_due_schedules()
    schedule_delete(actor=group_head, schedule=leave_schedule)
    assert Schedule.objects.count() == 0
    case.refresh_from_db()
    assert case.schedule is None
    assert AuditEntry.objects.filter(action="schedule.delete").count() == 1


def test_an_unchanged_timing_keeps_a_pending_run(leave_schedule, admin_user):
    # The run of 26 March is due but not yet taken: a title edit must not skip it.
    with time_machine.travel(bkk(2024, 3, 27, 9, 0), tick=False):
        schedule_update(actor=admin_user, schedule=leave_schedule, title="สรุปสถิติการลา ศทส.")
    leave_schedule.refresh_from_db()
    assert leave_schedule.next_run_at == bkk(2024, 3, 26, 8, 30)


# --- demo data -----------------------------------------------------------------------------


def test_demo_schedules_load_once(fy2567):
    first = schedule_demo_load(now=bkk(2024, 3, 1, 10, 0))
    second = schedule_demo_load(now=bkk(2024, 3, 1, 10, 0))
    assert first == {"created": 6, "existing": 0, "skipped": 0}
    assert second == {"created": 0, "existing": 6, "skipped": 0}
    rows = {
        s.process_code: (s.rule, s.day, s.months, s.lead_days, s.next_run_at)
        for s in Schedule.objects.all()
    }
    assert rows == {
        "S01": ("yearly", 5, [4, 10], 10, bkk(2024, 3, 26, 8, 30)),
        "S04": ("yearly", 1, [9], 0, bkk(2024, 9, 1, 8, 30)),
        "C01": ("yearly", 1, [10], 0, bkk(2024, 10, 1, 8, 30)),
        "C02": ("yearly", 1, [10], 0, bkk(2024, 10, 1, 8, 30)),
        "C14": ("monthly", 1, [], 0, bkk(2024, 4, 1, 8, 30)),
        "C11": ("monthly", 1, [], 0, bkk(2024, 4, 1, 8, 30)),
    }


def test_demo_schedules_without_a_manual_are_skipped(demo_org):
    assert schedule_demo_load() == {"created": 0, "existing": 0, "skipped": 6}


def test_load_demo_schedules_command(fy2567):
    out = StringIO()
    call_command("load_demo_schedules", stdout=out)
    call_command("load_demo_schedules", stdout=out)
    assert "Demo schedules: 6 created, 0 already present, 0 skipped" in out.getvalue()
    assert "Demo schedules: 0 created, 6 already present, 0 skipped" in out.getvalue()
