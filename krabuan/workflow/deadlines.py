"""Deadlines of step instances from the step's structured duration on the working-day calendar.

- working days skip days off; minutes/hours count office time; days/weeks/months count calendar
  time. Day-based deadlines fall at office closing time of the due date (Asia/Bangkok).
- a range uses its upper bound for the deadline and its lower bound as the target;
- a per-item rate is multiplied by the quantity entered at the step (default 1);
- a method-dependent duration uses the alternative chosen at the step (until one is chosen, the
  slowest alternative, so nobody is chased early);
- a calendar window ("ช่วงเดือน ส.ค.", "ภายในวันที่ ๕ ของเดือนเมษายนและเดือนตุลาคม") is due at the
  end of the next window;
- a recurrence ("๑ ครั้ง/เดือน") is due one period after the start;
- open-ended, unspecified, unit-missing and unparsed durations get no deadline but are flagged
  for review.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from krabuan.core.thai import BANGKOK, fiscal_year_bounds, fiscal_year_of
from krabuan.manual.durations import Duration
from krabuan.org.calendar import WorkCalendar, office_hours

DAY_UNITS = ("day", "working_day", "week", "month", "year")


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime | None
    target_at: dt.datetime | None
    needs_review: bool
    note: str = ""


def _closing(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, office_hours()[1], tzinfo=BANGKOK)


def _add(cal: WorkCalendar, start: dt.datetime, amount: Decimal, unit: str) -> dt.datetime:
    if unit in ("minute", "hour"):
        result = cal.add(start, amount, unit)
        assert isinstance(result, dt.datetime)
        return result
    local = start.astimezone(BANGKOK)
    if unit == "year":
        amount, unit = amount * 12, "month"
    # Whole units only for day-based amounts: a half day rounds up to the next day.
    whole = int(amount.to_integral_value(rounding="ROUND_CEILING"))
    day = cal.add(local.date(), whole, unit)
    return _closing(day if not isinstance(day, dt.datetime) else day.date())


def _choose_alternative(duration: Duration, chosen: str) -> dict[str, Any] | None:
    if not duration.alternatives:
        return None
    for alt in duration.alternatives:
        if chosen and alt.get("label") == chosen:
            return alt
    return None


def _window_end(window: dict[str, Any], start: dt.datetime) -> dt.datetime | None:
    months = sorted(int(m) for m in window.get("months") or [] if 1 <= int(m) <= 12)
    if not months:
        return None
    local = start.astimezone(BANGKOK)
    by_day = window.get("by_day")
    for year in (local.year, local.year + 1):
        for month in months:
            last = pycalendar.monthrange(year, month)[1]
            day = dt.date(year, month, min(int(by_day), last) if by_day else last)
            due = _closing(day)
            if due >= local:
                return due
    return None


def _recurrence_due(
    recurrence: dict[str, Any], start: dt.datetime, cal: WorkCalendar
) -> dt.datetime:
    per = recurrence.get("per")
    every = Decimal(str(recurrence.get("every") or 1))
    local = start.astimezone(BANGKOK)
    if per == "fiscal_year":
        return _closing(fiscal_year_bounds(fiscal_year_of(local))[1])
    if per == "quarter":
        return _add(cal, start, every * 3, "month")
    unit = {"day": "day", "week": "week", "month": "month", "year": "year"}.get(str(per), "month")
    return _add(cal, start, every, unit)


def compute(
    duration: Duration,
    *,
    start: dt.datetime,
    quantity: int | None = None,
    alternative: str = "",
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The deadline and target of a step started at `start`."""
    cal = calendar or WorkCalendar.load(since=start.astimezone(BANGKOK).date())
    if not duration.parsed:
        return Deadline(None, None, True, "ระยะเวลาไม่ได้กำหนดชัดเจน ต้องทบทวน")
    alt = _choose_alternative(duration, alternative)
    low, high, unit = duration.min, duration.max, duration.unit
    note = ""
    if alt is not None:
        low, high, unit = alt.get("min"), alt.get("max"), alt.get("unit")
        low = Decimal(str(low)) if low is not None else None
        high = Decimal(str(high)) if high is not None else None
    elif duration.alternatives:
        note = "ยังไม่ได้เลือกวิธี ใช้ระยะเวลาของวิธีที่นานที่สุด"
    if high is not None and unit:
        factor = Decimal(quantity or 1) if duration.per_item else Decimal(1)
        due = _add(cal, start, high * factor, unit)
        target = _add(cal, start, (low if low is not None else high) * factor, unit)
        return Deadline(due, target, False, note)
    if duration.window:
        due = _window_end(duration.window, start)
        return Deadline(due, due, due is None, note)
    if duration.recurrence:
        due = _recurrence_due(duration.recurrence, start, cal)
        return Deadline(due, due, False, note)
    return Deadline(None, None, True, "ระยะเวลาไม่ได้กำหนดชัดเจน ต้องทบทวน")


def duration_of(step_duration: dict[str, Any]) -> Duration:
    """The stored JSON of a step's duration as a Duration (an unreadable value → unparsed)."""
    try:
        return Duration.from_dict(step_duration or {})
    except ValueError:
        return Duration(text=str((step_duration or {}).get("text", "")), status="unparsed")
