"""Deadlines of step instances from the step's structured duration on the working-day calendar.

- working days skip days off; minutes/hours count office time; days/weeks/months count calendar
  time. Day-based deadlines fall at office closing time of the due date (Asia/Bangkok).
- a range uses its upper bound for the deadline and its lower bound as the target;
- a per-item rate is multiplied by the quantity entered at the step (default 1);
- a method-dependent duration uses the alternative chosen at the step; until one is chosen, the
  slowest alternative sets the deadline (so nobody is chased early) and the fastest the target;
- a calendar window ("ช่วงเดือน ส.ค.", "ภายในวันที่ ๕ ของเดือนเมษายนและเดือนตุลาคม") is due at the
  end of the next window;
- a recurrence ("๑ ครั้ง/เดือน") is due one period after the start; occurrence n of a repeating
  step is due n periods after the first one started;
- open-ended, unspecified, unit-missing and unparsed durations, and deadlines the holiday
  calendar cannot reach, get no deadline but are flagged for review.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from krabuan.core.thai import BANGKOK, fiscal_year_bounds, fiscal_year_of
from krabuan.manual.durations import Duration
from krabuan.org.calendar import CalendarError, WorkCalendar, office_hours

DAY_UNITS = ("day", "working_day", "week", "month", "year")
NOTE_REVIEW = "ระยะเวลาไม่ได้กำหนดชัดเจน ต้องทบทวน"
NOTE_SLOWEST = "ยังไม่ได้เลือกวิธี ใช้ระยะเวลาของวิธีที่นานที่สุด"
NOTE_OUT_OF_RANGE = "กำหนดเสร็จอยู่นอกช่วงปีที่ปฏิทินวันหยุดรองรับ ต้องทบทวน"
# Calendar days of one period, for "n times per period" (n > 1) recurrences only.
_PERIOD_DAYS = {
    "day": Decimal(1),
    "week": Decimal(7),
    "month": Decimal(30),
    "quarter": Decimal(91),
    "year": Decimal(365),
    "fiscal_year": Decimal(365),
}


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
    whole = int(amount.to_integral_value(rounding=ROUND_CEILING))
    day = cal.add(local.date(), whole, unit)
    return _closing(day if not isinstance(day, dt.datetime) else day.date())


def _span(
    cal: WorkCalendar,
    start: dt.datetime,
    *,
    low: Decimal | None,
    high: Decimal | None,
    unit: str | None,
    factor: Decimal,
) -> tuple[dt.datetime, dt.datetime] | None:
    """(due, target) of an amount: the upper bound for the due time, the lower for the target."""
    if high is None or not unit:
        return None
    due = _add(cal, start, high * factor, unit)
    target = _add(cal, start, (low if low is not None else high) * factor, unit)
    return due, target


def _decimal(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _factor(per_item: Any, quantity: int | None) -> Decimal:
    return Decimal(quantity or 1) if per_item else Decimal(1)


def _alternative_span(
    cal: WorkCalendar, start: dt.datetime, alt: dict[str, Any], quantity: int | None
) -> tuple[dt.datetime, dt.datetime] | None:
    return _span(
        cal,
        start,
        low=_decimal(alt.get("min")),
        high=_decimal(alt.get("max")),
        unit=alt.get("unit"),
        factor=_factor(alt.get("per_item"), quantity),
    )


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
    recurrence: dict[str, Any], start: dt.datetime, cal: WorkCalendar, occurrence: int
) -> dt.datetime:
    per = str(recurrence.get("per") or "month")
    every = Decimal(str(recurrence.get("every") or 1))
    count = int(recurrence.get("count") or 1)
    periods = every * occurrence
    if count > 1:
        # "๒ ครั้ง/เดือน": one occurrence per 1/count of the period, in calendar days.
        days = _PERIOD_DAYS.get(per, _PERIOD_DAYS["month"]) * periods / count
        return _add(cal, start, days, "day")
    if per == "fiscal_year":
        last_year = fiscal_year_of(start.astimezone(BANGKOK)) + int(periods) - 1
        return _closing(fiscal_year_bounds(last_year)[1])
    if per == "quarter":
        return _add(cal, start, periods * 3, "month")
    unit = {"day": "day", "week": "week", "month": "month", "year": "year"}.get(per, "month")
    return _add(cal, start, periods, unit)


def compute(
    duration: Duration,
    *,
    start: dt.datetime,
    quantity: int | None = None,
    alternative: str = "",
    calendar: WorkCalendar | None = None,
    occurrence: int = 1,
) -> Deadline:
    """The deadline and target of a step started at `start` (occurrence n of a recurring step:
    n periods after `start`)."""
    if not duration.parsed:
        return Deadline(None, None, True, NOTE_REVIEW)
    cal = calendar or WorkCalendar.load(since=start.astimezone(BANGKOK).date() - dt.timedelta(1))
    try:
        return _compute(duration, start, quantity, alternative, cal, occurrence)
    except CalendarError:
        # A deadline the holiday data cannot reach is not a reason to refuse the work.
        return Deadline(None, None, True, NOTE_OUT_OF_RANGE)


def _compute(
    duration: Duration,
    start: dt.datetime,
    quantity: int | None,
    alternative: str,
    cal: WorkCalendar,
    occurrence: int,
) -> Deadline:
    if duration.alternatives:
        chosen = next(
            (a for a in duration.alternatives if alternative and a.get("label") == alternative),
            None,
        )
        if chosen is not None:
            span = _alternative_span(cal, start, chosen, quantity)
            if span is not None:
                return Deadline(span[0], span[1], False)
        else:
            spans = [
                s
                for s in (_alternative_span(cal, start, a, quantity) for a in duration.alternatives)
                if s is not None
            ]
            if spans:
                # Compared as instants, so methods written in different units still order.
                slowest = max(s[0] for s in spans)
                fastest = min(s[1] for s in spans)
                return Deadline(slowest, fastest, False, NOTE_SLOWEST)
    span = _span(
        cal,
        start,
        low=duration.min,
        high=duration.max,
        unit=duration.unit,
        factor=_factor(duration.per_item, quantity),
    )
    if span is not None:
        return Deadline(span[0], span[1], False)
    if duration.window:
        window_due = _window_end(duration.window, start)
        if window_due is None:
            return Deadline(None, None, True, NOTE_REVIEW)
        return Deadline(window_due, window_due, False)
    if duration.recurrence:
        due = _recurrence_due(duration.recurrence, start, cal, max(occurrence, 1))
        return Deadline(due, due, False)
    return Deadline(None, None, True, NOTE_REVIEW)


def deadline_note(
    step_duration: dict[str, Any], *, alternative: str = "", needs_review: bool = False
) -> str:
    """Why a step instance's deadline is what it is, for the page: no clear duration, or no
    method chosen yet (so the slowest method counts); empty when the deadline is plain."""
    duration = duration_of(step_duration)
    if needs_review:
        return NOTE_REVIEW if not duration.parsed else NOTE_OUT_OF_RANGE
    labels = {a.get("label") for a in duration.alternatives}
    if labels and alternative not in labels:
        return NOTE_SLOWEST
    return ""


def duration_of(step_duration: dict[str, Any]) -> Duration:
    """The stored JSON of a step's duration as a Duration (an unreadable value → unparsed)."""
    data = step_duration if isinstance(step_duration, dict) else {}
    try:
        return Duration.from_dict(data)
    except (ValueError, TypeError):
        return Duration(text=str(data.get("text", "")), status="unparsed")
