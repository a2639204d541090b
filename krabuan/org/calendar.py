"""The Thai civil-service working-day calendar: the one place that knows which days are off.

A day is off when it is a Saturday or Sunday, or a day of the `holidays` package's Thailand
PUBLIC or GOVERNMENT category (never WORKDAY, SCHOOL, ARMED_FORCES or BANK: those are observance
or sector days on which offices are open). The administrators' CalendarOverride table wins over
both: a `day_off` row adds a day (a cabinet day announced after the package release, an office
closure), a `working_day` row makes a day a working day (a cancelled holiday, a swapped Saturday).

Office hours come from settings.KRABUAN_OFFICE_START / KRABUAN_OFFICE_END ("HH:MM", Asia/Bangkok).
The package only knows the years FIRST_YEAR..LAST_YEAR; anything that needs a holiday outside
them raises CalendarError instead of silently treating the year as weekends only.

For many computations in a row (an SLA sweep), build one `WorkCalendar.load()` and reuse it: the
module functions below each read the override table once per call.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from types import MappingProxyType
from typing import Final

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BANGKOK, BE_OFFSET, normalize_text, to_arabic_digits
from krabuan.org.models import CalendarOverride, OverrideKind

UNITS: Final = ("minute", "hour", "day", "working_day", "week", "month")
# Units that walk over office time or working days and so need the holiday list.
CALENDAR_UNITS: Final = ("minute", "hour", "working_day")
# One cap for every unit: 10000 working days is forty years; more is a typing mistake.
MAX_AMOUNT: Final = 10000

SOURCE_PUBLIC: Final = "public"
SOURCE_GOVERNMENT: Final = "government"
SOURCE_ADMIN: Final = "admin"
SOURCES: Final = (SOURCE_PUBLIC, SOURCE_GOVERNMENT, SOURCE_ADMIN)

FIRST_YEAR: Final[int] = int(holidays.Thailand.start_year)
LAST_YEAR: Final[int] = int(holidays.Thailand.end_year)

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_YEAR = re.compile(r"^\d{1,4}$")

Override = tuple[str, str]  # (kind, name)


class CalendarError(ApplicationError):
    """Input the calendar cannot work with; `field` names the argument it is about."""

    code = "calendar_invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, fields={field: [message]} if field else None)
        self.field = field


class _OutOfRange(Exception):
    """A day outside the years the holiday package knows (turned into CalendarError)."""


@dataclass(frozen=True)
class DayOff:
    date: dt.date
    name: str
    source: str  # one of SOURCES


def year_range_text() -> str:
    """The supported years in words, Buddhist era first."""
    return f"พ.ศ. {FIRST_YEAR + BE_OFFSET}–{LAST_YEAR + BE_OFFSET} (ค.ศ. {FIRST_YEAR}–{LAST_YEAR})"


def year_supported(year: int) -> bool:
    """Whether the holiday package has data for a Christian-era year."""
    return FIRST_YEAR <= year <= LAST_YEAR


def year_from_text(text: str | int) -> int:
    """A year typed in CE (2024) or BE (2567), Thai or Arabic digits, as a supported CE year."""
    if isinstance(text, int):
        year = text
    else:
        cleaned = to_arabic_digits(normalize_text(text)).replace(" ", "")
        if not _YEAR.match(cleaned):
            raise CalendarError("ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567", field="year")
        year = int(cleaned)
    # Past 2400 only a Buddhist-era year makes sense (CE 2400 is beyond the package's data).
    if year > 2400:
        year -= BE_OFFSET
    if not year_supported(year):
        raise CalendarError(f"ปีต้องอยู่ในช่วง {year_range_text()}", field="year")
    return year


def _parse_hhmm(value: str, setting: str) -> dt.time:
    match = _HHMM.match(str(value).strip())
    if not match:
        raise ImproperlyConfigured(f"{setting} must be 'HH:MM', got {value!r}")
    try:
        return dt.time(int(match[1]), int(match[2]))
    except ValueError:
        raise ImproperlyConfigured(f"{setting} must be a time of day, got {value!r}") from None


def office_hours() -> tuple[dt.time, dt.time]:
    """Opening and closing time of the office (Asia/Bangkok), from settings."""
    start = _parse_hhmm(getattr(settings, "KRABUAN_OFFICE_START", "08:30"), "KRABUAN_OFFICE_START")
    end = _parse_hhmm(getattr(settings, "KRABUAN_OFFICE_END", "16:30"), "KRABUAN_OFFICE_END")
    if start >= end:
        raise ImproperlyConfigured("KRABUAN_OFFICE_START must be before KRABUAN_OFFICE_END")
    return start, end


@cache
def _library_days_off(year: int) -> Mapping[dt.date, tuple[str, str]]:
    """The package's PUBLIC and GOVERNMENT days of a year as {date: (name, source)}, built once."""
    found: dict[dt.date, tuple[str, str]] = {}
    # Public last, so a date in both categories is reported as a public holiday.
    for source, category in (
        (SOURCE_GOVERNMENT, holidays.GOVERNMENT),
        (SOURCE_PUBLIC, holidays.PUBLIC),
    ):
        days = holidays.Thailand(years=year, categories=(category,), language="th")
        for day, name in days.items():
            if day.year == year:
                found[day] = (str(name), source)
    return MappingProxyType(found)


def _library(year: int) -> Mapping[dt.date, tuple[str, str]]:
    if not year_supported(year):
        raise _OutOfRange(year)
    return _library_days_off(year)


def _local(value: dt.datetime) -> dt.datetime:
    """An aware Asia/Bangkok datetime; naive values are taken as Bangkok wall time."""
    try:
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=BANGKOK)
        return value.astimezone(BANGKOK)
    except OverflowError:
        raise CalendarError("วันเวลาอยู่นอกช่วงที่ระบบรองรับ", field="start") from None


def _day_of(value: dt.date) -> dt.date:
    return _local(value).date() if isinstance(value, dt.datetime) else value


def _amount(amount: int | Decimal, unit: str) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | float):
        raise CalendarError("จำนวนต้องเป็นตัวเลข", field="amount")
    try:
        value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    except InvalidOperation:
        raise CalendarError("จำนวนต้องเป็นตัวเลข", field="amount") from None
    if not value.is_finite():
        raise CalendarError("จำนวนต้องเป็นตัวเลข", field="amount")
    if value < 0:
        raise CalendarError("จำนวนต้องไม่ติดลบ", field="amount")
    if value > MAX_AMOUNT:
        raise CalendarError(f"จำนวนต้องไม่เกิน {MAX_AMOUNT:,}", field="amount")
    if unit not in ("minute", "hour") and value != value.to_integral_value():
        raise CalendarError("จำนวนวัน สัปดาห์ หรือเดือน ต้องเป็นจำนวนเต็ม", field="amount")
    return value


def _add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError
    last = pycalendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


class WorkCalendar:
    """The library's days off plus one snapshot of the administrators' overrides."""

    def __init__(self, overrides: Mapping[dt.date, Override] | None = None) -> None:
        self._overrides: dict[dt.date, Override] = dict(overrides or {})

    @classmethod
    def load(cls, *, since: dt.date | None = None, until: dt.date | None = None) -> WorkCalendar:
        """Read the override table once (only the given date range, when one is given)."""
        rows = CalendarOverride.objects.all()
        if since is not None:
            rows = rows.filter(date__gte=since)
        if until is not None:
            rows = rows.filter(date__lte=until)
        return cls(
            {day: (kind, name) for day, kind, name in rows.values_list("date", "kind", "name")}
        )

    # Days

    def _is_off(self, day: dt.date) -> bool:
        library = _library(day.year)  # range check first, so weekends out of range also fail
        override = self._overrides.get(day)
        if override is not None:
            return override[0] == OverrideKind.DAY_OFF
        return day.weekday() >= 5 or day in library

    def is_day_off(self, day: dt.date) -> bool:
        """Weekend, PUBLIC/GOVERNMENT holiday or admin day off, unless admin made it working."""
        local = _day_of(day)
        try:
            return self._is_off(local)
        except _OutOfRange:
            raise CalendarError(f"ปฏิทินวันหยุดรองรับเฉพาะ {year_range_text()}", field="day") from None

    def days_off(self, year: int) -> list[DayOff]:
        """The named days off of a CE year, by date; weekends are not listed unless a holiday."""
        try:
            library = _library(year)
        except _OutOfRange:
            raise CalendarError(f"ปีต้องอยู่ในช่วง {year_range_text()}", field="year") from None
        found = {day: DayOff(day, name, source) for day, (name, source) in library.items()}
        for day, (kind, name) in self._overrides.items():
            if day.year != year:
                continue
            if kind == OverrideKind.DAY_OFF:
                found[day] = DayOff(day, name, SOURCE_ADMIN)
            else:
                found.pop(day, None)
        return sorted(found.values(), key=lambda item: item.date)

    def _walk_working_days(self, day: dt.date, n: int) -> dt.date:
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            # Checked day by day, so a holiday, then a weekend, then a substitution day all skip.
            if not self._is_off(current):
                remaining -= 1
        return current

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (day itself not counted; n < 0 counts back; 0 → day).

        A datetime keeps its Bangkok time of day on the resulting date.
        """
        if isinstance(day, dt.datetime):
            local = _local(day)
            result = self.add_working_days(local.date(), n)
            return dt.datetime.combine(result, local.time(), tzinfo=BANGKOK)
        if not year_supported(day.year):
            raise CalendarError(f"ปฏิทินวันหยุดรองรับเฉพาะ {year_range_text()}", field="start")
        try:
            return self._walk_working_days(day, n)
        except _OutOfRange:
            raise CalendarError(
                f"ผลลัพธ์เกินช่วงที่ปฏิทินวันหยุดรองรับ: {year_range_text()}", field="amount"
            ) from None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, otherwise the next working day."""
        return day if not self.is_day_off(day) else self.next_working_day(day)

    # Office time

    def _add_office_time(self, start: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        opens, closes = office_hours()
        cursor = start
        remaining = delta
        while True:
            day = cursor.date()
            opening = dt.datetime.combine(day, opens, tzinfo=BANGKOK)
            closing = dt.datetime.combine(day, closes, tzinfo=BANGKOK)
            if self._is_off(day) or cursor >= closing:
                cursor = dt.datetime.combine(day + dt.timedelta(days=1), opens, tzinfo=BANGKOK)
                continue
            cursor = max(cursor, opening)
            available = closing - cursor
            # Ending exactly at closing time stays on that day (16:00 + 30 min → 16:30).
            if remaining <= available:
                return cursor + remaining
            remaining -= available
            cursor = dt.datetime.combine(day + dt.timedelta(days=1), opens, tzinfo=BANGKOK)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time on working days between two instants (negative when end is before start)."""
        first, last = _local(start), _local(end)
        if last < first:
            return -self.working_time_between(last, first)
        for value, field in ((first, "start"), (last, "end")):
            if not year_supported(value.year):
                raise CalendarError(f"ปฏิทินวันหยุดรองรับเฉพาะ {year_range_text()}", field=field)
        opens, closes = office_hours()
        total = dt.timedelta(0)
        day = first.date()
        while day <= last.date():
            if not self._is_off(day):
                begin = max(first, dt.datetime.combine(day, opens, tzinfo=BANGKOK))
                finish = min(last, dt.datetime.combine(day, closes, tzinfo=BANGKOK))
                if finish > begin:
                    total += finish - begin
            day += dt.timedelta(days=1)
        return total

    # Everything

    def add(self, start: dt.date, amount: int | Decimal, unit: str) -> dt.date:
        """Add an amount of a unit to a date or instant.

        - working_day: the n-th working day after start (start itself not counted), so
          2024-04-10 + 5 → 2024-04-22 (12 Apr bridge day, Songkran 13–15 and the 16 Apr
          substitution day are skipped); 0 returns start.
        - minute / hour: office time. Work starts at the instant (a date means its office
          opening); outside office hours or on a day off it moves to the next opening first; days
          off are skipped; a result at closing time stays on that day. Always returns an aware
          Asia/Bangkok datetime. Fractions are allowed (1.5 hours).
        - day / week / month: calendar arithmetic; month keeps the day of the month, clamped to
          the end of a shorter month (31 Jan + 1 month → 29 Feb 2024).
        A datetime start gives a datetime result that keeps its Bangkok time of day; a date start
        gives a date (except minute/hour). Amounts must be 0..MAX_AMOUNT, whole except for
        minute/hour. Errors are CalendarError naming "start", "amount" or "unit".
        """
        if unit not in UNITS:
            raise CalendarError("หน่วยต้องเป็นหนึ่งใน " + ", ".join(UNITS), field="unit")
        value = _amount(amount, unit)
        if not isinstance(start, dt.date):
            raise CalendarError("วันเริ่มต้องเป็นวันที่หรือวันเวลา", field="start")
        if unit in ("minute", "hour"):
            return self._add_time(start, value, unit)
        if unit == "working_day":
            return self.add_working_days(start, int(value))
        if isinstance(start, dt.datetime):
            local = _local(start)
            result = self._add_calendar(local.date(), int(value), unit)
            return dt.datetime.combine(result, local.time(), tzinfo=BANGKOK)
        return self._add_calendar(start, int(value), unit)

    def _add_time(self, start: dt.date, value: Decimal, unit: str) -> dt.datetime:
        if isinstance(start, dt.datetime):
            local = _local(start)
        else:
            local = dt.datetime.combine(start, office_hours()[0], tzinfo=BANGKOK)
        if not year_supported(local.year):
            raise CalendarError(f"ปฏิทินวันหยุดรองรับเฉพาะ {year_range_text()}", field="start")
        seconds_per_unit = 60 if unit == "minute" else 3600
        delta = dt.timedelta(microseconds=int(value * seconds_per_unit * 1_000_000))
        try:
            return self._add_office_time(local, delta)
        except _OutOfRange:
            raise CalendarError(
                f"ผลลัพธ์เกินช่วงที่ปฏิทินวันหยุดรองรับ: {year_range_text()}", field="amount"
            ) from None

    @staticmethod
    def _add_calendar(day: dt.date, n: int, unit: str) -> dt.date:
        try:
            if unit == "month":
                return _add_months(day, n)
            days = n * 7 if unit == "week" else n
            return day + dt.timedelta(days=days)
        except OverflowError:
            raise CalendarError("ผลลัพธ์เกินช่วงวันที่ที่ระบบรองรับ", field="amount") from None


def _since(start: dt.date) -> dt.date | None:
    # A day early, because an aware start in another zone may fall on the previous Bangkok day.
    day = start.date() if isinstance(start, dt.datetime) else start
    return day - dt.timedelta(days=1) if day > dt.date.min else None


def is_day_off(day: dt.date) -> bool:
    """Whether a day is off (weekend, holiday or admin day off, unless admin made it working)."""
    local = _day_of(day)
    return WorkCalendar.load(since=local, until=local).is_day_off(local)


def days_off(year: int) -> list[DayOff]:
    """The named days off of a CE year, sorted by date, with admin overrides applied."""
    if not year_supported(year):
        raise CalendarError(f"ปีต้องอยู่ในช่วง {year_range_text()}", field="year")
    return WorkCalendar.load(since=dt.date(year, 1, 1), until=dt.date(year, 12, 31)).days_off(year)


def add(start: dt.date, amount: int | Decimal, unit: str) -> dt.date:
    """Add office minutes/hours, days, working days, weeks or months; see WorkCalendar.add."""
    since = _since(start) if isinstance(start, dt.date) else None
    return WorkCalendar.load(since=since).add(start, amount, unit)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (day itself not counted)."""
    return WorkCalendar.load(since=_since(day) if n >= 0 else None).add_working_days(day, n)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    return WorkCalendar.load(since=_since(day)).next_working_day(day)


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Office time on working days between two instants."""
    low, high = (start, end) if _local(start) <= _local(end) else (end, start)
    until = _day_of(high) + dt.timedelta(days=1) if _day_of(high) < dt.date.max else None
    return WorkCalendar.load(since=_since(low), until=until).working_time_between(start, end)


def overrides(year: int) -> list[CalendarOverride]:
    """The administrators' overrides of a CE year, by date."""
    return list(
        CalendarOverride.objects.filter(date__year=year)
        .select_related("created_by")
        .order_by("date")
    )
