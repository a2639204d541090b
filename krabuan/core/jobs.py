"""Long jobs: a registry of handlers by kind, the services that create and advance a Job row,
and the guarded getter. The worker runs the handler (see core/tasks.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobResult:
    filename: str
    content: bytes
    content_type: str


Handler = Callable[[Job, Progress], JobResult]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Apps register their job handlers by kind from their tasks or services modules."""

    def decorator(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return decorator


def job_create(*, kind: str, title: str, params: dict[str, Any], user: Any) -> Job:
    """Queue a job; the worker picks it up after the transaction commits."""
    if kind not in _HANDLERS:
        raise ApplicationError(f"ไม่รู้จักงานประเภท {kind}", code="unknown_job")
    job = Job.objects.create(kind=kind, title=title, params=params, requested_by=user)
    from krabuan.core.tasks import job_run_task

    transaction.on_commit(lambda: job_run_task(job.pk))
    return job


def _progress_saver(job: Job) -> Progress:
    def save(percent: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), message=message)

    return save


def job_run(*, job_id: int) -> None:
    """Run a queued job once; a job already finished or running elsewhere is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), message="กำลังเริ่มงาน"
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    try:
        result = _HANDLERS[job.kind](job, _progress_saver(job))
    except Exception as exc:  # the failure is shown to the user; the worker keeps running
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error=str(exc)[:2000] or exc.__class__.__name__,
            message="งานไม่สำเร็จ",
            finished_at=timezone.now(),
        )
        return
    job.refresh_from_db()
    job.result_file.save(result.filename, ContentFile(result.content), save=False)
    job.result_name = result.filename
    job.result_content_type = result.content_type
    job.status = JobStatus.DONE
    job.progress = 100
    job.message = "เสร็จแล้ว"
    job.finished_at = timezone.now()
    job.save()


def job_get_for_user(*, user: Any, job_id: int) -> Job:
    """A job its requester (or an administrator) may see; NotFound for everyone else."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not getattr(user, "is_authenticated", False):
        raise NotFound("ไม่พบงาน", code="job_not_found")
    if job.requested_by_id != user.pk and not user.is_superuser:
        raise NotFound("ไม่พบงาน", code="job_not_found")
    return job
