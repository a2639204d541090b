"""The OPDC form 1 as display rows: every text cleaned and in Thai digits, computed once and
laid out by both the DOCX and the PDF writer so the two documents say the same thing.

The fixed wording is the official form's and stays Thai in every interface language, so it is
not passed through gettext."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from krabuan.manual.documents.text import lines, thai
from krabuan.manual.flowchart import (
    has_control_point,
    is_decision,
    render_step_flow_svg,
    step_number,
)
from krabuan.manual.models import (
    ControlKind,
    ImprovementEntry,
    Manual,
    OwnerKind,
    Process,
    ProcessKind,
    Step,
    ValueChainStageKind,
)

FORM_NAME = "แบบฟอร์มที่ ๑"
OVERVIEW_TITLE = "การวิเคราะห์และกำหนดกระบวนงานระดับสำนัก/กอง ปีงบประมาณ พ.ศ. {year}"
DESIGN_TITLE = "การจัดทำข้อกำหนดและออกแบบกระบวนงานระดับสำนัก/กอง ปีงบประมาณ พ.ศ. {year}"
IMPROVEMENT_TITLE = "สรุปภาพรวมของการปรับปรุงกระบวนงานในระดับสำนัก/กอง ปีงบประมาณ พ.ศ. {year}"
KIND_TITLES: dict[str, str] = {
    ProcessKind.CORE: "กระบวนงานหลัก",
    ProcessKind.SUPPORT: "กระบวนงานสนับสนุน",
}
SECTION_REQUIREMENTS = "๑. การจัดทำข้อกำหนดที่สำคัญของแต่ละกระบวนงาน"
SECTION_DESIGN = "๒. การออกแบบแต่ละกระบวนงาน"
PART_VALUE_CHAIN = "๑) การวิเคราะห์ห่วงโซ่คุณค่าของแต่ละกระบวนงาน"
VALUE_CHAIN_NOTE = (
    "(กำหนดรูปแบบของห่วงโซ่คุณค่าของการปฏิบัติงานในแต่ละกระบวนงานให้เป็นมาตรฐานเดียวกัน "
    "โดยจัดกลุ่มกิจกรรมที่ต่อเนื่องใน ๕ ประเด็น)"
)
PART_STEPS = "๒) การเขียนผังกระบวนงาน"
PART_QUALITY = "๓) การกำหนดมาตรฐานคุณภาพงาน"
PART_OWNERS = "๔) ผู้รับผิดชอบกระบวนงาน"
QUALITY_LABEL = "มาตรฐานคุณภาพงาน (ภาพรวมกระบวนงาน)"
REQUIREMENT_HEADERS = ("ประเด็นข้อกำหนดที่สำคัญ", "รายละเอียด", "ลำดับความสำคัญ")
STEP_HEADERS = (
    "ขั้นตอนการทำงาน (Work Flow)",
    "ผังงาน (Flow Chart)",
    "ระยะเวลา",
    "หน่วยงานที่เกี่ยวข้อง",
    "จุดควบคุม/ความเสี่ยง",
)
OUTPUT_HEADER = "ผลผลิต (Output)"
CORE_OVERVIEW_HEADERS = (
    "อำนาจหน้าที่ของสำนัก/กอง (๑)",
    "กระบวนงาน (๒)",
    "ผู้รับบริการ (๓)",
    "ผลงาน (Output) (๔)",
    "กลุ่ม/ฝ่ายที่รับผิดชอบ (๕)",
)
SUPPORT_OVERVIEW_HEADERS = (
    "กระบวนงาน (๑)",
    "ผู้รับบริการ (๒)",
    "ผลงาน (Output) (๓)",
    "กลุ่ม/ฝ่ายที่รับผิดชอบ (๔)",
)
IMPROVEMENT_HEADERS = (
    "กระบวนงาน (ระบุเฉพาะกระบวนงานที่ปรับปรุง)",
    "การปรับปรุง (✓)",
    "รายละเอียดการปรับปรุง",
    "กลุ่ม/ฝ่ายที่รับผิดชอบ",
)
IMPROVEMENT_FLAG_HEADERS = (
    "ปรับปรุงรายละเอียด",
    "เพิ่มเทคโนโลยี/นวัตกรรม",
    "เพิ่มกระบวนงาน",
    "ตัดกระบวนงาน",
)
IMPROVEMENT_NOTES = (
    "หมายเหตุ : ช่องตาราง การปรับปรุง ใส่เครื่องหมาย (✓) ในประเด็นที่ปรับปรุง ดังนี้",
    "- ปรับปรุงรายละเอียด หมายถึง มีการปรับปรุงเนื้อหาในกระบวนงานตามประเด็นต่าง ๆ ภายใต้หัวข้อ"
    "การจัดทำข้อกำหนดที่สำคัญ และการออกแบบกระบวนงาน (แบบฟอร์มที่ ๑)",
    "- เพิ่มเทคโนโลยี/นวัตกรรม หมายถึง มีการนำเทคโนโลยี/นวัตกรรมมาปรับใช้กับกระบวนงาน",
    "- เพิ่มกระบวนงาน หมายถึง มีการปรับเพิ่มกระบวนงานจากปีงบประมาณที่ผ่านมา",
    "- ตัดกระบวนงาน หมายถึง มีการปรับลดกระบวนงานจากปีงบประมาณที่ผ่านมา",
)
FLOW_LEGEND = (
    "สัญลักษณ์ในผังงาน : สี่เหลี่ยม = ขั้นตอนการทำงาน, สี่เหลี่ยมข้าวหลามตัด = การพิจารณา/ตัดสินใจ, "
    "วงกลมสีแดง = มีจุดควบคุม, เส้นประ = ทำเมื่อมี (ถ้ามี)"
)
MAIN_OWNER_LABEL = "ผู้รับผิดชอบหลัก"
SUPPORTING_OWNER_LABEL = "ผู้สนับสนุนการปฏิบัติงาน"
CHECK, DASH = "✓", "-"
OVERVIEW_ANCHORS: dict[str, str] = {
    ProcessKind.CORE: "overview-core",
    ProcessKind.SUPPORT: "overview-support",
}
IMPROVEMENTS_ANCHOR = "improvements"
TOC_TITLE = "สารบัญ"


@dataclass(frozen=True)
class RequirementRow:
    heading: str
    detail: list[str]
    priority: str


@dataclass(frozen=True)
class StageCell:
    title: str
    activities: list[str]
    steps: str


@dataclass(frozen=True)
class StepRow:
    step: Step
    number: str
    activity: str
    details: list[str]
    group: str
    duration: str
    units: str
    controls: list[str]
    output: str
    decision: bool
    control_point: bool
    first: bool
    last: bool
    flow_svg: str


@dataclass(frozen=True)
class ProcessForm:
    process: Process
    anchor: str
    kind: str
    kind_title: str
    number: str
    name: str
    title: str
    fiscal_year: str
    design_title: str
    unit_line: str
    authority: str
    customers: list[str]
    outputs: list[str]
    responsible_unit: str
    requirements: list[RequirementRow]
    value_chain: list[StageCell]
    steps: list[StepRow]
    has_output: bool
    quality_standard: list[str]
    main_owners: list[str]
    supporting_owners: list[str]

    @property
    def step_headers(self) -> tuple[str, ...]:
        return (*STEP_HEADERS, OUTPUT_HEADER) if self.has_output else STEP_HEADERS


@dataclass(frozen=True)
class ImprovementRow:
    number: str
    process_name: str
    flags: tuple[str, str, str, str]
    explanation: list[str]
    unit: str


@dataclass(frozen=True)
class OverviewRow:
    """A row of the form's overview table; `authority_rows` > 0 starts a merged authority cell
    spanning that many rows, 0 continues the one above."""

    form: ProcessForm
    authority: str
    authority_rows: int


@dataclass(frozen=True)
class TocEntry:
    """A line of the table of contents; entries without an anchor are group headings."""

    text: str
    anchor: str | None
    level: int


@dataclass(frozen=True)
class ManualForm:
    manual: Manual
    title: str
    unit_name: str
    fiscal_year: str
    form_name: str
    overview_title: str
    improvement_title: str
    core: list[ProcessForm]
    support: list[ProcessForm]
    improvements: list[ImprovementRow] = field(default_factory=list)

    @property
    def processes(self) -> list[ProcessForm]:
        return [*self.core, *self.support]

    @property
    def core_overview(self) -> list[OverviewRow]:
        return _overview_rows(self.core)

    @property
    def toc(self) -> list[TocEntry]:
        entries: list[TocEntry] = []
        if self.core:
            entries.append(
                TocEntry(
                    f"{self.form_name} {KIND_TITLES[ProcessKind.CORE]}ของ{self.unit_name}",
                    OVERVIEW_ANCHORS[ProcessKind.CORE],
                    0,
                )
            )
        if self.support:
            entries.append(
                TocEntry(
                    f"{KIND_TITLES[ProcessKind.SUPPORT]}ของ{self.unit_name}",
                    OVERVIEW_ANCHORS[ProcessKind.SUPPORT],
                    0,
                )
            )
        for kind, forms in ((ProcessKind.CORE, self.core), (ProcessKind.SUPPORT, self.support)):
            if forms:
                entries.append(TocEntry(KIND_TITLES[kind], None, 0))
                entries.extend(TocEntry(f"{f.number}. {f.name}", f.anchor, 1) for f in forms)
        if self.improvements:
            entries.append(TocEntry(self.improvement_title, IMPROVEMENTS_ANCHOR, 0))
        return entries


def _requirement_rows(process: Process) -> list[RequirementRow]:
    return [
        RequirementRow(
            heading=thai(r.heading_text or r.get_heading_display()),
            detail=lines(r.detail, split_items=True) or [DASH],
            priority=thai(r.priority) if r.priority is not None else "",
        )
        for r in sorted(process.requirements.all(), key=lambda r: r.sort_order)
    ]


def _stage_cells(process: Process) -> list[StageCell]:
    by_stage = {v.stage: v for v in process.value_chain.all()}
    cells = []
    for kind in ValueChainStageKind:
        stage = by_stage.get(kind.value)
        step_range = ""
        if stage is not None:
            step_range = stage.step_range
            if not step_range and stage.step_from is not None:
                step_range = str(stage.step_from)
                if stage.step_to not in (None, stage.step_from):
                    step_range += f"-{stage.step_to}"
        cells.append(
            StageCell(
                title=str(kind.label),
                activities=lines(stage.activities, split_items=True) if stage else [],
                steps=f"(ระบุขั้นตอนที่ {thai(step_range) or DASH})",
            )
        )
    return cells


def _activity_text(step: Step, number: str) -> str:
    activity = thai(step.activity).strip()
    # Some imported activities still begin with their own number; print it once.
    if not activity.startswith(f"{number}."):
        activity = f"{number}. {activity}"
    if step.is_optional and "ถ้ามี" not in activity:
        activity += " (ถ้ามี)"
    return activity


def _step_rows(process: Process) -> list[StepRow]:
    steps = sorted(process.steps.all(), key=lambda s: s.order)
    rows = []
    previous_group = ""
    for i, step in enumerate(steps):
        first, last = i == 0, i == len(steps) - 1
        number = step_number(step)
        details = [f"- {item}" for item in (thai(x).strip() for x in step.sub_items) if item]
        if step.condition:
            details.append(thai(step.condition).strip())
        controls = [
            f"{c.get_kind_display()} : {thai(c.text).strip()}"
            for c in sorted(
                step.controls.all(), key=lambda c: (c.kind != ControlKind.CONTROL, c.sort_order)
            )
        ]
        units = thai(step.units_text).strip() or ", ".join(
            thai(u.short_name or u.name) for u in step.related_units.all()
        )
        group = thai(step.group).strip()
        rows.append(
            StepRow(
                step=step,
                number=number,
                activity=_activity_text(step, number),
                details=details,
                group=group if group and group != previous_group else "",
                duration=thai(step.duration_text).strip() or DASH,
                units=units or DASH,
                controls=controls,
                output=thai(step.output).strip(),
                decision=is_decision(step),
                control_point=has_control_point(step),
                first=first,
                last=last,
                flow_svg=render_step_flow_svg(step, first=first, last=last, terminators=False),
            )
        )
        previous_group = group
    return rows


def _owner_names(process: Process, kind: str) -> list[str]:
    owners = sorted((o for o in process.owners.all() if o.kind == kind), key=lambda o: o.sort_order)
    return [thai(o.position.title if o.position else o.title).strip() for o in owners]


def process_form(process: Process) -> ProcessForm:
    """Display rows of one process (its sections must be prefetched: see selectors)."""
    manual = process.manual
    year = thai(manual.fiscal_year)
    kind_title = KIND_TITLES.get(process.kind, process.get_kind_display())
    number = thai(process.number)
    name = thai(process.name).strip()
    unit = thai(process.responsible_unit.name) if process.responsible_unit else ""
    steps = _step_rows(process)
    return ProcessForm(
        process=process,
        anchor=f"process-{process.pk}",
        kind=process.kind,
        kind_title=kind_title,
        number=number,
        name=name,
        title=f"{kind_title}ที่ {number} : {name}",
        fiscal_year=year,
        design_title=DESIGN_TITLE.format(year=year),
        unit_line=" ".join(x for x in ("สำนัก/กอง", thai(manual.unit.name), unit) if x),
        authority=thai(process.authority).strip(),
        customers=lines(process.customers, split_items=True),
        outputs=lines(process.outputs, split_items=True),
        responsible_unit=unit,
        requirements=_requirement_rows(process),
        value_chain=_stage_cells(process),
        steps=steps,
        has_output=any(row.output for row in steps),
        quality_standard=lines(process.quality_standard),
        main_owners=_owner_names(process, OwnerKind.MAIN),
        supporting_owners=_owner_names(process, OwnerKind.SUPPORTING),
    )


def _overview_rows(forms: Sequence[ProcessForm]) -> list[OverviewRow]:
    """Consecutive processes under the same authority share one merged authority cell."""
    rows: list[OverviewRow] = []
    i = 0
    while i < len(forms):
        authority = forms[i].authority
        span = 1
        while i + span < len(forms) and forms[i + span].authority == authority:
            span += 1
        for j in range(span):
            rows.append(OverviewRow(forms[i + j], authority, span if j == 0 else 0))
        i += span
    return rows


def improvement_rows(entries: Iterable[Any]) -> list[ImprovementRow]:
    """Rows of the improvement summary from ImprovementEntry records (or objects like them)."""
    rows = []
    for i, entry in enumerate(entries, start=1):
        flags = (
            entry.details_changed,
            entry.technology_added,
            entry.process_added,
            entry.process_cut,
        )
        rows.append(
            ImprovementRow(
                number=thai(i),
                process_name=thai(entry.process_name).strip(),
                flags=tuple(CHECK if flag else DASH for flag in flags),  # type: ignore[arg-type]
                explanation=lines(entry.explanation, split_items=True),
                unit=thai(entry.responsible_unit_text).strip(),
            )
        )
    return rows


def manual_form(
    *, manual: Manual, processes: Iterable[Process], improvements: Iterable[ImprovementEntry] = ()
) -> ManualForm:
    """Display rows of a whole manual: core processes, then support ones, then the summary."""
    forms = [process_form(p) for p in processes]
    year = thai(manual.fiscal_year)
    return ManualForm(
        manual=manual,
        title=thai(manual.title),
        unit_name=thai(manual.unit.name),
        fiscal_year=year,
        form_name=FORM_NAME,
        overview_title=OVERVIEW_TITLE.format(year=year),
        improvement_title=IMPROVEMENT_TITLE.format(year=year),
        core=[f for f in forms if f.kind == ProcessKind.CORE],
        support=[f for f in forms if f.kind == ProcessKind.SUPPORT],
        improvements=improvement_rows(improvements),
    )
