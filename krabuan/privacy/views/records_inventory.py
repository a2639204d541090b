"""The personal-data inventory: the list of processing activities and their data items (filters
unit / sensitive / has a published RoPA, sort, CSV and XLSX), an activity's page, and the forms
for activities and items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.documents import XLSX_CONTENT_TYPE
from krabuan.privacy.documents.ropa_xlsx import INVENTORY_HEADERS, inventory_rows, inventory_xlsx
from krabuan.privacy.models import DataItem, ProcessingActivity, RopaKind, VersionStatus
from krabuan.privacy.permissions import can_edit_records
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import inventory as svc
from krabuan.privacy.views.records_common import (
    act,
    call,
    csv_response,
    download,
    editors,
    int_param,
    or_404,
    readers,
    yes_no_param,
)
from krabuan.privacy.views.records_forms import ActivityForm, DataItemForm, RopaCreateForm

SORTS = [
    ("", "หน่วยงาน แล้วชื่อกิจกรรม"),
    ("name", "ชื่อกิจกรรม (ก–ฮ)"),
    ("-name", "ชื่อกิจกรรม (ฮ–ก)"),
    ("-updated_at", "แก้ไขล่าสุด"),
]


@readers
@require_GET
def inventory_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "")
    qs = sel.inventory_list(
        unit_id=int_param(request, "unit"),
        sensitive=yes_no_param(request, "sensitive"),
        has_ropa=yes_no_param(request, "has_ropa"),
        q=q,
        sort=sort,
    )
    stamp = timezone.localdate().isoformat()
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return download(inventory_xlsx(qs), f"privacy-inventory-{stamp}.xlsx", XLSX_CONTENT_TYPE)
    if fmt == "csv":
        return csv_response(
            f"privacy-inventory-{stamp}.csv", list(INVENTORY_HEADERS), inventory_rows(qs)
        )
    return render(
        request,
        "privacy/records/inventory_list.html",
        {
            "activities": qs,
            "units": sel.owning_units(),
            "sorts": SORTS,
            "q": q,
            "can_edit": can_edit_records(request.user),
        },
    )


def _activity_page(
    request: HttpRequest, activity: ProcessingActivity, **extra: Any
) -> dict[str, Any]:
    ropas = []
    for ropa in activity.ropas.all():
        versions = list(ropa.versions.all())
        ropas.append(
            {
                "ropa": ropa,
                "latest": versions[0] if versions else None,
                "published": next(
                    (v for v in versions if v.status == VersionStatus.PUBLISHED), None
                ),
            }
        )
    return {
        "activity": activity,
        "items": list(activity.data_items.all()),
        "ropas": ropas,
        "can_edit": sel.can_edit_unit(request.user, activity.unit_id),
        "ropa_form": RopaCreateForm(
            initial={"kind": RopaKind.PROCESSOR if activity.is_processor else RopaKind.CONTROLLER}
        ),
        **extra,
    }


@readers
@require_GET
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = or_404(sel.processing_activity_get, user=request.user, activity_id=activity_id)
    return render(
        request, "privacy/records/activity_detail.html", _activity_page(request, activity)
    )


@editors
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, initial={"unit": int_param(request, "unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = call(
            form,
            svc.processing_activity_create,
            actor=request.user,
            unit=data["unit"],
            name=data["name"],
            description=data["description"],
            is_processor=data["is_processor"],
        )
        if activity is not None:
            messages.success(request, _("เพิ่มกิจกรรมแล้ว เพิ่มรายการข้อมูลส่วนบุคคลได้เลย"))
            return redirect("privacy:activity_detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("เพิ่มกิจกรรมการประมวลผล"), "back": "privacy:inventory_list"}
    return render(request, "privacy/records/form.html", context, status=status)


@editors
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = or_404(sel.processing_activity_get, user=request.user, activity_id=activity_id)
    initial = {
        "unit": activity.unit,
        "name": activity.name,
        "description": activity.description,
        "is_processor": activity.is_processor,
        "active": activity.active,
    }
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            svc.processing_activity_update,
            actor=request.user,
            activity=activity,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("privacy:activity_detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("แก้ไขกิจกรรม: %(n)s") % {"n": activity.name},
        "back": "privacy:inventory_list",
    }
    return render(request, "privacy/records/form.html", context, status=status)


def _item_arguments(form: DataItemForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@editors
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = or_404(sel.processing_activity_get, user=request.user, activity_id=activity_id)
    form = DataItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = call(
            form,
            svc.data_item_create,
            actor=request.user,
            activity=activity,
            **_item_arguments(form),
        )
        if item is not None:
            messages.success(request, _("เพิ่มรายการ “%(n)s” แล้ว") % {"n": item.name})
            return redirect("privacy:activity_detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("เพิ่มข้อมูลส่วนบุคคล: %(n)s") % {"n": activity.name},
        "back_url": activity_url(activity),
    }
    return render(request, "privacy/records/form.html", context, status=status)


def activity_url(activity: ProcessingActivity) -> str:
    return reverse("privacy:activity_detail", kwargs={"activity_id": activity.pk})


@editors
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = or_404(sel.data_item_get, user=request.user, item_id=item_id)
    initial = {
        name: getattr(item, name)
        for name in (
            "name",
            "category",
            "sensitive",
            "data_subjects",
            "source",
            "storage",
            "retention_months",
            "retention_text",
            "collected_since",
        )
    }
    initial["datasets"] = list(item.datasets.all())
    form = DataItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call(
            form, svc.data_item_update, actor=request.user, item=item, **_item_arguments(form)
        )
        if done is not None:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("privacy:activity_detail", activity_id=item.activity_id)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("แก้ไขข้อมูลส่วนบุคคล: %(n)s") % {"n": item.name},
        "back_url": activity_url(item.activity),
    }
    return render(request, "privacy/records/form.html", context, status=status)


@editors
@require_POST
def item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item: DataItem = or_404(sel.data_item_get, user=request.user, item_id=item_id)
    act(request, svc.data_item_delete, _("ลบรายการแล้ว"), actor=request.user, item=item)
    return redirect("privacy:activity_detail", activity_id=item.activity_id)
