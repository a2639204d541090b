"""`krabuan load_demo_cases`: back-dated demo cases of FY2567 for every process, worked through
the real services (so deadlines, on-time flags and the audit trail are genuine), so that the
dashboard and the duration review have something to show on a fresh install. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from krabuan.core.thai import BANGKOK
from krabuan.manual.models import ControlKind, Manual
from krabuan.workflow.models import Case, StepInstance, StepStatus
from krabuan.workflow.services.cases import (
    RECURRENCE_STOP,
    case_start,
    control_confirm,
    step_complete,
)

DEMO_PREFIX = "[ตัวอย่าง]"
# Cases start through FY2567 (Oct 2023 – Sep 2024); the last case of each process stays open.
STARTS = [
    dt.datetime(2023, 11, 6, 9, 0),
    dt.datetime(2024, 2, 5, 9, 30),
    dt.datetime(2024, 6, 3, 10, 0),
]


def _completion(instance: StepInstance, rng: random.Random) -> dt.datetime:
    """Most steps finish inside their time, some late: 40–130 % of the planned time."""
    assert instance.started_at is not None
    if instance.due_at is None or instance.planned_seconds is None:
        return instance.started_at + dt.timedelta(hours=rng.randint(2, 30))
    planned = max(instance.planned_seconds, 600)
    return instance.started_at + dt.timedelta(seconds=planned * rng.uniform(0.4, 1.3))


def _outcome(instance: StepInstance) -> str:
    if (instance.step.duration or {}).get("recurrence"):
        return RECURRENCE_STOP
    choices = [o for o in instance.step.outcomes or [] if not o.get("return_to")]
    return choices[0]["label"] if choices else ""


def _work(case: Case, actor: Any, rng: random.Random, *, leave_open: bool) -> None:
    steps = list(case.steps.values_list("order", flat=True).distinct())
    stop_at = len(steps) // 2 if leave_open else None
    for done, _ in enumerate(steps):
        if stop_at is not None and done >= stop_at:
            return
        instance = (
            StepInstance.objects.select_related("step", "case")
            .filter(case=case, status=StepStatus.ACTIVE)
            .first()
        )
        if instance is None:
            return
        finished = _completion(instance, rng)
        for control in instance.step.controls.filter(kind=ControlKind.CONTROL):
            control_confirm(
                instance=instance,
                control=control,
                actor=actor,
                confirmed_at=finished,
                note="ตรวจสอบแล้ว (ข้อมูลตัวอย่าง)",
            )
        step_complete(
            instance=instance,
            actor=actor,
            outcome=_outcome(instance),
            completed_at=finished,
            quantity=rng.randint(3, 15) if instance.step.duration.get("per_item") else None,
        )


class Command(BaseCommand):
    help = "Create back-dated demo cases of FY2567 (once)"

    def handle(self, *args: Any, **options: Any) -> None:
        if Case.objects.filter(title__startswith=DEMO_PREFIX).exists():
            self.stdout.write("Demo cases: already present")
            return
        manual = Manual.objects.filter(fiscal_year=2567).first()
        actor = get_user_model().objects.filter(username="head.strategy").first()
        if manual is None or actor is None:
            raise CommandError("load the demo organisation and the FY2567 manual first")
        rng = random.Random(2567)  # noqa: S311 - demo data, the same on every machine
        count = 0
        for process in manual.processes.order_by("kind", "number"):
            for i, start in enumerate(STARTS):
                with transaction.atomic():
                    case = case_start(
                        process=process,
                        title=f"{DEMO_PREFIX} {process.name[:200]} ครั้งที่ {i + 1}",
                        actor=actor,
                        started_at=start.replace(tzinfo=BANGKOK),
                        quantity=rng.randint(3, 15),
                    )
                    _work(case, actor, rng, leave_open=i == len(STARTS) - 1)
                count += 1
        self.stdout.write(f"Demo cases: {count} created")
