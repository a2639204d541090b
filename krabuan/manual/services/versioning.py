"""Copy a fiscal year's manual to a new year; the source version stays unchanged."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import Conflict, field_error
from krabuan.manual.models import (
    Manual,
    ManualStatus,
    Owner,
    Process,
    Requirement,
    Step,
    StepControl,
    ValueChainStage,
)


def _clone(obj: Any, **overrides: Any) -> Any:
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for key, value in overrides.items():
        setattr(obj, key, value)
    obj.save()
    return obj


@transaction.atomic
def manual_copy_to_year(*, manual: Manual, fiscal_year: int, actor: Any) -> Manual:
    """Deep-copy a manual into `fiscal_year` as a draft; refuse if that year already has one."""
    if not 2500 <= fiscal_year <= 2700:
        raise field_error("fiscal_year", "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2500–2700")
    if Manual.objects.filter(unit=manual.unit, fiscal_year=fiscal_year).exists():
        raise Conflict(
            f"มีคู่มือปีงบประมาณ {fiscal_year} อยู่แล้ว",
            code="manual_exists",
            fields={"fiscal_year": [f"มีคู่มือปีงบประมาณ {fiscal_year} อยู่แล้ว"]},
        )
    source_id = manual.pk
    copy = Manual.objects.create(
        fiscal_year=fiscal_year,
        unit=manual.unit,
        title=manual.title,
        status=ManualStatus.DRAFT,
        copied_from_id=source_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for process in Process.objects.filter(manual_id=source_id).order_by("kind", "number"):
        old_id = process.pk
        new_process = _clone(process, manual=copy, notes="")
        for req in Requirement.objects.filter(process_id=old_id):
            _clone(req, process=new_process)
        for stage in ValueChainStage.objects.filter(process_id=old_id):
            _clone(stage, process=new_process)
        for owner in Owner.objects.filter(process_id=old_id):
            _clone(owner, process=new_process)
        for step in Step.objects.filter(process_id=old_id).prefetch_related("related_units"):
            old_step_id = step.pk
            units = list(step.related_units.all())
            new_step = _clone(step, process=new_process)
            new_step.related_units.set(units)
            for control in StepControl.objects.filter(step_id=old_step_id):
                _clone(control, step=new_step)
    audit_record(
        actor=actor,
        action="manual.copy",
        obj=copy,
        changes={"copied_from": source_id, "fiscal_year": fiscal_year},
    )
    return copy
