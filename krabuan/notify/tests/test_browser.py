"""The inbox in a real browser: the badge shows the unread count, reading a message lowers it,
and following a message's link lands on its page."""

from __future__ import annotations

import os
import re

import pytest

from krabuan.notify.models import Channel, Notification
from krabuan.notify.services import notify
from krabuan.org.models import Role
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database calls the test makes while it is running.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="th-TH", viewport={"width": 1300, "height": 900})
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()


def test_reading_messages_in_the_browser(live_server, page):
    user = UserFactory(username="reader", first_name="ผู้อ่าน")
    membership_add(user=user, role=Role.OFFICER)
    for n in range(3):
        notify(
            user=user,
            subject=f"งานที่ {n} ใกล้ครบกำหนด",
            body=f"รายละเอียดงานที่ {n}",
            link="/org/preferences/",
            dedupe_key=f"browser-{n}",
        )

    page.goto(f"{live_server.url}/accounts/login/?next=/notifications/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/notifications/$"))

    assert page.locator("#notify-badge .badge").inner_text().startswith("3")
    assert page.locator("#inbox .notification-unread").count() == 3
    page.screenshot(path="/tmp/krabuan-inbox.png", full_page=True)

    page.locator("#inbox .list-group-item").first.get_by_role("button", name="อ่านแล้ว").click()
    page.wait_for_load_state()
    assert page.locator("#inbox .notification-unread").count() == 2
    assert page.locator("#notify-badge .badge").inner_text().startswith("2")

    page.click("text=งานที่ 1 ใกล้ครบกำหนด")
    page.wait_for_url(re.compile(r"/org/preferences/$"))
    assert page.locator("#notify-badge .badge").inner_text().startswith("1")

    page.goto(f"{live_server.url}/notifications/")
    page.click("#mark-all-read")
    page.wait_for_url(re.compile(r"/notifications/"))
    assert page.locator("#notify-badge .badge").count() == 0
    assert not Notification.objects.filter(
        user=user, channel=Channel.IN_APP, read_at__isnull=True
    ).exists()
