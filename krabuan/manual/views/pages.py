"""Read pages of the manual: the process list of a fiscal year, one process in the form's layout,
and the yearly improvement summary. Editing lives in `editor.py`."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from krabuan.core.display import thai_digits_enabled
from krabuan.core.errors import NotFound
from krabuan.core.thai import normalize_text, to_arabic_digits, to_thai_digits
from krabuan.manual import selectors
from krabuan.manual.durations import Duration, format_duration
from krabuan.manual.forms import (
    ExplanationForm,
    ManualCopyForm,
    ProcessFilterForm,
)
from krabuan.manual.models import (
    ControlKind,
    DurationStatus,
    Manual,
    Process,
    ProcessKind,
    Step,
    ValueChainStageKind,
)
from krabuan.manual.services.editing import manual_is_editable
from krabuan.manual.services.improvements import improvement_summary as summary_rows
from krabuan.manual.services.improvements import previous_manual
from krabuan.org.models import Unit
from krabuan.org.permissions import can_edit_manual

# Durations an editor has to look at: the parser could not read them or a unit is missing.
NEEDS_FIX = {DurationStatus.UNPARSED, DurationStatus.UNIT_MISSING}


@dataclass
class UnitGroup:
    unit: Unit | None
    processes: list[Process] = field(default_factory=list)


@dataclass
class KindGroup:
    kind: str
    label: str
    units: list[UnitGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.processes) for g in self.units)


def _group(processes: list[Process]) -> list[KindGroup]:
    """Core processes first, then support; within each, by responsible unit in the chart's order."""
    groups: list[KindGroup] = []
    for kind, label in ProcessKind.choices:
        by_unit: dict[int | None, UnitGroup] = {}
        for process in processes:
            if process.kind != kind:
                continue
            key = process.responsible_unit_id
            if key not in by_unit:
                by_unit[key] = UnitGroup(unit=process.responsible_unit)
            by_unit[key].processes.append(process)
        if by_unit:
            units = sorted(
                by_unit.values(),
                key=lambda g: (g.unit is None, g.unit.sort_order if g.unit else 0),
            )
            groups.append(KindGroup(kind=kind, label=str(label), units=units))
    return groups


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is run as a formula by spreadsheets.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_response(processes: list[Process], year: int | None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="processes-{year or "all"}.csv"'
    # The byte-order mark makes Excel read the file as UTF-8, so Thai shows correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("ปีงบประมาณ"),
            _("ประเภท"),
            _("ลำดับที่"),
            _("รหัส"),
            _("ชื่อกระบวนงาน"),
            _("กลุ่ม/ฝ่ายที่รับผิดชอบ"),
            _("จำนวนขั้นตอน"),
        ]
    )
    for p in processes:
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    p.manual.fiscal_year,
                    p.get_kind_display(),
                    p.number,
                    p.code,
                    p.name,
                    p.responsible_unit.name if p.responsible_unit else "",
                    p.step_count,  # type: ignore[attr-defined]
                )
            ]
        )
    return response


def process_list_context(
    request: HttpRequest, *, copy_form: ManualCopyForm | None = None
) -> dict[str, Any]:
    """Everything the list page shows; the copy view re-renders it with its bound form."""
    filters = ProcessFilterForm(request.GET)
    filters.is_valid()
    years = selectors.manual_years()
    wanted = filters.value("fiscal_year")
    year: int | None = years[0] if years else None
    if wanted is not None:
        if wanted in years:
            year = wanted
        else:
            messages.warning(
                request,
                _("ไม่พบคู่มือกระบวนงานปีงบประมาณ %(y)s แสดงปีล่าสุดแทน") % {"y": wanted},
            )
    processes: list[Process] = []
    units: list[Unit] = []
    manual: Manual | None = None
    if year is not None:
        processes = list(
            selectors.process_list(
                user=request.user,
                fiscal_year=year,
                kind=filters.value("kind"),
                unit_code=filters.value("unit"),
                search=filters.value("q"),
                ordering=filters.value("sort"),
            )
        )
        units = list(
            Unit.objects.filter(processes__manual__fiscal_year=year)
            .distinct()
            .order_by("sort_order", "name")
        )
        manual = selectors.manual_get(fiscal_year=year)
    can_edit = can_edit_manual(request.user)
    if copy_form is None and can_edit and year is not None:
        copy_form = ManualCopyForm(initial={"source_year": year, "fiscal_year": years[0] + 1})
    return {
        "filters": filters,
        "years": years,
        "year": year,
        "manual": manual,
        "processes": processes,
        "groups": _group(processes),
        "units": units,
        "kinds": ProcessKind.choices,
        "sorts": ProcessFilterForm.SORTS,
        "can_edit": can_edit,
        "copy_form": copy_form,
    }


@login_required
def process_list(request: HttpRequest) -> HttpResponse:
    """The processes of a fiscal year (newest by default), searched, filtered, sorted, exported."""
    context = process_list_context(request)
    if request.GET.get("format") == "csv":
        return _csv_response(context["processes"], context["year"])
    return render(request, "manual/process_list.html", context)


@dataclass
class StepRow:
    step: Step
    controls: list[str]
    risks: list[str]
    duration_display: str
    needs_fix: bool


def _duration_display(step: Step) -> str:
    if not step.duration:
        return ""
    try:
        value = Duration.from_dict(step.duration)
    except (ValueError, TypeError):
        return ""
    return format_duration(value, thai_digits=thai_digits_enabled())


def _shown_if_different(display: str, step: Step) -> str:
    # Worth a second line only when it says more than the text itself (not just other digits).
    same = to_arabic_digits(display).replace("–", "-") == to_arabic_digits(
        normalize_text(step.duration_text)
    ).replace("–", "-")
    return "" if same else display


def step_rows(process: Process) -> list[StepRow]:
    """The steps with control points and risks split into their own columns."""
    rows = []
    for step in process.steps.all():
        controls = list(step.controls.all())
        rows.append(
            StepRow(
                step=step,
                controls=[c.text for c in controls if c.kind == ControlKind.CONTROL],
                risks=[c.text for c in controls if c.kind == ControlKind.RISK],
                duration_display=_shown_if_different(_duration_display(step), step),
                needs_fix=step.duration_status in NEEDS_FIX,
            )
        )
    return rows


def value_chain_columns(process: Process) -> list[dict[str, Any]]:
    """All five stages in order, empty where the process maps no steps to one."""
    by_stage = {v.stage: v for v in process.value_chain.all()}
    return [
        {"label": label, "stage": by_stage.get(stage)}
        for stage, label in ValueChainStageKind.choices
    ]


@login_required
def process_detail(request: HttpRequest, process_id: int) -> HttpResponse:
    """One process with every section of the form, its flowchart and the document links."""
    try:
        process = selectors.process_get(user=request.user, process_id=process_id)
    except NotFound:
        raise Http404(_("ไม่พบกระบวนงาน")) from None
    from krabuan.manual.flowchart import render_flowchart_svg

    can_edit = can_edit_manual(request.user)
    # The SVG escapes every text it draws, so it can go into the page as markup.
    flowchart = mark_safe(render_flowchart_svg(process))  # noqa: S308
    owners = list(process.owners.all())
    context = {
        "process": process,
        "manual": process.manual,
        "requirements": list(process.requirements.all()),
        "value_chain": value_chain_columns(process),
        "has_value_chain": bool(process.value_chain.all()),
        "rows": step_rows(process),
        "flowchart": flowchart,
        "main_owners": [o for o in owners if o.kind == "main"],
        "supporting_owners": [o for o in owners if o.kind == "supporting"],
        "can_edit": can_edit,
        "editable": can_edit and manual_is_editable(process.manual),
    }
    return render(request, "manual/process_detail.html", context)


@login_required
def improvement_summary(request: HttpRequest) -> HttpResponse:
    """The yearly improvement summary of a fiscal year's manual (newest by default)."""
    filters = ProcessFilterForm(request.GET)
    filters.is_valid()
    years = selectors.manual_years()
    if not years:
        return render(request, "manual/improvement_summary.html", {"years": years, "manual": None})
    year = years[0]
    wanted = filters.value("fiscal_year")
    if wanted is not None:
        if wanted in years:
            year = wanted
        else:
            messages.warning(
                request,
                _("ไม่พบคู่มือกระบวนงานปีงบประมาณ %(y)s แสดงปีล่าสุดแทน") % {"y": wanted},
            )
    manual = selectors.manual_get(fiscal_year=year)
    rows = summary_rows(manual=manual)
    can_edit = can_edit_manual(request.user)
    editable = can_edit and manual_is_editable(manual)
    context = {
        "years": years,
        "year": year,
        "manual": manual,
        "previous": previous_manual(manual),
        "rows": [
            {"entry": row, "form": ExplanationForm(initial={"explanation": row.explanation})}
            for row in rows
        ],
        "editable": editable,
        "year_thai": to_thai_digits(str(year)),
    }
    return render(request, "manual/improvement_summary.html", context)
