"""The breach pages: who sees a breach (the privacy team and the assigned officer; an officer
outside the group gets 404 on every page), every read audited, the register's filters, CSV and
constant query count, the countdown, and the actions through the forms."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krabuan.core.models import AuditEntry
from krabuan.org.models import Role
from krabuan.org.tests.factories import PASSWORD
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.services.breaches import breach_assess, breach_update
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    FACTORS_RISK,
    dpo_user,
    person,
    report,
)

AWARE = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(demo_org):
    return dpo_user()


@pytest.fixture
def outsider(demo_org):
    return person("t-outsider", Role.OFFICER, unit_code="ict-network")


@pytest.fixture
def breach(dpo):
    with time_machine.travel(AWARE + dt.timedelta(minutes=5), tick=False):
        return report(dpo, aware_at=AWARE)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _views(breach) -> int:
    return AuditEntry.objects.filter(action="view", object_id=str(breach.pk)).count()


def _pages(breach) -> list[str]:
    return [
        reverse("privacy:breach_detail", args=[breach.pk]),
        reverse("privacy:breach_document", args=[breach.pk, "pdpc-notice", "docx"]),
        f"/api/v1/privacy/breaches/{breach.pk}/",
    ]


def test_an_officer_outside_the_privacy_group_gets_404_everywhere(client, breach, outsider):
    _login(client, outsider)
    for url in _pages(breach):
        assert client.get(url).status_code == 404, url
    for name in ("breach_assess", "breach_notify_pdpc", "breach_update", "breach_close"):
        response = client.post(reverse(f"privacy:{name}", args=[breach.pk]), {"level": "none"})
        assert response.status_code == 404, name
    response = client.post(
        f"/api/v1/privacy/breaches/{breach.pk}/assessment/",
        {**FACTORS_HIGH, "level": "none"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "breach_not_found"
    listing = client.get(reverse("privacy:breach_list"))
    assert breach.reference not in listing.content.decode()
    assert client.get("/api/v1/privacy/breaches/").json() == []
    breach.refresh_from_db()
    assert breach.risk_level is None
    assert _views(breach) == 0


def test_the_assigned_officer_sees_it_and_every_read_is_audited(client, dpo, breach, outsider):
    breach_update(actor=dpo, breach=breach, data={"assigned_to": outsider})
    _login(client, outsider)
    page = client.get(reverse("privacy:breach_detail", args=[breach.pk]))
    assert page.status_code == 200
    assert breach.reference in page.content.decode()
    assert 'id="assessment-form"' not in page.content.decode()  # the team assesses
    assert _views(breach) == 1
    assert client.get(f"/api/v1/privacy/breaches/{breach.pk}/").status_code == 200
    assert _views(breach) == 2
    document = client.get(
        reverse("privacy:breach_document", args=[breach.pk, "dpo-summary", "docx"])
    )
    assert document.status_code == 200
    assert _views(breach) == 3
    entry = AuditEntry.objects.filter(action="view", object_id=str(breach.pk)).first()
    assert entry is not None and entry.actor == outsider
    assert entry.changes == {"document": f"dpo-summary-{breach.reference}.docx"}
    assert [b["reference"] for b in client.get("/api/v1/privacy/breaches/").json()] == [
        breach.reference
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, breach):
    response = client.get(reverse("privacy:breach_detail", args=[breach.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_shows_the_countdown_the_obligations_and_the_notes(client, dpo, breach):
    _login(client, dpo)
    with time_machine.travel(AWARE + dt.timedelta(hours=50, minutes=15), tick=False):
        html = client.get(reverse("privacy:breach_detail", args=[breach.pk])).content.decode()
    assert 'id="pdpc-countdown"' in html
    assert "21:45" in html  # 72 h − 50 h 15 min, server side
    assert "text-bg-danger" in html.split('id="pdpc-countdown"')[1].split(">")[0]
    assert "เหลือ 21 ชั่วโมง 45 นาที" in html
    assert 'data-deadline="2026-11-23T17:30:00+07:00"' in html
    assert "ยังไม่ได้ประเมินความเสี่ยง" in html
    assert 'id="controller-note"' in html and "สถานะทางกฎหมายของ “ผู้ควบคุมข้อมูลส่วนบุคคล”" in html
    with time_machine.travel(AWARE + dt.timedelta(hours=10), tick=False):
        html = client.get(reverse("privacy:breach_detail", args=[breach.pk])).content.decode()
    assert "62:00" in html
    assert "text-bg-success" in html.split('id="pdpc-countdown"')[1].split(">")[0]


def test_assessment_and_late_notice_through_the_page(client, dpo, breach):
    _login(client, dpo)
    url = reverse("privacy:breach_assess", args=[breach.pk])
    with time_machine.travel(AWARE + dt.timedelta(hours=2), tick=False):
        refused = client.post(url, {**FACTORS_HIGH, "level": "none"})
        assert refused.status_code == 400
        assert "เลือกระดับต่ำกว่าที่ระบบเสนอ (มีความเสี่ยงสูง) ต้องระบุเหตุผล" in refused.content.decode()
        done = client.post(url, {**FACTORS_HIGH, "level": "high"})
        assert done.status_code == 302
    breach.refresh_from_db()
    assert (breach.risk_level, breach.notify_pdpc, breach.notify_subjects) == ("high", True, True)
    notify = reverse("privacy:breach_notify_pdpc", args=[breach.pk])
    with time_machine.travel(AWARE + dt.timedelta(hours=75), tick=False):
        page = client.get(reverse("privacy:breach_detail", args=[breach.pk])).content.decode()
        assert "ภายใน ๑๕ วัน" in page or "ภายใน 15 วัน" in page
        late = client.post(notify, {"notified_at": "23/11/2569 20:00"})
        assert late.status_code == 400
        assert "ต้องระบุเหตุผลที่แจ้งล่าช้า" in late.content.decode()
        breach.refresh_from_db()
        assert breach.pdpc_notified_at is None
        ok = client.post(notify, {"notified_at": "23/11/2569 20:00", "late_reason": "รอผลตรวจสอบ"})
        assert ok.status_code == 302
    breach.refresh_from_db()
    assert breach.pdpc_notified_at == dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
    assert breach.late_reason == "รอผลตรวจสอบ"


def test_suggestion_fragment_follows_the_factors(client, dpo, breach):
    _login(client, dpo)
    url = reverse("privacy:breach_suggest", args=[breach.pk])
    html = client.post(url, {**FACTORS_HIGH, "level": "risk"}).content.decode()
    assert 'data-level="high"' in html
    assert "แจ้ง สคส. โดยไม่ชักช้าภายใน 72 ชั่วโมงนับแต่ทราบเหตุ" in html
    html = client.post(url, {**FACTORS_RISK}).content.decode()
    assert 'data-level="risk"' in html


def _make(dpo, count: int) -> None:
    for i in range(count):
        report(dpo, title=f"เหตุทดสอบ {i}")


def test_the_register_lists_with_a_constant_number_of_queries(client, dpo):
    _login(client, dpo)
    url = reverse("privacy:breach_list")
    _make(dpo, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make(dpo, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count('<tr id="breach-') == 7


def test_filters_and_csv(client, dpo):
    _login(client, dpo)
    with time_machine.travel(AWARE + dt.timedelta(minutes=5), tick=False):
        old = report(dpo, aware_at=AWARE, title="เหตุเก่าเกินกำหนด")
    with time_machine.travel(AWARE + dt.timedelta(hours=80), tick=False):
        fresh = report(dpo, title="เหตุใหม่")
        breach_assess(actor=dpo, breach=fresh, factors=FACTORS_RISK, level="risk")
        url = reverse("privacy:breach_list")
        overdue = client.get(url, {"overdue": "1"}).content.decode()
        assert old.reference in overdue and fresh.reference not in overdue
        risky = client.get(url, {"level": "risk"}).content.decode()
        assert fresh.reference in risky and old.reference not in risky
        unassessed = client.get(url, {"level": "unassessed"}).content.decode()
        assert old.reference in unassessed and fresh.reference not in unassessed
        notifying = client.get(url, {"status": BreachStatus.NOTIFYING}).content.decode()
        assert fresh.reference in notifying and old.reference not in notifying
        searched = client.get(url, {"q": "เก่า"}).content.decode()
        assert old.reference in searched and fresh.reference not in searched
        csv = client.get(url, {"format": "csv", "level": "risk"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("เลขที่เหตุ,ชื่อเหตุ")
    assert len(lines) == 2 and lines[1].startswith(fresh.reference)


def test_staff_report_form_starts_the_clock(client, dpo):
    _login(client, dpo)
    url = reverse("privacy:breach_create")
    bad = client.post(url, {"title": "", "aware_at": "ไม่ใช่วันที่"})
    assert bad.status_code == 400
    assert Breach.objects.count() == 0
    with time_machine.travel(dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            url,
            {
                "title": "ไฟล์ทะเบียนเกษตรกรเปิดสาธารณะ",
                "channel": "internal",
                "aware_at": "๒๐/๑๑/๒๕๖๙ ๑๗:๓๐",
                "description": "ลิงก์ไฟล์ถูกตั้งค่าให้ทุกคนเข้าถึงได้",
                "data_types": "ชื่อ-นามสกุล, ที่อยู่\nเบอร์โทรศัพท์",
                "subjects_count": "2,500",
                "records_count": "2500",
            },
        )
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:breach_detail", args=[breach.pk])
    assert breach.aware_at == AWARE
    assert breach.data_types == ["ชื่อ-นามสกุล", "ที่อยู่", "เบอร์โทรศัพท์"]
    assert breach.subjects_count == 2500


def test_auditors_cannot_open_the_report_form(client, auditor):
    _login(client, auditor)
    assert client.get(reverse("privacy:breach_create")).status_code == 403
