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

from django.db.models import Case, DateTimeField, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from krabuan.org.calendar import CalendarError, WorkCalendar, office_hours
from krabuan.workflow.models import StepStatus
from krabuan.workflow.selectors import ElapsedSeconds

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


def level_expression(at: Clock) -> Case:
    """`classify` as a SQL CASE over step rows, so lists count and page by urgency in the
    database instead of reading every open step (the same rules, in the same order)."""
    paused = Q(status=StepStatus.PAUSED, paused_at__isnull=False)
    last_quarter = ExpressionWrapper(
        F("planned_seconds") * Value(float(1 - SOON_FRACTION)), output_field=FloatField()
    )

    def within_last_quarter(judged_at: F | Value) -> Q:
        left = ElapsedSeconds(F("due_at"), judged_at)
        return Q(planned_seconds__gt=0) & Q(LessThanOrEqual(left, last_quarter))

    now = Value(at.now, output_field=DateTimeField())
    return Case(
        When(due_at__isnull=True, then=Value(NO_DEADLINE)),
        When(paused & Q(due_at__lt=F("paused_at")), then=Value(OVERDUE)),
        When(~paused & Q(due_at__lt=at.now), then=Value(OVERDUE)),
        When(
            ~Q(status=StepStatus.PAUSED) & Q(due_at__lte=at.one_working_day_later),
            then=Value(DUE_SOON),
        ),
        When(paused & within_last_quarter(F("paused_at")), then=Value(DUE_SOON)),
        When(~paused & within_last_quarter(now), then=Value(DUE_SOON)),
        default=Value(ON_TIME),
    )
