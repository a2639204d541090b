"""Entering a KPI's result for a round or a month: validate everything, then save in one go."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.registry import live_source
from krabuan.core.thai import normalize_text, parse_int, parse_number
from krabuan.kpi.models import Deliverable, Kpi, KpiResult, MilestoneStep
from krabuan.kpi.permissions import can_enter_results
from krabuan.kpi.scoring import round_parse
from krabuan.workflow.services.records import upload_check

# The value column holds 12 digits, 4 of them after the point.
MAX_VALUE = Decimal("99999999.9999")
MAX_NOTE_CHARS = 5000
_FOUR_PLACES = Decimal("0.0001")


def is_percentage(kpi: Kpi) -> bool:
    """A KPI measured in percent (unit "ร้อยละ" or "%"): its results must lie within 0–100."""
    return "ร้อยละ" in kpi.unit_label or "%" in kpi.unit_label


def _value(raw: Any, kpi: Kpi, errors: dict[str, list[str]]) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        errors["value"] = ["ผลการดำเนินงานต้องเป็นตัวเลข"]
        return None
    try:
        value = parse_number(raw)
    except ValueError:
        errors["value"] = [f"ผลการดำเนินงาน '{raw}' ไม่ใช่ตัวเลข"]
        return None
    if not value.is_finite():
        errors["value"] = ["ผลการดำเนินงานต้องเป็นตัวเลข"]
        return None
    if kpi.live_source:
        source = live_source(kpi.live_source)
        label = source.label if source else kpi.live_source
        errors["value"] = [f"ตัวชี้วัดนี้รับค่าจากแหล่งข้อมูลอัตโนมัติ ({label}) จึงไม่ต้องกรอกผล"]
        return None
    if is_percentage(kpi) and not Decimal(0) <= value <= Decimal(100):
        errors["value"] = ["ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100"]
        return None
    if abs(value) > MAX_VALUE:
        errors["value"] = ["ผลการดำเนินงานมีค่ามากเกินไป"]
        return None
    return value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def _ids(raw: Iterable[Any], *, field: str, label: str, errors: dict[str, list[str]]) -> list[int]:
    # Any iterable of ids or rows (a list from the API, a queryset from a form), not a string.
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Iterable):
        errors[field] = [f"{label}ต้องเป็นรายการ"]
        return []
    ids: list[int] = []
    for item in raw:
        pk = getattr(item, "pk", item)
        try:
            ids.append(parse_int(pk))
        except (ValueError, TypeError):
            errors[field] = [f"{label} '{pk}' ไม่ถูกต้อง"]
            return []
    return sorted(set(ids))


def _owned(
    ids: list[int], found: set[int], *, field: str, label: str, errors: dict[str, list[str]]
) -> None:
    foreign = [str(pk) for pk in ids if pk not in found]
    if foreign:
        errors[field] = [f"{label} {', '.join(foreign)} ไม่ใช่ของตัวชี้วัดนี้"]


def _snap(result: KpiResult | None) -> dict[str, Any]:
    if result is None or result.pk is None:
        return {}
    return {
        "round": result.round,
        "value": result.value,
        "note": result.note,
        "evidence": result.evidence.name or "",
        "entered_by": result.entered_by_id,
        "deliverables_done": sorted(d.pk for d in result.deliverables_done.all()),
        "milestone_steps_done": sorted(s.pk for s in result.milestone_steps_done.all()),
    }


@transaction.atomic
def result_record(
    *,
    kpi: Kpi,
    round: Any,
    value: Any,
    actor: Any,
    deliverables: Iterable[Any] | None = None,
    milestone_steps: Iterable[Any] | None = None,
    note: str | None = None,
    evidence: Any = None,
) -> KpiResult:
    """Create or replace a KPI's result for a round ("6m"/"9m"/"12m") or a month inside the
    agreement's fiscal year. The value is a number in Thai or Arabic digits (0–100 for a
    percentage KPI; none for a live-bound KPI, whose value comes from its source); evidence is
    required when the KPI asks for it, unless bound to a live source; deliverables and milestone
    steps must be the KPI's own (None leaves them as they were). Every error is reported by
    field and nothing is saved."""
    if not can_enter_results(actor):
        raise PermissionDenied("บทบาทของท่านบันทึกผลตัวชี้วัดไม่ได้")
    errors: dict[str, list[str]] = {}
    stored_round = ""
    try:
        stored_round = round_parse(round, fiscal_year=kpi.agreement.fiscal_year)
    except ApplicationError as exc:
        errors.update(exc.fields)
    parsed = _value(value, kpi, errors)

    deliverable_ids = milestone_step_ids = None
    if deliverables is not None:
        deliverable_ids = _ids(deliverables, field="deliverables", label="ผลผลิต", errors=errors)
        found = set(
            Deliverable.objects.filter(kpi=kpi, pk__in=deliverable_ids).values_list("pk", flat=True)
        )
        _owned(deliverable_ids, found, field="deliverables", label="ผลผลิต", errors=errors)
    if milestone_steps is not None:
        milestone_step_ids = _ids(
            milestone_steps, field="milestone_steps", label="ขั้นตอนการดำเนินงาน", errors=errors
        )
        found = set(
            MilestoneStep.objects.filter(milestone__kpi=kpi, pk__in=milestone_step_ids).values_list(
                "pk", flat=True
            )
        )
        _owned(
            milestone_step_ids,
            found,
            field="milestone_steps",
            label="ขั้นตอนการดำเนินงาน",
            errors=errors,
        )

    text = normalize_text(note) if isinstance(note, str) else ""
    if note is not None and not isinstance(note, str):
        errors["note"] = ["หมายเหตุต้องเป็นข้อความ"]
    elif len(text) > MAX_NOTE_CHARS:
        errors["note"] = [f"หมายเหตุยาวเกิน {MAX_NOTE_CHARS} ตัวอักษร"]

    existing = (
        KpiResult.objects.select_for_update().filter(kpi=kpi, round=stored_round).first()
        if stored_round
        else None
    )
    if evidence is not None:
        try:
            upload_check(evidence, field="evidence")
        except ApplicationError as exc:
            errors.update(exc.fields)
    elif kpi.evidence_required and not kpi.live_source and not (existing and existing.evidence):
        errors["evidence"] = ["ตัวชี้วัดนี้ต้องแนบไฟล์หลักฐานประกอบผลการดำเนินงาน"]

    if existing is None and not errors:
        nothing = parsed is None and not deliverable_ids and not milestone_step_ids
        if nothing and not text and evidence is None:
            errors["value"] = ["กรุณาระบุผลการดำเนินงาน หรือผลผลิต/ขั้นตอนที่ดำเนินการแล้ว"]

    if errors:
        message = "; ".join(messages[0] for messages in errors.values())
        raise ApplicationError(message, code="invalid", fields=errors)

    before = _snap(existing)
    result = existing or KpiResult(kpi=kpi, round=stored_round)
    result.value = parsed
    if note is not None:
        result.note = text
    result.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    if evidence is not None:
        result.evidence = evidence
    result.save()
    if deliverable_ids is not None:
        result.deliverables_done.set(deliverable_ids)
    if milestone_step_ids is not None:
        result.milestone_steps_done.set(milestone_step_ids)
    audit_record(
        actor=actor,
        action="kpi_result.update" if existing else "kpi_result.create",
        obj=result,
        changes=diff(before, _snap(result)),
    )
    return result
