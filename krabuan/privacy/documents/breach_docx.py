"""The breach documents as Word (A4, TH Sarabun New, Thai digits as official letters are
written): heading, reference and date, subject and addressee, then each item with its facts in
a two-column table, and the DPO's signature block."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from krabuan.core import documents as d
from krabuan.privacy.documents.breach_data import BreachDocument

LABEL_SHARE, VALUE_SHARE = 35, 65


def breach_docx(document: BreachDocument) -> bytes:
    """One breach document as DOCX bytes."""
    doc = d.docx_document(title=f"{document.title} {document.reference}")
    t = d.thai_text
    d.docx_paragraph(doc, t(document.title), bold=True, size_pt=20, align=WD_ALIGN_PARAGRAPH.CENTER)
    d.docx_paragraph(doc, t(document.controller), align=WD_ALIGN_PARAGRAPH.CENTER)
    d.docx_paragraph(doc, t(f"ที่ {document.reference}"))
    d.docx_paragraph(doc, t(f"วันที่ {document.date}"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    d.docx_paragraph(doc, t(f"เรื่อง {document.subject}"))
    d.docx_paragraph(doc, t(f"เรียน {document.recipient}"))
    d.docx_paragraph(doc, t(document.intro))
    widths = d.widths_cm([LABEL_SHARE, VALUE_SHARE], d.docx_text_width_cm(doc))
    for section in document.sections:
        d.docx_paragraph(doc, t(section.heading), bold=True)
        if section.rows:
            table = d.docx_table(doc, widths_cm=widths, header_rows=1)
            d.docx_cell(table.cell(0, 0), "หัวข้อ", bold=True)
            d.docx_cell(table.cell(0, 1), "รายละเอียด", bold=True)
            for label, value in section.rows:
                d.docx_row(table, [t(label), t(value).split("\n")], widths_cm=widths)
        for paragraph in section.paragraphs:
            for line in paragraph.split("\n"):
                d.docx_paragraph(doc, t(line))
    for line in document.closing:
        d.docx_paragraph(doc, t(line))
    d.docx_paragraph(doc, "")
    for line in document.signature:
        d.docx_paragraph(doc, t(line), align=WD_ALIGN_PARAGRAPH.CENTER)
    return d.docx_bytes(doc)
