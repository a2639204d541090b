"""Changes to the agreement itself: next year's copy, a KPI's editable fields, live bindings.

An agreement that has been copied to a later year is the record of what was signed and stays
read-only (results may still be entered for it); edit the newer copy instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied, field_error
from krabuan.core.registry import live_source, live_sources
from krabuan.core.thai import fiscal_year_bounds, normalize_text, parse_int, parse_number
from krabuan.kpi.models import (
    Agreement,
    AssessmentGroup,
    Deliverable,
    Direction,
    Kpi,
    KpiBaseline,
    KpiKind,
    KpiRoadmap,
    Method,
    Milestone,
    MilestoneStep,
)
from krabuan.kpi.permissions import can_edit_agreement

READ_ONLY_MESSAGE = "คำรับรองปีที่คัดลอกไปปีถัดไปแล้วแก้ไขไม่ได้ ให้แก้ไขฉบับปีใหม่"
MAX_LEVEL = Decimal("99999999.9999")  # the level columns: 12 digits, 4 after the point

_TEXT_FIELDS = {
    "name": ("ชื่อตัวชี้วัด", 500),
    "unit_label": ("หน่วยวัด", 50),
    "definition": ("คำอธิบาย/นิยาม", None),
    "notes": ("หมายเหตุ", None),
    "data_source": ("แหล่งข้อมูล", None),
    "responsible": ("ผู้กำกับ/ผู้จัดเก็บข้อมูล", None),
    "levels_text": ("ค่าเป้าหมายตามต้นฉบับ", None),
    "method_note": ("หมายเหตุวิธีคิดคะแนน", None),
    "deduction_rule": ("เงื่อนไขการหักคะแนน", None),
}
_CHOICE_FIELDS = {
    "kind": ("ประเภทตัวชี้วัด", KpiKind),
    "method": ("วิธีคิดคะแนน", Method),
    "direction": ("ทิศทาง", Direction),
}
_LEVEL_FIELDS = {
    "level_basic": "ขั้นต้น (50)",
    "level_standard": "มาตรฐาน (75)",
    "level_advanced": "ขั้นสูง (100)",
}
_BOOL_FIELDS = {"best_of_rounds": "ใช้ค่าที่ดีที่สุดของทุกรอบ", "evidence_required": "ต้องแนบหลักฐาน"}
EDITABLE_FIELDS = frozenset(
    [
        *_TEXT_FIELDS,
        *_CHOICE_FIELDS,
        *_LEVEL_FIELDS,
        *_BOOL_FIELDS,
        "weight",
        "deduction_points",
        "group",
    ]
)
_AUDIT_FIELDS = sorted([f for f in EDITABLE_FIELDS if f != "group"] + ["group_id"])


def _require_editor(actor: Any) -> None:
    if not can_edit_agreement(actor):
        raise PermissionDenied("บทบาทของท่านแก้ไขคำรับรองการปฏิบัติราชการไม่ได้")


def _require_current(agreement: Agreement) -> None:
    newer = Agreement.objects.filter(
        unit_id=agreement.unit_id, fiscal_year__gt=agreement.fiscal_year
    )
    if newer.exists():
        raise Conflict(READ_ONLY_MESSAGE, code="agreement_read_only")


def _clone(obj: Any, **overrides: Any) -> Any:
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for key, value in overrides.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def _shift_years(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def agreement_copy_to_year(*, agreement: Agreement, fiscal_year: Any, actor: Any) -> Agreement:
    """Deep-copy an agreement into a later fiscal year as unsigned: groups, KPIs, baselines,
    roadmap, milestones (due dates moved by the years between) with steps, deliverables and
    live bindings; results are not copied. The source stays unchanged; refused when the unit
    already has an agreement for that year."""
    _require_editor(actor)
    try:
        year = parse_int(fiscal_year)
    except (ValueError, TypeError):
        raise field_error("fiscal_year", "ปีงบประมาณต้องเป็นตัวเลข ปี พ.ศ.") from None
    if not 2500 <= year <= 2700:
        raise field_error("fiscal_year", "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2500–2700")
    if year <= agreement.fiscal_year:
        raise field_error(
            "fiscal_year", f"ปีงบประมาณต้องอยู่หลังปี พ.ศ. {agreement.fiscal_year} ของฉบับเดิม"
        )
    if Agreement.objects.filter(unit_id=agreement.unit_id, fiscal_year=year).exists():
        message = f"มีคำรับรองปีงบประมาณ {year} ของหน่วยงานนี้อยู่แล้ว"
        raise Conflict(message, code="agreement_exists", fields={"fiscal_year": [message]})
    years = year - agreement.fiscal_year
    start, end = fiscal_year_bounds(year)
    copy = Agreement.objects.create(
        fiscal_year=year,
        unit_id=agreement.unit_id,
        title=agreement.title,
        period_start=start,
        period_end=end,
        maker_position=agreement.maker_position,
        approver_position=agreement.approver_position,
        below_first_level=agreement.below_first_level,
        copied_from=agreement,
    )
    groups: dict[int, AssessmentGroup] = {}
    for group in AssessmentGroup.objects.filter(agreement=agreement).order_by("sort_order", "pk"):
        old_id = group.pk
        groups[old_id] = _clone(group, agreement=copy)
    for kpi in Kpi.objects.filter(agreement=agreement).order_by("number"):
        old_id = kpi.pk
        new_kpi = _clone(kpi, agreement=copy, group=groups[kpi.group_id])
        for baseline in KpiBaseline.objects.filter(kpi_id=old_id):
            _clone(baseline, kpi=new_kpi)
        for target in KpiRoadmap.objects.filter(kpi_id=old_id):
            _clone(target, kpi=new_kpi)
        for deliverable in Deliverable.objects.filter(kpi_id=old_id):
            _clone(deliverable, kpi=new_kpi)
        for milestone in Milestone.objects.filter(kpi_id=old_id):
            old_milestone = milestone.pk
            new_milestone = _clone(milestone, kpi=new_kpi)
            for step in MilestoneStep.objects.filter(milestone_id=old_milestone):
                _clone(step, milestone=new_milestone, due_on=_shift_years(step.due_on, years))
    audit_record(
        actor=actor,
        action="agreement.copy",
        obj=copy,
        changes={"copied_from": agreement.pk, "fiscal_year": year},
    )
    return copy


def _clean_text(name: str, raw: Any, errors: dict[str, list[str]]) -> str | None:
    label, limit = _TEXT_FIELDS[name]
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors[name] = [f"{label}ต้องเป็นข้อความ"]
        return None
    text = normalize_text(raw)
    if name == "name" and not text:
        errors[name] = [f"กรุณาระบุ{label}"]
        return None
    if limit and len(text) > limit:
        errors[name] = [f"{label}ยาวเกิน {limit} ตัวอักษร"]
        return None
    return text


def _clean_number(
    name: str, label: str, raw: Any, errors: dict[str, list[str]], *, required: bool
) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[name] = [f"กรุณาระบุ{label}"]
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        errors[name] = [f"{label}ต้องเป็นตัวเลข"]
        return None
    try:
        value = parse_number(raw)
    except ValueError:
        errors[name] = [f"{label} '{raw}' ไม่ใช่ตัวเลข"]
        return None
    if not value.is_finite() or abs(value) > MAX_LEVEL:
        errors[name] = [f"{label}ต้องเป็นตัวเลขที่ไม่เกิน {MAX_LEVEL}"]
        return None
    return value


def _clean_bool(name: str, raw: Any, errors: dict[str, list[str]]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "on", "yes", "ใช่"}:
        return True
    if text in {"0", "false", "off", "no", "", "ไม่ใช่"}:
        return False
    errors[name] = [f"{_BOOL_FIELDS[name]}ต้องเป็นใช่หรือไม่ใช่"]
    return None


def _plain(value: Decimal) -> str:
    """95.0000 → "95", 97.5000 → "97.5" (as people write them)."""
    return f"{Decimal(value).normalize():f}"


def _check_levels(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Interpolation needs all three levels; a shared score all three or none; and the levels
    must run in the KPI's direction (equal neighbours allowed)."""
    levels = [values["level_basic"], values["level_standard"], values["level_advanced"]]
    given = [v is not None for v in levels]
    method = values["method"]
    if method == Method.INTERPOLATION or (method == Method.SHARED and any(given)):
        for name, present in zip(_LEVEL_FIELDS, given, strict=True):
            if not present and name not in errors:
                errors[name] = [f"กรุณาระบุค่าเป้าหมาย{_LEVEL_FIELDS[name]}"]
    if not all(given):
        return
    basic, standard, advanced = levels
    falling = values["direction"] == Direction.FALLING
    word = "ไม่มากกว่า" if falling else "ไม่น้อยกว่า"

    def wrong(low: Decimal, high: Decimal) -> bool:
        return high > low if falling else high < low

    if wrong(basic, standard) and "level_standard" not in errors:
        errors["level_standard"] = [f"ค่าเป้าหมายมาตรฐานต้อง{word}ขั้นต้น ({_plain(basic)})"]
    if wrong(standard, advanced) and "level_advanced" not in errors:
        errors["level_advanced"] = [f"ค่าเป้าหมายขั้นสูงต้อง{word}มาตรฐาน ({_plain(standard)})"]


@transaction.atomic
def kpi_update(*, kpi: Kpi, actor: Any, data: Mapping[str, Any]) -> Kpi:
    """Change a KPI's editable fields (EDITABLE_FIELDS): text, weight (0–100, the agreement's
    weights together at most 100), method, direction, levels (required by interpolation, in
    the KPI's direction), deduction points (0–100), group of the same agreement. Every error is
    reported by field; nothing is saved when one is found."""
    _require_editor(actor)
    agreement = kpi.agreement
    _require_current(agreement)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - EDITABLE_FIELDS)
    for name in unknown:
        hint = " (ใช้การผูกแหล่งข้อมูลอัตโนมัติ)" if name.startswith("live_") else ""
        errors[name] = [f"ช่อง {name} แก้ไขที่นี่ไม่ได้{hint}"]

    values: dict[str, Any] = {f: getattr(kpi, f) for f in _AUDIT_FIELDS}
    for name, raw in data.items():
        if name in _TEXT_FIELDS:
            values[name] = _clean_text(name, raw, errors)
        elif name in _CHOICE_FIELDS:
            label, choices = _CHOICE_FIELDS[name]
            if raw not in choices.values:
                errors[name] = [f"{label}ต้องเป็น {', '.join(choices.values)}"]
            values[name] = raw
        elif name in _LEVEL_FIELDS:
            values[name] = _clean_number(name, _LEVEL_FIELDS[name], raw, errors, required=False)
        elif name in _BOOL_FIELDS:
            values[name] = _clean_bool(name, raw, errors)
        elif name == "weight":
            weight = _clean_number(name, "น้ำหนัก", raw, errors, required=True)
            if weight is not None and not Decimal(0) < weight <= Decimal(100):
                errors[name] = ["น้ำหนักต้องมากกว่า 0 และไม่เกิน 100"]
            values[name] = weight
        elif name == "deduction_points":
            points = _clean_number(name, "คะแนนที่หัก", raw, errors, required=False) or Decimal(0)
            if not Decimal(0) <= points <= Decimal(100):
                errors[name] = ["คะแนนที่หักต้องอยู่ระหว่าง 0 ถึง 100"]
            values[name] = points
        elif name == "group":
            group_id = getattr(raw, "pk", raw)
            try:
                values["group_id"] = AssessmentGroup.objects.get(
                    agreement=agreement, pk=parse_int(group_id)
                ).pk
            except (AssessmentGroup.DoesNotExist, ValueError, TypeError):
                errors["group"] = ["องค์ประกอบการประเมินต้องเป็นของคำรับรองฉบับนี้"]

    if not ({"method", "direction"} & set(errors)):
        _check_levels(values, errors)
    if values["method"] == Method.DELIVERABLES and kpi.live_source and "method" not in errors:
        errors["method"] = ["ตัวชี้วัดที่ผูกกับแหล่งข้อมูลอัตโนมัติใช้วิธีคิดคะแนนตามผลผลิตไม่ได้"]
    if "weight" in data and "weight" not in errors and values["weight"] is not None:
        others = sum(
            Kpi.objects.filter(agreement=agreement)
            .exclude(pk=kpi.pk)
            .values_list("weight", flat=True),
            Decimal(0),
        )
        if others + values["weight"] > 100:
            errors["weight"] = [f"น้ำหนักรวมของตัวชี้วัดจะเกิน 100 (ตัวชี้วัดอื่นรวม {_plain(others)})"]
    if errors:
        message = "; ".join(messages[0] for messages in errors.values())
        raise ApplicationError(message, code="invalid", fields=errors)

    before = snapshot(kpi, _AUDIT_FIELDS)
    for name, value in values.items():
        setattr(kpi, name, value)
    kpi.save()
    audit_record(
        actor=actor,
        action="kpi.update",
        obj=kpi,
        changes=diff(before, snapshot(kpi, _AUDIT_FIELDS)),
    )
    return kpi


@transaction.atomic
def kpi_bind_live_source(
    *, kpi: Kpi, key: str, params: Mapping[str, Any] | None, actor: Any
) -> Kpi:
    """Bind a KPI to a registered live source (its value then comes from the module) with the
    source's parameters, checked by asking the source once; an empty key unbinds. On a
    deliverables KPI the source ticks the deliverables it can check
    (see scoring.live_deliverables)."""
    _require_editor(actor)
    _require_current(kpi.agreement)
    key = normalize_text(key or "") if isinstance(key, str) else ""
    params = {} if params is None else params
    if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
        raise field_error("live_params", 'พารามิเตอร์ต้องเป็นชุดข้อมูล JSON แบบ {"ชื่อ": ค่า}')
    try:
        clean_params = json.loads(json.dumps(dict(params)))
    except (TypeError, ValueError):
        raise field_error("live_params", "พารามิเตอร์ต้องเป็นข้อมูล JSON") from None
    if key:
        source = live_source(key)
        if source is None:
            known = ", ".join(s.key for s in live_sources()) or "-"
            raise field_error("live_source", f"ไม่พบแหล่งข้อมูลอัตโนมัติ '{key}' (ที่มี: {known})")
        try:
            source.func(fiscal_year=kpi.agreement.fiscal_year, round="12m", params=clean_params)
        except ApplicationError as exc:
            raise field_error("live_params", exc.message) from None
        except (ValueError, TypeError, KeyError) as exc:
            raise field_error("live_params", f"พารามิเตอร์ไม่ถูกต้อง: {exc}") from None
    elif clean_params:
        raise field_error("live_params", "ไม่ได้เลือกแหล่งข้อมูลอัตโนมัติ จึงไม่ต้องระบุพารามิเตอร์")
    before = snapshot(kpi, ["live_source", "live_params"])
    kpi.live_source = key
    kpi.live_params = clean_params
    kpi.save(update_fields=["live_source", "live_params", "updated_at"])
    audit_record(
        actor=actor,
        action="kpi.bind_live_source" if key else "kpi.unbind_live_source",
        obj=kpi,
        changes=diff(before, snapshot(kpi, ["live_source", "live_params"])),
    )
    return kpi
