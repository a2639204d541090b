"""The 72-hour clock's escalations: 24, 48 and 66 hours after aware_at, while the PDPC Office
has not been notified and the breach is not assessed as "no risk", the DPO and the privacy
working group (and the assigned staff) are told; at 66 hours the directors too.

Each threshold is claimed with one conditional UPDATE (`escalation_level < threshold`), so two
workers never send the same one, and the notification's dedupe key is a second guard. A breach
found past several thresholds at once (the worker was down) gets only the highest one's message;
the lower ones are marked reached with it, so nobody receives a stale "48 hours left"."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krabuan.core.audit import audit_record
from krabuan.core.thai import format_datetime
from krabuan.notify.services import notify
from krabuan.privacy.models import Breach, BreachStatus, RiskLevel
from krabuan.privacy.selectors.breaches import directors, privacy_team_users
from krabuan.privacy.services.breach_common import PDPC_HOURS, breach_link

__all__ = ["breach_escalation_periodic", "breach_reporter_purge_periodic"]

logger = logging.getLogger(__name__)

THRESHOLDS = (24, 48, 66)  # hours after aware_at
DIRECTOR_THRESHOLD = 66


@dataclass(frozen=True)
class Escalation:
    breach_id: int
    hours: int
    previous: int


def _open_unnotified() -> QuerySet[Breach]:
    return (
        Breach.objects.filter(pdpc_notified_at__isnull=True)
        .exclude(status=BreachStatus.CLOSED)
        .exclude(risk_level=RiskLevel.NONE)
    )


def escalation_candidates(*, now: dt.datetime | None = None) -> list[Escalation]:
    """Breaches that have reached a threshold above the one recorded."""
    now = now or timezone.now()
    earliest = now - dt.timedelta(hours=THRESHOLDS[0])
    rows = (
        _open_unnotified()
        .filter(aware_at__lte=earliest, escalation_level__lt=THRESHOLDS[-1])
        .values_list("pk", "aware_at", "escalation_level")
    )
    found = []
    for pk, aware_at, current in rows:
        elapsed = now - aware_at
        reached = max((h for h in THRESHOLDS if elapsed >= dt.timedelta(hours=h)), default=0)
        if reached > current:
            found.append(Escalation(pk, reached, current))
    return found


def _message(breach: Breach, hours: int) -> tuple[str, str]:
    left = PDPC_HOURS - hours
    subject = f"[แจ้งเตือน {hours} ชั่วโมง] {breach.reference} ยังไม่ได้แจ้ง สคส. (เหลือประมาณ {left} ชั่วโมง)"
    level = breach.get_risk_level_display() if breach.risk_level else "ยังไม่ได้ประเมิน"
    lines = [
        f"เหตุละเมิดข้อมูลส่วนบุคคล {breach.reference}",
        f"ทราบเหตุเมื่อ: {format_datetime(breach.aware_at)}",
        f"กำหนดแจ้ง สคส.: {format_datetime(breach.pdpc_deadline)} (72 ชั่วโมงนับแต่ทราบเหตุ)",
        f"ระดับความเสี่ยง: {level}",
        "ยังไม่ได้บันทึกการแจ้ง สคส. โปรดดำเนินการหรือบันทึกเหตุผลหากไม่ต้องแจ้ง",
    ]
    if hours >= DIRECTOR_THRESHOLD:
        lines.append("แจ้งผู้อำนวยการเพื่อทราบ: เหลือเวลาไม่ถึง 6 ชั่วโมง")
    return subject, "\n".join(lines)


def escalate(found: list[Escalation]) -> int:
    """Claim each escalation and send its messages; returns the notifications created."""
    sent = 0
    for item in found:
        with transaction.atomic():
            claimed = (
                _open_unnotified()
                .filter(pk=item.breach_id, escalation_level__lt=item.hours)
                .update(escalation_level=item.hours)
            )
            if claimed != 1:
                continue  # another worker got there first, or the PDPC was notified meanwhile
            breach = Breach.objects.select_related("assigned_to").get(pk=item.breach_id)
            people = {u.pk: u for u in privacy_team_users()}
            if breach.assigned_to is not None and breach.assigned_to.is_active:
                people.setdefault(breach.assigned_to.pk, breach.assigned_to)
            if item.hours >= DIRECTOR_THRESHOLD:
                for user in directors():
                    people.setdefault(user.pk, user)
            subject, body = _message(breach, item.hours)
            for user in people.values():
                sent += len(
                    notify(
                        user=user,
                        subject=subject,
                        body=body,
                        link=breach_link(breach),
                        dedupe_key=f"breach:{breach.pk}:escalation:{item.hours}",
                        kind="breach_escalation",
                    )
                )
            audit_record(
                actor=None,
                action="breach.escalate",
                obj=breach,
                changes={
                    "escalation_level": [item.previous, item.hours],
                    "recipients": sorted(people),
                },
            )
            if not people:
                logger.warning(
                    "breach %s reached %s h but nobody can be told", breach.pk, item.hours
                )
    return sent


def escalation_sweep(*, now: dt.datetime | None = None) -> int:
    """One sweep; safe to run on several workers at once."""
    return escalate(escalation_candidates(now=now))


@db_periodic_task(crontab(minute="*"))
def breach_escalation_periodic() -> int:
    return escalation_sweep()


@db_periodic_task(crontab(hour="2", minute="47"))
def breach_reporter_purge_periodic() -> int:
    from krabuan.privacy.services.breach_notices import breach_purge_reporters

    return breach_purge_reporters()
