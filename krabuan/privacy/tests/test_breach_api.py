"""The breach API end to end: report (201, the deadline exactly 72 hours later in either
offset), Thai messages naming the fields, the assessment's obligations, the notices, and 404 for
everyone outside the privacy team and the assigned staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from krabuan.core.models import AuditEntry
from krabuan.org.models import Role
from krabuan.privacy.models import Breach
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    FACTORS_NONE,
    FACTORS_RISK,
    dpo_user,
    person,
)

URL = "/api/v1/privacy/breaches/"
NOW = dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(demo_org):
    return dpo_user()


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _body(**overrides):
    return {
        "title": "ฐานข้อมูลทะเบียนเกษตรกรถูกเข้าถึงโดยไม่ได้รับอนุญาต",
        "aware_at": "2026-11-20T17:30:00+07:00",
        "description": "พบการเรียกดูข้อมูลจำนวนมากจากบัญชีที่ถูกขโมย",
        "data_types": ["ชื่อ-นามสกุล", "เลขประจำตัวประชาชน"],
        "subjects_count": 5000,
        "records_count": 5000,
        **overrides,
    }


def test_create_returns_201_with_the_72_hour_deadline(dpo):
    api = _api(dpo)
    with time_machine.travel(NOW, tick=False):
        bangkok = api.post(URL, _body(), format="json")
        utc = api.post(URL, _body(aware_at="2026-11-20T10:30:00Z"), format="json")
    assert bangkok.status_code == utc.status_code == 201
    data = bangkok.json()
    assert {"id", "aware_at", "pdpc_deadline", "risk_level", "status"} <= set(data)
    assert data["risk_level"] is None and data["status"] == "reported"
    assert data["aware_at"] == "2026-11-20T17:30:00+07:00"
    assert data["pdpc_deadline"] == "2026-11-23T17:30:00+07:00"
    assert utc.json()["pdpc_deadline"] == data["pdpc_deadline"]
    deadline = dt.datetime.fromisoformat(data["pdpc_deadline"])
    assert deadline - dt.datetime.fromisoformat(data["aware_at"]) == dt.timedelta(hours=72)


def test_bad_input_answers_400_with_thai_messages_naming_fields(dpo):
    response = _api(dpo).post(
        URL,
        _body(title="", aware_at="2026-11-20T17:30:00", data_types="", subjects_count=-1),
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["title"] == ["กรุณาระบุชื่อเหตุ"]
    assert "เขตเวลา" in error["fields"]["aware_at"][0]
    assert "data_types" in error["fields"]
    assert error["fields"]["subjects_count"] == ["จำนวนเจ้าของข้อมูลต้องอยู่ระหว่าง 0 ถึง 100,000,000"]
    assert _api(dpo).post(URL, ["not", "an", "object"], format="json").status_code == 400
    public = _api(dpo).post(URL, _body(channel="public"), format="json")
    assert public.json()["error"]["fields"] == {"channel": ["ช่องทางต้องเป็น internal หรือ processor"]}
    assert Breach.objects.count() == 0


def test_requesters_may_not_report(demo_org, requester):
    response = _api(requester).post(URL, _body(), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("factors", "level", "pdpc", "subjects"),
    [
        (FACTORS_NONE, "none", False, False),
        (FACTORS_RISK, "risk", True, False),
        (FACTORS_HIGH, "high", True, True),
    ],
)
def test_assessment_returns_the_obligations(dpo, factors, level, pdpc, subjects):
    api = _api(dpo)
    with time_machine.travel(NOW, tick=False):
        created = api.post(URL, _body(), format="json").json()
        response = api.post(
            f"{URL}{created['id']}/assessment/", {**factors, "level": level}, format="json"
        )
    assert response.status_code == 200
    data = response.json()
    assert (data["notify_pdpc"], data["notify_subjects"]) == (pdpc, subjects)
    assert data["pdpc_deadline"] == ("2026-11-23T17:30:00+07:00" if pdpc else None)
    assert data["level"] == data["suggested_level"] == level


def test_assessment_errors_name_the_factor(dpo):
    api = _api(dpo)
    created = api.post(URL, _body(aware_at=dt.datetime.now(dt.UTC).isoformat()), format="json")
    response = api.post(
        f"{URL}{created.json()['id']}/assessment/",
        {**FACTORS_HIGH, "harm_severity": "huge", "level": "none"},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "ความร้ายแรงของผลกระทบ" in fields["harm_severity"][0]


def test_detail_list_and_access(dpo, demo_org):
    outsider = person("t-api-out", Role.OFFICER, unit_code="ict-network")
    api = _api(dpo)
    created = api.post(URL, _body(aware_at=dt.datetime.now(dt.UTC).isoformat()), format="json")
    pk = created.json()["id"]
    detail = api.get(f"{URL}{pk}/")
    assert detail.status_code == 200
    assert detail.json()["reference"] == created.json()["reference"]
    assert AuditEntry.objects.filter(action="view", object_id=str(pk), actor=dpo).count() == 1
    assert [b["id"] for b in api.get(URL).json()] == [pk]
    other = _api(outsider)
    assert other.get(f"{URL}{pk}/").status_code == 404
    assert other.get(URL).json() == []
    assert (
        other.post(
            f"{URL}{pk}/assessment/", {**FACTORS_HIGH, "level": "high"}, format="json"
        ).status_code
        == 404
    )
    assert APIClient().get(f"{URL}{pk}/").status_code == 401


def test_late_pdpc_notice_through_the_api_needs_a_reason(dpo):
    api = _api(dpo)
    with time_machine.travel(NOW, tick=False):
        pk = api.post(URL, _body(), format="json").json()["id"]
        api.post(f"{URL}{pk}/assessment/", {**FACTORS_RISK, "level": "risk"}, format="json")
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        late = api.post(
            f"{URL}{pk}/notify-pdpc/", {"notified_at": "2026-11-24T09:00:00+07:00"}, format="json"
        )
        assert late.status_code == 400
        assert "late_reason" in late.json()["error"]["fields"]
        ok = api.post(
            f"{URL}{pk}/notify-pdpc/",
            {"notified_at": "2026-11-24T09:00:00+07:00", "late_reason": "ระบบอีเมลขัดข้อง"},
            format="json",
        )
    assert ok.status_code == 200
    assert ok.json()["pdpc_notified_at"] == "2026-11-24T09:00:00+07:00"
    assert ok.json()["status"] == "remediating"
