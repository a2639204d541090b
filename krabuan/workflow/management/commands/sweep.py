"""`krabuan sweep`: one escalation sweep now, with its counts (for setups without the worker's
clock, and for timing the sweep); `--schedules` also starts the recurring cases that are due."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from krabuan.workflow.services.escalation import sweep_steps
from krabuan.workflow.services.schedules import run_due_schedules


class Command(BaseCommand):
    help = "Run one escalation sweep (and, with --schedules, the due recurring starts)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedules", action="store_true", help="also start the cases of due schedules"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        result = sweep_steps()
        elapsed = time.perf_counter() - began
        levels = ", ".join(
            f"level {level}: {count}" for level, count in sorted(result.escalated.items())
        )
        self.stdout.write(
            f"Sweep: {result.examined} open steps with a deadline examined, "
            f"{result.breached} newly breached, escalated ({levels or 'none'}), "
            f"{result.review_reminders} review reminders, "
            f"{result.notifications} notifications queued in {elapsed:.2f} s"
        )
        if options["schedules"]:
            cases = run_due_schedules()
            refs = ", ".join(case.reference for case in cases) or "none"
            self.stdout.write(f"Schedules: {len(cases)} cases started ({refs})")
