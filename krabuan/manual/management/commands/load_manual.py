"""`krabuan load_manual [--year 2567] [--replace]`: load the manual fixtures (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from krabuan.core.errors import ApplicationError
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load


class Command(BaseCommand):
    help = "Load a fiscal year's process manual from krabuan/manual/fixtures/fy<year>/"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, default=2567)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the manual even if it exists (loses edits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = FIXTURES_DIR / f"fy{options['year']}"
        if not directory.is_dir():
            raise CommandError(f"no fixtures for fiscal year {options['year']} in {directory}")
        try:
            result = manual_fixture_load(directory=directory, replace=options["replace"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        state = "loaded" if result.created else "already present (use --replace to reload)"
        self.stdout.write(
            f"Manual FY{options['year']}: {state}; {result.processes} processes, "
            f"{result.steps} steps"
        )
