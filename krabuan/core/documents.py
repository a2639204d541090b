"""House style for official documents, shared by every app that prints: Thai fonts in Word
(python-docx), PDF from HTML (WeasyPrint), and Excel sheets (openpyxl).

Word shows Thai in the complex-script slot of a run: the font, size and bold must be set for
w:cs/w:szCs/w:bCs too, and the language marked th-TH, or Word falls back to its default font.
Official documents are written with Thai digits; page numbers are Word fields formatted as
THAIARABIC (Word fills them in when it opens the file).

Word rejects a file whose property elements are out of the schema's order, so every child made
here is inserted before the first of its successors present rather than appended.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from krabuan.core.thai import to_thai_digits

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

WORD_FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
HEADER_FILL = "E8F3EC"
A4_CM = (21.0, 29.7)
# ระเบียบงานสารบรรณ: top 2.5, right 2, bottom 2, left 3 cm for portrait pages.
PORTRAIT_MARGINS_CM = (2.5, 2.0, 2.0, 3.0)
LANDSCAPE_MARGIN_CM = 1.5

# Characters XML 1.0 forbids (pasted vertical tabs, form feeds): every writer here rejects them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The successors, in the schema's order, of each element made here.
_AFTER_SZ_CS = (
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
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_PG_NUM_TYPE = (
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
_AFTER_SHD = (
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
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_UPDATE_FIELDS = (
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


def printable(value: Any) -> str:
    """The value as text every document format accepts ('' for None)."""
    if value is None:
        return ""
    return _XML_INVALID.sub("", str(value))


def thai_text(value: Any) -> str:
    """Printable text with Thai digits, as official documents are written."""
    return to_thai_digits(printable(value))


# --- Word --------------------------------------------------------------------------------------


def _child(parent: Any, tag: str, successors: Sequence[str]) -> Any:
    """The parent's `tag` child, created in schema order when missing."""
    node = parent.find(qn(tag))
    if node is None:
        node = OxmlElement(tag)
        parent.insert_element_before(node, *successors)
    return node


def thai_run_properties(rpr: Any, *, size_pt: float | None = None, bold: bool = False) -> None:
    """Name the Thai font in every script slot of a run (or style) property element, with the
    size and bold for complex scripts too, and mark the language Thai."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), WORD_FONT)
    if bold:
        rpr.get_or_add_b()
        rpr.get_or_add_bCs()
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        rpr.get_or_add_sz().set(qn("w:val"), half_points)
        _child(rpr, "w:szCs", _AFTER_SZ_CS).set(qn("w:val"), half_points)
    lang = _child(rpr, "w:lang", _AFTER_LANG)
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")


def docx_style(style: ParagraphStyle, *, size_pt: float, bold: bool = False) -> None:
    """Black upright Thai text at `size_pt`, single-spaced; bold styles (the headings) get a
    little space before and after."""
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.italic = False
    thai_run_properties(style.element.get_or_add_rPr(), size_pt=size_pt, bold=bold)
    fmt = style.paragraph_format
    fmt.space_before = Pt(6 if bold else 0)
    fmt.space_after = Pt(3 if bold else 0)
    fmt.line_spacing = 1.0


def docx_field(paragraph: Paragraph, instruction: str, *, placeholder: str = "") -> None:
    """A complex Word field (begin, instruction, separate, end); `placeholder` shows until Word
    updates the field."""

    def field_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(field_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(field_char("separate"))
    if placeholder:
        paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(field_char("end"))


def docx_update_fields(doc: DocumentObject) -> None:
    """Ask Word to update every field when it opens the file (page references in a written
    table of contents; Word updates page numbers in footers by itself)."""
    settings_element = doc.settings.element
    _child(settings_element, "w:updateFields", _AFTER_UPDATE_FIELDS).set(qn("w:val"), "true")


def docx_page_setup(section: Section, *, landscape: bool = False) -> None:
    """A4 with the official margins (portrait) or 1.5 cm all round (landscape, for wide
    tables), and a footer of its own with the page number centred in Thai digits."""
    width, height = Cm(A4_CM[0]), Cm(A4_CM[1])
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        margins = (LANDSCAPE_MARGIN_CM,) * 4
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        margins = PORTRAIT_MARGINS_CM
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Cm(m) for m in margins
    )
    _child(section._sectPr, "w:pgNumType", _AFTER_PG_NUM_TYPE).set(qn("w:fmt"), "thaiNumbers")
    # A section added later shares the previous footer until it has its own.
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_field(footer, "PAGE \\* THAIARABIC")


def docx_document(*, title: str, landscape: bool = False) -> DocumentObject:
    """An empty A4 document (landscape for wide tables) whose text is TH Sarabun New 16 pt,
    Thai language, with a Thai-digit page number centred in the footer."""
    doc = Document()
    doc.core_properties.title = printable(title)
    doc.core_properties.language = "th-TH"
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        thai_run_properties(defaults, size_pt=BODY_PT)
    for name, size, bold in (
        ("Normal", BODY_PT, False),
        ("Heading 1", 18, True),
        ("Heading 2", 16, True),
        ("Heading 3", 16, True),
        ("Title", 20, True),
    ):
        docx_style(doc.styles[name], size_pt=size, bold=bold)
    docx_page_setup(doc.sections[0], landscape=landscape)
    return doc


def docx_text_width_cm(doc: DocumentObject) -> float:
    """The width between the margins of the document's first section."""
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    return round(width / 360000, 2)  # EMU per cm


def docx_paragraph(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    size_pt: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    """A paragraph of Thai text (digits as given), bold or resized when asked."""
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(printable(text))
        if bold or size_pt is not None:
            thai_run_properties(run._r.get_or_add_rPr(), size_pt=size_pt, bold=bold)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def docx_cell(
    cell: _Cell,
    lines: Sequence[str] | str,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size_pt: float = TABLE_PT,
    style_id: str | None = None,
) -> None:
    """Write text into a cell, one paragraph per line, in the table size. With `style_id`
    each paragraph takes that paragraph style, which carries the size and spacing, so runs
    are formatted only when bold and an empty line has no run."""
    items = [lines] if isinstance(lines, str) else list(lines)
    for i, line in enumerate(items or [""]):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if style_id is None:
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(printable(line))
            thai_run_properties(run._r.get_or_add_rPr(), size_pt=size_pt, bold=bold)
        else:
            # Set by id: python-docx's lookup by name scans every style, slow in long tables.
            paragraph._p.style = style_id
            if line:
                run = paragraph.add_run(printable(line))
                if bold:
                    thai_run_properties(run._r.get_or_add_rPr(), bold=True)
        if align is not None:
            paragraph.alignment = align


def docx_shade(cell: _Cell, fill: str = HEADER_FILL) -> None:
    """A solid background colour for the cell."""
    shd = _child(cell._tc.get_or_add_tcPr(), "w:shd", _AFTER_SHD)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def docx_table(doc: DocumentObject, *, widths_cm: Sequence[float], header_rows: int = 1) -> Table:
    """A bordered, centred table with fixed column widths whose first `header_rows` rows are
    shaded and repeated on every page; the caller writes the headers (merging as needed)."""
    table = doc.add_table(rows=header_rows, cols=len(widths_cm))
    table._tbl.tblStyle_val = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        header = _child(row._tr.get_or_add_trPr(), "w:tblHeader", _AFTER_TBL_HEADER)
        header.set(qn("w:val"), "true")
        for cell in row.cells:
            docx_shade(cell)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    docx_widths(table, widths_cm)
    return table


def docx_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word does)."""
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def docx_row(
    table: Table,
    values: Sequence[Sequence[str] | str],
    *,
    widths_cm: Sequence[float],
    bold: bool = False,
    centre: Sequence[int] = (),
    fill: str | None = None,
    style_id: str | None = None,
) -> list[_Cell]:
    """Append a row; `centre` lists the columns whose text is centred (`style_id`: as in
    docx_cell)."""
    cells = table.add_row().cells
    for index, (cell, value, width) in enumerate(zip(cells, values, widths_cm, strict=False)):
        cell.width = Cm(width)
        align = WD_ALIGN_PARAGRAPH.CENTER if index in centre else None
        docx_cell(cell, value, bold=bold, align=align, style_id=style_id)
        if fill:
            docx_shade(cell, fill)
    return list(cells)


def docx_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def widths_cm(shares: Sequence[float], total_cm: float) -> list[float]:
    """Split a width into columns in proportion to `shares`."""
    whole = sum(shares)
    return [round(total_cm * share / whole, 2) for share in shares]


# --- PDF ---------------------------------------------------------------------------------------

# The base of every printed page: Thai fonts (TH Sarabun New where installed, else the TLWG
# Laksaman that Debian ships), Thai page numbers, bordered tables with repeated headers.
PRINT_CSS = """
@counter-style thai {
  system: numeric;
  symbols: "๐" "๑" "๒" "๓" "๔" "๕" "๖" "๗" "๘" "๙";
}
@page {
  size: A4 portrait;
  margin: 2.5cm 2cm 2cm 3cm;
  @bottom-center {
    content: counter(page, thai);
    font-family: "TH Sarabun New", "Laksaman", sans-serif;
    font-size: 13pt;
  }
}
@page wide { size: A4 landscape; margin: 1.5cm; }
html { font-family: "TH Sarabun New", "Laksaman", sans-serif; font-size: 15pt; line-height: 1.3;
  color: #000; }
body { margin: 0; }
h1, h2, h3 { font-weight: bold; line-height: 1.25; margin: 0.4em 0 0.3em; break-after: avoid; }
h1 { font-size: 19pt; text-align: center; }
h2 { font-size: 17pt; }
h3 { font-size: 16pt; }
p { margin: 0.2em 0; }
.center { text-align: center; }
.wide { page: wide; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0.3em 0 0.6em;
  font-size: 13.5pt; line-height: 1.2; }
th, td { border: 0.75pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; }
th { background: #e8f3ec; text-align: center; vertical-align: middle; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td p { margin: 0; }
td.num { text-align: center; white-space: nowrap; }
tr.group td { font-weight: bold; background: #f4f4f4; }
tr.total td { font-weight: bold; }
.note { font-size: 13pt; }
"""


def pdf_from_html(html: str) -> bytes:
    """Lay out a self-contained HTML document (styles inline, nothing remote) as PDF with
    WeasyPrint."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    # base_url keeps relative URLs inside the project; the templates reference nothing remote.
    document: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return document


# --- Excel -------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
XLSX_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
XLSX_HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL)
XLSX_FONT = "TH Sarabun New"


def xlsx_value(value: Any) -> Any:
    """A cell value that a spreadsheet will not run as a formula and that XML accepts."""
    if value is None or isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def xlsx_header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    """Bold, shaded, wrapped and bordered header cells on `row`."""
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=xlsx_value(text))
        cell.font = Font(name=XLSX_FONT, bold=True, size=14)
        cell.fill = XLSX_HEADER_FILL
        cell.border = XLSX_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def xlsx_row(sheet: Worksheet, row: int, values: Sequence[Any], *, bold: bool = False) -> None:
    """Bordered, wrapped body cells on `row`."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=xlsx_value(value))
        cell.font = Font(name=XLSX_FONT, size=14, bold=bold)
        cell.border = XLSX_BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def xlsx_bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
