"""The manual as DOCX (python-docx), laid out like the OPDC form 1.

The house style (Thai fonts in every script slot, A4 pages, Thai-digit page numbers, bordered
tables) comes from `krabuan.core.documents`. What is the form's own lives here: the table text
style, the landscape section for the forms after the portrait cover and contents, the written
contents whose page references are Word fields in Thai digits pointing at bookmarks (Word fills
them in when it opens the file, asked by updateFields; LibreOffice on layout), and a flowchart
image per step.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from krabuan.core import documents as d
from krabuan.manual.documents import form as f
from krabuan.manual.flowchart import render_step_flow_png
from krabuan.manual.models import ImprovementEntry, Manual, Process, ProcessKind

TABLE_STYLE = "Krabuan Table Text"
# Set by id on each paragraph: python-docx's lookup by name scans every style and made a whole
# manual take ten seconds.
TABLE_STYLE_ID = "KrabuanTableText"
LANDSCAPE_WIDTH_CM = d.A4_CM[1] - 2 * d.LANDSCAPE_MARGIN_CM
FLOW_IMAGE_WIDTH = Cm(1.9)
PAGE_REF_PLACEHOLDER = "…"


# --- document and sections ---------------------------------------------------------------------


def new_document(*, title: str, landscape: bool = False) -> DocumentObject:
    """The house A4 document (core.documents) with a paragraph style for table text, which
    keeps the long tables small, and Word asked to update the contents' page references."""
    doc = d.docx_document(title=title, landscape=landscape)
    table_text = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = doc.styles["Normal"]
    d.docx_style(table_text, size_pt=d.TABLE_PT)
    d.docx_update_fields(doc)
    return doc


def landscape_section(doc: DocumentObject) -> Section:
    """Start an A4 landscape section on a new page (the form's tables are wide)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    # A new section copies the cover's "no number on the first page"; the forms are numbered.
    section.different_first_page_header_footer = False
    d.docx_page_setup(section, landscape=True)
    return section


# --- bookmarks ---------------------------------------------------------------------------------


def _bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and underscores, starting with a letter."""
    return "_" + anchor.replace("-", "_") if anchor[0].isdigit() else anchor.replace("-", "_")


# --- tables in the table text style ------------------------------------------------------------


def cell_lines(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Write lines into a cell, one paragraph each, in the table text style."""
    d.docx_cell(cell, lines, bold=bold, align=align, style_id=TABLE_STYLE_ID)


def table(
    doc: DocumentObject, headers: Sequence[str], widths_cm: Sequence[float], *, header_rows: int = 1
) -> Table:
    """A bordered table with fixed column widths and shaded header row(s) repeated on every
    page; the first header row carries `headers`."""
    t = d.docx_table(doc, widths_cm=widths_cm, header_rows=header_rows)
    for cell, text in zip(t.rows[0].cells, headers, strict=False):
        cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    return t


def add_row(
    t: Table,
    values: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    centre: Sequence[int] = (),
) -> list[_Cell]:
    """Append a row in the table text style; `centre` lists the columns whose text is centred."""
    return d.docx_row(t, values, widths_cm=widths_cm, centre=centre, style_id=TABLE_STYLE_ID)


# --- the form ----------------------------------------------------------------------------------


def _process_section(
    doc: DocumentObject, p: f.ProcessForm, bookmark_id: int, *, new_page: bool
) -> None:
    top = d.docx_paragraph(doc, p.design_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    top.paragraph_format.page_break_before = new_page
    d.docx_paragraph(doc, p.unit_line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading = doc.add_heading(p.title, level=1)
    _bookmark(heading, bookmark_name(p.anchor), bookmark_id)

    doc.add_heading(f.SECTION_REQUIREMENTS, level=2)
    widths = d.widths_cm((26, 62, 12), LANDSCAPE_WIDTH_CM)
    t = table(doc, f.REQUIREMENT_HEADERS, widths)
    for r in p.requirements:
        add_row(t, [[r.heading], r.detail, [r.priority]], widths, centre=(2,))

    doc.add_heading(f.SECTION_DESIGN, level=2)
    doc.add_heading(f.PART_VALUE_CHAIN, level=3)
    d.docx_paragraph(doc, f.VALUE_CHAIN_NOTE, size_pt=d.TABLE_PT)
    widths = d.widths_cm((1, 1, 1, 1, 1), LANDSCAPE_WIDTH_CM)
    t = table(doc, [c.title for c in p.value_chain], widths)
    add_row(t, [c.activities for c in p.value_chain], widths)
    add_row(t, [[c.steps] for c in p.value_chain], widths, centre=range(len(widths)))

    doc.add_heading(f.PART_STEPS, level=3)
    _steps_table(doc, p)
    if p.steps:
        d.docx_paragraph(doc, f.FLOW_LEGEND, size_pt=12)

    doc.add_heading(f.PART_QUALITY, level=3)
    quality = d.docx_paragraph(doc, f"{f.QUALITY_LABEL} : ", bold=True)
    quality.add_run(" ".join(p.quality_standard) or f.DASH)

    doc.add_heading(f.PART_OWNERS, level=3)
    for label, names in (
        (f.MAIN_OWNER_LABEL, p.main_owners),
        (f.SUPPORTING_OWNER_LABEL, p.supporting_owners),
    ):
        line = d.docx_paragraph(doc, f"{label} : ", bold=True)
        line.add_run(", ".join(names) or f.DASH)


def _steps_table(doc: DocumentObject, p: f.ProcessForm) -> None:
    shares = (27, 10, 9, 17, 22, 15) if p.has_output else (31, 11, 10, 20, 28)
    widths = d.widths_cm(shares, LANDSCAPE_WIDTH_CM)
    t = table(doc, p.step_headers, widths)
    for s in p.steps:
        if s.group:
            row = t.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            cell_lines(merged, [s.group], bold=True)
        values = [[s.activity, *s.details], [], [s.duration], [s.units], s.controls]
        if p.has_output:
            values.append([s.output])
        cells = add_row(t, values, widths)
        flow = cells[1]
        flow.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        image = io.BytesIO(render_step_flow_png(s.step, first=s.first, last=s.last))
        run = flow.paragraphs[0].add_run()
        run.add_picture(image, width=FLOW_IMAGE_WIDTH)
        flow.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not p.steps:
        add_row(t, [[f.DASH]] * len(widths), widths)


def _cover(doc: DocumentObject, m: f.ManualForm) -> None:
    first = d.docx_paragraph(doc, m.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size_pt=28)
    first.paragraph_format.space_before = Cm(7)
    d.docx_paragraph(
        doc,
        f"ประจำปีงบประมาณ พ.ศ. {m.fiscal_year}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size_pt=22,
    )
    section = doc.sections[0]
    section.different_first_page_header_footer = True


def _contents(doc: DocumentObject, m: f.ManualForm) -> None:
    """The written table of contents: one line per entry, a dotted tab and a page reference
    field (Thai digits) to the entry's bookmark."""
    title = d.docx_paragraph(
        doc, f.TOC_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size_pt=20
    )
    title.paragraph_format.page_break_before = True
    for entry in m.toc:
        line = d.docx_paragraph(doc, entry.text, bold=entry.anchor is None)
        line.paragraph_format.left_indent = Cm(1) * entry.level
        if entry.anchor is None:
            continue
        line.paragraph_format.tab_stops.add_tab_stop(
            Cm(d.docx_text_width_cm(doc)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        line.add_run("\t")
        d.docx_field(
            line,
            f"PAGEREF {bookmark_name(entry.anchor)} \\h \\* THAIARABIC",
            placeholder=PAGE_REF_PLACEHOLDER,
        )


def _overview(doc: DocumentObject, m: f.ManualForm, next_id: int) -> int:
    if m.core:
        head = d.docx_paragraph(doc, m.form_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _bookmark(head, bookmark_name(f.OVERVIEW_ANCHORS[ProcessKind.CORE]), next_id)
        next_id += 1
        d.docx_paragraph(doc, m.overview_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        d.docx_paragraph(doc, f"สำนัก/กอง {m.unit_name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        doc.add_heading(f"๑. {f.KIND_TITLES[ProcessKind.CORE]}", level=2)
        widths = d.widths_cm((24, 24, 16, 20, 16), LANDSCAPE_WIDTH_CM)
        t = table(doc, f.CORE_OVERVIEW_HEADERS, widths)
        merge_from: _Cell | None = None
        for row in m.core_overview:
            p = row.form
            cells = add_row(
                t,
                [
                    [row.authority] if row.authority_rows else [],
                    [f"{p.number}. {p.name}"],
                    p.customers,
                    p.outputs,
                    [p.responsible_unit],
                ],
                widths,
            )
            if row.authority_rows:
                merge_from = cells[0]
            elif merge_from is not None:
                merge_from = merge_from.merge(cells[0])
    if m.support:
        head = doc.add_heading(f"๒. {f.KIND_TITLES[ProcessKind.SUPPORT]}", level=2)
        head.paragraph_format.page_break_before = bool(m.core)
        _bookmark(head, bookmark_name(f.OVERVIEW_ANCHORS[ProcessKind.SUPPORT]), next_id)
        next_id += 1
        widths = d.widths_cm((30, 26, 26, 18), LANDSCAPE_WIDTH_CM)
        t = table(doc, f.SUPPORT_OVERVIEW_HEADERS, widths)
        for p in m.support:
            add_row(
                t, [[f"{p.number}. {p.name}"], p.customers, p.outputs, [p.responsible_unit]], widths
            )
    return next_id


def write_improvements(
    doc: DocumentObject,
    *,
    title: str,
    unit_name: str,
    rows: Sequence[f.ImprovementRow],
    bookmark_id: int | None = None,
    new_page: bool = False,
) -> None:
    """The improvement summary table with its two header rows and the form's notes."""
    head = d.docx_paragraph(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    head.paragraph_format.page_break_before = new_page
    if bookmark_id is not None:
        _bookmark(head, bookmark_name(f.IMPROVEMENTS_ANCHOR), bookmark_id)
    d.docx_paragraph(doc, f"สำนัก/กอง {unit_name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    widths = d.widths_cm((24, 7, 7, 7, 7, 30, 18), LANDSCAPE_WIDTH_CM)
    t = table(doc, [], widths, header_rows=2)
    top, sub = t.rows[0].cells, t.rows[1].cells
    groups = [
        (top[0], sub[0], f.IMPROVEMENT_HEADERS[0]),
        (top[5], sub[5], f.IMPROVEMENT_HEADERS[2]),
        (top[6], sub[6], f.IMPROVEMENT_HEADERS[3]),
    ]
    for upper, lower, text in groups:
        cell_lines(upper.merge(lower), [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_lines(
        top[1].merge(top[4]), [f.IMPROVEMENT_HEADERS[1]], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    for cell, text in zip(sub[1:5], f.IMPROVEMENT_FLAG_HEADERS, strict=True):
        cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in rows:
        cells = add_row(
            t,
            [
                [f"{row.number}. {row.process_name}"],
                *([flag] for flag in row.flags),
                row.explanation,
                [row.unit],
            ],
            widths,
            centre=(1, 2, 3, 4),
        )
        for cell in cells[1:5]:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if not rows:
        add_row(t, [[f.DASH]] * len(widths), widths)
    for note in f.IMPROVEMENT_NOTES:
        d.docx_paragraph(doc, note, size_pt=d.TABLE_PT)


def process_docx(process: Process) -> bytes:
    """One process in the form's layout, A4 landscape."""
    p = f.process_form(process)
    doc = new_document(title=p.title, landscape=True)
    _process_section(doc, p, 1, new_page=False)
    return d.docx_bytes(doc)


def manual_docx(
    *, manual: Manual, processes: Iterable[Process], improvements: Iterable[ImprovementEntry] = ()
) -> bytes:
    """The whole manual: cover and contents (portrait), then the overview, every process and
    the improvement summary (landscape)."""
    m = f.manual_form(manual=manual, processes=processes, improvements=improvements)
    doc = new_document(title=m.title)
    _cover(doc, m)
    _contents(doc, m)
    landscape_section(doc)
    next_id = _overview(doc, m, 1)
    for p in m.processes:
        _process_section(doc, p, next_id, new_page=True)
        next_id += 1
    if m.improvements:
        write_improvements(
            doc,
            title=m.improvement_title,
            unit_name=m.unit_name,
            rows=m.improvements,
            bookmark_id=next_id,
            new_page=bool(m.processes),
        )
    return d.docx_bytes(doc)
