"""`krabuan bind_live_sources --year 2566 1=catalog.kpi1_level 5=privacy.kpi5_level`: bind KPIs
of an agreement to live sources (idempotent; a KPI already bound elsewhere is left alone)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from krabuan.core.errors import ApplicationError
from krabuan.core.registry import live_source
from krabuan.kpi.models import Kpi
from krabuan.kpi.services.agreements import kpi_bind_live_source


class Command(BaseCommand):
    help = "Bind KPIs (by number) of a fiscal year's agreement to registered live sources"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, default=2566)
        parser.add_argument("bindings", nargs="+", help="<kpi number>=<source key>")

    def handle(self, *args: Any, **options: Any) -> None:
        # Bound as the first administrator, so the audit trail names who the setup acted for.
        actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("no administrator account yet: run `krabuan ensure_admin` first")
        for binding in options["bindings"]:
            number, _, key = binding.partition("=")
            if not number.isdigit() or not key:
                raise CommandError(f"'{binding}': expected <kpi number>=<source key>")
            kpi = Kpi.objects.filter(
                agreement__fiscal_year=options["year"], number=int(number)
            ).first()
            if kpi is None or live_source(key) is None:
                self.stdout.write(f"KPI {number}: skipped (no such KPI or source {key})")
                continue
            if kpi.live_source:
                self.stdout.write(f"KPI {number}: already bound to {kpi.live_source}")
                continue
            try:
                kpi_bind_live_source(kpi=kpi, key=key, params={}, actor=actor)
            except ApplicationError as exc:
                raise CommandError(f"KPI {number}: {exc.message}") from exc
            self.stdout.write(f"KPI {number}: bound to {key}")
