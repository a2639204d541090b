"""The manual in a real browser: sign in as an officer, find the FY2567 processes, open one and
see its steps table and the generated flowchart."""

from __future__ import annotations

import re

import pytest

from krabuan.manual.models import Process
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Role
from krabuan.org.services.demo import demo_org_load
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_manual(transactional_db):  # type: ignore[no-untyped-def]
    demo_org_load()
    return manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual


@pytest.fixture
def officer_login(transactional_db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="officer.browser", first_name="เจ้าหน้าที่ทดสอบ")
    membership_add(user=user, role=Role.OFFICER)
    return user


def test_officer_signs_in_and_reads_a_process(live_server, page, real_manual, officer_login):
    page.goto(f"{live_server.url}/manual/")

    # Not signed in: the list sends us to the sign-in page first.
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "officer.browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/manual/$"))

    assert page.locator("h1").first.inner_text().startswith("คู่มือกระบวนงาน")
    assert page.locator("#result-count").inner_text() == "พบ 22 กระบวนงาน"
    assert page.locator("table.table-manual tbody tr").count() == 22
    assert page.locator("#kind-core").inner_text().startswith("กระบวนงานหลัก")
    assert page.locator("#kind-support").inner_text().startswith("กระบวนงานสนับสนุน")
    page.screenshot(path="/tmp/krabuan-manual-list.png", full_page=True)

    page.fill("#f-q", "ICT Service")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"q=ICT"))
    assert page.locator("#result-count").inner_text() == "พบ 1 กระบวนงาน"

    page.click("text=ICT Service Center")
    process = Process.objects.get(manual=real_manual, code="C10")
    page.wait_for_url(re.compile(rf"/manual/processes/{process.pk}/$"))

    assert page.locator("h1").inner_text() == "กระบวนงานที่ 10 : ICT Service Center"
    steps = page.locator("#steps tbody tr")
    assert steps.count() == 4
    assert steps.nth(2).locator("td.step-activity").inner_text().strip() == "ดำเนินการให้บริการ"
    assert steps.nth(2).locator("td.step-risks").inner_text().startswith("การได้รับบริการล่าช้า")
    assert steps.nth(2).locator("td.step-controls").inner_text().strip() == "-"
    flowchart = page.locator("#flowchart svg")
    assert flowchart.count() == 1
    box = flowchart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    # An officer reads; the editor is not offered.
    assert page.locator("a", has_text="แก้ไขกระบวนงาน").count() == 0
    page.screenshot(path="/tmp/krabuan-manual-process.png", full_page=True)


@pytest.fixture
def head_login(transactional_db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="head.browser", first_name="หัวหน้ากลุ่มทดสอบ")
    membership_add(user=user, role=Role.GROUP_HEAD)
    return user


def _sign_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/manual/$"))


def test_editor_fixes_a_duration_with_live_preview(live_server, page, real_manual, head_login):
    step = Process.objects.get(manual=real_manual, code="C09").steps.order_by("order").first()
    assert step is not None and step.duration_status == "unit_missing"
    _sign_in(page, live_server, "head.browser")

    page.goto(f"{live_server.url}/manual/processes/{step.process_id}/")
    page.click(f"#step-{step.pk} a:has-text('แก้ไขระยะเวลา')")
    page.wait_for_url(re.compile(rf"/manual/steps/{step.pk}/edit/"))
    page.fill("#id_duration_text", "๑-๒ วันทำการ")

    # HTMX asks the server what the text will be read as, while the editor types.
    preview = page.locator(".duration-preview")
    preview.locator("text=1–2 วันทำการ").wait_for()
    assert preview.inner_text() == "ระบบอ่านได้เป็น: 1–2 วันทำการ (แปลงแล้ว)"
    page.click("form[action$='/edit/'] button[type=submit]")
    page.wait_for_selector(".alert-info")

    assert page.locator(".alert-info").inner_text() == (
        "ระยะเวลา “๑-๒ วันทำการ” อ่านได้เป็น: 1–2 วันทำการ (แปลงแล้ว)"
    )
    step.refresh_from_db()
    assert (step.duration_text, step.duration_status) == ("๑-๒ วันทำการ", "parsed")
    page.screenshot(path="/tmp/krabuan-step-edit.png", full_page=True)
