"""Reads of the notification outbox: a user's inbox, the administrators' outbox, LINE status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from krabuan.core.errors import NotFound
from krabuan.notify.models import Channel, Notification, Status
from krabuan.org.models import Preference


def inbox_list(*, user: Any) -> QuerySet[Notification]:
    """The user's own in-app messages, newest first."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


def unread_count(*, user: Any) -> int:
    """How many of the user's in-app messages are unread (0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(
        user=user, channel=Channel.IN_APP, read_at__isnull=True
    ).count()


def notification_get_for_user(*, user: Any, notification_id: int) -> Notification:
    """One of the user's own inbox messages; another user's looks the same as a missing one."""
    row = Notification.objects.filter(pk=notification_id, user=user, channel=Channel.IN_APP).first()
    if row is None:
        raise NotFound(_("ไม่พบการแจ้งเตือน"))
    return row


def outbox_list(*, status: str = "", channel: str = "", search: str = "") -> QuerySet[Notification]:
    """Every row for administrators, newest first, filtered by status, channel and text."""
    rows = Notification.objects.select_related("user").order_by("-created_at", "-id")
    if status in Status.values:
        rows = rows.filter(status=status)
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    if search:
        rows = rows.filter(
            Q(subject__icontains=search)
            | Q(user__username__icontains=search)
            | Q(recipient__icontains=search)
            | Q(kind__icontains=search)
        )
    return rows


@dataclass(frozen=True)
class LineChannelStatus:
    configured: bool
    api_base: str
    linked_users: int
    pending: int
    failed: int
    sent: int


def line_channel_status() -> LineChannelStatus:
    """Whether the LINE token is set (never the token itself), where pushes go, and the counts."""
    counts = Notification.objects.filter(channel=Channel.LINE).aggregate(
        pending=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
    )
    linked = (
        Preference.objects.filter(notify_line=True, user__is_active=True)
        .exclude(line_user_id="")
        .count()
    )
    return LineChannelStatus(
        configured=bool(settings.LINE_CHANNEL_ACCESS_TOKEN),
        api_base=settings.LINE_API_BASE,
        linked_users=linked,
        pending=counts["pending"],
        failed=counts["failed"],
        sent=counts["sent"],
    )
