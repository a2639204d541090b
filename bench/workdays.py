"""The working-day calendar: deadlines 45 working days out, and office time over a month.

Baselines are the same walks done the simplest way: skip Saturdays and Sundays only, with no
holiday list, no override table and no input checks. The ratio is the price of getting Thai
holidays and the administrators' overrides right.
"""

from __future__ import annotations

import datetime as dt
import itertools

from bench.harness import Result, compare, queries_of
from krabuan.core.thai import BANGKOK
from krabuan.org import calendar

ONE_DAY = dt.timedelta(days=1)
AMOUNT = 45
# Every fifth day of FY2567 (Oct 2023 – Sep 2024): all weekdays, Songkran, New Year, long weekends.
STARTS = [dt.date(2023, 10, 1) + dt.timedelta(days=5 * i) for i in range(73)]
# The twelve months of FY2567 as [first day 00:00, first day of the next month 00:00) in Bangkok.
MONTHS = [
    (
        dt.datetime(2023 + (m + 9) // 12, (m + 9) % 12 + 1, 1, tzinfo=BANGKOK),
        dt.datetime(2023 + (m + 10) // 12, (m + 10) % 12 + 1, 1, tzinfo=BANGKOK),
    )
    for m in range(12)
]


def weekdays_add(start: dt.date, n: int) -> dt.date:
    """The n-th Monday-to-Friday day after start: the calendar without holidays."""
    day = start
    while n:
        day += ONE_DAY
        if day.weekday() < 5:
            n -= 1
    return day


def weekdays_office_time(
    start: dt.datetime, end: dt.datetime, opens: dt.time, closes: dt.time
) -> dt.timedelta:
    """Office time on Monday-to-Friday days between two aware instants."""
    total = dt.timedelta(0)
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            begin = max(start, dt.datetime.combine(day, opens, tzinfo=BANGKOK))
            finish = min(end, dt.datetime.combine(day, closes, tzinfo=BANGKOK))
            if finish > begin:
                total += finish - begin
        day += ONE_DAY
    return total


def run() -> list[Result]:
    """calendar.add 45 working days (with and without the override read) and
    working_time_between over a month, each against its weekends-only loop."""
    opens, closes = calendar.office_hours()
    songkran = dt.date(2024, 4, 10)
    extra_days = sum(
        (calendar.add(day, AMOUNT, "working_day") - weekdays_add(day, AMOUNT)).days
        for day in STARTS
    )
    common = {"starts": len(STARTS), "holiday_days_skipped_avg": round(extra_days / len(STARTS), 2)}

    starts, base_starts = itertools.cycle(STARTS), itertools.cycle(STARTS)
    add = compare(
        f"calendar.add({AMOUNT}, working_day)",
        lambda: calendar.add(next(starts), AMOUNT, "working_day"),
        baseline_name=f"plain loop adding {AMOUNT} days, skipping weekends only",
        baseline=lambda: weekdays_add(next(base_starts), AMOUNT),
        info={
            **common,
            "queries": queries_of(lambda: calendar.add(songkran, AMOUNT, "working_day")),
            "2024-04-10+45": calendar.add(songkran, AMOUNT, "working_day").isoformat(),
        },
    )

    loaded = calendar.WorkCalendar.load()
    starts, base_starts = itertools.cycle(STARTS), itertools.cycle(STARTS)
    add_loaded = compare(
        f"WorkCalendar.add({AMOUNT}, working_day), loaded once",
        lambda: loaded.add(next(starts), AMOUNT, "working_day"),
        baseline_name=f"plain loop adding {AMOUNT} days, skipping weekends only",
        baseline=lambda: weekdays_add(next(base_starts), AMOUNT),
        info={**common, "queries": queries_of(lambda: loaded.add(songkran, AMOUNT, "working_day"))},
    )

    months, base_months = itertools.cycle(MONTHS), itertools.cycle(MONTHS)
    april = MONTHS[6]
    between = compare(
        "calendar.working_time_between, one month",
        lambda: calendar.working_time_between(*next(months)),
        baseline_name="plain loop summing office hours of Monday-Friday days of the month",
        baseline=lambda: weekdays_office_time(*next(base_months), opens, closes),
        info={
            "months": len(MONTHS),
            "queries": queries_of(lambda: calendar.working_time_between(*april)),
            "april_2024_hours": calendar.working_time_between(*april).total_seconds() / 3600,
        },
    )
    return [add, add_loaded, between]
