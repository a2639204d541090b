from __future__ import annotations

import datetime as dt
import time
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK, format_datetime
from krabuan.notify.models import Channel, Notification
from krabuan.org.models import Membership, Preference, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow import tasks
from krabuan.workflow.models import Case, StepInstance, StepStatus
from krabuan.workflow.services import escalation
from krabuan.workflow.services.cases import case_start, step_complete, step_pause, step_resume
from krabuan.workflow.services.escalation import candidates, escalate, sweep_steps
from krabuan.workflow.tests.conftest import process

T0 = dt.datetime(2024, 6, 3, 9, 0, tzinfo=BANGKOK)  # a Monday
ALLOWED = dt.timedelta(hours=100)


def at_pct(pct: float, *, shift: dt.timedelta = dt.timedelta(0)) -> dt.datetime:
    return T0 + shift + ALLOWED * pct / 100


def inbox(dedupe_prefix: str = "step:") -> list[tuple[str, str]]:
    """(username, dedupe key) of in-app messages, the channel every user has."""
    return sorted(
        Notification.objects.filter(
            channel=Channel.IN_APP, dedupe_key__startswith=dedupe_prefix
        ).values_list("user__username", "dedupe_key")
    )


@pytest.fixture
def network_head(fy2567):
    user = UserFactory(username="head.network")
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="ict-network"), role=Role.GROUP_HEAD
    )
    return user


@pytest.fixture
def step(fy2567, worker):
    """The first step of a C11 case (unit ict-network) with exactly 100 hours allowed."""
    with time_machine.travel(T0, tick=False):
        case = case_start(process=process(fy2567, "C11"), title="ปรับปรุงเครือข่าย", actor=worker)
    first = case.steps.get(order=1)
    StepInstance.objects.filter(pk=first.pk).update(
        due_at=T0 + ALLOWED, planned_seconds=int(ALLOWED.total_seconds())
    )
    first.refresh_from_db()
    assert first.assignee == worker
    return first


def sweep_at(moment: dt.datetime) -> escalation.SweepResult:
    with time_machine.travel(moment, tick=False):
        return sweep_steps()


def case_link(case_id: int) -> str:
    try:
        return reverse("workflow:case_detail", args=[case_id])
    except NoReverseMatch:
        return f"/work/cases/{case_id}/"


def test_each_threshold_tells_its_people_once(step, worker, network_head):
    key = f"step:{step.pk}:level:"
    assert sweep_at(at_pct(74.9)).escalated == {}
    assert inbox() == []

    first = sweep_at(at_pct(75))
    assert first.escalated == {1: 1}
    assert inbox() == [("worker", key + "1")]
    message = Notification.objects.get(user=worker, channel=Channel.IN_APP)
    assert message.subject.startswith(f"[ใกล้ครบกำหนด] {step.case.reference} ขั้นตอนที่ 1: ")
    assert format_datetime(T0 + ALLOWED) in message.body
    assert "ใช้เวลาไปแล้วประมาณ 75% ของเวลาที่กำหนด" in message.body
    assert message.link == case_link(step.case_id)
    assert message.kind == "step_due_soon"

    again = sweep_at(at_pct(80))
    assert (again.escalated, again.notifications) == ({}, 0)

    second = sweep_at(at_pct(100.01))
    assert second.escalated == {2: 1}
    assert second.breached == 1
    assert inbox() == [("head.network", key + "2"), ("worker", key + "1")]
    late = Notification.objects.get(user=network_head, channel=Channel.IN_APP)
    assert late.subject.startswith(f"[เกินกำหนด] {step.case.reference} ขั้นตอนที่ 1: ")
    assert late.kind == "step_overdue"

    third = sweep_at(at_pct(150))
    assert third.escalated == {3: 1}
    assert inbox() == [("director", key + "3"), ("head.network", key + "2"), ("worker", key + "1")]

    assert sweep_at(at_pct(400)).notifications == 0
    step.refresh_from_db()
    assert (step.escalation_level, step.due_soon_notified) == (3, True)
    assert step.breached is True
    assert step.breached_at == T0 + ALLOWED
    assert AuditEntry.objects.filter(action="step.escalate", object_id=str(step.pk)).count() == 3


def test_email_copies_follow_the_same_levels(step, worker, network_head):
    sweep_at(at_pct(75))
    sweep_at(at_pct(150))
    emails = sorted(
        Notification.objects.filter(channel=Channel.EMAIL).values_list("recipient", "dedupe_key")
    )
    assert emails == [
        ("director@example.org", f"step:{step.pk}:level:3"),
        ("worker@example.org", f"step:{step.pk}:level:1"),
    ]


def test_two_sweeps_at_once_send_one_message_per_level(step, network_head):
    moment = at_pct(100.5)
    with time_machine.travel(moment, tick=False):
        seen_by_first = candidates()
        seen_by_second = candidates()
        assert [(c.step_id, c.level) for c in seen_by_first] == [(step.pk, 2)]
        won = escalate(seen_by_first)
        lost = escalate(seen_by_second)
    assert won.escalated == {2: 1}
    assert (lost.escalated, lost.notifications) == ({}, 0)
    assert inbox() == [("head.network", f"step:{step.pk}:level:2")]


def test_a_step_found_far_past_its_deadline_gets_only_the_highest_level(step, network_head):
    result = sweep_at(at_pct(160))
    assert result.escalated == {3: 1}
    assert inbox() == [("director", f"step:{step.pk}:level:3")]
    step.refresh_from_db()
    assert step.escalation_level == 3
    assert sweep_at(at_pct(200)).notifications == 0


def test_breach_stays_set_after_pause_and_completion(step, worker):
    sweep_at(at_pct(101))
    step.refresh_from_db()
    assert step.breached is True
    with time_machine.travel(at_pct(102), tick=False):
        step_pause(instance=step, actor=worker, reason="รอผู้รับจ้าง")
    step.refresh_from_db()
    assert (step.status, step.breached) == (StepStatus.PAUSED, True)
    with time_machine.travel(at_pct(110), tick=False):
        step_resume(instance=step, actor=worker)
        step_complete(instance=StepInstance.objects.get(pk=step.pk), actor=worker)
    step.refresh_from_db()
    assert (step.status, step.breached, step.on_time) == (StepStatus.DONE, True, False)
    assert step.breached_at == T0 + ALLOWED


def test_the_sweep_marks_the_case_late_with_its_step(step):
    sweep_at(at_pct(99))
    assert Case.objects.get(pk=step.case_id).late is False
    sweep_at(at_pct(101))
    assert Case.objects.get(pk=step.case_id).late is True


def test_a_step_completed_late_marks_its_case_late(step, worker):
    with time_machine.travel(at_pct(100.5), tick=False):  # before any sweep saw it
        step_complete(instance=step, actor=worker)
    step.refresh_from_db()
    assert (step.breached, step.on_time) == (True, False)
    assert Case.objects.get(pk=step.case_id).late is True


def test_a_step_completed_on_time_leaves_its_case_on_time(step, worker):
    with time_machine.travel(at_pct(50), tick=False):
        step_complete(instance=step, actor=worker)
    assert Case.objects.get(pk=step.case_id).late is False


def test_paused_steps_are_not_escalated_and_their_wait_does_not_count(step, worker):
    with time_machine.travel(at_pct(50), tick=False):
        step_pause(instance=step, actor=worker, reason="รอหน่วยงานภายนอกตอบกลับ")
    result = sweep_at(at_pct(300))
    assert (result.examined, result.escalated, result.breached) == (0, {}, 0)
    step.refresh_from_db()
    assert (step.escalation_level, step.breached) == (0, False)
    # Resumed after 30 hours of waiting: the deadline and every threshold move by 30 hours.
    wait = dt.timedelta(hours=30)
    with time_machine.travel(at_pct(50, shift=wait), tick=False):
        step_resume(instance=step, actor=worker)
    assert sweep_at(at_pct(74, shift=wait)).escalated == {}
    assert sweep_at(at_pct(75, shift=wait)).escalated == {1: 1}
    step.refresh_from_db()
    assert step.due_at == T0 + ALLOWED + wait


def test_allowed_time_without_planned_seconds_excludes_paused_time(step):
    # due_at − started_at = 110 h of which 10 h were paused: 100 h allowed.
    StepInstance.objects.filter(pk=step.pk).update(
        planned_seconds=None, paused_seconds=36_000, due_at=T0 + dt.timedelta(hours=110)
    )
    shift = dt.timedelta(hours=10)
    assert sweep_at(at_pct(74.9, shift=shift)).escalated == {}
    assert sweep_at(at_pct(75, shift=shift)).escalated == {1: 1}


def test_unassigned_step_tells_the_officers_of_its_unit(step):
    StepInstance.objects.filter(pk=step.pk).update(assignee=None)
    sweep_at(at_pct(75))
    key = f"step:{step.pk}:level:1"
    assert inbox() == [("officer.network", key), ("worker", key)]


def test_group_head_level_without_a_group_head_goes_to_the_director(step):
    # ict-network and its parent ict have no group head in the demo organisation.
    sweep_at(at_pct(101))
    assert inbox() == [("director", f"step:{step.pk}:level:2")]


def test_group_head_of_the_parent_unit_when_the_unit_has_none(step):
    team = Unit.objects.create(
        code="ict-network-lan", name="งานเครือข่าย LAN", kind="group", parent_id=step.assignee_unit_id
    )
    StepInstance.objects.filter(pk=step.pk).update(assignee_unit=team)
    parent_head = UserFactory(username="head.parent")
    Membership.objects.create(user=parent_head, unit=team.parent, role=Role.GROUP_HEAD)
    sweep_at(at_pct(101))
    assert inbox() == [("head.parent", f"step:{step.pk}:level:2")]


def test_steps_without_a_deadline_get_one_review_reminder(step, network_head):
    StepInstance.objects.filter(pk=step.pk).update(
        due_at=None, planned_seconds=None, needs_review=True
    )
    first = sweep_at(at_pct(1))
    assert (first.review_reminders, first.escalated) == (1, {})
    assert sweep_at(at_pct(500)).review_reminders == 0
    assert inbox() == [("head.network", f"step:{step.pk}:review")]
    reminder = Notification.objects.get(user=network_head, channel=Channel.IN_APP)
    assert reminder.subject.startswith(f"[ทบทวนระยะเวลา] {step.case.reference} ขั้นตอนที่ 1: ")
    assert reminder.kind == "step_review"
    step.refresh_from_db()
    assert (step.due_soon_notified, step.escalation_level) == (True, 0)


def test_two_review_sweeps_at_once_remind_once(step, network_head):
    StepInstance.objects.filter(pk=step.pk).update(
        due_at=None, planned_seconds=None, needs_review=True
    )
    seen_by_first = escalation.review_candidates()
    seen_by_second = escalation.review_candidates()
    assert escalation.reviews_remind(seen_by_first).review_reminders == 1
    assert escalation.reviews_remind(seen_by_second).review_reminders == 0
    assert inbox() == [("head.network", f"step:{step.pk}:review")]


@override_settings(KRABUAN_ESCALATION_THRESHOLDS=[50, 90])
def test_custom_thresholds(step, network_head):
    assert sweep_at(at_pct(49)).escalated == {}
    assert sweep_at(at_pct(50)).escalated == {1: 1}
    assert sweep_at(at_pct(90)).escalated == {2: 1}
    message = Notification.objects.get(user=network_head, channel=Channel.IN_APP)
    assert message.subject.startswith("[ใกล้ครบกำหนด] ")
    assert "เกณฑ์แจ้งเตือน 90%" in message.body
    # Two levels only: nobody is told past 150%, but the breach is still marked.
    late = sweep_at(at_pct(200))
    assert (late.escalated, late.breached) == ({}, 1)
    assert len(inbox()) == 2


@pytest.mark.parametrize("bad", [[], [100, 75], [75, 75, 150], [0, 100], [50, 75, 100, 150]])
def test_bad_thresholds_are_refused(bad):
    with override_settings(KRABUAN_ESCALATION_THRESHOLDS=bad), pytest.raises(ImproperlyConfigured):
        escalation.thresholds()


def test_completed_and_cancelled_steps_are_left_alone(step, worker):
    with time_machine.travel(at_pct(10), tick=False):
        step_complete(instance=step, actor=worker)
    assert sweep_at(at_pct(99)).escalated == {}
    assert inbox() == []


def test_sweep_command_prints_its_counts(step):
    out = StringIO()
    with time_machine.travel(at_pct(76), tick=False):
        call_command("sweep", stdout=out)
    text = out.getvalue()
    assert "1 open steps with a deadline examined" in text
    assert "level 1: 1" in text


def test_sweep_over_twenty_thousand_steps(step, django_assert_num_queries):
    """Benchmark-shaped: 20,000 open steps, ten of them at 75%; the scan is one query.
    The time is printed (run with -s), not asserted."""
    StepInstance.objects.filter(pk=step.pk).update(status=StepStatus.DONE)
    case = Case.objects.get(pk=step.case_id)
    planned = int(ALLOWED.total_seconds())
    rows = [
        StepInstance(
            case=case,
            step=step.step,
            order=1,
            pass_no=1,
            iteration=n + 2,
            status=StepStatus.ACTIVE,
            assignee_id=step.assignee_id,
            assignee_unit_id=step.assignee_unit_id,
            started_at=T0,
            due_at=T0 + ALLOWED * (1 if n >= 10 else 0.5),
            planned_seconds=planned if n >= 10 else planned // 2,
        )
        for n in range(20_000)
    ]
    StepInstance.objects.bulk_create(rows, batch_size=2000)
    moment = T0 + ALLOWED * 0.4  # 80% of the ten short steps, 40% of the others
    with time_machine.travel(moment, tick=False):
        with django_assert_num_queries(1):
            found = candidates()
        began = time.perf_counter()
        result = sweep_steps()
        elapsed = time.perf_counter() - began
    print(f"sweep of 20,000 open steps: {elapsed:.2f} s")
    assert len(found) == 10
    assert (result.examined, result.escalated, result.breached) == (20_000, {1: 10}, 0)


def test_the_five_minute_task_runs_a_sweep(step):
    with time_machine.travel(at_pct(101), tick=False):
        counts = tasks.sweep_periodic.call_local()
    assert counts == {
        "examined": 1,
        "breached": 1,
        "escalated": 1,
        "notifications": 2,
        "review_reminders": 0,
    }


def test_each_recipient_reads_the_message_in_the_language_they_chose(step, worker, network_head):
    Preference.objects.update_or_create(user=network_head, defaults={"language": "en"})
    sweep_at(at_pct(75))  # level 1: the assignee, in Thai
    sweep_at(at_pct(100.01))  # level 2: the group head, who chose English

    thai = Notification.objects.get(user=worker, channel=Channel.IN_APP)
    english = Notification.objects.get(user=network_head, channel=Channel.IN_APP)
    assert thai.subject.startswith(f"[ใกล้ครบกำหนด] {step.case.reference} ขั้นตอนที่ 1: ")
    assert english.subject.startswith(f"[Overdue] {step.case.reference} step 1: ")
    assert "Due:" in english.body and "กำหนดเสร็จ:" in thai.body
    assert "step 1" not in thai.subject
