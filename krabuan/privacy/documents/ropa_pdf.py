"""RoPA as PDF (WeasyPrint, A4, Thai fonts, Thai digits, Thai page numbers)."""

from __future__ import annotations

from django.template.loader import render_to_string

from krabuan.core.documents import PRINT_CSS, pdf_from_html
from krabuan.privacy.documents.ropa_data import RopaDoc


def ropa_pdf(items: list[RopaDoc], *, title: str, register: bool = False) -> bytes:
    """The given RoPA versions, one after another, each from a new page."""
    html = render_to_string(
        "privacy/records/print/ropa.html",
        {"items": items, "title": title, "print_css": PRINT_CSS, "register": register},
    )
    return pdf_from_html(html)
