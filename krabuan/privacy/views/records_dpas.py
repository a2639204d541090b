"""Data processing agreements: the list (unit, role, "expires within N days", search, sort,
CSV), an agreement's page with its file, and the forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.thai import format_date
from krabuan.privacy.models import DataProcessingAgreement, DpaRole
from krabuan.privacy.permissions import can_edit_records
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import dpas as svc
from krabuan.privacy.views.records_common import (
    call,
    csv_response,
    editors,
    int_param,
    or_404,
    readers,
)
from krabuan.privacy.views.records_forms import DpaForm
from krabuan.workflow.services.records import content_type_for

SORTS = [
    ("", "วันที่สิ้นสุด (ใกล้ก่อน)"),
    ("counterpart", "คู่สัญญา (ก–ฮ)"),
    ("-starts_on", "วันที่เริ่ม (ล่าสุดก่อน)"),
    ("unit", "หน่วยงาน"),
]


@readers
@require_GET
def dpa_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    role = request.GET.get("role", "")
    role = role if role in DpaRole.values else ""
    q = request.GET.get("q", "").strip()[:200]
    qs = sel.dpa_list(
        today=today,
        unit_id=int_param(request, "unit"),
        role=role,
        expires_within=int_param(request, "expires_within", low=0, high=3650),
        q=q,
        sort=request.GET.get("sort", ""),
    )
    if request.GET.get("format") == "csv":
        header = [
            _("คู่สัญญา"),
            _("ลักษณะข้อตกลง"),
            _("ขอบเขต"),
            _("หน่วยงาน"),
            _("กิจกรรมการประมวลผล"),
            _("วันที่เริ่ม"),
            _("วันที่สิ้นสุด"),
            _("เหลือ (วัน)"),
            _("แจ้งเตือนล่วงหน้า (วัน)"),
        ]
        body = (
            [
                d.counterpart,
                d.get_role_display(),
                d.scope,
                d.unit.name,
                d.activity.name if d.activity else "",
                format_date(d.starts_on),
                format_date(d.ends_on) if d.ends_on else "",
                (d.ends_on - today).days if d.ends_on else "",
                d.alert_days,
            ]
            for d in qs
        )
        return csv_response(f"privacy-dpas-{today.isoformat()}.csv", header, body)
    rows = [{"dpa": d, "days_left": (d.ends_on - today).days if d.ends_on else None} for d in qs]
    return render(
        request,
        "privacy/records/dpa_list.html",
        {
            "rows": rows,
            "units": sel.owning_units(),
            "roles": DpaRole.choices,
            "sorts": SORTS,
            "q": q,
            "can_edit": can_edit_records(request.user),
        },
    )


@readers
@require_GET
def dpa_detail(request: HttpRequest, dpa_id: int) -> HttpResponse:
    dpa = or_404(sel.dpa_get, user=request.user, dpa_id=dpa_id)
    today = timezone.localdate()
    return render(
        request,
        "privacy/records/dpa_detail.html",
        {
            "dpa": dpa,
            "days_left": (dpa.ends_on - today).days if dpa.ends_on else None,
            "file_name": (dpa.file.name or "").rsplit("/", 1)[-1],
            "can_edit": sel.can_edit_unit(request.user, dpa.unit_id),
        },
    )


@readers
@require_GET
def dpa_file(request: HttpRequest, dpa_id: int) -> FileResponse:
    """The signed agreement, through the agreement's guard."""
    dpa = or_404(sel.dpa_get, user=request.user, dpa_id=dpa_id)
    if not dpa.file:
        raise Http404(_("ไม่มีไฟล์ข้อตกลง"))
    name = (dpa.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(dpa.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type_for(name)
    response["Cache-Control"] = "private, no-store"
    return response


def _arguments(form: DpaForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["file"] = data.get("file") or None
    return data


@editors
@require_http_methods(["GET", "POST"])
def dpa_create(request: HttpRequest) -> HttpResponse:
    form = DpaForm(request.POST or None, request.FILES or None, initial={"alert_days": 30})
    if request.method == "POST" and form.is_valid():
        dpa = call(form, svc.dpa_create, actor=request.user, **_arguments(form))
        if dpa is not None:
            messages.success(request, _("บันทึกข้อตกลงแล้ว"))
            return redirect("privacy:dpa_detail", dpa_id=dpa.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("บันทึกข้อตกลงการประมวลผลข้อมูล"), "back": "privacy:dpa_list"}
    return render(request, "privacy/records/form.html", context, status=status)


@editors
@require_http_methods(["GET", "POST"])
def dpa_edit(request: HttpRequest, dpa_id: int) -> HttpResponse:
    dpa: DataProcessingAgreement = or_404(sel.dpa_get, user=request.user, dpa_id=dpa_id)
    initial = {
        name: getattr(dpa, name)
        for name in (
            "counterpart",
            "role",
            "scope",
            "unit",
            "activity",
            "starts_on",
            "ends_on",
            "alert_days",
        )
    }
    form = DpaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call(form, svc.dpa_update, actor=request.user, dpa=dpa, **_arguments(form))
        if done is not None:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("privacy:dpa_detail", dpa_id=dpa.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("แก้ไขข้อตกลง: %(c)s") % {"c": dpa.counterpart},
        "back": "privacy:dpa_list",
    }
    return render(request, "privacy/records/form.html", context, status=status)
