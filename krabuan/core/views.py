"""Progress page and download of long jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from krabuan.core.errors import NotFound
from krabuan.core.jobs import job_get_for_user
from krabuan.core.models import Job, JobStatus


def _job(request: HttpRequest, job_id: int) -> Job:
    try:
        return job_get_for_user(user=request.user, job_id=job_id)
    except NotFound:
        raise Http404 from None


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    template = "core/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _job(request, job_id)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_content_type or "application/octet-stream",
    )
