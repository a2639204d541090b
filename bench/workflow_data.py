"""Ministry-scale workflow data for the load benchmark: cases and step rows of the 22 FY2567
processes over fiscal years 2563–2567, written in bulk (SQLite: executemany; PostgreSQL: COPY).

Import only after django.setup(), on a migrated database holding the demo organisation and the
FY2567 manual (bench.environment.data_load()). What is generated, and why:

- 50 officers (10 in each of the five ICT groups), the people steps are assigned to.
- `cases` cases, their start times spread over 1 Oct 2019 (FY2563) .. DATA_NOW, in office hours
  on weekdays, ids in time order. The busiest processes, the ICT Service Center (C10) and the
  correspondence register (S02), get WEIGHTS times the share of the others. Every case uses the
  FY2567 Process rows (the only manual loaded); `fiscal_year` is the year it started in.
- Each case is walked step by step from its start, as the engine would: deadlines come from
  `krabuan.workflow.deadlines.compute` on the real working-day calendar (cached per step and
  start day), the time a step takes is its allowed time times a factor drawn per step (some
  steps of the manual are planned too short, so the duration review has something to show),
  optional and conditional steps are sometimes skipped, the outcomes that send a case back
  (S06 step 3, S02 step 9) do so in RETURN_SHARE of cases with a second pass of rows, and the
  monthly step of C14 repeats 12 times. A step still running at DATA_NOW is the case's active
  step; STALE_SHARE of cases are abandoned at a random step (stuck open, long overdue); a tenth
  of open cases wait for an outside party (paused step, case "waiting"); CANCEL_SHARE are
  cancelled.
- Open steps look as if the periodic escalation sweep (every SWEEP_INTERVAL) had last run just
  before DATA_NOW: breached, escalation level and due-soon flag are what the configured
  thresholds give at that moment, so one sweep at DATA_NOW does the work of one ordinary run.
  (bench.workflow_load sets that state again before each measured sweep, with the sweep's own
  level rules, because a load run changes open steps.)
- Control-point confirmations for every completed step that has control points.
- Then, as the services would have written them one by one: the search terms of every case
  (krabuan.workflow.search.reindex, which fills the full-text index) and the dashboards' summary
  (krabuan.workflow.services.stats.stats_rebuild), so the pages read what they read in use.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from krabuan.core.thai import BANGKOK, fiscal_year_bounds
from krabuan.manual.durations import Duration
from krabuan.manual.models import ControlKind, Process, Step, StepControl
from krabuan.org.calendar import WorkCalendar
from krabuan.org.models import Membership, Preference, Role, Unit
from krabuan.workflow import deadlines, search
from krabuan.workflow.models import Case, ControlConfirmation, StepInstance
from krabuan.workflow.services.cases import RECURRENCE_STOP
from krabuan.workflow.services.escalation import thresholds
from krabuan.workflow.services.stats import stats_rebuild

MANUAL_YEAR = 2567
FISCAL_YEARS = (2563, 2564, 2565, 2566, 2567)
# The moment the generated history ends: late in FY2567, a Monday morning. Open steps are open
# at this time, and the benchmarked escalation sweep runs at it.
DATA_NOW = dt.datetime(2024, 9, 30, 10, 0, tzinfo=BANGKOK)
# The periodic sweep's interval (krabuan.workflow.tasks: every 5 minutes); it last ran this
# long before DATA_NOW.
SWEEP_INTERVAL = dt.timedelta(minutes=5)
ICT_GROUPS = ("ict-strategy", "ict-systems", "ict-network", "ict-data", "ict-admin")
OFFICERS_PER_GROUP = 10
OFFICER_PREFIX = "bench."
# Relative case volume per process code (others 1): tickets and letters are the daily work.
WEIGHTS = {"C10": 3.0, "S02": 3.0}
RETURN_SHARE = 0.08
SKIP_SHARE = 0.4
STALE_SHARE = 0.03
CANCEL_SHARE = 0.01
PAUSED_SHARE = 0.1
# Iterations of a recurring step per case, by its period ("๑ ครั้ง/เดือน" → a year of months).
ITERATIONS = {"month": 12, "quarter": 4, "week": 12, "day": 5}
CASES_PER_CHUNK = 5000

_OFFICE_OPEN = 8 * 3600 + 30 * 60
_OFFICE_SECONDS = 8 * 3600
_DAY = 86400
_BKK_OFFSET = 7 * 3600  # Asia/Bangkok has no daylight saving time

STEP_COLUMNS = (
    "id",
    "case_id",
    "step_id",
    "order",
    "pass_no",
    "iteration",
    "status",
    "assignee_id",
    "assignee_unit_id",
    "started_at",
    "target_at",
    "due_at",
    "planned_seconds",
    "completed_at",
    "paused_at",
    "pause_reason",
    "paused_seconds",
    "quantity",
    "alternative",
    "outcome",
    "note",
    "skip_reason",
    "escalation_level",
    "due_soon_notified",
    "breached",
    "breached_at",
    "on_time",
    "needs_review",
    "completed_by_id",
)
CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "reference",
    "process_id",
    "title",
    "description",
    "requester_id",
    "responsible_unit_id",
    "priority",
    "status",
    "fiscal_year",
    "started_at",
    "closed_at",
    "created_by_id",
    "schedule_id",
    "late",
)
CONFIRMATION_COLUMNS = (
    "id",
    "step_instance_id",
    "control_id",
    "confirmed_by_id",
    "confirmed_at",
    "note",
    "evidence",
)
_STEP_DT = {i for i, c in enumerate(STEP_COLUMNS) if c.endswith("_at")}
_CASE_DT = {i for i, c in enumerate(CASE_COLUMNS) if c.endswith("_at")}
_CONFIRMATION_DT = {i for i, c in enumerate(CONFIRMATION_COLUMNS) if c.endswith("_at")}

_SUBJECTS = (
    "เครื่องคอมพิวเตอร์เปิดไม่ติด",
    "ขอติดตั้งโปรแกรมสำนักงาน",
    "อินเทอร์เน็ตใช้งานไม่ได้",
    "ขอบัญชีผู้ใช้ระบบสารบรรณ",
    "เครื่องพิมพ์ไม่ทำงาน",
    "ขอเพิ่มสิทธิ์เข้าถึงระบบ",
    "หนังสือขอความอนุเคราะห์ข้อมูล",
    "หนังสือแจ้งเวียนคำสั่ง",
    "ขออนุมัติจัดซื้อวัสดุคอมพิวเตอร์",
    "รายงานผลการดำเนินงานประจำเดือน",
    "ทบทวนแผนปฏิบัติการ",
    "ขอความเห็นโครงการระบบสารสนเทศ",
    "ปรับปรุงชุดข้อมูลเปิด",
    "สำรองข้อมูลระบบงาน",
    "ตรวจสอบช่องโหว่เว็บไซต์",
    "แผนพัฒนารายบุคคล",
)


@dataclass
class _StepPlan:
    id: int
    order: int
    duration: Duration
    time_exact: bool  # the deadline depends on the time of day, not only on the start day
    has_deadline: bool
    controls: tuple[int, ...]
    skippable: bool
    return_to: int | None
    return_label: str
    positive_label: str
    iterations: int
    per_item: bool
    factor_mu: float  # median of (time taken / time allowed) is exp(factor_mu)


@dataclass
class _ProcessPlan:
    id: int
    code: str
    name: str
    unit_id: int
    officers: list[int]
    steps: list[_StepPlan]
    weight: float


@dataclass
class _Event:
    step: _StepPlan
    pass_no: int
    iteration: int
    outcome: str = ""
    skip: bool = False


@dataclass
class GenerationResult:
    cases: int
    steps: int
    confirmations: int
    open_steps: int
    officers: list[str]
    seconds: float
    by_status: dict[str, int] = field(default_factory=dict)
    search_seconds: float = 0.0
    summary_seconds: float = 0.0
    summary_rows: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "step_rows": self.steps,
            "confirmations": self.confirmations,
            "open_steps": self.open_steps,
            "officers": len(self.officers),
            "cases_by_status": self.by_status,
            "seconds": round(self.seconds, 1),
            "search_index_seconds": round(self.search_seconds, 1),
            "summary_seconds": round(self.summary_seconds, 1),
            "summary_rows": self.summary_rows,
        }


def _epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


def _aware(t: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, BANGKOK)


class _Deadlines:
    """deadlines.compute, cached: for day-based durations the answer depends only on the start
    day (deadlines fall at closing time), so one computation serves every case started that day."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar.load()
        self._cache: dict[tuple[int, int, int], tuple[int | None, int | None, bool]] = {}

    def get(self, step: _StepPlan, start: int, quantity: int | None) -> tuple[int | None, ...]:
        """(due, target, planned_seconds, needs_review) of a step started at epoch `start`."""
        key_time = start if step.time_exact else (start + _BKK_OFFSET) // _DAY
        key = (step.id, key_time, quantity or 1)
        found = self._cache.get(key)
        if found is None:
            result = deadlines.compute(
                step.duration, start=_aware(start), quantity=quantity, calendar=self.calendar
            )
            found = (
                _epoch(result.due_at) if result.due_at else None,
                _epoch(result.target_at) if result.target_at else None,
                result.needs_review,
            )
            self._cache[key] = found
        due, target, review = found
        planned = due - start if due is not None else None
        return due, target, planned, int(review)


def _plans(rng: random.Random, officers: dict[int, list[int]]) -> list[_ProcessPlan]:
    processes = list(
        Process.objects.filter(manual__fiscal_year=MANUAL_YEAR)
        .select_related("manual")
        .order_by("kind", "number")
    )
    if not processes:
        raise RuntimeError(f"no FY{MANUAL_YEAR} manual: load it first (bench.environment)")
    controls: dict[int, list[int]] = {}
    for step_id, control_id in (
        StepControl.objects.filter(kind=ControlKind.CONTROL, step__process__in=processes)
        .values_list("step_id", "id")
        .order_by("step_id", "sort_order", "id")
    ):
        controls.setdefault(step_id, []).append(control_id)
    plans = []
    for process in processes:
        unit_id = process.responsible_unit_id or process.manual.unit_id
        steps = []
        for step in Step.objects.filter(process=process).order_by("order"):
            steps.append(_step_plan(rng, step, controls.get(step.pk, [])))
        plans.append(
            _ProcessPlan(
                id=process.pk,
                code=process.code,
                name=process.name,
                unit_id=unit_id,
                officers=officers.get(unit_id) or [o for ids in officers.values() for o in ids],
                steps=steps,
                weight=WEIGHTS.get(process.code, 1.0),
            )
        )
    return plans


def _step_plan(rng: random.Random, step: Step, controls: list[int]) -> _StepPlan:
    duration = deadlines.duration_of(step.duration)
    outcomes = step.outcomes or []
    back = next((o for o in outcomes if o.get("return_to")), None)
    positive = next((o["label"] for o in outcomes if not o.get("return_to")), "")
    recurrence = duration.recurrence or {}
    per = str(recurrence.get("per") or "")
    iterations = ITERATIONS.get(per, 1) if recurrence else 1
    # Most steps take about half their allowed time; one in six is planned too short.
    slow = rng.random() < 1 / 6
    mu = rng.uniform(0.05, 0.35) if slow else rng.uniform(-1.2, -0.4)
    return _StepPlan(
        id=step.pk,
        order=step.order,
        duration=duration,
        time_exact=duration.unit in ("minute", "hour") or bool(duration.window),
        has_deadline=duration.parsed,
        controls=tuple(controls),
        skippable=bool(step.is_optional or step.condition),
        return_to=int(back["return_to"]) if back else None,
        return_label=back["label"] if back else "",
        positive_label=RECURRENCE_STOP if recurrence else positive,
        iterations=iterations,
        per_item=bool(duration.per_item),
        factor_mu=mu,
    )


def _officers_ensure() -> tuple[dict[int, list[int]], list[str]]:
    """10 officers in each ICT group (created once; unusable passwords, sessions are made by the
    load run). Returns unit id → user ids, and the usernames."""
    User = get_user_model()
    units = {u.code: u for u in Unit.objects.filter(code__in=ICT_GROUPS)}
    missing = [code for code in ICT_GROUPS if code not in units]
    if missing:
        raise RuntimeError(f"units {missing} missing: load the demo organisation first")
    wanted = [
        (f"{OFFICER_PREFIX}{code.removeprefix('ict-')}.{n:02d}", units[code])
        for code in ICT_GROUPS
        for n in range(1, OFFICERS_PER_GROUP + 1)
    ]
    existing = set(
        User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True)
    )
    unusable = make_password(None)
    new_users = [
        User(
            username=name,
            first_name=f"เจ้าหน้าที่ทดสอบ {name.rsplit('.', 1)[1]}",
            last_name=unit.short_name,
            email=f"{name}@example.org",
            password=unusable,
        )
        for name, unit in wanted
        if name not in existing
    ]
    User.objects.bulk_create(new_users)
    users = dict(
        User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", "id")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=users[name], unit=unit, role=Role.OFFICER)
            for name, unit in wanted
            if name not in existing
        ]
    )
    Preference.objects.bulk_create(
        [Preference(user_id=users[name]) for name, _unit in wanted if name not in existing]
    )
    by_unit: dict[int, list[int]] = {}
    for name, unit in wanted:
        by_unit.setdefault(unit.pk, []).append(users[name])
    return by_unit, [w[0] for w in wanted]


class _Writer:
    """Bulk rows into one table: executemany on SQLite, COPY on PostgreSQL. Times come in as
    epoch seconds and are written the way Django stores them (SQLite: naive UTC text)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise RuntimeError(f"unsupported database {self.vendor}")
        self.raw = connection.connection

    def timestamp(self, t: int | None) -> str | None:
        if t is None:
            return None
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
        return text if self.vendor == "sqlite" else text + "+00"

    def write(
        self, table: str, columns: Sequence[str], times: set[int], rows: Iterable[Sequence[Any]]
    ) -> int:
        stamp = self.timestamp
        converted = [
            tuple(stamp(v) if i in times else v for i, v in enumerate(row)) for row in rows
        ]
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor = self.raw.cursor()
        try:
            if self.vendor == "sqlite":
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', converted)
            else:
                with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in converted:
                        copy.write_row(row)
        finally:
            cursor.close()
        return len(converted)


def _columns_check() -> None:
    """The column lists above must match the models; a new field needs a value here too."""
    for model, columns in (
        (Case, CASE_COLUMNS),
        (StepInstance, STEP_COLUMNS),
        (ControlConfirmation, CONFIRMATION_COLUMNS),
    ):
        actual = {str(f.column) for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(
                f"bench/workflow_data.py is out of date with {model.__name__}: "
                f"missing {sorted(actual - set(columns))}, unknown {sorted(set(columns) - actual)}"
            )


def _next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX("id") FROM "{model._meta.db_table}"')
        (value,) = cursor.fetchone()
    return int(value or 0) + 1


def _office_start(rng: random.Random, low: int, high: int) -> int:
    """A random instant between low and high, moved into office hours on a weekday."""
    while True:
        day = (rng.randrange(low, high) + _BKK_OFFSET) // _DAY
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        if weekday >= 5:
            day += 7 - weekday
        t = day * _DAY - _BKK_OFFSET + _OFFICE_OPEN + rng.randrange(0, _OFFICE_SECONDS, 60)
        if low <= t < high:
            return t


def _fiscal_year(t: int, starts: list[int]) -> int:
    return FISCAL_YEARS[0] - 1 + bisect_right(starts, t)


def _level(fraction: float, limits: Sequence[int]) -> int:
    """The escalation level reached after `fraction` of the allowed time (0 below the first)."""
    return sum(1 for threshold in limits if fraction * 100 >= threshold)


class _Row:
    """One step row while its case is walked; times are epoch seconds."""

    __slots__ = (
        "assignee_id",
        "breached",
        "breached_at",
        "completed_at",
        "completed_by_id",
        "due_at",
        "due_soon_notified",
        "escalation_level",
        "id",
        "iteration",
        "needs_review",
        "on_time",
        "order",
        "outcome",
        "pass_no",
        "pause_reason",
        "paused_at",
        "planned_seconds",
        "quantity",
        "skip_reason",
        "started_at",
        "status",
        "step_id",
        "target_at",
    )

    def __init__(self, step: _StepPlan, pass_no: int, iteration: int) -> None:
        self.id = 0
        self.step_id = step.id
        self.order = step.order
        self.pass_no = pass_no
        self.iteration = iteration
        self.status = "pending"
        self.assignee_id: int | None = None
        self.started_at: int | None = None
        self.target_at: int | None = None
        self.due_at: int | None = None
        self.planned_seconds: int | None = None
        self.completed_at: int | None = None
        self.paused_at: int | None = None
        self.pause_reason = ""
        self.quantity: int | None = None
        self.outcome = ""
        self.skip_reason = ""
        self.escalation_level = 0
        self.due_soon_notified = False
        self.breached = False
        self.breached_at: int | None = None
        self.on_time: bool | None = None
        self.needs_review = False
        self.completed_by_id: int | None = None

    def values(self, case_id: int, unit_id: int) -> tuple[Any, ...]:
        """The row in STEP_COLUMNS order."""
        return (
            self.id,
            case_id,
            self.step_id,
            self.order,
            self.pass_no,
            self.iteration,
            self.status,
            self.assignee_id,
            unit_id,
            self.started_at,
            self.target_at,
            self.due_at,
            self.planned_seconds,
            self.completed_at,
            self.paused_at,
            self.pause_reason,
            0,
            self.quantity,
            "",
            self.outcome,
            "",
            self.skip_reason,
            self.escalation_level,
            self.due_soon_notified,
            self.breached,
            self.breached_at,
            self.on_time,
            self.needs_review,
            self.completed_by_id,
        )


class _Generator:
    def __init__(self, *, seed: int, writer: _Writer, plans: list[_ProcessPlan]) -> None:
        self.rng = random.Random(seed)
        self.writer = writer
        self.plans = plans
        self.cum_weights = list(itertools.accumulate(plan.weight for plan in plans))
        self.deadlines = _Deadlines()
        self.now = _epoch(DATA_NOW)
        self.last_sweep = _epoch(DATA_NOW - SWEEP_INTERVAL)
        self.limits = thresholds()
        self.fy_starts = [
            _epoch(dt.datetime.combine(fiscal_year_bounds(y)[0], dt.time(), tzinfo=BANGKOK))
            for y in FISCAL_YEARS
        ]
        self.numbers: dict[tuple[str, int], int] = {}
        self.case_id = _next_id(Case)
        self.step_id = _next_id(StepInstance)
        self.confirmation_id = _next_id(ControlConfirmation)
        self.steps = 0
        self.confirmations = 0
        self.open_steps = 0
        self.by_status: dict[str, int] = {}

    def run(self, cases: int, progress: Callable[[str], None]) -> None:
        rng = self.rng
        starts = sorted(_office_start(rng, self.fy_starts[0], self.now) for _ in range(cases))
        for begin in range(0, cases, CASES_PER_CHUNK):
            case_rows: list[tuple[Any, ...]] = []
            step_rows: list[tuple[Any, ...]] = []
            confirmation_rows: list[tuple[Any, ...]] = []
            for start in starts[begin : begin + CASES_PER_CHUNK]:
                plan = rng.choices(self.plans, cum_weights=self.cum_weights)[0]
                self._case(plan, start, case_rows, step_rows, confirmation_rows)
            with transaction.atomic():
                self.writer.write(Case._meta.db_table, CASE_COLUMNS, _CASE_DT, case_rows)
                self.writer.write(StepInstance._meta.db_table, STEP_COLUMNS, _STEP_DT, step_rows)
                self.writer.write(
                    ControlConfirmation._meta.db_table,
                    CONFIRMATION_COLUMNS,
                    _CONFIRMATION_DT,
                    confirmation_rows,
                )
            self.steps += len(step_rows)
            self.confirmations += len(confirmation_rows)
            done = begin + len(case_rows)
            if done % 50000 == 0 or done == cases:
                progress(f"  {done:,} cases, {self.steps:,} step rows")

    def _events(self, plan: _ProcessPlan) -> list[_Event]:
        """The walk through the process: repeats of recurring steps, a second pass after an
        outcome that sends the case back, skipped optional steps."""
        rng = self.rng
        events: list[_Event] = []
        for step in plan.steps:
            if step.iterations > 1:
                for i in range(1, step.iterations + 1):
                    last = i == step.iterations
                    events.append(_Event(step, 1, i, RECURRENCE_STOP if last else ""))
            elif step.return_to and rng.random() < RETURN_SHARE:
                events.append(_Event(step, 1, 1, step.return_label))
                events.extend(
                    _Event(s, 2, 1, s.positive_label)
                    for s in plan.steps
                    if step.return_to <= s.order <= step.order
                )
            else:
                skip = step.skippable and rng.random() < SKIP_SHARE
                events.append(_Event(step, 1, 1, "" if skip else step.positive_label, skip))
        return events

    def _case(
        self,
        plan: _ProcessPlan,
        start: int,
        case_rows: list[tuple[Any, ...]],
        step_rows: list[tuple[Any, ...]],
        confirmation_rows: list[tuple[Any, ...]],
    ) -> None:
        rng = self.rng
        case_id = self.case_id
        self.case_id += 1
        fiscal_year = _fiscal_year(start, self.fy_starts)
        handler = rng.choice(plan.officers)
        events = self._events(plan)
        stop, stop_kind = -1, ""
        draw = rng.random()
        if draw < STALE_SHARE and start < self.now - 60 * _DAY:
            stop, stop_kind = rng.randrange(len(events)), "stale"
        elif STALE_SHARE <= draw < STALE_SHARE + CANCEL_SHARE:
            stop, stop_kind = rng.randrange(len(events)), "cancelled"
        # Pass 1 of every step exists from the start; a second pass appears when the case is
        # sent back, a repeat when the recurring step is done (as the engine creates them).
        rows = {(s.order, 1, 1): _Row(s, 1, 1) for s in plan.steps}
        confirmed: list[tuple[_Row, int, int, int]] = []
        t = start
        status = "done"
        closed: int | None = None
        previous_due: int | None = None
        for k, event in enumerate(events):
            step = event.step
            key = (step.order, event.pass_no, event.iteration)
            if event.outcome == step.return_label and step.return_to:
                for s in plan.steps:
                    if step.return_to <= s.order <= step.order:
                        rows.setdefault((s.order, 2, 1), _Row(s, 2, 1))
            row = rows.get(key)
            if row is None:
                row = rows[key] = _Row(step, event.pass_no, event.iteration)
            assignee = handler if rng.random() < 0.8 else rng.choice(plan.officers)
            quantity = rng.randint(1, 12) if step.per_item else None
            # A repeat is due one period after the previous deadline (engine: _repeat).
            basis = max(t, previous_due) if event.iteration > 1 and previous_due else t
            due, target, planned, review = self.deadlines.get(step, basis, quantity)
            previous_due = due
            row.status = "active"
            row.assignee_id = assignee
            row.started_at = t
            row.target_at, row.due_at, row.planned_seconds = target, due, planned
            row.quantity = quantity
            row.needs_review = bool(review)
            if k == stop and stop_kind == "cancelled":
                row.status = "cancelled"
                status, closed = "cancelled", t + rng.randrange(3600, 10 * _DAY)
                break
            if event.skip:
                row.status = "skipped"
                row.completed_at = t
                row.skip_reason = "ไม่มีกรณีนี้ในเรื่องนี้"
                row.completed_by_id = assignee
                continue
            allowed = due - t if due is not None and due > t else None
            if allowed is not None:
                taken = int(allowed * rng.lognormvariate(step.factor_mu, 0.6))
            else:
                taken = int(rng.lognormvariate(10.5, 1.0))  # about 10 hours, widely spread
            end = t + max(60, taken)
            if (k == stop and stop_kind == "stale") or end > self.now:
                self._open(row, t, rng)
                status = "waiting" if row.status == "paused" else "open"
                break
            row.status = "done"
            row.completed_at = end
            row.completed_by_id = assignee
            row.outcome = event.outcome
            if due is not None:
                row.on_time = end <= due
                if not row.on_time:
                    row.breached, row.breached_at = True, due
            if allowed is not None:
                fraction = (end - t) / allowed
                row.escalation_level = _level(fraction, self.limits)
                row.due_soon_notified = row.escalation_level > 0
            confirmed.extend((row, c, assignee, t + (end - t) // 2) for c in step.controls)
            t = end
        else:
            closed = t
        if status == "cancelled":
            for row in rows.values():
                if row.status in ("pending", "active"):
                    row.status = "cancelled"
        elif status != "done":
            self.open_steps += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        for _key, row in sorted(rows.items()):
            row.id = self.step_id
            self.step_id += 1
            step_rows.append(row.values(case_id, plan.unit_id))
        for row, control_id, by, at in confirmed:
            confirmation_rows.append((self.confirmation_id, row.id, control_id, by, at, "", ""))
            self.confirmation_id += 1
        number = self.numbers.get((plan.code, fiscal_year), 0) + 1
        self.numbers[(plan.code, fiscal_year)] = number
        subject = _SUBJECTS[case_id % len(_SUBJECTS)]
        late = any(row.breached for row in rows.values())
        case_rows.append(
            (
                case_id,
                start,
                closed or t,
                f"{plan.code}-{fiscal_year}-{number:05d}",
                plan.id,
                f"{subject} ({plan.code} ลำดับที่ {number})",
                "",
                handler,
                plan.unit_id,
                "high" if rng.random() < 0.1 else "normal",
                status,
                fiscal_year,
                start,
                closed,
                handler,
                None,
                late,
            )
        )

    def _open(self, row: _Row, t: int, rng: random.Random) -> None:
        """The active step at DATA_NOW, as the last sweep (SWEEP_INTERVAL before) left it."""
        if rng.random() < PAUSED_SHARE:
            row.status = "paused"
            row.paused_at = t + int((self.now - t) * rng.random())
            row.pause_reason = "รอเอกสารจากหน่วยงานภายนอก"
        due = row.due_at
        if due is None or due <= t:
            return
        seen = self.last_sweep
        if seen >= due:
            row.breached, row.breached_at = True, due
        fraction = (seen - t) / (due - t)
        if fraction > 0:
            row.escalation_level = _level(fraction, self.limits)
            row.due_soon_notified = row.escalation_level > 0


def generate(
    *, cases: int, seed: int = 2567, progress: Callable[[str], None] = print
) -> GenerationResult:
    """Add `cases` generated cases (and their step rows) to the loaded database."""
    began = time.perf_counter()
    if settings.USE_TZ is not True:
        raise RuntimeError("the generator writes UTC times and needs USE_TZ")
    _columns_check()
    officers, usernames = _officers_ensure()
    rng = random.Random(seed)
    plans = _plans(rng, officers)
    writer = _Writer()
    if writer.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bulk load: no fsync per commit, a page cache big enough for the indexes.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA temp_store=MEMORY")
    generator = _Generator(seed=seed, writer=writer, plans=plans)
    generator.run(cases, progress)
    if writer.vendor == "postgresql":
        statements = connection.ops.sequence_reset_sql(
            no_style(), [Case, StepInstance, ControlConfirmation]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    indexed_at = time.perf_counter()
    with transaction.atomic():
        search.reindex(progress=progress)
    summary_at = time.perf_counter()
    summary = stats_rebuild()
    progress(
        f"  search terms in {summary_at - indexed_at:.0f} s, summary "
        f"({summary['stats_rows']:,} rows, {summary['durations']:,} durations) "
        f"in {time.perf_counter() - summary_at:.0f} s"
    )
    return GenerationResult(
        cases=cases,
        steps=generator.steps,
        confirmations=generator.confirmations,
        open_steps=generator.open_steps,
        officers=usernames,
        seconds=time.perf_counter() - began,
        by_status=dict(sorted(generator.by_status.items())),
        search_seconds=summary_at - indexed_at,
        summary_seconds=time.perf_counter() - summary_at,
        summary_rows=summary["stats_rows"],
    )
