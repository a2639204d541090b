"""The manual editor's writes: process header, steps and their controls, requirements, owners.

Every service checks that the actor may edit the manual and that the manual is the newest
fiscal year of its unit (earlier years are the record of what was in force and stay read-only),
validates, saves in one transaction and writes an audit entry with the before/after values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import F

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied, field_error
from krabuan.core.thai import normalize_text, to_thai_digits
from krabuan.manual.models import (
    ControlKind,
    Manual,
    Owner,
    OwnerKind,
    Process,
    Requirement,
    RequirementHeading,
    Step,
    StepControl,
)
from krabuan.manual.services.loading import step_duration_fields
from krabuan.org.models import Position, Unit
from krabuan.org.permissions import can_edit_manual

READ_ONLY_MESSAGE = "คู่มือปีงบประมาณที่ผ่านมาแก้ไขไม่ได้ ให้คัดลอกเป็นปีใหม่"

# Orders are moved out of the way before renumbering, because the (process, order) unique
# constraint is checked row by row on both SQLite and PostgreSQL.
_ORDER_PARKING = 100_000
_PROCESS_FIELDS = [
    "name",
    "number",
    "authority_number",
    "authority",
    "customers",
    "outputs",
    "responsible_unit_id",
    "quality_standard",
]
_STEP_FIELDS = [
    "order",
    "label",
    "group",
    "activity",
    "sub_items",
    "duration_text",
    "duration",
    "duration_status",
    "units_text",
    "output",
    "is_optional",
    "condition",
]


@dataclass(frozen=True)
class StepInput:
    """What the editor sends for one step; the duration is re-parsed from its text on save."""

    activity: str
    sub_items: Sequence[str] = ()
    duration_text: str = ""
    units_text: str = ""
    output: str = ""
    is_optional: bool = False
    condition: str = ""
    group: str = ""
    related_units: Sequence[Unit] | None = None


@dataclass(frozen=True)
class RequirementInput:
    """One key requirement row: heading (one of the eight), detail and priority rank."""

    heading: str
    detail: str
    priority: int | None


def manual_is_editable(manual: Manual) -> bool:
    """Only the newest fiscal year of a unit's manual may change; earlier years are the record."""
    return not Manual.objects.filter(
        unit_id=manual.unit_id, fiscal_year__gt=manual.fiscal_year
    ).exists()


def _check(actor: Any, manual: Manual) -> None:
    if not can_edit_manual(actor):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขคู่มือกระบวนงาน")
    if not manual_is_editable(manual):
        raise ApplicationError(READ_ONLY_MESSAGE, code="manual_read_only", status=409)


def _text(field: str, label: str, value: str, *, max_length: int, required: bool = False) -> str:
    text = normalize_text(value)
    if required and not text:
        raise field_error(field, f"กรุณากรอก{label}", code="required")
    if len(text) > max_length:
        raise field_error(field, f"{label}ยาวเกิน {max_length:,} ตัวอักษร", code="too_long")
    return text


def _int_range(field: str, label: str, value: int | None, low: int, high: int) -> int | None:
    if value is None:
        return None
    if not low <= value <= high:
        raise field_error(field, f"{label}ต้องเป็นตัวเลข {low}–{high}", code="out_of_range")
    return value


@transaction.atomic
def process_update(
    *,
    process: Process,
    actor: Any,
    name: str,
    number: int,
    authority_number: int | None,
    authority: str,
    customers: str,
    outputs: str,
    responsible_unit: Unit | None,
    quality_standard: str,
) -> Process:
    """Edit the header of a process and its quality standard; the number stays unique per kind."""
    _check(actor, process.manual)
    before = snapshot(process, _PROCESS_FIELDS)
    process.name = _text("name", "ชื่อกระบวนงาน", name, max_length=500, required=True)
    checked_number = _int_range("number", "ลำดับที่", number, 1, 999)
    assert checked_number is not None
    clash = (
        Process.objects.filter(
            manual_id=process.manual_id, kind=process.kind, number=checked_number
        )
        .exclude(pk=process.pk)
        .first()
    )
    if clash is not None:
        message = f"ลำดับที่ {checked_number} ซ้ำกับกระบวนงาน “{clash.name}”"
        raise Conflict(message, code="number_taken", fields={"number": [message]})
    process.number = checked_number
    process.authority_number = _int_range(
        "authority_number", "ข้อของอำนาจหน้าที่", authority_number, 1, 99
    )
    process.authority = _text("authority", "อำนาจหน้าที่", authority, max_length=5000)
    process.customers = _text("customers", "ผู้รับบริการ", customers, max_length=5000)
    process.outputs = _text("outputs", "ผลงาน (Output)", outputs, max_length=5000)
    process.responsible_unit = responsible_unit
    process.quality_standard = _text(
        "quality_standard", "มาตรฐานคุณภาพงาน", quality_standard, max_length=5000
    )
    process.save()
    audit_record(
        actor=actor,
        action="manual.process.update",
        obj=process,
        changes=diff(before, snapshot(process, _PROCESS_FIELDS)),
    )
    return process


def _step_values(data: StepInput) -> dict[str, Any]:
    activity = _text("activity", "ขั้นตอนการทำงาน", data.activity, max_length=5000, required=True)
    sub_items = [normalize_text(item) for item in data.sub_items]
    sub_items = [item for item in sub_items if item]
    if len(sub_items) > 50:
        raise field_error("sub_items", "รายการย่อยมีได้ไม่เกิน 50 รายการ", code="too_many")
    for item in sub_items:
        if len(item) > 1000:
            raise field_error("sub_items", "รายการย่อยแต่ละรายการยาวเกิน 1,000 ตัวอักษร")
    duration_text = _text("duration_text", "ระยะเวลา", data.duration_text, max_length=500)
    return {
        "activity": activity,
        "sub_items": sub_items,
        "units_text": _text("units_text", "หน่วยงานที่เกี่ยวข้อง", data.units_text, max_length=5000),
        "output": _text("output", "ผลผลิต (Output)", data.output, max_length=5000),
        "is_optional": bool(data.is_optional),
        "condition": _text("condition", "เงื่อนไข (กรณี…)", data.condition, max_length=300),
        "group": _text("group", "กิจกรรม", data.group, max_length=500),
        **step_duration_fields(duration_text),
    }


def _step_snapshot(step: Step) -> dict[str, Any]:
    data = snapshot(step, _STEP_FIELDS)
    data["related_units"] = sorted(u.code for u in step.related_units.all())
    data["controls"] = [[c.kind, c.text] for c in step.controls.order_by("kind", "sort_order")]
    return data


def _renumber(process: Process, steps: list[Step]) -> None:
    """Give `steps` the orders 1..n in list order; labels follow, as the printed form numbers."""
    Step.objects.filter(process=process).update(order=F("order") + _ORDER_PARKING)
    for order, step in enumerate(steps, start=1):
        step.order = order
        step.label = to_thai_digits(str(order))
        Step.objects.filter(pk=step.pk).update(order=order, label=step.label)


def _steps_locked(process: Process) -> list[Step]:
    return list(Step.objects.select_for_update().filter(process=process).order_by("order"))


@transaction.atomic
def step_create(
    *, process: Process, actor: Any, data: StepInput, position: int | None = None
) -> Step:
    """Add a step at `position` (1-based; at the end when omitted); later steps move down one."""
    _check(actor, process.manual)
    values = _step_values(data)
    steps = _steps_locked(process)
    if position is None:
        position = len(steps) + 1
    if not 1 <= position <= len(steps) + 1:
        raise field_error("position", f"ตำแหน่งต้องเป็นตัวเลข 1–{len(steps) + 1}", code="out_of_range")
    # Created after the last order in use, so it collides with no step before renumbering.
    last_order = steps[-1].order if steps else 0
    step = Step.objects.create(process=process, order=last_order + 1, **values)
    if data.related_units is not None:
        step.related_units.set(data.related_units)
    steps.insert(position - 1, step)
    _renumber(process, steps)
    step.refresh_from_db()
    audit_record(
        actor=actor,
        action="manual.step.create",
        obj=step,
        changes={"process": process.pk, **diff({}, _step_snapshot(step))},
    )
    return step


@transaction.atomic
def step_update(*, step: Step, actor: Any, data: StepInput) -> Step:
    """Edit a step; the duration is parsed again from the text and its status stored."""
    _check(actor, step.process.manual)
    before = _step_snapshot(step)
    for key, value in _step_values(data).items():
        setattr(step, key, value)
    step.save()
    if data.related_units is not None:
        step.related_units.set(data.related_units)
    audit_record(
        actor=actor,
        action="manual.step.update",
        obj=step,
        changes=diff(before, _step_snapshot(step)),
    )
    return step


@transaction.atomic
def step_delete(*, step: Step, actor: Any) -> None:
    """Remove a step with its controls and risks; the steps after it move up one."""
    process = step.process
    _check(actor, process.manual)
    before = _step_snapshot(step)
    audit_record(
        actor=actor,
        action="manual.step.delete",
        obj=step,
        changes={"process": process.pk, **diff(before, {})},
    )
    step.delete()
    _renumber(process, _steps_locked(process))


@transaction.atomic
def step_move(*, step: Step, actor: Any, direction: Literal["up", "down"]) -> Step:
    """Swap a step with its neighbour above or below; the first cannot go up nor the last down."""
    process = step.process
    _check(actor, process.manual)
    if direction not in ("up", "down"):
        raise field_error("direction", "ทิศทางต้องเป็น ขึ้น หรือ ลง")
    steps = _steps_locked(process)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(steps):
        message = "ขั้นตอนแรกเลื่อนขึ้นไม่ได้" if direction == "up" else "ขั้นตอนสุดท้ายเลื่อนลงไม่ได้"
        raise field_error("direction", message, code="out_of_range")
    before = step.order
    steps[index], steps[target] = steps[target], steps[index]
    _renumber(process, steps)
    step.refresh_from_db()
    audit_record(
        actor=actor, action="manual.step.move", obj=step, changes={"order": [before, step.order]}
    )
    return step


@transaction.atomic
def control_add(*, step: Step, actor: Any, kind: str, text: str) -> StepControl:
    """Add a control point or a risk to a step (the two kinds are kept apart)."""
    _check(actor, step.process.manual)
    if kind not in ControlKind.values:
        raise field_error("kind", "ประเภทต้องเป็น จุดควบคุม หรือ ความเสี่ยง")
    clean = _text("text", "รายละเอียด", text, max_length=5000, required=True)
    last = step.controls.filter(kind=kind).order_by("-sort_order").first()
    control = StepControl.objects.create(
        step=step, kind=kind, text=clean, sort_order=(last.sort_order + 1) if last else 0
    )
    audit_record(
        actor=actor,
        action="manual.control.add",
        obj=control,
        changes={"step": step.pk, **diff({}, snapshot(control, ["kind", "text"]))},
    )
    return control


@transaction.atomic
def control_delete(*, control: StepControl, actor: Any) -> None:
    """Remove a control point or a risk from its step."""
    _check(actor, control.step.process.manual)
    audit_record(
        actor=actor,
        action="manual.control.delete",
        obj=control,
        changes={"step": control.step_id, **diff(snapshot(control, ["kind", "text"]), {})},
    )
    control.delete()


@transaction.atomic
def requirement_update(
    *, process: Process, actor: Any, rows: Sequence[RequirementInput]
) -> list[Requirement]:
    """Set the detail and priority (1–99, may repeat as in the source) of the eight headings."""
    _check(actor, process.manual)
    existing = {r.heading: r for r in process.requirements.all()}
    labels = dict(RequirementHeading.choices)
    seen: set[str] = set()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    saved: list[Requirement] = []
    for row in rows:
        if row.heading not in labels:
            raise field_error("heading", f"ไม่มีประเด็นข้อกำหนด “{row.heading}”")
        if row.heading in seen:
            raise field_error(f"{row.heading}-detail", f"ประเด็น “{labels[row.heading]}” ซ้ำ")
        seen.add(row.heading)
        label = str(labels[row.heading])
        detail = _text(
            f"{row.heading}-detail", f"รายละเอียดของ “{label}”", row.detail, max_length=10000
        )
        priority = _int_range(
            f"{row.heading}-priority", f"ลำดับความสำคัญของ “{label}”", row.priority, 1, 99
        )
        requirement = existing.get(row.heading)
        if requirement is None:
            requirement = Requirement(
                process=process,
                heading=row.heading,
                heading_text=label,
                sort_order=RequirementHeading.values.index(row.heading),
            )
        else:
            before[row.heading] = {"detail": requirement.detail, "priority": requirement.priority}
        requirement.detail = detail
        requirement.priority = priority
        requirement.save()
        after[row.heading] = {"detail": detail, "priority": priority}
        saved.append(requirement)
    audit_record(
        actor=actor,
        action="manual.requirement.update",
        obj=process,
        changes=diff(before, after),
    )
    return saved


def _owner_rows(process: Process) -> list[list[Any]]:
    return [
        [o.kind, o.position_id, o.title]
        for o in process.owners.order_by("kind", "sort_order", "pk")
    ]


@transaction.atomic
def owner_set(
    *,
    process: Process,
    actor: Any,
    main: Sequence[Position],
    supporting: Sequence[Position],
    main_titles: Sequence[str] = (),
    supporting_titles: Sequence[str] = (),
) -> list[Owner]:
    """Replace the owners: positions, plus titles of posts the organisation chart lacks.
    A process needs at least one main owner, and no post may be both main and supporting."""
    _check(actor, process.manual)
    main_extra = [t for t in (normalize_text(x) for x in main_titles) if t]
    supporting_extra = [t for t in (normalize_text(x) for x in supporting_titles) if t]
    if not main and not main_extra:
        raise field_error("main", "กรุณาเลือกผู้รับผิดชอบหลักอย่างน้อยหนึ่งตำแหน่ง", code="required")
    both = {p.pk for p in main} & {p.pk for p in supporting}
    if both:
        title = next(p.title for p in main if p.pk in both)
        raise field_error("supporting", f"ตำแหน่ง “{title}” เป็นทั้งผู้รับผิดชอบหลักและผู้สนับสนุนไม่ได้")
    for field, titles in (("main_titles", main_extra), ("supporting_titles", supporting_extra)):
        for title in titles:
            if len(title) > 255:
                raise field_error(field, "ชื่อตำแหน่งยาวเกิน 255 ตัวอักษร", code="too_long")
    before = _owner_rows(process)
    process.owners.all().delete()
    owners: list[Owner] = []
    for kind, positions, titles in (
        (OwnerKind.MAIN, main, main_extra),
        (OwnerKind.SUPPORTING, supporting, supporting_extra),
    ):
        rows = [(p, p.title) for p in positions] + [(None, t) for t in titles]
        for order, (position, title) in enumerate(rows):
            owners.append(
                Owner.objects.create(
                    process=process, kind=kind, position=position, title=title, sort_order=order
                )
            )
    audit_record(
        actor=actor,
        action="manual.owner.set",
        obj=process,
        changes=diff({"owners": before}, {"owners": _owner_rows(process)}),
    )
    return owners
