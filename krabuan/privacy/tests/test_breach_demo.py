"""`krabuan load_demo_breach`: one breach in progress with a running countdown, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from krabuan.privacy.management.commands.load_demo_breach import DEMO_TITLE
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.tests.breach_helpers import load_breach_process
from krabuan.privacy.views.breach_common import countdown

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC)


def test_demo_breach_is_in_progress_and_idempotent(demo_org, tmp_path):
    load_breach_process(tmp_path)
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo_breach")
        call_command("load_demo_breach")
        breach = Breach.objects.get(title=DEMO_TITLE)
        clock = countdown(breach)
    assert Breach.objects.count() == 1
    assert breach.aware_at == NOW - dt.timedelta(hours=20)
    assert (breach.risk_level, breach.notify_pdpc, breach.pdpc_notified_at) == ("risk", True, None)
    assert breach.status == BreachStatus.NOTIFYING
    assert breach.case is not None and breach.case.process.number == 16
    assert clock.running and (clock.hours, clock.minutes) == (52, 0)
    assert breach.impact and breach.measures


def test_demo_clock_restarts_once_its_deadline_has_passed(demo_org):
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo_breach")
    later = NOW + dt.timedelta(days=5)
    with time_machine.travel(later, tick=False):
        call_command("load_demo_breach")
        breach = Breach.objects.get(title=DEMO_TITLE)
        assert countdown(breach).running
    assert Breach.objects.count() == 1
    assert breach.aware_at == later - dt.timedelta(hours=20)
    assert breach.pdpc_deadline == later + dt.timedelta(hours=52)
