"""Load a fiscal year's manual from its JSON fixtures (one file per process + manual.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import normalize_text, to_arabic_digits
from krabuan.manual.durations import parse_duration
from krabuan.manual.models import (
    ImprovementEntry,
    Manual,
    Owner,
    Process,
    Requirement,
    Step,
    StepControl,
    ValueChainStage,
)
from krabuan.org.models import Position, Unit

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class LoadResult:
    manual: Manual
    created: bool
    processes: int
    steps: int


def _text(value: Any) -> str:
    return normalize_text(str(value)) if value is not None else ""


def parse_step_range(text: str) -> tuple[int | None, int | None]:
    """'๑-๒' → (1, 2); '๗' → (7, 7); anything else → (None, None)."""
    raw = to_arabic_digits(_text(text)).replace("–", "-").replace(" ", "")
    numbers = [int(p) for p in raw.split("-") if p.isdigit()]
    if not numbers:
        return None, None
    return numbers[0], numbers[-1]


def _read(directory: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header_path = directory / "manual.json"
    if not header_path.exists():
        raise ApplicationError(f"ไม่พบไฟล์ {header_path}", code="fixture_missing")
    header = json.loads(header_path.read_text(encoding="utf-8"))
    processes = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(directory.glob("*.json"))
        if p.name != "manual.json"
    ]
    return header, processes


def step_duration_fields(text: str) -> dict[str, Any]:
    """The stored duration fields of a step, parsed from its text (never raises)."""
    duration = parse_duration(text)
    return {
        "duration_text": _text(text),
        "duration": duration.to_dict(),
        "duration_status": duration.status,
    }


def _process_create(
    manual: Manual, data: dict[str, Any], units: dict[str, Unit], positions: dict[str, Position]
) -> Process:
    process = Process.objects.create(
        manual=manual,
        code=data["code"],
        kind=data["kind"],
        number=int(data["number"]),
        name=_text(data["name"]),
        authority_number=data.get("authority_number"),
        authority=_text(data.get("authority")),
        customers=_text(data.get("customers")),
        outputs=_text(data.get("outputs")),
        responsible_unit=units.get(data.get("responsible_unit") or ""),
        quality_standard=_text(data.get("quality_standard")),
        notes="\n".join(_text(n) for n in data.get("notes", [])),
    )
    Requirement.objects.bulk_create(
        Requirement(
            process=process,
            heading=r["heading"],
            heading_text=_text(r.get("heading_text")),
            detail=_text(r.get("detail")),
            priority=r.get("priority"),
            sort_order=i,
        )
        for i, r in enumerate(data.get("requirements", []))
    )
    stages = []
    for v in data.get("value_chain", []):
        step_from, step_to = parse_step_range(v.get("step_range", ""))
        stages.append(
            ValueChainStage(
                process=process,
                stage=int(v["stage"]),
                activities=_text(v.get("activities")),
                step_range=_text(v.get("step_range")),
                step_from=step_from,
                step_to=step_to,
            )
        )
    ValueChainStage.objects.bulk_create(stages)
    raw_steps = data.get("steps", [])
    steps = Step.objects.bulk_create(
        Step(
            process=process,
            order=order,
            label=_text(s.get("label")),
            group=_text(s.get("group")),
            activity=_text(s.get("activity")),
            sub_items=[_text(x) for x in s.get("sub_items", [])],
            units_text=_text(s.get("units")),
            output=_text(s.get("output")),
            is_optional=bool(s.get("optional")),
            condition=_text(s.get("condition")),
            outcomes=[
                {"label": _text(o["label"]), "return_to": o.get("return_to")}
                for o in s.get("outcomes", [])
            ],
            **step_duration_fields(s.get("duration") or ""),
        )
        for order, s in enumerate(raw_steps, start=1)
    )
    Through = Step.related_units.through
    Through.objects.bulk_create(
        Through(step_id=step.pk, unit_id=units[code].pk)
        for step, s in zip(steps, raw_steps, strict=True)
        for code in dict.fromkeys(s.get("unit_codes", []))
        if code in units
    )
    StepControl.objects.bulk_create(
        StepControl(step=step, kind=c["kind"], text=_text(c["text"]), sort_order=i)
        for step, s in zip(steps, raw_steps, strict=True)
        for i, c in enumerate(s.get("controls", []))
    )
    Owner.objects.bulk_create(
        Owner(
            process=process,
            kind=o["kind"],
            position=positions.get(o.get("position", "")),
            title=_text(o.get("position")),
            sort_order=i,
        )
        for i, o in enumerate(data.get("owners", []))
    )
    return process


@transaction.atomic
def manual_fixture_load(*, directory: Path, actor: Any = None, replace: bool = False) -> LoadResult:
    """Load a manual from fixtures once; a second call is a no-op unless `replace` is set,
    so that edits made in the app are never overwritten by a routine `make run`."""
    header, processes = _read(directory)
    unit = Unit.objects.filter(code=header["unit"]).first()
    if unit is None:
        raise ApplicationError(
            f"ไม่พบหน่วยงานรหัส {header['unit']} (โหลดข้อมูลหน่วยงานก่อน)", code="unit_missing"
        )
    existing = Manual.objects.filter(unit=unit, fiscal_year=header["fiscal_year"]).first()
    if existing is not None and not replace:
        return LoadResult(
            existing,
            False,
            existing.processes.count(),
            Step.objects.filter(process__manual=existing).count(),
        )
    if existing is not None:
        existing.delete()
    manual = Manual.objects.create(
        fiscal_year=int(header["fiscal_year"]),
        unit=unit,
        title=_text(header["title"]),
        status="published",
    )
    units = {u.code: u for u in Unit.objects.all()}
    positions = {p.title: p for p in Position.objects.all()}
    steps = 0
    for data in sorted(processes, key=lambda d: (d["kind"], int(d["number"]))):
        _process_create(manual, data, units, positions)
        steps += len(data.get("steps", []))
    ImprovementEntry.objects.bulk_create(
        ImprovementEntry(
            manual=manual,
            process_code=row["process_code"],
            process_name=_text(row["process_name"]),
            responsible_unit_text=_text(row.get("responsible_unit_text")),
            details_changed=bool(row.get("details_changed")),
            technology_added=bool(row.get("technology_added")),
            process_added=bool(row.get("process_added")),
            process_cut=bool(row.get("process_cut")),
            explanation=_text(row.get("explanation")),
            recorded=True,
            sort_order=i,
        )
        for i, row in enumerate(header.get("improvement_summary", []))
    )
    audit_record(
        actor=actor,
        action="manual.load",
        obj=manual,
        changes={"processes": len(processes), "steps": steps},
    )
    return LoadResult(manual, True, len(processes), steps)
