"""How urgent an open step is, for the colours of "my work" and the case page.

- overdue: the deadline has passed;
- due soon: at least 75% of the allowed time has gone, or less than one working day of office
  time is left;
- on time: otherwise;
- no deadline: the duration could not be turned into a deadline (the manual needs review).
A paused step is judged at the moment it was paused: waiting time does not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from krabuan.org.calendar import CalendarError, WorkCalendar, office_hours
from krabuan.workflow.models import StepStatus

ON_TIME = "on_time"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NO_DEADLINE = "no_deadline"
ORDER = (OVERDUE, DUE_SOON, ON_TIME, NO_DEADLINE)
LABELS = {
    ON_TIME: _("ตามกำหนด"),
    DUE_SOON: _("ใกล้ครบกำหนด"),
    OVERDUE: _("เกินกำหนด"),
    NO_DEADLINE: _("ไม่มีกำหนดเสร็จ · ต้องทบทวนระยะเวลา"),
}
# Bootstrap colour names: green, amber, red, grey.
COLOURS = {ON_TIME: "success", DUE_SOON: "warning", OVERDUE: "danger", NO_DEADLINE: "secondary"}
SOON_FRACTION = Decimal("0.75")


@dataclass(frozen=True)
class Clock:
    """The instant of the request and the end of the next working day of office time."""

    now: dt.datetime
    one_working_day_later: dt.datetime


def clock(now: dt.datetime, calendar: WorkCalendar | None = None) -> Clock:
    """`now` and the instant one office day (of working time) later, on the work calendar."""
    opens, closes = office_hours()
    office_minutes = (
        dt.datetime.combine(dt.date.min, closes) - dt.datetime.combine(dt.date.min, opens)
    ).total_seconds() / 60
    try:
        cal = calendar or WorkCalendar.load(since=now.date() - dt.timedelta(days=1))
        later = cal.add(now, Decimal(str(office_minutes)), "minute")
        assert isinstance(later, dt.datetime)
    except CalendarError:
        # Outside the years the holiday library covers: a plain day is close enough.
        later = now + dt.timedelta(days=1)
    return Clock(now=now, one_working_day_later=later)


def classify(
    *,
    status: str,
    due_at: dt.datetime | None,
    planned_seconds: int | None,
    paused_at: dt.datetime | None,
    at: Clock,
) -> str:
    """The urgency of one open step."""
    if due_at is None:
        return NO_DEADLINE
    now = paused_at if status == StepStatus.PAUSED and paused_at else at.now
    if now > due_at:
        return OVERDUE
    if due_at <= at.one_working_day_later and status != StepStatus.PAUSED:
        return DUE_SOON
    if planned_seconds:
        left = Decimal((due_at - now).total_seconds())
        if left <= Decimal(planned_seconds) * (1 - SOON_FRACTION):
            return DUE_SOON
    return ON_TIME
