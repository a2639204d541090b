"""Running the manual in a real browser: an officer signs in, opens C01 in the manual, starts a
case of it from the form, completes steps 1 and 2, is stopped at step 3 by its control point,
confirms it, completes the step and sees it on time in the timeline — every action through
HTMX, without a page load."""

from __future__ import annotations

import re

import pytest

from krabuan.manual.models import Process
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Role
from krabuan.org.services.demo import demo_org_load
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add
from krabuan.workflow.models import Case, ControlConfirmation, StepInstance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def c01(transactional_db):  # type: ignore[no-untyped-def]
    demo_org_load()
    manual = manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual
    return Process.objects.get(manual=manual, code="C01")


@pytest.fixture
def officer_login(transactional_db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="officer.case", first_name="เจ้าหน้าที่ทดสอบ")
    membership_add(user=user, role=Role.OFFICER)
    return user


def _card(page, order: int):  # type: ignore[no-untyped-def]
    """The timeline card of the open (else the latest) pass of step `order`."""
    return page.locator(f"#timeline li.timeline-item[data-order='{order}']").last


def _complete(page, order: int) -> None:  # type: ignore[no-untyped-def]
    card = _card(page, order)
    card.locator("form.complete-form button[type=submit]").click()


def test_officer_runs_c01_through_its_control_point(live_server, page, c01, officer_login):
    page.goto(f"{live_server.url}/manual/processes/{c01.pk}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "officer.case")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/manual/processes/{c01.pk}/$"))

    # The process page loads its risk occurrences from the workflow app, and offers a new case.
    page.locator("#process-risks").wait_for()
    assert page.locator("#process-risks").inner_text() == (
        "ยังไม่มีการบันทึกความเสี่ยงที่เกิดขึ้นในเรื่องของกระบวนงานนี้"
    )
    page.click("#start-case")
    page.wait_for_url(re.compile(rf"/work/cases/new/\?process={c01.pk}$"))

    # The form comes with C01 chosen; the officer gives the case a title.
    assert page.locator("#id_process").input_value() == str(c01.pk)
    assert page.locator("#quantity-box").is_hidden()
    page.fill("#id_title", "ทบทวนแผนปฏิบัติการดิจิทัล ปี ๒๕๖๗")
    page.screenshot(path="/tmp/krabuan-case-new.png", full_page=True)
    page.click("#case-form button[type=submit]")
    page.wait_for_url(re.compile(r"/work/cases/\d+/$"))

    case = Case.objects.get()
    assert page.locator("h1").inner_text() == f"{case.reference} ทบทวนแผนปฏิบัติการดิจิทัล ปี ๒๕๖๗"
    assert page.locator(".alert-success").first.inner_text() == f"เริ่มเรื่อง {case.reference} แล้ว"
    assert page.locator("#timeline li.timeline-item").count() == 8
    assert _card(page, 1).get_attribute("data-status") == "active"

    for order in (1, 2):
        _complete(page, order)
        page.wait_for_selector(f"#timeline li[data-order='{order}'][data-status='done']")
        page.wait_for_selector(f"#timeline li[data-order='{order + 1}'][data-status='active']")
    assert _card(page, 2).locator(".step-timing").inner_text() == "ทันเวลา"

    # Step 3 cannot be completed before its control point is confirmed: a 409, shown in place.
    _complete(page, 3)
    missing = _card(page, 3).locator(".missing-controls li")
    missing.first.wait_for()
    assert [t.strip() for t in missing.all_inner_texts()] == ["แนวทางการแก้ไขที่สอดคล้องกับบริบทรอบข้าง"]
    assert _card(page, 3).get_attribute("data-status") == "active"
    page.screenshot(path="/tmp/krabuan-case-409.png", full_page=True)

    control = _card(page, 3).locator(".control-item[data-confirmed='0']")
    control.locator("textarea").fill("ตรวจแนวทางการแก้ไขกับบริบทแล้ว")
    control.locator("button[type=submit]").click()
    page.wait_for_selector("#timeline li[data-order='3'] .control-item[data-confirmed='1']")
    assert "ตรวจแนวทางการแก้ไขกับบริบทแล้ว" in _card(page, 3).locator(".control-item").inner_text()

    _complete(page, 3)
    page.wait_for_selector("#timeline li[data-order='3'][data-status='done']")
    timing = _card(page, 3).locator(".step-timing")
    assert timing.inner_text() == "ทันเวลา"
    assert _card(page, 4).get_attribute("data-status") == "active"
    assert page.locator("#flash").inner_text() == "บันทึกขั้นตอนที่ ๓ เสร็จแล้ว"
    # The audit trail followed every action.
    actions = page.locator("#audit tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.action)"
    )
    assert actions.count("step.complete") == 3
    assert actions.count("step.control.confirm") == 1
    page.screenshot(path="/tmp/krabuan-case-timeline.png", full_page=True)

    third = StepInstance.objects.get(case=case, order=3)
    assert (third.status, third.on_time) == ("done", True)
    assert ControlConfirmation.objects.get().note == "ตรวจแนวทางการแก้ไขกับบริบทแล้ว"

    # My work lists the open step 4 on time; the dashboard shows the process at 100%.
    page.goto(f"{live_server.url}/work/")
    assert page.locator("#work-table tbody tr").count() == 1
    assert page.locator("#work-table tbody tr").get_attribute("data-urgency") == "on_time"
    page.screenshot(path="/tmp/krabuan-my-work.png", full_page=True)
    page.goto(f"{live_server.url}/work/dashboard/")
    row = page.locator("#row-C01")
    assert row.locator(".kpi-pct").inner_text() == "100.0%"
    assert row.locator(".badge").inner_text() == "ถึงเป้าหมาย"
    assert page.locator("#kpi-chart rect.kpi-bar[data-meets='1']").count() == 1
    page.screenshot(path="/tmp/krabuan-dashboard.png", full_page=True)
    page.click("#row-C01 a")
    page.wait_for_url(re.compile(rf"/work/dashboard/process/{c01.pk}/"))
    assert page.locator("#review-table tbody tr").count() == 3
    page.screenshot(path="/tmp/krabuan-process-dashboard.png", full_page=True)

    page.goto(f"{live_server.url}/work/cases/?q=C01")
    assert page.locator("#result-count").inner_text() == "พบ 1 เรื่อง"
    page.screenshot(path="/tmp/krabuan-case-list.png", full_page=True)
