"""RoPA as Word: one RoPA version, or the whole register (one RoPA after another), in TH
Sarabun New with Thai digits and Buddhist-era dates."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from krabuan.core import documents as d
from krabuan.privacy.documents.ropa_data import RopaDoc

SHARES = (0.38, 0.62)


def _write(doc: DocumentObject, item: RopaDoc) -> None:
    doc.add_heading(d.thai_text(item.title), level=1)
    details = [
        f"หน่วยงาน: {item.unit_name}",
        f"ประเภทบันทึก: {item.kind_label}",
        f"ฉบับที่ {item.number} สถานะ: {item.status_label}",
    ]
    if item.approved_by:
        details.append(f"ผู้อนุมัติ: {item.approved_by} เมื่อ {item.approved_at}")
    if item.published_at:
        details.append(f"เผยแพร่เมื่อ: {item.published_at}")
    for line in details:
        d.docx_paragraph(doc, d.thai_text(line))
    widths = d.widths_cm(SHARES, d.docx_text_width_cm(doc))
    table = d.docx_table(doc, widths_cm=widths)
    d.docx_cell(table.rows[0].cells[0], "รายการ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    d.docx_cell(table.rows[0].cells[1], "รายละเอียด", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for label, lines in item.items:
        d.docx_row(
            table,
            [d.thai_text(label), [d.thai_text(line) for line in lines]],
            widths_cm=widths,
        )


def ropa_docx(items: list[RopaDoc], *, title: str, register: bool = False) -> bytes:
    """The given RoPA versions, each from a new page; the register has its title on top."""
    doc = d.docx_document(title=title)
    if register:
        d.docx_paragraph(
            doc, d.thai_text(title), bold=True, size_pt=20, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        if not items:
            d.docx_paragraph(doc, "ไม่มีบันทึกตามเงื่อนไขที่เลือก")
    for index, item in enumerate(items):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(doc, item)
    return d.docx_bytes(doc)
