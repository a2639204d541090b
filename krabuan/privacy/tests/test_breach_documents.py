"""The breach documents, read back: the notice to the PDPC Office carries the four items (brief
with type, data and numbers; DPO name, place and contact; likely impact; measures), the notice to
the data subjects the same four plus what they can do; the executive report and the DPO summary
carry the assessment. DOCX read with python-docx, PDF with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from docx import Document

from krabuan.org.tests.factories import PASSWORD
from krabuan.privacy.documents.breach_data import (
    ADVICE_HEADING,
    ITEM_HEADINGS,
    dpo_summary,
    executive_report,
    pdpc_notice,
    subjects_notice,
)
from krabuan.privacy.documents.breach_docx import breach_docx
from krabuan.privacy.documents.breach_pdf import breach_pdf
from krabuan.privacy.services.breaches import breach_assess, breach_update
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    dpo_user,
    pdf_text,
    report,
    skeleton,
)

pytestmark = pytest.mark.django_db
AWARE = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
SETTINGS = {
    "KRABUAN_PRIVACY_DPO_PHONE": "02-123-4567",
    "KRABUAN_PRIVACY_DPO_PLACE": "อาคารศูนย์สารสนเทศ ชั้น 3",
}
IMPACT = "เจ้าของข้อมูลอาจถูกแอบอ้างใช้เลขประจำตัวประชาชน"
MEASURES = "ปิดลิงก์สาธารณะและเปลี่ยนสิทธิ์การเข้าถึงไฟล์"
ADVICE = "ระวังการแอบอ้างทางโทรศัพท์"


@pytest.fixture
def breach(demo_org):
    dpo = dpo_user()
    with time_machine.travel(AWARE + dt.timedelta(minutes=5), tick=False):
        breach = report(dpo, aware_at=AWARE, subjects_count=1234, records_count=2345)
        breach_update(
            actor=dpo,
            breach=breach,
            data={"impact": IMPACT, "measures": MEASURES, "subject_advice": ADVICE},
        )
        breach_assess(actor=dpo, breach=breach, factors=FACTORS_HIGH, level="high")
    breach.refresh_from_db()
    return breach


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _four_items(text: str) -> None:
    for heading in ITEM_HEADINGS:
        assert (
            heading.replace("1", "๑").replace("2", "๒").replace("3", "๓").replace("4", "๔") in text
        ), heading
    # 1: type, data and numbers
    assert "การรักษาความลับ (Confidentiality)" in text
    assert "เลขประจำตัวประชาชน" in text
    assert "๑,๒๓๔ ราย" in text and "๒,๓๔๕ รายการ" in text
    # 2: the DPO's name, place and contact (the demo DPO, the settings' place and phone)
    assert "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล" in text
    assert "อาคารศูนย์สารสนเทศ ชั้น ๓" in text
    assert "๐๒-๑๒๓-๔๕๖๗" in text and "dpo@example.org" in text
    # 3 and 4
    assert IMPACT in text and MEASURES in text


@override_settings(**SETTINGS)
def test_pdpc_notice_docx_has_the_four_items(breach):
    text = _docx_text(breach_docx(pdpc_notice(breach)))
    _four_items(text)
    assert "เลขาธิการสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in text
    assert "BR-๒๕๖๙-๐๐๐๑" in text
    assert ADVICE_HEADING.replace("5", "๕") not in text


@override_settings(**SETTINGS)
def test_subjects_notice_docx_adds_what_they_can_do(breach):
    text = _docx_text(breach_docx(subjects_notice(breach)))
    _four_items(text)
    assert ADVICE_HEADING.replace("5", "๕") in text
    assert ADVICE in text


@override_settings(**SETTINGS)
def test_pdpc_notice_pdf_has_the_four_items(breach):
    text = skeleton(pdf_text(breach_pdf(pdpc_notice(breach))))
    for heading in ITEM_HEADINGS:
        thai = heading[3:]  # without the number: the PDF prints it in Thai digits
        assert skeleton(thai) in text, heading
    for expected in (
        "Confidentiality",
        "เลขประจำตัวประชาชน",
        "๑,๒๓๔",
        "อาคารศูนย์สารสนเทศ",
        "๐๒-๑๒๓-๔๕๖๗",
        "dpo@example.org",
        IMPACT,
        MEASURES,
    ):
        assert skeleton(expected) in text, expected


def test_executive_report_and_dpo_summary_carry_the_assessment(breach):
    executive = _docx_text(breach_docx(executive_report(breach)))
    assert "ผลการประเมินความเสี่ยง" in executive
    assert "สถานะทางกฎหมายของผู้ควบคุมข้อมูลส่วนบุคคล" in executive
    assert "มีความเสี่ยงสูง" in executive
    summary = _docx_text(breach_docx(dpo_summary(breach)))
    assert "ประวัติการประเมินความเสี่ยง" in summary
    assert "สดช." in summary and "สคส." in summary  # the note on the seed's slip
    assert skeleton("สรุปรายงานผลการเกิดเหตุละเมิด") in skeleton(
        pdf_text(breach_pdf(dpo_summary(breach)))
    )


def test_a_late_notice_states_its_reason(breach):
    with time_machine.travel(AWARE + dt.timedelta(hours=80), tick=False):
        text = _docx_text(breach_docx(pdpc_notice(breach)))
    assert "เหตุผลที่แจ้งเกินกำหนด ๗๒ ชั่วโมง" in text


def test_download_through_the_page(client, breach):
    assert client.login(username="t-dpo", password=PASSWORD)
    url = reverse("privacy:breach_document", args=[breach.pk, "pdpc-notice", "pdf"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "pdpc-notice-BR-2569-0001.pdf" in response["Content-Disposition"]
    assert skeleton(MEASURES) in skeleton(pdf_text(response.content))
    missing = reverse("privacy:breach_document", args=[breach.pk, "pdpc-notice", "xls"])
    assert client.get(missing).status_code == 404
