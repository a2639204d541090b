"""Huey periodic tasks of the privacy records: agreements about to end and data due for
destruction, each morning. Both are idempotent (notify's dedupe_key), so a rerun or a second
worker sends nothing twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krabuan.privacy.services.dpas import dpa_alerts_send
from krabuan.privacy.services.retention import retention_alerts_send


# Huey reads crontabs in UTC: 00:40 and 00:45 UTC are 07:40 and 07:45 in Bangkok, before office
# hours and away from the top of the hour.
@db_periodic_task(crontab(hour="0", minute="40"))
def dpa_expiry_periodic() -> int:
    return dpa_alerts_send()


@db_periodic_task(crontab(hour="0", minute="45"))
def retention_due_periodic() -> int:
    return retention_alerts_send()
