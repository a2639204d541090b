"""The agreement's summary table and the round reports as Word (A4 landscape, TH Sarabun New,
Thai digits), in the layout of the signed agreement's tables."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from krabuan.core import documents as d
from krabuan.kpi.documents.data import (
    LEVEL_HEADERS,
    AgreementTable,
    RoundReport,
    thai,
)

FILL_GROUP = "F4F4F4"
DONE = "ดำเนินการแล้ว"
NOT_DONE = "ยังไม่ดำเนินการ"


def _heading(doc: DocumentObject, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        d.docx_paragraph(
            doc,
            thai(line),
            bold=i < 2,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size_pt=18 if i == 0 else None,
        )


def _merge_header(table: Table, row: int, first: int, last: int, text: str) -> None:
    cell = table.cell(row, first)
    if last > first:
        cell = cell.merge(table.cell(row, last))
    d.docx_cell(cell, thai(text), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _span_rows(table: Table, column: int, text: str) -> None:
    cell = table.cell(0, column).merge(table.cell(1, column))
    d.docx_cell(cell, thai(text), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def agreement_docx(table: AgreementTable) -> bytes:
    """The summary table with the round's results, scores and weighted total."""
    doc = d.docx_document(title=f"{table.title} {table.fiscal_year}", landscape=True)
    _heading(
        doc,
        [
            f"คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. {table.fiscal_year}",
            table.unit_name,
            f"ผลการดำเนินงาน{table.round_label} ({table.period})",
        ],
    )
    if table.approver:
        d.docx_paragraph(doc, thai(f"ผู้รับคำรับรอง: {table.approver}"), size_pt=d.TABLE_PT)
    if table.maker:
        d.docx_paragraph(doc, thai(f"ผู้ทำคำรับรอง: {table.maker}"), size_pt=d.TABLE_PT)

    years = table.years or [0]
    shares = [30, 6, *([6] * len(years)), 14, 14, 14, 12, 7, 8]
    widths = d.widths_cm(shares, d.docx_text_width_cm(doc))
    t = d.docx_table(doc, widths_cm=widths, header_rows=2)
    base = 2 + len(years)
    _span_rows(t, 0, "ตัวชี้วัด")
    _span_rows(t, 1, "น้ำหนัก (ร้อยละ)")
    _merge_header(t, 0, 2, base - 1, "ข้อมูลพื้นฐาน")
    for i, year in enumerate(years):
        d.docx_cell(t.cell(1, 2 + i), thai(year or "-"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _merge_header(t, 0, base, base + 2, "ค่าเป้าหมาย")
    for i, header in enumerate(LEVEL_HEADERS):
        d.docx_cell(t.cell(1, base + i), thai(header), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, header in enumerate(("ผลการดำเนินงาน", "คะแนน", "คะแนนถ่วงน้ำหนัก")):
        _span_rows(t, base + 3 + i, header)

    numbers = [1, *range(2, base), base + 4, base + 5]
    for row in table.rows:
        baselines = row.baselines or [""] * len(years)
        values: list[list[str] | str] = [
            thai(row.label),
            thai(row.weight),
            *(thai(b) for b in baselines),
            *([thai(line) for line in lines] for lines in (row.levels or [[""]] * 3)),
            thai(row.result),
            thai(row.score),
            thai(row.weighted),
        ]
        if row.kind == "group":
            values = [thai(row.label), thai(row.weight), *([""] * (len(widths) - 2))]
        d.docx_row(
            t,
            values,
            widths_cm=widths,
            bold=row.kind != "kpi",
            centre=numbers,
            fill=FILL_GROUP if row.kind == "group" else None,
        )
    d.docx_paragraph(
        doc,
        thai(f"คะแนนรวมถ่วงน้ำหนัก {table.total} คะแนน (คาดการณ์สิ้นปี {table.projected_total})"),
        bold=True,
    )
    for note in table.notes:
        d.docx_paragraph(doc, thai(f"หมายเหตุ {note}"), size_pt=d.TABLE_PT)
    d.docx_paragraph(doc, thai(f"พิมพ์เมื่อ {table.printed_at}"), size_pt=12)
    return d.docx_bytes(doc)


def round_report_docx(report: RoundReport) -> bytes:
    """Per KPI: the round's target, each milestone step done or not, result, deduction, score."""
    doc = d.docx_document(title=report.title, landscape=True)
    _heading(
        doc,
        [
            report.title,
            f"{report.unit_name} ประจำปีงบประมาณ พ.ศ. {report.fiscal_year}",
            f"({report.period})",
        ],
    )
    widths = d.widths_cm((22, 18, 32, 10, 13, 7, 7, 8), d.docx_text_width_cm(doc))
    t = d.docx_table(doc, widths_cm=widths)
    headers = (
        "ตัวชี้วัด",
        "เป้าหมายการดำเนินงานของรอบ",
        "ขั้นตอนการดำเนินงาน",
        "ดำเนินการแล้ว",
        "ผลการดำเนินงาน",
        "หักคะแนน",
        "คะแนน",
        "คะแนนถ่วงน้ำหนัก",
    )
    for cell, header in zip(t.rows[0].cells, headers, strict=True):
        d.docx_cell(cell, thai(header), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in report.rows:
        steps = [
            thai(f"{i}) {s.text} — {DONE if s.done else NOT_DONE}")
            for i, s in enumerate(row.steps, start=1)
        ] or ["-"]
        deduction = row.deduction if row.deduction not in ("", "0.00") else "-"
        d.docx_row(
            t,
            [
                [thai(f"{row.number}. {row.name}"), thai(f"(น้ำหนักร้อยละ {row.weight})")],
                [thai(line) for line in row.target.splitlines() if line.strip()] or ["-"],
                steps,
                thai(f"{row.steps_done}/{row.steps_total}") if row.steps_total else "-",
                thai(row.result),
                thai(deduction),
                thai(row.score),
                thai(row.weighted),
            ],
            widths_cm=widths,
            centre=(3, 5, 6, 7),
        )
    total = t.add_row().cells
    label = total[0].merge(total[6])
    d.docx_cell(label, "รวม", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    d.docx_cell(total[7], thai(report.total), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in report.rows:
        if row.deduction_rule:
            d.docx_paragraph(
                doc, thai(f"ตัวชี้วัดที่ {row.number}: {row.deduction_rule}"), size_pt=d.TABLE_PT
            )
    d.docx_paragraph(doc, thai(f"พิมพ์เมื่อ {report.printed_at}"), size_pt=12)
    return d.docx_bytes(doc)
