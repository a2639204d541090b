"""`krabuan load_demo_org`: the demo units, positions, fiscal years and users (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from krabuan.org.services.demo import demo_org_load


class Command(BaseCommand):
    help = "Create or update the demo organisation"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo_org_load()
        self.stdout.write(
            f"Demo organisation: {counts['units']} units, {counts['positions']} positions, "
            f"{counts['users']} demo users"
        )
