"""Pages of the personal-data guard: a resource's scan report (with live progress), the data
steward's decision, the masked download and replacement, and the queue of findings awaiting a
decision. Only those who may edit the dataset, and data stewards, see scans; others get 404."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from krabuan.catalog import guard_selectors as selectors
from krabuan.catalog.models import DecisionKind, PersonalDataScan, Resource, ScanStatus
from krabuan.catalog.permissions import can_edit_dataset, is_data_steward
from krabuan.catalog.services import guard
from krabuan.catalog.services.guard_mask import masked_export, resource_replace_with_masked
from krabuan.core import errors
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import format_datetime

PAGE_SIZE = 50
# Spreadsheet programs run cells that start with these as formulas; prefix them to keep them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("การตัดสินใจ"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("เหตุผล/บันทึก"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": gettext_lazy("กรุณาระบุเหตุผลของการตัดสินใจ")},
    )


def _resource(request: HttpRequest, resource_id: uuid.UUID) -> Resource:
    try:
        return selectors.guarded_resource(user=request.user, resource_id=resource_id)
    except NotFound:
        raise Http404(_("ไม่พบทรัพยากร")) from None


def _report_context(request: HttpRequest, resource: Resource, **extra: Any) -> dict[str, Any]:
    scan = guard.current_scan(resource)
    steward = is_data_steward(request.user)
    editor = can_edit_dataset(request.user, resource.dataset)
    decidable = scan is not None and scan.status in (ScanStatus.FINDINGS, ScanStatus.FAILED)
    decision = getattr(scan, "decision", None) if scan else None
    form = extra.pop("form", None)
    if form is None and decidable and steward:
        initial = {"kind": decision.kind, "note": decision.note} if decision else {}
        form = DecisionForm(initial=initial)
    return {
        "resource": resource,
        "dataset": resource.dataset,
        "has_file": guard.has_file(resource),
        "filename": guard.stored_name(resource).rsplit("/", 1)[-1],
        "scan": scan,
        "decision": decision,
        "findings": selectors.finding_rows(scan.findings) if scan else [],
        "blocker": guard.scan_blocker(resource, scan) if guard.has_file(resource) else None,
        "history": selectors.scan_history(resource, exclude=scan),
        "is_steward": steward,
        "can_edit": editor,
        "decidable": decidable,
        "decision_form": form if (decidable and steward) else None,
        "can_rescan": editor and guard.has_file(resource) and selectors.can_restart(scan),
        "running": scan is not None and scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING),
        **extra,
    }


@login_required
@require_GET
def scan_report(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """The scan report of a resource's current file, with the steward's decision form."""
    resource = _resource(request, resource_id)
    return render(request, "catalog/guard/scan.html", _report_context(request, resource))


@login_required
@require_GET
def scan_progress(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """The status box, polled by HTMX while a scan runs; the page reloads when it ends."""
    resource = _resource(request, resource_id)
    context = _report_context(request, resource)
    response = render(request, "catalog/guard/_status.html", context)
    if not context["running"] and request.GET.get("polling"):
        response["HX-Refresh"] = "true"  # show the findings and the decision form
    return response


@login_required
@require_POST
def decide(request: HttpRequest, scan_id: int) -> HttpResponse:
    """A data steward records remove / mask / justify with a note."""
    try:
        scan = selectors.guarded_scan(user=request.user, scan_id=scan_id)
    except NotFound:
        raise Http404(_("ไม่พบผลการตรวจ")) from None
    resource = scan.resource
    if not is_data_steward(request.user):
        raise PermissionDenied(_("เฉพาะผู้ดูแลข้อมูลบันทึกการตัดสินใจได้"))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            guard.decision_record(
                actor=request.user,
                scan=scan,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            for field, problems in exc.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("บันทึกการตัดสินใจแล้ว"))
            return redirect("catalog:guard_scan", resource_id=resource.pk)
    context = _report_context(request, resource, form=form)
    return render(request, "catalog/guard/scan.html", context, status=400)


def _editor_resource(request: HttpRequest, resource_id: uuid.UUID) -> Resource:
    resource = _resource(request, resource_id)
    if not can_edit_dataset(request.user, resource.dataset):
        raise PermissionDenied(_("ท่านแก้ไขชุดข้อมูลนี้ไม่ได้"))
    return resource


@login_required
@require_POST
def rescan(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """Scan the current file again after a failure or a stuck background scan."""
    resource = _editor_resource(request, resource_id)
    try:
        guard.scan_restart(actor=request.user, resource=resource)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("สั่งตรวจไฟล์ใหม่แล้ว"))
    return redirect("catalog:guard_scan", resource_id=resource.pk)


@login_required
@require_GET
def masked_download(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponseBase:
    """The resource's file with personal data masked, in the same format."""
    resource = _resource(request, resource_id)
    try:
        masked = masked_export(resource=resource)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:guard_scan", resource_id=resource.pk)
    return FileResponse(
        masked.stream,
        as_attachment=True,
        filename=masked.filename,
        content_type=masked.content_type,
    )


@login_required
@require_POST
def replace_masked(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """Store the masked file as the resource's file; it is scanned again."""
    resource = _editor_resource(request, resource_id)
    try:
        resource_replace_with_masked(actor=request.user, resource=resource)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("แทนที่ไฟล์ด้วยไฟล์ที่ปกปิดข้อมูลแล้ว และสั่งตรวจไฟล์ใหม่แล้ว"))
    return redirect(reverse("catalog:guard_scan", args=[resource.pk]))


@login_required
@require_GET
def scan_queue(request: HttpRequest) -> HttpResponse:
    """Current scans with findings (awaiting a decision by default): filters, sort, CSV."""
    if not selectors.can_see_scans(request.user):
        raise PermissionDenied(_("ท่านไม่มีสิทธิ์ดูผลการตรวจข้อมูลส่วนบุคคล"))
    params = selectors.QueueFilter.from_query(request.GET)
    rows = selectors.scan_queue(user=request.user, params=params)
    if request.GET.get("format") == "csv":
        return _queue_csv(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(params.page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": page.object_list,
        "page": page,
        "total": len(rows),
        "params": params,
        "organizations": selectors.queue_organizations(),
        "kind_choices": list(guard.KIND_LABELS.items()),
        "state_choices": selectors.STATE_CHOICES,
        "sort_choices": selectors.SORT_CHOICES,
        "csv_query": query.urlencode(),
    }
    return render(request, "catalog/guard/queue.html", context)


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _queue_csv(rows: list[PersonalDataScan]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data-scans.csv"'
    response.write("\ufeff")  # Excel reads the Thai text as UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("ชุดข้อมูล"),
            _("ทรัพยากร"),
            _("หน่วยงาน"),
            _("ตรวจเมื่อ"),
            _("ผลการตรวจ"),
            _("สิ่งที่พบ"),
            _("จำนวนที่พบ"),
            _("การตัดสินใจ"),
            _("ผู้ตัดสินใจ"),
            _("เหตุผล/บันทึก"),
        ]
    )
    for scan in rows:
        dataset = scan.resource.dataset
        decision = getattr(scan, "decision", None)
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    dataset.title,
                    scan.resource.name,
                    dataset.owner_org.title,
                    format_datetime(scan.created_at),
                    scan.get_status_display(),
                    scan.summary if scan.findings else scan.error,  # type: ignore[attr-defined]
                    scan.total,  # type: ignore[attr-defined]
                    decision.get_kind_display() if decision else "",
                    (decision.decided_by.get_full_name() or decision.decided_by.username)
                    if decision
                    else "",
                    decision.note if decision else "",
                )
            ]
        )
    return response
