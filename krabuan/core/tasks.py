"""Huey tasks of the core app."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from krabuan.core.jobs import job_run


@db_task(retries=0)
def job_run_task(job_id: int) -> None:
    job_run(job_id=job_id)
