"""The breach register in a real browser: the DPO signs in, reports a breach (the 72-hour
countdown starts), assesses the seven factors — the suggested level follows the choices through
HTMX — as high risk, and downloads the notice to the PDPC Office, whose content is checked."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document

from krabuan.core.thai import BANGKOK
from krabuan.org.models import Role
from krabuan.org.services.demo import demo_org_load
from krabuan.org.tests.factories import PASSWORD
from krabuan.privacy.models import Breach
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    load_breach_process,
    pdf_text,
    person,
    skeleton,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dpo_login(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    demo_org_load()
    load_breach_process(tmp_path)
    return person("dpo.browser", Role.DPO, first_name="สมหญิง")


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_dpo_reports_assesses_high_and_downloads_the_pdpc_notice(live_server, page, dpo_login):
    page.goto(f"{live_server.url}/privacy/breaches/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "dpo.browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/privacy/breaches/$"))

    page.click("#breach-new")
    page.wait_for_url(re.compile(r"/privacy/breaches/new/$"))
    aware = dt.datetime.now(BANGKOK) - dt.timedelta(hours=3)
    page.fill("#id_title", "ไฟล์ทะเบียนเกษตรกรถูกแชร์เป็นสาธารณะ")
    page.fill("#id_aware_at", f"{aware:%d/%m}/{aware.year + 543} {aware:%H:%M}")
    page.fill("#id_description", "ลิงก์ไฟล์ทะเบียนถูกตั้งค่าให้ทุกคนที่มีลิงก์เปิดได้")
    page.fill("#id_data_types", "ชื่อ-นามสกุล, เลขประจำตัวประชาชน")
    page.fill("#id_subjects_count", "1,250")
    page.fill("#id_records_count", "1250")
    page.click("#breach-report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/privacy/breaches/\d+/$"))
    breach = Breach.objects.get()
    assert page.locator("#breach-ref").inner_text() == breach.reference

    # The countdown runs from the server's deadline: about 69 hours left, green.
    countdown = page.locator("#pdpc-countdown")
    assert re.fullmatch(r"(68:5\d|69:00)", countdown.locator(".countdown-clock").inner_text())
    assert "text-bg-success" in (countdown.get_attribute("class") or "")
    assert page.locator("#linked-case code").inner_text().startswith("C16-")

    # The seven factors; the suggested level follows them (HTMX) before anything is saved.
    page.check("input[name=harm_severity][value=unlikely]")
    page.check("input[name=data_nature][value=minimal]")
    page.locator("#suggested-level[data-level='none']").wait_for()
    for key, value in FACTORS_HIGH.items():
        page.check(f"input[name={key}][value={value}]")
    page.locator("#suggested-level[data-level='high']").wait_for()
    assert page.locator("#controller-note").is_visible()
    page.select_option("#id_level", "high")
    page.locator("#chosen-obligations").wait_for()
    page.click("#assess-submit")
    page.wait_for_url(re.compile(rf"/privacy/breaches/{breach.pk}/$"))
    assert page.locator("#breach-level").inner_text() == "มีความเสี่ยงสูง"
    obligations = page.locator("#obligations").inner_text()
    assert "แจ้ง สคส. โดยไม่ชักช้าภายใน 72 ชั่วโมงนับแต่ทราบเหตุ" in obligations
    assert "แจ้งเจ้าของข้อมูลส่วนบุคคลโดยไม่ชักช้า" in obligations
    page.screenshot(path="/tmp/krabuan-breach-detail.png", full_page=True)
    breach.refresh_from_db()
    assert (breach.risk_level, breach.notify_pdpc, breach.notify_subjects) == ("high", True, True)

    with page.expect_download() as info:
        page.click("#doc-pdpc-notice-docx")
    download = info.value
    assert download.suggested_filename == f"pdpc-notice-{breach.reference}.docx"
    text = _docx_text(Path(download.path()).read_bytes())
    assert "หนังสือแจ้งเหตุการละเมิดข้อมูลส่วนบุคคล" in text
    assert "เลขาธิการสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in text
    for heading in (
        "๑. ข้อมูลโดยสังเขปเกี่ยวกับลักษณะและประเภทของการละเมิด",
        "๒. ชื่อ สถานที่ติดต่อ และวิธีการติดต่อของเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
        "๓. ผลกระทบที่อาจเกิดขึ้นจากการละเมิด",
        "๔. มาตรการที่ใช้หรือจะใช้เพื่อป้องกัน ระงับ หรือแก้ไขเหตุการละเมิด",
    ):
        assert heading in text
    assert "การรักษาความลับ (Confidentiality)" in text
    assert "๑,๒๕๐ ราย" in text and "เลขประจำตัวประชาชน" in text

    with page.expect_download() as info:
        page.click("#doc-pdpc-notice-pdf")
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert skeleton("ข้อมูลโดยสังเขปเกี่ยวกับลักษณะ") in skeleton(pdf_text(pdf))
