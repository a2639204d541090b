"""`krabuan load_demo_schedules`: the recurring starts the FY2567 manual implies (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from krabuan.workflow.services.schedules import schedule_demo_load


class Command(BaseCommand):
    help = "Create the demo schedules (leave summaries, stock count, plan reviews, monthly checks)"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = schedule_demo_load()
        self.stdout.write(
            f"Demo schedules: {counts['created']} created, {counts['existing']} already present, "
            f"{counts['skipped']} skipped (process not in the newest manual)"
        )
