"""The personal-data guard in a real browser: the report's progress bar polls with HTMX while a
scan runs and the page reloads with the findings when it ends; a data steward then records a
decision through the form and the blocker goes away."""

from __future__ import annotations

import re

import pytest

from krabuan.catalog.models import PersonalDataScan, ScanStatus
from krabuan.catalog.services import guard
from krabuan.catalog.tests.test_guard_services import ID_CSV, add_file, make_dataset
from krabuan.catalog.tests.ui_support import disk_storage  # noqa: F401
from krabuan.org.models import Role
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("disk_storage"),
]


def sign_in(page, live_server, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{next_url}")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_progress_then_findings_then_a_stewards_decision(live_server, page):  # type: ignore[no-untyped-def]
    officer = UserFactory(username="guard.officer")
    membership_add(user=officer, role=Role.OFFICER)
    head = UserFactory(username="guard.head")
    membership_add(user=head, role=Role.GROUP_HEAD)
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV, name="ทะเบียนแปลง")
    scan = resource.scans.get()
    # As if the worker were half-way through a large file.
    PersonalDataScan.objects.filter(pk=scan.pk).update(
        status=ScanStatus.RUNNING, progress=40, findings=[]
    )
    url = f"/catalog/guard/resources/{resource.pk}/"

    sign_in(page, live_server, "guard.officer", url)
    assert page.locator("#scan-progress").inner_text() == "40%"
    assert page.locator("#findings").count() == 0

    PersonalDataScan.objects.filter(pk=scan.pk).update(
        status=ScanStatus.FINDINGS, progress=100, findings=scan.findings
    )
    page.locator("#findings").wait_for()  # the poll saw the end and reloaded the page
    assert "1-1017-xxxxx-xx-x" in page.locator("#findings").inner_text()
    assert page.locator("#scan-blocker").is_visible()
    assert page.locator("#decision-form").count() == 0
    page.screenshot(path="/tmp/krabuan-guard-report.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "guard.head", url)
    page.check("input[name=kind][value=justify]")
    page.click("#decide-submit")  # no note: refused in Thai, nothing saved
    assert "กรุณาระบุเหตุผลของการตัดสินใจ" in page.locator("#decision-form").inner_text()
    assert not hasattr(PersonalDataScan.objects.get(pk=scan.pk), "decision")

    page.check("input[name=kind][value=justify]")
    page.fill("textarea[name=note]", "เป็นเลขทะเบียนแปลงของสหกรณ์ ไม่ใช่เลขบุคคล")
    page.click("#decide-submit")
    page.locator("#decision-note").wait_for()
    assert page.locator("#decision-kind").inner_text() == "เผยแพร่ได้ พร้อมเหตุผล"
    assert page.locator("#scan-clear").is_visible()
    assert guard.publish_blockers(dataset) == []
