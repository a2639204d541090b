"""Calendar API end to end: the days-off list, date arithmetic, bad input, sign-in, schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from krabuan.org.models import CalendarOverride, OverrideKind

HOLIDAYS = "/api/v1/calendar/holidays/"
ADD = "/api/v1/calendar/add/"


@pytest.fixture
def api(officer) -> APIClient:
    client = APIClient()
    client.force_login(officer)
    return client


def test_urls_are_wired():
    assert reverse("calendar-holidays") == HOLIDAYS
    assert reverse("calendar-add") == ADD


# Days off


@pytest.mark.django_db
def test_holidays_of_2024(api):
    response = api.get(HOLIDAYS, {"year": "2024"})

    assert response.status_code == 200
    body = response.json()
    assert len(body) == 30
    assert body[0] == {"date": "2024-01-01", "name": "วันขึ้นปีใหม่", "source": "public"}
    assert [d["date"] for d in body] == sorted(d["date"] for d in body)
    april = [d for d in body if d["date"].startswith("2024-04-1")]
    assert april == [
        {"date": "2024-04-12", "name": "วันหยุดพิเศษ (เพิ่มเติม)", "source": "public"},
        {"date": "2024-04-13", "name": "วันสงกรานต์", "source": "public"},
        {"date": "2024-04-14", "name": "วันสงกรานต์", "source": "public"},
        {"date": "2024-04-15", "name": "วันสงกรานต์", "source": "public"},
        {"date": "2024-04-16", "name": "ชดเชยวันสงกรานต์", "source": "public"},
    ]
    assert {"date": "2024-05-10", "name": "วันพืชมงคล", "source": "government"} in body


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2567", "๒๕๖๗", "๒๐๒๔", " 2024 "])
def test_holidays_accept_buddhist_era_and_thai_digits(api, year):
    assert api.get(HOLIDAYS, {"year": year}).json() == api.get(HOLIDAYS, {"year": "2024"}).json()


@pytest.mark.django_db
def test_holidays_apply_admin_overrides(api):
    CalendarOverride.objects.create(
        date=dt.date(2024, 4, 17), kind=OverrideKind.DAY_OFF, name="ปิดสำนักงาน"
    )
    CalendarOverride.objects.create(
        date=dt.date(2024, 4, 12), kind=OverrideKind.WORKING_DAY, name="ยกเลิกวันหยุด"
    )

    body = api.get(HOLIDAYS, {"year": "2567"}).json()

    dates = [d["date"] for d in body]
    assert "2024-04-12" not in dates
    assert {"date": "2024-04-17", "name": "ปิดสำนักงาน", "source": "admin"} in body
    assert len(body) == 30


@pytest.mark.django_db
def test_holidays_list_reads_the_override_table_once(api, django_assert_num_queries):
    api.get(HOLIDAYS, {"year": "2024"})  # warm the per-year holiday cache

    # Session, user, the user's display preferences (middleware), then the override table once.
    with django_assert_num_queries(4):
        assert api.get(HOLIDAYS, {"year": "2024"}).status_code == 200


# Date arithmetic


@pytest.mark.django_db
def test_add_working_days_songkran_example(api):
    response = api.get(ADD, {"start": "2024-04-10", "amount": "5", "unit": "working_day"})

    assert response.status_code == 200
    assert response.json() == {
        "start": "2024-04-10",
        "amount": 5,
        "unit": "working_day",
        "result": "2024-04-22",
    }


@pytest.mark.django_db
def test_add_new_year_example(api):
    response = api.get(ADD, {"start": "2024-12-27", "amount": "2", "unit": "working_day"})

    assert response.json()["result"] == "2025-01-03"


@pytest.mark.django_db
def test_add_accepts_thai_digits_and_buddhist_era(api):
    response = api.get(ADD, {"start": "๑๐/๐๔/๒๕๖๗", "amount": "๕", "unit": "working_day"})

    assert response.json() == {
        "start": "2024-04-10",
        "amount": 5,
        "unit": "working_day",
        "result": "2024-04-22",
    }


@pytest.mark.django_db
def test_add_minutes_from_a_datetime_returns_a_bangkok_datetime(api):
    response = api.get(ADD, {"start": "2024-04-26T16:00", "amount": "60", "unit": "minute"})

    assert response.json() == {
        "start": "2024-04-26T16:00:00+07:00",
        "amount": 60,
        "unit": "minute",
        "result": "2024-04-29T09:00:00+07:00",
    }


@pytest.mark.django_db
def test_add_hours_from_a_utc_datetime(api):
    response = api.get(ADD, {"start": "2024-04-05T09:00:00Z", "amount": "1.5", "unit": "hour"})

    # 16:00 Bangkok on Friday; Monday 8 April is a substitution day.
    assert response.json() == {
        "start": "2024-04-05T16:00:00+07:00",
        "amount": 1.5,
        "unit": "hour",
        "result": "2024-04-09T09:30:00+07:00",
    }


@pytest.mark.django_db
def test_add_hours_from_a_date_starts_at_office_opening(api):
    response = api.get(ADD, {"start": "2024-04-29", "amount": "2", "unit": "hour"})

    assert response.json()["result"] == "2024-04-29T10:30:00+07:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "amount", "result"),
    [("day", "5", "2024-04-15"), ("week", "2", "2024-04-24"), ("month", "1", "2024-05-10")],
)
def test_add_calendar_units(api, unit, amount, result):
    response = api.get(ADD, {"start": "2024-04-10", "amount": amount, "unit": unit})

    assert response.json()["result"] == result


@pytest.mark.django_db
def test_add_uses_admin_day_off(api):
    CalendarOverride.objects.create(
        date=dt.date(2024, 4, 17), kind=OverrideKind.DAY_OFF, name="ปิดสำนักงาน"
    )

    response = api.get(ADD, {"start": "2024-04-10", "amount": "5", "unit": "working_day"})

    assert response.json()["result"] == "2024-04-23"


# Bad input


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"start": "2024-04-10", "amount": "5", "unit": "fortnight"},
            "unit",
            "หน่วยต้องเป็นหนึ่งใน minute, hour, day, working_day, week, month",
        ),
        (
            {"start": "2024-13-45", "amount": "5", "unit": "day"},
            "start",
            "'2024-13-45' ไม่ใช่วันที่ที่ถูกต้อง (เช่น 2024-04-10 หรือ 10/04/2567)",
        ),
        (
            {"start": "yesterday", "amount": "5", "unit": "day"},
            "start",
            "'yesterday' ไม่ใช่วันที่ที่ถูกต้อง (เช่น 2024-04-10 หรือ 10/04/2567)",
        ),
        (
            {"start": "2024-04-10T25:00", "amount": "5", "unit": "hour"},
            "start",
            "วันเวลาเริ่มไม่ถูกต้อง ใช้รูปแบบ ISO 8601 เช่น 2024-04-12T16:00",
        ),
        (
            {"start": "2024-04-10", "amount": "five", "unit": "day"},
            "amount",
            "จำนวนต้องเป็นตัวเลข เช่น 5 หรือ ๕",
        ),
        (
            {"start": "2024-04-10", "amount": "1e9", "unit": "day"},
            "amount",
            "จำนวนต้องเป็นตัวเลข เช่น 5 หรือ ๕",
        ),
        ({"start": "2024-04-10", "amount": "-1", "unit": "day"}, "amount", "จำนวนต้องไม่ติดลบ"),
        (
            {"start": "2024-04-10", "amount": "10001", "unit": "day"},
            "amount",
            "จำนวนต้องไม่เกิน 10,000",
        ),
        (
            {"start": "2024-04-10", "amount": "999999999999", "unit": "minute"},
            "amount",
            "จำนวนต้องไม่เกิน 10,000",
        ),
        (
            {"start": "2024-04-10", "amount": "1.5", "unit": "working_day"},
            "amount",
            "จำนวนวัน สัปดาห์ หรือเดือน ต้องเป็นจำนวนเต็ม",
        ),
        (
            {"start": "2100-12-30", "amount": "5", "unit": "working_day"},
            "amount",
            "ผลลัพธ์เกินช่วงที่ปฏิทินวันหยุดรองรับ: พ.ศ. 2457–2643 (ค.ศ. 1914–2100)",
        ),
        (
            {"start": "1900-01-01", "amount": "1", "unit": "hour"},
            "start",
            "ปฏิทินวันหยุดรองรับเฉพาะ พ.ศ. 2457–2643 (ค.ศ. 1914–2100)",
        ),
        ({"amount": "5", "unit": "day"}, "start", "กรุณาระบุวันเริ่ม (start)"),
        ({"start": "2024-04-10", "unit": "day"}, "amount", "กรุณาระบุจำนวน (amount)"),
        ({"start": "2024-04-10", "amount": "5"}, "unit", "กรุณาระบุหน่วย (unit)"),
    ],
)
def test_add_bad_input_is_400_naming_the_field(api, params, field, message):
    response = api.get(ADD, params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in ("invalid", "calendar_invalid")
    assert error["fields"] == {field: [message]}
    assert message in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567"),
        ("1800", "ปีต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)"),
        ("2700", "ปีต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)"),
        ("99999999999999999999", "ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567"),
        ("1913", "ปีต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)"),
        ("๒๕๖๗๐", "ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567"),
        ("", "กรุณาระบุปี เช่น 2567"),
        ("  ", "กรุณาระบุปี เช่น 2567"),
    ],
)
def test_holidays_bad_year_is_400_naming_the_field(api, year, message):
    response = api.get(HOLIDAYS, {"year": year})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"year": [message]}


@pytest.mark.django_db
def test_unknown_query_parameters_are_refused(api):
    response = api.get(HOLIDAYS, {"yaer": "2567"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"yaer": ["ไม่รู้จักพารามิเตอร์ 'yaer' (ใช้ได้: year)"]}


@pytest.mark.django_db
def test_format_parameter_is_allowed(api):
    response = api.get(HOLIDAYS, {"year": "2567", "format": "json"})

    assert response.status_code == 200
    assert len(response.json()) == 30


# Sign-in


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [f"{HOLIDAYS}?year=2024", f"{ADD}?start=2024-04-10&amount=5&unit=day"]
)
def test_anonymous_gets_401(url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_token_authentication_works(officer):
    token = Token.objects.create(user=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get(ADD, {"start": "2024-04-10", "amount": "5", "unit": "working_day"})

    assert response.json()["result"] == "2024-04-22"


# OpenAPI schema


@pytest.mark.django_db
def test_schema_describes_parameters_and_error_responses(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    holidays_get = schema["paths"][HOLIDAYS]["get"]
    add_get = schema["paths"][ADD]["get"]
    assert [(p["name"], p["in"], p.get("required", False)) for p in holidays_get["parameters"]] == [
        ("year", "query", False)
    ]
    assert sorted((p["name"], p["required"]) for p in add_get["parameters"]) == [
        ("amount", True),
        ("start", True),
        ("unit", True),
    ]
    unit = next(p for p in add_get["parameters"] if p["name"] == "unit")
    unit_schema = unit["schema"]
    if "$ref" in unit_schema:
        unit_schema = schema["components"]["schemas"][unit_schema["$ref"].rsplit("/", 1)[1]]
    assert unit_schema["enum"] == ["minute", "hour", "day", "working_day", "week", "month"]
    for operation in (holidays_get, add_get):
        assert {"200", "400", "401", "403"} <= set(operation["responses"])
    result = schema["components"]["schemas"]["CalendarAddResult"]
    assert sorted(result["properties"]) == ["amount", "result", "start", "unit"]
    day_off = schema["components"]["schemas"]["DayOff"]
    assert sorted(day_off["properties"]) == ["date", "name", "source"]
