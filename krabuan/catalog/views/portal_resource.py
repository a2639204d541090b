"""A resource's page (metadata, a table preview of CSV/XLSX uploads) and its download: the stored
file streamed with its content type and a Thai-safe file name, or a redirect to a link's URL;
each download adds one to the resource's counter in the database (F(), no lost updates)."""

from __future__ import annotations

import mimetypes
import uuid

from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.catalog import formats, permissions
from krabuan.catalog.models import Resource
from krabuan.catalog.views.portal_common import (
    catalog_context,
    dataset_or_404,
    filename_of,
    resource_or_404,
)
from krabuan.catalog.views.portal_fields import resource_rows
from krabuan.catalog.views.portal_preview import preview_resource, previewable

# Content types by format for files whose name says nothing (or says it wrongly).
FORMAT_TYPES = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "XML": "application/xml",
    "RDF": "application/rdf+xml",
    "TTL": "text/turtle",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "PDF": "application/pdf",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOC": "application/msword",
    "ZIP": "application/zip",
    "TXT": "text/plain",
}
LINK_SCHEMES = ("http://", "https://", "ftp://")


def content_type_of(resource: Resource, filename: str) -> str:
    """The format's type first (it was checked at upload), then the name's, then binary."""
    by_format = FORMAT_TYPES.get((resource.format or "").strip().upper().lstrip("."))
    guessed = by_format or resource.mimetype or mimetypes.guess_type(filename)[0]
    return guessed or "application/octet-stream"


@require_GET
def resource_detail(request: HttpRequest, name: str, resource_id: uuid.UUID) -> HttpResponse:
    """One resource's metadata, download button and (for CSV/XLSX uploads) a table preview."""
    dataset = dataset_or_404(request, name)
    resource = resource_or_404(request, dataset, resource_id)
    preview = preview_resource(resource) if previewable(resource) else None
    check = formats.check_format(resource.format)
    context = {
        **catalog_context(request, "dataset"),
        "dataset": dataset,
        "resource": resource,
        "filename": filename_of(resource),
        "rows": resource_rows(resource, dataset.data_type),
        "preview": preview,
        "is_open": check.is_open,
        "format_advice": check.advice,
        "can_edit": permissions.can_edit_dataset(request.user, dataset),
        "is_link": resource.url_type != "upload",
    }
    return render(request, "catalog/portal/resource.html", context)


@require_GET
def resource_download(
    request: HttpRequest, name: str, resource_id: uuid.UUID, filename: str
) -> HttpResponseBase:
    """The stored file (attachment, its real name) or a redirect to the link; counted."""
    dataset = dataset_or_404(request, name)
    resource = resource_or_404(request, dataset, resource_id)
    response: HttpResponseBase
    if resource.url_type == "upload" and resource.upload:
        stored_name = filename_of(resource)
        try:
            handle = resource.upload.open("rb")
        except OSError:
            raise Http404(_("ไม่พบไฟล์")) from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=stored_name,
            content_type=content_type_of(resource, stored_name),
        )
        response["X-Content-Type-Options"] = "nosniff"
    elif (resource.url or "").lower().startswith(LINK_SCHEMES):
        response = HttpResponseRedirect(resource.url)
    else:
        raise Http404(_("ไม่พบไฟล์"))
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    return response
