"""The performance agreement in a real browser: an officer signs in, opens the FY2566 agreement's
dashboard, enters the year's disbursement result with its evidence file, and sees the total
change, on the entry page (HTMX) and back on the dashboard."""

from __future__ import annotations

import re

import pytest

from krabuan.kpi.models import KpiResult
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.org.models import Role
from krabuan.org.services.demo import demo_org_load
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def agreement(transactional_db):  # type: ignore[no-untyped-def]
    demo_org_load()
    return agreement_fixture_load(path=fixture_path(2566)).agreement


@pytest.fixture
def officer_login(transactional_db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="kpi.officer", first_name="เจ้าหน้าที่ทดสอบ")
    membership_add(user=user, role=Role.OFFICER)
    return user


def test_officer_enters_a_result_and_sees_the_total_change(
    live_server, page, agreement, officer_login, tmp_path
):
    disbursement = agreement.kpis.get(number=3)
    page.goto(f"{live_server.url}/kpi/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "kpi.officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/kpi/$"))

    page.click(f"#agreement-{agreement.pk} a")
    page.wait_for_url(re.compile(rf"/kpi/agreements/{agreement.pk}/$"))
    assert page.locator("#total-score").inner_text() == "0.00"
    assert page.locator("#kpi-table tbody tr[data-number]").count() == 6
    chart = page.locator("#score-chart svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400
    page.screenshot(path="/tmp/krabuan-kpi-dashboard-before.png", full_page=True)

    page.click(f"#kpi-{disbursement.pk} a:has-text('บันทึกผล')")
    page.wait_for_url(re.compile(rf"/kpi/kpis/{disbursement.pk}/results/\?round=12m$"))
    assert page.locator("#card-total").inner_text() == "0.00"
    page.fill("#id_value", "98.5")
    evidence = tmp_path / "เบิกจ่าย-กันยายน.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#result-form button[type=submit]")

    # HTMX swaps the form in place and the total card out of band.
    page.locator("#saved-message").wait_for()
    assert page.locator("#saved-message").inner_text() == ("บันทึกผลรอบ ๑๒ เดือน ของตัวชี้วัดที่ 3 แล้ว")
    assert page.locator("#card-total").inner_text() == "14.78"
    assert page.locator("#card-kpi-score").inner_text() == "98.50"
    assert page.url.endswith(f"/kpi/kpis/{disbursement.pk}/results/?round=12m")
    page.screenshot(path="/tmp/krabuan-kpi-entry.png", full_page=True)
    result = KpiResult.objects.get(kpi=disbursement, round="12m")
    assert (str(result.value), result.entered_by_id) == ("98.5000", officer_login.pk)

    page.click("#score-card a")
    page.wait_for_url(re.compile(rf"/kpi/agreements/{agreement.pk}/\?round=12m$"))
    assert page.locator("#total-score").inner_text() == "14.78"
    row = page.locator(f"#kpi-{disbursement.pk}")
    assert row.locator(".kpi-value").inner_text() == "ร้อยละ 98.5"
    assert row.locator(".kpi-score").inner_text() == "98.50"
    assert page.locator(f"#card-{disbursement.pk} .missing").inner_text() == (
        "สิ่งที่ยังขาด: ขาดอีก 1.5 เพื่อให้ได้ 100 คะแนน"
    )
    page.screenshot(path="/tmp/krabuan-kpi-dashboard-after.png", full_page=True)

    # The KPI's page lists the result with its evidence file and who entered it.
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/kpi/kpis/{disbursement.pk}/$"))
    history = page.locator(f"#result-{result.pk} td")
    assert history.nth(1).inner_text() == "ร้อยละ 98.5"
    assert history.nth(4).inner_text() == result.evidence.name.rsplit("/", 1)[-1]
    assert history.nth(5).inner_text() == "เจ้าหน้าที่ทดสอบ"
    assert page.locator("#method-note").inner_text().startswith("หมายเหตุวิธีคิดคะแนน:")
    page.screenshot(path="/tmp/krabuan-kpi-page.png", full_page=True)


def test_a_refused_entry_shows_the_thai_message_and_saves_nothing(
    live_server, page, agreement, officer_login
):
    disbursement = agreement.kpis.get(number=3)
    # Given a KPI that asks for evidence (KPI 3 may be typed in without one by the agreement).
    disbursement.evidence_required = True
    disbursement.save(update_fields=["evidence_required"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "kpi.officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/kpi/kpis/{disbursement.pk}/results/?round=12m")
    page.fill("#id_value", "๑๐๕")
    page.click("#result-form button[type=submit]")

    page.locator("#form-errors").wait_for()
    assert page.locator("#field-value .invalid-feedback").inner_text() == (
        "ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100"
    )
    assert page.locator("#field-evidence .invalid-feedback").inner_text() == (
        "ตัวชี้วัดนี้ต้องแนบไฟล์หลักฐานประกอบผลการดำเนินงาน"
    )
    assert page.locator("#card-total").inner_text() == "0.00"
    assert KpiResult.objects.count() == 0
    page.screenshot(path="/tmp/krabuan-kpi-entry-refused.png", full_page=True)
