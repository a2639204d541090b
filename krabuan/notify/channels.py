"""Senders for each delivery channel. They raise DeliveryError; the services decide what next.

A sender only talks to the outside world (SMTP, the LINE Messaging API); it never writes rows.
"""

from __future__ import annotations

import smtplib
import uuid
from email.utils import parseaddr

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from krabuan.notify.models import Channel, Notification

LINE_TEXT_LIMIT = 5000  # the Messaging API refuses longer text messages
LINE_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Fixed namespace, so the retry key of a row is the same in every worker and after a restart.
RETRY_KEY_NAMESPACE = uuid.UUID("5b0f7c1e-7d43-4c1a-9a55-6b7e3f0d2a10")


class DeliveryError(Exception):
    """A failed send; `permanent` ones are not retried (bad address, refused by the service)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def absolute_link(link: str) -> str:
    """A site path made absolute for messages read outside the site (mail, LINE)."""
    if link.startswith("/"):
        return f"{settings.KRABUAN_SITE_URL}{link}"
    return link


def line_retry_key(notification: Notification) -> str:
    """The same UUID on every attempt of one row, so LINE accepts a resent push only once.

    The creation time is part of the name so that a row id reused after a database reset does
    not collide with a key LINE still remembers (it keeps them for 24 hours).
    """
    name = f"krabuan-notification:{notification.pk}:{notification.created_at.isoformat()}"
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, name))


def line_text(notification: Notification) -> str:
    """Subject, body and link in one text message, cut to LINE's limit with the link kept."""
    tail = f"\n{absolute_link(notification.link)}" if notification.link else ""
    head = f"{notification.subject}\n{notification.body}".rstrip()
    room = LINE_TEXT_LIMIT - len(tail)
    if len(head) > room:
        head = head[: room - 1] + "…"
    return head + tail


def send(notification: Notification) -> None:
    """Deliver one row on its channel; in-app rows are delivered by existing."""
    if notification.channel == Channel.EMAIL:
        send_email(notification)
    elif notification.channel == Channel.LINE:
        send_line(notification)
    elif notification.channel != Channel.IN_APP:
        raise DeliveryError(
            _("ไม่รู้จักช่องทาง %(channel)s") % {"channel": notification.channel}, permanent=True
        )


def _email_text(notification: Notification) -> str:
    from krabuan.notify.services import in_language_of

    parts = [notification.body.rstrip()]
    if notification.link:
        parts.append(absolute_link(notification.link))
    preferences = absolute_link(reverse("org:preferences"))
    with in_language_of(notification.user):  # the footer in the recipient's language
        footer = _("อีเมลนี้ส่งอัตโนมัติจากระบบกระบวน (Krabuan) เปลี่ยนช่องทางการแจ้งเตือนได้ที่ %(url)s") % {
            "url": preferences
        }
    parts.append("--\n" + footer)
    return "\n\n".join(p for p in parts if p)


def _message_id(notification: Notification) -> str:
    # A fixed Message-ID lets mail servers and clients drop a copy resent after a worker crash.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<krabuan-notification-{notification.pk}@{domain}>"


def send_email(notification: Notification) -> None:
    """Send through the configured mail backend (SMTP in production)."""
    if not notification.recipient:
        raise DeliveryError(_("ผู้รับไม่มีที่อยู่อีเมล"), permanent=True)
    message = EmailMessage(
        subject=notification.subject,
        body=_email_text(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": _message_id(notification)},
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        raise DeliveryError(
            _("เซิร์ฟเวอร์อีเมลปฏิเสธผู้รับ %(address)s (รหัส %(codes)s)")
            % {"address": notification.recipient, "codes": ", ".join(map(str, codes))},
            permanent=all(code >= 500 for code in codes),
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raw = exc.smtp_error
        detail = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
        raise DeliveryError(
            _("เซิร์ฟเวอร์อีเมลตอบรหัส %(code)s: %(detail)s")
            % {"code": exc.smtp_code, "detail": detail},
            permanent=exc.smtp_code >= 500,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(
            _("ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้: %(error)s") % {"error": str(exc) or exc.__class__.__name__}
        ) from exc


def _line_error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, dict):
        return str(data.get("message", ""))[:300]
    return ""


def send_line(notification: Notification) -> None:
    """Push a text message to one LINE user through the Messaging API."""
    token = settings.LINE_CHANNEL_ACCESS_TOKEN
    if not token:
        raise DeliveryError(
            _("ยังไม่ได้ตั้งค่า LINE channel (ตัวแปร LINE_CHANNEL_ACCESS_TOKEN)"), permanent=True
        )
    if not notification.recipient:
        raise DeliveryError(_("ผู้รับยังไม่ได้ผูก LINE user ID"), permanent=True)
    url = f"{settings.LINE_API_BASE.rstrip('/')}/v2/bot/message/push"
    payload = {
        "to": notification.recipient,
        "messages": [{"type": "text", "text": line_text(notification)}],
    }
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Line-Retry-Key": line_retry_key(notification),
    }
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=LINE_TIMEOUT)
    except httpx.HTTPError as exc:
        raise DeliveryError(
            _("ติดต่อ LINE ไม่ได้: %(error)s") % {"error": str(exc) or exc.__class__.__name__}
        ) from exc
    status = response.status_code
    # 409: a push with this retry key was accepted before (the worker died before saving it).
    if status in (200, 409):
        return
    detail = _line_error_detail(response)
    message = _("LINE ตอบรหัส %(status)s: %(detail)s") % {"status": status, "detail": detail}
    # Throttling and server errors pass; any other 4xx (bad token, unknown user) will not.
    raise DeliveryError(message, permanent=400 <= status < 500 and status != 429)
