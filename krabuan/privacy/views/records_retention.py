"""Retention and destruction: the schedule of data due for destruction (within 30 days, overdue
first), items whose due date cannot be worked out, the destruction records (CSV), and the form
recording a destruction with its approver and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.thai import format_date
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import retention as svc
from krabuan.privacy.views.records_common import (
    call,
    csv_response,
    editors,
    int_param,
    or_404,
    readers,
)
from krabuan.privacy.views.records_forms import DestructionForm
from krabuan.workflow.services.records import content_type_for


@readers
@require_GET
def retention_schedule(request: HttpRequest) -> HttpResponse:
    """?format=csv exports the due list; ?unit= keeps one unit."""
    today = timezone.localdate()
    unit_id = int_param(request, "unit")
    due, unknown = sel.retention_schedule(today=today, unit_id=unit_id)
    if request.GET.get("format") == "csv":
        header = [
            _("หน่วยงาน"),
            _("กิจกรรมการประมวลผล"),
            _("ข้อมูลส่วนบุคคล"),
            _("ระยะเวลาเก็บรักษา (เดือน)"),
            _("นับจาก"),
            _("วันที่นับ"),
            _("ครบกำหนดทำลาย"),
            _("สถานะ"),
        ]
        body = (
            [
                r.item.activity.unit.name,
                r.item.activity.name,
                r.item.name,
                r.item.retention_months,
                _("การทำลายครั้งล่าสุด") if r.base_kind == "destruction" else _("วันที่เริ่มเก็บ"),
                format_date(r.base),
                format_date(r.due_on),
                _("เลยกำหนด") if r.overdue else _("ใกล้ครบกำหนด"),
            ]
            for r in due
        )
        return csv_response(f"privacy-retention-{today.isoformat()}.csv", header, body)
    return render(
        request,
        "privacy/records/retention_schedule.html",
        {
            "due": due,
            "unknown": unknown,
            "destructions": sel.destruction_list(unit_id=unit_id)[:100],
            "units": sel.owning_units(),
            "horizon": sel.RETENTION_HORIZON_DAYS,
            "today": today,
        },
    )


@editors
@require_http_methods(["GET", "POST"])
def destruction_create(request: HttpRequest, item_id: int) -> HttpResponse:
    item = or_404(sel.data_item_get, user=request.user, item_id=item_id)
    approvers = sel.approver_choices(unit_id=item.activity.unit_id)
    form = DestructionForm(
        request.POST or None,
        request.FILES or None,
        approvers=approvers,
        initial={"destroyed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["evidence"] = data.get("evidence") or None
        record = call(form, svc.destruction_record, actor=request.user, item=item, **data)
        if record is not None:
            messages.success(request, _("บันทึกการทำลายข้อมูลแล้ว"))
            return redirect("privacy:retention_schedule")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("บันทึกการทำลายข้อมูล: %(n)s (%(a)s)") % {"n": item.name, "a": item.activity.name},
        "back_url": reverse("privacy:retention_schedule"),
    }
    return render(request, "privacy/records/form.html", context, status=status)


@readers
@require_GET
def destruction_evidence(request: HttpRequest, record_id: int) -> FileResponse:
    record = or_404(sel.destruction_get, user=request.user, record_id=record_id)
    if not record.evidence:
        raise Http404(_("ไม่มีไฟล์หลักฐาน"))
    name = (record.evidence.name or "").rsplit("/", 1)[-1]
    response = FileResponse(record.evidence.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type_for(name)
    response["Cache-Control"] = "private, no-store"
    return response
