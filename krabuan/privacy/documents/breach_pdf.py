"""The breach documents as PDF (WeasyPrint, A4, TH Sarabun New or Laksaman, Thai digits)."""

from __future__ import annotations

from django.template.loader import render_to_string

from krabuan.core.documents import PRINT_CSS, pdf_from_html
from krabuan.privacy.documents.breach_data import BreachDocument


def breach_html(document: BreachDocument) -> str:
    return render_to_string(
        "privacy/breach/print/document.html", {"doc": document, "print_css": PRINT_CSS}
    )


def breach_pdf(document: BreachDocument) -> bytes:
    """One breach document as PDF bytes."""
    return pdf_from_html(breach_html(document))
