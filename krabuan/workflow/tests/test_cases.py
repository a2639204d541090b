"""The case engine end to end on the real FY2567 manual and on small hand-made processes, with
frozen clocks: deadlines, flow, control points, pause, back-dating, audit and locking."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.db.models import QuerySet

from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.manual.durations import parse_duration
from krabuan.manual.models import ControlKind, Manual, Process, Step, StepControl
from krabuan.manual.tests.factories import ProcessFactory, StepControlFactory, StepFactory
from krabuan.workflow.models import (
    Case,
    CaseStatus,
    ControlConfirmation,
    RiskOccurrence,
    StepInstance,
)
from krabuan.workflow.selectors import process_kpi
from krabuan.workflow.services import cases
from krabuan.workflow.services.cases import (
    RECURRENCE_STOP,
    case_cancel,
    case_start,
    control_confirm,
    risk_record,
    step_complete,
    step_pause,
    step_resume,
    step_skip,
    step_update,
)
from krabuan.workflow.tests.conftest import process

S04_SPECIFIC = "วิธีเฉพาะเจาะจง"
S04_SELECTIVE = "วิธีคัดเลือก"


@pytest.fixture
def demo_auditor(fy2567):
    # The demo organisation already has the auditor and requester sign-ins.
    return get_user_model().objects.get(username="auditor")


@pytest.fixture
def demo_requester(fy2567):
    return get_user_model().objects.get(username="requester")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def frozen(*args: int):
    return time_machine.travel(at(*args), tick=False)


def active(case: Case) -> StepInstance:
    return case.steps.select_related("step").get(status__in=["active", "paused"])


def complete_through(case: Case, actor, last_order: int, *, when: tuple[int, ...]) -> None:
    """Complete the open steps up to `last_order`, all at one frozen instant."""
    with frozen(*when):
        while True:
            current = active(case)
            if current.order > last_order:
                return
            step_complete(instance=current, actor=actor)


def custom_process(manual: Manual, code: str, steps: list[dict]) -> Process:
    """A small process in the manual; each step dict gives at least `duration_text`."""
    proc = ProcessFactory(manual=manual, code=code, number=int(code[1:]), kind="core")
    for order, spec in enumerate(steps, start=1):
        spec = dict(spec)
        text = spec.pop("duration_text")
        duration = parse_duration(text)
        StepFactory(
            process=proc,
            order=order,
            duration_text=text,
            duration=duration.to_dict(),
            duration_status=duration.status,
            **spec,
        )
    return proc


def instants(values: list) -> list:
    """Audit values back to datetimes (stored as ISO text in whatever zone they were read in)."""
    return [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]


def db_state() -> tuple:
    """Everything a refused call must leave untouched."""
    return (
        list(Case.objects.order_by("pk").values()),
        list(StepInstance.objects.order_by("pk").values()),
        list(ControlConfirmation.objects.order_by("pk").values()),
        list(RiskOccurrence.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def audits(obj, action: str) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).order_by("id")


# Starting a case


def test_start_creates_every_step_and_starts_the_first(fy2567, worker):
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=s06, title="แผนพัฒนารายบุคคล 2567", actor=worker)
    assert (case.status, case.fiscal_year, case.started_at) == ("open", 2567, at(2024, 4, 10, 9))
    assert case.requester == worker
    assert case.responsible_unit == s06.responsible_unit
    rows = list(case.steps.order_by("order").values_list("order", "status", "pass_no", "due_at"))
    assert rows == [
        (1, "active", 1, at(2024, 4, 11, 16, 30)),
        (2, "pending", 1, None),
        (3, "pending", 1, None),
        (4, "pending", 1, None),
        (5, "pending", 1, None),
    ]
    first = case.steps.get(order=1)
    assert (first.assignee, first.started_at, first.target_at) == (
        worker,
        at(2024, 4, 10, 9),
        at(2024, 4, 11, 16, 30),
    )
    assert first.planned_seconds == int(dt.timedelta(days=1, hours=7, minutes=30).total_seconds())
    assert first.needs_review is False


def test_reference_numbers_run_per_process_code_and_fiscal_year(fy2567, worker):
    s06, c01 = process(fy2567, "S06"), process(fy2567, "C01")
    with frozen(2024, 9, 30, 10, 0):
        refs = [case_start(process=s06, title=f"เรื่อง {n}", actor=worker).reference for n in (1, 2)]
        refs.append(case_start(process=c01, title="ทบทวนแผน", actor=worker).reference)
    with frozen(2024, 10, 1, 10, 0):  # fiscal year 2568 begins
        refs.append(case_start(process=s06, title="เรื่องปีใหม่", actor=worker).reference)
    assert refs == ["S06-2567-00001", "S06-2567-00002", "C01-2567-00001", "S06-2568-00001"]


def test_reference_numbers_keep_counting_past_five_digits(fy2567, worker):
    s06 = process(fy2567, "S06")
    Case.objects.create(
        reference="S06-2567-99999",
        process=s06,
        title="เรื่องที่ ๙๙๙๙๙",
        responsible_unit=s06.responsible_unit,
        fiscal_year=2567,
        started_at=at(2024, 4, 1, 9),
    )
    with frozen(2024, 4, 10, 9, 0):
        first = case_start(process=s06, title="ก", actor=worker).reference
        second = case_start(process=s06, title="ข", actor=worker).reference
    assert (first, second) == ("S06-2567-100000", "S06-2567-100001")


def test_a_reference_taken_meanwhile_is_retried_with_the_next_number(fy2567, worker, monkeypatch):
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        taken = case_start(process=s06, title="เรื่องแรก", actor=worker)
        real = cases._reference
        calls: list[str] = []

        def racing(proc, year):
            # The first read is stale, as if another request had not committed yet.
            calls.append("read")
            return taken.reference if len(calls) == 1 else real(proc, year)

        monkeypatch.setattr(cases, "_reference", racing)
        case = case_start(process=s06, title="เรื่องที่สอง", actor=worker)
    assert calls == ["read", "read"]
    assert case.reference == "S06-2567-00002"
    assert case.steps.count() == 5


def test_numbering_gives_up_with_409_after_repeated_collisions(fy2567, worker, monkeypatch):
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        taken = case_start(process=s06, title="เรื่องแรก", actor=worker)
        monkeypatch.setattr(cases, "_reference", lambda proc, year: taken.reference)
        before = db_state()
        with pytest.raises(Conflict) as refused:
            case_start(process=s06, title="เรื่องที่สอง", actor=worker)
    assert (refused.value.status, refused.value.code) == (409, "reference_busy")
    assert db_state() == before


def test_an_integrity_error_that_is_not_the_number_is_not_swallowed(fy2567, worker, monkeypatch):
    s06 = process(fy2567, "S06")

    def broken(**kwargs):
        raise IntegrityError("another constraint")

    monkeypatch.setattr(Case.objects, "create", broken)
    with frozen(2024, 4, 10, 9, 0), pytest.raises(IntegrityError):
        case_start(process=s06, title="เรื่อง", actor=worker)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "ก" * 301}, "title"),
        ({"priority": "soon"}, "priority"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 100_001}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": "12"}, "quantity"),
    ],
)
def test_start_validates_its_input_and_names_the_field(fy2567, worker, kwargs, field):
    params = {"process": process(fy2567, "S06"), "title": "เรื่อง", "actor": worker, **kwargs}
    with pytest.raises(ApplicationError) as refused:
        case_start(**params)
    assert refused.value.status == 400
    assert list(refused.value.fields) == [field]
    assert Case.objects.count() == 0


def test_a_process_without_steps_cannot_start(fy2567, worker):
    empty = ProcessFactory(manual=fy2567, code="C90", number=90, kind="core")
    with pytest.raises(ApplicationError) as refused:
        case_start(process=empty, title="เรื่อง", actor=worker)
    assert refused.value.code == "process_has_no_steps"


def test_auditor_cannot_start_a_case(fy2567, demo_auditor):
    with pytest.raises(PermissionDenied):
        case_start(process=process(fy2567, "S06"), title="เรื่อง", actor=demo_auditor)
    assert Case.objects.count() == 0


def test_a_requester_starts_a_case_that_staff_then_work_on(fy2567, demo_requester):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="ขอแผน", actor=demo_requester)
    first = case.steps.get(order=1)
    assert (case.requester, first.status, first.assignee) == (demo_requester, "active", None)


# Deadlines through the engine


def test_quantity_given_at_start_multiplies_a_per_item_first_step(fy2567, worker):
    letters = custom_process(
        fy2567, "C91", [{"duration_text": "๕ นาที/เรื่อง"}, {"duration_text": "๑ วัน"}]
    )
    with frozen(2024, 7, 5, 16, 0):  # Friday
        case = case_start(process=letters, title="หนังสือ ๑๒ ฉบับ", actor=worker, quantity=12)
    first = case.steps.get(order=1)
    assert (first.quantity, first.due_at, first.target_at) == (
        12,
        at(2024, 7, 8, 9, 0),
        at(2024, 7, 8, 9, 0),
    )


def test_s02_letters_quantity_carries_to_per_item_steps_and_can_be_changed(fy2567, worker):
    s02 = process(fy2567, "S02")
    with frozen(2024, 7, 5, 15, 50):
        case = case_start(process=s02, title="รับหนังสือ ๑๒ ฉบับ", actor=worker, quantity=12)
    first = case.steps.get(order=1)
    # Step 1 has no duration in the manual: no deadline, flagged for review.
    assert (first.due_at, first.needs_review, first.quantity) == (None, True, 12)
    with frozen(2024, 7, 5, 16, 0):
        step_complete(instance=first, actor=worker)
    second = active(case)
    # "๕ นาที/เรื่อง" × 12 = 60 office minutes from Friday 16:00 → Monday 09:00.
    assert (second.order, second.quantity, second.started_at, second.due_at) == (
        2,
        12,
        at(2024, 7, 5, 16, 0),
        at(2024, 7, 8, 9, 0),
    )
    assert second.planned_seconds == 65 * 3600
    with frozen(2024, 7, 5, 16, 5):
        updated = step_update(instance=second, actor=worker, quantity=6)
    # Recomputed from the step's start: 30 minutes → 16:30 the same day.
    assert (updated.quantity, updated.due_at) == (6, at(2024, 7, 5, 16, 30))
    with frozen(2024, 7, 8, 9, 10):
        step_complete(instance=second, actor=worker, quantity=18)
    second.refresh_from_db()
    # 18 × 5 = 90 minutes: 30 on Friday, 60 from Monday 08:30 → 09:30; done 09:10 is on time.
    assert (second.quantity, second.due_at, second.on_time) == (18, at(2024, 7, 8, 9, 30), True)
    third = active(case)
    assert (third.order, third.quantity, third.due_at) == (3, 18, at(2024, 7, 8, 10, 40))


def test_s04_procurement_deadline_follows_the_chosen_method(fy2567, worker):
    s04 = process(fy2567, "S04")
    with frozen(2024, 4, 1, 9, 0):
        case = case_start(process=s04, title="จัดซื้อครุภัณฑ์", actor=worker)
        assert active(case).due_at == at(2024, 8, 31, 16, 30)  # "ช่วงเดือน ส.ค."
        step_complete(instance=active(case), actor=worker)
        open_ended = active(case)  # "ตั้งแต่ได้รับการจัดสรรงบประมาณ"
        assert (open_ended.order, open_ended.due_at, open_ended.needs_review) == (2, None, True)
    complete_through(case, worker, 4, when=(2024, 4, 1, 9, 0))
    procurement = active(case)
    # No method chosen: the slowest (60 working days) is the deadline, the fastest the target.
    assert (procurement.order, procurement.due_at, procurement.target_at) == (
        5,
        at(2024, 7, 5, 16, 30),
        at(2024, 4, 9, 16, 30),
    )
    with frozen(2024, 4, 2, 9, 0):
        chosen = step_update(instance=procurement, actor=worker, alternative=S04_SPECIFIC)
    assert (chosen.alternative, chosen.due_at, chosen.target_at) == (
        S04_SPECIFIC,
        at(2024, 4, 19, 16, 30),
        at(2024, 4, 9, 16, 30),
    )
    with frozen(2024, 4, 2, 9, 5):
        chosen = step_update(instance=procurement, actor=worker, alternative=S04_SELECTIVE)
    assert (chosen.due_at, chosen.target_at) == (at(2024, 5, 1, 16, 30), at(2024, 4, 11, 16, 30))
    with frozen(2024, 4, 2, 9, 10):
        cleared = step_update(instance=procurement, actor=worker, alternative="")
    assert (cleared.alternative, cleared.due_at) == ("", at(2024, 7, 5, 16, 30))


def test_a_method_can_be_chosen_when_completing(fy2567, worker):
    s04 = process(fy2567, "S04")
    with frozen(2024, 4, 1, 9, 0):
        case = case_start(process=s04, title="จัดซื้อ", actor=worker)
    complete_through(case, worker, 4, when=(2024, 4, 1, 9, 0))
    procurement = active(case)
    with frozen(2024, 4, 22, 10, 0):
        step_complete(instance=procurement, actor=worker, alternative=S04_SPECIFIC)
    procurement.refresh_from_db()
    # Due 19 Apr under the chosen method, so 22 Apr is late.
    assert (procurement.due_at, procurement.on_time, procurement.breached) == (
        at(2024, 4, 19, 16, 30),
        False,
        True,
    )
    assert procurement.breached_at == at(2024, 4, 19, 16, 30)


@pytest.mark.parametrize("alternative", ["วิธีที่ไม่มี", "x" * 300])
def test_an_unknown_method_is_refused_naming_the_field(fy2567, worker, alternative):
    s04 = process(fy2567, "S04")
    with frozen(2024, 4, 1, 9, 0):
        case = case_start(process=s04, title="จัดซื้อ", actor=worker)
    complete_through(case, worker, 4, when=(2024, 4, 1, 9, 0))
    before = db_state()
    with pytest.raises(ApplicationError) as refused:
        step_update(instance=active(case), actor=worker, alternative=alternative)
    assert list(refused.value.fields) == ["alternative"]
    assert db_state() == before


def test_a_step_without_methods_refuses_a_method(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
    with pytest.raises(ApplicationError) as refused:
        step_update(instance=active(case), actor=worker, alternative="วิธีใดก็ได้")
    assert list(refused.value.fields) == ["alternative"]


def test_c14_monthly_step_repeats_until_the_repetition_is_ended(fy2567, worker):
    c14 = process(fy2567, "C14")
    with frozen(2024, 4, 1, 9, 0):
        case = case_start(process=c14, title="จ้างบำรุงรักษาระบบ", actor=worker)
    complete_through(case, worker, 3, when=(2024, 4, 1, 9, 0))
    first = active(case)
    assert (first.order, first.iteration, first.due_at) == (4, 1, at(2024, 5, 1, 16, 30))
    with frozen(2024, 4, 25, 10, 0):
        step_complete(instance=first, actor=worker, note="ตรวจเดือนเมษายน")
    second = active(case)
    # The next occurrence is due one month after the previous deadline.
    assert (second.order, second.iteration, second.started_at, second.due_at) == (
        4,
        2,
        at(2024, 4, 25, 10, 0),
        at(2024, 6, 1, 16, 30),
    )
    with frozen(2024, 6, 3, 10, 0):
        step_complete(instance=second, actor=worker)
    second.refresh_from_db()
    assert (second.on_time, second.breached) == (False, True)
    third = active(case)
    assert (third.iteration, third.due_at) == (3, at(2024, 7, 1, 16, 30))
    with frozen(2024, 6, 20, 10, 0):
        case = step_complete(instance=third, actor=worker, outcome=RECURRENCE_STOP)
    nxt = active(case)
    assert (nxt.order, nxt.iteration, nxt.due_at) == (5, 1, at(2024, 6, 21, 16, 30))
    assert list(
        case.steps.filter(order=4).order_by("iteration").values_list("iteration", "status")
    ) == [(1, "done"), (2, "done"), (3, "done")]
    assert case.status == CaseStatus.OPEN


def test_an_open_ended_step_has_no_deadline_and_counts_for_review(fy2567, worker):
    c14 = process(fy2567, "C14")
    with frozen(2024, 4, 1, 9, 0):
        case = case_start(process=c14, title="จ้างบำรุงรักษา", actor=worker)
    complete_through(case, worker, 3, when=(2024, 4, 1, 9, 0))
    with frozen(2024, 4, 1, 9, 0):
        step_complete(instance=active(case), actor=worker, outcome=RECURRENCE_STOP)
        step_skip(instance=active(case), actor=worker, reason="ดำเนินการเองได้")  # 5 (กรณี…)
    complete_through(case, worker, 7, when=(2024, 4, 1, 9, 0))
    eighth = active(case)  # "เวลา ณ ใช้งาน"
    assert (eighth.order, eighth.due_at, eighth.target_at, eighth.needs_review) == (
        8,
        None,
        None,
        True,
    )
    with frozen(2024, 4, 3, 9, 0):
        step_complete(instance=eighth, actor=worker)
    eighth.refresh_from_db()
    assert (eighth.status, eighth.on_time, eighth.breached) == ("done", None, False)


# Flow: outcomes, returns, skips, closing, cancel


def test_s06_disapproval_returns_to_step_one_and_both_passes_stay(fy2567, worker):
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=s06, title="แผนพัฒนารายบุคคล", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
    with frozen(2024, 4, 10, 10, 0):
        step_complete(instance=first, actor=worker)
    with frozen(2024, 4, 10, 10, 30):
        step_complete(instance=active(case), actor=worker)
    with frozen(2024, 4, 10, 10, 35):
        case = step_complete(instance=active(case), actor=worker, outcome="ไม่เห็นชอบ")
    rows = list(
        case.steps.order_by("order", "pass_no").values_list("order", "pass_no", "status", "outcome")
    )
    assert rows == [
        (1, 1, "done", ""),
        (1, 2, "active", ""),
        (2, 1, "done", ""),
        (2, 2, "pending", ""),
        (3, 1, "done", "ไม่เห็นชอบ"),
        (3, 2, "pending", ""),
        (4, 1, "pending", ""),
        (5, 1, "pending", ""),
    ]
    again = active(case)
    assert (again.pass_no, again.started_at, again.due_at) == (
        2,
        at(2024, 4, 10, 10, 35),
        at(2024, 4, 11, 16, 30),
    )
    assert audits(case, "case.return").get().changes == {
        "from_order": 3,
        "to_order": 1,
        "pass_no": 2,
    }
    # The second pass needs its control point confirmed again.
    with pytest.raises(Conflict):
        step_complete(instance=again, actor=worker)
    control_confirm(instance=again, control=again.step.controls.get(kind="control"), actor=worker)
    with frozen(2024, 4, 10, 11, 0):
        step_complete(instance=again, actor=worker)
    with frozen(2024, 4, 10, 11, 10):
        step_complete(instance=active(case), actor=worker)
    with frozen(2024, 4, 10, 11, 15):
        case = step_complete(instance=active(case), actor=worker, outcome="เห็นชอบ")
    fourth = active(case)
    assert (fourth.order, fourth.pass_no) == (4, 1)
    with frozen(2024, 4, 10, 13, 0):
        step_complete(instance=fourth, actor=worker)
    with frozen(2024, 4, 10, 13, 3):
        case = step_complete(instance=active(case), actor=worker)
    assert (case.status, case.closed_at) == (CaseStatus.DONE, at(2024, 4, 10, 13, 3))
    assert case.steps.filter(status="done").count() == 8
    with frozen(2024, 4, 10, 14, 0):
        kpi = process_kpi(process=s06, fiscal_year=2567)
    assert (kpi["steps_total"], kpi["steps_completed"], kpi["steps_on_time"]) == (8, 8, 8)
    assert kpi["on_time_pct"] == 100.0


def test_s02_incorrect_letter_goes_back_for_correction(fy2567, worker):
    s02 = process(fy2567, "S02")
    with frozen(2024, 7, 4, 9, 0):
        case = case_start(process=s02, title="ส่งหนังสือ", actor=worker)
    complete_through(case, worker, 8, when=(2024, 7, 4, 9, 0))
    with frozen(2024, 7, 4, 9, 5):
        case = step_complete(instance=active(case), actor=worker, outcome="ไม่ถูกต้อง")
    correction = active(case)
    assert (correction.order, correction.pass_no) == (8, 2)
    assert list(case.steps.filter(pass_no=2).values_list("order", flat=True)) == [8, 9]
    with frozen(2024, 7, 4, 9, 10):
        step_complete(instance=correction, actor=worker)
    with frozen(2024, 7, 4, 9, 15):
        case = step_complete(instance=active(case), actor=worker, outcome="ถูกต้อง")
    assert (case.status, case.closed_at) == (CaseStatus.DONE, at(2024, 7, 4, 9, 15))
    assert case.steps.filter(order=9).count() == 2


@pytest.mark.parametrize("outcome", ["", "อนุมัติ"])
def test_a_step_with_outcomes_requires_one_of_them(fy2567, worker, outcome):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
        complete_through(case, worker, 2, when=(2024, 4, 10, 9, 0))
        before = db_state()
        with pytest.raises(ApplicationError) as refused:
            step_complete(instance=active(case), actor=worker, outcome=outcome)
    assert refused.value.status == 400
    assert list(refused.value.fields) == ["outcome"]
    assert "เห็นชอบ" in refused.value.message
    assert db_state() == before


def test_a_return_to_a_step_that_does_not_exist_is_refused(fy2567, worker):
    broken = custom_process(
        fy2567,
        "C92",
        [
            {"duration_text": "๑ วัน"},
            {"duration_text": "๑ วัน", "outcomes": [{"label": "แก้ไข", "return_to": 7}]},
        ],
    )
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=broken, title="เรื่อง", actor=worker)
        step_complete(instance=active(case), actor=worker)
        before = db_state()
        with pytest.raises(ApplicationError) as refused:
            step_complete(instance=active(case), actor=worker, outcome="แก้ไข")
    assert list(refused.value.fields) == ["outcome"]
    assert db_state() == before


def _optional_process(manual: Manual) -> Process:
    return custom_process(
        manual,
        "C93",
        [
            {"duration_text": "๑ วันทำการ"},
            {"duration_text": "๑ วันทำการ", "is_optional": True, "activity": "แจ้งผล (ถ้ามี)"},
            {"duration_text": "๑ วันทำการ", "condition": "กรณีมีงบประมาณ"},
            {"duration_text": "๑ วันทำการ"},
        ],
    )


def test_optional_and_conditional_steps_are_skipped_with_a_reason(fy2567, worker):
    proc = _optional_process(fy2567)
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=proc, title="เรื่อง", actor=worker)
        step_complete(instance=active(case), actor=worker)
    with frozen(2024, 4, 10, 10, 0):
        step_skip(instance=active(case), actor=worker, reason="ไม่มีผลที่ต้องแจ้ง")
        case = step_skip(instance=active(case), actor=worker, reason="ไม่มีงบประมาณ")
    rows = list(case.steps.order_by("order").values_list("order", "status", "skip_reason"))
    assert rows == [
        (1, "done", ""),
        (2, "skipped", "ไม่มีผลที่ต้องแจ้ง"),
        (3, "skipped", "ไม่มีงบประมาณ"),
        (4, "active", ""),
    ]
    assert case.steps.get(order=2).completed_at == at(2024, 4, 10, 10, 0)
    assert audits(case.steps.get(order=2), "step.skip").get().changes["reason"] == ("ไม่มีผลที่ต้องแจ้ง")
    with frozen(2024, 4, 10, 11, 0):
        kpi = process_kpi(process=proc, fiscal_year=2567)
    # Skipped steps are not measured.
    assert (kpi["steps_total"], kpi["steps_completed"]) == (2, 1)


def test_a_required_step_cannot_be_skipped(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_optional_process(fy2567), title="เรื่อง", actor=worker)
    before = db_state()
    with pytest.raises(Conflict) as refused:
        step_skip(instance=active(case), actor=worker, reason="ไม่อยากทำ")
    assert (refused.value.status, refused.value.code) == (409, "step_not_skippable")
    assert db_state() == before


def test_skipping_needs_a_reason(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_optional_process(fy2567), title="เรื่อง", actor=worker)
        step_complete(instance=active(case), actor=worker)
    before = db_state()
    with pytest.raises(ApplicationError) as refused:
        step_skip(instance=active(case), actor=worker, reason="  ")
    assert list(refused.value.fields) == ["reason"]
    assert db_state() == before


def test_skipping_the_last_step_closes_the_case(fy2567, worker):
    proc = custom_process(
        fy2567,
        "C94",
        [{"duration_text": "๑ วัน"}, {"duration_text": "๑ วัน", "is_optional": True}],
    )
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=proc, title="เรื่อง", actor=worker)
        step_complete(instance=active(case), actor=worker)
    with frozen(2024, 4, 10, 9, 30):
        case = step_skip(instance=active(case), actor=worker, reason="ไม่มี")
    assert (case.status, case.closed_at) == (CaseStatus.DONE, at(2024, 4, 10, 9, 30))


def test_cancel_closes_the_case_and_its_steps(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
    with frozen(2024, 4, 10, 11, 0):
        case = case_cancel(case=case, actor=worker, reason="ยื่นซ้ำ")
    assert (case.status, case.closed_at) == (CaseStatus.CANCELLED, at(2024, 4, 10, 11, 0))
    assert set(case.steps.values_list("status", flat=True)) == {"cancelled"}
    entry = audits(case, "case.cancel").get()
    assert entry.changes["status"] == ["open", "cancelled"]
    assert (entry.changes["reason"], entry.changes["steps_cancelled"]) == ("ยื่นซ้ำ", 5)
    with pytest.raises(Conflict):
        case_cancel(case=case, actor=worker, reason="อีกครั้ง")
    with pytest.raises(Conflict) as refused:
        step_complete(instance=case.steps.get(order=1), actor=worker)
    assert refused.value.code == "step_not_open"


def test_cancel_needs_a_reason(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
    before = db_state()
    with pytest.raises(ApplicationError) as refused:
        case_cancel(case=case, actor=worker, reason="")
    assert list(refused.value.fields) == ["reason"]
    assert db_state() == before


# Control points and risks


def _controlled_process(manual: Manual) -> Process:
    proc = custom_process(manual, "C95", [{"duration_text": "๑ วัน"}, {"duration_text": "๑ วัน"}])
    first, second = proc.steps.order_by("order")
    StepControlFactory(step=first, text="ตรวจสอบเอกสารครบถ้วน", sort_order=1)
    StepControlFactory(step=first, text="ผู้บังคับบัญชาลงนาม", sort_order=2)
    StepControlFactory(step=first, kind=ControlKind.RISK, text="เอกสารสูญหาย", sort_order=1)
    StepControlFactory(step=second, text="ตรวจรับงาน", sort_order=1)
    return proc


def _controls(step: Step) -> list[StepControl]:
    return list(step.controls.filter(kind="control").order_by("sort_order"))


def test_completion_is_refused_listing_every_unconfirmed_control_point(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
    first = active(case)
    checked, signed = _controls(first.step)
    before = db_state()
    with pytest.raises(Conflict) as refused:
        step_complete(instance=first, actor=worker)
    assert (refused.value.status, refused.value.code) == (409, "controls_unconfirmed")
    assert refused.value.fields == {"controls": ["ตรวจสอบเอกสารครบถ้วน", "ผู้บังคับบัญชาลงนาม"]}
    assert refused.value.message == (
        "ยังไม่ได้ยืนยันจุดควบคุม 2 รายการ: ตรวจสอบเอกสารครบถ้วน; ผู้บังคับบัญชาลงนาม"
    )
    assert db_state() == before
    with frozen(2024, 4, 10, 9, 30):
        confirmation = control_confirm(instance=first, control=checked, actor=worker, note="ครบ")
    assert (confirmation.confirmed_by, confirmation.confirmed_at, confirmation.note) == (
        worker,
        at(2024, 4, 10, 9, 30),
        "ครบ",
    )
    with pytest.raises(Conflict) as refused:
        step_complete(instance=first, actor=worker)
    assert refused.value.fields == {"controls": ["ผู้บังคับบัญชาลงนาม"]}
    control_confirm(instance=first, control=signed, actor=worker)
    with frozen(2024, 4, 10, 10, 0):
        step_complete(instance=first, actor=worker)
    assert active(case).order == 2


def test_a_control_point_is_confirmed_once(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
    first = active(case)
    control = _controls(first.step)[0]
    control_confirm(instance=first, control=control, actor=worker)
    before = db_state()
    with pytest.raises(Conflict) as refused:
        control_confirm(instance=first, control=control, actor=worker)
    assert (refused.value.status, refused.value.code) == (409, "control_already_confirmed")
    assert db_state() == before


def test_a_control_of_another_step_or_a_risk_cannot_be_confirmed(fy2567, worker):
    proc = _controlled_process(fy2567)
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=proc, title="เรื่อง", actor=worker)
    first = active(case)
    other_step = StepControl.objects.get(step__process=proc, step__order=2)
    risk = first.step.controls.get(kind="risk")
    before = db_state()
    for wrong in (other_step, risk):
        with pytest.raises(ApplicationError) as refused:
            control_confirm(instance=first, control=wrong, actor=worker)
        assert (refused.value.status, list(refused.value.fields)) == (400, ["control"])
    assert db_state() == before


def test_a_pending_step_cannot_be_confirmed(fy2567, worker):
    proc = _controlled_process(fy2567)
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=proc, title="เรื่อง", actor=worker)
    pending = case.steps.get(order=2)
    with pytest.raises(Conflict) as refused:
        control_confirm(instance=pending, control=_controls(pending.step)[0], actor=worker)
    assert refused.value.code == "step_not_open"


def test_evidence_file_is_stored_with_the_confirmation(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
        first = active(case)
        evidence = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", "application/pdf")
        confirmation = control_confirm(
            instance=first, control=_controls(first.step)[1], actor=worker, evidence=evidence
        )
    stored = ControlConfirmation.objects.get(pk=confirmation.pk)
    assert stored.evidence.name.startswith("evidence/2024/04/signed")
    with stored.evidence.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 signed"
    entry = audits(first, "step.control.confirm").get()
    assert entry.changes["control"] == "ผู้บังคับบัญชาลงนาม"
    assert entry.changes["evidence"] == [None, stored.evidence.name]
    assert entry.actor == worker


def test_risks_are_recorded_against_the_step(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
        first = active(case)
        risk = first.step.controls.get(kind="risk")
        listed = risk_record(instance=first, actor=worker, risk=risk, note="เอกสารหายระหว่างส่ง")
        unlisted = risk_record(instance=first, actor=worker, note="ระบบล่ม")
    assert (listed.risk, listed.note, listed.recorded_by, listed.recorded_at) == (
        risk,
        "เอกสารหายระหว่างส่ง",
        worker,
        at(2024, 4, 10, 9, 0),
    )
    assert unlisted.risk is None
    assert first.risk_occurrences.count() == 2
    assert audits(first, "step.risk").count() == 2


def test_a_risk_must_be_one_of_the_step_and_needs_a_note(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
    first = active(case)
    control = _controls(first.step)[0]
    before = db_state()
    with pytest.raises(ApplicationError) as refused:
        risk_record(instance=first, actor=worker, risk=control, note="ไม่ใช่ความเสี่ยง")
    assert list(refused.value.fields) == ["risk"]
    with pytest.raises(ApplicationError) as refused:
        risk_record(instance=first, actor=worker, note=" ")
    assert list(refused.value.fields) == ["note"]
    with pytest.raises(Conflict) as refused:
        risk_record(instance=case.steps.get(order=2), actor=worker, note="ยังไม่เริ่ม")
    assert refused.value.code == "step_not_started"
    assert db_state() == before


@pytest.mark.parametrize("role_fixture", ["demo_auditor", "demo_requester"])
def test_readers_and_requesters_change_nothing_on_steps(fy2567, worker, role_fixture, request):
    reader = request.getfixturevalue(role_fixture)
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=_controlled_process(fy2567), title="เรื่อง", actor=worker)
    first = active(case)
    control = _controls(first.step)[0]
    risk = first.step.controls.get(kind="risk")
    before = db_state()
    attempts = [
        lambda: control_confirm(instance=first, control=control, actor=reader),
        lambda: step_complete(instance=first, actor=reader),
        lambda: step_update(instance=first, actor=reader, quantity=3),
        lambda: step_pause(instance=first, actor=reader, reason="รอ"),
        lambda: step_skip(instance=first, actor=reader, reason="ข้าม"),
        lambda: risk_record(instance=first, actor=reader, risk=risk, note="เกิดขึ้น"),
        lambda: case_cancel(case=case, actor=reader, reason="ยกเลิก"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.status == 403
    assert db_state() == before


# Pause and resume


def test_paused_time_moves_deadline_and_target_and_is_reported(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
    first = active(case)
    with frozen(2024, 4, 10, 10, 0):
        paused = step_pause(instance=first, actor=worker, reason="รอเอกสารจากกองการเจ้าหน้าที่")
    case.refresh_from_db()
    assert (paused.status, paused.paused_at, paused.pause_reason, case.status) == (
        "paused",
        at(2024, 4, 10, 10, 0),
        "รอเอกสารจากกองการเจ้าหน้าที่",
        CaseStatus.WAITING,
    )
    with frozen(2024, 4, 10, 12, 0):
        resumed = step_resume(instance=first, actor=worker)
    case.refresh_from_db()
    assert (resumed.status, resumed.paused_at, resumed.paused_seconds) == ("active", None, 7200)
    assert (resumed.due_at, resumed.target_at) == (at(2024, 4, 11, 18, 30), at(2024, 4, 11, 18, 30))
    assert case.status == CaseStatus.OPEN
    pause_entry = audits(first, "step.pause").get()
    assert pause_entry.changes["case_status"] == ["open", "waiting"]
    assert pause_entry.changes["status"] == ["active", "paused"]
    resume_entry = audits(first, "step.resume").get()
    assert resume_entry.changes["paused_seconds"] == [0, 7200]
    assert instants(resume_entry.changes["due_at"]) == [
        at(2024, 4, 11, 16, 30),
        at(2024, 4, 11, 18, 30),
    ]
    # A second pause adds to the first.
    with frozen(2024, 4, 11, 9, 0):
        step_pause(instance=first, actor=worker, reason="รอลายมือชื่อ")
    with frozen(2024, 4, 11, 9, 30):
        resumed = step_resume(instance=first, actor=worker)
    assert (resumed.paused_seconds, resumed.due_at) == (9000, at(2024, 4, 11, 19, 0))


def test_a_quantity_change_after_a_pause_keeps_the_paused_time(fy2567, worker):
    letters = custom_process(fy2567, "C96", [{"duration_text": "๕ นาที/เรื่อง"}])
    with frozen(2024, 7, 4, 9, 0):
        case = case_start(process=letters, title="หนังสือ", actor=worker, quantity=2)
    first = active(case)
    with frozen(2024, 7, 4, 9, 5):
        step_pause(instance=first, actor=worker, reason="รอ")
    with frozen(2024, 7, 4, 9, 35):
        step_resume(instance=first, actor=worker)
    with frozen(2024, 7, 4, 9, 40):
        updated = step_update(instance=first, actor=worker, quantity=4)
    # 4 × 5 minutes from 09:00, plus the 30 minutes waited.
    assert updated.due_at == at(2024, 7, 4, 9, 50)


def test_completing_a_paused_step_resumes_it_first(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
    with frozen(2024, 4, 10, 10, 0):
        step_pause(instance=first, actor=worker, reason="รอ")
    with frozen(2024, 4, 11, 17, 0):  # after the original deadline, within the moved one
        case = step_complete(instance=first, actor=worker)
    first.refresh_from_db()
    assert (first.status, first.paused_at, first.paused_seconds) == ("done", None, 111600)
    assert (first.due_at, first.on_time, first.breached) == (at(2024, 4, 12, 23, 30), True, False)
    assert case.status == CaseStatus.OPEN


def test_a_return_from_a_paused_step_leaves_the_case_open(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
        complete_through(case, worker, 2, when=(2024, 4, 10, 9, 0))
        step_pause(instance=active(case), actor=worker, reason="รอผู้อำนวยการ")
    with frozen(2024, 4, 10, 9, 5):
        case = step_complete(instance=active(case), actor=worker, outcome="ไม่เห็นชอบ")
    assert case.status == CaseStatus.OPEN
    assert (active(case).order, active(case).pass_no) == (1, 2)


def test_pause_and_resume_refuse_the_wrong_state(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
    first = active(case)
    with pytest.raises(Conflict) as refused:
        step_resume(instance=first, actor=worker)
    assert refused.value.code == "step_not_paused"
    with pytest.raises(ApplicationError) as refused:
        step_pause(instance=first, actor=worker, reason="")
    assert list(refused.value.fields) == ["reason"]
    step_pause(instance=first, actor=worker, reason="รอ")
    with pytest.raises(Conflict) as refused:
        step_pause(instance=first, actor=worker, reason="รออีก")
    assert refused.value.code == "step_not_active"
    with pytest.raises(Conflict) as refused:
        step_pause(instance=case.steps.get(order=2), actor=worker, reason="รอ")
    assert refused.value.code == "step_not_active"


# Back-dating


def test_an_officer_cannot_back_date(fy2567, worker):
    s06 = process(fy2567, "S06")
    with frozen(2024, 4, 10, 9, 0):
        with pytest.raises(PermissionDenied) as refused:
            case_start(process=s06, title="แผน", actor=worker, started_at=at(2024, 4, 1, 9))
        assert list(refused.value.fields) == ["started_at"]
        assert Case.objects.count() == 0
        case = case_start(process=s06, title="แผน", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
    before = db_state()
    with frozen(2024, 4, 10, 11, 0), pytest.raises(PermissionDenied) as refused:
        step_complete(instance=first, actor=worker, completed_at=at(2024, 4, 10, 10, 0))
    assert list(refused.value.fields) == ["completed_at"]
    assert db_state() == before


def test_a_group_head_imports_past_work(fy2567, group_head):
    with frozen(2024, 10, 15, 9, 0):
        case = case_start(
            process=process(fy2567, "S06"),
            title="แผนที่ทำไปแล้ว",
            actor=group_head,
            started_at=at(2024, 4, 10, 9, 0),
        )
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=group_head
        )
        case = step_complete(instance=first, actor=group_head, completed_at=at(2024, 4, 11, 10, 0))
    first.refresh_from_db()
    assert (case.started_at, case.fiscal_year, case.reference) == (
        at(2024, 4, 10, 9, 0),
        2567,
        "S06-2567-00001",
    )
    assert (first.due_at, first.completed_at, first.on_time) == (
        at(2024, 4, 11, 16, 30),
        at(2024, 4, 11, 10, 0),
        True,
    )
    second = active(case)
    # The next step starts when the previous one was done, across Songkran.
    assert (second.started_at, second.due_at) == (at(2024, 4, 11, 10, 0), at(2024, 4, 17, 16, 30))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (dt.datetime(2024, 4, 10, 9, 0), "เขตเวลา"),  # naive
        (at(2024, 10, 15, 10, 0), "อนาคต"),  # an hour ahead of the frozen clock
        (at(1900, 1, 1, 9, 0), "ปีต้องอยู่ในช่วง"),
        ("2024-04-10T09:00:00+07:00", "วันและเวลา"),
    ],
)
def test_back_dated_start_must_be_an_aware_past_datetime(fy2567, group_head, value, message):
    with frozen(2024, 10, 15, 9, 0), pytest.raises(ApplicationError) as refused:
        case_start(process=process(fy2567, "S06"), title="แผน", actor=group_head, started_at=value)
    assert refused.value.status == 400
    assert list(refused.value.fields) == ["started_at"]
    assert message in refused.value.message
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (dt.datetime(2024, 4, 10, 10, 0), "เขตเวลา"),
        (at(2024, 10, 15, 10, 0), "อนาคต"),
        (at(2024, 4, 10, 8, 0), "ก่อนเวลาเริ่ม"),
    ],
)
def test_back_dated_completion_is_validated(fy2567, group_head, value, message):
    with frozen(2024, 10, 15, 9, 0):
        case = case_start(
            process=process(fy2567, "S06"),
            title="แผน",
            actor=group_head,
            started_at=at(2024, 4, 10, 9, 0),
        )
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=group_head
        )
        before = db_state()
        with pytest.raises(ApplicationError) as refused:
            step_complete(instance=first, actor=group_head, completed_at=value)
    assert refused.value.status == 400
    assert list(refused.value.fields) == ["completed_at"]
    assert message in refused.value.message
    assert db_state() == before


def test_a_back_dated_completion_cannot_precede_the_pause(fy2567, group_head):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "C01"), title="ทบทวน", actor=group_head)
    first = active(case)
    with frozen(2024, 4, 10, 11, 0):
        step_pause(instance=first, actor=group_head, reason="รอ")
    before = db_state()
    with frozen(2024, 4, 10, 12, 0), pytest.raises(ApplicationError) as refused:
        step_complete(instance=first, actor=group_head, completed_at=at(2024, 4, 10, 10, 0))
    assert list(refused.value.fields) == ["completed_at"]
    assert "หยุดรอ" in refused.value.message
    assert db_state() == before


# Audit trail


def test_every_change_is_audited_with_before_and_after(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "S06"), title="แผน", actor=worker)
        first = active(case)
        control_confirm(
            instance=first, control=first.step.controls.get(kind="control"), actor=worker
        )
    with frozen(2024, 4, 10, 10, 0):
        step_complete(instance=first, actor=worker, note="เรียบร้อย")
    started = audits(case, "case.start").get()
    assert (started.actor, started.changes["status"]) == (worker, [None, "open"])
    assert started.changes["reference"] == [None, "S06-2567-00001"]
    first_start = audits(first, "step.start").get()
    assert first_start.changes["status"] == ["pending", "active"]
    assert instants(first_start.changes["due_at"]) == [None, at(2024, 4, 11, 16, 30)]
    completed = audits(first, "step.complete").get()
    assert completed.changes["status"] == ["active", "done"]
    assert completed.changes["on_time"] == [None, True]
    assert completed.changes["note"] == ["", "เรียบร้อย"]
    assert instants(completed.changes["completed_at"]) == [None, at(2024, 4, 10, 10, 0)]
    assert "due_at" not in completed.changes  # unchanged values are left out
    second = case.steps.get(order=2)
    assert instants(audits(second, "step.start").get().changes["started_at"]) == [
        None,
        at(2024, 4, 10, 10, 0),
    ]
    with frozen(2024, 4, 10, 10, 5):
        step_update(instance=second, actor=worker, assignee=worker, quantity=3)
    updated = audits(second, "step.update").get()
    assert updated.changes == {"quantity": [None, 3]}


# Locking


def test_a_second_completion_of_the_same_step_is_a_conflict_not_a_double_advance(fy2567, worker):
    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน", actor=worker)
    mine = case.steps.get(order=1)
    theirs = StepInstance.objects.get(pk=mine.pk)  # loaded before either completion
    with frozen(2024, 4, 10, 10, 0):
        step_complete(instance=mine, actor=worker)
    with frozen(2024, 4, 10, 10, 1), pytest.raises(Conflict) as refused:
        step_complete(instance=theirs, actor=worker)
    assert (refused.value.status, refused.value.code) == (409, "step_not_open")
    assert list(case.steps.filter(status="active").values_list("order", flat=True)) == [2]
    assert list(case.steps.filter(status="done").values_list("order", flat=True)) == [1]
    assert audits(mine, "step.complete").count() == 1
    assert theirs.status == "done"  # the caller's object was re-read under the lock


def test_step_writes_lock_the_case_then_the_step(fy2567, worker, monkeypatch):
    from django.db.models.query import QuerySet as DjangoQuerySet

    locked: list[str] = []
    original = DjangoQuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model.__name__)
        return original(self, *args, **kwargs)

    with frozen(2024, 4, 10, 9, 0):
        case = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน", actor=worker)
    monkeypatch.setattr(DjangoQuerySet, "select_for_update", spy)
    with frozen(2024, 4, 10, 10, 0):
        step_complete(instance=active(case), actor=worker)
    assert locked == ["Case", "StepInstance"]
