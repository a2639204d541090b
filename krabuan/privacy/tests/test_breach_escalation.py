"""Escalations of the 72-hour clock with a frozen clock: 24, 48 and 66 hours after aware_at each
fire once (66 also to the director), none fire once the PDPC Office is notified or the breach is
assessed as no risk, a late sweep sends only the highest threshold, and two workers never send
the same threshold twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from krabuan.notify.models import Notification
from krabuan.org.models import Role
from krabuan.privacy.services.breaches import breach_assess, breach_notify_pdpc
from krabuan.privacy.tasks_breach import escalate, escalation_candidates, escalation_sweep
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_NONE,
    dpo_user,
    person,
    report,
    team_member,
)

AWARE = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)  # Friday 17:30 in Bangkok

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo_org):
    return {
        "dpo": dpo_user(),
        "team": team_member(),
        "director": person("t-dir", Role.DIRECTOR),
        "outsider": person("t-out", Role.OFFICER, unit_code="ict-network"),
    }


@pytest.fixture
def breach(people):
    with time_machine.travel(AWARE + dt.timedelta(minutes=10), tick=False):
        return report(people["dpo"], aware_at=AWARE)


def _escalations(user) -> list[str]:
    return sorted(
        Notification.objects.filter(
            user=user, kind="breach_escalation", channel="in_app"
        ).values_list("dedupe_key", flat=True)
    )


def _sweep_at(hours: float) -> int:
    with time_machine.travel(AWARE + dt.timedelta(hours=hours), tick=False):
        return escalation_sweep()


def test_24_48_66_each_fire_once(people, breach):
    key = f"breach:{breach.pk}:escalation:"
    assert _sweep_at(23.9) == 0
    assert _escalations(people["dpo"]) == []
    assert _sweep_at(24) > 0
    assert _sweep_at(30) == 0  # no repeat within the same threshold
    assert _escalations(people["dpo"]) == [key + "24"]
    assert _escalations(people["team"]) == [key + "24"]
    assert _escalations(people["director"]) == []
    _sweep_at(48)
    _sweep_at(50)
    assert _escalations(people["dpo"]) == [key + "24", key + "48"]
    _sweep_at(66)
    _sweep_at(71)
    _sweep_at(100)
    assert _escalations(people["dpo"]) == [key + "24", key + "48", key + "66"]
    assert _escalations(people["director"]) == [key + "66"]
    assert _escalations(people["outsider"]) == []
    breach.refresh_from_db()
    assert breach.escalation_level == 66
    subject = Notification.objects.get(user=people["dpo"], dedupe_key=key + "48", channel="in_app")
    assert subject.subject.startswith(f"[แจ้งเตือน 48 ชั่วโมง] {breach.reference} ยังไม่ได้แจ้ง สคส.")


def test_none_fire_after_the_pdpc_is_notified(people, breach):
    _sweep_at(25)
    with time_machine.travel(AWARE + dt.timedelta(hours=30), tick=False):
        breach_assess(actor=people["dpo"], breach=breach, factors=FACTORS_NONE, level="risk")
        breach_notify_pdpc(
            actor=people["dpo"], breach=breach, notified_at=AWARE + dt.timedelta(hours=29)
        )
    assert _sweep_at(48) == 0
    assert _sweep_at(66) == 0
    assert _escalations(people["dpo"]) == [f"breach:{breach.pk}:escalation:24"]


def test_none_fire_for_a_no_risk_breach(people, breach):
    with time_machine.travel(AWARE + dt.timedelta(hours=2), tick=False):
        breach_assess(actor=people["dpo"], breach=breach, factors=FACTORS_NONE, level="none")
    for hours in (24, 48, 66):
        assert _sweep_at(hours) == 0
    assert Notification.objects.filter(kind="breach_escalation").count() == 0


def test_a_late_sweep_sends_only_the_highest_threshold(people, breach):
    _sweep_at(70)
    key = f"breach:{breach.pk}:escalation:"
    assert _escalations(people["dpo"]) == [key + "66"]
    assert _escalations(people["director"]) == [key + "66"]
    assert _sweep_at(71) == 0


def test_two_workers_claim_a_threshold_once(people, breach):
    with time_machine.travel(AWARE + dt.timedelta(hours=24, minutes=1), tick=False):
        first = escalation_candidates()
        second = escalation_candidates()
        assert len(first) == len(second) == 1
        sent = escalate(first)
        again = escalate(second)  # the other worker's UPDATE changes no row
    assert sent > 0 and again == 0
    assert _escalations(people["dpo"]) == [f"breach:{breach.pk}:escalation:24"]
