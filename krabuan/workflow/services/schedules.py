"""Recurring starts: when a schedule runs next, starting its due cases, and editing schedules.

A schedule names a period by its due date — day `day` of every month (monthly) or of each month
in `months` (yearly), clamped to the month's last day — and runs `lead_days` before it at 08:30
Bangkok time. Each run starts one case of the process with that code in the newest manual of
the schedule's unit, titled with the period, e.g. "สรุปสถิติการลา (เม.ย. 2567)".

A run claims its schedule row with a conditional UPDATE on `next_run_at`, in the same
transaction as the new case, so two workers never start two cases for one period. When several
periods were missed (the worker was down), only the latest one is started: a leave summary for
a half-year long past is noise, and the schedule page shows when it last ran.

Cases are started by a service account, "krabuan-system" (active, no usable password, holding
only the requester role in the schedule's unit): the audit trail then says the system started
the case rather than naming a real administrator, and because the account cannot work on
steps, the first step lands on the unit's officers instead of on the account.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, NotFound, PermissionDenied
from krabuan.core.thai import BANGKOK, BE_OFFSET, MONTHS_SHORT, normalize_text, parse_int
from krabuan.manual.models import Manual, Process
from krabuan.org.models import Membership, Preference, Role, Unit
from krabuan.workflow.models import Case, Schedule, ScheduleRule
from krabuan.workflow.permissions import can_manage_schedules
from krabuan.workflow.services.cases import case_start

logger = logging.getLogger(__name__)

RUN_TIME = dt.time(8, 30)
SYSTEM_USERNAME = "krabuan-system"
LEAD_DAYS_MAX = 90
# Room is left in the case title (300) for the period, e.g. " (ก.ย. 2567)".
TITLE_MAX = 280
# Far enough ahead to find the next run of any valid schedule (lead days included).
_SEARCH_MONTHS = 12 + LEAD_DAYS_MAX // 28 + 2
_AUDIT_FIELDS = [
    "process_code",
    "unit_id",
    "title",
    "rule",
    "day",
    "months",
    "lead_days",
    "enabled",
    "next_run_at",
]


@dataclass(frozen=True)
class Run:
    """One run of a schedule: when it starts (run_at) the case for the period due on `due`."""

    run_at: dt.datetime
    due: dt.date


def _month_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or its last day when the month is shorter (31 → 29 Feb)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _runs_from(
    *, rule: str, day: int, months: list[int], lead_days: int, year: int, month: int
) -> list[Run]:
    runs = []
    for offset in range(_SEARCH_MONTHS):
        y, m = year + (month - 1 + offset) // 12, (month - 1 + offset) % 12 + 1
        if rule == ScheduleRule.YEARLY and m not in months:
            continue
        due = _month_day(y, m, day)
        start_day = due - dt.timedelta(days=lead_days)
        runs.append(Run(dt.datetime.combine(start_day, RUN_TIME, tzinfo=BANGKOK), due))
    return runs


def next_run(
    *, rule: str, day: int, months: list[int], lead_days: int, after: dt.datetime
) -> Run | None:
    """The first run strictly after `after`; None for a yearly rule without months."""
    local = timezone.localtime(after, BANGKOK)
    # A period due in an earlier month runs earlier than any period due this month, so the
    # search starts at the month of `after`.
    for run in _runs_from(
        rule=rule, day=day, months=months, lead_days=lead_days, year=local.year, month=local.month
    ):
        if run.run_at > after:
            return run
    return None


def schedule_next_run(schedule: Schedule, after: dt.datetime) -> dt.datetime | None:
    """When the schedule runs next after `after` (08:30 Bangkok, lead days before the due day)."""
    run = _schedule_next(schedule, after)
    return run.run_at if run else None


def _schedule_next(schedule: Schedule, after: dt.datetime) -> Run | None:
    return next_run(
        rule=schedule.rule,
        day=schedule.day,
        months=list(schedule.months or []),
        lead_days=schedule.lead_days,
        after=after,
    )


def schedule_upcoming(
    *, schedule: Schedule, count: int = 6, after: dt.datetime | None = None
) -> list[Run]:
    """The next `count` runs of a schedule (for its page)."""
    runs: list[Run] = []
    moment = after or timezone.now()
    while len(runs) < count:
        run = _schedule_next(schedule, moment)
        if run is None:
            break
        runs.append(run)
        moment = run.run_at
    return runs


def period_label(due: dt.date) -> str:
    """The period of a run as a Thai short month and BE year: 'เม.ย. 2567'."""
    return f"{MONTHS_SHORT[due.month - 1]} {due.year + BE_OFFSET}"


def period_title(schedule: Schedule, due: dt.date) -> str:
    return f"{schedule.title} ({period_label(due)})"


def newest_manual(*, unit: Unit | None = None) -> Manual | None:
    """The newest manual (of a unit, else of any unit): schedules follow it year to year."""
    qs = Manual.objects.select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("-fiscal_year", "unit__sort_order", "pk").first()


def schedule_process(*, schedule: Schedule) -> Process | None:
    """The process a schedule starts: its code in the newest manual of its unit."""
    manual = newest_manual(unit=schedule.unit)
    if manual is None:
        return None
    return manual.processes.filter(code=schedule.process_code).first()


def system_actor(*, unit: Unit) -> Any:
    """The service account that starts scheduled cases (created on first use)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "ระบบกระบวน", "last_name": "(เริ่มเรื่องอัตโนมัติ)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # Nobody reads this account's inbox.
        Preference.objects.get_or_create(
            user=user, defaults={"notify_in_app": False, "notify_email": False}
        )
    Membership.objects.get_or_create(user=user, unit=unit, role=Role.REQUESTER)
    return user


def stored_next(schedule: Schedule) -> Run | None:
    """The run the schedule is waiting for (its stored next_run_at) and the period it starts."""
    if schedule.next_run_at is None:
        return None
    local = timezone.localtime(schedule.next_run_at, BANGKOK)
    return Run(schedule.next_run_at, local.date() + dt.timedelta(days=schedule.lead_days))


def _latest_due_run(schedule: Schedule, *, now: dt.datetime) -> Run | None:
    """The latest run at or before `now`, starting from the stored next run."""
    current = stored_next(schedule)
    if current is None or current.run_at > now:
        return None
    while True:
        following = _schedule_next(schedule, current.run_at)
        if following is None or following.run_at > now:
            return current
        current = following


def schedule_run(*, schedule: Schedule, now: dt.datetime | None = None) -> Case | None:
    """Start the case of a due schedule's period, once: the run claims the row with a
    conditional UPDATE on next_run_at; a second worker with the same row claims nothing."""
    now = now or timezone.now()
    if not schedule.enabled or schedule.next_run_at is None:
        return None
    run = _latest_due_run(schedule, now=now)
    if run is None:
        return None
    following = _schedule_next(schedule, now)
    with transaction.atomic():
        claimed = Schedule.objects.filter(
            pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
        ).update(next_run_at=following.run_at if following else None, last_run_at=now)
        if claimed != 1:
            return None
        title = period_title(schedule, run.due)
        # A schedule edited after a run may point at the same period again: never twice.
        if Case.objects.filter(schedule=schedule, title=title).exists():
            return None
        process = schedule_process(schedule=schedule)
        if process is None:
            raise ApplicationError(
                f"ไม่พบกระบวนงาน {schedule.process_code} ในคู่มือฉบับล่าสุดของหน่วยงาน",
                code="schedule_process_missing",
                fields={"process_code": ["ไม่พบรหัสกระบวนงานในคู่มือฉบับล่าสุด"]},
            )
        case = case_start(process=process, title=title, actor=system_actor(unit=schedule.unit))
        case.schedule = schedule
        case.save(update_fields=["schedule", "updated_at"])
        audit_record(
            actor=None,
            action="schedule.run",
            obj=schedule,
            changes={"case": case.reference, "period": period_label(run.due)},
        )
    return case


def run_due_schedules(*, now: dt.datetime | None = None) -> list[Case]:
    """Start one case per enabled schedule whose next run has come; returns the cases started.
    A schedule that fails (e.g. its process left the manual) is logged and retried next time."""
    now = now or timezone.now()
    due = list(
        Schedule.objects.select_related("unit")
        .filter(enabled=True, next_run_at__lte=now)
        .order_by("next_run_at", "pk")
    )
    started: list[Case] = []
    for schedule in due:
        try:
            case = schedule_run(schedule=schedule, now=now)
        except ApplicationError as exc:
            logger.error("schedule %s (%s) not started: %s", schedule.pk, schedule, exc.message)
            continue
        if case is not None:
            started.append(case)
    return started


# --- editing --------------------------------------------------------------------------------


def _require_manager(actor: Any) -> None:
    if not can_manage_schedules(actor):
        raise PermissionDenied("เฉพาะผู้อำนวยการ หัวหน้ากลุ่ม/ฝ่าย และผู้ดูแลระบบที่แก้ไขกำหนดการได้")


def _as_int(value: Any, *, field: str, label: str, errors: dict[str, list[str]]) -> int | None:
    if value is None or value == "":
        errors[field] = [f"กรุณาระบุ{label}"]
        return None
    if isinstance(value, bool):
        errors[field] = [f"{label}ต้องเป็นตัวเลข"]
        return None
    try:
        return parse_int(value)
    except (ValueError, TypeError):
        errors[field] = [f"{label}ต้องเป็นจำนวนเต็ม"]
        return None


def _clean(
    *,
    process_code: Any,
    unit: Unit | None,
    title: Any,
    rule: Any,
    day: Any,
    months: Any,
    lead_days: Any,
) -> dict[str, Any]:
    """Validate every field at once; ApplicationError lists each bad field in Thai."""
    errors: dict[str, list[str]] = {}
    code = normalize_text(str(process_code or "")).upper()
    manual = newest_manual(unit=unit)
    if manual is None:
        errors["process_code"] = ["ยังไม่มีคู่มือกระบวนงานของหน่วยงานนี้"]
    elif not code:
        errors["process_code"] = ["กรุณาเลือกรหัสกระบวนงาน"]
    elif not manual.processes.filter(code=code).exists():
        errors["process_code"] = [
            f"รหัสกระบวนงาน {code} ไม่มีในคู่มือฉบับล่าสุด (ปีงบประมาณ {manual.fiscal_year})"
        ]
    clean_title = normalize_text(str(title or ""))
    if not clean_title:
        errors["title"] = ["กรุณาระบุชื่อเรื่องที่จะสร้าง"]
    elif len(clean_title) > TITLE_MAX:
        errors["title"] = [f"ชื่อเรื่องยาวเกิน {TITLE_MAX} ตัวอักษร"]
    if rule not in ScheduleRule.values:
        errors["rule"] = ["รอบต้องเป็น ทุกเดือน หรือ ทุกปี"]
    clean_day = _as_int(day, field="day", label="วันที่", errors=errors)
    if clean_day is not None and not 1 <= clean_day <= 31:
        errors["day"] = ["วันที่ต้องอยู่ระหว่าง 1 ถึง 31"]
    clean_lead = _as_int(
        0 if lead_days in (None, "") else lead_days,
        field="lead_days",
        label="จำนวนวันที่เริ่มล่วงหน้า",
        errors=errors,
    )
    if clean_lead is not None and not 0 <= clean_lead <= LEAD_DAYS_MAX:
        errors["lead_days"] = [f"เริ่มล่วงหน้าต้องอยู่ระหว่าง 0 ถึง {LEAD_DAYS_MAX} วัน"]
    clean_months: list[int] = []
    if rule == ScheduleRule.YEARLY:
        try:
            clean_months = sorted({parse_int(m) for m in (months or [])})
        except (ValueError, TypeError):
            errors["months"] = ["เดือนต้องเป็นตัวเลข 1 ถึง 12"]
        else:
            if not clean_months:
                errors["months"] = ["กรุณาเลือกอย่างน้อยหนึ่งเดือนสำหรับรอบทุกปี"]
            elif any(not 1 <= m <= 12 for m in clean_months):
                errors["months"] = ["เดือนต้องอยู่ระหว่าง 1 ถึง 12"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", fields=errors)
    assert manual is not None
    return {
        "process_code": code,
        "unit": manual.unit,
        "title": clean_title,
        "rule": rule,
        "day": clean_day,
        "months": clean_months,
        "lead_days": clean_lead,
    }


def _reschedule(schedule: Schedule, *, now: dt.datetime) -> None:
    schedule.next_run_at = schedule_next_run(schedule, now) if schedule.enabled else None


@transaction.atomic
def schedule_create(
    *,
    actor: Any,
    process_code: str,
    title: str,
    rule: str,
    day: int | str,
    months: list[int] | None = None,
    lead_days: int | str = 0,
    enabled: bool = True,
    unit: Unit | None = None,
) -> Schedule:
    """A new schedule of a process of the newest manual (of `unit`, else the newest one)."""
    _require_manager(actor)
    data = _clean(
        process_code=process_code,
        unit=unit,
        title=title,
        rule=rule,
        day=day,
        months=months,
        lead_days=lead_days,
    )
    schedule = Schedule(**data, enabled=bool(enabled), created_by=actor)
    _reschedule(schedule, now=timezone.now())
    schedule.save()
    audit_record(
        actor=actor,
        action="schedule.create",
        obj=schedule,
        changes=snapshot(schedule, _AUDIT_FIELDS),
    )
    return schedule


_UNSET: Any = object()


@transaction.atomic
def schedule_update(
    *,
    actor: Any,
    schedule: Schedule,
    process_code: Any = _UNSET,
    title: Any = _UNSET,
    rule: Any = _UNSET,
    day: Any = _UNSET,
    months: Any = _UNSET,
    lead_days: Any = _UNSET,
    enabled: Any = _UNSET,
) -> Schedule:
    """Change a schedule; its next run is recomputed from now when the timing or the enabled
    flag changes (periods missed while it was disabled are not started afterwards)."""
    _require_manager(actor)
    schedule = Schedule.objects.select_for_update().select_related("unit").get(pk=schedule.pk)
    before = snapshot(schedule, _AUDIT_FIELDS)

    def pick(value: Any, current: Any) -> Any:
        return current if value is _UNSET else value

    data = _clean(
        process_code=pick(process_code, schedule.process_code),
        unit=schedule.unit,
        title=pick(title, schedule.title),
        rule=pick(rule, schedule.rule),
        day=pick(day, schedule.day),
        months=pick(months, schedule.months),
        lead_days=pick(lead_days, schedule.lead_days),
    )
    timing = (data["rule"], data["day"], data["months"], data["lead_days"])
    old_timing = (schedule.rule, schedule.day, list(schedule.months or []), schedule.lead_days)
    new_enabled = schedule.enabled if enabled is _UNSET else bool(enabled)
    for name, value in data.items():
        setattr(schedule, name, value)
    changed_state = new_enabled != schedule.enabled
    schedule.enabled = new_enabled
    if timing != old_timing or changed_state or (new_enabled and schedule.next_run_at is None):
        _reschedule(schedule, now=timezone.now())
    schedule.save()
    changes = diff(before, snapshot(schedule, _AUDIT_FIELDS))
    if changes:
        audit_record(actor=actor, action="schedule.update", obj=schedule, changes=changes)
    return schedule


@transaction.atomic
def schedule_delete(*, actor: Any, schedule: Schedule) -> None:
    """Delete a schedule; the cases it started stay (their link to it is cleared)."""
    _require_manager(actor)
    audit_record(
        actor=actor,
        action="schedule.delete",
        obj=schedule,
        changes=snapshot(schedule, _AUDIT_FIELDS),
    )
    schedule.delete()


# --- reads (for the schedule pages) ---------------------------------------------------------


def schedule_list() -> QuerySet[Schedule]:
    """Every schedule with the number of cases it started, by process code."""
    return (
        Schedule.objects.select_related("unit")
        .annotate(case_count=Count("cases"))
        .order_by("process_code", "pk")
    )


def schedule_get(*, schedule_id: int) -> Schedule:
    """One schedule; NotFound otherwise."""
    schedule = Schedule.objects.select_related("unit", "created_by").filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound("ไม่พบกำหนดการเริ่มเรื่องอัตโนมัติ", code="schedule_not_found")
    return schedule


def schedule_describe(schedule: Schedule) -> str:
    """The rule in Thai words: 'ทุกเดือน วันที่ 1' or 'ทุกปี วันที่ 5 เม.ย., ต.ค.'."""
    if schedule.rule == ScheduleRule.MONTHLY:
        text = f"ทุกเดือน วันที่ {schedule.day}"
    else:
        names = ", ".join(MONTHS_SHORT[m - 1] for m in schedule.months or [] if 1 <= m <= 12)
        text = f"ทุกปี วันที่ {schedule.day} {names}"
    if schedule.day > 28:
        text += " (หรือวันสุดท้ายของเดือน)"
    return text


# --- demo data ------------------------------------------------------------------------------

# (process code, title, rule, day, months, lead days) — from the FY2567 manual's own timing.
DEMO_SCHEDULES: list[tuple[str, str, str, int, list[int], int]] = [
    # S01: the leave summaries go to the HR division by 5 April and 5 October.
    ("S01", "สรุปสถิติการลา", ScheduleRule.YEARLY, 5, [4, 10], 10),
    # S04 step 9: the annual stock-count committee is appointed within September.
    ("S04", "ตรวจนับพัสดุประจำปี", ScheduleRule.YEARLY, 1, [9], 0),
    # C01/C02: the yearly review of the digital action plans, at the start of the fiscal year.
    ("C01", "ทบทวนแผนปฏิบัติการดิจิทัลของกระทรวงเกษตรและสหกรณ์", ScheduleRule.YEARLY, 1, [10], 0),
    (
        "C02",
        "ทบทวนแผนปฏิบัติการดิจิทัลของสำนักงานปลัดกระทรวงเกษตรและสหกรณ์",
        ScheduleRule.YEARLY,
        1,
        [10],
        0,
    ),
    # C14 step 4: the data-centre equipment is checked once a month.
    ("C14", "ตรวจสอบอุปกรณ์ควบคุมศูนย์ข้อมูลเกษตรประจำเดือน", ScheduleRule.MONTHLY, 1, [], 0),
    # C11 step 5: the computer network is looked after continuously; checked monthly.
    ("C11", "ตรวจสอบระบบคอมพิวเตอร์และเครือข่ายประจำเดือน", ScheduleRule.MONTHLY, 1, [], 0),
]


@transaction.atomic
def schedule_demo_load(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Create the demo schedules that do not exist yet (same code and title); existing ones,
    possibly edited by an administrator, are left alone. Codes missing from the newest manual
    are skipped."""
    now = now or timezone.now()
    manual = newest_manual()
    counts = {"created": 0, "existing": 0, "skipped": 0}
    if manual is None:
        counts["skipped"] = len(DEMO_SCHEDULES)
        return counts
    codes = set(manual.processes.values_list("code", flat=True))
    for code, title, rule, day, months, lead_days in DEMO_SCHEDULES:
        if code not in codes:
            counts["skipped"] += 1
            continue
        if Schedule.objects.filter(process_code=code, unit=manual.unit, title=title).exists():
            counts["existing"] += 1
            continue
        schedule = Schedule(
            process_code=code,
            unit=manual.unit,
            title=title,
            rule=rule,
            day=day,
            months=months,
            lead_days=lead_days,
            enabled=True,
        )
        _reschedule(schedule, now=now)
        schedule.save()
        audit_record(
            actor=None,
            action="schedule.create",
            obj=schedule,
            changes=snapshot(schedule, _AUDIT_FIELDS),
        )
        counts["created"] += 1
    return counts
