"""The throwaway database the benchmarks run against, filled with the real FY2567 manual.

Import only after django.setup(). The database is created like the test runner does it (SQLite:
in memory; PostgreSQL: a database of its own, `bench_<NAME>`, so that a test run's
`test_<NAME>` is never dropped) and destroyed on the way out, also after a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import setup_test_environment, teardown_test_environment

from krabuan.manual.models import Manual, Process, Step
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.services.demo import demo_org_load

FISCAL_YEAR = 2567
# An ordinary reader of the manual: no editing rights, sees every process.
READER = "officer.strategy"


@contextmanager
def benchmark_database() -> Iterator[None]:
    """A fresh migrated database for the duration of the block, dropped afterwards."""
    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


def data_load() -> dict[str, int]:
    """The demo organisation and the FY2567 manual from its fixtures; returns counts."""
    org = demo_org_load()
    loaded = manual_fixture_load(directory=FIXTURES_DIR / "fy2567")
    return {"units": org["units"], "processes": loaded.processes, "steps": loaded.steps}


def manual() -> Manual:
    """The loaded FY2567 manual."""
    return Manual.objects.select_related("unit").get(fiscal_year=FISCAL_YEAR)


def reader() -> Any:
    """The demo user the HTTP benchmarks sign in as."""
    return get_user_model().objects.get(username=READER)


def steps() -> list[Step]:
    """Every step of the loaded manual, in the manual's order."""
    return list(
        Step.objects.filter(process__manual__fiscal_year=FISCAL_YEAR).order_by(
            "process__kind", "process__number", "order"
        )
    )


def largest_process() -> Process:
    """The process with the most steps (the heaviest detail page and API answer)."""
    process = (
        Process.objects.filter(manual__fiscal_year=FISCAL_YEAR)
        .annotate(step_total=Count("steps"))
        .order_by("-step_total", "kind", "number")
        .first()
    )
    if process is None:
        raise RuntimeError("the FY2567 manual has no processes")
    return process
