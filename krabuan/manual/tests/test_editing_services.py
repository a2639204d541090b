"""The editor's write services: rules, one transaction, audit entries with before/after."""

from __future__ import annotations

import pytest

from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.manual.models import (
    ControlKind,
    DurationStatus,
    Manual,
    Owner,
    Requirement,
    RequirementHeading,
    Step,
    StepControl,
)
from krabuan.manual.services import editing
from krabuan.manual.services.editing import RequirementInput, StepInput
from krabuan.manual.tests.factories import (
    ManualFactory,
    ProcessFactory,
    StepControlFactory,
    StepFactory,
)
from krabuan.org.tests.factories import PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _header(process, **overrides):
    values = {
        "name": process.name,
        "number": process.number,
        "authority_number": process.authority_number,
        "authority": process.authority,
        "customers": process.customers,
        "outputs": process.outputs,
        "responsible_unit": process.responsible_unit,
        "quality_standard": process.quality_standard,
    }
    return {**values, **overrides}


def _process_with_steps(n: int):
    process = ProcessFactory()
    steps = [StepFactory(process=process, order=i, label=str(i)) for i in range(1, n + 1)]
    return process, steps


def _orders(process) -> list[tuple[str, int, str]]:
    return list(process.steps.order_by("order").values_list("activity", "order", "label"))


def test_process_update_saves_and_audits_only_what_changed(group_head):
    process = ProcessFactory(name="ชื่อเดิม", customers="หน่วยงานในสังกัด")
    unit = UnitFactory(code="ict-network", name="กลุ่มระบบคอมพิวเตอร์และเครือข่าย")

    editing.process_update(
        process=process,
        actor=group_head,
        **_header(process, name="  ชื่อใหม่  ", responsible_unit=unit, authority_number=6),
    )

    process.refresh_from_db()
    assert (process.name, process.responsible_unit_id, process.authority_number) == (
        "ชื่อใหม่",
        unit.pk,
        6,
    )
    entry = AuditEntry.objects.get(action="manual.process.update")
    assert entry.actor == group_head
    assert entry.object_id == str(process.pk)
    assert entry.changes == {
        "authority_number": [None, 6],
        "name": ["ชื่อเดิม", "ชื่อใหม่"],
        "responsible_unit_id": [None, unit.pk],
    }


def test_process_update_refuses_a_taken_number_naming_the_field(group_head):
    first = ProcessFactory(number=1, name="กระบวนงานแรก")
    second = ProcessFactory(manual=first.manual, number=2)

    with pytest.raises(Conflict) as caught:
        editing.process_update(process=second, actor=group_head, **_header(second, number=1))

    assert caught.value.fields == {"number": ["ลำดับที่ 1 ซ้ำกับกระบวนงาน “กระบวนงานแรก”"]}
    second.refresh_from_db()
    assert second.number == 2
    assert not AuditEntry.objects.exists()


def test_process_update_requires_a_name(group_head):
    process = ProcessFactory(name="ชื่อเดิม")

    with pytest.raises(ApplicationError) as caught:
        editing.process_update(process=process, actor=group_head, **_header(process, name="  "))

    assert caught.value.fields == {"name": ["กรุณากรอกชื่อกระบวนงาน"]}
    process.refresh_from_db()
    assert process.name == "ชื่อเดิม"


def test_only_editors_may_write(officer, auditor):
    process = ProcessFactory(name="ชื่อเดิม")

    for actor in (officer, auditor, None):
        with pytest.raises(PermissionDenied):
            editing.process_update(process=process, actor=actor, **_header(process, name="x"))

    process.refresh_from_db()
    assert process.name == "ชื่อเดิม"
    assert not AuditEntry.objects.exists()


def test_an_earlier_year_is_read_only_once_a_newer_year_exists(group_head):
    process = ProcessFactory(name="ชื่อเดิม")
    ManualFactory(fiscal_year=2568, unit=process.manual.unit)

    with pytest.raises(ApplicationError) as caught:
        editing.process_update(process=process, actor=group_head, **_header(process, name="x"))

    assert caught.value.code == "manual_read_only"
    assert caught.value.message == "คู่มือปีงบประมาณที่ผ่านมาแก้ไขไม่ได้ ให้คัดลอกเป็นปีใหม่"
    assert editing.manual_is_editable(process.manual) is False
    process.refresh_from_db()
    assert process.name == "ชื่อเดิม"


def test_a_published_newest_year_stays_editable(group_head):
    manual = ManualFactory(status="published")
    ManualFactory(fiscal_year=2566, unit=manual.unit)
    process = ProcessFactory(manual=manual)

    editing.process_update(process=process, actor=group_head, **_header(process, name="ใหม่"))

    process.refresh_from_db()
    assert process.name == "ใหม่"


def test_step_create_parses_the_duration_and_appends(group_head):
    process, _ = _process_with_steps(2)

    step = editing.step_create(
        process=process,
        actor=group_head,
        data=StepInput(
            activity="ตรวจรับงาน",
            sub_items=["  ตรวจเอกสาร ", "", "ลงนาม"],
            duration_text="๑-๒ วันทำการ",
        ),
    )

    assert (step.order, step.label) == (3, "๓")
    assert step.sub_items == ["ตรวจเอกสาร", "ลงนาม"]
    assert step.duration_status == DurationStatus.PARSED
    assert (step.duration["min"], step.duration["max"], step.duration["unit"]) == (
        1,
        2,
        "working_day",
    )
    entry = AuditEntry.objects.get(action="manual.step.create")
    assert entry.changes["activity"] == [None, "ตรวจรับงาน"]
    assert entry.changes["process"] == process.pk


def test_step_create_at_a_position_renumbers_the_steps_and_labels(group_head):
    process, _ = _process_with_steps(3)

    editing.step_create(
        process=process, actor=group_head, data=StepInput(activity="ขั้นแรกใหม่"), position=1
    )

    assert [(order, label) for _, order, label in _orders(process)] == [
        (1, "๑"),
        (2, "๒"),
        (3, "๓"),
        (4, "๔"),
    ]
    assert _orders(process)[0][0] == "ขั้นแรกใหม่"


def test_step_create_closes_gaps_left_in_the_orders(group_head):
    process = ProcessFactory()
    for order in (1, 2, 4):
        StepFactory(process=process, order=order, activity=f"ขั้น {order}")

    editing.step_create(
        process=process, actor=group_head, data=StepInput(activity="ใหม่"), position=2
    )

    assert _orders(process) == [
        ("ขั้น 1", 1, "๑"),
        ("ใหม่", 2, "๒"),
        ("ขั้น 2", 3, "๓"),
        ("ขั้น 4", 4, "๔"),
    ]


def test_step_create_rejects_a_position_past_the_end(group_head):
    process, _ = _process_with_steps(2)

    with pytest.raises(ApplicationError) as caught:
        editing.step_create(
            process=process, actor=group_head, data=StepInput(activity="x"), position=5
        )

    assert caught.value.fields == {"position": ["ตำแหน่งต้องเป็นตัวเลข 1–3"]}
    assert process.steps.count() == 2


def test_step_update_reparses_and_keeps_unreadable_text_for_fixing(group_head):
    step = StepFactory(activity="เดิม")

    editing.step_update(
        step=step, actor=group_head, data=StepInput(activity="เดิม", duration_text="๒")
    )

    step.refresh_from_db()
    assert step.duration_text == "๒"
    assert step.duration_status == DurationStatus.UNIT_MISSING
    entry = AuditEntry.objects.get(action="manual.step.update")
    assert entry.changes["duration_text"] == ["๑ วัน", "๒"]
    assert entry.changes["duration_status"] == ["parsed", "unit_missing"]
    assert "activity" not in entry.changes


def test_step_update_without_activity_changes_nothing(group_head):
    step = StepFactory(activity="เดิม")

    with pytest.raises(ApplicationError) as caught:
        editing.step_update(step=step, actor=group_head, data=StepInput(activity=" "))

    assert caught.value.fields == {"activity": ["กรุณากรอกขั้นตอนการทำงาน"]}
    step.refresh_from_db()
    assert step.activity == "เดิม"
    assert not AuditEntry.objects.exists()


def test_step_update_sets_related_units(group_head):
    step = StepFactory()
    unit = UnitFactory(code="finance", name="กองคลัง")

    editing.step_update(
        step=step,
        actor=group_head,
        data=StepInput(activity=step.activity, duration_text="๑ วัน", related_units=[unit]),
    )

    assert list(step.related_units.values_list("code", flat=True)) == ["finance"]
    entry = AuditEntry.objects.get(action="manual.step.update")
    assert entry.changes["related_units"] == [[], ["finance"]]
    assert "activity" not in entry.changes


def test_step_move_swaps_with_the_neighbour(group_head):
    process, steps = _process_with_steps(3)

    editing.step_move(step=steps[2], actor=group_head, direction="up")

    assert [a for a, _, _ in _orders(process)] == [
        steps[0].activity,
        steps[2].activity,
        steps[1].activity,
    ]
    assert AuditEntry.objects.get(action="manual.step.move").changes == {"order": [3, 2]}


def test_step_move_first_up_is_refused(group_head):
    process, steps = _process_with_steps(2)

    with pytest.raises(ApplicationError) as caught:
        editing.step_move(step=steps[0], actor=group_head, direction="up")

    assert caught.value.fields == {"direction": ["ขั้นตอนแรกเลื่อนขึ้นไม่ได้"]}
    assert [a for a, _, _ in _orders(process)] == [s.activity for s in steps]


def test_step_delete_removes_controls_and_closes_the_gap(group_head):
    process, steps = _process_with_steps(3)
    StepControlFactory(step=steps[1], kind=ControlKind.RISK, text="ล่าช้า")

    editing.step_delete(step=steps[1], actor=group_head)

    assert [(a, o, label) for a, o, label in _orders(process)] == [
        (steps[0].activity, 1, "๑"),
        (steps[2].activity, 2, "๒"),
    ]
    assert not StepControl.objects.exists()
    entry = AuditEntry.objects.get(action="manual.step.delete")
    assert entry.changes["controls"] == [[["risk", "ล่าช้า"]], None]


def test_control_add_and_delete_keep_kinds_apart(group_head):
    step = StepFactory()

    control = editing.control_add(step=step, actor=group_head, kind="control", text="ตรวจสอบ")
    risk = editing.control_add(step=step, actor=group_head, kind="risk", text="ล่าช้า")
    editing.control_delete(control=control, actor=group_head)

    assert list(step.controls.values_list("kind", "text")) == [("risk", "ล่าช้า")]
    assert risk.sort_order == 0
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "manual.control.add",
        "manual.control.add",
        "manual.control.delete",
    ]


def test_control_add_rejects_unknown_kind_and_empty_text(group_head):
    step = StepFactory()

    with pytest.raises(ApplicationError) as bad_kind:
        editing.control_add(step=step, actor=group_head, kind="note", text="x")
    with pytest.raises(ApplicationError) as empty:
        editing.control_add(step=step, actor=group_head, kind="risk", text=" ")

    assert bad_kind.value.fields == {"kind": ["ประเภทต้องเป็น จุดควบคุม หรือ ความเสี่ยง"]}
    assert empty.value.fields == {"text": ["กรุณากรอกรายละเอียด"]}
    assert not StepControl.objects.exists()


def test_requirement_update_creates_missing_headings_in_form_order(group_head):
    process = ProcessFactory()
    Requirement.objects.create(
        process=process, heading="laws", detail="พ.ร.บ. เดิม", priority=4, sort_order=2
    )

    editing.requirement_update(
        process=process,
        actor=group_head,
        rows=[
            RequirementInput(heading="customers", detail="หน่วยงานในสังกัด", priority=1),
            RequirementInput(heading="laws", detail="พ.ร.บ. ใหม่", priority=2),
        ],
    )

    rows = list(
        process.requirements.order_by("sort_order").values_list("heading", "detail", "priority")
    )
    assert rows == [("customers", "หน่วยงานในสังกัด", 1), ("laws", "พ.ร.บ. ใหม่", 2)]
    assert AuditEntry.objects.get(action="manual.requirement.update").changes == {
        "customers": [None, {"detail": "หน่วยงานในสังกัด", "priority": 1}],
        "laws": [{"detail": "พ.ร.บ. เดิม", "priority": 4}, {"detail": "พ.ร.บ. ใหม่", "priority": 2}],
    }


def test_requirement_update_is_all_or_nothing(group_head):
    process = ProcessFactory()
    Requirement.objects.create(process=process, heading="customers", detail="เดิม", priority=1)

    with pytest.raises(ApplicationError) as caught:
        editing.requirement_update(
            process=process,
            actor=group_head,
            rows=[
                RequirementInput(heading="customers", detail="ใหม่", priority=2),
                RequirementInput(heading="stakeholders", detail="บุคลากร", priority=100),
            ],
        )

    label = RequirementHeading.STAKEHOLDERS.label
    assert caught.value.fields == {
        "stakeholders-priority": [f"ลำดับความสำคัญของ “{label}”ต้องเป็นตัวเลข 1–99"]
    }
    assert list(process.requirements.values_list("heading", "detail", "priority")) == [
        ("customers", "เดิม", 1)
    ]


def test_owner_set_replaces_owners_with_positions_and_free_titles(group_head):
    process = ProcessFactory()
    head = PositionFactory(title="หัวหน้ากลุ่ม")
    staff = PositionFactory(title="นักวิชาการคอมพิวเตอร์")
    Owner.objects.create(process=process, kind="main", title="ตำแหน่งเดิม")

    editing.owner_set(
        process=process,
        actor=group_head,
        main=[head],
        supporting=[staff],
        supporting_titles=["ผู้ช่วยจากหน่วยงานอื่น", " "],
    )

    assert list(
        process.owners.order_by("kind", "sort_order").values_list("kind", "position_id", "title")
    ) == [
        ("main", head.pk, "หัวหน้ากลุ่ม"),
        ("supporting", staff.pk, "นักวิชาการคอมพิวเตอร์"),
        ("supporting", None, "ผู้ช่วยจากหน่วยงานอื่น"),
    ]
    entry = AuditEntry.objects.get(action="manual.owner.set")
    assert entry.changes["owners"][0] == [["main", None, "ตำแหน่งเดิม"]]


def test_owner_set_needs_a_main_owner_and_no_post_twice(group_head):
    process = ProcessFactory()
    head = PositionFactory(title="หัวหน้ากลุ่ม")
    Owner.objects.create(process=process, kind="main", position=head, title=head.title)

    with pytest.raises(ApplicationError) as no_main:
        editing.owner_set(process=process, actor=group_head, main=[], supporting=[head])
    with pytest.raises(ApplicationError) as twice:
        editing.owner_set(process=process, actor=group_head, main=[head], supporting=[head])

    assert no_main.value.fields == {"main": ["กรุณาเลือกผู้รับผิดชอบหลักอย่างน้อยหนึ่งตำแหน่ง"]}
    assert twice.value.fields == {
        "supporting": ["ตำแหน่ง “หัวหน้ากลุ่ม” เป็นทั้งผู้รับผิดชอบหลักและผู้สนับสนุนไม่ได้"]
    }
    assert list(process.owners.values_list("kind", "position_id")) == [("main", head.pk)]


def test_step_services_refuse_an_earlier_year(group_head):
    step = StepFactory(activity="เดิม")
    StepControlFactory(step=step)
    ManualFactory(fiscal_year=2568, unit=step.process.manual.unit)

    calls = [
        lambda: editing.step_update(step=step, actor=group_head, data=StepInput(activity="x")),
        lambda: editing.step_delete(step=step, actor=group_head),
        lambda: editing.step_create(
            process=step.process, actor=group_head, data=StepInput(activity="x")
        ),
        lambda: editing.control_add(step=step, actor=group_head, kind="risk", text="x"),
        lambda: editing.control_delete(control=step.controls.get(), actor=group_head),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as caught:
            call()
        assert caught.value.code == "manual_read_only"

    assert list(Step.objects.values_list("activity", flat=True)) == ["เดิม"]
    assert StepControl.objects.count() == 1
    assert Manual.objects.count() == 2
