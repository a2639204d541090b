"""Huey tasks that work off the notification outbox.

The rows are the source of truth: a lost or duplicated task only means a sweep that finds
nothing (or everything) to do, and the once-a-minute sweep picks up whatever a crashed or
restarted worker left behind.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krabuan.notify.services import deliver_due


@db_task(retries=0)
def deliver_task() -> int:
    return deliver_due()


@db_periodic_task(crontab(minute="*"))
def deliver_periodic() -> int:
    return deliver_due()
