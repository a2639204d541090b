"""The inbox (everyone), the navbar badge, and the administrators' outbox and LINE pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krabuan.core.models import AuditEntry
from krabuan.notify.models import Channel, Notification, Status
from krabuan.notify.services import notify
from krabuan.notify.tests.conftest import LINE_TOKEN, LINE_USER
from krabuan.org.models import Preference
from krabuan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


def _inbox_rows(user, count, *, start=0, link="/manual/"):
    for n in range(start, start + count):
        notify(
            user=user, subject=f"เรื่องที่ {n}", body=f"รายละเอียด {n}", link=link, dedupe_key=f"k{n}"
        )
    return list(Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by("id"))


def _row(user, *, channel=Channel.EMAIL, status=Status.PENDING, key="k", **extra):
    return Notification.objects.create(
        user=user,
        channel=channel,
        recipient=user.email,
        subject=f"เรื่อง {key}",
        dedupe_key=key,
        status=status,
        **extra,
    )


# --- inbox ------------------------------------------------------------------------------------


def test_the_inbox_lists_my_messages_newest_first_with_unread_highlighted(client, officer):
    other = UserFactory(username="other")
    with time_machine.travel(dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC), tick=False):
        rows = _inbox_rows(officer, 3)
    _inbox_rows(other, 1, start=10)
    Notification.objects.filter(pk=rows[0].pk).update(read_at=rows[0].created_at)
    client.force_login(officer)

    response = client.get(INBOX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("เรื่องที่ 2") < html.index("เรื่องที่ 1") < html.index("เรื่องที่ 0")
    assert "เรื่องที่ 10" not in html
    assert html.count("notification-unread") == 2
    assert "21 พ.ย. 69 10:00 น." in html  # Bangkok time, Buddhist-era year
    assert 'id="mark-all-read"' in html


def test_the_navbar_badge_counts_my_unread_messages(client, officer):
    _inbox_rows(officer, 3)
    client.force_login(officer)

    response = client.get("/notifications/badge/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="notify-badge"' in html
    assert 'text-bg-danger">3<' in html


def test_the_badge_is_on_every_page_and_shows_no_count_when_all_is_read(client, officer):
    client.force_login(officer)

    html = client.get(reverse("org:preferences")).content.decode()

    assert 'id="notify-badge"' in html
    assert "รายการที่ยังไม่อ่าน" not in html


def test_the_inbox_uses_the_same_number_of_queries_for_3_and_25_messages(client, officer):
    client.force_login(officer)
    _inbox_rows(officer, 3)
    client.get(INBOX)  # warm the session

    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    _inbox_rows(officer, 22, start=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(INBOX).status_code == 200

    assert len(many) == len(few)


def test_the_inbox_pages_by_20(client, officer):
    _inbox_rows(officer, 25)
    client.force_login(officer)

    first = client.get(INBOX).content.decode()
    second = client.get(INBOX + "?page=2").content.decode()

    assert "เรื่องที่ 24<" in first and "เรื่องที่ 5<" in first and "เรื่องที่ 4<" not in first
    assert "หน้า 1 จาก 2" in first
    assert "เรื่องที่ 4<" in second and "เรื่องที่ 0<" in second
    assert "เรื่องที่ 5<" not in second


def test_mark_one_read(client, officer):
    rows = _inbox_rows(officer, 2)
    client.force_login(officer)

    response = client.post(f"/notifications/{rows[0].pk}/read/", {"page": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    rows[0].refresh_from_db()
    rows[1].refresh_from_db()
    assert rows[0].read_at is not None
    assert rows[1].read_at is None


def test_marking_someone_elses_message_is_not_found_and_changes_nothing(client, officer):
    other = UserFactory(username="other")
    theirs = _inbox_rows(other, 1)[0]
    client.force_login(officer)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_email_row_is_not_in_the_inbox(client, mail_user):
    notify(user=mail_user, subject="ทางอีเมล", body="", dedupe_key="e")
    email_row = Notification.objects.get(channel=Channel.EMAIL)
    client.force_login(mail_user)

    assert client.post(f"/notifications/{email_row.pk}/read/").status_code == 404
    assert client.get(INBOX).content.decode().count("ทางอีเมล") == 1


def test_mark_all_read(client, officer):
    _inbox_rows(officer, 3)
    other = UserFactory(username="other")
    _inbox_rows(other, 1, start=5)
    client.force_login(officer)

    response = client.post("/notifications/read-all/")

    assert response.status_code == 302
    inbox = Notification.objects.filter(channel=Channel.IN_APP)
    assert not inbox.filter(user=officer, read_at__isnull=True).exists()
    assert inbox.filter(user=other, read_at__isnull=True).count() == 1
    assert "ทำเครื่องหมายว่าอ่านแล้ว 3 รายการ" in client.get(INBOX).content.decode()


def test_marking_needs_post(client, officer):
    row = _inbox_rows(officer, 1)[0]
    client.force_login(officer)

    assert client.get(f"/notifications/{row.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405


def test_opening_a_message_marks_it_read_and_goes_to_its_link(client, officer):
    row = _inbox_rows(officer, 1, link="/manual/?fiscal_year=2567")[0]
    client.force_login(officer)

    response = client.get(f"/notifications/{row.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/manual/?fiscal_year=2567"
    row.refresh_from_db()
    assert row.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, officer):
    row = _inbox_rows(officer, 1, link="https://evil.example/phish")[0]
    client.force_login(officer)

    response = client.get(f"/notifications/{row.pk}/open/")

    assert response["Location"] == "/notifications/"


def test_the_inbox_needs_sign_in(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- administrators only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/notifications/outbox/"),
        ("get", "/notifications/outbox/?format=csv"),
        ("get", "/notifications/line/"),
        ("post", "/notifications/line/"),
    ],
)
def test_admin_pages_are_403_for_officers(client, officer, method, url):
    client.force_login(officer)

    response = getattr(client, method)(url, {"line_user_id": LINE_USER} if method == "post" else {})

    assert response.status_code == 403
    assert Notification.objects.count() == 0


def test_an_officer_cannot_retry_a_failed_row(client, officer, mail_user):
    row = _row(mail_user, status=Status.FAILED, attempts=8, last_error="boom")
    client.force_login(officer)

    response = client.post(f"/notifications/outbox/{row.pk}/retry/")

    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.FAILED, 8, "boom")
    assert not AuditEntry.objects.exists()


def test_the_outbox_filters_by_status_and_channel(client, admin_user, mail_user):
    _row(mail_user, key="a", status=Status.FAILED)
    _row(mail_user, key="b", status=Status.SENT)
    _row(mail_user, key="c", channel=Channel.LINE, status=Status.FAILED)
    client.force_login(admin_user)

    failed = client.get("/notifications/outbox/?status=failed").content.decode()
    failed_email = client.get("/notifications/outbox/?status=failed&channel=email").content.decode()
    everything = client.get("/notifications/outbox/?status=nonsense").content.decode()

    assert "เรื่อง a" in failed and "เรื่อง c" in failed and "เรื่อง b" not in failed
    assert "เรื่อง a" in failed_email and "เรื่อง c" not in failed_email
    assert all(f"เรื่อง {k}" in everything for k in "abc")


def test_the_outbox_exports_csv(client, admin_user, mail_user):
    _row(mail_user, key="a", status=Status.FAILED, attempts=8, last_error="=cmd()")
    _row(mail_user, key="b", status=Status.SENT)
    client.force_login(admin_user)

    response = client.get("/notifications/outbox/?status=failed&format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["รหัส", "สร้างเมื่อ", "ผู้รับ", "ช่องทาง"]
    assert len(rows) == 2
    assert rows[1][2:9] == [
        "somsri",
        "อีเมล",
        "somsri@ict.example.go.th",
        "general",
        "เรื่อง a",
        "ส่งไม่สำเร็จ",
        "8",
    ]
    assert rows[1][12] == "'=cmd()"  # not run as a spreadsheet formula


def test_the_outbox_query_count_does_not_grow_with_rows(client, admin_user):
    client.force_login(admin_user)
    users = [UserFactory(username=f"p{n}") for n in range(12)]
    _row(users[0], key="first")
    client.get("/notifications/outbox/")

    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/outbox/")
    for n, user in enumerate(users[1:]):
        _row(user, key=f"k{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/outbox/")

    assert len(many) == len(few)


def test_an_admin_retries_a_failed_row(client, admin_user, mail_user):
    row = _row(mail_user, status=Status.FAILED, attempts=8, last_error="LINE ตอบรหัส 400")
    client.force_login(admin_user)

    response = client.post(
        f"/notifications/outbox/{row.pk}/retry/", {"next": "/notifications/outbox/?status=failed"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/notifications/outbox/?status=failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 0, "")
    entry = AuditEntry.objects.get()
    assert entry.action == "notification.retry"
    assert entry.actor == admin_user
    assert entry.changes["status"] == ["failed", "pending"]


def test_only_a_failed_row_can_be_retried(client, admin_user, mail_user):
    row = _row(mail_user, status=Status.SENT, attempts=1)
    client.force_login(admin_user)

    client.post(f"/notifications/outbox/{row.pk}/retry/")

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert "ส่งใหม่ได้เฉพาะรายการที่ส่งไม่สำเร็จ" in client.get("/notifications/outbox/").content.decode()
    assert client.post("/notifications/outbox/999999/retry/").status_code == 404


def test_a_retried_row_is_delivered(
    client, admin_user, mail_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    row = _row(mail_user, status=Status.FAILED, attempts=8)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/outbox/{row.pk}/retry/")

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert [m.to for m in mail.outbox] == [["somsri@ict.example.go.th"]]


# --- LINE channel page ------------------------------------------------------------------------


def test_the_line_page_says_the_token_is_set_without_showing_it(client, admin_user, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = LINE_TOKEN
    settings.LINE_API_BASE = "https://api.line.me"
    user = UserFactory(username="linked")
    Preference.objects.create(user=user, notify_line=True, line_user_id=LINE_USER)
    client.force_login(admin_user)

    html = client.get("/notifications/line/").content.decode()

    assert LINE_TOKEN not in html
    assert "ตั้งค่าแล้ว" in html
    assert '<code id="line-api-base">https://api.line.me</code>' in html
    assert "1 คน" in html


def test_the_line_page_says_when_the_token_is_missing(client, admin_user, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    client.force_login(admin_user)

    html = client.get("/notifications/line/").content.decode()

    assert "ยังไม่ได้ตั้งค่า" in html


def test_a_test_message_goes_to_the_line_endpoint(client, admin_user, line_server):
    client.force_login(admin_user)

    response = client.post("/notifications/line/", {"line_user_id": LINE_USER})

    assert response.status_code == 302
    assert [r["json"]["to"] for r in line_server.requests] == [LINE_USER]
    assert line_server.requests[0]["json"]["messages"][0]["text"].startswith(
        "ทดสอบการแจ้งเตือนทาง LINE\n"
    )
    row = Notification.objects.get()
    assert (row.channel, row.status, row.user, row.kind) == (
        Channel.LINE,
        Status.SENT,
        admin_user,
        "line_test",
    )
    assert AuditEntry.objects.get().action == "notification.line_test"
    assert "ส่งข้อความทดสอบทาง LINE แล้ว" in client.get("/notifications/line/").content.decode()


def test_a_refused_test_message_shows_lines_answer(client, admin_user, line_server):
    line_server.responses.append((400, {"message": "Failed to send messages"}))
    client.force_login(admin_user)

    client.post("/notifications/line/", {"line_user_id": LINE_USER})

    assert (
        "ส่งข้อความทดสอบไม่สำเร็จ: LINE ตอบรหัส 400: Failed to send messages"
        in client.get("/notifications/line/").content.decode()
    )
    assert Notification.objects.get().status == Status.FAILED


def test_a_test_message_without_a_token_says_so(client, admin_user, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    client.force_login(admin_user)

    client.post("/notifications/line/", {"line_user_id": LINE_USER})

    assert "ยังไม่ได้ตั้งค่า LINE channel" in client.get("/notifications/line/").content.decode()


@pytest.mark.parametrize("value", ["", "U123", "@somchai", "U" + "g" * 32])
def test_a_bad_line_user_id_is_refused_naming_the_field(client, admin_user, line_server, value):
    client.force_login(admin_user)

    response = client.post("/notifications/line/", {"line_user_id": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert "LINE user ID" in html
    assert ("กรุณากรอกLINE user ID ผู้รับ" in html) if not value else ("LINE user ID ไม่ถูกต้อง" in html)
    assert Notification.objects.count() == 0
    assert line_server.requests == []


# --- English ----------------------------------------------------------------------------------


@pytest.fixture
def notify_catalogue():
    """The app's .mo is not committed: compile it when it is missing or older than the .po."""
    import contextlib
    from pathlib import Path

    from django.core.management import call_command
    from django.utils.translation.reloader import translation_file_changed

    app = Path(__file__).resolve().parent.parent
    po = app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with contextlib.chdir(app):  # compilemessages walks the working directory
            call_command("compilemessages", locale=["en"], verbosity=0)
        translation_file_changed(sender=None, file_path=mo)


def test_an_english_user_sees_the_inbox_in_english(client, officer, notify_catalogue):
    Preference.objects.create(user=officer, language="en")
    _inbox_rows(officer, 2)
    client.force_login(officer)

    html = client.get(INBOX).content.decode()

    assert "<title>Notifications · Krabuan</title>" in html
    assert "Mark all read" in html
    assert "2 in all, 2 unread" in html
    assert "อ่านทั้งหมดแล้ว" not in html
