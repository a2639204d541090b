"""Delivery by the worker: a real SMTP server and a fake LINE endpoint receive the messages;
retries with backoff, permanent failures, two workers, and a worker that dies mid-send."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from krabuan.notify import channels, services
from krabuan.notify.models import Channel, Notification, Status
from krabuan.notify.services import deliver_due, notify
from krabuan.notify.tasks import deliver_periodic, deliver_task
from krabuan.notify.tests.conftest import LINE_TOKEN, LINE_USER, free_port, mail_text
from krabuan.org.models import Preference
from krabuan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _line_row(user, key="k1"):
    notify(
        user=user,
        subject="คำร้องใหม่",
        body="มีคำร้องขอใช้บริการรอรับเรื่อง",
        link="/work/cases/7/",
        dedupe_key=key,
    )
    return Notification.objects.get(user=user, channel=Channel.LINE, dedupe_key=key)


def _reload(row):
    return Notification.objects.get(pk=row.pk)


# --- email through a real SMTP server ---------------------------------------------------------


def test_the_smtp_server_receives_the_email_with_the_thai_subject(
    smtp_server, mail_user, settings, django_capture_on_commit_callbacks
):
    settings.KRABUAN_SITE_URL = "https://krabuan.ict.example.go.th"

    # Committing the caller's transaction queues the worker task (immediate in tests).
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=mail_user,
            subject="แจ้งเตือน: ขั้นตอนเกินกำหนด ๒ วัน",
            body="กรุณาดำเนินการขั้นตอน ตรวจสอบความถูกต้อง",
            link="/work/cases/12/",
            dedupe_key="case-12:late",
        )

    row = Notification.objects.get(user=mail_user, channel=Channel.EMAIL)
    assert row.status == Status.SENT
    assert row.attempts == 1
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["somsri@ict.example.go.th"]
    assert envelope.mail_from == "krabuan@ict.example.go.th"
    assert smtp_server.subjects == ["แจ้งเตือน: ขั้นตอนเกินกำหนด ๒ วัน"]
    message = smtp_server.messages[0]
    assert message["Message-ID"] == f"<krabuan-notification-{row.pk}@ict.example.go.th>"
    text = mail_text(message)
    assert "กรุณาดำเนินการขั้นตอน ตรวจสอบความถูกต้อง" in text
    assert "https://krabuan.ict.example.go.th/work/cases/12/" in text
    assert "https://krabuan.ict.example.go.th/org/preferences/" in text


def test_the_email_footer_is_in_the_recipients_language(
    smtp_server, mail_user, django_capture_on_commit_callbacks
):
    Preference.objects.update_or_create(user=mail_user, defaults={"language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=mail_user, subject="Step overdue", body="Please act", dedupe_key="en-1")
    text = mail_text(smtp_server.messages[0])
    assert "This email was sent automatically by Krabuan" in text
    assert "อีเมลนี้ส่งอัตโนมัติ" not in text


def test_a_mail_server_that_is_down_is_retried(mail_user, settings, clock):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 5
    notify(user=mail_user, subject="ทดสอบ", body="", dedupe_key="down")

    assert deliver_due() == 0

    row = Notification.objects.get(user=mail_user, channel=Channel.EMAIL)
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == START + MINUTE
    assert row.last_error.startswith("ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้")


def test_a_recipient_refused_by_the_mail_server_fails_permanently(smtp_server, mail_user):
    smtp_server.refuse.add("somsri@ict.example.go.th")
    notify(user=mail_user, subject="ทดสอบ", body="", dedupe_key="refused")

    assert deliver_due() == 0

    row = Notification.objects.get(user=mail_user, channel=Channel.EMAIL)
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert "somsri@ict.example.go.th" in row.last_error
    assert "550" in row.last_error
    assert smtp_server.envelopes == []


# --- LINE through the fake endpoint -----------------------------------------------------------


def test_the_line_endpoint_receives_the_push(line_server, line_user, settings):
    settings.KRABUAN_SITE_URL = "https://krabuan.ict.example.go.th"
    row = _line_row(line_user)

    assert deliver_due() == 1

    assert len(line_server.requests) == 1
    request = line_server.requests[0]
    assert request["path"] == "/v2/bot/message/push"
    assert request["headers"]["authorization"] == f"Bearer {LINE_TOKEN}"
    assert request["headers"]["x-line-retry-key"] == channels.line_retry_key(row)
    assert request["json"] == {
        "to": LINE_USER,
        "messages": [
            {
                "type": "text",
                "text": "คำร้องใหม่\nมีคำร้องขอใช้บริการรอรับเรื่อง\n"
                "https://krabuan.ict.example.go.th/work/cases/7/",
            }
        ],
    }
    row = _reload(row)
    assert row.status == Status.SENT
    assert row.lease_until is None
    assert row.last_error == ""


def test_the_retry_key_is_a_uuid_fixed_per_row():
    row = Notification(pk=41, created_at=START)
    same = Notification(pk=41, created_at=START)
    other = Notification(pk=42, created_at=START)

    key = channels.line_retry_key(row)

    assert key == channels.line_retry_key(same)
    assert key != channels.line_retry_key(other)
    assert len(key) == 36
    assert key[14] == "5"  # a version-5 UUID


def test_a_long_line_text_is_cut_to_5000_characters_keeping_the_link(settings):
    settings.KRABUAN_SITE_URL = "https://k.example"
    row = Notification(subject="เรื่อง", body="ข" * 6000, link="/work/cases/1/")

    text = channels.line_text(row)

    assert len(text) == 5000
    assert text.endswith("…\nhttps://k.example/work/cases/1/")


def test_a_500_from_line_is_retried_with_backoff(line_server, line_user, clock):
    line_server.responses.append((500, {"message": "Internal error"}))
    row = _line_row(line_user)

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == START + MINUTE
    assert row.lease_until is None
    assert row.last_error == "LINE ตอบรหัส 500: Internal error"

    # Not due yet: nothing is sent and no request goes out.
    clock.move_to(START + dt.timedelta(seconds=59))
    assert deliver_due() == 0
    assert len(line_server.requests) == 1

    clock.move_to(START + MINUTE)
    assert deliver_due() == 1
    row = _reload(row)
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert row.sent_at == START + MINUTE
    assert len(line_server.requests) == 2
    keys = {r["headers"]["x-line-retry-key"] for r in line_server.requests}
    assert keys == {channels.line_retry_key(row)}


def test_backoff_doubles_to_an_hour_and_gives_up_after_8_attempts(line_server, line_user, clock):
    line_server.always = (503, {"message": "Service unavailable"})
    row = _line_row(line_user)
    waits = []
    now = START

    for _attempt in range(8):
        assert deliver_due() == 0
        row = _reload(row)
        if row.status == Status.PENDING:
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
            clock.move_to(now)

    assert [w / MINUTE for w in waits] == [1, 2, 4, 8, 16, 32, 60]
    assert row.status == Status.FAILED
    assert row.attempts == 8
    assert len(line_server.requests) == 8
    clock.move_to(now + dt.timedelta(days=1))
    assert deliver_due() == 0
    assert len(line_server.requests) == 8


def test_backoff_values():
    assert [services.backoff(n) / MINUTE for n in range(1, 10)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
        60,
    ]


def test_a_429_from_line_is_retried(line_server, line_user, clock):
    line_server.responses.append((429, {"message": "Too many requests"}))
    row = _line_row(line_user)

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.PENDING
    assert row.last_error == "LINE ตอบรหัส 429: Too many requests"


def test_a_400_from_line_fails_permanently(line_server, line_user, clock):
    line_server.responses.append(
        (400, {"message": "The property, 'to', in the request body is invalid"})
    )
    row = _line_row(line_user)

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert row.lease_until is None
    assert row.last_error == ("LINE ตอบรหัส 400: The property, 'to', in the request body is invalid")
    clock.move_to(START + dt.timedelta(hours=2))
    assert deliver_due() == 0
    assert len(line_server.requests) == 1


def test_without_a_channel_token_line_rows_fail_with_a_clear_error(
    line_server, line_user, settings
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    row = _line_row(line_user)

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.FAILED
    assert row.last_error.startswith("ยังไม่ได้ตั้งค่า LINE channel")
    assert line_server.requests == []


def test_an_unreachable_line_endpoint_is_retried(line_user, settings, clock):
    settings.LINE_CHANNEL_ACCESS_TOKEN = LINE_TOKEN
    settings.LINE_API_BASE = f"http://127.0.0.1:{free_port()}"
    row = _line_row(line_user)

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.PENDING
    assert row.next_attempt_at == START + MINUTE
    assert row.last_error.startswith("ติดต่อ LINE ไม่ได้")


def test_the_limit_bounds_one_run_oldest_first(line_server, clock):
    users = [UserFactory(username=f"u{n}", email=f"u{n}@example.org") for n in range(3)]
    for n, user in enumerate(users):
        clock.move_to(START + n * MINUTE)
        notify(user=user, subject=f"ข้อความ {n}", body="", dedupe_key="batch")

    assert deliver_due(limit=2, now=START + 5 * MINUTE) == 2

    sent = Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENT)
    assert sorted(sent.values_list("user__username", flat=True)) == ["u0", "u1"]


def test_the_worker_task_and_the_periodic_sweep_deliver_due_rows(mail_user):
    from django.core import mail

    notify(user=mail_user, subject="หนึ่ง", body="", dedupe_key="one")
    deliver_task()
    notify(user=mail_user, subject="สอง", body="", dedupe_key="two")
    deliver_periodic()

    assert [m.subject for m in mail.outbox] == ["หนึ่ง", "สอง"]
    assert not Notification.objects.exclude(status=Status.SENT).exists()


# --- two workers ------------------------------------------------------------------------------


def _line_rows(count):
    rows = []
    for n in range(count):
        user = UserFactory(username=f"line{n}", email="")
        Preference.objects.create(
            user=user, notify_in_app=False, notify_line=True, line_user_id="U" + f"{n:x}" * 32
        )
        notify(user=user, subject=f"ข้อความ {n}", body="", dedupe_key="same-event")
        rows.append(Notification.objects.get(user=user, channel=Channel.LINE))
    return rows


def test_a_row_claimed_by_one_worker_cannot_be_claimed_by_another(line_server):
    rows = _line_rows(3)
    worker_a_ids = services.due_ids()  # worker A has read the due rows ...

    assert deliver_due() == 3  # ... worker B claims and sends them all first ...

    # ... so every claim of worker A matches nothing and A sends nothing.
    assert [services.notification_claim(notification_id=i) for i in worker_a_ids] == [False] * 3
    assert sorted(worker_a_ids) == sorted(r.pk for r in rows)
    assert len(line_server.requests) == 3


def test_two_workers_running_together_send_each_message_exactly_once(line_server, monkeypatch):
    rows = _line_rows(4)
    real_send = channels.send
    sends = []
    worker_b_sent = []

    def send_as_worker(notification):
        sends.append(notification.pk)
        if len(sends) == 1:
            # Worker A is in the middle of its first send: worker B runs a whole pass now.
            worker_b_sent.append(deliver_due())
        real_send(notification)

    monkeypatch.setattr(channels, "send", send_as_worker)

    worker_a_sent = deliver_due()

    assert worker_a_sent == 1
    assert worker_b_sent == [3]
    assert sorted(sends) == sorted(r.pk for r in rows)  # each row sent once, by one worker
    recipients = sorted(r["json"]["to"] for r in line_server.requests)
    assert recipients == sorted(r.recipient for r in rows)
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


# --- a worker that dies -----------------------------------------------------------------------


class WorkerKilled(BaseException):
    """Stands for the process being killed: nothing in the worker gets to handle it."""


def test_a_row_left_sending_by_a_dead_worker_is_delivered_after_the_lease(
    line_server, line_user, clock
):
    row = _line_row(line_user)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, attempts=1, lease_until=START - dt.timedelta(seconds=1)
    )

    assert deliver_due() == 1

    row = _reload(row)
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert len(line_server.delivered) == 1


def test_a_row_under_a_live_lease_is_left_to_its_worker(line_server, line_user, clock):
    row = _line_row(line_user)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, attempts=1, lease_until=START + dt.timedelta(seconds=1)
    )

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.SENDING
    assert row.attempts == 1
    assert line_server.requests == []


def test_a_crash_after_the_push_left_is_not_a_second_message(
    line_server, line_user, clock, monkeypatch
):
    row = _line_row(line_user)
    real_send = channels.send

    def push_then_die(notification):
        real_send(notification)
        raise WorkerKilled

    monkeypatch.setattr(channels, "send", push_then_die)
    with pytest.raises(WorkerKilled):
        deliver_due()
    monkeypatch.setattr(channels, "send", real_send)

    # The restarted worker leaves the row alone while the dead worker's lease runs ...
    assert _reload(row).status == Status.SENDING
    clock.move_to(START + dt.timedelta(minutes=4, seconds=59))
    assert deliver_due() == 0
    # ... then takes it over and pushes again with the same retry key, which LINE accepts once.
    clock.move_to(START + dt.timedelta(minutes=5, seconds=1))
    assert deliver_due() == 1

    row = _reload(row)
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert len(line_server.requests) == 2
    assert [r["headers"]["x-line-retry-key"] for r in line_server.requests] == [
        channels.line_retry_key(row)
    ] * 2
    assert len(line_server.delivered) == 1


def test_a_crash_before_sending_is_delivered_after_restart(
    smtp_server, mail_user, clock, monkeypatch
):
    notify(user=mail_user, subject="ทดสอบหลังเริ่มใหม่", body="", dedupe_key="restart")

    def die(notification):
        raise WorkerKilled

    monkeypatch.setattr(channels, "send", die)
    with pytest.raises(WorkerKilled):
        deliver_due()
    monkeypatch.undo()

    clock.move_to(START + dt.timedelta(minutes=6))
    deliver_periodic()  # the once-a-minute sweep of the restarted worker
    assert smtp_server.subjects == ["ทดสอบหลังเริ่มใหม่"]


def test_a_row_whose_every_attempt_died_is_given_up(line_server, line_user, clock):
    row = _line_row(line_user)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, attempts=8, lease_until=START - dt.timedelta(seconds=1)
    )

    assert deliver_due() == 0

    row = _reload(row)
    assert row.status == Status.FAILED
    assert row.lease_until is None
    assert row.last_error == "ผู้ส่งหยุดทำงานระหว่างส่งครบ 8 ครั้ง"
    assert line_server.requests == []


def test_an_unexpected_sender_error_is_retried_and_the_batch_goes_on(
    smtp_server, mail_user, line_user, monkeypatch, clock
):
    notify(user=mail_user, subject="ถึงสมศรี", body="", dedupe_key="x")
    notify(user=line_user, subject="ถึงสมชาย", body="", dedupe_key="x")
    real_send = channels.send

    def line_breaks(notification):
        if notification.channel == Channel.LINE:
            raise RuntimeError("unexpected")
        real_send(notification)

    monkeypatch.setattr(channels, "send", line_breaks)

    assert deliver_due() == 1

    line_row = Notification.objects.get(channel=Channel.LINE)
    assert line_row.status == Status.PENDING
    assert line_row.last_error == "RuntimeError: unexpected"
    assert smtp_server.subjects == ["ถึงสมศรี"]
