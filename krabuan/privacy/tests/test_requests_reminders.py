"""Reminders 7 days and 1 day before the due date and once overdue, each sent once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from krabuan.notify.models import Channel, Notification
from krabuan.privacy.services import requests as services
from krabuan.privacy.tasks_requests import remind_due_requests
from krabuan.privacy.tests.request_helpers import (
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
    submit,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 in Bangkok


def inbox(user, stage: str | None = None):
    rows = Notification.objects.filter(user=user, channel=Channel.IN_APP)
    if stage:
        rows = rows.filter(dedupe_key__endswith=f":{stage}")
    return rows


def test_reminders_go_once_at_7_days_1_day_and_overdue(officer):
    dpo = dpo_user()
    with time_machine.travel(START, tick=False):
        request = submit()  # due 1 April 2026, 10:00 Bangkok
        services.request_assign(actor=dpo, request=request, assignee=officer)
        assert remind_due_requests() == 0

    with time_machine.travel(START + dt.timedelta(days=23), tick=False):  # 7 days left
        remind_due_requests()
        remind_due_requests()
    assert inbox(officer, "due7").count() == 1
    assert inbox(dpo, "due7").count() == 0  # assigned: only the officer is told

    with time_machine.travel(START + dt.timedelta(days=29), tick=False):  # 1 day left
        remind_due_requests()
        remind_due_requests()
    assert inbox(officer, "due1").count() == 1

    with time_machine.travel(START + dt.timedelta(days=30, hours=1), tick=False):  # overdue
        remind_due_requests()
        remind_due_requests()
    assert inbox(officer, "overdue").count() == 1
    assert inbox(dpo, "overdue").count() == 1  # the team hears of every overdue request
    reminder = inbox(officer, "overdue").get()
    assert request.reference in reminder.subject
    assert "นางสาวสมใจ" not in reminder.subject + reminder.body  # no personal data in mail


def test_an_unassigned_request_reminds_the_team():
    dpo = dpo_user()
    with time_machine.travel(START, tick=False):
        submit()
    with time_machine.travel(START + dt.timedelta(days=24), tick=False):
        remind_due_requests()

    assert inbox(dpo, "due7").count() == 1


def test_closed_requests_are_not_reminded():
    dpo = dpo_user()
    with time_machine.travel(START, tick=False):
        request = submit()
        services.request_cancel(actor=dpo, request=request, reason="ผู้ยื่นถอนคำขอ")
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        assert remind_due_requests() == 0
