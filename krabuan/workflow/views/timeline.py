"""Everything the case page shows, built once from the guarded case: the steps as a timeline
(planned vs actual), the forms of the current step's actions, comments, attachments and the
audit trail. The page and every HTMX action render the same `workflow/_case.html` from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krabuan.core.audit import diff
from krabuan.core.models import AuditEntry
from krabuan.core.thai import format_datetime
from krabuan.manual.models import ControlKind, StepControl
from krabuan.workflow import urgency
from krabuan.workflow.display import format_seconds
from krabuan.workflow.forms import (
    AttachmentForm,
    CaseCancelForm,
    CommentForm,
    ControlConfirmForm,
    RiskRecordForm,
    StepCompleteForm,
    StepPauseForm,
    StepReassignForm,
    StepSkipForm,
    StepUpdateForm,
    is_recurring,
)
from krabuan.workflow.models import (
    Case,
    CaseAttachment,
    CaseStatus,
    ControlConfirmation,
    RiskOccurrence,
    StepInstance,
    StepStatus,
)
from krabuan.workflow.permissions import WORK_ON_STEPS, can_work_on_steps

AUDIT_LIMIT = 200
ACTION_LABELS = {
    "case.start": gettext_lazy("เริ่มเรื่อง"),
    "case.done": gettext_lazy("ปิดเรื่อง (เสร็จสิ้น)"),
    "case.return": gettext_lazy("ส่งกลับไปทำขั้นตอนก่อนหน้า"),
    "case.cancel": gettext_lazy("ยกเลิกเรื่อง"),
    "case.comment": gettext_lazy("แสดงความเห็น"),
    "case.attachment": gettext_lazy("แนบไฟล์"),
    "step.start": gettext_lazy("เริ่มขั้นตอน"),
    "step.control.confirm": gettext_lazy("ยืนยันจุดควบคุม"),
    "step.complete": gettext_lazy("ดำเนินการขั้นตอนเสร็จ"),
    "step.update": gettext_lazy("ปรับปรุงขั้นตอน"),
    "step.skip": gettext_lazy("ข้ามขั้นตอน"),
    "step.pause": gettext_lazy("หยุดรอหน่วยงานภายนอก"),
    "step.resume": gettext_lazy("ดำเนินการต่อ"),
    "step.risk": gettext_lazy("บันทึกความเสี่ยงที่เกิดขึ้น"),
    "step.escalate": gettext_lazy("แจ้งเตือนตามลำดับขั้น"),
    "step.review_reminder": gettext_lazy("เตือนให้ทบทวนระยะเวลา"),
}
# Audit values worth showing in the trail, with their Thai names.
CHANGE_LABELS = {
    "status": gettext_lazy("สถานะ"),
    "case_status": gettext_lazy("สถานะเรื่อง"),
    "note": gettext_lazy("บันทึก"),
    "reason": gettext_lazy("เหตุผล"),
    "control": gettext_lazy("จุดควบคุม"),
    "risk": gettext_lazy("ความเสี่ยง"),
    "outcome": gettext_lazy("ผลการดำเนินการ"),
    "quantity": gettext_lazy("จำนวน"),
    "alternative": gettext_lazy("วิธีที่เลือก"),
    "comment": gettext_lazy("ความเห็น"),
    "file": gettext_lazy("ไฟล์"),
    "to_order": gettext_lazy("ส่งกลับไปขั้นตอนที่"),
    "pass_no": gettext_lazy("รอบที่"),
    "assignee_id": gettext_lazy("ผู้รับผิดชอบ"),
    "due_at": gettext_lazy("กำหนดเสร็จ"),
    "on_time": gettext_lazy("ทันเวลา"),
    "escalation_level": gettext_lazy("ระดับการแจ้งเตือน"),
    "threshold_pct": gettext_lazy("ร้อยละของเวลาที่ใช้ไป"),
}
_STATUS_LABELS = {**dict(CaseStatus.choices), **dict(StepStatus.choices)}
_TIME_KEYS = {"due_at", "target_at", "started_at", "completed_at", "paused_at"}


@dataclass
class ActionError:
    """A refusal shown in place: which form of which step, the message, missing controls."""

    key: tuple[int, str]
    message: str
    missing: list[str] = field(default_factory=list)


@dataclass
class ControlRow:
    control: StepControl
    confirmation: ControlConfirmation | None
    form: ControlConfirmForm | None
    error: ActionError | None = None


@dataclass
class StepActions:
    complete: StepCompleteForm
    update: StepUpdateForm | None
    skip: StepSkipForm | None
    pause: StepPauseForm | None
    resume: bool
    risk: RiskRecordForm
    reassign: StepReassignForm
    recurring: bool
    errors: dict[str, ActionError] = field(default_factory=dict)

    def shows(self, action: str) -> bool:
        """Whether the page has a form for the action (where its refusal is shown)."""
        if action.startswith("confirm:"):
            return True
        return bool(getattr(self, action, None))


@dataclass
class TimelineRow:
    instance: StepInstance
    controls: list[ControlRow]
    risks: list[StepControl]
    occurrences: list[RiskOccurrence]
    attachments: list[CaseAttachment]
    show_pass: bool
    urgency: str | None
    late_seconds: float | None
    paused_seconds: int
    actions: StepActions | None
    # A refusal for this step that has no form of its own to sit next to.
    error: ActionError | None = None

    @property
    def is_open(self) -> bool:
        return self.instance.is_open

    @property
    def urgency_label(self) -> str:
        return str(urgency.LABELS[self.urgency]) if self.urgency else ""

    @property
    def urgency_colour(self) -> str:
        return urgency.COLOURS[self.urgency] if self.urgency else "secondary"

    @property
    def late_text(self) -> str:
        return format_seconds(self.late_seconds) if self.late_seconds else ""

    @property
    def paused_text(self) -> str:
        return format_seconds(self.paused_seconds) if self.paused_seconds else ""

    @property
    def actual_text(self) -> str:
        i = self.instance
        if i.started_at and i.completed_at and i.status == StepStatus.DONE:
            spent = (i.completed_at - i.started_at).total_seconds() - i.paused_seconds
            return format_seconds(spent)
        return ""


def _timeline_key(instance: StepInstance) -> tuple[Any, ...]:
    # Started steps in the order they started (a return's new pass after the old one); steps not
    # started yet after them, in the manual's order.
    if instance.started_at is not None:
        return (0, instance.started_at, instance.pass_no, instance.order, instance.iteration)
    return (1, instance.order, instance.pass_no, instance.iteration, instance.pk)


def _workers() -> list[Any]:
    user_model = get_user_model()
    return list(
        user_model.objects.filter(is_active=True)
        .filter(Q(memberships__role__in=[str(r) for r in WORK_ON_STEPS]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _actions(
    instance: StepInstance,
    workers: list[Any],
    bound: dict[tuple[int, str], forms.Form],
    error: ActionError | None,
) -> StepActions:
    def pick(name: str, default: Any) -> Any:
        return bound.get((instance.pk, name), default)

    step = instance.step
    update = pick("update", StepUpdateForm(instance=instance, prefix=f"u{instance.pk}"))
    errors = {error.key[1]: error} if error and error.key[0] == instance.pk else {}
    return StepActions(
        complete=pick("complete", StepCompleteForm(instance=instance, prefix=f"c{instance.pk}")),
        update=update if update.has_fields else None,
        skip=(
            pick("skip", StepSkipForm(prefix=f"s{instance.pk}"))
            if step.is_optional or step.condition
            else None
        ),
        pause=(
            pick("pause", StepPauseForm(prefix=f"p{instance.pk}"))
            if instance.status == StepStatus.ACTIVE
            else None
        ),
        resume=instance.status == StepStatus.PAUSED,
        risk=pick("risk", RiskRecordForm(instance=instance, prefix=f"r{instance.pk}")),
        reassign=pick("reassign", StepReassignForm(workers=workers, prefix=f"a{instance.pk}")),
        recurring=is_recurring(instance),
        errors=errors,
    )


def _audit(case: Case, steps: list[StepInstance]) -> list[dict[str, Any]]:
    entries = list(
        AuditEntry.objects.filter(
            Q(object_type="workflow.case", object_id=str(case.pk))
            | Q(object_type="workflow.stepinstance", object_id__in=[str(s.pk) for s in steps])
        )
        .select_related("actor")
        .order_by("-at", "-id")[:AUDIT_LIMIT]
    )
    changes_of = [_changes(e.changes) for e in entries]
    # People named in the changes (assignees), read in one query.
    ids = {
        v for changes in changes_of for v in _flat(changes.get("assignee_id")) if isinstance(v, int)
    }
    names = {
        u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=ids)
    }
    rows = []
    for entry, changes in zip(entries, changes_of, strict=True):
        details = [
            (str(CHANGE_LABELS[k]), _shown(k, v, names))
            for k, v in changes.items()
            if k in CHANGE_LABELS and v not in (None, "", [], [None, None])
        ]
        rows.append(
            {
                "entry": entry,
                "label": str(ACTION_LABELS.get(entry.action, entry.action)),
                "details": details,
            }
        )
    return rows


def _changes(raw: Any) -> dict[str, Any]:
    changes = raw if isinstance(raw, dict) else {}
    if isinstance(changes.get("before"), dict) and isinstance(changes.get("after"), dict):
        return {k: v for k, v in diff(changes["before"], changes["after"]).items()}
    return changes


def _flat(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _one(key: str, value: Any, names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if key in ("status", "case_status"):
        return str(_STATUS_LABELS.get(value, value))
    if key == "assignee_id":
        return names.get(value, str(value))
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่")
    if key in _TIME_KEYS and isinstance(value, str):
        try:
            return format_datetime(dt.datetime.fromisoformat(value), short=True)
        except ValueError:
            return value
    return _short(value)


def _shown(key: str, value: Any, names: dict[int, str]) -> str:
    """One audited value; a [before, after] pair as "before → after"."""
    if isinstance(value, list) and len(value) == 2 and key != "recipients":
        before, after = value
        if before is None or before == "":
            return _one(key, after, names)
        return f"{_one(key, before, names)} → {_one(key, after, names)}"
    return _one(key, value, names)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def case_context(
    request: Any,
    case: Case,
    *,
    bound: dict[tuple[int, str], forms.Form] | None = None,
    error: ActionError | None = None,
    flash: str = "",
) -> dict[str, Any]:
    """The whole case page; `bound`/`error` put a refused form back in place with its messages."""
    bound = bound or {}
    user = request.user
    now = timezone.now()
    at = urgency.clock(now)
    closed = case.status in (CaseStatus.DONE, CaseStatus.CANCELLED)
    can_work = can_work_on_steps(user)
    can_act = can_work and not closed
    steps = sorted(case.steps.all(), key=_timeline_key)
    multi_pass = {s.order for s in steps if s.pass_no > 1}
    occurrences: dict[int, list[RiskOccurrence]] = {}
    for occ in RiskOccurrence.objects.filter(step_instance__case=case).select_related(
        "recorded_by", "risk"
    ):
        occurrences.setdefault(occ.step_instance_id, []).append(occ)
    attachments = list(
        CaseAttachment.objects.filter(case=case).select_related("uploaded_by").order_by("id")
    )
    by_step: dict[int | None, list[CaseAttachment]] = {}
    for att in attachments:
        by_step.setdefault(att.step_instance_id, []).append(att)
    workers = _workers() if can_act and any(s.is_open for s in steps) else []
    rows = []
    for instance in steps:
        controls_all = list(instance.step.controls.all())
        confirmations = {c.control_id: c for c in instance.confirmations.all()}
        act = can_act and instance.is_open
        control_rows = []
        for control in sorted(
            (c for c in controls_all if c.kind == ControlKind.CONTROL), key=lambda c: c.sort_order
        ):
            confirmation = confirmations.get(control.pk)
            form: Any = None
            if act and confirmation is None:
                form = bound.get(
                    (instance.pk, f"confirm:{control.pk}"),
                    ControlConfirmForm(prefix=f"k{control.pk}"),
                )
            row_error = (
                error
                if error is not None and error.key == (instance.pk, f"confirm:{control.pk}")
                else None
            )
            control_rows.append(ControlRow(control, confirmation, form, row_error))
        late: float | None = None
        if instance.due_at is not None:
            if instance.completed_at is not None and instance.status == StepStatus.DONE:
                over = (instance.completed_at - instance.due_at).total_seconds()
                late = over if over > 0 else None
            elif instance.is_open:
                ref = instance.paused_at or now
                over = (ref - instance.due_at).total_seconds()
                late = over if over > 0 else None
        paused = instance.paused_seconds
        if instance.status == StepStatus.PAUSED and instance.paused_at:
            paused += int((now - instance.paused_at).total_seconds())
        actions = _actions(instance, workers, bound, error) if act else None
        own_error = error if error is not None and error.key[0] == instance.pk else None
        if own_error is not None and actions is not None and actions.shows(own_error.key[1]):
            own_error = None
        rows.append(
            TimelineRow(
                instance=instance,
                controls=control_rows,
                risks=[c for c in controls_all if c.kind == ControlKind.RISK],
                occurrences=occurrences.get(instance.pk, []),
                attachments=by_step.get(instance.pk, []),
                show_pass=instance.order in multi_pass,
                urgency=(
                    urgency.classify(
                        status=instance.status,
                        due_at=instance.due_at,
                        planned_seconds=instance.planned_seconds,
                        paused_at=instance.paused_at,
                        at=at,
                    )
                    if instance.is_open
                    else None
                ),
                late_seconds=late,
                paused_seconds=paused,
                actions=actions,
                error=own_error,
            )
        )
    done = sum(1 for s in steps if s.status in (StepStatus.DONE, StepStatus.SKIPPED))
    countable = sum(1 for s in steps if s.status != StepStatus.CANCELLED)
    case_error = error if error is not None and error.key[0] == 0 else None
    return {
        "case": case,
        "rows": rows,
        "progress": (done, countable),
        "can_work": can_work,
        "can_act": can_act,
        "closed": closed,
        "comments": list(case.comments.select_related("author")),
        "attachments": attachments,
        "comment_form": bound.get((0, "comment"), CommentForm(prefix="cm")),
        "attachment_form": bound.get((0, "attachment"), AttachmentForm(steps=steps, prefix="at")),
        "cancel_form": bound.get((0, "cancel"), CaseCancelForm(prefix="cx")),
        "case_error": case_error,
        "audit": _audit(case, steps),
        "flash": flash,
        "now": now,
    }
