"""The manual as DOCX (python-docx), laid out like the OPDC form 1.

Thai is a complex script in Word: the font and size must be set for the complex-script slot
(w:cs, w:szCs) as well, or Word shows Thai in its default font. Page numbers and the contents'
page references are Word fields formatted as Thai digits; Word fills them in when it opens the
file (updateFields), LibreOffice on layout.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from krabuan.manual.documents import form as f
from krabuan.manual.flowchart import render_step_flow_png
from krabuan.manual.models import ImprovementEntry, Manual, Process, ProcessKind

FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
TABLE_STYLE = "Krabuan Table Text"
# Set by id on each paragraph: python-docx's lookup by name scans every style and made a whole
# manual take ten seconds.
TABLE_STYLE_ID = "KrabuanTableText"
HEADER_FILL = "E8F3EC"
A4 = (Cm(21), Cm(29.7))
PORTRAIT_MARGINS = (Cm(2.5), Cm(2), Cm(2), Cm(3))  # top, right, bottom, left (ระเบียบงานสารบรรณ)
LANDSCAPE_MARGIN = Cm(1.5)
LANDSCAPE_WIDTH_CM = 29.7 - 2 * 1.5
PORTRAIT_WIDTH_CM = 21 - 3 - 2
FLOW_IMAGE_WIDTH = Cm(1.9)
PAGE_REF_PLACEHOLDER = "…"


# --- fonts and styles --------------------------------------------------------------------------

# Word rejects a file whose property elements are out of schema order, so children are inserted
# before their successors rather than appended.
_RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_SECT_AFTER_PGNUM = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
_TC_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
_TR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_SETTINGS_AFTER_UPDATE = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _child(parent: Any, tag: str, successors: Sequence[str]) -> Any:
    """The parent's `tag` child, created in schema order when missing."""
    node = parent.find(qn(tag))
    if node is None:
        node = OxmlElement(tag)
        parent.insert_element_before(node, *(t for t in successors if t.startswith("w:")))
    return node


def _rpr(parent: Any, tag: str) -> Any:
    return _child(parent, tag, _RPR_ORDER[_RPR_ORDER.index(tag) + 1 :])


def _set_fonts(rpr: Any, size_pt: float | None = None, *, bold: bool = False) -> None:
    """Name the Thai font in every script slot, and size and bold for complex scripts too."""
    fonts = _rpr(rpr, "w:rFonts")
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    if bold:
        _rpr(rpr, "w:b")
        _rpr(rpr, "w:bCs")
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            _rpr(rpr, tag).set(qn("w:val"), str(round(size_pt * 2)))
    lang = _rpr(rpr, "w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")


def _style(doc: DocumentObject, name: str, size_pt: float, *, bold: bool = False) -> None:
    style = doc.styles[name]
    style.font.color.rgb = RGBColor(0, 0, 0)  # type: ignore[union-attr]
    style.font.italic = False  # type: ignore[union-attr]
    _set_fonts(style.element.get_or_add_rPr(), size_pt, bold=bold)
    fmt = style.paragraph_format  # type: ignore[union-attr]
    fmt.space_before = Pt(6 if name.startswith("Heading") else 0)
    fmt.space_after = Pt(3 if name.startswith("Heading") else 0)
    fmt.line_spacing = 1.0


def new_document(*, title: str) -> DocumentObject:
    """An empty A4 document whose styles all use TH Sarabun New 16 pt, Thai language."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "th-TH"
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        _set_fonts(defaults, BODY_PT)
    _style(doc, "Normal", BODY_PT)
    _style(doc, "Heading 1", 18, bold=True)
    _style(doc, "Heading 2", 16, bold=True)
    _style(doc, "Heading 3", 16, bold=True)
    table_text = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = doc.styles["Normal"]
    _style(doc, TABLE_STYLE, TABLE_PT)
    _child(doc.settings.element, "w:updateFields", _SETTINGS_AFTER_UPDATE).set(qn("w:val"), "true")
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    _margins(section, PORTRAIT_MARGINS)
    _page_numbers(section)
    return doc


def _margins(section: Section, margins: tuple[Cm, Cm, Cm, Cm]) -> None:
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = margins


def landscape_section(doc: DocumentObject, *, first: bool = False) -> Section:
    """Start an A4 landscape section (the form's tables are wide)."""
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    # A new section copies the cover's "no number on the first page"; the forms are numbered.
    section.different_first_page_header_footer = False
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4[1], A4[0]
    _margins(section, (LANDSCAPE_MARGIN,) * 4)  # type: ignore[arg-type]
    _page_numbers(section)
    return section


# --- fields, bookmarks -------------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex Word field; `placeholder` shows until Word updates it."""

    def fld_char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld_char("end"))


def _page_numbers(section: Section) -> None:
    """Thai-digit page number centred in the footer; the first page of the document (the
    cover) has none."""
    _child(section._sectPr, "w:pgNumType", _SECT_AFTER_PGNUM).set(qn("w:fmt"), "thaiNumbers")
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    if not paragraph.text and not paragraph.runs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(paragraph, "PAGE \\* THAIARABIC", "")


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


# --- paragraphs and tables ---------------------------------------------------------------------


def paragraph(
    doc: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size_pt: float | None = None,
    style: str | None = None,
) -> Paragraph:
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if bold or size_pt:
            _set_fonts(run._r.get_or_add_rPr(), size_pt, bold=bold)
    if align is not None:
        p.alignment = align
    return p


def cell_lines(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Write lines into a cell, one paragraph each, in the table text style."""
    for i, line in enumerate(lines or [""]):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p._p.style = TABLE_STYLE_ID
        if line:
            run = p.add_run(line)
            if bold:
                _set_fonts(run._r.get_or_add_rPr(), bold=True)
        if align is not None:
            p.alignment = align


def _shade(cell: _Cell, fill: str) -> None:
    shd = _child(cell._tc.get_or_add_tcPr(), "w:shd", _TC_AFTER_SHD)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _repeat_header(row_element: Any) -> None:
    _child(row_element.get_or_add_trPr(), "w:tblHeader", _TR_AFTER_HEADER).set(qn("w:val"), "true")


def table(
    doc: DocumentObject, headers: Sequence[str], widths_cm: Sequence[float], *, header_rows: int = 1
) -> Table:
    """A bordered table with fixed column widths and shaded header row(s) repeated on every
    page; the first header row carries `headers`."""
    t = doc.add_table(rows=header_rows, cols=len(widths_cm))
    t._tbl.tblStyle_val = "TableGrid"  # by id, for the same reason as TABLE_STYLE_ID
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        _repeat_header(row._tr)
        for cell in row.cells:
            _shade(cell, HEADER_FILL)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, headers, strict=False):
        cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_widths(t, widths_cm)
    return t


def set_widths(t: Table, widths_cm: Sequence[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word does)."""
    for column, width in zip(t.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in t.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def add_row(t: Table, values: Sequence[Sequence[str]], widths_cm: Sequence[float]) -> list[_Cell]:
    cells = t.add_row().cells
    for cell, lines, width in zip(cells, values, widths_cm, strict=False):
        cell.width = Cm(width)
        cell_lines(cell, lines)
    return list(cells)


def _widths(shares: Sequence[float], total_cm: float) -> list[float]:
    return [round(total_cm * s / sum(shares), 2) for s in shares]


# --- the form ----------------------------------------------------------------------------------


def _process_section(
    doc: DocumentObject, p: f.ProcessForm, bookmark_id: int, *, new_page: bool
) -> None:
    top = paragraph(doc, p.design_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    top.paragraph_format.page_break_before = new_page
    paragraph(doc, p.unit_line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading = doc.add_heading(p.title, level=1)
    _bookmark(heading, bookmark_name(p.anchor), bookmark_id)

    doc.add_heading(f.SECTION_REQUIREMENTS, level=2)
    widths = _widths((26, 62, 12), LANDSCAPE_WIDTH_CM)
    t = table(doc, f.REQUIREMENT_HEADERS, widths)
    for r in p.requirements:
        cells = add_row(t, [[r.heading], r.detail, [r.priority]], widths)
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(f.SECTION_DESIGN, level=2)
    doc.add_heading(f.PART_VALUE_CHAIN, level=3)
    paragraph(doc, f.VALUE_CHAIN_NOTE, size_pt=TABLE_PT)
    widths = _widths((1, 1, 1, 1, 1), LANDSCAPE_WIDTH_CM)
    t = table(doc, [c.title for c in p.value_chain], widths)
    add_row(t, [c.activities for c in p.value_chain], widths)
    for cell in add_row(t, [[c.steps] for c in p.value_chain], widths):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(f.PART_STEPS, level=3)
    _steps_table(doc, p)
    if p.steps:
        paragraph(doc, f.FLOW_LEGEND, size_pt=12)

    doc.add_heading(f.PART_QUALITY, level=3)
    quality = paragraph(doc, f"{f.QUALITY_LABEL} : ", bold=True)
    quality.add_run(" ".join(p.quality_standard) or f.DASH)

    doc.add_heading(f.PART_OWNERS, level=3)
    for label, names in (
        (f.MAIN_OWNER_LABEL, p.main_owners),
        (f.SUPPORTING_OWNER_LABEL, p.supporting_owners),
    ):
        line = paragraph(doc, f"{label} : ", bold=True)
        line.add_run(", ".join(names) or f.DASH)


def _steps_table(doc: DocumentObject, p: f.ProcessForm) -> None:
    shares = (27, 10, 9, 17, 22, 15) if p.has_output else (31, 11, 10, 20, 28)
    widths = _widths(shares, LANDSCAPE_WIDTH_CM)
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
    first = paragraph(doc, m.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size_pt=28)
    first.paragraph_format.space_before = Cm(7)
    paragraph(
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
    title = paragraph(doc, f.TOC_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size_pt=20)
    title.paragraph_format.page_break_before = True
    for entry in m.toc:
        line = paragraph(doc, entry.text, bold=entry.anchor is None)
        line.paragraph_format.left_indent = Cm(1) * entry.level
        if entry.anchor is None:
            continue
        line.paragraph_format.tab_stops.add_tab_stop(
            Cm(PORTRAIT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        line.add_run("\t")
        _field(
            line, f"PAGEREF {bookmark_name(entry.anchor)} \\h \\* THAIARABIC", PAGE_REF_PLACEHOLDER
        )


def _overview(doc: DocumentObject, m: f.ManualForm, next_id: int) -> int:
    if m.core:
        head = paragraph(doc, m.form_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _bookmark(head, bookmark_name(f.OVERVIEW_ANCHORS[ProcessKind.CORE]), next_id)
        next_id += 1
        paragraph(doc, m.overview_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc, f"สำนัก/กอง {m.unit_name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        doc.add_heading(f"๑. {f.KIND_TITLES[ProcessKind.CORE]}", level=2)
        widths = _widths((24, 24, 16, 20, 16), LANDSCAPE_WIDTH_CM)
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
        widths = _widths((30, 26, 26, 18), LANDSCAPE_WIDTH_CM)
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
    head = paragraph(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    head.paragraph_format.page_break_before = new_page
    if bookmark_id is not None:
        _bookmark(head, bookmark_name(f.IMPROVEMENTS_ANCHOR), bookmark_id)
    paragraph(doc, f"สำนัก/กอง {unit_name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    widths = _widths((24, 7, 7, 7, 7, 30, 18), LANDSCAPE_WIDTH_CM)
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
        )
        for cell in cells[1:5]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if not rows:
        add_row(t, [[f.DASH]] * len(widths), widths)
    for note in f.IMPROVEMENT_NOTES:
        paragraph(doc, note, size_pt=TABLE_PT)


def _save(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def process_docx(process: Process) -> bytes:
    """One process in the form's layout, A4 landscape."""
    p = f.process_form(process)
    doc = new_document(title=p.title)
    landscape_section(doc, first=True)
    _process_section(doc, p, 1, new_page=False)
    return _save(doc)


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
    return _save(doc)
