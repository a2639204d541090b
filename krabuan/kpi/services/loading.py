"""Load a fiscal year's performance agreement from its JSON fixture (kpi/fixtures/fy<year>.json).

The fixture is hand-checked data extracted from the signed agreement. Its shape:

    {
      "schema": 1,
      "source": "seeds/002_….txt",                 # where the data came from
      "agreement": {
        "fiscal_year": 2566,                       # BE
        "unit": "ict",                             # Unit.code (load the organisation first)
        "title": "คำรับรองการปฏิบัติราชการ …",
        "period_start": "2022-10-01", "period_end": "2023-09-30",
        "maker_position": "…", "maker_signed_on": "2022-12-31",        # positions, never names
        "approver_position": "…", "approver_signed_on": "2022-12-27",
        "below_first_level": "zero" | "extrapolate",
        "notes": "…"
      },
      "groups": [{"code": "performance", "name": "… (Performance Base)", "weight": 70}, …],
      "kpis": [{
        "number": 1, "name": "…", "group": "performance", "weight": 20,
        "kind": "new" | "continuing", "unit_label": "ร้อยละ",
        "method": "interpolation" | "direct" | "deliverables" | "shared",
        "direction": "rising" | "falling",
        "levels": {"basic": 95, "standard": 97.5, "advanced": 100},   # thresholds, or null
        "levels_text": "…",                        # the criteria as printed in the source
        "method_note": "…", "alternative_rule": {…}, "best_of_rounds": false,
        "deduction_points": 10, "deduction_rule": "…",                 # rule text verbatim
        "evidence_required": true,                 # optional, default true
        "live_source": "", "live_params": {},      # optional: a key of core.registry
        "definition": "…", "notes": "…", "data_source": "…", "responsible": "…",
        "baselines": [{"year": 2565, "value": 99.23, "text": ""}, …],  # value null: text only
        "roadmap": [{"year": 2566, "value": 100, "text": "ร้อยละ 100"}, …],
        "milestones": [{"round": "6m" | "9m" | "12m", "target_text": "…", "target_value": 52,
                        "steps": [{"text": "…", "due_on": "2023-03-31" | null}]}],
        "deliverables": [{"level": 50 | 75 | 100, "text": "…", "points": 15 | null}]
      }],
      "notes": ["…"]                               # judgements made while extracting; not loaded
    }

Dates are ISO or anything `parse_date` reads (Thai digits, BE years); numbers are JSON numbers
or text in Thai or Arabic digits; every text is normalised. A deliverable with `points` null is a
condition that must hold for its level to count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import ApplicationError, Conflict
from krabuan.core.registry import live_source
from krabuan.core.thai import normalize_text, parse_date, parse_int, parse_number
from krabuan.kpi.models import (
    Agreement,
    AssessmentGroup,
    Deliverable,
    Kpi,
    KpiBaseline,
    KpiResult,
    KpiRoadmap,
    Milestone,
    MilestoneStep,
)
from krabuan.org.models import Unit

M = TypeVar("M", bound=models.Model)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class LoadResult:
    agreement: Agreement
    created: bool
    kpis: int


def fixture_path(year: int) -> Path:
    """The fixture file of a fiscal year (BE)."""
    return FIXTURES_DIR / f"fy{year}.json"


def _invalid(path: str, message: str) -> ApplicationError:
    return ApplicationError(f"{path}: {message}", code="fixture_invalid", fields={path: [message]})


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _get(data: dict[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise _invalid(_join(path, key), "ไม่มีข้อมูลรายการนี้ในไฟล์")
    return data[key]


def _text(value: Any) -> str:
    return normalize_text(str(value)) if value is not None else ""


def _number(value: Any, path: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _invalid(path, "ต้องเป็นตัวเลข")
    try:
        return parse_number(value)
    except ValueError:
        raise _invalid(path, f"ต้องเป็นตัวเลข (ได้ '{value}')") from None


def _required_number(value: Any, path: str) -> Decimal:
    number = _number(value, path)
    if number is None:
        raise _invalid(path, "ต้องระบุตัวเลข")
    return number


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or value is None:
        raise _invalid(path, "ต้องเป็นจำนวนเต็ม")
    try:
        return parse_int(value)
    except ValueError:
        raise _invalid(path, f"ต้องเป็นจำนวนเต็ม (ได้ '{value}')") from None


def _date(value: Any, path: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise _invalid(path, str(exc)) from None


def _required_date(value: Any, path: str) -> dt.date:
    day = _date(value, path)
    if day is None:
        raise _invalid(path, "ต้องระบุวันที่")
    return day


def _list(data: dict[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise _invalid(_join(path, key), "ต้องเป็นรายการ (list)")
    return value


def _checked(obj: M, path: str) -> M:
    """Run the model's own validation, reporting the fixture path of what is wrong."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = {
            f"{path}.{name}": [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
        first_path, first_messages = next(iter(fields.items()))
        raise ApplicationError(
            f"{first_path}: {first_messages[0]}", code="fixture_invalid", fields=fields
        ) from None
    return obj


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ApplicationError(f"ไม่พบไฟล์ {path}", code="fixture_missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApplicationError(f"อ่านไฟล์ {path.name} ไม่ได้: {exc}", code="fixture_invalid") from None
    if not isinstance(data, dict):
        raise ApplicationError(f"ไฟล์ {path.name} ต้องเป็นออบเจ็กต์ JSON", code="fixture_invalid")
    return data


def _agreement_create(header: dict[str, Any], unit: Unit) -> Agreement:
    path = "agreement"
    agreement = Agreement(
        fiscal_year=_int(_get(header, "fiscal_year", path), f"{path}.fiscal_year"),
        unit=unit,
        title=_text(_get(header, "title", path)),
        period_start=_required_date(_get(header, "period_start", path), f"{path}.period_start"),
        period_end=_required_date(_get(header, "period_end", path), f"{path}.period_end"),
        maker_position=_text(header.get("maker_position")),
        maker_signed_on=_date(header.get("maker_signed_on"), f"{path}.maker_signed_on"),
        approver_position=_text(header.get("approver_position")),
        approver_signed_on=_date(header.get("approver_signed_on"), f"{path}.approver_signed_on"),
        below_first_level=header.get("below_first_level") or "zero",
        notes=_text(header.get("notes")),
    )
    _checked(agreement, path)
    if agreement.period_start >= agreement.period_end:
        raise _invalid(f"{path}.period_end", "ต้องอยู่หลังวันเริ่มต้นของระยะเวลาคำรับรอง")
    agreement.save()
    return agreement


def _groups_create(agreement: Agreement, rows: list[Any]) -> dict[str, AssessmentGroup]:
    groups: dict[str, AssessmentGroup] = {}
    for i, row in enumerate(rows):
        path = f"groups[{i}]"
        group = AssessmentGroup(
            agreement=agreement,
            code=_text(_get(row, "code", path)),
            name=_text(_get(row, "name", path)),
            weight=_required_number(_get(row, "weight", path), f"{path}.weight"),
            sort_order=i,
        )
        _checked(group, path)
        if group.code in groups:
            raise _invalid(f"{path}.code", f"รหัสองค์ประกอบ '{group.code}' ซ้ำ")
        group.save()
        groups[group.code] = group
    return groups


def _series(rows: list[Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    """Validated (path, fields) of a baseline or roadmap series; one entry per year."""
    out = []
    years: set[int] = set()
    for i, row in enumerate(rows):
        row_path = f"{path}[{i}]"
        year = _int(_get(row, "year", row_path), f"{row_path}.year")
        if year in years:
            raise _invalid(f"{row_path}.year", f"ปี {year} ซ้ำ")
        years.add(year)
        fields = {
            "year": year,
            "value": _number(row.get("value"), f"{row_path}.value"),
            "text": _text(row.get("text")),
        }
        out.append((row_path, fields))
    return out


def _milestones_create(kpi: Kpi, rows: list[Any], agreement: Agreement, path: str) -> None:
    rounds: set[str] = set()
    steps: list[MilestoneStep] = []
    for i, row in enumerate(rows):
        row_path = f"{path}[{i}]"
        milestone = Milestone(
            kpi=kpi,
            round=_text(_get(row, "round", row_path)),
            target_text=_text(row.get("target_text")),
            target_value=_number(row.get("target_value"), f"{row_path}.target_value"),
        )
        _checked(milestone, row_path)
        if milestone.round in rounds:
            raise _invalid(f"{row_path}.round", f"รอบ {milestone.round} ซ้ำ")
        rounds.add(milestone.round)
        milestone.save()
        for j, step_row in enumerate(_list(row, "steps", row_path)):
            step_path = f"{row_path}.steps[{j}]"
            text = _text(_get(step_row, "text", step_path))
            due_on = _date(step_row.get("due_on"), f"{step_path}.due_on")
            if due_on is not None and not agreement.period_start <= due_on <= agreement.period_end:
                raise _invalid(f"{step_path}.due_on", "ต้องอยู่ในระยะเวลาของคำรับรอง")
            step = MilestoneStep(
                milestone=milestone,
                text=text,
                due_on=due_on,
                sort_order=j,
            )
            steps.append(_checked(step, step_path))
    MilestoneStep.objects.bulk_create(steps)


def _deliverables_create(kpi: Kpi, rows: list[Any], path: str) -> None:
    objs = []
    for i, row in enumerate(rows):
        row_path = f"{path}[{i}]"
        deliverable = Deliverable(
            kpi=kpi,
            level=_int(_get(row, "level", row_path), f"{row_path}.level"),
            text=_text(_get(row, "text", row_path)),
            points=_number(row.get("points"), f"{row_path}.points"),
            sort_order=i,
        )
        objs.append(_checked(deliverable, row_path))
    Deliverable.objects.bulk_create(objs)


def _kpi_create(
    agreement: Agreement, groups: dict[str, AssessmentGroup], data: dict[str, Any], path: str
) -> Kpi:
    group_code = _text(_get(data, "group", path))
    if group_code not in groups:
        raise _invalid(f"{path}.group", f"ไม่มีองค์ประกอบการประเมินรหัส '{group_code}'")
    levels = data.get("levels") or {}
    if not isinstance(levels, dict):
        raise _invalid(f"{path}.levels", "ต้องเป็นออบเจ็กต์ {basic, standard, advanced}")
    alternative = data.get("alternative_rule") or {}
    live_params = data.get("live_params") or {}
    for key, value in (("alternative_rule", alternative), ("live_params", live_params)):
        if not isinstance(value, dict):
            raise _invalid(f"{path}.{key}", "ต้องเป็นออบเจ็กต์ JSON")
    source_key = _text(data.get("live_source"))
    if source_key and live_source(source_key) is None:
        raise _invalid(f"{path}.live_source", f"ไม่มีแหล่งข้อมูลอัตโนมัติ '{source_key}'")
    kpi = Kpi(
        agreement=agreement,
        group=groups[group_code],
        number=_int(_get(data, "number", path), f"{path}.number"),
        name=_text(_get(data, "name", path)),
        weight=_required_number(_get(data, "weight", path), f"{path}.weight"),
        kind=_text(data.get("kind")) or "continuing",
        unit_label=_text(data.get("unit_label")),
        definition=_text(data.get("definition")),
        notes=_text(data.get("notes")),
        data_source=_text(data.get("data_source")),
        responsible=_text(data.get("responsible")),
        method=_text(_get(data, "method", path)),
        direction=_text(data.get("direction")) or "rising",
        level_basic=_number(levels.get("basic"), f"{path}.levels.basic"),
        level_standard=_number(levels.get("standard"), f"{path}.levels.standard"),
        level_advanced=_number(levels.get("advanced"), f"{path}.levels.advanced"),
        levels_text=_text(data.get("levels_text")),
        method_note=_text(data.get("method_note")),
        alternative_rule=alternative,
        best_of_rounds=bool(data.get("best_of_rounds", False)),
        deduction_points=_number(data.get("deduction_points"), f"{path}.deduction_points")
        or Decimal(0),
        deduction_rule=_text(data.get("deduction_rule")),
        evidence_required=bool(data.get("evidence_required", True)),
        live_source=source_key,
        live_params=live_params,
    )
    _checked(kpi, path)
    kpi.save()
    KpiBaseline.objects.bulk_create(
        _checked(KpiBaseline(kpi=kpi, **fields), row_path)
        for row_path, fields in _series(_list(data, "baselines", path), f"{path}.baselines")
    )
    KpiRoadmap.objects.bulk_create(
        _checked(KpiRoadmap(kpi=kpi, **fields), row_path)
        for row_path, fields in _series(_list(data, "roadmap", path), f"{path}.roadmap")
    )
    _milestones_create(kpi, _list(data, "milestones", path), agreement, f"{path}.milestones")
    _deliverables_create(kpi, _list(data, "deliverables", path), f"{path}.deliverables")
    return kpi


def _agreement_delete(agreement: Agreement) -> None:
    results = KpiResult.objects.filter(kpi__agreement=agreement).count()
    if results:
        raise Conflict(
            f"คำรับรองปีงบประมาณ {agreement.fiscal_year} มีผลการดำเนินงานบันทึกไว้แล้ว "
            f"{results} รายการ จึงโหลดทับไม่ได้ (ผลการดำเนินงานจะหายไปด้วย)"
        )
    # KPIs first: a KPI's group is PROTECTed, so groups can go only after their KPIs.
    agreement.kpis.all().delete()
    agreement.delete()


@transaction.atomic
def agreement_fixture_load(*, path: Path, actor: Any = None, replace: bool = False) -> LoadResult:
    """Load an agreement from its fixture once; a second call is a no-op unless `replace` is set
    (and no results have been entered), so a routine `make run` never overwrites the app's data."""
    data = _read(path)
    header = _get(data, "agreement", "")
    fiscal_year = _int(_get(header, "fiscal_year", "agreement"), "agreement.fiscal_year")
    unit_code = _text(_get(header, "unit", "agreement"))
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ApplicationError(
            f"ไม่พบหน่วยงานรหัส {unit_code} (โหลดข้อมูลหน่วยงานก่อน)", code="unit_missing"
        )
    existing = Agreement.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if existing is not None and not replace:
        return LoadResult(existing, False, existing.kpis.count())
    if existing is not None:
        _agreement_delete(existing)
    agreement = _agreement_create(header, unit)
    groups = _groups_create(agreement, _list(data, "groups", ""))
    rows = _list(data, "kpis", "")
    for i, row in enumerate(rows):
        _kpi_create(agreement, groups, row, f"kpis[{i}]")
    audit_record(
        actor=actor,
        action="kpi.agreement_load",
        obj=agreement,
        changes={"source": path.name, "kpis": len(rows), "replaced": existing is not None},
    )
    return LoadResult(agreement, True, len(rows))
