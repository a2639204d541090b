"""DGA Templates 1–3: download the catalog as the DGA's Excel layouts; import Templates 2 and 3
with a row-by-row report (all or nothing)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from krabuan.catalog.models import Dataset, Organization
from krabuan.catalog.permissions import can_edit_catalog
from krabuan.catalog.xlsx_templates import export
from krabuan.catalog.xlsx_templates.importer import ImportReport, import_templates
from krabuan.core.errors import ApplicationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 20 * 1024 * 1024
EXPORTS = {"1": export.template1, "2": export.template2, "3": export.template3}


def _require_editor(request: HttpRequest) -> None:
    if not can_edit_catalog(request.user):
        raise PermissionDenied


def _datasets(request: HttpRequest):  # type: ignore[no-untyped-def]
    datasets = Dataset.objects.exclude(state="deleted")
    org = request.GET.get("org", "")
    if org:
        datasets = datasets.filter(owner_org__name=org)
    if request.GET.get("public") == "1":
        datasets = datasets.filter(private=False)
    return datasets


@login_required
@require_http_methods(["GET", "POST"])
def templates_home(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    report: ImportReport | None = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "ไฟล์: กรุณาเลือกไฟล์ Excel (.xlsx) ที่จะนำเข้า"
        elif upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            error = "ไฟล์: ขนาดเกิน 20 MB"
        else:
            try:
                report = import_templates(actor=request.user, content=upload.read())
            except ApplicationError as exc:
                error = exc.message
    context = {
        "organizations": Organization.objects.order_by("title"),
        "report": report,
        "error": error,
        "selected_org": request.GET.get("org", ""),
    }
    return render(request, "catalog/templates_io/home.html", context, status=400 if error else 200)


@login_required
def template_download(request: HttpRequest, number: str) -> HttpResponse:
    _require_editor(request)
    content = EXPORTS[number](_datasets(request))
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dga_template{number}_{stamp}.xlsx"'
    return response
