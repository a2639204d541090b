"""Public pages (no sign-in): the privacy notices at their stable addresses with QR codes, and
the summary of published RoPA versions. Only published versions are ever shown, and nothing
about individual people (no refusals, no names of staff)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.errors import NotFound
from krabuan.privacy.documents.notice_qr import notice_public_url, notice_qr_png, notice_qr_svg
from krabuan.privacy.documents.notice_text import notice_html
from krabuan.privacy.documents.ropa_data import CONTACT_LABELS
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services.ropa import LAWFUL_BASIS_LABELS


@require_GET
def notice_public_list(request: HttpRequest) -> HttpResponse:
    lang = "en" if request.GET.get("lang") == "en" else "th"
    rows = sel.notice_public_list()
    with translation.override(lang):
        return render(
            request, "privacy/records/public_notice_list.html", {"rows": rows, "lang": lang}
        )


@require_GET
def notice_public(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest published version (?lang=en for English, ?version=N for an earlier one)."""
    lang = "en" if request.GET.get("lang") == "en" else "th"
    try:
        notice, version = sel.notice_public_get(
            slug=slug, number=request.GET.get("version") or None
        )
    except NotFound:
        raise Http404(_("ไม่พบประกาศความเป็นส่วนตัว")) from None
    body = version.body_en if lang == "en" and version.body_en else version.body_th
    context = {
        "notice": notice,
        "version": version,
        "lang": lang,
        "title": notice.title_en if lang == "en" and notice.title_en else notice.title,
        "body": notice_html(body),
        "english_missing": lang == "en" and not version.body_en,
        "history": sel.notice_public_history(notice),
        "public_url": notice_public_url(notice.slug),
        "qr_svg": notice_qr_svg(notice.slug),
    }
    with translation.override(lang):
        return render(request, "privacy/records/public_notice.html", context)


@require_GET
def notice_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """The QR code of the stable address as PNG (a download for printing)."""
    try:
        notice, _version = sel.notice_public_get(slug=slug)
    except NotFound:
        raise Http404(_("ไม่พบประกาศความเป็นส่วนตัว")) from None
    response = HttpResponse(notice_qr_png(notice.slug), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="privacy-notice-{notice.slug}-qr.png"'
    return response


@require_GET
def ropa_summary(request: HttpRequest) -> HttpResponse:
    """Published RoPA versions, by unit: purposes, data, bases, retention, recipients, transfers
    and the office's contact, without refusals or anyone's name."""
    rows = []
    for ropa, version in sel.ropa_public_summary():
        controller = version.controller or {}
        processor = version.processor_details or {}
        rows.append(
            {
                "ropa": ropa,
                "version": version,
                "bases": [LAWFUL_BASIS_LABELS.get(c, c) for c in version.lawful_bases or []],
                "contact": [
                    (CONTACT_LABELS[k], (controller or processor).get(k, ""))
                    for k in ("name", "address", "contact", "dpo_contact")
                    if (controller or processor).get(k)
                ],
                "controllers": [c.get("name", "") for c in version.controllers or []],
            }
        )
    return render(request, "privacy/records/public_ropa_summary.html", {"rows": rows})
