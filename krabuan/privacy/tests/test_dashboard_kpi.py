"""The PDPA dashboard and the KPI 2 / KPI 5 live sources, worked out from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from krabuan.core.errors import ApplicationError
from krabuan.core.registry import live_source
from krabuan.core.thai import fiscal_year_bounds, fiscal_year_of
from krabuan.kpi.models import Kpi
from krabuan.kpi.scoring import kpi_score
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.manual.models import Process
from krabuan.privacy.models import (
    AwarenessActivity,
    Breach,
    BreachChannel,
    DataItem,
    RiskLevel,
    RopaVersion,
    VersionStatus,
)
from krabuan.privacy.selectors.dashboard import kpi2_status, kpi5_status
from krabuan.privacy.tests.request_helpers import (
    activity,
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
    published_notice,
    ropa_for,
    submit,
    unit,
)
from krabuan.workflow.models import StepInstance, StepStatus
from krabuan.workflow.services.cases import case_start

pytestmark = pytest.mark.django_db


def year() -> int:
    return fiscal_year_of(timezone.now())


def item(target, *, retention_months: int | None = 24) -> DataItem:
    return DataItem.objects.create(
        activity=target,
        name="ชื่อ-นามสกุล",
        data_subjects="ผู้เข้าอบรม",
        source="แบบฟอร์มลงทะเบียน",
        storage="ระบบลงทะเบียน",
        retention_months=retention_months,
        collected_since=timezone.localdate() - dt.timedelta(days=30),
    )


def published_ropa(target) -> None:
    RopaVersion.objects.create(
        ropa=ropa_for(target), number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )


def complete_unit(code: str = "ict-data"):
    """A unit whose records meet every KPI 5 deliverable."""
    owner = unit(code, f"หน่วยงาน {code}")
    for name in ("ลงทะเบียนอบรม", "รับเรื่องร้องเรียน"):
        target = activity(name, owner=owner)
        item(target)
        published_ropa(target)
    published_notice("เราเก็บชื่อและอีเมลเพื่อการอบรม", slug=f"notice-{code}", owner=owner)
    AwarenessActivity.objects.create(
        title="เผยแพร่ infographic PDPA", held_on=timezone.localdate(), unit=owner
    )
    return owner


def test_a_unit_with_every_record_reaches_100_and_the_office_takes_the_lowest():
    complete_unit("ict-data")
    lagging = unit("finance", "กองคลัง")
    target = activity("เบิกจ่ายเงิน", owner=lagging)
    item(target, retention_months=None)  # no retention period, no RoPA

    status = kpi5_status(fiscal_year=year())

    levels = {row.unit.code: row.level for row in status.units}
    assert levels == {"ict-data": 100, "finance": 0}
    assert status.level == 0
    assert [d.met for d in status.deliverables] == [False, False, False, False]
    assert kpi5_status(fiscal_year=year(), unit_code="ict-data").level == 100


def test_a_unit_with_ropa_but_no_notice_stops_at_75():
    owner = unit("ict-data")
    target = activity(owner=owner)
    item(target)
    published_ropa(target)

    row = kpi5_status(fiscal_year=year()).units[0]

    assert row.level == 75
    assert row.ropa_covered


def test_an_item_overdue_for_destruction_fails_the_review():
    owner = unit("ict-data")
    target = activity(owner=owner)
    overdue = item(target, retention_months=1)
    overdue.collected_since = timezone.localdate() - dt.timedelta(days=120)
    overdue.save()
    published_ropa(target)

    row = kpi5_status(fiscal_year=year()).units[0]

    assert row.overdue_destruction == 1
    assert row.level == 0


def test_kpi2_levels_follow_the_records(director):
    assert kpi2_status(fiscal_year=year()).level == 0
    AwarenessActivity.objects.create(
        title="ชี้แจงแนวทาง PDPA", held_on=timezone.localdate(), unit=unit()
    )
    assert kpi2_status(fiscal_year=year()).level == 50
    published_notice("ประกาศความเป็นส่วนตัวของสำนักงาน")
    assert kpi2_status(fiscal_year=year()).level == 75

    call_command("load_demo_org", verbosity=0)
    call_command("load_manual", year=2567, verbosity=0)
    process = Process.objects.get(manual__fiscal_year=2567, code="C15")
    case = case_start(process=process, title="PDPA ประจำปี", actor=director)
    assert kpi2_status(fiscal_year=year()).level == 75
    last = StepInstance.objects.filter(case=case).order_by("-order").first()
    StepInstance.objects.filter(pk=last.pk).update(
        status=StepStatus.DONE, completed_at=timezone.now()
    )

    status = kpi2_status(fiscal_year=year())
    assert status.level == 100
    assert case.reference in status.deliverables[2].evidence


def test_activities_held_before_the_year_began_do_not_count_for_it():
    first_day, _last = fiscal_year_bounds(year())
    AwarenessActivity.objects.create(
        title="ชี้แจงแนวทาง PDPA", held_on=first_day - dt.timedelta(days=1), unit=unit()
    )

    assert kpi2_status(fiscal_year=year()).level == 0
    assert kpi2_status(fiscal_year=year() - 1).level == 50


def test_the_live_sources_are_registered_and_give_the_level_with_details():
    complete_unit()
    AwarenessActivity.objects.create(title="ชี้แจง", held_on=timezone.localdate(), unit=unit())

    kpi2 = live_source("privacy.kpi2_level").func(fiscal_year=year(), round="9m", params={})
    kpi5 = live_source("privacy.kpi5_level").func(
        fiscal_year=year(), round="9m", params={"unit": "ict-data"}
    )

    assert kpi2.value == Decimal(75)
    assert [d["met"] for d in kpi2.details["deliverables"]] == [True, True, False]
    assert kpi5.value == Decimal(100)
    assert kpi5.details["units"][0]["code"] == "ict-data"
    assert all(d["met"] for d in kpi5.details["deliverables"])


@pytest.mark.parametrize("params", [{"nope": 1}, {"unit": "no-such-unit"}, {"unit": 5}])
def test_bad_live_parameters_are_refused_in_thai(params):
    with pytest.raises(ApplicationError) as caught:
        live_source("privacy.kpi5_level").func(fiscal_year=year(), round="6m", params=params)

    assert "live_params" in caught.value.fields


def test_the_dashboard_shows_coverage_requests_and_breaches(client, officer):
    complete_unit("ict-data")
    activity("เบิกจ่ายเงิน", owner=unit("finance", "กองคลัง"))
    request = submit(type="erasure")
    now = timezone.now()
    breach = Breach.objects.create(
        reference="BR-TEST-1",
        title="อีเมลรายชื่อผู้เข้าอบรมส่งผิดคน",
        description="ส่งไฟล์รายชื่อผิดผู้รับ",
        channel=BreachChannel.INTERNAL,
        aware_at=now - dt.timedelta(hours=10, minutes=30),
        pdpc_deadline=now + dt.timedelta(hours=61, minutes=30),
    )
    Breach.objects.create(
        reference="BR-TEST-2",
        title="เหตุที่ประเมินแล้วว่าไม่มีความเสี่ยง",
        description="-",
        channel=BreachChannel.INTERNAL,
        aware_at=now,
        pdpc_deadline=now + dt.timedelta(hours=72),
        risk_level=RiskLevel.NONE,
    )
    client.force_login(dpo_user())

    response = client.get(reverse("privacy:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1/2 หน่วยงาน (ร้อยละ 50)" in page
    assert request.reference in page and "เหลือ 90 วัน" in page
    assert breach.reference in page and "เหลือ 61 ชม." in page
    assert "ไม่ต้องแจ้ง" in page
    assert response.context["kpi5"].level == 0
    assert response.context["coverage_pct"] == 50

    client.force_login(officer)  # staff see the KPIs, not others' requests or breaches
    page = client.get(reverse("privacy:home")).content.decode()
    assert request.reference not in page and breach.reference not in page
    assert "1/2 หน่วยงาน" in page


def test_the_dashboard_is_for_staff(client, requester):
    client.force_login(requester)

    assert client.get(reverse("privacy:home")).status_code == 403


def test_the_agreement_ticks_kpi_2_and_5_deliverables_from_the_records(demo_org, admin_user):
    agreement_fixture_load(path=fixture_path(2566))
    call_command(
        "bind_live_sources", "--year", "2566", "2=privacy.kpi2_level", "5=privacy.kpi5_level"
    )
    complete_unit("ict-data")  # every KPI 5 deliverable; a notice for KPI 2 level 75
    AwarenessActivity.objects.create(
        title="ชี้แจงแนวทาง PDPA", held_on=timezone.localdate(), unit=unit()
    )
    kpi2 = Kpi.objects.get(agreement__fiscal_year=2566, number=2)
    kpi5 = Kpi.objects.get(agreement__fiscal_year=2566, number=5)

    score2 = kpi_score(kpi2, "12m")
    score5 = kpi_score(kpi5, "12m")

    assert score2.value == Decimal(75)  # the head's report is not recorded yet
    assert len(score2.details["live_met"]) == 2
    assert len(score2.details["live_unmet"]) == 1
    assert score5.value == Decimal(100)
    assert len(score5.details["live_met"]) == kpi5.deliverables.count() == 4
