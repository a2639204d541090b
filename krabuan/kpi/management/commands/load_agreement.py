"""`krabuan load_agreement --year 2566 [--replace]`: load a performance agreement (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from krabuan.core.errors import ApplicationError
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path


class Command(BaseCommand):
    help = "Load a fiscal year's performance agreement from krabuan/kpi/fixtures/fy<year>.json"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, default=2566)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the agreement even if it exists (loses edits; refused once results "
            "have been entered)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = fixture_path(options["year"])
        if not path.is_file():
            raise CommandError(f"no agreement fixture for fiscal year {options['year']}: {path}")
        try:
            result = agreement_fixture_load(path=path, replace=options["replace"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        state = "loaded" if result.created else "already present (use --replace to reload)"
        self.stdout.write(f"Agreement FY{options['year']}: {state}; {result.kpis} KPIs")
