"""Downloads of the agreement: the summary table with results and scores (DOCX/PDF), the 6- and
9-month round reports (DOCX/PDF), and every KPI and result (XLSX). Readers only; an unknown
agreement or a round without a report is 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from krabuan.kpi import selectors
from krabuan.kpi.documents import data, pdf
from krabuan.kpi.documents import docx as word
from krabuan.kpi.documents.xlsx import agreement_xlsx
from krabuan.kpi.models import Agreement
from krabuan.kpi.views.common import agreement_or_404, readers, requested_round

CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def _name(agreement: Agreement, what: str, extension: str) -> str:
    return f"{what}-{agreement.unit.code}-{agreement.fiscal_year}.{extension}"


@readers
@require_GET
def agreement_document(request: HttpRequest, agreement_id: int, fmt: str) -> HttpResponse:
    """The summary table in the agreement's layout for a round (?round=, default today's)."""
    agreement = agreement_or_404(request, agreement_id)
    if fmt not in CONTENT_TYPES:
        raise Http404(_("ไม่มีเอกสารชนิดนี้"))
    round, _warning = requested_round(request, agreement)
    table = data.agreement_table(agreement, round)
    content = word.agreement_docx(table) if fmt == "docx" else pdf.agreement_pdf(table)
    return _download(content, _name(agreement, f"คำรับรอง-{round}", fmt), CONTENT_TYPES[fmt])


@readers
@require_GET
def round_report(request: HttpRequest, agreement_id: int, round: str, fmt: str) -> HttpResponse:
    """The 6- or 9-month round report."""
    agreement = agreement_or_404(request, agreement_id)
    if fmt not in CONTENT_TYPES or round not in data.REPORT_ROUNDS:
        raise Http404(_("ไม่มีรายงานรอบนี้"))
    report = data.round_report(agreement, round)
    content = word.round_report_docx(report) if fmt == "docx" else pdf.round_report_pdf(report)
    return _download(content, _name(agreement, f"รายงานรอบ-{round}", fmt), CONTENT_TYPES[fmt])


@readers
@require_GET
def agreement_workbook(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Every KPI with its scores by round, and every result entered."""
    agreement = agreement_or_404(request, agreement_id)
    content = agreement_xlsx(agreement, selectors.agreement_results(agreement=agreement))
    return _download(content, _name(agreement, "ตัวชี้วัดและผล", "xlsx"), XLSX_CONTENT_TYPE)
