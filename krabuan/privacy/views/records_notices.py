"""Staff pages of privacy notices: the list, creating a notice, its versions (Thai and English
bodies), the approval actions and the QR code of its stable public address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.thai import format_date
from krabuan.privacy.documents.notice_qr import notice_public_url, notice_qr_svg
from krabuan.privacy.documents.notice_text import notice_html
from krabuan.privacy.models import NoticeVersion, PrivacyNotice
from krabuan.privacy.permissions import can_approve_for_unit, can_edit_records
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import notices as svc
from krabuan.privacy.services.ropa import can_publish
from krabuan.privacy.views.records_common import (
    act,
    call,
    csv_response,
    editors,
    int_param,
    or_404,
    readers,
)
from krabuan.privacy.views.records_forms import NoteForm, NoticeBodyForm, NoticeForm


@readers
@require_GET
def notice_admin_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    notices = sel.notice_list(unit_id=int_param(request, "unit"), q=q)
    rows = [
        {"notice": n, "published": sel.notice_published(n), "working": sel.notice_working(n)}
        for n in notices
    ]
    if request.GET.get("format") == "csv":
        header = [
            _("ชื่อประกาศ"),
            _("ชื่อภาษาอังกฤษ"),
            _("หน่วยงาน"),
            _("URL ถาวร"),
            _("ฉบับที่เผยแพร่"),
            _("เผยแพร่เมื่อ"),
            _("ฉบับที่กำลังจัดทำ"),
        ]
        body = (_csv_row(n, sel.notice_published(n), sel.notice_working(n)) for n in notices)
        return csv_response("privacy-notices.csv", header, body)
    return render(
        request,
        "privacy/records/notice_admin_list.html",
        {
            "rows": rows,
            "units": sel.owning_units(),
            "q": q,
            "can_edit": can_edit_records(request.user),
        },
    )


def _csv_row(
    notice: PrivacyNotice, published: NoticeVersion | None, working: NoticeVersion | None
) -> list[object]:
    return [
        notice.title,
        notice.title_en,
        notice.unit.name,
        notice_public_url(notice.slug),
        published.number if published else "",
        format_date(published.published_at) if published else "",
        f"{working.number} ({working.get_status_display()})" if working else "",
    ]


@editors
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notice = call(form, svc.notice_create, actor=request.user, **form.cleaned_data)
        if notice is not None:
            messages.success(request, _("สร้างประกาศแล้ว กรอกเนื้อหาฉบับแรกได้เลย"))
            return redirect("privacy:notice_body_edit", notice_id=notice.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("สร้างประกาศความเป็นส่วนตัว"),
        "back": "privacy:notice_admin_list",
    }
    return render(request, "privacy/records/form.html", context, status=status)


@editors
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = or_404(sel.notice_get, user=request.user, notice_id=notice_id)
    initial = {
        "slug": notice.slug,
        "title": notice.title,
        "title_en": notice.title_en,
        "unit": notice.unit,
        "activity": notice.activity,
    }
    form = NoticeForm(request.POST or None, initial=initial)
    form.fields["slug"].disabled = True  # the public address never changes
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        done = call(form, svc.notice_update, actor=request.user, notice=notice, **data)
        if done is not None:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("privacy:notice_detail", notice_id=notice.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("แก้ไขประกาศ: %(t)s") % {"t": notice.title},
        "back": "privacy:notice_admin_list",
    }
    return render(request, "privacy/records/form.html", context, status=status)


def _context(
    request: HttpRequest, notice: PrivacyNotice, version: NoticeVersion | None
) -> dict[str, Any]:
    published = sel.notice_published(notice)
    return {
        "notice": notice,
        "version": version,
        "versions": sel.notice_versions(notice),
        "published": published,
        "working": sel.notice_working(notice),
        "body_th": notice_html(version.body_th) if version else "",
        "body_en": notice_html(version.body_en) if version else "",
        "public_url": notice_public_url(notice.slug),
        "qr_svg": notice_qr_svg(notice.slug) if published else "",
        "can_edit": sel.can_edit_unit(request.user, notice.unit_id),
        "can_approve": can_approve_for_unit(request.user, notice.unit_id),
        "can_publish": can_publish(request.user, notice.unit_id),
        "note_form": NoteForm(),
    }


@readers
@require_GET
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = or_404(sel.notice_get, user=request.user, notice_id=notice_id)
    version = sel.notice_working(notice) or sel.notice_published(notice)
    if version is None:
        versions = sel.notice_versions(notice)
        version = versions[0] if versions else None
    return render(request, "privacy/records/notice_detail.html", _context(request, notice, version))


@readers
@require_GET
def notice_version(request: HttpRequest, notice_id: int, number: int) -> HttpResponse:
    notice = or_404(sel.notice_get, user=request.user, notice_id=notice_id)
    version = next((v for v in sel.notice_versions(notice) if v.number == number), None)
    if version is None:
        raise Http404(_("ไม่พบฉบับที่ระบุ"))
    return render(request, "privacy/records/notice_detail.html", _context(request, notice, version))


@editors
@require_http_methods(["GET", "POST"])
def notice_body_edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = or_404(sel.notice_get, user=request.user, notice_id=notice_id)
    if not sel.can_edit_unit(request.user, notice.unit_id):
        raise PermissionDenied
    versions = sel.notice_versions(notice)
    base = sel.notice_working(notice) or (versions[0] if versions else None)
    initial = {"body_th": base.body_th, "body_en": base.body_en} if base else {}
    form = NoticeBodyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = call(
            form, svc.notice_draft_save, actor=request.user, notice=notice, **form.cleaned_data
        )
        if version is not None:
            messages.success(request, _("บันทึกฉบับที่ %(n)s (ฉบับร่าง) แล้ว") % {"n": version.number})
            return redirect("privacy:notice_detail", notice_id=notice.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("เนื้อหาประกาศ: %(t)s") % {"t": notice.title},
        "back": "privacy:notice_admin_list",
        "wide": True,
    }
    return render(request, "privacy/records/form.html", context, status=status)


ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "submit": (svc.notice_submit, gettext_lazy("ส่งขออนุมัติแล้ว")),
    "approve": (svc.notice_approve, gettext_lazy("อนุมัติแล้ว")),
    "return": (svc.notice_return, gettext_lazy("ส่งกลับแก้ไขแล้ว")),
    "publish": (svc.notice_publish, gettext_lazy("เผยแพร่แล้วที่ URL ถาวรของประกาศ")),
}


@readers
@require_POST
def notice_action(request: HttpRequest, notice_id: int, number: int, action: str) -> HttpResponse:
    notice = or_404(sel.notice_get, user=request.user, notice_id=notice_id)
    version = next((v for v in sel.notice_versions(notice) if v.number == number), None)
    if version is None or action not in ACTIONS:
        raise Http404(_("ไม่พบฉบับที่ระบุ"))
    service, success = ACTIONS[action]
    kwargs: dict[str, Any] = {"actor": request.user, "version": version}
    if action in {"approve", "return"}:
        form = NoteForm(request.POST)
        kwargs["note"] = form.cleaned_data["note"] if form.is_valid() else ""
    act(request, service, str(success), **kwargs)
    return redirect("privacy:notice_version", notice_id=notice.pk, number=version.number)
