"""The yearly improvement summary, computed from two fiscal years' versions of a manual."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import NotFound, field_error
from krabuan.core.thai import normalize_text
from krabuan.manual.models import ImprovementEntry, Manual, Process, RequirementHeading

# Requirement details that mean "no technology" in the source documents.
_NO_TECHNOLOGY = {"", "ไม่มี", "-", "ไม่ระบุ"}


def _technology(process: Process) -> str:
    texts = [
        r.detail for r in process.requirements.all() if r.heading == RequirementHeading.TECHNOLOGY
    ]
    value = normalize_text(" ".join(texts))
    return "" if value in _NO_TECHNOLOGY else value


def _fingerprint(process: Process) -> str:
    """A hash of everything the form's sections hold, so any edit shows as 'details changed'."""
    data: dict[str, Any] = {
        "name": process.name,
        "authority": process.authority,
        "customers": process.customers,
        "outputs": process.outputs,
        "unit": process.responsible_unit_id,
        "quality": process.quality_standard,
        "req": [(r.heading, r.detail, r.priority) for r in process.requirements.all()],
        "vc": [(v.stage, v.activities, v.step_range) for v in process.value_chain.all()],
        "owners": [(o.kind, o.position_id, o.title) for o in process.owners.all()],
        "steps": [
            (
                s.activity,
                s.sub_items,
                s.duration_text,
                s.units_text,
                s.output,
                s.is_optional,
                s.condition,
                sorted((c.kind, c.text) for c in s.controls.all()),
            )
            for s in process.steps.all()
        ],
    }
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _processes(manual: Manual) -> dict[str, Process]:
    qs = (
        Process.objects.filter(manual=manual)
        .select_related("responsible_unit")
        .prefetch_related("requirements", "value_chain", "owners", "steps__controls")
    )
    return {p.code: p for p in qs.order_by("kind", "number")}


def previous_manual(manual: Manual) -> Manual | None:
    """The same unit's manual of the year before, if the system has it."""
    return Manual.objects.filter(unit=manual.unit, fiscal_year=manual.fiscal_year - 1).first()


@transaction.atomic
def improvement_summary(*, manual: Manual) -> list[ImprovementEntry]:
    """Rows for the processes that changed since last year's version (flags computed, the
    explanations kept). With no earlier version in the system, the recorded rows are returned."""
    previous = previous_manual(manual)
    existing = {e.process_code: e for e in ImprovementEntry.objects.filter(manual=manual)}
    if previous is None:
        return sorted(existing.values(), key=lambda e: e.sort_order)
    before, after = _processes(previous), _processes(manual)
    rows: list[ImprovementEntry] = []
    order = 0
    codes = list(after) + [c for c in before if c not in after]
    for code in codes:
        old, new = before.get(code), after.get(code)
        subject = new or old
        assert subject is not None
        flags = {
            "process_added": old is None,
            "process_cut": new is None,
            "details_changed": bool(old and new and _fingerprint(old) != _fingerprint(new)),
            "technology_added": bool(
                old and new and _technology(new) and _technology(new) != _technology(old)
            ),
        }
        if not any(flags.values()):
            continue
        entry = existing.pop(code, None) or ImprovementEntry(manual=manual, process_code=code)
        entry.process_name = subject.name
        entry.responsible_unit_text = (
            subject.responsible_unit.name if subject.responsible_unit else ""
        )
        for key, value in flags.items():
            setattr(entry, key, value)
        entry.recorded = False
        entry.sort_order = order
        entry.save()
        rows.append(entry)
        order += 1
    # Rows whose process no longer differs are dropped, unless someone wrote an explanation.
    for stale in existing.values():
        if stale.explanation and not stale.recorded:
            stale.details_changed = stale.technology_added = False
            stale.process_added = stale.process_cut = False
            stale.sort_order = order
            stale.save()
            rows.append(stale)
            order += 1
        else:
            stale.delete()
    return rows


@transaction.atomic
def improvement_explanation_update(
    *, manual: Manual, process_code: str, explanation: str, actor: Any
) -> ImprovementEntry:
    """Edit the free-text explanation of one summary row."""
    text = normalize_text(explanation)
    if len(text) > 5000:
        raise field_error("explanation", "รายละเอียดการปรับปรุงยาวเกิน 5,000 ตัวอักษร")
    entry = ImprovementEntry.objects.filter(manual=manual, process_code=process_code).first()
    if entry is None:
        raise NotFound("ไม่พบรายการสรุปการปรับปรุงของกระบวนงานนี้", code="improvement_not_found")
    before = entry.explanation
    entry.explanation = text
    entry.save(update_fields=["explanation", "updated_at"])
    audit_record(
        actor=actor,
        action="manual.improvement.explain",
        obj=entry,
        changes={"explanation": [before, text]},
    )
    return entry
