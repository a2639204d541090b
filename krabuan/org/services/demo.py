"""Load the demo organisation idempotently (units, positions, fiscal years, demo users)."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from krabuan.core.thai import fiscal_year_bounds
from krabuan.org.demo_data import DEMO_USERS, POSITIONS, UNITS
from krabuan.org.models import FiscalYear, Membership, Position, Preference, Unit


@transaction.atomic
def demo_org_load() -> dict[str, int]:
    """Create or update the demo units, positions and fiscal years; returns counts."""
    by_code: dict[str, Unit] = {}
    for order, (code, name, short, kind, parent_code) in enumerate(UNITS):
        unit, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": by_code.get(parent_code) if parent_code else None,
                "sort_order": order,
            },
        )
        by_code[code] = unit
    for order, (unit_code, title, role) in enumerate(POSITIONS):
        Position.objects.update_or_create(
            unit=by_code[unit_code], title=title, defaults={"role": role, "sort_order": order}
        )
    for year in range(2566, 2572):
        start, end = fiscal_year_bounds(year)
        FiscalYear.objects.update_or_create(
            year=year, defaults={"starts_on": start, "ends_on": end}
        )
    users = _demo_users_load(by_code)
    return {"units": len(by_code), "positions": len(POSITIONS), "users": users}


def _demo_users_load(units: dict[str, Unit]) -> int:
    # Demo people sign in only when a demo password is given; otherwise they exist as owners.
    password = os.environ.get("KRABUAN_DEMO_PASSWORD", "")
    User = get_user_model()
    for username, full_name, unit_code, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "email": f"{username}@example.org"},
        )
        if created or password:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
        Preference.objects.get_or_create(user=user)
    return len(DEMO_USERS)
