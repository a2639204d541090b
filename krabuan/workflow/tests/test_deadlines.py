"""Deadlines on the Thai working-day calendar (deadlines.compute), with exact instants."""

from __future__ import annotations

import datetime as dt

import pytest

from krabuan.core.thai import BANGKOK
from krabuan.manual.durations import parse_duration
from krabuan.org.calendar import WorkCalendar
from krabuan.org.models import CalendarOverride, OverrideKind
from krabuan.workflow.deadlines import (
    NOTE_OUT_OF_RANGE,
    NOTE_REVIEW,
    NOTE_SLOWEST,
    Deadline,
    compute,
    deadline_note,
    duration_of,
)

S04_PROCUREMENT = (
    "- วิธีเฉพาะเจาะจง (๕- ๑๐ วันทำการ) - วิธีคัดเลือก (๑๐-๓๐ วัน) "
    "- วิธีประกาศเชิญชวนทั่วไปประกวดราคาอิเล็กทรอนิกส์ (๓๐-๖๐ วันทำการ)"
)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def deadline(text: str, start: dt.datetime, **kwargs) -> Deadline:
    # No admin overrides: the library's PUBLIC and GOVERNMENT days off only.
    return compute(parse_duration(text), start=start, calendar=WorkCalendar(), **kwargs)


# Working days


def test_one_working_day_before_songkran_is_the_next_day():
    assert deadline("๑ วันทำการ", at(2024, 4, 10, 9, 0)).due_at == at(2024, 4, 11, 16, 30)


def test_one_working_day_from_the_day_before_the_bridge_skips_the_whole_songkran_break():
    # 12 Apr bridge day, 13–15 Songkran (weekend in between), 16 Apr substitution day.
    result = deadline("๑ วันทำการ", at(2024, 4, 11, 10, 0))
    assert result == Deadline(at(2024, 4, 17, 16, 30), at(2024, 4, 17, 16, 30), False, "")


def test_five_working_days_across_songkran():
    assert deadline("๕ วันทำการ", at(2024, 4, 10, 9, 0)).due_at == at(2024, 4, 22, 16, 30)


def test_working_days_across_new_year_skip_bridge_eve_and_new_year():
    # Fri 27 Dec 2024 → weekend, 30 Dec bridge, 31 Dec, 1 Jan 2025 → Thu 2 Jan.
    assert deadline("๑ วันทำการ", at(2024, 12, 27, 9, 0)).due_at == at(2025, 1, 2, 16, 30)
    assert deadline("๓ วันทำการ", at(2024, 12, 26, 9, 0)).due_at == at(2025, 1, 3, 16, 30)


def test_royal_ploughing_day_is_a_day_off_for_government_offices():
    # Fri 10 May 2024 is the Royal Ploughing Ceremony (GOVERNMENT category).
    assert deadline("๑ วันทำการ", at(2024, 5, 9, 9, 0)).due_at == at(2024, 5, 13, 16, 30)


def test_a_start_given_in_utc_counts_on_the_bangkok_day():
    # 20:00 UTC on 9 Apr is 03:00 on 10 Apr in Bangkok.
    start = dt.datetime(2024, 4, 9, 20, 0, tzinfo=dt.UTC)
    assert deadline("๑ วันทำการ", start).due_at == at(2024, 4, 11, 16, 30)


@pytest.mark.django_db
def test_an_admin_day_off_moves_the_deadline():
    start = at(2024, 6, 13, 9, 0)  # Thursday; Friday 14 June is an ordinary working day
    assert compute(parse_duration("๑ วันทำการ"), start=start).due_at == at(2024, 6, 14, 16, 30)
    CalendarOverride.objects.create(
        date=dt.date(2024, 6, 14), kind=OverrideKind.DAY_OFF, name="วันหยุดพิเศษ (ครม.)"
    )
    # compute() without a calendar reads the override table.
    assert compute(parse_duration("๑ วันทำการ"), start=start).due_at == at(2024, 6, 17, 16, 30)


@pytest.mark.django_db
def test_an_admin_working_saturday_counts():
    CalendarOverride.objects.create(
        date=dt.date(2024, 6, 15), kind=OverrideKind.WORKING_DAY, name="ทำงานชดเชย"
    )
    start = at(2024, 6, 14, 9, 0)  # Friday
    assert compute(parse_duration("๑ วันทำการ"), start=start).due_at == at(2024, 6, 15, 16, 30)


# Office time (minutes and hours)


def test_per_item_minutes_times_quantity_run_over_into_the_next_working_day():
    # S02: "๕ นาที/เรื่อง" × 12 letters = 60 minutes from Fri 5 Jul 2024 16:00:
    # 30 minutes to closing, then 30 minutes from 08:30 on Monday.
    result = deadline("๕ นาที/เรื่อง", at(2024, 7, 5, 16, 0), quantity=12)
    assert result == Deadline(at(2024, 7, 8, 9, 0), at(2024, 7, 8, 9, 0), False, "")


def test_per_item_minutes_skip_a_substitution_monday():
    # Mon 8 Apr 2024 is the Chakri Memorial Day substitution day.
    result = deadline("๕ นาที/เรื่อง", at(2024, 4, 5, 16, 0), quantity=12)
    assert result.due_at == at(2024, 4, 9, 9, 0)


def test_per_item_without_a_quantity_counts_one_item():
    assert deadline("๕ นาที/เรื่อง", at(2024, 7, 5, 10, 0)).due_at == at(2024, 7, 5, 10, 5)


def test_quantity_does_not_multiply_a_duration_that_is_not_per_item():
    assert deadline("๑๐ นาที", at(2024, 7, 5, 10, 0), quantity=12).due_at == at(2024, 7, 5, 10, 10)


def test_hours_count_office_time_only():
    assert deadline("๒ ชั่วโมง", at(2024, 7, 4, 15, 30)).due_at == at(2024, 7, 5, 9, 30)


def test_minutes_started_before_opening_count_from_opening():
    assert deadline("๑๐ นาที", at(2024, 7, 4, 7, 0)).due_at == at(2024, 7, 4, 8, 40)


def test_minutes_started_on_a_holiday_count_from_the_next_opening():
    # Songkran: the first working day after 12–16 Apr 2024 is 17 Apr.
    assert deadline("๑๐ นาที", at(2024, 4, 13, 10, 0)).due_at == at(2024, 4, 17, 8, 40)


# Calendar time


def test_calendar_days_count_holidays_too():
    assert deadline("๗ วัน", at(2024, 4, 10, 10, 0)).due_at == at(2024, 4, 17, 16, 30)


def test_weeks_are_calendar_weeks():
    assert deadline("๒ อาทิตย์", at(2024, 4, 10, 10, 0)).due_at == at(2024, 4, 24, 16, 30)


def test_a_month_keeps_the_day_clamped_to_a_shorter_month():
    assert deadline("๑ เดือน", at(2024, 1, 31, 10, 0)).due_at == at(2024, 2, 29, 16, 30)


def test_a_year_is_twelve_months():
    assert deadline("๑ ปี", at(2024, 2, 29, 10, 0)).due_at == at(2025, 2, 28, 16, 30)


def test_half_a_day_rounds_up_to_a_whole_day():
    assert deadline("ครึ่งวัน", at(2024, 4, 10, 10, 0)).due_at == at(2024, 4, 11, 16, 30)


# Ranges


def test_a_range_is_due_at_its_upper_bound_with_the_lower_bound_as_target():
    result = deadline("๑ - ๕ วันทำการ", at(2024, 4, 10, 9, 0))
    assert result == Deadline(at(2024, 4, 22, 16, 30), at(2024, 4, 11, 16, 30), False, "")


def test_a_per_item_range_multiplies_both_bounds():
    result = deadline("๕-๑๐ นาที/เรื่อง", at(2024, 7, 4, 9, 0), quantity=3)
    assert (result.target_at, result.due_at) == (at(2024, 7, 4, 9, 15), at(2024, 7, 4, 9, 30))


# Method-dependent durations (S04 procurement)


def test_the_chosen_method_sets_deadline_and_target():
    # Mon 1 Apr 2024; 8 Apr (Chakri substitution) and 12–16 Apr are off.
    result = deadline(S04_PROCUREMENT, at(2024, 4, 1, 9, 0), alternative="วิธีเฉพาะเจาะจง")
    assert result == Deadline(at(2024, 4, 19, 16, 30), at(2024, 4, 9, 16, 30), False, "")


def test_a_method_in_calendar_days_counts_calendar_days():
    result = deadline(S04_PROCUREMENT, at(2024, 4, 1, 9, 0), alternative="วิธีคัดเลือก")
    assert result == Deadline(at(2024, 5, 1, 16, 30), at(2024, 4, 11, 16, 30), False, "")


def test_no_method_chosen_uses_the_slowest_for_the_deadline_and_says_so():
    start = at(2024, 4, 1, 9, 0)
    slowest = deadline(S04_PROCUREMENT, start, alternative="วิธีประกาศเชิญชวนทั่วไปประกวดราคาอิเล็กทรอนิกส์")
    result = deadline(S04_PROCUREMENT, start)
    # 60 working days from Mon 1 Apr 2024: 17 in April (8 Apr, 12–16 Apr off), 19 in May
    # (1, 6, 10 and 22 May off), 19 in June (3 June off), then 1–5 July.
    assert slowest.due_at == at(2024, 7, 5, 16, 30)
    assert result == Deadline(at(2024, 7, 5, 16, 30), at(2024, 4, 9, 16, 30), False, NOTE_SLOWEST)


def test_an_unknown_method_label_is_treated_as_not_chosen():
    result = deadline(S04_PROCUREMENT, at(2024, 4, 1, 9, 0), alternative="วิธีที่ไม่มี")
    assert (result.due_at, result.note) == (at(2024, 7, 5, 16, 30), NOTE_SLOWEST)


def test_methods_in_units_that_do_not_convert_still_get_the_slowest_deadline():
    # The parser cannot give overall bounds for hours vs days; the engine compares instants.
    duration = parse_duration("วิธี ก (๒ ชั่วโมง) วิธี ข (๓ วัน)")
    assert duration.max is None
    result = compute(duration, start=at(2024, 7, 4, 9, 0), calendar=WorkCalendar())
    assert result == Deadline(at(2024, 7, 7, 16, 30), at(2024, 7, 4, 11, 0), False, NOTE_SLOWEST)


def test_a_per_item_method_multiplies_by_the_quantity():
    text = "วิธี ก (๕ นาที/เรื่อง) วิธี ข (๑ ชั่วโมง)"
    chosen = deadline(text, at(2024, 7, 4, 9, 0), alternative="วิธี ก", quantity=24)
    assert chosen.due_at == at(2024, 7, 4, 11, 0)
    # Unchosen: 24 letters × 5 minutes (2 hours) is slower than the 1-hour method.
    assert deadline(text, at(2024, 7, 4, 9, 0), quantity=24).due_at == at(2024, 7, 4, 11, 0)


# Open-ended, unspecified, unparsed


@pytest.mark.parametrize(
    "text",
    [
        "ตลอดระยะเวลาการให้บริการ",
        "ขึ้นอยู่กับผู้บริหาร",
        "ไม่ระบุ",
        "",
        "๑๐",  # unit missing
        "ประมาณ ๓ วัน ๒ ชั่วโมง",  # unparsed
    ],
)
def test_durations_without_a_clear_length_get_no_deadline_but_a_review_flag(text):
    assert deadline(text, at(2024, 4, 10, 9, 0)) == Deadline(None, None, True, NOTE_REVIEW)


def test_a_deadline_beyond_the_holiday_data_is_flagged_not_an_error():
    result = deadline("๖๐ วันทำการ", at(2100, 12, 1, 9, 0))
    assert result == Deadline(None, None, True, NOTE_OUT_OF_RANGE)


def test_an_unreadable_stored_duration_is_unparsed():
    assert duration_of({"status": "nonsense"}).status == "unparsed"
    assert duration_of({"status": "parsed", "unit": "fortnight", "text": "x"}).text == "x"
    assert duration_of(None).status == "unspecified"  # type: ignore[arg-type]
    assert duration_of(parse_duration("๑ วันทำการ").to_dict()) == parse_duration("๑ วันทำการ")


# Recurring steps


def test_a_monthly_step_is_due_one_month_after_it_starts():
    result = deadline("๑ ครั้ง/เดือน", at(2024, 4, 10, 10, 0))
    assert result == Deadline(at(2024, 5, 10, 16, 30), at(2024, 5, 10, 16, 30), False, "")


def test_later_occurrences_count_whole_periods_from_the_first_start_without_drift():
    start = at(2024, 1, 31, 10, 0)
    dues = [deadline("๑ ครั้ง/เดือน", start, occurrence=n).due_at for n in (1, 2, 3)]
    assert dues == [at(2024, 2, 29, 16, 30), at(2024, 3, 31, 16, 30), at(2024, 4, 30, 16, 30)]


def test_every_three_months():
    assert deadline("ทุก ๓ เดือน", at(2024, 4, 10, 10, 0), occurrence=2).due_at == at(
        2024, 10, 10, 16, 30
    )


def test_twice_a_month_is_due_every_fifteen_days():
    assert deadline("๒ ครั้ง/เดือน", at(2024, 4, 10, 10, 0)).due_at == at(2024, 4, 25, 16, 30)
    assert deadline("๒ ครั้ง/เดือน", at(2024, 4, 10, 10, 0), occurrence=2).due_at == at(
        2024, 5, 10, 16, 30
    )


def test_once_a_fiscal_year_is_due_at_the_end_of_the_fiscal_year():
    start = at(2024, 4, 10, 10, 0)  # FY 2567 ends 30 Sep 2024
    assert deadline("๑ ครั้ง/ปีงบประมาณ", start).due_at == at(2024, 9, 30, 16, 30)
    assert deadline("๑ ครั้ง/ปีงบประมาณ", start, occurrence=2).due_at == at(2025, 9, 30, 16, 30)


# Calendar windows


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2024, 3, 1, 9, 0), at(2024, 4, 5, 16, 30)),
        (at(2024, 4, 5, 16, 0), at(2024, 4, 5, 16, 30)),
        (at(2024, 4, 10, 9, 0), at(2024, 10, 5, 16, 30)),
        (at(2024, 11, 10, 9, 0), at(2025, 4, 5, 16, 30)),
    ],
)
def test_a_by_day_window_is_due_on_that_day_of_the_next_listed_month(start, due):
    result = deadline("ภายในวันที่ ๕ ของเดือนเมษายนและเดือนตุลาคม", start)
    assert result == Deadline(due, due, False, "")


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2024, 4, 10, 9, 0), at(2024, 8, 31, 16, 30)),
        (at(2024, 8, 15, 9, 0), at(2024, 8, 31, 16, 30)),
        (at(2024, 9, 1, 9, 0), at(2025, 8, 31, 16, 30)),
    ],
)
def test_a_month_window_is_due_at_the_end_of_the_month(start, due):
    assert deadline("ช่วงเดือน ส.ค.", start).due_at == due


# Notes for the page


def test_the_note_explains_a_deadline_that_is_not_plain():
    s04 = parse_duration(S04_PROCUREMENT).to_dict()
    assert deadline_note(s04) == NOTE_SLOWEST
    assert deadline_note(s04, alternative="วิธีคัดเลือก") == ""
    assert deadline_note(parse_duration("ไม่ระบุ").to_dict(), needs_review=True) == NOTE_REVIEW
    assert deadline_note(parse_duration("๖๐ วันทำการ").to_dict(), needs_review=True) == (
        NOTE_OUT_OF_RANGE
    )
    assert deadline_note(parse_duration("๑ วันทำการ").to_dict()) == ""
