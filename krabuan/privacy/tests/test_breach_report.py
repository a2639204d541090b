"""Reporting a breach: the 72-hour PDPC deadline in real hours (the same instant whether aware_at
is given in UTC or in +07:00, across a weekend and a holiday), gapless references per BE year,
the process-16 case with its steps from the manual, and refusals that name the field."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.services.breaches import NO_PROCESS_NOTE
from krabuan.privacy.tests.breach_helpers import dpo_user, load_breach_process, report
from krabuan.workflow.models import CaseLink, StepStatus

BKK = ZoneInfo("Asia/Bangkok")
# Friday 20 November 2026, 17:30 in Bangkok = 10:30 UTC; the deadline falls on Monday 23rd.
FRIDAY_BKK = dt.datetime(2026, 11, 20, 17, 30, tzinfo=BKK)
FRIDAY_UTC = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(demo_org):
    return dpo_user()


def test_deadline_is_72_real_hours_across_a_weekend_in_utc_and_bangkok_time(dpo):
    with time_machine.travel(NOW, tick=False):
        first = report(dpo, aware_at=FRIDAY_BKK)
        second = report(dpo, aware_at=FRIDAY_UTC)
        third = report(dpo, aware_at="2026-11-20T17:30:00+07:00")
        fourth = report(dpo, aware_at="2026-11-20T10:30:00Z")
    expected = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)  # Monday 17:30 in Bangkok
    for breach in (first, second, third, fourth):
        breach.refresh_from_db()
        assert breach.pdpc_deadline == expected
        assert breach.pdpc_deadline - breach.aware_at == dt.timedelta(hours=72)
    assert expected.astimezone(BKK).weekday() == 0


def test_deadline_ignores_public_holidays(dpo):
    # Songkran: 13-15 April 2026 are public holidays; the 72 hours still run through them.
    aware = dt.datetime(2026, 4, 12, 20, 0, tzinfo=BKK)
    with time_machine.travel(dt.datetime(2026, 4, 13, 1, 0, tzinfo=dt.UTC), tick=False):
        breach = report(dpo, aware_at=aware)
    assert breach.pdpc_deadline == dt.datetime(2026, 4, 15, 20, 0, tzinfo=BKK)


def test_references_are_gapless_per_buddhist_era_year(dpo):
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC), tick=False):
        # 23:00 on 31 December in Bangkok: still 2569.
        a = report(dpo, aware_at="2026-12-31T22:00:00+07:00")
        b = report(dpo, aware_at="2026-12-31T22:30:00+07:00")
    with time_machine.travel(dt.datetime(2026, 12, 31, 17, 5, tzinfo=dt.UTC), tick=False):
        # 00:05 on 1 January 2027 in Bangkok: the year 2570 starts again at 0001.
        c = report(dpo, aware_at="2026-12-31T23:50:00+07:00")
    assert [a.reference, b.reference, c.reference] == [
        "BR-2569-0001",
        "BR-2569-0002",
        "BR-2570-0001",
    ]


def test_a_report_starts_a_case_of_process_16_with_its_steps_from_the_manual(dpo, tmp_path):
    process = load_breach_process(tmp_path)
    breach = report(dpo)
    breach.refresh_from_db()
    case = breach.case
    assert case is not None and case.process == process
    # The case is visible to all staff: it carries the reference, never the breach's details.
    assert case.title == f"แจ้งเหตุละเมิดข้อมูลส่วนบุคคล {breach.reference}"
    assert case.description == ""
    steps = list(case.steps.order_by("order"))
    assert len(steps) == 9
    assert [s.status for s in steps[:2]] == [StepStatus.ACTIVE, StepStatus.PENDING]
    assert CaseLink.objects.filter(case=case, object_id=str(breach.pk)).exists()
    assert breach.status == BreachStatus.REPORTED


def test_without_process_16_the_breach_is_still_recorded_with_a_note(dpo):
    breach = report(dpo)
    assert breach.case is None
    entry = AuditEntry.objects.get(action="breach.report", object_id=str(breach.pk))
    assert entry.changes["note"] == NO_PROCESS_NOTE
    assert entry.actor == dpo


def test_bad_report_names_each_field_in_thai_and_saves_nothing(dpo):
    with pytest.raises(ApplicationError) as caught:
        report(
            dpo,
            title="  ",
            aware_at="2026-11-20 17:30",  # no offset
            data_types=[],
            subjects_count="-3",
            records_count="abc",
        )
    fields = caught.value.fields
    assert fields["title"] == ["กรุณาระบุชื่อเหตุ"]
    assert "เขตเวลา" in fields["aware_at"][0]
    assert fields["data_types"] == ["กรุณาระบุประเภทข้อมูลส่วนบุคคลที่เกี่ยวข้องอย่างน้อย 1 รายการ"]
    assert "จำนวนเจ้าของข้อมูล" in fields["subjects_count"][0]
    assert "จำนวนรายการข้อมูล" in fields["records_count"][0]
    assert Breach.objects.count() == 0


def test_aware_at_in_the_future_is_refused(dpo):
    with pytest.raises(ApplicationError) as caught:
        report(dpo, aware_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    assert caught.value.fields["aware_at"] == ["วันเวลาที่ทราบเหตุต้องไม่อยู่ในอนาคต"]


def test_thai_digits_are_accepted_in_counts_and_times(dpo):
    with time_machine.travel(NOW, tick=False):
        breach = report(
            dpo, aware_at="๒๐๒๖-๑๑-๒๐T๑๗:๓๐:๐๐+๐๗:๐๐", subjects_count="๑,๒๐๐", records_count="๓๐"
        )
    assert (breach.subjects_count, breach.records_count) == (1200, 30)
    assert breach.aware_at == FRIDAY_UTC


def test_requesters_and_auditors_cannot_report_internally(demo_org, requester, auditor):
    for user in (requester, auditor):
        with pytest.raises(PermissionDenied):
            report(user)
    assert Breach.objects.count() == 0


def test_the_team_is_told_of_a_new_report(dpo):
    breach = report(dpo)
    assert dpo.notifications.filter(
        kind="breach_reported", dedupe_key=f"breach:{breach.pk}:reported"
    ).exists()
