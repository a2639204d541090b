"""Exports open and carry the s.39 items: the register as XLSX / DOCX / PDF (filtered), one
version as DOCX / PDF, and the inventory as XLSX / CSV; Thai digits and BE dates in print."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from krabuan.core.thai import format_datetime, to_thai_digits
from krabuan.privacy.models import RefusalSection, RopaKind
from krabuan.privacy.services import ropa
from krabuan.privacy.services.ropa import CONTROLLER_ITEMS
from krabuan.privacy.tests.test_records_helpers import (
    complete_data,
    dpo_user,
    make_activity,
    make_dataset,
    other_unit,
    processor_data,
    published_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(db):
    return dpo_user()


@pytest.fixture
def published(officer, group_head, dpo):
    activity = make_activity(officer)
    version = published_version(
        activity,
        editor=officer,
        approver=group_head,
        data=complete_data(security_measures="เข้ารหัสฐานข้อมูล AES-256"),
    )
    ropa.ropa_record_refusal(
        ropa=version.ropa, request=None, section=RefusalSection.S30, reason="ขัดคำสั่งศาล", actor=dpo
    )
    return version


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# Thai fonts in PDF: the text layer maps some shaped vowel and tone marks to neighbouring code
# points, so PDF text is compared on the letters that carry the line (as the KPI tests do).
_MARKS = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e\u0e32]")


def skeleton(text: str) -> str:
    return _MARKS.sub("", "".join(text.split()))


def _pdf_text(content: bytes) -> str:
    return skeleton("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_version_docx_has_every_s39_item(client, officer, published):
    client.force_login(officer)
    response = client.get(f"/privacy/ropa/{published.ropa_id}/v/1/document.docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    for _field, label in CONTROLLER_ITEMS:
        assert to_thai_digits(label) in text
    assert "เข้ารหัสฐานข้อมูล AES-๒๕๖" in text
    assert "ขัดคำสั่งศาล" in text  # item 7 lists the refusal
    assert "มาตรา ๒๔ (๔)" in text  # the lawful basis, with Thai digits


def test_version_pdf_has_the_items(client, officer, published):
    client.force_login(officer)
    response = client.get(f"/privacy/ropa/{published.ropa_id}/v/1/document.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    for _field, label in CONTROLLER_ITEMS:
        assert skeleton(to_thai_digits(label)) in text
    assert skeleton("ขัดคำสั่งศาล") in text
    assert "AES" in text


def test_register_xlsx_one_row_per_activity_column_per_item(client, officer, group_head, published):
    other = make_activity(officer, name="รับสมัครผู้เข้าอบรม")
    published_version(other, editor=officer, approver=group_head)
    draft_only = make_activity(officer, name="ยังเป็นร่าง")
    ropa.ropa_draft_save(
        actor=officer,
        ropa=ropa.ropa_create(actor=officer, activity=draft_only, kind=RopaKind.CONTROLLER),
        data=complete_data(),
    )
    client.force_login(officer)

    response = client.get("/privacy/ropa/?format=xlsx&state=published")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    for _field, label in CONTROLLER_ITEMS:
        assert label in header
    names = sorted(row[1].value for row in sheet.iter_rows(min_row=2))
    assert names == ["รับสมัครผู้เข้าอบรม", "ให้บริการศูนย์บริการ ICT"]  # published only
    retention = header.index("(4) ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล")
    assert sheet.cell(row=2, column=retention + 1).value == "5 ปี"

    latest = load_workbook(io.BytesIO(client.get("/privacy/ropa/?format=xlsx").content))
    assert sheet.max_row == 3 and latest.worksheets[0].max_row == 4


def test_register_filter_by_unit_applies_to_the_export(client, officer, group_head, published):
    client.force_login(officer)
    response = client.get(f"/privacy/ropa/?format=xlsx&unit={other_unit().pk}")

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 1  # the header only


def test_register_docx_and_pdf_open(client, officer, published):
    client.force_login(officer)

    docx = client.get("/privacy/ropa/?format=docx")
    pdf = client.get("/privacy/ropa/?format=pdf")

    assert docx.status_code == 200 and pdf.status_code == 200
    text = _docx_text(docx.content)
    assert "ทะเบียนบันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล" in text
    assert f"เผยแพร่เมื่อ: {to_thai_digits(format_datetime(published.published_at))}" in text
    pdf_text = _pdf_text(pdf.content)
    assert skeleton("ทะเบียนบันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล") in pdf_text
    assert skeleton("ให้บริการศูนย์บริการ ICT") in pdf_text


def test_processor_record_prints_its_six_items(client, officer, group_head):
    activity = make_activity(officer, name="ดูแลฐานข้อมูลแทนกรม")
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.PROCESSOR)
    ropa.ropa_draft_save(actor=officer, ropa=record, data=processor_data())
    client.force_login(officer)

    text = _docx_text(client.get(f"/privacy/ropa/{record.pk}/v/1/document.docx").content)

    assert "ชื่อและรายละเอียดของผู้ควบคุมข้อมูลส่วนบุคคลที่ประมวลผลแทน" in text
    assert "กรมตัวอย่าง" in text
    sheet = load_workbook(
        io.BytesIO(client.get("/privacy/ropa/?format=xlsx&state=latest&kind=processor").content)
    ).worksheets[1]
    assert sheet.cell(row=2, column=2).value == "ดูแลฐานข้อมูลแทนกรม"


def test_inventory_exports(client, officer):
    activity = make_activity(officer, sensitive=True)
    dataset = make_dataset()
    item = activity.data_items.get(name="ชื่อ-นามสกุล")
    item.datasets.add(dataset)
    client.force_login(officer)

    xlsx = client.get("/privacy/inventory/?format=xlsx")
    csv = client.get("/privacy/inventory/?format=csv&sensitive=yes")

    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2
    named = next(r for r in rows if r[3] == "ชื่อ-นามสกุล")
    assert named[12] == "ชุดข้อมูลผู้ขอรับบริการ"
    assert named[9] == 24
    text = csv.content.decode("utf-8-sig")
    assert "ข้อมูลสุขภาพ" in text and "ใช่" in text


def test_unknown_document_format_is_404(client, officer, published):
    client.force_login(officer)

    assert client.get(f"/privacy/ropa/{published.ropa_id}/v/1/document.odt").status_code == 404
    assert client.get(f"/privacy/ropa/{published.ropa_id}/v/9/document.pdf").status_code == 404
