"""Outside reporters' contact details follow the retention rule once a breach is closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from krabuan.core.models import AuditEntry
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.services.breach_notices import breach_purge_reporters
from krabuan.privacy.tests.breach_helpers import dpo_user, report

pytestmark = pytest.mark.django_db


def _public_breach(closed_days_ago: int | None) -> Breach:
    breach = report(
        None, channel="public", reporter_name="สมหญิง แจ้งเหตุ", reporter_contact="0812345678"
    )
    if closed_days_ago is not None:
        Breach.objects.filter(pk=breach.pk).update(
            status=BreachStatus.CLOSED,
            closed_at=timezone.now() - dt.timedelta(days=closed_days_ago),
        )
    breach.refresh_from_db()
    return breach


@pytest.mark.parametrize("days", ["30"])
def test_reporter_contact_is_erased_after_retention_and_the_breach_stays(demo_org, settings, days):
    settings.KRABUAN_DSR_RETENTION_DAYS = days
    dpo_user()
    old = _public_breach(closed_days_ago=31)
    recent = _public_breach(closed_days_ago=5)
    still_open = _public_breach(closed_days_ago=None)
    assert old.reporter_name_enc and "สมหญิง" not in old.reporter_name_enc

    assert breach_purge_reporters() == 1
    assert breach_purge_reporters() == 0  # nothing left to do

    old.refresh_from_db()
    assert (old.reporter_name_enc, old.reporter_contact_enc) == ("", "")
    assert old.title and old.description and old.pdpc_deadline
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.reporter_name_enc and kept.reporter_contact_enc
    assert (
        AuditEntry.objects.filter(
            action="privacy.breach.purge_reporter", object_id=str(old.pk)
        ).count()
        == 1
    )
