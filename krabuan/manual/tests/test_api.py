from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from krabuan.manual.models import ControlKind
from krabuan.manual.tests.factories import (
    ManualFactory,
    ProcessFactory,
    StepControlFactory,
    StepFactory,
)


@pytest.fixture
def api(officer):
    client = APIClient()
    token = Token.objects.create(user=officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def manual(db):
    return ManualFactory(fiscal_year=2567)


def _processes(manual, n):
    for i in range(n):
        p = ProcessFactory(manual=manual, number=i + 1, code=f"C{i + 1:02d}")
        for j in range(3):
            StepFactory(process=p, order=j + 1)
    return manual


def test_list_needs_sign_in(db, manual):
    response = APIClient().get("/api/v1/processes/?fiscal_year=2567")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_list_returns_processes_of_the_year(api, manual):
    _processes(manual, 2)
    ProcessFactory(manual=ManualFactory(fiscal_year=2568, unit=manual.unit), number=1, code="C01")

    response = api.get("/api/v1/processes/?fiscal_year=2567")

    assert response.status_code == 200
    body = response.json()
    assert [p["code"] for p in body] == ["C01", "C02"]
    assert set(body[0]) == {
        "id",
        "code",
        "number",
        "kind",
        "name",
        "fiscal_year",
        "responsible_unit",
        "step_count",
    }
    assert body[0]["step_count"] == 3
    assert body[0]["kind"] == "core"
    assert body[0]["fiscal_year"] == 2567


def test_list_accepts_thai_digits_for_the_year(api, manual):
    _processes(manual, 1)
    response = api.get("/api/v1/processes/", {"fiscal_year": "๒๕๖๗"})
    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.mark.parametrize(
    ("year", "fragment"),
    [("2599", "ไม่มีคู่มือ"), ("abc", "ตัวเลข"), ("12", "พ.ศ."), ("9" * 40, "พ.ศ.")],
)
def test_list_rejects_bad_fiscal_year_naming_the_field(api, manual, year, fragment):
    response = api.get("/api/v1/processes/", {"fiscal_year": year})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "fiscal_year" in error["fields"]
    assert fragment in error["fields"]["fiscal_year"][0]


def test_list_rejects_unknown_kind(api, manual):
    response = api.get("/api/v1/processes/", {"fiscal_year": "2567", "kind": "other"})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_list_query_count_does_not_grow_with_rows(api, manual):
    _processes(manual, 2)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/processes/?fiscal_year=2567")
    _processes(ManualFactory(fiscal_year=2566, unit=manual.unit), 8)
    manual2 = manual
    for i in range(3, 12):
        ProcessFactory(manual=manual2, number=i, code=f"C{i:02d}")
    with CaptureQueriesContext(connection) as many:
        response = api.get("/api/v1/processes/?fiscal_year=2567")
    assert len(response.json()) == 11
    assert len(many) == len(few)


def test_detail_has_every_section_and_structured_durations(api, manual):
    process = ProcessFactory(manual=manual, number=1, code="C01")
    step = StepFactory(process=process, order=1, activity="ประชุมชี้แจง")
    StepControlFactory(step=step, kind=ControlKind.CONTROL, text="ตรวจสอบวาระ")
    StepControlFactory(step=step, kind=ControlKind.RISK, text="ผู้เข้าประชุมไม่ครบ")

    response = api.get(f"/api/v1/processes/{process.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "C01"
    assert body["step_count"] == 1
    s = body["steps"][0]
    assert s["order"] == 1
    assert s["activity"] == "ประชุมชี้แจง"
    assert s["duration"]["text"] == "๑ วัน"
    assert s["duration"]["parsed"] is True
    assert s["duration"]["min"] == 1
    assert s["duration"]["unit"] == "day"
    assert s["controls"] == [
        {"kind": "control", "text": "ตรวจสอบวาระ"},
        {"kind": "risk", "text": "ผู้เข้าประชุมไม่ครบ"},
    ]


def test_detail_of_missing_process_is_404(api, manual):
    response = api.get("/api/v1/processes/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "process_not_found"
