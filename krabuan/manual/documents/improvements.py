"""The yearly improvement summary (สรุปภาพรวมของการปรับปรุงกระบวนงาน) as DOCX and XLSX.

Both take the rows already computed by `services.improvements.improvement_summary`; any objects
with the ImprovementEntry fields will do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from krabuan.core import documents as d
from krabuan.manual.documents import docx as word
from krabuan.manual.documents import form as f
from krabuan.manual.documents.text import thai
from krabuan.manual.models import Manual

SHEET_TITLE = "สรุปการปรับปรุง"
XLSX_WIDTHS = (40, 13, 13, 13, 13, 55, 32)


def _heading(manual: Manual) -> tuple[str, str]:
    """The summary's title and the unit's name, as the form prints them."""
    return f.IMPROVEMENT_TITLE.format(year=thai(manual.fiscal_year)), thai(manual.unit.name)


def improvements_docx(*, manual: Manual, entries: Iterable[Any]) -> bytes:
    """The summary table in the form's layout, A4 landscape, TH Sarabun New."""
    title, unit_name = _heading(manual)
    doc = word.new_document(title=title, landscape=True)
    word.write_improvements(doc, title=title, unit_name=unit_name, rows=f.improvement_rows(entries))
    return d.docx_bytes(doc)


def improvements_xlsx(*, manual: Manual, entries: Iterable[Any]) -> bytes:
    """The summary as one worksheet: title rows, the two-row header, one row per process
    (✓ or - in the four flag columns), the form's notes below."""
    title, unit_name = _heading(manual)
    rows = f.improvement_rows(entries)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    font = Font(name=d.XLSX_FONT, size=14)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, horizontal="center", vertical="center")
    last_col = get_column_letter(len(XLSX_WIDTHS))

    for row, text in ((1, title), (2, f"สำนัก/กอง {unit_name}")):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = Font(name=d.XLSX_FONT, size=16, bold=True), centre

    header_top = [
        f.IMPROVEMENT_HEADERS[0],
        f.IMPROVEMENT_HEADERS[1],
        "",
        "",
        "",
        f.IMPROVEMENT_HEADERS[2],
        f.IMPROVEMENT_HEADERS[3],
    ]
    header_sub = ["", *f.IMPROVEMENT_FLAG_HEADERS, "", ""]
    d.xlsx_header(ws, 4, header_top)
    d.xlsx_header(ws, 5, header_sub)
    # Merging empties the blank cells the two header rows leave under and beside the groups.
    for col in (1, 6, 7):
        letter = get_column_letter(col)
        ws.merge_cells(f"{letter}4:{letter}5")
    ws.merge_cells("B4:E4")

    r = 6
    for item in rows:
        values = [
            f"{item.number}. {item.process_name}",
            *item.flags,
            "\n".join(item.explanation),
            item.unit,
        ]
        # Written as they are (not d.xlsx_row): its formula guard would turn the "-" flags
        # into "'-".
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font, cell.border = font, d.XLSX_BORDER
            cell.alignment = centre if 2 <= col <= 5 else wrap
        r += 1
    r += 1
    for note in f.IMPROVEMENT_NOTES:
        ws.cell(row=r, column=1, value=note).font = Font(name=d.XLSX_FONT, size=12)
        r += 1

    for col, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B6"
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:5"
    return d.xlsx_bytes(wb)
