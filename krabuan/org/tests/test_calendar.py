"""The working-day calendar: holidays, overrides, working days and office time (frozen inputs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import holidays
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from krabuan.core.errors import ApplicationError, NotFound, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.org import calendar
from krabuan.org.calendar import CalendarError, DayOff, WorkCalendar
from krabuan.org.models import CalendarOverride, OverrideKind
from krabuan.org.services.calendar import (
    calendar_override_add,
    calendar_override_delete,
    calendar_override_update,
)

D = dt.date
UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def override(day: dt.date, kind: str, name: str = "ทดสอบ") -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, kind=kind, name=name)


# Holidays


@pytest.mark.django_db
def test_songkran_2024_days_off_with_bridge_and_substitution_day():
    april = [d for d in calendar.days_off(2024) if d.date.month == 4]

    assert april == [
        DayOff(
            D(2024, 4, 6),
            "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์",
            "public",
        ),
        DayOff(
            D(2024, 4, 8),
            "ชดเชยวันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์",
            "public",
        ),
        DayOff(D(2024, 4, 12), "วันหยุดพิเศษ (เพิ่มเติม)", "public"),
        DayOff(D(2024, 4, 13), "วันสงกรานต์", "public"),
        DayOff(D(2024, 4, 14), "วันสงกรานต์", "public"),
        DayOff(D(2024, 4, 15), "วันสงกรานต์", "public"),
        DayOff(D(2024, 4, 16), "ชดเชยวันสงกรานต์", "public"),
    ]


@pytest.mark.django_db
def test_songkran_2024_five_working_days_from_10_april_is_22_april():
    assert calendar.add(D(2024, 4, 10), 5, "working_day") == D(2024, 4, 22)
    assert calendar.add_working_days(D(2024, 4, 10), 5) == D(2024, 4, 22)


@pytest.mark.django_db
def test_next_working_day_rechecks_after_each_skip():
    # 12 Apr bridge (Fri), 13–14 weekend and Songkran, 15 Songkran (Mon), 16 substitution (Tue).
    assert calendar.next_working_day(D(2024, 4, 11)) == D(2024, 4, 17)


@pytest.mark.django_db
def test_new_year_2024_two_working_days_from_27_december():
    assert calendar.add(D(2024, 12, 27), 2, "working_day") == D(2025, 1, 3)
    assert [calendar.is_day_off(D(2024, 12, day)) for day in (27, 28, 29, 30, 31)] == [
        False,
        True,
        True,
        True,
        True,
    ]
    assert calendar.is_day_off(D(2025, 1, 1)) is True
    assert calendar.is_day_off(D(2025, 1, 2)) is False


@pytest.mark.django_db
def test_new_year_2024_bridge_day_is_listed():
    december = [(d.date, d.name) for d in calendar.days_off(2024) if d.date.month == 12]

    assert (D(2024, 12, 30), "วันหยุดพิเศษ (เพิ่มเติม)") in december
    assert (D(2024, 12, 31), "วันสิ้นปี") in december


@pytest.mark.django_db
def test_royal_ploughing_day_is_a_government_day_off_only_on_its_date():
    days = {d.date: d for d in calendar.days_off(2026)}

    assert days[D(2026, 5, 13)] == DayOff(D(2026, 5, 13), "วันพืชมงคล", "government")
    assert calendar.is_day_off(D(2026, 5, 13)) is True
    assert calendar.is_day_off(D(2026, 5, 14)) is False
    assert calendar.add(D(2026, 5, 12), 1, "working_day") == D(2026, 5, 14)


@pytest.mark.django_db
def test_workday_school_and_armed_forces_days_are_working_days():
    workday = holidays.Thailand(years=2026, categories=("workday",))
    listed = {d.date for d in calendar.days_off(2026)}

    assert D(2026, 11, 24) in workday  # Loy Krathong
    assert calendar.is_day_off(D(2026, 11, 24)) is False
    assert listed & set(workday) == set()
    assert calendar.is_day_off(D(2026, 1, 16)) is False  # Teacher's Day (SCHOOL), a Friday
    # Armed Forces Day (ARMED_FORCES) 2024 is a Thursday.
    assert calendar.is_day_off(D(2024, 1, 18)) is False
    assert D(2026, 1, 16) not in listed
    assert D(2024, 1, 18) not in {d.date for d in calendar.days_off(2024)}


@pytest.mark.django_db
def test_substitution_days_follow_weekend_holidays():
    days = {d.date: d.name for d in calendar.days_off(2026)}

    assert days[D(2026, 12, 5)].startswith("วันคล้ายวันเฉลิมพระชนมพรรษา")  # a Saturday
    assert days[D(2026, 12, 7)].startswith("ชดเชย")  # the Monday after
    assert calendar.is_day_off(D(2026, 12, 7)) is True
    # Asarnha Bucha (Sat) and Lent (Sun) 2024: only one substitute, on Monday 22 July.
    assert calendar.add(D(2024, 7, 19), 1, "working_day") == D(2024, 7, 23)


@pytest.mark.django_db
def test_weekends_are_days_off_and_not_listed():
    assert calendar.is_day_off(D(2024, 4, 27)) is True  # Saturday
    assert calendar.is_day_off(D(2024, 4, 28)) is True  # Sunday
    assert D(2024, 4, 27) not in {d.date for d in calendar.days_off(2024)}


def test_days_off_are_sorted_and_sourced():
    days = WorkCalendar().days_off(2024)

    assert [d.date for d in days] == sorted(d.date for d in days)
    assert {d.source for d in days} == {"public", "government"}
    assert len(days) == 30


# Administrators' overrides


@pytest.mark.django_db
def test_admin_day_off_changes_the_result():
    override(D(2024, 4, 17), OverrideKind.DAY_OFF, "ปิดสำนักงานย้ายอาคาร")

    assert calendar.add(D(2024, 4, 10), 5, "working_day") == D(2024, 4, 23)
    assert calendar.is_day_off(D(2024, 4, 17)) is True
    days = {d.date: d for d in calendar.days_off(2024)}
    assert days[D(2024, 4, 17)] == DayOff(D(2024, 4, 17), "ปิดสำนักงานย้ายอาคาร", "admin")


@pytest.mark.django_db
def test_admin_working_day_removes_a_holiday():
    override(D(2024, 4, 12), OverrideKind.WORKING_DAY, "ยกเลิกวันหยุดพิเศษ")

    assert D(2024, 4, 12) not in {d.date for d in calendar.days_off(2024)}
    assert calendar.is_day_off(D(2024, 4, 12)) is False
    # 11 Apr (1), 12 Apr (2), 17 (3), 18 (4), 19 (5).
    assert calendar.add(D(2024, 4, 10), 5, "working_day") == D(2024, 4, 19)


@pytest.mark.django_db
def test_admin_working_day_can_open_a_saturday():
    override(D(2024, 4, 27), OverrideKind.WORKING_DAY, "ทำงานชดเชย")

    assert calendar.is_day_off(D(2024, 4, 27)) is False
    assert calendar.next_working_day(D(2024, 4, 26)) == D(2024, 4, 27)


@pytest.mark.django_db
def test_admin_day_off_on_a_holiday_replaces_the_library_name():
    override(D(2024, 4, 12), OverrideKind.DAY_OFF, "วันหยุดพิเศษตามมติ ครม.")

    days = {d.date: d for d in calendar.days_off(2024)}

    assert days[D(2024, 4, 12)] == DayOff(D(2024, 4, 12), "วันหยุดพิเศษตามมติ ครม.", "admin")
    assert len([d for d in calendar.days_off(2024) if d.date == D(2024, 4, 12)]) == 1


@pytest.mark.django_db
def test_days_off_and_add_query_the_override_table_once(django_assert_num_queries):
    override(D(2024, 4, 17), OverrideKind.DAY_OFF)

    with django_assert_num_queries(1):
        calendar.days_off(2024)
    with django_assert_num_queries(1):
        # The package alone says 2028-02-24; the admin day off pushes it one day.
        assert calendar.add(D(2024, 1, 1), 1000, "working_day") == D(2028, 2, 25)


def test_working_days_agree_with_the_holidays_package_over_three_years():
    library = holidays.Thailand(years=range(2024, 2028), categories=("public", "government"))
    work = WorkCalendar()
    start = D(2024, 1, 1)

    for offset in range(0, 3 * 365, 7):
        day = start + dt.timedelta(days=offset)
        for n in (1, 3, 10, 45):
            assert work.add_working_days(day, n) == library.get_nth_working_day(day, n), (day, n)


def test_work_calendar_takes_overrides_without_the_database():
    work = WorkCalendar({D(2024, 4, 17): (OverrideKind.DAY_OFF, "ปิดสำนักงาน")})

    assert work.add(D(2024, 4, 10), 5, "working_day") == D(2024, 4, 23)
    assert work.add(D(2024, 4, 10), 0, "working_day") == D(2024, 4, 10)
    assert work.add_working_days(D(2024, 4, 22), -2) == D(2024, 4, 18)


# Office time


def test_friday_afternoon_plus_sixty_minutes_is_monday_nine():
    work = WorkCalendar()

    assert work.add(at(2024, 4, 26, 16, 0), 60, "minute") == at(2024, 4, 29, 9, 0)


def test_office_time_skips_a_monday_holiday():
    # Monday 8 April 2024 is the Chakri Day substitute.
    assert WorkCalendar().add(at(2024, 4, 5, 16, 0), 60, "minute") == at(2024, 4, 9, 9, 0)


def test_office_time_across_songkran_rechecks_every_day():
    assert WorkCalendar().add(at(2024, 4, 11, 16, 0), 1, "hour") == at(2024, 4, 17, 9, 0)


def test_office_time_ending_at_closing_stays_on_that_day():
    assert WorkCalendar().add(at(2024, 4, 26, 16, 0), 30, "minute") == at(2024, 4, 26, 16, 30)


def test_office_time_before_opening_starts_at_opening():
    assert WorkCalendar().add(at(2024, 4, 29, 7, 0), 30, "minute") == at(2024, 4, 29, 9, 0)


def test_office_time_after_closing_starts_next_working_day():
    assert WorkCalendar().add(at(2024, 4, 26, 18, 0), 10, "minute") == at(2024, 4, 29, 8, 40)


def test_office_time_with_fractional_hours_and_a_date_start():
    work = WorkCalendar()

    assert work.add(at(2024, 4, 29, 8, 30), Decimal("1.5"), "hour") == at(2024, 4, 29, 10, 0)
    # A date means its office opening; a day off moves to the next opening.
    assert work.add(D(2024, 4, 29), 1, "hour") == at(2024, 4, 29, 9, 30)
    assert work.add(D(2024, 4, 13), 0, "minute") == at(2024, 4, 17, 8, 30)


def test_office_time_several_days_long():
    # 8 office hours a day: Monday 8 h, Tuesday 8 h, Wednesday 1 May is Labour Day, Thursday 4 h.
    assert WorkCalendar().add(at(2024, 4, 29, 8, 30), 20, "hour") == at(2024, 5, 2, 12, 30)


def test_office_time_reads_other_time_zones_and_naive_values_as_bangkok():
    work = WorkCalendar()

    assert work.add(dt.datetime(2024, 4, 26, 9, 0, tzinfo=UTC), 60, "minute") == at(
        2024, 4, 29, 9, 0
    )
    assert work.add(dt.datetime(2024, 4, 26, 16, 0), 60, "minute") == at(2024, 4, 29, 9, 0)
    result = work.add(dt.datetime(2024, 4, 26, 9, 0, tzinfo=UTC), 60, "minute")
    assert result.utcoffset() == dt.timedelta(hours=7)


@override_settings(KRABUAN_OFFICE_START="09:00", KRABUAN_OFFICE_END="17:00")
def test_office_hours_come_from_settings():
    assert calendar.office_hours() == (dt.time(9, 0), dt.time(17, 0))
    assert WorkCalendar().add(at(2024, 4, 26, 16, 30), 60, "minute") == at(2024, 4, 29, 9, 30)


def test_default_office_hours():
    assert calendar.office_hours() == (dt.time(8, 30), dt.time(16, 30))


@override_settings(KRABUAN_OFFICE_START="16:30", KRABUAN_OFFICE_END="08:30")
def test_office_hours_must_open_before_closing():
    with pytest.raises(ImproperlyConfigured):
        calendar.office_hours()


@override_settings(KRABUAN_OFFICE_START="8.30")
def test_office_hours_must_be_hh_mm():
    with pytest.raises(ImproperlyConfigured):
        calendar.office_hours()


def test_working_time_between_across_a_weekend():
    work = WorkCalendar()

    spent = work.working_time_between(at(2024, 4, 26, 15, 30), at(2024, 4, 29, 10, 0))

    assert spent == dt.timedelta(hours=2, minutes=30)


def test_working_time_between_across_songkran_and_outside_hours():
    work = WorkCalendar()

    assert work.working_time_between(at(2024, 4, 11, 16, 0), at(2024, 4, 17, 9, 0)) == dt.timedelta(
        hours=1
    )
    assert work.working_time_between(at(2024, 4, 27, 9, 0), at(2024, 4, 28, 15, 0)) == dt.timedelta(
        0
    )
    assert work.working_time_between(at(2024, 4, 29, 6, 0), at(2024, 4, 29, 20, 0)) == dt.timedelta(
        hours=8
    )


def test_working_time_between_reversed_is_negative():
    work = WorkCalendar()

    assert work.working_time_between(
        at(2024, 4, 29, 10, 0), at(2024, 4, 26, 15, 30)
    ) == -dt.timedelta(hours=2, minutes=30)


@pytest.mark.django_db
def test_working_time_between_module_function_uses_overrides():
    override(D(2024, 4, 29), OverrideKind.DAY_OFF)

    assert calendar.working_time_between(
        at(2024, 4, 26, 15, 30), at(2024, 4, 30, 10, 0)
    ) == dt.timedelta(hours=2, minutes=30)


# Calendar arithmetic


def test_day_week_month_are_calendar_arithmetic():
    work = WorkCalendar()

    assert work.add(D(2024, 4, 10), 3, "day") == D(2024, 4, 13)
    assert work.add(D(2024, 4, 10), 2, "week") == D(2024, 4, 24)
    assert work.add(D(2024, 1, 31), 1, "month") == D(2024, 2, 29)
    assert work.add(D(2023, 1, 31), 1, "month") == D(2023, 2, 28)
    assert work.add(D(2024, 11, 15), 3, "month") == D(2025, 2, 15)
    assert work.add(D(2024, 4, 10), 0, "month") == D(2024, 4, 10)


def test_datetime_start_keeps_its_bangkok_time_for_day_units():
    work = WorkCalendar()

    assert work.add(at(2024, 4, 10, 14, 0), 5, "working_day") == at(2024, 4, 22, 14, 0)
    assert work.add(at(2024, 4, 10, 14, 0), 1, "month") == at(2024, 5, 10, 14, 0)


def test_units_are_the_documented_ones():
    assert calendar.UNITS == ("minute", "hour", "day", "working_day", "week", "month")


# Refused input


@pytest.mark.parametrize(
    ("start", "amount", "unit", "field", "message"),
    [
        (
            D(2024, 4, 10),
            5,
            "fortnight",
            "unit",
            "หน่วยต้องเป็นหนึ่งใน minute, hour, day, working_day, week, month",
        ),
        (D(2024, 4, 10), -1, "day", "amount", "จำนวนต้องไม่ติดลบ"),
        (D(2024, 4, 10), 10001, "day", "amount", "จำนวนต้องไม่เกิน 10,000"),
        (
            D(2024, 4, 10),
            Decimal("1.5"),
            "working_day",
            "amount",
            "จำนวนวัน สัปดาห์ หรือเดือน ต้องเป็นจำนวนเต็ม",
        ),
        (D(2024, 4, 10), Decimal("NaN"), "day", "amount", "จำนวนต้องเป็นตัวเลข"),
        (D(2024, 4, 10), True, "day", "amount", "จำนวนต้องเป็นตัวเลข"),
        ("2024-04-10", 1, "day", "start", "วันเริ่มต้องเป็นวันที่หรือวันเวลา"),
        (
            D(1900, 1, 1),
            1,
            "working_day",
            "start",
            "ปฏิทินวันหยุดรองรับเฉพาะ พ.ศ. 2457–2643 (ค.ศ. 1914–2100)",
        ),
        (
            D(2100, 12, 30),
            5,
            "working_day",
            "amount",
            "ผลลัพธ์เกินช่วงที่ปฏิทินวันหยุดรองรับ: พ.ศ. 2457–2643 (ค.ศ. 1914–2100)",
        ),
        (
            D(2100, 12, 30),
            10,
            "hour",
            "amount",
            "ผลลัพธ์เกินช่วงที่ปฏิทินวันหยุดรองรับ: พ.ศ. 2457–2643 (ค.ศ. 1914–2100)",
        ),
        (D(9999, 12, 1), 1, "month", "amount", "ผลลัพธ์เกินช่วงวันที่ที่ระบบรองรับ"),
        (D(9999, 12, 30), 7, "day", "amount", "ผลลัพธ์เกินช่วงวันที่ที่ระบบรองรับ"),
    ],
)
def test_add_refuses_bad_input_naming_the_field(start, amount, unit, field, message):
    with pytest.raises(CalendarError) as caught:
        WorkCalendar().add(start, amount, unit)

    assert caught.value.fields == {field: [message]}
    assert caught.value.status == 400


def test_days_off_refuses_years_without_data():
    with pytest.raises(CalendarError) as caught:
        WorkCalendar().days_off(2101)

    assert caught.value.fields == {"year": ["ปีต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)"]}


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2024", 2024),
        ("2567", 2024),
        ("๒๕๖๗", 2024),
        (" 2569 ", 2026),
        (2567, 2024),
        ("1914", 1914),
    ],
)
def test_year_from_text_accepts_ce_be_and_thai_digits(text, year):
    assert calendar.year_from_text(text) == year


@pytest.mark.parametrize("text", ["abc", "", "1913", "2101", "3000", "-2024", "2567.0", "1e3"])
def test_year_from_text_refuses_other_text(text):
    with pytest.raises(CalendarError) as caught:
        calendar.year_from_text(text)

    assert list(caught.value.fields) == ["year"]


# The override service


@pytest.mark.django_db
def test_admin_adds_updates_and_deletes_an_override_with_audit_rows(admin_user):
    added = calendar_override_add(
        actor=admin_user, date=D(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="  วันหยุดพิเศษ  "
    )

    assert (added.date, added.kind, added.name, added.created_by) == (
        D(2026, 5, 15),
        "day_off",
        "วันหยุดพิเศษ",
        admin_user,
    )
    assert calendar.is_day_off(D(2026, 5, 15)) is True

    calendar_override_update(
        actor=admin_user,
        override_id=added.pk,
        date=D(2026, 5, 15),
        kind=OverrideKind.DAY_OFF,
        name="วันหยุดพิเศษตามมติ ครม.",
    )
    calendar_override_delete(actor=admin_user, override_id=added.pk)

    assert CalendarOverride.objects.count() == 0
    assert calendar.is_day_off(D(2026, 5, 15)) is False
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "object_id", "changes"))
    assert rows == [
        (
            "calendar.override.add",
            str(added.pk),
            {"date": "2026-05-15", "kind": "day_off", "name": "วันหยุดพิเศษ"},
        ),
        ("calendar.override.update", str(added.pk), {"name": ["วันหยุดพิเศษ", "วันหยุดพิเศษตามมติ ครม."]}),
        (
            "calendar.override.delete",
            str(added.pk),
            {"date": "2026-05-15", "kind": "day_off", "name": "วันหยุดพิเศษตามมติ ครม."},
        ),
    ]


@pytest.mark.django_db
def test_officer_cannot_write_overrides(officer):
    with pytest.raises(PermissionDenied) as caught:
        calendar_override_add(
            actor=officer, date=D(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="x"
        )

    assert caught.value.status == 403
    assert CalendarOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date", "kind", "name", "fields"),
    [
        (
            D(2026, 5, 13),
            OverrideKind.DAY_OFF,
            "ซ้ำ",
            {"date": ["วันที่ 13 พฤษภาคม 2569 เป็นวันหยุดอยู่แล้ว"]},
        ),
        (
            D(2026, 5, 16),
            OverrideKind.DAY_OFF,
            "เสาร์",
            {"date": ["วันที่ 16 พฤษภาคม 2569 เป็นวันหยุดอยู่แล้ว"]},
        ),
        (
            D(2026, 5, 14),
            OverrideKind.WORKING_DAY,
            "ทำงาน",
            {"date": ["วันที่ 14 พฤษภาคม 2569 เป็นวันทำการอยู่แล้ว"]},
        ),
        (
            D(2026, 5, 14),
            "holiday",
            "x",
            {"kind": ["ประเภทต้องเป็น 'เพิ่มวันหยุด' หรือ 'ยกเลิกวันหยุด (เป็นวันทำการ)'"]},
        ),
        (D(2026, 5, 14), OverrideKind.DAY_OFF, "   ", {"name": ["กรุณาระบุชื่อวัน/เหตุผล"]}),
        (
            D(2026, 5, 14),
            OverrideKind.DAY_OFF,
            "ก" * 256,
            {"name": ["ชื่อวัน/เหตุผลยาวได้ไม่เกิน 255 ตัวอักษร"]},
        ),
        (
            D(2200, 5, 14),
            OverrideKind.DAY_OFF,
            "x",
            {"date": ["วันที่ต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)"]},
        ),
        (None, OverrideKind.DAY_OFF, "x", {"date": ["กรุณาระบุวันที่"]}),
    ],
)
def test_override_validation_names_the_field(admin_user, date, kind, name, fields):
    with pytest.raises(ApplicationError) as caught:
        calendar_override_add(actor=admin_user, date=date, kind=kind, name=name)

    assert caught.value.fields == fields
    assert caught.value.status == 400
    assert CalendarOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_override_date_must_be_unique(admin_user):
    calendar_override_add(
        actor=admin_user, date=D(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="หนึ่ง"
    )

    with pytest.raises(ApplicationError) as caught:
        calendar_override_add(
            actor=admin_user, date=D(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="สอง"
        )

    assert caught.value.fields == {"date": ["วันที่ 15 พฤษภาคม 2569 มีรายการอยู่แล้ว ให้แก้ไขรายการเดิม"]}
    assert list(CalendarOverride.objects.values_list("name", flat=True)) == ["หนึ่ง"]


@pytest.mark.django_db
def test_missing_override_is_not_found(admin_user):
    with pytest.raises(NotFound) as caught:
        calendar_override_delete(actor=admin_user, override_id=999)

    assert caught.value.status == 404
    assert caught.value.message == "ไม่พบรายการวันหยุดที่กำหนดเพิ่ม/ยกเลิก"
