"""What the agreement's documents and pages show, as plain rows: numbers as text in the
agreement's own style (scores with 2 decimals, results as entered), level cells, baselines, and
the per-round milestone report. Scores come from kpi.scoring; nothing here scores or writes.

Text here keeps Arabic digits; each document turns them into Thai digits when it prints, and the
pages show them in the reader's digit style.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import timezone

from krabuan.core.thai import (
    BE_OFFSET,
    MONTHS_SHORT,
    format_date,
    format_datetime,
    to_thai_digits,
)
from krabuan.kpi.models import Agreement, Kpi, Method, Round
from krabuan.kpi.scoring import agreement_score, round_label

DASH = "-"
NO_RESULT = "ยังไม่มีผล"
LEVEL_HEADERS = ("ขั้นต้น (50 คะแนน)", "มาตรฐาน (75 คะแนน)", "ขั้นสูง (100 คะแนน)")
ROUND_MONTHS = {Round.SIX.value: 6, Round.NINE.value: 9, Round.TWELVE.value: 12}
REPORT_ROUNDS = (Round.SIX.value, Round.NINE.value)


def plain_number(value: Decimal | int | float | None) -> str:
    """A number as entered, without trailing zeros ('98.5', '420'); '' for None."""
    if value is None:
        return ""
    number = Decimal(str(value))
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score_number(value: Decimal | None) -> str:
    """A score with the agreement's 2 decimals ('88.14', '98.50'); '' for None."""
    return "" if value is None else f"{Decimal(str(value)):.2f}"


def is_percent(kpi: Kpi) -> bool:
    return "ร้อยละ" in kpi.unit_label or "%" in kpi.unit_label


def value_text(kpi: Kpi, value: Decimal | int | float | None) -> str:
    """A value with the KPI's unit as the agreement writes it: 'ร้อยละ 95', '350 คะแนน'."""
    if value is None:
        return ""
    number = plain_number(value)
    if is_percent(kpi):
        return f"ร้อยละ {number}"
    return f"{number} {kpi.unit_label}".strip()


def level_values(kpi: Kpi) -> tuple[Decimal, Decimal, Decimal] | None:
    """The three thresholds the table prints: the KPI's own, else the other rule the source
    printed (KPI 3's summary-table levels)."""
    if None not in (kpi.level_basic, kpi.level_standard, kpi.level_advanced):
        return kpi.level_basic, kpi.level_standard, kpi.level_advanced  # type: ignore[return-value]
    levels = (kpi.alternative_rule or {}).get("levels")
    if isinstance(levels, list) and len(levels) == 3:
        try:
            return tuple(Decimal(str(x)) for x in levels)  # type: ignore[return-value]
        except ArithmeticError:
            return None
    return None


def deliverable_text(text: str, points: Decimal | None) -> str:
    if points is None:
        return f"เงื่อนไข: {text}"
    return f"{text} ({plain_number(points)} คะแนน)"


def level_cells(kpi: Kpi) -> list[list[str]]:
    """What each level (50/75/100) asks for: a threshold, or the level's deliverables."""
    values = level_values(kpi)
    if values is not None:
        return [[value_text(kpi, v)] for v in values]
    deliverables = list(kpi.deliverables.all())
    if deliverables:
        return [
            [deliverable_text(d.text, d.points) for d in deliverables if d.level == level] or [DASH]
            for level in (50, 75, 100)
        ]
    return [[DASH], [DASH], [DASH]]


def baseline_years(kpis: list[Kpi]) -> list[int]:
    """Every year any KPI has a baseline for, oldest first."""
    return sorted({b.year for kpi in kpis for b in kpi.baselines.all()})


def baseline_text(kpi: Kpi, year: int) -> str:
    for baseline in kpi.baselines.all():
        if baseline.year == year:
            if baseline.value is not None:
                return plain_number(baseline.value)
            return baseline.text or DASH
    return DASH


def deliverables_done_count(kpi: Kpi, details: dict[str, Any]) -> tuple[int, int]:
    """(done, total) of the KPI's deliverables and conditions."""
    items = [d.pk for d in kpi.deliverables.all()]
    done = set(details.get("deliverables_done") or [])
    return sum(1 for pk in items if pk in done), len(items)


def result_text(kpi: Kpi, row: dict[str, Any]) -> str:
    """The result cell: the value with its unit, or the deliverables done for a deliverables
    KPI; NO_RESULT before anything is entered."""
    details = row.get("details") or {}
    if kpi.method == Method.DELIVERABLES:
        if details.get("kind") == "none":
            return NO_RESULT
        done, total = deliverables_done_count(kpi, details)
        return f"ผลผลิต/เงื่อนไขที่ดำเนินการแล้ว {done} จาก {total} รายการ"
    if row.get("value") is None:
        return NO_RESULT
    return value_text(kpi, row["value"])


def _month(day: dt.date) -> str:
    return f"{MONTHS_SHORT[day.month - 1]} {day.year + BE_OFFSET}"


def round_period(agreement: Agreement, round: str) -> str:
    """'ต.ค. 2565 – มี.ค. 2566': the months a round covers, from the agreement's start."""
    start = agreement.period_start
    index = start.month - 1 + ROUND_MONTHS.get(round, 12) - 1
    end = dt.date(start.year + index // 12, index % 12 + 1, 1)
    return f"{_month(start)} – {_month(end)}"


def printed_at_text(now: dt.datetime | None = None) -> str:
    return format_datetime(now or timezone.now())


# --- the summary table ---------------------------------------------------------------------


@dataclass
class SummaryRow:
    kind: str  # "group" | "kpi" | "total"
    label: str
    weight: str
    baselines: list[str] = field(default_factory=list)
    levels: list[list[str]] = field(default_factory=list)
    result: str = ""
    score: str = ""
    weighted: str = ""


@dataclass
class AgreementTable:
    title: str
    unit_name: str
    fiscal_year: int
    round: str
    round_label: str
    period: str
    maker: str
    approver: str
    years: list[int]
    rows: list[SummaryRow]
    total: str
    projected_total: str
    notes: list[str]
    printed_at: str


def _signatory(position: str, signed_on: dt.date | None) -> str:
    if not position:
        return ""
    return f"{position} (ลงนาม {format_date(signed_on)})" if signed_on else position


def agreement_table(agreement: Agreement, round: str) -> AgreementTable:
    """The agreement's summary table (KPI | weight | baselines by year | three levels | result
    | score | weighted score) for a round, groups as sub-headings, with the total."""
    score = agreement_score(agreement, round)
    prefetch_related_objects([agreement], "kpis__baselines")
    kpis = list(agreement.kpis.all())
    by_id = {row["id"]: row for row in score["kpis"]}
    years = baseline_years(kpis)
    rows: list[SummaryRow] = []
    notes: list[str] = []
    for number, group in enumerate(agreement.groups.all(), start=1):
        rows.append(
            SummaryRow(
                kind="group", label=f"{number}. {group.name}", weight=plain_number(group.weight)
            )
        )
        for kpi in kpis:
            if kpi.group_id != group.pk:
                continue
            row = by_id[kpi.pk]
            rows.append(
                SummaryRow(
                    kind="kpi",
                    label=f"{kpi.number}. {kpi.name}",
                    weight=plain_number(kpi.weight),
                    baselines=[baseline_text(kpi, y) for y in years],
                    levels=level_cells(kpi),
                    result=result_text(kpi, row),
                    score=score_number(row["score"]) or DASH,
                    weighted=score_number(row["weighted"]) or DASH,
                )
            )
            if kpi.alternative_rule and kpi.method_note:
                notes.append(f"ตัวชี้วัดที่ {kpi.number}: {kpi.method_note}")
            if row["deduction"]:
                notes.append(
                    f"ตัวชี้วัดที่ {kpi.number}: หักคะแนน {score_number(row['deduction'])} คะแนน"
                    f" ({kpi.deduction_rule})"
                )
    total_weight = sum((k.weight for k in kpis), Decimal(0))
    rows.append(
        SummaryRow(
            kind="total",
            label="รวม",
            weight=plain_number(total_weight),
            baselines=["" for _ in years],
            levels=[[""], [""], [""]],
            weighted=score_number(score["total"]),
        )
    )
    return AgreementTable(
        title=agreement.title,
        unit_name=agreement.unit.name,
        fiscal_year=agreement.fiscal_year,
        round=score["round"],
        round_label=round_label(score["round"]),
        period=round_period(agreement, score["round"]),
        maker=_signatory(agreement.maker_position, agreement.maker_signed_on),
        approver=_signatory(agreement.approver_position, agreement.approver_signed_on),
        years=years,
        rows=rows,
        total=score_number(score["total"]),
        projected_total=score_number(score["projected_total"]),
        notes=notes,
        printed_at=printed_at_text(),
    )


# --- the round report ----------------------------------------------------------------------


@dataclass
class StepLine:
    text: str
    done: bool
    due: str = ""


@dataclass
class RoundRow:
    number: int
    name: str
    weight: str
    target: str
    steps: list[StepLine]
    steps_done: int
    steps_total: int
    result: str
    deduction: str
    deduction_rule: str
    score: str
    weighted: str


@dataclass
class RoundReport:
    title: str
    unit_name: str
    fiscal_year: int
    round: str
    round_label: str
    period: str
    rows: list[RoundRow]
    total: str
    printed_at: str


def round_report(agreement: Agreement, round: str) -> RoundReport:
    """Per KPI for the 6- or 9-month round: the round's target, each milestone step done or not,
    the result, the deduction and the score; with the round's weighted total."""
    score = agreement_score(agreement, round)
    kpis = list(agreement.kpis.all())
    by_id = {row["id"]: row for row in score["kpis"]}
    rows: list[RoundRow] = []
    for kpi in kpis:
        row = by_id[kpi.pk]
        milestone = next((m for m in kpi.milestones.all() if m.round == round), None)
        progress = (row["details"].get("milestones") or {}).get(round) or {}
        done_ids = set(progress.get("steps_done_ids") or [])
        steps = (
            [
                StepLine(
                    text=s.text,
                    done=s.pk in done_ids,
                    due=format_date(s.due_on, short=True) if s.due_on else "",
                )
                for s in milestone.steps.all()
            ]
            if milestone
            else []
        )
        rows.append(
            RoundRow(
                number=kpi.number,
                name=kpi.name,
                weight=plain_number(kpi.weight),
                target=milestone.target_text if milestone else DASH,
                steps=steps,
                steps_done=sum(1 for s in steps if s.done),
                steps_total=len(steps),
                result=result_text(kpi, row),
                deduction=score_number(row["deduction"]),
                deduction_rule=kpi.deduction_rule,
                score=score_number(row["score"]) or DASH,
                weighted=score_number(row["weighted"]) or DASH,
            )
        )
    label = round_label(score["round"])
    return RoundReport(
        title=f"รายงานผลการดำเนินงานตามคำรับรองการปฏิบัติราชการ {label}",
        unit_name=agreement.unit.name,
        fiscal_year=agreement.fiscal_year,
        round=score["round"],
        round_label=label,
        period=round_period(agreement, score["round"]),
        rows=rows,
        total=score_number(score["total"]),
        printed_at=printed_at_text(),
    )


def thai(value: Any) -> str:
    """Text for an official document: Thai digits."""
    return to_thai_digits("" if value is None else str(value))
