"""Writes of the notification outbox: queue messages, deliver them, mark them read, retry them.

The row is the source of truth. `notify` writes rows in the caller's transaction and asks the
worker to deliver after commit; the worker (and its once-a-minute sweep) claims each due row with
one conditional UPDATE, so two workers never send the same row, and a row left "sending" by a
worker that died is taken over once its lease has expired.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, NotFound, PermissionDenied, field_error
from krabuan.notify import channels
from krabuan.notify.models import Channel, Notification, Status
from krabuan.org.models import Preference, Role
from krabuan.org.permissions import has_role
from krabuan.org.services.users import LINE_USER_ID

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_CAP = dt.timedelta(hours=1)
DEDUPE_KEY_MAX = 200
LINE_TEST_KIND = "line_test"
_RETRY_AUDIT_FIELDS = ["status", "attempts", "next_attempt_at", "last_error"]


def backoff(attempts: int) -> dt.timedelta:
    """Wait 1, 2, 4, 8 … minutes after failed attempt 1, 2, 3, 4 …, never more than an hour."""
    exponent = min(max(attempts - 1, 0), 10)  # 2**10 minutes is far past the cap already
    return min(dt.timedelta(minutes=2**exponent), BACKOFF_CAP)


def language_of(user: Any) -> str:
    """The interface language the user chose (Thai when none), as the request middleware reads
    it: messages to them are written in it, whoever or whatever (a worker, another user's
    request) sends them."""
    preference = getattr(user, "preference", None)  # kept on the user after the first read
    language = getattr(preference, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_language_of(user: Any) -> Any:
    """A context in which gettext writes in the user's language (see language_of)."""
    return translation.override(language_of(user))


def _channels_for(user: Any) -> list[tuple[str, str]]:
    """(channel, address) pairs the user chose; no preference row means in-app and email."""
    preference = Preference.objects.filter(user=user).first()
    wants_in_app = preference.notify_in_app if preference else True
    wants_email = preference.notify_email if preference else True
    line_user_id = preference.line_user_id.strip() if preference else ""
    wants_line = bool(preference and preference.notify_line and line_user_id)
    chosen: list[tuple[str, str]] = []
    if wants_in_app:
        chosen.append((Channel.IN_APP, ""))
    # Without an address there is nothing to deliver to; such a channel is skipped, not failed.
    if wants_email and user.email:
        chosen.append((Channel.EMAIL, user.email))
    if wants_line:
        chosen.append((Channel.LINE, line_user_id))
    return chosen


def _queue_delivery() -> None:
    from krabuan.notify.tasks import deliver_task

    deliver_task()


def _queue_delivery_after_commit() -> None:
    # robust: if the queue is down the caller's request still succeeds; the sweep sends later.
    transaction.on_commit(_queue_delivery, robust=True)


def notify(
    *,
    user: Any,
    subject: str,
    body: str,
    link: str = "",
    dedupe_key: str,
    kind: str = "general",
) -> list[Notification]:
    """Queue a message to a user on every channel they chose; a repeated dedupe_key adds nothing.

    Rows are written in the caller's transaction (each insert in its own savepoint, so a
    duplicate never breaks the caller's transaction) and delivery is queued after commit.
    Returns the rows this call created. Inactive users are not notified.
    """
    if not dedupe_key:
        raise ValueError("notify: dedupe_key is required")
    if len(dedupe_key) > DEDUPE_KEY_MAX:
        raise ValueError(f"notify: dedupe_key longer than {DEDUPE_KEY_MAX} characters")
    if not user.is_active:
        return []
    clean_subject = " ".join(subject.split())[:255]  # a mail header cannot hold line breaks
    now = timezone.now()
    created: list[Notification] = []
    for channel, recipient in _channels_for(user):
        defaults: dict[str, Any] = {
            "recipient": recipient,
            "kind": kind[:50],
            "subject": clean_subject,
            "body": body,
            "link": link[:500],
        }
        if channel == Channel.IN_APP:
            # The inbox row is the delivery: it shows at once, worker or not.
            defaults.update(status=Status.SENT, sent_at=now)
        row, was_created = Notification.objects.get_or_create(
            user=user, channel=channel, dedupe_key=dedupe_key, defaults=defaults
        )
        if was_created:
            created.append(row)
    if any(row.channel != Channel.IN_APP for row in created):
        _queue_delivery_after_commit()
    return created


def _claimable(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now, attempts__lt=MAX_ATTEMPTS
    )


def notification_claim(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Take one due row for this worker; only the worker whose UPDATE matched the row may send."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(_claimable(now), pk=notification_id).update(
        status=Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    return claimed == 1


def due_ids(*, limit: int = 100, now: dt.datetime | None = None) -> list[int]:
    """Ids of rows due for delivery, oldest first (a worker still has to claim each one)."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _give_up_abandoned(now: dt.datetime) -> int:
    # A row whose every attempt ended in a dead worker would be retried forever otherwise.
    return Notification.objects.filter(
        status=Status.SENDING, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        lease_until=None,
        last_error=_("ผู้ส่งหยุดทำงานระหว่างส่งครบ %(n)s ครั้ง") % {"n": MAX_ATTEMPTS},
    )


def _send_claimed(*, notification_id: int, now: dt.datetime | None) -> bool:
    row = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        channels.send(row)
    except channels.DeliveryError as exc:
        _record_failure(row=row, error=exc.message, permanent=exc.permanent, now=now)
        return False
    except Exception as exc:  # an unexpected sender error must not stop the other rows
        logger.exception("notification %s: unexpected delivery error", notification_id)
        error = f"{exc.__class__.__name__}: {exc}"
        _record_failure(row=row, error=error, permanent=False, now=now)
        return False
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now or timezone.now(), lease_until=None, last_error=""
    )
    return True


def _record_failure(
    *, row: Notification, error: str, permanent: bool, now: dt.datetime | None
) -> None:
    now = now or timezone.now()
    error = error[:2000]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        changes: dict[str, Any] = {"status": Status.FAILED}
    else:
        changes = {"status": Status.PENDING, "next_attempt_at": now + backoff(row.attempts)}
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        lease_until=None, last_error=error, **changes
    )
    logger.warning(
        "notification %s (%s) attempt %s failed%s: %s",
        row.pk,
        row.channel,
        row.attempts,
        " permanently" if changes["status"] == Status.FAILED else "",
        error,
    )


def deliver_due(*, limit: int = 100, now: dt.datetime | None = None) -> int:
    """Deliver what is due (pending and due, or sending with an expired lease); returns how many
    were sent. Safe to run in several workers at once: each row is sent by the one that claims it.
    """
    _give_up_abandoned(now or timezone.now())
    sent = 0
    for notification_id in due_ids(limit=limit, now=now):
        # A fresh clock per row: a long batch must not hand out leases that already ran out.
        if notification_claim(notification_id=notification_id, now=now) and _send_claimed(
            notification_id=notification_id, now=now
        ):
            sent += 1
    return sent


def notification_deliver(*, notification_id: int) -> Notification:
    """Deliver one row now through the same claim as the worker (used by the LINE test page)."""
    if notification_claim(notification_id=notification_id):
        _send_claimed(notification_id=notification_id, now=None)
    return Notification.objects.get(pk=notification_id)


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's own inbox messages read; others' look missing."""
    from krabuan.notify.selectors import notification_get_for_user

    row = notification_get_for_user(user=user, notification_id=notification_id)
    if row.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now)
        row.read_at = now
    return row


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread inbox message of the user read; returns how many changed."""
    return Notification.objects.filter(
        user=user, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())


def _require_admin(actor: Any) -> None:
    if not has_role(actor, {Role.ADMIN}):
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้น"))


@transaction.atomic
def notification_retry(*, actor: Any, notification_id: int) -> Notification:
    """An administrator sends a failed row again, with a fresh count of attempts."""
    _require_admin(actor)
    row = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if row is None:
        raise NotFound(_("ไม่พบรายการแจ้งเตือน"))
    if row.status != Status.FAILED:
        raise Conflict(_("ส่งใหม่ได้เฉพาะรายการที่ส่งไม่สำเร็จ"))
    before = snapshot(row, _RETRY_AUDIT_FIELDS)
    row.status = Status.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.lease_until = None
    row.last_error = ""
    row.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until", "last_error"])
    audit_record(
        actor=actor,
        action="notification.retry",
        obj=row,
        changes=diff(before, snapshot(row, _RETRY_AUDIT_FIELDS)),
    )
    _queue_delivery_after_commit()
    return row


def line_test_send(*, actor: Any, line_user_id: str) -> Notification:
    """An administrator pushes a test message to a LINE user id through the normal delivery."""
    _require_admin(actor)
    line_user_id = (line_user_id or "").strip()
    if not LINE_USER_ID.match(line_user_id):
        raise field_error(
            "line_user_id",
            _("LINE user ID ไม่ถูกต้อง: ต้องขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว (0-9, a-f) รวม 33 ตัวอักษร"),
        )
    with transaction.atomic():
        row = Notification.objects.create(
            user=actor,
            channel=Channel.LINE,
            recipient=line_user_id,
            kind=LINE_TEST_KIND,
            subject=_("ทดสอบการแจ้งเตือนทาง LINE"),
            body=_("ข้อความทดสอบจากระบบกระบวน (Krabuan) หากได้รับข้อความนี้ แสดงว่าช่องทาง LINE ใช้งานได้"),
            dedupe_key=f"{LINE_TEST_KIND}:{uuid.uuid4()}",
        )
        audit_record(
            actor=actor,
            action="notification.line_test",
            obj=row,
            changes={"recipient": line_user_id},
        )
    return notification_deliver(notification_id=row.pk)
