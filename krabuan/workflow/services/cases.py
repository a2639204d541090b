"""The case engine: start a case, work its steps (confirm controls, complete, skip, return,
pause/resume, recurring steps), cancel it. Each function is one transaction with an audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from krabuan.core.audit import audit_record, snapshot
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied, field_error
from krabuan.core.thai import fiscal_year_of, normalize_text
from krabuan.manual.models import ControlKind, Process, Step, StepControl
from krabuan.org.calendar import WorkCalendar
from krabuan.org.models import Unit
from krabuan.workflow import deadlines
from krabuan.workflow.models import (
    Case,
    CaseStatus,
    ControlConfirmation,
    Priority,
    RiskOccurrence,
    StepInstance,
    StepStatus,
)
from krabuan.workflow.permissions import can_backdate, can_start_case, can_work_on_steps

# Choosing this outcome on a recurring step ends the repetition and moves the case on.
RECURRENCE_STOP = "สิ้นสุดการทำซ้ำ"
_AUDIT_FIELDS = [
    "status",
    "assignee_id",
    "started_at",
    "due_at",
    "target_at",
    "completed_at",
    "paused_at",
    "paused_seconds",
    "quantity",
    "alternative",
    "outcome",
    "note",
    "skip_reason",
    "on_time",
    "breached",
]


def _now() -> dt.datetime:
    return timezone.now()


def _when(value: dt.datetime | None, *, actor: Any, field: str) -> dt.datetime:
    """The server clock, unless an allowed role back-dates (for importing past work)."""
    now = _now()
    if value is None:
        return now
    if not can_backdate(actor):
        raise PermissionDenied(
            "ไม่มีสิทธิ์กำหนดเวลาย้อนหลัง (ใช้เวลาของระบบเท่านั้น)",
            fields={field: ["ไม่มีสิทธิ์กำหนดเวลาย้อนหลัง"]},
        )
    if timezone.is_naive(value):
        raise field_error(field, "เวลาต้องระบุเขตเวลา เช่น 2024-04-10T09:00:00+07:00")
    if value > now + dt.timedelta(minutes=5):
        raise field_error(field, "เวลาต้องไม่อยู่ในอนาคต")
    return value


def _require_worker(actor: Any) -> None:
    if not can_work_on_steps(actor):
        raise PermissionDenied("บทบาทของท่านไม่สามารถดำเนินการขั้นตอนได้")


def _require_open(instance: StepInstance) -> None:
    if instance.status not in (StepStatus.ACTIVE, StepStatus.PAUSED):
        raise Conflict(
            f"ขั้นตอนที่ {instance.order} ไม่ได้อยู่ระหว่างดำเนินการ "
            f"(สถานะ: {instance.get_status_display()})",
            code="step_not_open",
        )


def _reference(process: Process, fiscal_year: int) -> str:
    prefix = f"{process.code}-{fiscal_year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _deadline(instance: StepInstance, start: dt.datetime, cal: WorkCalendar | None) -> None:
    duration = deadlines.duration_of(instance.step.duration)
    result = deadlines.compute(
        duration,
        start=start,
        quantity=instance.quantity,
        alternative=instance.alternative,
        calendar=cal,
    )
    shift = dt.timedelta(seconds=instance.paused_seconds)
    instance.due_at = result.due_at + shift if result.due_at else None
    instance.target_at = result.target_at + shift if result.target_at else None
    instance.needs_review = result.needs_review
    instance.planned_seconds = (
        int((result.due_at - start).total_seconds()) if result.due_at else None
    )


def _activate(
    instance: StepInstance, *, at: dt.datetime, assignee: Any, cal: WorkCalendar | None
) -> None:
    instance.status = StepStatus.ACTIVE
    instance.started_at = at
    if assignee is not None and getattr(assignee, "is_authenticated", False):
        instance.assignee = assignee
    instance.assignee_unit = instance.assignee_unit or instance.case.responsible_unit
    _deadline(instance, at, cal)
    instance.save()


@transaction.atomic
def case_start(
    *,
    process: Process,
    title: str,
    actor: Any,
    requester: Any = None,
    responsible_unit: Unit | None = None,
    priority: str = Priority.NORMAL,
    description: str = "",
    started_at: dt.datetime | None = None,
    quantity: int | None = None,
) -> Case:
    """Start a case of a process version: every step gets a row, the first one starts now."""
    if not can_start_case(actor):
        raise PermissionDenied("บทบาทของท่านไม่สามารถเริ่มเรื่องได้")
    title = normalize_text(title)
    if not title:
        raise field_error("title", "กรุณาระบุชื่อเรื่อง", code="required")
    if len(title) > 300:
        raise field_error("title", "ชื่อเรื่องยาวเกิน 300 ตัวอักษร")
    if priority not in Priority.values:
        raise field_error("priority", "ความสำคัญต้องเป็น " + ", ".join(Priority.values))
    if quantity is not None and not 1 <= quantity <= 100_000:
        raise field_error("quantity", "จำนวนต้องอยู่ระหว่าง 1 ถึง 100,000")
    steps = list(Step.objects.filter(process=process).order_by("order"))
    if not steps:
        raise ApplicationError("กระบวนงานนี้ยังไม่มีขั้นตอน", code="process_has_no_steps")
    at = _when(started_at, actor=actor, field="started_at")
    unit = responsible_unit or process.responsible_unit or process.manual.unit
    fiscal_year = fiscal_year_of(at)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=_reference(process, fiscal_year),
                    process=process,
                    title=title,
                    description=normalize_text(description),
                    requester=requester or actor,
                    responsible_unit=unit,
                    priority=priority,
                    fiscal_year=fiscal_year,
                    started_at=at,
                    created_by=actor,
                )
            break
        except IntegrityError:
            continue  # another request took the number: take the next one
    else:
        raise Conflict("ออกเลขที่เรื่องไม่ได้ กรุณาลองใหม่", code="reference_busy")
    instances = StepInstance.objects.bulk_create(
        StepInstance(case=case, step=step, order=step.order, assignee_unit=unit) for step in steps
    )
    first = instances[0]
    first.quantity = quantity
    first.step = steps[0]
    first.case = case
    cal = WorkCalendar.load(since=at.date() - dt.timedelta(days=1))
    worker = actor if can_work_on_steps(actor) else None
    _activate(first, at=at, assignee=worker, cal=cal)
    audit_record(actor=actor, action="case.start", obj=case, changes=snapshot(case))
    return case


def _next_pending(case: Case, after_order: int) -> StepInstance | None:
    return (
        StepInstance.objects.select_related("step", "case")
        .filter(case=case, status=StepStatus.PENDING, order__gt=after_order)
        .order_by("order", "pass_no")
        .first()
    )


def _advance(case: Case, instance: StepInstance, *, at: dt.datetime, actor: Any) -> None:
    """Start the next step, or close the case when none is left."""
    cal = WorkCalendar.load(since=at.date() - dt.timedelta(days=1))
    nxt = _next_pending(case, instance.order)
    if nxt is None:
        case.status = CaseStatus.DONE
        case.closed_at = at
        case.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=actor, action="case.done", obj=case, changes={"status": "done"})
        return
    _activate(nxt, at=at, assignee=actor if can_work_on_steps(actor) else None, cal=cal)
    if case.status != CaseStatus.OPEN:
        case.status = CaseStatus.OPEN
        case.save(update_fields=["status", "updated_at"])


def _return_to(case: Case, instance: StepInstance, target: int, *, at: dt.datetime, actor: Any):
    """Send the case back: a new pass of steps target..current, the old rows kept."""
    if not 1 <= target <= instance.order:
        raise field_error("outcome", "ขั้นตอนที่จะส่งกลับต้องอยู่ก่อนขั้นตอนนี้")
    new_pass = (
        StepInstance.objects.filter(case=case, order__gte=target).aggregate(m=Max("pass_no"))["m"]
        or 1
    ) + 1
    steps = Step.objects.filter(process=case.process, order__gte=target, order__lte=instance.order)
    created = StepInstance.objects.bulk_create(
        StepInstance(
            case=case, step=s, order=s.order, pass_no=new_pass, assignee_unit=instance.assignee_unit
        )
        for s in steps.order_by("order")
    )
    first = StepInstance.objects.select_related("step", "case").get(pk=created[0].pk)
    cal = WorkCalendar.load(since=at.date() - dt.timedelta(days=1))
    _activate(first, at=at, assignee=instance.assignee, cal=cal)
    audit_record(
        actor=actor,
        action="case.return",
        obj=case,
        changes={"from_order": instance.order, "to_order": target, "pass_no": new_pass},
    )


def missing_controls(instance: StepInstance) -> list[StepControl]:
    """Control points of the step not yet confirmed for this instance."""
    confirmed = set(instance.confirmations.values_list("control_id", flat=True))
    return [
        c
        for c in instance.step.controls.filter(kind=ControlKind.CONTROL).order_by("sort_order")
        if c.pk not in confirmed
    ]


@transaction.atomic
def control_confirm(
    *,
    instance: StepInstance,
    control: StepControl,
    actor: Any,
    note: str = "",
    evidence: Any = None,
) -> ControlConfirmation:
    """Confirm one control point of an open step (who, when, note, optional evidence file)."""
    _require_worker(actor)
    _require_open(instance)
    if control.step_id != instance.step_id or control.kind != ControlKind.CONTROL:
        raise field_error("control", "จุดควบคุมนี้ไม่ใช่ของขั้นตอนนี้")
    if ControlConfirmation.objects.filter(step_instance=instance, control=control).exists():
        raise Conflict("ยืนยันจุดควบคุมนี้แล้ว", code="control_already_confirmed")
    confirmation = ControlConfirmation(
        step_instance=instance,
        control=control,
        confirmed_by=actor,
        confirmed_at=_now(),
        note=normalize_text(note),
    )
    if evidence is not None:
        confirmation.evidence = evidence
    confirmation.save()
    audit_record(
        actor=actor,
        action="step.control.confirm",
        obj=instance,
        changes={"control": control.text, "note": confirmation.note},
    )
    return confirmation


def _validate_outcome(instance: StepInstance, outcome: str) -> dict[str, Any] | None:
    choices = instance.step.outcomes or []
    if not choices:
        return None
    for choice in choices:
        if choice.get("label") == outcome:
            return choice
    labels = ", ".join(c.get("label", "") for c in choices)
    raise field_error("outcome", f"กรุณาเลือกผลการดำเนินการ: {labels}", code="required")


def _is_recurring(instance: StepInstance) -> bool:
    return bool((instance.step.duration or {}).get("recurrence"))


@transaction.atomic
def step_complete(
    *,
    instance: StepInstance,
    actor: Any,
    outcome: str = "",
    note: str = "",
    quantity: int | None = None,
    alternative: str | None = None,
    completed_at: dt.datetime | None = None,
) -> Case:
    """Complete an open step. Refused (409) while a control point is unconfirmed; an outcome
    may send the case back; a recurring step repeats until its repetition is ended."""
    _require_worker(actor)
    instance = (
        StepInstance.objects.select_for_update().select_related("step", "case").get(pk=instance.pk)
    )
    _require_open(instance)
    outcome = normalize_text(outcome)
    recurring = _is_recurring(instance)
    choice = (
        None if recurring and outcome == RECURRENCE_STOP else _validate_outcome(instance, outcome)
    )
    missing = missing_controls(instance)
    if missing:
        names = "; ".join(c.text for c in missing)
        raise Conflict(
            f"ยังไม่ได้ยืนยันจุดควบคุม {len(missing)} รายการ: {names}",
            code="controls_unconfirmed",
            fields={"controls": [c.text for c in missing]},
        )
    at = _when(completed_at, actor=actor, field="completed_at")
    if instance.started_at and at < instance.started_at:
        raise field_error("completed_at", "เวลาเสร็จต้องไม่ก่อนเวลาเริ่มขั้นตอน")
    before = snapshot(instance, _AUDIT_FIELDS)
    if instance.status == StepStatus.PAUSED and instance.paused_at:
        _unpause(instance, at)
    if quantity is not None:
        if not 1 <= quantity <= 100_000:
            raise field_error("quantity", "จำนวนต้องอยู่ระหว่าง 1 ถึง 100,000")
        instance.quantity = quantity
    if alternative is not None:
        _set_alternative(instance, alternative)
    if quantity is not None or alternative is not None:
        assert instance.started_at is not None
        _deadline(instance, instance.started_at, None)
    instance.status = StepStatus.DONE
    instance.completed_at = at
    instance.completed_by = actor
    instance.outcome = outcome
    instance.note = normalize_text(note)
    if instance.due_at is not None:
        instance.on_time = at <= instance.due_at
        if not instance.on_time and not instance.breached:
            instance.breached, instance.breached_at = True, instance.due_at
    instance.save()
    audit_record(
        actor=actor,
        action="step.complete",
        obj=instance,
        changes={"before": before, "after": snapshot(instance, _AUDIT_FIELDS)},
    )
    case = instance.case
    if choice and choice.get("return_to"):
        _return_to(case, instance, int(choice["return_to"]), at=at, actor=actor)
    elif recurring and outcome != RECURRENCE_STOP:
        _repeat(instance, at=at, actor=actor)
    else:
        _advance(case, instance, at=at, actor=actor)
    case.refresh_from_db()
    return case


def _repeat(instance: StepInstance, *, at: dt.datetime, actor: Any) -> None:
    """The next occurrence of a recurring step, due one period after the previous deadline."""
    nxt = StepInstance.objects.create(
        case=instance.case,
        step=instance.step,
        order=instance.order,
        pass_no=instance.pass_no,
        iteration=instance.iteration + 1,
        assignee_unit=instance.assignee_unit,
    )
    nxt.step = instance.step
    nxt.case = instance.case
    start = max(at, instance.due_at) if instance.due_at else at
    _activate(nxt, at=at, assignee=instance.assignee, cal=None)
    # The period runs from the previous occurrence's deadline, not from when it was done.
    _deadline(nxt, start, None)
    nxt.save(update_fields=["due_at", "target_at", "needs_review", "planned_seconds"])


def _set_alternative(instance: StepInstance, alternative: str) -> None:
    labels = [a.get("label") for a in (instance.step.duration or {}).get("alternatives") or []]
    if alternative and alternative not in labels:
        raise field_error("alternative", "วิธีที่เลือกต้องเป็นหนึ่งใน: " + ", ".join(str(x) for x in labels))
    instance.alternative = alternative


@transaction.atomic
def step_update(
    *,
    instance: StepInstance,
    actor: Any,
    quantity: int | None = None,
    alternative: str | None = None,
    assignee: Any = None,
) -> StepInstance:
    """Enter the quantity or choose the method at a started step (the deadline follows), or
    hand the step to someone else."""
    _require_worker(actor)
    _require_open(instance)
    before = snapshot(instance, _AUDIT_FIELDS)
    if quantity is not None:
        if not 1 <= quantity <= 100_000:
            raise field_error("quantity", "จำนวนต้องอยู่ระหว่าง 1 ถึง 100,000")
        instance.quantity = quantity
    if alternative is not None:
        _set_alternative(instance, alternative)
    if assignee is not None:
        if not can_work_on_steps(assignee):
            raise field_error("assignee", "ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ที่ดำเนินการขั้นตอนได้")
        instance.assignee = assignee
    if quantity is not None or alternative is not None:
        assert instance.started_at is not None
        _deadline(instance, instance.started_at, None)
    instance.save()
    audit_record(
        actor=actor,
        action="step.update",
        obj=instance,
        changes={"before": before, "after": snapshot(instance, _AUDIT_FIELDS)},
    )
    return instance


@transaction.atomic
def step_skip(*, instance: StepInstance, actor: Any, reason: str) -> Case:
    """Skip an optional ("(ถ้ามี)") or conditional ("กรณี…") step with a recorded reason."""
    _require_worker(actor)
    _require_open(instance)
    if not (instance.step.is_optional or instance.step.condition):
        raise Conflict(
            "ขั้นตอนนี้ข้ามไม่ได้ (ไม่ใช่ขั้นตอนที่ทำเมื่อมี หรือขั้นตอนตามเงื่อนไข)",
            code="step_not_skippable",
        )
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ข้ามขั้นตอน", code="required")
    at = _now()
    instance.status = StepStatus.SKIPPED
    instance.skip_reason = reason[:300]
    instance.completed_at = at
    instance.completed_by = actor
    instance.save()
    audit_record(actor=actor, action="step.skip", obj=instance, changes={"reason": reason})
    _advance(instance.case, instance, at=at, actor=actor)
    instance.case.refresh_from_db()
    return instance.case


def _unpause(instance: StepInstance, at: dt.datetime) -> None:
    assert instance.paused_at is not None
    waited = at - instance.paused_at
    instance.paused_seconds += int(waited.total_seconds())
    # Time spent waiting for an outside party does not count against the deadline.
    if instance.due_at:
        instance.due_at += waited
    if instance.target_at:
        instance.target_at += waited
    instance.paused_at = None
    instance.status = StepStatus.ACTIVE


@transaction.atomic
def step_pause(*, instance: StepInstance, actor: Any, reason: str) -> StepInstance:
    """Wait for an outside party; the waiting time is not counted against the deadline."""
    _require_worker(actor)
    if instance.status != StepStatus.ACTIVE:
        raise Conflict("หยุดรอได้เฉพาะขั้นตอนที่กำลังดำเนินการ", code="step_not_active")
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุที่ต้องรอ", code="required")
    instance.status = StepStatus.PAUSED
    instance.paused_at = _now()
    instance.pause_reason = reason[:300]
    instance.save()
    Case.objects.filter(pk=instance.case_id).update(status=CaseStatus.WAITING)
    audit_record(actor=actor, action="step.pause", obj=instance, changes={"reason": reason})
    return instance


@transaction.atomic
def step_resume(*, instance: StepInstance, actor: Any) -> StepInstance:
    """Resume a paused step; its deadline moves by the time waited."""
    _require_worker(actor)
    if instance.status != StepStatus.PAUSED or instance.paused_at is None:
        raise Conflict("ขั้นตอนนี้ไม่ได้หยุดรออยู่", code="step_not_paused")
    before_due = instance.due_at
    _unpause(instance, _now())
    instance.save()
    Case.objects.filter(pk=instance.case_id).update(status=CaseStatus.OPEN)
    audit_record(
        actor=actor,
        action="step.resume",
        obj=instance,
        changes={
            "due_at": [before_due, instance.due_at],
            "paused_seconds": instance.paused_seconds,
        },
    )
    return instance


@transaction.atomic
def risk_record(
    *, instance: StepInstance, actor: Any, note: str, risk: StepControl | None = None
) -> RiskOccurrence:
    """Record that a listed risk of the step happened."""
    _require_worker(actor)
    note = normalize_text(note)
    if not note:
        raise field_error("note", "กรุณาบรรยายเหตุการณ์ที่เกิดขึ้น", code="required")
    if risk is not None and (risk.step_id != instance.step_id or risk.kind != ControlKind.RISK):
        raise field_error("risk", "ความเสี่ยงนี้ไม่ใช่ของขั้นตอนนี้")
    occurrence = RiskOccurrence.objects.create(
        step_instance=instance, risk=risk, note=note, recorded_by=actor, recorded_at=_now()
    )
    audit_record(
        actor=actor,
        action="step.risk",
        obj=instance,
        changes={"risk": risk.text if risk else None, "note": note},
    )
    return occurrence


@transaction.atomic
def case_cancel(*, case: Case, actor: Any, reason: str) -> Case:
    """Cancel an open case; its open steps are cancelled too."""
    _require_worker(actor)
    if case.status in (CaseStatus.DONE, CaseStatus.CANCELLED):
        raise Conflict("เรื่องนี้ปิดแล้ว", code="case_closed")
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ยกเลิก", code="required")
    at = _now()
    StepInstance.objects.filter(
        case=case, status__in=[StepStatus.ACTIVE, StepStatus.PAUSED, StepStatus.PENDING]
    ).update(status=StepStatus.CANCELLED)
    case.status = CaseStatus.CANCELLED
    case.closed_at = at
    case.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="case.cancel", obj=case, changes={"reason": reason})
    return case
