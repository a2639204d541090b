"""Breach pages for staff: the register (filters, sort, pages, CSV), the report form, and the
breach page with its live 72-hour countdown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import format_datetime
from krabuan.org.forms import errors_from
from krabuan.privacy.models import Breach, BreachStatus, RiskLevel
from krabuan.privacy.selectors.breaches import UNASSESSED, breach_list_for_user
from krabuan.privacy.services.breaches import breach_report, can_report_breach
from krabuan.privacy.views.breach_common import breach_context, breach_or_404, countdown
from krabuan.privacy.views.breach_forms import BreachReportForm
from krabuan.workflow.views.common import csv_response

PAGE_SIZE = 50
SORTS = [
    ("-aware", _("ทราบเหตุล่าสุดก่อน")),
    ("aware", _("ทราบเหตุเก่าสุดก่อน")),
    ("deadline", _("กำหนดแจ้ง สคส. ใกล้สุดก่อน")),
    ("-deadline", _("กำหนดแจ้ง สคส. ไกลสุดก่อน")),
    ("reference", _("เลขที่เหตุ")),
]


def _csv(rows: Iterable[Breach]) -> HttpResponse:
    header = [
        _("เลขที่เหตุ"),
        _("ชื่อเหตุ"),
        _("ช่องทาง"),
        _("สถานะ"),
        _("ระดับความเสี่ยง"),
        _("ทราบเหตุเมื่อ"),
        _("กำหนดแจ้ง สคส."),
        _("แจ้ง สคส. เมื่อ"),
        _("แจ้งเจ้าของข้อมูลเมื่อ"),
        _("จำนวนเจ้าของข้อมูล"),
        _("จำนวนรายการ"),
        _("เหตุผลที่แจ้งล่าช้า"),
    ]
    body = (
        [
            b.reference,
            b.title,
            b.get_channel_display(),
            b.get_status_display(),
            b.get_risk_level_display() if b.risk_level else _("ยังไม่ได้ประเมิน"),
            format_datetime(b.aware_at, short=True),
            format_datetime(b.pdpc_deadline, short=True),
            format_datetime(b.pdpc_notified_at, short=True),
            format_datetime(b.subjects_notified_at, short=True),
            b.subjects_count,
            b.records_count,
            b.late_reason,
        ]
        for b in rows
    )
    return csv_response(f"breaches-{timezone.localdate().isoformat()}.csv", header, body)


@login_required
@require_GET
def breach_list(request: HttpRequest) -> HttpResponse:
    """The register: the privacy team sees every breach, other staff only those assigned to them."""
    now = timezone.now()
    params: dict[str, Any] = {
        "status": request.GET.get("status", ""),
        "level": request.GET.get("level", ""),
        "overdue": request.GET.get("overdue", "") == "1",
        "q": request.GET.get("q", "")[:200],
        "sort": request.GET.get("sort", ""),
    }
    qs = breach_list_for_user(
        request.user,
        status=params["status"] or None,
        level=params["level"] or None,
        overdue=bool(params["overdue"]),
        search=params["q"],
        sort=params["sort"] or None,
        now=now,
    )
    if request.GET.get("format") == "csv":
        return _csv(qs.iterator(chunk_size=1000))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(b, countdown(b, now)) for b in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "params": params,
        "statuses": BreachStatus.choices,
        "levels": [*RiskLevel.choices, (UNASSESSED, _("ยังไม่ได้ประเมิน"))],
        "sorts": SORTS,
        "can_report": can_report_breach(request.user),
    }
    return render(request, "privacy/breach/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def breach_create(request: HttpRequest) -> HttpResponse:
    """A staff member reports a breach; the 72-hour clock starts at the time they became aware."""
    if not can_report_breach(request.user):
        raise PermissionDenied(_("บทบาทของท่านไม่สามารถบันทึกการแจ้งเหตุละเมิดได้"))
    form = BreachReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breach = breach_report(
                actor=request.user,
                channel=data["channel"],
                title=data["title"],
                aware_at=data["aware_at"],
                description=data["description"],
                data_types=data["data_types"],
                subjects_count=data["subjects_count"],
                records_count=data["records_count"],
                occurred_at=data["occurred_at"],
                systems_affected=data["systems_affected"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
            )
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            messages.success(
                request,
                _("บันทึกการแจ้งเหตุ %(ref)s แล้ว กำหนดแจ้ง สคส. %(deadline)s")
                % {"ref": breach.reference, "deadline": format_datetime(breach.pdpc_deadline)},
            )
            return redirect("privacy:breach_detail", breach_id=breach.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/breach/report.html", {"form": form}, status=status)


@login_required
@require_GET
def breach_detail(request: HttpRequest, breach_id: int) -> HttpResponse:
    """The breach page: countdown, assessment, obligations, notices, documents, case, trail."""
    breach = breach_or_404(request, breach_id)
    return render(request, "privacy/breach/detail.html", breach_context(request, breach))
