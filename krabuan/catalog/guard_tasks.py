"""Huey task of the personal-data guard: scans of files too large to scan in the request.

Imported by `krabuan.catalog.tasks` so the worker (which loads every app's `tasks` module)
knows it."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=1, retry_delay=60)
def guard_scan_task(scan_id: int) -> None:
    from krabuan.catalog.services.guard import scan_run

    scan_run(scan_id=scan_id, background=True)
