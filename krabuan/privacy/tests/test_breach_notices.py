"""Notices and closing: the PDPC notice within 72 hours needs no reason, a later one does (the
15-day guidance is shown, not enforced); the subjects' notice; closing only once every notice
the level requires is recorded; updates by the assigned staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.privacy.models import BreachStatus
from krabuan.privacy.services.breaches import (
    breach_assess,
    breach_close,
    breach_notify_pdpc,
    breach_notify_subjects,
    breach_update,
)
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    FACTORS_NONE,
    FACTORS_RISK,
    dpo_user,
    report,
)

AWARE = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(demo_org):
    return dpo_user()


@pytest.fixture
def assessed(dpo):
    with time_machine.travel(AWARE + dt.timedelta(hours=1), tick=False):
        breach = report(dpo, aware_at=AWARE)
        breach_assess(actor=dpo, breach=breach, factors=FACTORS_HIGH, level="high")
    breach.refresh_from_db()
    return breach


def test_on_time_pdpc_notice_needs_no_reason(dpo, assessed):
    when = AWARE + dt.timedelta(hours=71)
    with time_machine.travel(when + dt.timedelta(minutes=1), tick=False):
        breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=when)
    assessed.refresh_from_db()
    assert assessed.pdpc_notified_at == when
    assert assessed.late_reason == ""
    assert assessed.status == BreachStatus.NOTIFYING  # the subjects are still owed (high risk)


def test_late_pdpc_notice_requires_a_reason(dpo, assessed):
    when = AWARE + dt.timedelta(hours=80)
    with time_machine.travel(when, tick=False):
        with pytest.raises(ApplicationError) as caught:
            breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=when)
        message = caught.value.fields["late_reason"][0]
        assert message.startswith("แจ้ง สคส. หลังครบกำหนด 72 ชั่วโมงนับแต่ทราบเหตุ ต้องระบุเหตุผล")
        assert "15 วัน" in message
        assessed.refresh_from_db()
        assert assessed.pdpc_notified_at is None
        breach_notify_pdpc(
            actor=dpo,
            breach=assessed,
            notified_at=when,
            late_reason="ผู้รับจ้างแจ้งข้อเท็จจริงครบถ้วนหลังครบกำหนด",
        )
    assessed.refresh_from_db()
    assert assessed.pdpc_notified_at == when
    assert assessed.late_reason == "ผู้รับจ้างแจ้งข้อเท็จจริงครบถ้วนหลังครบกำหนด"
    entry = AuditEntry.objects.get(action="breach.notify_pdpc", object_id=str(assessed.pk))
    assert entry.changes["late_reason"][1] == "ผู้รับจ้างแจ้งข้อเท็จจริงครบถ้วนหลังครบกำหนด"


def test_notice_before_awareness_or_twice_is_refused(dpo, assessed):
    with pytest.raises(ApplicationError) as caught:
        breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=AWARE - dt.timedelta(minutes=5))
    assert caught.value.fields["notified_at"] == ["วันเวลาที่แจ้ง สคส.ต้องไม่ก่อนวันเวลาที่ทราบเหตุ"]
    breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=AWARE + dt.timedelta(hours=3))
    with pytest.raises(Conflict):
        breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=AWARE + dt.timedelta(hours=4))


def test_notices_need_an_assessment_first(dpo):
    breach = report(dpo)
    with pytest.raises(Conflict) as caught:
        breach_notify_pdpc(actor=dpo, breach=breach, notified_at=dt.datetime.now(dt.UTC))
    assert caught.value.code == "breach_not_assessed"


def test_close_only_after_the_notices_the_level_requires(dpo, assessed):
    with pytest.raises(Conflict) as caught:
        breach_close(actor=dpo, breach=assessed)
    assert caught.value.code == "pdpc_not_notified"
    breach_notify_pdpc(actor=dpo, breach=assessed, notified_at=AWARE + dt.timedelta(hours=5))
    with pytest.raises(Conflict) as caught:
        breach_close(actor=dpo, breach=assessed)
    assert caught.value.code == "subjects_not_notified"
    breach_notify_subjects(actor=dpo, breach=assessed, notified_at=AWARE + dt.timedelta(hours=6))
    assessed.refresh_from_db()
    assert assessed.status == BreachStatus.REMEDIATING
    breach_close(actor=dpo, breach=assessed, note="แก้ไขสิทธิ์การเข้าถึงแล้ว")
    assessed.refresh_from_db()
    assert assessed.status == BreachStatus.CLOSED and assessed.closed_at is not None
    with pytest.raises(Conflict):
        breach_update(actor=dpo, breach=assessed, data={"measures": "เพิ่มเติม"})


def test_a_no_risk_breach_closes_without_notices(dpo):
    breach = report(dpo)
    breach_assess(actor=dpo, breach=breach, factors=FACTORS_NONE, level="none")
    breach_close(actor=dpo, breach=breach)
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED
    assert breach.assessments.count() == 1  # the evidence of the decision not to notify


def test_assigned_officer_updates_facts_but_cannot_assign_or_assess(dpo, officer):
    breach = report(dpo)
    with pytest.raises(PermissionDenied):
        breach_update(actor=officer, breach=breach, data={"measures": "ระงับบัญชี"})
    breach_update(actor=dpo, breach=breach, data={"assigned_to": officer})
    breach.refresh_from_db()
    breach_update(
        actor=officer,
        breach=breach,
        data={"measures": "ระงับบัญชีผู้ใช้ที่รั่วไหล", "impact": "อาจถูกแอบอ้าง", "records_count": "๑๕๐"},
    )
    breach.refresh_from_db()
    assert (breach.measures, breach.impact, breach.records_count) == (
        "ระงับบัญชีผู้ใช้ที่รั่วไหล",
        "อาจถูกแอบอ้าง",
        150,
    )
    assert breach.status == BreachStatus.ASSESSING
    with pytest.raises(ApplicationError) as caught:
        breach_update(actor=officer, breach=breach, data={"assigned_to": None})
    assert "assigned_to" in caught.value.fields
    with pytest.raises(PermissionDenied):
        breach_assess(actor=officer, breach=breach, factors=FACTORS_RISK, level="risk")


def test_aware_at_cannot_be_changed(dpo):
    breach = report(dpo)
    with pytest.raises(ApplicationError) as caught:
        breach_update(actor=dpo, breach=breach, data={"aware_at": "2026-01-01T00:00:00+07:00"})
    assert caught.value.fields == {"aware_at": ["แก้ไขข้อมูลนี้ไม่ได้"]}
