"""Huey tasks of the workflow: the escalation sweep every five minutes and the recurring
starts every hour. Both are safe on several workers at once (each claims its rows with a
conditional UPDATE), so no lock is needed around them."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krabuan.workflow.services.escalation import sweep_steps
from krabuan.workflow.services.schedules import run_due_schedules


@db_periodic_task(crontab(minute="*/5"))
def sweep_periodic() -> dict[str, int]:
    result = sweep_steps()
    return {
        "examined": result.examined,
        "breached": result.breached,
        "escalated": sum(result.escalated.values()),
        "notifications": result.notifications,
        "review_reminders": result.review_reminders,
    }


# Minute 7: away from the top of the hour, when other periodic jobs pile up.
@db_periodic_task(crontab(minute="7"))
def schedules_periodic() -> list[str]:
    return [case.reference for case in run_due_schedules()]
