"""Staff pages of data-subject requests: the list (filters, sort, days left, CSV without contact
details), staff entry, the request page (contact details decrypted for entitled readers only,
actions, audit trail) and the response letter. Every page of one request is a read that is
audited ("view"); the list decrypts nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import format_datetime
from krabuan.org.forms import errors_from
from krabuan.privacy.documents.request_letter import (
    LETTER_STATUSES,
    request_letter,
    request_letter_docx,
    request_letter_pdf,
)
from krabuan.privacy.models import DataSubjectRequest
from krabuan.privacy.permissions import is_privacy_team
from krabuan.privacy.selectors import requests as selectors
from krabuan.privacy.services.requests import REFUSAL_SECTIONS, request_create
from krabuan.privacy.views.request_forms import (
    AssignForm,
    CancelForm,
    CompleteForm,
    RefuseForm,
    RequestFilterForm,
    StaffRequestForm,
    VerifyForm,
)
from krabuan.workflow.views.common import csv_response

PAGE_SIZE = 50
ACTION_LABELS = {
    "view": _lazy("เปิดดู"),
    "privacy.request.create": _lazy("รับคำขอ"),
    "privacy.request.assign": _lazy("มอบหมายผู้รับผิดชอบ"),
    "privacy.request.verify": _lazy("ยืนยันตัวตน"),
    "privacy.request.complete": _lazy("ตอบคำขอ"),
    "privacy.request.refuse": _lazy("ปฏิเสธคำขอ"),
    "privacy.request.cancel": _lazy("ยกเลิกคำขอ"),
    "privacy.request.purge": _lazy("ลบข้อมูลติดต่อตามระยะเวลาเก็บรักษา"),
}


def request_or_404(
    request: HttpRequest, request_id: int, *, log_view: bool = True, via: str = ""
) -> DataSubjectRequest:
    """The request when the user may see it (the read audited); 404 for missing and forbidden."""
    try:
        return selectors.request_get_for_user(
            user=request.user, request_id=request_id, log_view=log_view, via=via
        )
    except NotFound:
        raise Http404(_("ไม่พบคำขอใช้สิทธิ")) from None


def _csv(rows: list[DataSubjectRequest]) -> HttpResponse:
    header = [
        _("เลขที่คำขอ"),
        _("ประเภทคำขอ"),
        _("ช่องทาง"),
        _("สถานะ"),
        _("วันที่รับคำขอ"),
        _("กำหนดตอบ"),
        _("เหลือ (วัน)"),
        _("กิจกรรมการประมวลผล"),
        _("ผู้รับผิดชอบ"),
        _("ตอบเมื่อ"),
    ]
    today = selectors.local_today()
    body = (
        [
            r.reference,
            r.get_type_display(),
            r.get_channel_display(),
            r.get_status_display(),
            format_datetime(r.received_at, short=True),
            format_datetime(r.due_at, short=True),
            selectors.days_left(r, today=today) if r.status in selectors.OPEN_STATUSES else "",
            r.activity.name if r.activity else "",
            (r.assigned_to.get_full_name() or r.assigned_to.username) if r.assigned_to else "",
            format_datetime(r.responded_at, short=True),
        ]
        for r in rows
    )
    return csv_response(f"privacy-requests-{timezone.localdate().isoformat()}.csv", header, body)


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests the user may see: filters (status, type, overdue, search), sort, days left,
    pages of 50, CSV of the filtered list (no contact details)."""
    filters = RequestFilterForm(request.GET)
    filters.is_valid()
    qs = selectors.request_list_for_user(
        user=request.user,
        status=filters.value("status"),
        type=filters.value("type"),
        overdue=filters.value("overdue"),
        search=filters.value("q"),
        sort=filters.value("sort"),
    )
    if request.GET.get("format") == "csv":
        return _csv(list(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = selectors.local_today()
    now = timezone.now()
    for row in page.object_list:
        selectors.annotate_days(row, today=today)
        row.overdue = selectors.is_overdue(row, now=now)  # type: ignore[attr-defined]
    context = {
        "filters": filters,
        "page": page,
        "open_statuses": selectors.OPEN_STATUSES,
        "is_team": is_privacy_team(request.user),
    }
    return render(request, "privacy/requests/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_create_view(request: HttpRequest) -> HttpResponse:
    """Staff entry of a request received by letter, in person or by telephone (the team only)."""
    if not is_privacy_team(request.user):
        raise PermissionDenied(_("เฉพาะ DPO และคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเท่านั้น"))
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = request_create(
                actor=request.user,
                type=data["type"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                address=data["address"],
                details=data["details"],
                activity_id=data.get("activity") or None,
                received_at=form.received_at(),
            )
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            messages.success(request, _("บันทึกคำขอ %(ref)s แล้ว") % {"ref": created.reference})
            return redirect("privacy:request_detail", request_id=created.pk)
    elif request.method == "POST":
        form.add_service_errors()
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/requests/create.html", {"form": form}, status=status)


def detail_context(
    request: HttpRequest, found: DataSubjectRequest, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the request page shows; `forms` replaces a blank action form by a bound one."""
    user = request.user
    is_team = is_privacy_team(user)
    handler = is_team or found.assigned_to_id == user.pk
    is_open = found.status in selectors.OPEN_STATUSES
    bound = forms or {}
    users = list(selectors.assignable_users()) if is_team and is_open else []
    selectors.annotate_days(found)
    refuse_initial: dict[str, Any] = {"activity": found.activity_id or ""}
    if found.type in REFUSAL_SECTIONS:
        refuse_initial["section"] = REFUSAL_SECTIONS[found.type]  # type: ignore[index]
    return {
        "r": found,
        "contact": selectors.request_contact(found),
        "open_statuses": selectors.OPEN_STATUSES,
        "overdue": selectors.is_overdue(found),
        "is_open": is_open,
        "can_handle": handler and is_open,
        "can_manage": is_team and is_open,
        "letter_ready": found.status in LETTER_STATUSES,
        "verify_form": bound.get("verify") or VerifyForm(),
        "assign_form": bound.get("assign")
        or AssignForm(users=users, initial={"assignee": found.assigned_to_id or ""}),
        "complete_form": bound.get("complete") or CompleteForm(),
        "refuse_form": bound.get("refuse") or RefuseForm(initial=refuse_initial),
        "cancel_form": bound.get("cancel") or CancelForm(),
        "audit": [
            {"entry": entry, "label": ACTION_LABELS.get(entry.action, entry.action)}
            for entry in selectors.request_audit_trail(found)[:200]
        ],
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: contact details, deadline, actions, letter links and audit trail."""
    found = request_or_404(request, request_id)
    return render(request, "privacy/requests/detail.html", detail_context(request, found))


@login_required
@require_GET
def request_letter_download(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    """The response letter as DOCX or PDF, made now from the record (audited as a read)."""
    if fmt not in ("docx", "pdf"):
        raise Http404(_("ไม่พบไฟล์"))
    found = request_or_404(request, request_id, via=f"letter.{fmt}")
    try:
        letter = request_letter(found)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:request_detail", request_id=found.pk)
    if fmt == "docx":
        content, content_type = request_letter_docx(letter), DOCX_CONTENT_TYPE
    else:
        content, content_type = request_letter_pdf(letter), PDF_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
