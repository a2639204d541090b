"""Periodic work on data-subject requests: reminders 7 days and 1 day before the due date and
once overdue (each sent once, by notify's dedupe key), and the daily purge of contact details
of requests closed longer than the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krabuan.core.thai import format_date
from krabuan.notify.services import notify
from krabuan.privacy.models import DataSubjectRequest
from krabuan.privacy.selectors.requests import (
    OPEN_STATUSES,
    days_left,
    local_today,
    privacy_team_users,
)
from krabuan.privacy.services import publication_audit  # noqa: F401 (registers its job kind)
from krabuan.privacy.services.requests import request_purge_expired

# (key, days left at most, subject) from the latest to the earliest threshold.
THRESHOLDS = (
    ("overdue", -1, "คำขอ %(ref)s เกินกำหนดตอบแล้ว (ครบกำหนด %(due)s)"),
    ("due1", 1, "คำขอ %(ref)s ครบกำหนดตอบภายใน 1 วัน (%(due)s)"),
    ("due7", 7, "คำขอ %(ref)s ครบกำหนดตอบภายใน 7 วัน (%(due)s)"),
)


def _stage(request: DataSubjectRequest, *, now: dt.datetime, today: dt.date) -> tuple[str, str]:
    """The reminder a request is due for now ('' when none)."""
    if request.due_at < now:
        return THRESHOLDS[0][0], THRESHOLDS[0][2]
    left = days_left(request, today=today)
    for key, limit, subject in THRESHOLDS[1:]:
        if left <= limit:
            return key, subject
    return "", ""


def _recipients(request: DataSubjectRequest, stage: str, team: list[Any]) -> list[Any]:
    """The assigned staff member; the whole team when nobody is assigned or once overdue."""
    people = [request.assigned_to] if request.assigned_to else []
    if not people or stage == "overdue":
        people += [u for u in team if u.pk != request.assigned_to_id]
    return people


def remind_due_requests(*, now: dt.datetime | None = None) -> int:
    """Send the reminders open requests are due for; returns the notifications created. A
    reminder is sent once per request, stage and person however often this runs."""
    now = now or timezone.now()
    today = local_today(now)
    horizon = now + dt.timedelta(days=8)
    due = (
        DataSubjectRequest.objects.filter(status__in=OPEN_STATUSES, due_at__lt=horizon)
        .select_related("assigned_to")
        .order_by("due_at", "id")
    )
    team = list(privacy_team_users())
    created = 0
    for request in due:
        stage, subject = _stage(request, now=now, today=today)
        if not stage:
            continue
        text = subject % {"ref": request.reference, "due": format_date(request.due_at)}
        kind, state = request.get_type_display(), request.get_status_display()
        body = f"{text}\nประเภท: {kind} · สถานะ: {state}"
        link = reverse("privacy:request_detail", args=[request.pk])
        for user in _recipients(request, stage, team):
            created += len(
                notify(
                    user=user,
                    subject=text,
                    body=body,
                    link=link,
                    dedupe_key=f"privacy.request:{request.pk}:{stage}",
                    kind="privacy_request_due",
                )
            )
    return created


@db_periodic_task(crontab(minute="17"))
def request_reminders_periodic() -> int:
    return remind_due_requests()


@db_periodic_task(crontab(hour="2", minute="43"))
def request_purge_periodic() -> int:
    return request_purge_expired()


__all__ = ["request_purge_periodic", "request_reminders_periodic"]
