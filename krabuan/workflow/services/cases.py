"""The case engine: start a case, work its steps (confirm controls, complete, skip, return,
pause/resume, recurring steps), cancel it. Each function is one transaction with an audit row.

Writes to a step lock its case row and then the step row (always in that order, so a cancel and
a completion of the same case cannot deadlock), and re-read the step under the lock: a second
completion of the same step sees it done and is refused, never advancing the case twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.db.models.functions import Length
from django.utils import timezone

from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, field_error
from krabuan.core.thai import BANGKOK, fiscal_year_of, normalize_text
from krabuan.manual.models import ControlKind, Process, Step, StepControl
from krabuan.org.calendar import WorkCalendar, year_range_text, year_supported
from krabuan.org.models import Unit
from krabuan.workflow import deadlines, search
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
from krabuan.workflow.services import stats

# Choosing this outcome on a recurring step ends the repetition and moves the case on.
RECURRENCE_STOP = "สิ้นสุดการทำซ้ำ"
MAX_QUANTITY = 100_000
# A client clock a little ahead of the server's is not "the future".
_CLOCK_SKEW = dt.timedelta(minutes=5)
_REFERENCE_ATTEMPTS = 5
_AUDIT_FIELDS = [
    "status",
    "assignee_id",
    "assignee_unit_id",
    "started_at",
    "due_at",
    "target_at",
    "planned_seconds",
    "completed_at",
    "completed_by_id",
    "paused_at",
    "pause_reason",
    "paused_seconds",
    "quantity",
    "alternative",
    "outcome",
    "note",
    "skip_reason",
    "on_time",
    "breached",
    "needs_review",
]
_CASE_FIELDS = ["status", "closed_at"]
_CONFIRMATION_FIELDS = ["control_id", "confirmed_by_id", "confirmed_at", "note"]


def _now() -> dt.datetime:
    return timezone.now()


def _snap(obj: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values for the audit trail, instants in Bangkok time: a value read back from the
    database (UTC) and the same instant computed in Bangkok time compare equal and read alike."""
    names = fields or [
        f.attname
        for f in obj._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    ]
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(BANGKOK)
        values[name] = value
    return values


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
    if not isinstance(value, dt.datetime):
        raise field_error(field, "ต้องระบุวันและเวลา เช่น 2024-04-10T09:00:00+07:00")
    if timezone.is_naive(value):
        raise field_error(field, "เวลาต้องระบุเขตเวลา เช่น 2024-04-10T09:00:00+07:00")
    if value > now + _CLOCK_SKEW:
        raise field_error(field, "เวลาต้องไม่อยู่ในอนาคต")
    if not year_supported(value.astimezone(BANGKOK).year):
        raise field_error(field, f"ปีต้องอยู่ในช่วง {year_range_text()}")
    return value


def _quantity(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise field_error("quantity", f"จำนวนต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง {MAX_QUANTITY:,}")
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


def _lock(instance: StepInstance) -> StepInstance:
    """Lock the case row, then the step row, and reload the caller's object from the database."""
    list(Case.objects.select_for_update().filter(pk=instance.case_id).values_list("pk"))
    try:
        instance.refresh_from_db(
            from_queryset=StepInstance.objects.select_for_update().select_related("step", "case")
        )
    except StepInstance.DoesNotExist:
        raise NotFound("ไม่พบขั้นตอน", code="step_not_found") from None
    return instance


def _reference(process: Process, fiscal_year: int) -> str:
    """The next number of a process code in a fiscal year: S06-2567-00001, S06-2567-00002, …"""
    prefix = f"{process.code}-{fiscal_year}-"
    # Longest first, so number 100000 sorts after 99999.
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    suffix = last.rsplit("-", 1)[1] if last else ""
    number = int(suffix) + 1 if suffix.isdigit() else 1
    return f"{prefix}{number:05d}"


def _deadline_start(instance: StepInstance) -> tuple[dt.datetime, int]:
    """Where the deadline counts from: the step's own start, except that occurrence n of a
    recurring step counts n periods from the first occurrence (no drift at month ends)."""
    assert instance.started_at is not None
    if instance.iteration > 1:
        anchor = (
            StepInstance.objects.filter(
                case_id=instance.case_id,
                order=instance.order,
                pass_no=instance.pass_no,
                iteration=1,
            )
            .values_list("started_at", flat=True)
            .first()
        )
        if anchor is not None:
            return anchor, instance.iteration
    return instance.started_at, 1


def _deadline(instance: StepInstance, cal: WorkCalendar | None) -> None:
    start, occurrence = _deadline_start(instance)
    result = deadlines.compute(
        deadlines.duration_of(instance.step.duration),
        start=start,
        quantity=instance.quantity,
        alternative=instance.alternative,
        calendar=cal,
        occurrence=occurrence,
    )
    # Time already spent waiting for an outside party does not count against the deadline.
    shift = dt.timedelta(seconds=instance.paused_seconds)
    instance.due_at = result.due_at + shift if result.due_at else None
    instance.target_at = result.target_at + shift if result.target_at else None
    instance.needs_review = result.needs_review
    assert instance.started_at is not None
    instance.planned_seconds = (
        max(0, int((result.due_at - instance.started_at).total_seconds()))
        if result.due_at
        else None
    )


def _carried_quantity(instance: StepInstance) -> int | None:
    # The items of a case (12 letters) go through every per-item step, so a step that starts
    # without its own quantity takes the last one entered in the case.
    return (
        StepInstance.objects.filter(case_id=instance.case_id, quantity__isnull=False)
        .exclude(pk=instance.pk)
        .order_by("-started_at", "-id")
        .values_list("quantity", flat=True)
        .first()
    )


def _activate(
    instance: StepInstance,
    *,
    at: dt.datetime,
    assignee: Any,
    cal: WorkCalendar | None,
    actor: Any,
) -> None:
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    instance.status = StepStatus.ACTIVE
    instance.started_at = at
    if assignee is not None and getattr(assignee, "is_authenticated", False):
        instance.assignee = assignee
    instance.assignee_unit = instance.assignee_unit or instance.case.responsible_unit
    if instance.quantity is None:
        instance.quantity = _carried_quantity(instance)
    _deadline(instance, cal)
    instance.save()
    stats.step_changed(row=instance, before=counted)
    audit_record(
        actor=actor,
        action="step.start",
        obj=instance,
        changes=diff(before, _snap(instance, _AUDIT_FIELDS)),
    )


def _calendar(at: dt.datetime) -> WorkCalendar:
    # A day early, because the Bangkok date of `at` may be the day after its UTC date.
    return WorkCalendar.load(since=at.date() - dt.timedelta(days=1))


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
    """Start a case of a process version: every step gets a row, the first one starts now
    (or at `started_at`, back-dated by an allowed role); `quantity` is the first step's."""
    if not can_start_case(actor):
        raise PermissionDenied("บทบาทของท่านไม่สามารถเริ่มเรื่องได้")
    title = normalize_text(title)
    if not title:
        raise field_error("title", "กรุณาระบุชื่อเรื่อง", code="required")
    if len(title) > 300:
        raise field_error("title", "ชื่อเรื่องยาวเกิน 300 ตัวอักษร")
    if priority not in Priority.values:
        raise field_error("priority", "ความสำคัญต้องเป็น " + ", ".join(Priority.values))
    quantity = _quantity(quantity)
    steps = list(Step.objects.filter(process=process).order_by("order"))
    if not steps:
        raise ApplicationError("กระบวนงานนี้ยังไม่มีขั้นตอน", code="process_has_no_steps")
    at = _when(started_at, actor=actor, field="started_at")
    unit = responsible_unit or process.responsible_unit or process.manual.unit
    fiscal_year = fiscal_year_of(at)
    for _attempt in range(_REFERENCE_ATTEMPTS):
        reference = _reference(process, fiscal_year)
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=reference,
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
            if not Case.objects.filter(reference=reference).exists():
                raise  # not the number: a real integrity problem
            # Another request took the number meanwhile: read the newest one again.
    else:
        raise Conflict("ออกเลขที่เรื่องไม่ได้ กรุณาลองใหม่", code="reference_busy")
    search.case_index(case_id=case.pk, title=case.title, reference=case.reference)
    instances = StepInstance.objects.bulk_create(
        StepInstance(case=case, step=step, order=step.order, assignee_unit=unit) for step in steps
    )
    audit_record(actor=actor, action="case.start", obj=case, changes=diff({}, _snap(case)))
    first = instances[0]
    first.quantity = quantity
    worker = actor if can_work_on_steps(actor) else None
    _activate(first, at=at, assignee=worker, cal=_calendar(at), actor=actor)
    return case


def _next_pending(case: Case, after_order: int) -> StepInstance | None:
    return (
        StepInstance.objects.select_related("step", "case")
        .filter(case=case, status=StepStatus.PENDING, order__gt=after_order)
        .order_by("order", "pass_no")
        .first()
    )


def _set_case_status(
    case: Case, status: str, *, closed_at: dt.datetime | None = None
) -> dict[str, Any]:
    """Change the case status; returns the audit diff (empty when nothing changed)."""
    before = _snap(case, _CASE_FIELDS)
    case.status = status
    case.closed_at = closed_at
    after = _snap(case, _CASE_FIELDS)
    if before != after:
        case.save(update_fields=["status", "closed_at", "updated_at"])
    return diff(before, after)


def _advance(case: Case, instance: StepInstance, *, at: dt.datetime, actor: Any) -> None:
    """Start the next step, or close the case when none is left."""
    nxt = _next_pending(case, instance.order)
    if nxt is None:
        changes = _set_case_status(case, CaseStatus.DONE, closed_at=at)
        audit_record(actor=actor, action="case.done", obj=case, changes=changes)
        return
    _activate(
        nxt,
        at=at,
        assignee=actor if can_work_on_steps(actor) else None,
        cal=_calendar(at),
        actor=actor,
    )
    _set_case_status(case, CaseStatus.OPEN)


def _return_to(
    case: Case, instance: StepInstance, target: Any, *, at: dt.datetime, actor: Any
) -> None:
    """Send the case back: a new pass of steps target..current, the old rows kept."""
    try:
        order = int(target)
    except (TypeError, ValueError):
        raise field_error("outcome", "ขั้นตอนที่จะส่งกลับไม่ถูกต้อง") from None
    steps = list(
        Step.objects.filter(
            process_id=case.process_id, order__gte=order, order__lte=instance.order
        ).order_by("order")
    )
    if not 1 <= order <= instance.order or not steps or steps[0].order != order:
        raise field_error("outcome", "ขั้นตอนที่จะส่งกลับต้องเป็นขั้นตอนก่อนหน้านี้ของกระบวนงาน")
    new_pass = (
        StepInstance.objects.filter(
            case=case, order__gte=order, order__lte=instance.order
        ).aggregate(m=Max("pass_no"))["m"]
        or 1
    ) + 1
    created = StepInstance.objects.bulk_create(
        StepInstance(
            case=case, step=s, order=s.order, pass_no=new_pass, assignee_unit=instance.assignee_unit
        )
        for s in steps
    )
    audit_record(
        actor=actor,
        action="case.return",
        obj=case,
        changes={"from_order": instance.order, "to_order": order, "pass_no": new_pass},
    )
    _activate(created[0], at=at, assignee=instance.assignee, cal=_calendar(at), actor=actor)
    _set_case_status(case, CaseStatus.OPEN)


def _repeat(instance: StepInstance, *, at: dt.datetime, actor: Any) -> None:
    """The next occurrence of a recurring step, due one period after the previous deadline."""
    nxt = StepInstance(
        case=instance.case,
        step=instance.step,
        order=instance.order,
        pass_no=instance.pass_no,
        iteration=instance.iteration + 1,
        assignee_unit=instance.assignee_unit,
        quantity=instance.quantity,
    )
    _activate(nxt, at=at, assignee=instance.assignee, cal=None, actor=actor)
    _set_case_status(instance.case, CaseStatus.OPEN)


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
    confirmed_at: dt.datetime | None = None,
) -> ControlConfirmation:
    """Confirm one control point of an open step (who, when, note, optional evidence file);
    each control point once per step instance. `confirmed_at` back-dates, for allowed roles."""
    _require_worker(actor)
    instance = _lock(instance)
    _require_open(instance)
    if control.step_id != instance.step_id or control.kind != ControlKind.CONTROL:
        raise field_error("control", "จุดควบคุมนี้ไม่ใช่ของขั้นตอนนี้")
    already = Conflict("ยืนยันจุดควบคุมนี้แล้ว", code="control_already_confirmed")
    if ControlConfirmation.objects.filter(step_instance=instance, control=control).exists():
        raise already
    at = _when(confirmed_at, actor=actor, field="confirmed_at")
    confirmation = ControlConfirmation(
        step_instance=instance,
        control=control,
        confirmed_by=actor,
        confirmed_at=at,
        note=normalize_text(note),
    )
    if evidence is not None:
        confirmation.evidence = evidence
    try:
        with transaction.atomic():
            confirmation.save()
    except IntegrityError:
        raise already from None
    audit_record(
        actor=actor,
        action="step.control.confirm",
        obj=instance,
        changes={
            "control": control.text,
            "note": confirmation.note,
            **diff(
                {},
                {
                    **_snap(confirmation, _CONFIRMATION_FIELDS),
                    "evidence": confirmation.evidence.name or None,
                },
            ),
        },
    )
    return confirmation


def _validate_outcome(instance: StepInstance, outcome: str) -> dict[str, Any] | None:
    choices = instance.step.outcomes or []
    if not choices:
        if len(outcome) > 200:
            raise field_error("outcome", "ผลการดำเนินการยาวเกิน 200 ตัวอักษร")
        return None
    for choice in choices:
        if choice.get("label") == outcome:
            return choice
    labels = ", ".join(c.get("label", "") for c in choices)
    raise field_error("outcome", f"กรุณาเลือกผลการดำเนินการ: {labels}", code="required")


def _is_recurring(instance: StepInstance) -> bool:
    return bool((instance.step.duration or {}).get("recurrence"))


def _validate_alternative(instance: StepInstance, alternative: str) -> str:
    labels = [a.get("label") for a in (instance.step.duration or {}).get("alternatives") or []]
    alternative = normalize_text(alternative)
    if alternative and alternative not in labels:
        if not labels:
            raise field_error("alternative", "ขั้นตอนนี้ไม่มีวิธีให้เลือก")
        raise field_error("alternative", "วิธีที่เลือกต้องเป็นหนึ่งใน: " + ", ".join(str(x) for x in labels))
    return alternative


def _unpause(instance: StepInstance, at: dt.datetime) -> None:
    assert instance.paused_at is not None
    waited = max(at - instance.paused_at, dt.timedelta(0))
    instance.paused_seconds += int(waited.total_seconds())
    # Time spent waiting for an outside party does not count against the deadline.
    if instance.due_at:
        instance.due_at += waited
    if instance.target_at:
        instance.target_at += waited
    instance.paused_at = None
    instance.status = StepStatus.ACTIVE


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
    """Complete an open step. Refused (409) while a control point is unconfirmed; a step with
    outcomes needs one, and an outcome may send the case back; a recurring step repeats until
    the outcome RECURRENCE_STOP; a paused step is resumed first; after the last step the case
    is done."""
    _require_worker(actor)
    instance = _lock(instance)
    _require_open(instance)
    outcome = normalize_text(outcome)
    recurring = _is_recurring(instance)
    stop = recurring and outcome == RECURRENCE_STOP
    choice = None if stop else _validate_outcome(instance, outcome)
    quantity = _quantity(quantity)
    if alternative is not None:
        alternative = _validate_alternative(instance, alternative)
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
    if instance.paused_at and at < instance.paused_at:
        raise field_error("completed_at", "เวลาเสร็จต้องไม่ก่อนเวลาที่เริ่มหยุดรอ")
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    if instance.status == StepStatus.PAUSED and instance.paused_at:
        _unpause(instance, at)
    if quantity is not None:
        instance.quantity = quantity
    if alternative is not None:
        instance.alternative = alternative
    if quantity is not None or alternative is not None:
        _deadline(instance, None)
    instance.status = StepStatus.DONE
    instance.completed_at = at
    instance.completed_by = actor
    instance.outcome = outcome
    instance.note = normalize_text(note)
    if instance.due_at is not None:
        instance.on_time = at <= instance.due_at
        if not instance.on_time and not instance.breached:
            instance.breached, instance.breached_at = True, instance.due_at
            Case.objects.filter(pk=instance.case_id, late=False).update(late=True)
    instance.save()
    stats.step_changed(row=instance, before=counted)
    audit_record(
        actor=actor,
        action="step.complete",
        obj=instance,
        changes=diff(before, _snap(instance, _AUDIT_FIELDS)),
    )
    case = instance.case
    if choice and choice.get("return_to"):
        _return_to(case, instance, choice["return_to"], at=at, actor=actor)
    elif recurring and not stop:
        _repeat(instance, at=at, actor=actor)
    else:
        _advance(case, instance, at=at, actor=actor)
    case.refresh_from_db()
    return case


@transaction.atomic
def step_update(
    *,
    instance: StepInstance,
    actor: Any,
    quantity: int | None = None,
    alternative: str | None = None,
    assignee: Any = None,
) -> StepInstance:
    """Enter the quantity or choose the method at a started step (the deadline follows, from the
    step's start), or hand the step to someone else."""
    _require_worker(actor)
    instance = _lock(instance)
    _require_open(instance)
    quantity = _quantity(quantity)
    if alternative is not None:
        alternative = _validate_alternative(instance, alternative)
    if assignee is not None and not can_work_on_steps(assignee):
        raise field_error("assignee", "ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ที่ดำเนินการขั้นตอนได้")
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    if quantity is not None:
        instance.quantity = quantity
    if alternative is not None:
        instance.alternative = alternative
    if assignee is not None:
        instance.assignee = assignee
    if quantity is not None or alternative is not None:
        _deadline(instance, None)
    instance.save()
    stats.step_changed(row=instance, before=counted)
    audit_record(
        actor=actor,
        action="step.update",
        obj=instance,
        changes=diff(before, _snap(instance, _AUDIT_FIELDS)),
    )
    return instance


@transaction.atomic
def step_skip(*, instance: StepInstance, actor: Any, reason: str) -> Case:
    """Skip an optional ("(ถ้ามี)") or conditional ("กรณี…") step with a recorded reason; any
    other step is refused (409)."""
    _require_worker(actor)
    instance = _lock(instance)
    _require_open(instance)
    if not (instance.step.is_optional or instance.step.condition):
        raise Conflict(
            "ขั้นตอนนี้ข้ามไม่ได้ (ไม่ใช่ขั้นตอนที่ทำเมื่อมี หรือขั้นตอนตามเงื่อนไข)",
            code="step_not_skippable",
        )
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ข้ามขั้นตอน", code="required")
    if len(reason) > 300:
        raise field_error("reason", "เหตุผลยาวเกิน 300 ตัวอักษร")
    at = _now()
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    if instance.status == StepStatus.PAUSED and instance.paused_at:
        _unpause(instance, at)
    instance.status = StepStatus.SKIPPED
    instance.skip_reason = reason
    instance.completed_at = at
    instance.completed_by = actor
    instance.save()
    stats.step_changed(row=instance, before=counted)
    audit_record(
        actor=actor,
        action="step.skip",
        obj=instance,
        changes={"reason": reason, **diff(before, _snap(instance, _AUDIT_FIELDS))},
    )
    case = instance.case
    _advance(case, instance, at=at, actor=actor)
    case.refresh_from_db()
    return case


@transaction.atomic
def step_pause(*, instance: StepInstance, actor: Any, reason: str) -> StepInstance:
    """Wait for an outside party; the waiting time is not counted against the deadline and the
    case shows as waiting."""
    _require_worker(actor)
    instance = _lock(instance)
    if instance.status != StepStatus.ACTIVE:
        raise Conflict("หยุดรอได้เฉพาะขั้นตอนที่กำลังดำเนินการ", code="step_not_active")
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุที่ต้องรอ", code="required")
    if len(reason) > 300:
        raise field_error("reason", "เหตุที่รอยาวเกิน 300 ตัวอักษร")
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    instance.status = StepStatus.PAUSED
    instance.paused_at = _now()
    instance.pause_reason = reason
    instance.save()
    stats.step_changed(row=instance, before=counted)
    case_changes = _set_case_status(instance.case, CaseStatus.WAITING)
    audit_record(
        actor=actor,
        action="step.pause",
        obj=instance,
        changes={
            "reason": reason,
            **diff(before, _snap(instance, _AUDIT_FIELDS)),
            **{f"case_{k}": v for k, v in case_changes.items()},
        },
    )
    return instance


@transaction.atomic
def step_resume(*, instance: StepInstance, actor: Any) -> StepInstance:
    """Resume a paused step; its deadline and target move by the time waited."""
    _require_worker(actor)
    instance = _lock(instance)
    if instance.status != StepStatus.PAUSED or instance.paused_at is None:
        raise Conflict("ขั้นตอนนี้ไม่ได้หยุดรออยู่", code="step_not_paused")
    before = _snap(instance, _AUDIT_FIELDS)
    counted = stats.counts_of(instance)
    _unpause(instance, _now())
    instance.save()
    stats.step_changed(row=instance, before=counted)
    case_changes = _set_case_status(instance.case, CaseStatus.OPEN)
    audit_record(
        actor=actor,
        action="step.resume",
        obj=instance,
        changes={
            **diff(before, _snap(instance, _AUDIT_FIELDS)),
            **{f"case_{k}": v for k, v in case_changes.items()},
        },
    )
    return instance


@transaction.atomic
def risk_record(
    *, instance: StepInstance, actor: Any, note: str, risk: StepControl | None = None
) -> RiskOccurrence:
    """Record that a risk of the step happened (a listed one, or none for an unlisted one)."""
    _require_worker(actor)
    note = normalize_text(note)
    if not note:
        raise field_error("note", "กรุณาบรรยายเหตุการณ์ที่เกิดขึ้น", code="required")
    if risk is not None and (risk.step_id != instance.step_id or risk.kind != ControlKind.RISK):
        raise field_error("risk", "ความเสี่ยงนี้ไม่ใช่ของขั้นตอนนี้")
    if instance.status == StepStatus.PENDING:
        raise Conflict("ขั้นตอนนี้ยังไม่เริ่ม", code="step_not_started")
    occurrence = RiskOccurrence.objects.create(
        step_instance=instance, risk=risk, note=note, recorded_by=actor, recorded_at=_now()
    )
    audit_record(
        actor=actor,
        action="step.risk",
        obj=instance,
        changes={
            "risk": risk.text if risk else None,
            "note": note,
            **diff({}, _snap(occurrence, ["risk_id", "note", "recorded_by_id", "recorded_at"])),
        },
    )
    return occurrence


@transaction.atomic
def case_cancel(*, case: Case, actor: Any, reason: str) -> Case:
    """Cancel an open case; its open and pending steps are cancelled too."""
    _require_worker(actor)
    try:
        case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    except Case.DoesNotExist:
        raise NotFound("ไม่พบเรื่อง", code="case_not_found") from None
    if case.status in (CaseStatus.DONE, CaseStatus.CANCELLED):
        raise Conflict("เรื่องนี้ปิดแล้ว", code="case_closed")
    reason = normalize_text(reason)
    if not reason:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ยกเลิก", code="required")
    at = _now()
    open_rows = StepInstance.objects.filter(
        case=case, status__in=[StepStatus.ACTIVE, StepStatus.PAUSED, StepStatus.PENDING]
    )
    # Only rows with a deadline count in the summary (a pending row has none yet).
    stats.steps_cancelled(case=case, rows=open_rows.filter(due_at__isnull=False))
    cancelled = open_rows.update(status=StepStatus.CANCELLED)
    changes = _set_case_status(case, CaseStatus.CANCELLED, closed_at=at)
    audit_record(
        actor=actor,
        action="case.cancel",
        obj=case,
        changes={"reason": reason, "steps_cancelled": cancelled, **changes},
    )
    return case
