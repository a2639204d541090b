"""Progress page and download of long jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from krabuan.core.api import error_body
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
    htmx = bool(getattr(request, "htmx", False))  # set by django-htmx middleware
    template = "core/job_progress.html" if htmx else "core/job_detail.html"
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


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every URL: the API's JSON error shape under /api/, the Thai page elsewhere."""
    if _wants_json(request):
        return JsonResponse(error_body("not_found", "ไม่พบข้อมูล"), status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("server_error", "ระบบขัดข้องชั่วคราว"), status=500)
    return render(request, "500.html", status=500)
