"""QR codes of a notice's stable public address (printed on forms and posters)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse


def notice_public_url(slug: str) -> str:
    """The absolute, stable address of a notice: always its latest published version."""
    return settings.KRABUAN_SITE_URL + reverse("privacy:notice_public", kwargs={"slug": slug})


def notice_qr_svg(slug: str) -> str:
    """Inline SVG (no XML declaration) for the page."""
    qr = segno.make(notice_public_url(slug), error="m")
    return str(qr.svg_inline(scale=4, title=notice_public_url(slug)))


def notice_qr_png(slug: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(notice_public_url(slug), error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
