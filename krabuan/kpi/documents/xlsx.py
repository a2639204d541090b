"""Every KPI of an agreement with its scores by round, and every result entered, as Excel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from krabuan.core import documents as d
from krabuan.core.thai import format_datetime
from krabuan.kpi.documents.data import level_values, plain_number, result_text
from krabuan.kpi.models import Agreement, KpiResult
from krabuan.kpi.scoring import ROUNDS, agreement_score, round_label

KPI_HEADERS = (
    "ตัวชี้วัดที่",
    "ชื่อตัวชี้วัด",
    "องค์ประกอบการประเมิน",
    "น้ำหนัก (ร้อยละ)",
    "ประเภท",
    "วิธีคิดคะแนน",
    "หน่วยวัด",
    "ขั้นต้น (50)",
    "มาตรฐาน (75)",
    "ขั้นสูง (100)",
    "ข้อมูลพื้นฐาน",
    "ผล รอบ 6 เดือน",
    "คะแนน รอบ 6 เดือน",
    "ผล รอบ 9 เดือน",
    "คะแนน รอบ 9 เดือน",
    "ผล รอบ 12 เดือน",
    "คะแนน รอบ 12 เดือน",
    "หักคะแนน รอบ 12 เดือน",
    "คะแนนถ่วงน้ำหนัก รอบ 12 เดือน",
    "คะแนนคาดการณ์สิ้นปี",
)
RESULT_HEADERS = (
    "ตัวชี้วัดที่",
    "ชื่อตัวชี้วัด",
    "รอบ/เดือน",
    "ผลการดำเนินงาน",
    "ผลผลิตที่ดำเนินการแล้ว",
    "ขั้นตอนที่ดำเนินการแล้ว",
    "หมายเหตุ",
    "ไฟล์หลักฐาน",
    "ผู้บันทึก",
    "บันทึกเมื่อ",
)
KPI_WIDTHS = (9, 48, 30, 10, 14, 24, 10, 12, 12, 12, 30, 14, 12, 14, 12, 14, 12, 12, 14, 14)
RESULT_WIDTHS = (9, 48, 14, 14, 50, 50, 40, 30, 22, 20)


def _number(value: Decimal | None) -> float | None:
    # Excel holds floats; the agreement's numbers have at most 4 decimals, so none is lost.
    return None if value is None else float(value)


def _widths(sheet: Any, widths: tuple[int, ...]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def agreement_xlsx(agreement: Agreement, results: list[KpiResult]) -> bytes:
    """Sheet 1: each KPI with levels, baselines, each round's result and score and the
    projection; sheet 2: each result entered, with who entered it and when."""
    scores = {r: agreement_score(agreement, r) for r in ROUNDS}
    rows = {r: {row["id"]: row for row in scores[r]["kpis"]} for r in ROUNDS}
    prefetch_related_objects([agreement], "kpis__baselines")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ตัวชี้วัด"
    sheet.cell(
        row=1,
        column=1,
        value=d.xlsx_value(f"{agreement.title} ปีงบประมาณ พ.ศ. {agreement.fiscal_year}"),
    )
    d.xlsx_header(sheet, 2, KPI_HEADERS)
    line = 3
    for kpi in agreement.kpis.all():
        levels = level_values(kpi) or (None, None, None)
        baselines = "; ".join(
            f"{b.year}: {plain_number(b.value) if b.value is not None else b.text}"
            for b in kpi.baselines.all()
        )
        by_round: list[Any] = []
        for r in ROUNDS:
            row = rows[r][kpi.pk]
            by_round += [result_text(kpi, row), _number(row["score"])]
        year_end = rows["12m"][kpi.pk]
        d.xlsx_row(
            sheet,
            line,
            [
                kpi.number,
                kpi.name,
                kpi.group.name,
                _number(kpi.weight),
                kpi.get_kind_display(),
                kpi.get_method_display(),
                kpi.unit_label,
                *(_number(v) for v in levels),
                baselines,
                *by_round,
                _number(year_end["deduction"]),
                _number(year_end["weighted"]),
                _number(year_end["projected_weighted"]),
            ],
        )
        line += 1
    d.xlsx_row(
        sheet,
        line,
        [
            "",
            "รวม",
            "",
            sum((_number(k.weight) or 0.0) for k in agreement.kpis.all()),
            *([""] * 14),
            _number(scores["12m"]["total"]),
            _number(scores["12m"]["projected_total"]),
        ],
        bold=True,
    )
    _widths(sheet, KPI_WIDTHS)
    sheet.freeze_panes = "C3"

    sheet = book.create_sheet("ผลการดำเนินงาน")
    d.xlsx_header(sheet, 1, RESULT_HEADERS)
    for line, result in enumerate(results, start=2):
        user = result.entered_by
        d.xlsx_row(
            sheet,
            line,
            [
                result.kpi.number,
                result.kpi.name,
                round_label(result.round),
                _number(result.value),
                "\n".join(x.text for x in result.deliverables_done.all()),
                "\n".join(x.text for x in result.milestone_steps_done.all()),
                result.note,
                (result.evidence.name or "").rsplit("/", 1)[-1],
                (user.get_full_name() or user.username) if user else "",
                format_datetime(result.updated_at),
            ],
        )
    _widths(sheet, RESULT_WIDTHS)
    sheet.freeze_panes = "A2"
    return d.xlsx_bytes(book)
