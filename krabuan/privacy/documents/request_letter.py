"""The response letter to a data subject (DOCX and PDF): addressed to the requester, with the
decision and its legal basis. Contact details are decrypted only here, while the letter is made;
the letter is never stored. Official letters are written with Thai digits."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from krabuan.core.documents import (
    PRINT_CSS,
    docx_bytes,
    docx_document,
    docx_paragraph,
    pdf_from_html,
    thai_text,
)
from krabuan.core.errors import Conflict
from krabuan.core.thai import format_date
from krabuan.org.models import Unit, UnitKind
from krabuan.privacy.models import DataSubjectRequest, RefusalSection, RequestStatus, RequestType
from krabuan.privacy.selectors.requests import request_contact

ACT = "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
OFFICE_CODE = "opsmoac"
OFFICE_FALLBACK = "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์"
# The section of the Act that gives each right.
RIGHT_SECTIONS = {
    RequestType.ACCESS: "มาตรา 30",
    RequestType.COPY: "มาตรา 31",
    RequestType.RECTIFICATION: "มาตรา 35 และมาตรา 36",
    RequestType.ERASURE: "มาตรา 33",
    RequestType.RESTRICTION: "มาตรา 34",
    RequestType.OBJECTION: "มาตรา 32",
    RequestType.WITHDRAWAL: "มาตรา 19",
}
COMPLAINT = (
    "หากท่านไม่เห็นด้วยกับผลการพิจารณานี้ ท่านมีสิทธิร้องเรียนต่อคณะกรรมการผู้เชี่ยวชาญ "
    f"ตามมาตรา 73 แห่ง{ACT} ผ่านสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.)"
)
INDENT = Cm(2.5)  # the first-line indent of official letters
LETTER_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED)


@dataclass(frozen=True)
class Letter:
    """What the letter says, in Arabic digits (each format prints Thai digits)."""

    reference: str
    office: str
    date: str
    subject: str
    to_name: str
    to_lines: list[str]
    reference_line: str
    intro: str
    opening: str
    decision_heading: str
    decision: str
    closing: list[str]
    legal_basis: str
    signer: str
    filename: str


def _office() -> str:
    unit = (
        Unit.objects.filter(code=OFFICE_CODE).first()
        or Unit.objects.filter(kind=UnitKind.OFFICE).order_by("sort_order").first()
    )
    return unit.name if unit else OFFICE_FALLBACK


def request_letter(request: DataSubjectRequest) -> Letter:
    """The letter of a completed or refused request (Conflict while it is still open)."""
    if request.status not in LETTER_STATUSES or request.responded_at is None:
        raise Conflict(
            "หนังสือแจ้งผลออกได้เมื่อดำเนินการตามคำขอแล้วหรือปฏิเสธคำขอแล้วเท่านั้น", code="letter_not_ready"
        )
    contact = request_contact(request)
    type_label = str(RequestType(request.type).label)
    right = RIGHT_SECTIONS[RequestType(request.type)]
    received = format_date(request.received_at)
    office = _office()
    intro = (
        f"ตามที่ท่านได้ยื่นคำขอใช้สิทธิของเจ้าของข้อมูลส่วนบุคคล ประเภท{type_label} "
        f"ตาม{right} แห่ง{ACT} เมื่อวันที่ {received} เลขที่คำขอ {request.reference} นั้น"
    )
    if request.status == RequestStatus.COMPLETED:
        heading = "ผลการพิจารณา: ดำเนินการตามคำขอแล้ว"
        opening = f"{office} ได้พิจารณาคำขอของท่านแล้ว และได้ดำเนินการตามคำขอ ดังนี้"
        decision = request.response
        basis = f"ฐานทางกฎหมาย: {right} แห่ง{ACT}"
        closing: list[str] = []
    else:
        section = (
            str(RefusalSection(request.refusal_section).label) if request.refusal_section else ""
        )
        heading = "ผลการพิจารณา: ปฏิเสธคำขอ"
        opening = (
            f"{office} ได้พิจารณาคำขอของท่านแล้ว ไม่สามารถดำเนินการตามคำขอได้ "
            f"โดยอาศัยอำนาจตาม{section or right} แห่ง{ACT} ด้วยเหตุผล ดังนี้"
        )
        decision = request.refusal_reason
        basis = f"ฐานทางกฎหมายของการปฏิเสธ: {section or right} แห่ง{ACT}"
        closing = [
            "ทั้งนี้ สำนักงานได้บันทึกการปฏิเสธคำขอพร้อมเหตุผลไว้ในบันทึกรายการของกิจกรรมการประมวลผล"
            f"ข้อมูลส่วนบุคคลตามมาตรา 39 (7) แห่ง{ACT} แล้ว"
        ]
    to_lines = [line for line in contact.address.splitlines() if line.strip()]
    if contact.email:
        to_lines.append(f"อีเมล {contact.email}")
    return Letter(
        reference=request.reference,
        office=office,
        date=format_date(request.responded_at),
        subject="แจ้งผลการพิจารณาคำขอใช้สิทธิของเจ้าของข้อมูลส่วนบุคคล",
        to_name=contact.name or "เจ้าของข้อมูลส่วนบุคคล",
        to_lines=to_lines,
        reference_line=f"คำขอ{type_label} เลขที่ {request.reference} ลงวันที่ {received}",
        intro=intro,
        opening=opening,
        decision_heading=heading,
        decision=decision,
        closing=closing,
        legal_basis=basis,
        signer="เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
        filename=f"letter-{request.reference}",
    )


def request_letter_docx(letter: Letter) -> bytes:
    """The letter as Word, in TH Sarabun New with Thai digits."""
    doc = docx_document(title=letter.subject)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    docx_paragraph(doc, thai_text(f"ที่ {letter.reference}"))
    docx_paragraph(doc, thai_text(letter.office), align=right)
    docx_paragraph(doc, thai_text(letter.date), align=right)
    docx_paragraph(doc, thai_text(f"เรื่อง  {letter.subject}"))
    docx_paragraph(doc, thai_text(f"เรียน  {letter.to_name}"))
    docx_paragraph(doc, thai_text(f"อ้างถึง  {letter.reference_line}"))
    docx_paragraph(doc, thai_text(letter.intro)).paragraph_format.first_line_indent = INDENT
    docx_paragraph(doc, thai_text(letter.decision_heading), bold=True)
    docx_paragraph(doc, thai_text(letter.opening)).paragraph_format.first_line_indent = INDENT
    for line in letter.decision.splitlines():
        docx_paragraph(doc, thai_text(line))
    for text in letter.closing:
        docx_paragraph(doc, thai_text(text)).paragraph_format.first_line_indent = INDENT
    docx_paragraph(doc, thai_text(letter.legal_basis))
    docx_paragraph(doc, thai_text(COMPLAINT)).paragraph_format.first_line_indent = INDENT
    docx_paragraph(doc, "จึงเรียนมาเพื่อโปรดทราบ").paragraph_format.first_line_indent = INDENT
    centre = WD_ALIGN_PARAGRAPH.CENTER
    docx_paragraph(doc, "ขอแสดงความนับถือ", align=centre)
    docx_paragraph(doc, "")
    docx_paragraph(doc, "(.......................................)", align=centre)
    docx_paragraph(doc, thai_text(letter.signer), align=centre)
    docx_paragraph(doc, thai_text(letter.office), align=centre)
    docx_paragraph(doc, "")
    docx_paragraph(doc, "ส่งถึง", bold=True)
    for line in [letter.to_name, *letter.to_lines]:
        docx_paragraph(doc, thai_text(line))
    return docx_bytes(doc)


def request_letter_pdf(letter: Letter) -> bytes:
    """The same letter as PDF (WeasyPrint, A4 with the official margins)."""
    html = render_to_string(
        "privacy/requests/letter_print.html",
        {"l": letter, "complaint": COMPLAINT, "print_css": PRINT_CSS},
    )
    return pdf_from_html(html)
