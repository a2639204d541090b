"""Downloads of the printed manual: one process or a fiscal year's manual as DOCX/PDF, a
process's flowchart as SVG, and the improvement summary as DOCX/XLSX.

Any member of the organisation (a signed-in user holding a role) may download; anonymous
visitors are sent to sign in, accounts without a role get 403, unknown ids and years 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from krabuan.core.errors import NotFound
from krabuan.manual import selectors
from krabuan.manual.documents import docx as word
from krabuan.manual.documents import improvements as summary
from krabuan.manual.documents import pdf
from krabuan.manual.flowchart import render_flowchart_svg
from krabuan.manual.jobs import manual_export_queue
from krabuan.manual.models import Manual, Process
from krabuan.manual.services.improvements import improvement_summary
from krabuan.org.models import Role
from krabuan.org.permissions import role_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
SVG = "image/svg+xml; charset=utf-8"

members = role_required(set(Role))


def _download(
    content: bytes, filename: str, content_type: str, *, attachment: bool = True
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(attachment, filename)
    if disposition:  # always set: a filename is given
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


def _process(request: HttpRequest, process_id: int) -> Process:
    try:
        return selectors.process_get(user=request.user, process_id=process_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _manual(request: HttpRequest, fiscal_year: int) -> Manual:
    try:
        return selectors.manual_get(
            fiscal_year=fiscal_year, unit_code=request.GET.get("unit") or None
        )
    except NotFound as exc:
        raise Http404(exc.message) from None


def _process_filename(process: Process, extension: str) -> str:
    return f"กระบวนงาน-{process.code}-{process.manual.fiscal_year}.{extension}"


@members
def process_docx(request: HttpRequest, process_id: int) -> HttpResponse:
    """One process in the form's layout as Word."""
    process = _process(request, process_id)
    return _download(word.process_docx(process), _process_filename(process, "docx"), DOCX)


@members
def process_pdf(request: HttpRequest, process_id: int) -> HttpResponse:
    """One process in the form's layout as PDF."""
    process = _process(request, process_id)
    return _download(pdf.process_pdf(process), _process_filename(process, "pdf"), PDF)


@members
def process_flowchart(request: HttpRequest, process_id: int) -> HttpResponse:
    """The process's flowchart, shown in the browser (or saved as .svg)."""
    process = _process(request, process_id)
    response = _download(
        render_flowchart_svg(process).encode(),
        f"ผังงาน-{process.code}-{process.manual.fiscal_year}.svg",
        SVG,
        attachment=request.GET.get("download") == "1",
    )
    # The SVG is served from our origin: forbid scripts and remote content in it outright.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@members
def manual_docx(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The fiscal year's whole manual as Word; a POST queues it as a job with progress."""
    manual = _manual(request, fiscal_year)
    if request.method == "POST":
        job = manual_export_queue(manual=manual, fmt="docx", user=request.user)
        return redirect("job_detail", job_id=job.pk)
    content = word.manual_docx(
        manual=manual,
        processes=selectors.manual_processes_full(manual=manual),
        improvements=improvement_summary(manual=manual),
    )
    return _download(content, f"คู่มือกระบวนงาน-{manual.fiscal_year}.docx", DOCX)


@members
def manual_pdf(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The fiscal year's whole manual as PDF; a POST queues it as a job with progress
    (22 processes take about 15 seconds to lay out)."""
    manual = _manual(request, fiscal_year)
    if request.method == "POST":
        job = manual_export_queue(manual=manual, fmt="pdf", user=request.user)
        return redirect("job_detail", job_id=job.pk)
    content = pdf.manual_pdf(
        manual=manual,
        processes=selectors.manual_processes_full(manual=manual),
        improvements=improvement_summary(manual=manual),
    )
    return _download(content, f"คู่มือกระบวนงาน-{manual.fiscal_year}.pdf", PDF)


@members
def improvements_docx(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The year's improvement summary as Word."""
    manual = _manual(request, fiscal_year)
    content = summary.improvements_docx(manual=manual, entries=improvement_summary(manual=manual))
    return _download(content, f"สรุปการปรับปรุงกระบวนงาน-{manual.fiscal_year}.docx", DOCX)


@members
def improvements_xlsx(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The year's improvement summary as Excel."""
    manual = _manual(request, fiscal_year)
    content = summary.improvements_xlsx(manual=manual, entries=improvement_summary(manual=manual))
    return _download(content, f"สรุปการปรับปรุงกระบวนงาน-{manual.fiscal_year}.xlsx", XLSX)
