"""Notification pages: the inbox (everyone), the outbox and the LINE channel (administrators)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import format_datetime
from krabuan.notify import selectors, services
from krabuan.notify.forms import LineTestForm, OutboxFilterForm
from krabuan.notify.models import Notification, Status
from krabuan.org.forms import errors_from
from krabuan.org.models import Role
from krabuan.org.permissions import role_required

ADMINS = {Role.ADMIN}
INBOX_PAGE_SIZE = 20
OUTBOX_PAGE_SIZE = 50
# Spreadsheet programs run cells that start with these as formulas; prefix them to keep them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _page_number(request: HttpRequest) -> str:
    page = request.POST.get("page", "") or request.GET.get("page", "")
    return page if page.isascii() and page.isdigit() else ""


def _inbox_url(page: str = "") -> str:
    url = reverse("notify:inbox")
    return f"{url}?page={page}" if page else url


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's in-app messages, newest first, unread ones highlighted."""
    rows = selectors.inbox_list(user=request.user)
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The navigation bar's unread count, refreshed by htmx."""
    return render(request, "notify/badge.html")


@login_required
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the message read and go to what it is about (only links into this site)."""
    try:
        row = services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    target = row.link
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(_inbox_url())


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return redirect(_inbox_url(_page_number(request)))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้ว %(n)s รายการ") % {"n": count})
    return redirect(_inbox_url(_page_number(request)))


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _outbox_csv(rows: Iterable[Notification]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="krabuan-outbox-{stamp}.csv"'
    response.write("\ufeff")  # Excel reads the Thai text as UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("รหัส"),
            _("สร้างเมื่อ"),
            _("ผู้รับ"),
            _("ช่องทาง"),
            _("ส่งถึง"),
            _("ประเภท"),
            _("เรื่อง"),
            _("สถานะ"),
            _("จำนวนครั้งที่ส่ง"),
            _("ส่งครั้งถัดไป"),
            _("ส่งเมื่อ"),
            _("อ่านเมื่อ"),
            _("ข้อผิดพลาดล่าสุด"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    row.pk,
                    format_datetime(row.created_at),
                    row.user.username,
                    row.get_channel_display(),
                    row.recipient,
                    row.kind,
                    row.subject,
                    row.get_status_display(),
                    row.attempts,
                    format_datetime(row.next_attempt_at) if row.status == Status.PENDING else "",
                    format_datetime(row.sent_at),
                    format_datetime(row.read_at),
                    row.last_error,
                )
            ]
        )
    return response


@role_required(ADMINS)
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """Every message on every channel, for administrators; filter, export, retry failures."""
    filters = OutboxFilterForm(request.GET or None)
    rows = selectors.outbox_list(
        status=filters.value("status"),
        channel=filters.value("channel"),
        search=filters.value("q"),
    )
    if request.GET.get("format") == "csv":
        return _outbox_csv(rows.iterator(chunk_size=1000))  # streams a large outbox
    page = Paginator(rows, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/outbox.html", {"filters": filters, "page": page})


@role_required(ADMINS)
@require_POST
def outbox_retry(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        row = services.notification_retry(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("นำรายการ #%(id)s กลับเข้าคิวส่งใหม่แล้ว") % {"id": row.pk})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("notify:outbox"))


@role_required(ADMINS)
@require_http_methods(["GET", "HEAD", "POST"])
def line_channel(request: HttpRequest) -> HttpResponse:
    """LINE channel status (never the token) and a test push through the normal delivery path."""
    form = LineTestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services.line_test_send(
                    actor=request.user, line_user_id=form.cleaned_data["line_user_id"]
                )
            except ApplicationError as exc:
                errors_from(form, exc)
                status = 400
            else:
                if row.status == Status.SENT:
                    messages.success(request, _("ส่งข้อความทดสอบทาง LINE แล้ว"))
                elif row.status == Status.FAILED:
                    messages.error(
                        request,
                        _("ส่งข้อความทดสอบไม่สำเร็จ: %(error)s") % {"error": row.last_error},
                    )
                else:
                    messages.warning(
                        request,
                        _("ยังส่งไม่สำเร็จ ระบบจะลองส่งใหม่อัตโนมัติ: %(error)s")
                        % {"error": row.last_error},
                    )
                return redirect(reverse("notify:line_channel"))
        else:
            status = 400
    return render(
        request,
        "notify/line_channel.html",
        {"form": form, "line": selectors.line_channel_status()},
        status=status,
    )
