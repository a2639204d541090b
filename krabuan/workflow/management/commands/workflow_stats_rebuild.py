"""`krabuan workflow_stats_rebuild`: recompute the dashboards' summary (StepStats, StepDuration)
from the step rows, after a bulk load or a change written outside the services; `--check` only
compares the summary with the rows and exits 1 when they differ."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from krabuan.workflow.services.stats import stats_rebuild, stats_snapshot


class Command(BaseCommand):
    help = "Recompute the process dashboards' summary from the step rows (--check: compare only)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the summary with a fresh computation and change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        if not options["check"]:
            counts = stats_rebuild()
            self.stdout.write(
                f"summary rebuilt: {counts['stats_rows']:,} rows, "
                f"{counts['durations']:,} durations in {time.perf_counter() - began:.1f} s"
            )
            return
        kept = stats_snapshot()
        with transaction.atomic():
            # Rebuild inside a transaction that is rolled back: compare, change nothing.
            stats_rebuild()
            fresh = stats_snapshot()
            transaction.set_rollback(True)
        differing = sorted(
            key
            for part in ("stats", "durations")
            for key in set(kept[part]) | set(fresh[part])
            if kept[part].get(key) != fresh[part].get(key)
        )
        if differing:
            shown = ", ".join(f"{p}/{y}/{o}" for p, y, o in differing[:20])
            raise CommandError(
                f"the summary differs from the rows for {len(differing)} "
                f"(process, year, order): {shown}; run without --check to rebuild it"
            )
        self.stdout.write(f"summary matches the rows ({len(kept['stats']):,} rows)")
