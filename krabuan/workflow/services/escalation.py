"""The escalation sweep: mark late steps breached, tell people as a step uses up its time, and
remind group heads of steps that have no deadline.

A step's allowed time is `planned_seconds` (else due_at − started_at − paused_seconds). Its
thresholds (settings.KRABUAN_ESCALATION_THRESHOLDS, % of the allowed time, default 75/100/150)
are levels 1, 2, 3: the assignee, the group head, the director. The clock of a step runs back
from its deadline, so level L is reached at ``due_at + allowed × (threshold_L − 100) / 100`` —
for an ordinary step that is ``started_at + paused + allowed × threshold_L / 100``, and for a
recurring step started before its period began the 100% mark is still its deadline.

Two sweeps at once never send twice: a level is claimed with one conditional UPDATE
(``escalation_level < level``) and only the sweep whose UPDATE changed the row sends; the
notification's dedupe key is a second guard. `candidates` and `escalate` are separate so the
race can be replayed deterministically in tests.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krabuan.core.audit import audit_record
from krabuan.core.thai import format_datetime
from krabuan.notify.services import in_language_of, notify
from krabuan.org.models import Membership, Role, Unit
from krabuan.workflow.models import Case, StepInstance, StepStatus

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLDS = [75, 100, 150]
LEVEL_ASSIGNEE, LEVEL_GROUP_HEAD, LEVEL_DIRECTOR = 1, 2, 3
# Rows are claimed and messaged in chunks: one transaction per chunk keeps SQLite fast and
# never holds a write lock for the whole sweep.
CHUNK = 500
SUBJECT_ACTIVITY_MAX = 80


@dataclass(frozen=True)
class Candidate:
    """A step that has newly reached `level` (the highest level its elapsed time reaches)."""

    step_id: int
    level: int
    previous_level: int
    due_at: dt.datetime
    allowed_seconds: int


@dataclass
class SweepResult:
    examined: int = 0
    breached: int = 0
    escalated: dict[int, int] = field(default_factory=dict)
    notifications: int = 0
    review_reminders: int = 0

    def merge(self, other: SweepResult) -> None:
        self.examined += other.examined
        self.breached += other.breached
        for level, count in other.escalated.items():
            self.escalated[level] = self.escalated.get(level, 0) + count
        self.notifications += other.notifications
        self.review_reminders += other.review_reminders


def thresholds() -> list[int]:
    """The configured thresholds (% of allowed time): 1 to 3 increasing positive numbers."""
    values = list(getattr(settings, "KRABUAN_ESCALATION_THRESHOLDS", DEFAULT_THRESHOLDS))
    if not 1 <= len(values) <= 3:
        raise ImproperlyConfigured("KRABUAN_ESCALATION_THRESHOLDS needs 1 to 3 values")
    if any(not isinstance(v, int) or v <= 0 for v in values) or values != sorted(set(values)):
        raise ImproperlyConfigured(
            "KRABUAN_ESCALATION_THRESHOLDS must be increasing positive integers, "
            "e.g. [75, 100, 150]"
        )
    return values


def allowed_seconds(
    *,
    planned_seconds: int | None,
    started_at: dt.datetime | None,
    due_at: dt.datetime,
    paused_seconds: int,
) -> int:
    """The time a step is allowed: its planned seconds, else the deadline minus start and pauses."""
    if planned_seconds is not None:
        return max(planned_seconds, 0)
    if started_at is None:
        return 0
    return max(int((due_at - started_at).total_seconds()) - paused_seconds, 0)


def reached_at(*, due_at: dt.datetime, allowed: int, threshold: int) -> dt.datetime:
    """When a step reaches a threshold: the deadline moved by (threshold − 100)% of its time."""
    return due_at + dt.timedelta(seconds=allowed * (threshold - 100) / 100)


def level_at(*, now: dt.datetime, due_at: dt.datetime, allowed: int, limits: Sequence[int]) -> int:
    """The highest level (1-based index of `limits`) a step has reached at `now`, 0 for none."""
    for index in range(len(limits), 0, -1):
        if now >= reached_at(due_at=due_at, allowed=allowed, threshold=limits[index - 1]):
            return index
    return 0


def candidates(*, now: dt.datetime | None = None) -> list[Candidate]:
    """Active steps with a deadline that have reached a level above their recorded one."""
    return _scan(now=now or timezone.now())[1]


def _scan(*, now: dt.datetime) -> tuple[int, list[Candidate]]:
    """(steps examined, candidates). One query over the (status, due_at) index reads only the
    columns the arithmetic needs; paused steps are not escalated (their clock is stopped)."""
    limits = thresholds()
    rows = StepInstance.objects.filter(
        status=StepStatus.ACTIVE, due_at__isnull=False, escalation_level__lt=len(limits)
    ).values_list(
        "pk", "due_at", "planned_seconds", "started_at", "paused_seconds", "escalation_level"
    )
    found: list[Candidate] = []
    examined = 0
    for pk, due_at, planned, started_at, paused, current in rows.iterator(chunk_size=5000):
        if due_at is None:  # excluded by the filter; the check narrows the type
            continue
        allowed = allowed_seconds(
            planned_seconds=planned, started_at=started_at, due_at=due_at, paused_seconds=paused
        )
        examined += 1
        level = level_at(now=now, due_at=due_at, allowed=allowed, limits=limits)
        if level > current:
            found.append(Candidate(pk, level, current, due_at, allowed))
    return examined, found


def _case_link(case_id: int) -> str:
    try:
        return reverse("workflow:case_detail", args=[case_id])
    except NoReverseMatch:
        return f"/work/cases/{case_id}/"


class _Directory:
    """Who holds which role where, read once per sweep (units and memberships are small)."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = dict(Unit.objects.values_list("pk", "parent_id"))
        self.members: dict[tuple[int, str], list[int]] = {}
        rows = (
            Membership.objects.filter(
                role__in=[Role.OFFICER, Role.GROUP_HEAD, Role.DIRECTOR], user__is_active=True
            )
            .order_by("user_id")
            .values_list("unit_id", "role", "user_id")
        )
        for unit_id, role, user_id in rows:
            self.members.setdefault((unit_id, role), []).append(user_id)
        self._users: dict[int, Any] = {}

    def _holders(self, unit_id: int | None, role: str) -> list[int]:
        return list(self.members.get((unit_id, role), [])) if unit_id is not None else []

    def assignee_level(self, *, assignee: Any, unit_id: int | None) -> list[int]:
        """Level 1: the assignee, or when nobody (active) is assigned, the unit's officers."""
        if assignee is not None and assignee.is_active:
            return [assignee.pk]
        return self._holders(unit_id, Role.OFFICER)

    def group_heads(self, unit_id: int | None) -> list[int]:
        """Level 2: the unit's group heads; when it has none, its parent's."""
        heads = self._holders(unit_id, Role.GROUP_HEAD)
        if not heads and unit_id is not None:
            heads = self._holders(self.parent.get(unit_id), Role.GROUP_HEAD)
        return heads

    def directors(self, unit_id: int | None) -> list[int]:
        """Level 3: the directors of the nearest unit up the tree (itself included) with one."""
        seen: set[int] = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            found = self._holders(unit_id, Role.DIRECTOR)
            if found:
                return found
            unit_id = self.parent.get(unit_id)
        return []

    def recipients(self, *, level: int, assignee: Any, unit_id: int | None) -> list[int]:
        """The level's people; if nobody holds that role, the message still goes somewhere:
        level 2 falls back to the director then the assignee, level 3 to the group head then
        the assignee."""
        by_level = {
            LEVEL_ASSIGNEE: lambda: self.assignee_level(assignee=assignee, unit_id=unit_id),
            LEVEL_GROUP_HEAD: lambda: self.group_heads(unit_id),
            LEVEL_DIRECTOR: lambda: self.directors(unit_id),
        }
        order = {
            LEVEL_ASSIGNEE: [LEVEL_ASSIGNEE],
            LEVEL_GROUP_HEAD: [LEVEL_GROUP_HEAD, LEVEL_DIRECTOR, LEVEL_ASSIGNEE],
            LEVEL_DIRECTOR: [LEVEL_DIRECTOR, LEVEL_GROUP_HEAD, LEVEL_ASSIGNEE],
        }[min(level, LEVEL_DIRECTOR)]
        for each in order:
            people = by_level[each]()
            if people:
                return people
        return []

    def users(self, ids: Iterable[int]) -> list[Any]:
        missing = [i for i in ids if i not in self._users]
        if missing:
            self._users.update(get_user_model().objects.in_bulk(missing))
        return [self._users[i] for i in ids if i in self._users]


def _activity(instance: StepInstance) -> str:
    text = " ".join(instance.step.activity.split())
    if len(text) > SUBJECT_ACTIVITY_MAX:
        text = text[: SUBJECT_ACTIVITY_MAX - 1] + "…"
    return text


def _who(instance: StepInstance) -> str:
    if instance.assignee is not None:
        return instance.assignee.get_full_name() or instance.assignee.get_username()
    unit = instance.assignee_unit or instance.case.responsible_unit
    return str(unit) if unit else _("ยังไม่ได้มอบหมาย")


_AUDIENCE = {
    LEVEL_ASSIGNEE: gettext_lazy("ผู้รับผิดชอบขั้นตอน"),
    LEVEL_GROUP_HEAD: gettext_lazy("หัวหน้ากลุ่ม/ฝ่าย"),
    LEVEL_DIRECTOR: gettext_lazy("ผู้อำนวยการ"),
}


def _message(
    instance: StepInstance, candidate: Candidate, *, now: dt.datetime, limits: Sequence[int]
) -> tuple[str, str, str]:
    """(subject, body, kind) of an escalation message, in the active language."""
    due_at = candidate.due_at
    if now > due_at:
        tag, kind = _("เกินกำหนด"), "step_overdue"
    elif now == due_at:
        tag, kind = _("ครบกำหนด"), "step_overdue"
    else:
        tag, kind = _("ใกล้ครบกำหนด"), "step_due_soon"
    case = instance.case
    subject = _("[%(tag)s] %(reference)s ขั้นตอนที่ %(order)s: %(activity)s") % {
        "tag": tag,
        "reference": case.reference,
        "order": instance.order,
        "activity": _activity(instance),
    }
    start = due_at - dt.timedelta(seconds=candidate.allowed_seconds)
    used = (now - start).total_seconds()
    pct = round(100 * used / candidate.allowed_seconds) if candidate.allowed_seconds else 100
    level = candidate.level
    lines = [
        _("เรื่อง: %(reference)s %(title)s") % {"reference": case.reference, "title": case.title},
        _("ขั้นตอนที่ %(order)s: %(activity)s")
        % {"order": instance.order, "activity": " ".join(instance.step.activity.split())},
        _("กำหนดเสร็จ: %(due)s") % {"due": format_datetime(due_at)},
        _("ใช้เวลาไปแล้วประมาณ %(pct)s%% ของเวลาที่กำหนด (เกณฑ์แจ้งเตือน %(threshold)s%%)")
        % {"pct": pct, "threshold": limits[level - 1]},
        _("ผู้รับผิดชอบ: %(who)s") % {"who": _who(instance)},
        _("ระดับการแจ้งเตือน %(level)s จาก %(top)s: แจ้ง%(audience)s")
        % {
            "level": level,
            "top": len(limits),
            "audience": _AUDIENCE[min(level, LEVEL_DIRECTOR)],
        },
    ]
    return subject, "\n".join(lines), kind


def _load(ids: list[int]) -> dict[int, StepInstance]:
    return StepInstance.objects.select_related(
        "case", "case__responsible_unit", "step", "assignee", "assignee_unit"
    ).in_bulk(ids)


def escalate(found: Sequence[Candidate], *, now: dt.datetime | None = None) -> SweepResult:
    """Claim each candidate's level with a conditional UPDATE and message its people.

    A step that skipped levels (e.g. found at 160% after the worker was down) gets only the
    message of the highest level it reached; the lower levels are marked reached with it, so
    nobody receives a stale "due soon" about a step that is already far overdue. The claim and
    the messages share one transaction: a crash never leaves a level marked but unsent."""
    now = now or timezone.now()
    limits = thresholds()
    result = SweepResult()
    directory: _Directory | None = None
    for start in range(0, len(found), CHUNK):
        chunk = found[start : start + CHUNK]
        instances = _load([c.step_id for c in chunk])
        with transaction.atomic():
            for candidate in chunk:
                instance = instances.get(candidate.step_id)
                if instance is None:
                    continue
                claimed = StepInstance.objects.filter(
                    pk=candidate.step_id,
                    status=StepStatus.ACTIVE,
                    due_at=candidate.due_at,
                    escalation_level__lt=candidate.level,
                ).update(escalation_level=candidate.level, due_soon_notified=True)
                if claimed != 1:
                    continue  # another sweep got there first, or the step moved on
                directory = directory or _Directory()
                sent = _send_level(instance, candidate, directory=directory, now=now, limits=limits)
                result.escalated[candidate.level] = result.escalated.get(candidate.level, 0) + 1
                result.notifications += sent
    return result


def _send_level(
    instance: StepInstance,
    candidate: Candidate,
    *,
    directory: _Directory,
    now: dt.datetime,
    limits: Sequence[int],
) -> int:
    unit_id = instance.assignee_unit_id or instance.case.responsible_unit_id
    people = directory.users(
        directory.recipients(level=candidate.level, assignee=instance.assignee, unit_id=unit_id)
    )
    link = _case_link(instance.case_id)
    sent = 0
    for user in people:
        with in_language_of(user):  # each recipient reads it in the language they chose
            subject, body, kind = _message(instance, candidate, now=now, limits=limits)
        sent += len(
            notify(
                user=user,
                subject=subject,
                body=body,
                link=link,
                dedupe_key=f"step:{instance.pk}:level:{candidate.level}",
                kind=kind,
            )
        )
    audit_record(
        actor=None,
        action="step.escalate",
        obj=instance,
        changes={
            "escalation_level": [candidate.previous_level, candidate.level],
            "threshold_pct": limits[candidate.level - 1],
            "recipients": [u.pk for u in people],
        },
    )
    if not people:
        logger.warning(
            "step %s reached level %s but nobody can be told", instance.pk, candidate.level
        )
    return sent


def breaches_mark(*, now: dt.datetime | None = None) -> int:
    """Mark active steps past their deadline breached (breached_at = the deadline); one UPDATE.
    The flag is never cleared, so a step that was late stays late in the KPI."""
    now = now or timezone.now()
    due = StepInstance.objects.filter(status=StepStatus.ACTIVE, breached=False, due_at__lt=now)
    with transaction.atomic():
        Case.objects.filter(late=False, pk__in=due.values("case_id")).update(late=True)
        return due.update(breached=True, breached_at=F("due_at"))


def review_candidates() -> list[int]:
    """Active steps without a deadline (open-ended or unparsed duration) not yet reminded."""
    return list(
        StepInstance.objects.filter(
            status=StepStatus.ACTIVE,
            needs_review=True,
            due_at__isnull=True,
            due_soon_notified=False,
        ).values_list("pk", flat=True)
    )


def reviews_remind(ids: Sequence[int], *, now: dt.datetime | None = None) -> SweepResult:
    """One reminder per step to the unit's group head: the step has no deadline to watch.

    `due_soon_notified` marks the reminder sent (a step without a deadline has no other early
    notice), claimed with a conditional UPDATE like an escalation level."""
    result = SweepResult()
    directory: _Directory | None = None
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        instances = _load(chunk)
        with transaction.atomic():
            for pk in chunk:
                instance = instances.get(pk)
                if instance is None:
                    continue
                claimed = StepInstance.objects.filter(
                    pk=pk, status=StepStatus.ACTIVE, due_soon_notified=False
                ).update(due_soon_notified=True)
                if claimed != 1:
                    continue
                directory = directory or _Directory()
                result.notifications += _send_review(instance, directory=directory)
                result.review_reminders += 1
    return result


def _send_review(instance: StepInstance, *, directory: _Directory) -> int:
    unit_id = instance.assignee_unit_id or instance.case.responsible_unit_id
    people = directory.users(
        directory.recipients(level=LEVEL_GROUP_HEAD, assignee=instance.assignee, unit_id=unit_id)
    )
    link = _case_link(instance.case_id)
    sent = 0
    for user in people:
        with in_language_of(user):  # each recipient reads it in the language they chose
            subject, body = _review_message(instance)
        sent += len(
            notify(
                user=user,
                subject=subject,
                body=body,
                link=link,
                dedupe_key=f"step:{instance.pk}:review",
                kind="step_review",
            )
        )
    audit_record(
        actor=None,
        action="step.review_reminder",
        obj=instance,
        changes={"recipients": [u.pk for u in people]},
    )
    return sent


def _review_message(instance: StepInstance) -> tuple[str, str]:
    """(subject, body) of the reminder to review an open-ended step's duration."""
    case = instance.case
    subject = _("[ทบทวนระยะเวลา] %(reference)s ขั้นตอนที่ %(order)s: %(activity)s") % {
        "reference": case.reference,
        "order": instance.order,
        "activity": _activity(instance),
    }
    duration = instance.step.duration_text or _("ไม่ระบุ")
    body = "\n".join(
        [
            _("เรื่อง: %(reference)s %(title)s") % {"reference": case.reference, "title": case.title},
            _("ขั้นตอนที่ %(order)s: %(activity)s")
            % {"order": instance.order, "activity": " ".join(instance.step.activity.split())},
            _("ระยะเวลาในคู่มือ: %(duration)s — ระบบคำนวณกำหนดเสร็จไม่ได้") % {"duration": duration},
            _("ผู้รับผิดชอบ: %(who)s") % {"who": _who(instance)},
            _("โปรดติดตามความคืบหน้าของขั้นตอนนี้ และพิจารณากำหนดระยะเวลาที่วัดได้ในคู่มือปีถัดไป"),
        ]
    )
    return subject, body


def sweep_steps(*, now: dt.datetime | None = None) -> SweepResult:
    """One sweep: mark breaches, escalate steps that reached a threshold, remind reviews.
    Safe to run on several workers at once."""
    now = now or timezone.now()
    result = SweepResult(breached=breaches_mark(now=now))
    examined, found = _scan(now=now)
    result.examined = examined
    result.merge(escalate(found, now=now))
    result.merge(reviews_remind(review_candidates(), now=now))
    return result
