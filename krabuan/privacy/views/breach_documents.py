"""Downloads of a breach's documents (DOCX or PDF) for those who may see the breach; each
download is a read of the breach and is audited as "view" with the document's name."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.audit import audit_record
from krabuan.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from krabuan.privacy.documents.breach_data import DOCUMENTS
from krabuan.privacy.documents.breach_docx import breach_docx
from krabuan.privacy.documents.breach_pdf import breach_pdf
from krabuan.privacy.views.breach_common import breach_or_404

CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}


@login_required
@require_GET
def breach_document(request: HttpRequest, breach_id: int, kind: str, fmt: str) -> HttpResponse:
    """pdpc-notice, subjects-notice, executive-report or dpo-summary, as .docx or .pdf."""
    if kind not in DOCUMENTS or fmt not in CONTENT_TYPES:
        raise Http404(_("ไม่มีเอกสารชนิดนี้"))
    breach = breach_or_404(request, breach_id, log_view=False)
    document = DOCUMENTS[kind](breach)
    content = breach_docx(document) if fmt == "docx" else breach_pdf(document)
    filename = f"{kind}-{breach.reference}.{fmt}"
    audit_record(actor=request.user, action="view", obj=breach, changes={"document": filename})
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response
