"""The staff editor's dataset pages: create and edit (the schema's fields for the chosen data
type), the dataset's management page (resources, personal-data scan status, publish / make
private), delete (a tombstone) and the audit trail. Every write is one catalog service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.catalog import schema
from krabuan.catalog.forms import DatasetForm
from krabuan.catalog.models import Dataset, Group, Organization, State
from krabuan.catalog.services import datasets as dataset_services
from krabuan.catalog.services import guard
from krabuan.catalog.views.portal_common import (
    catalog_context,
    dataset_or_404,
    filename_of,
    visible_resources,
)
from krabuan.catalog.views.staff import editors
from krabuan.catalog.views.staff_audit import audit_rows
from krabuan.catalog.views.staff_errors import show_error
from krabuan.core.errors import ApplicationError


def _form_choices() -> dict[str, Any]:
    return {
        "organizations": list(Organization.objects.filter(state=State.ACTIVE).order_by("title")),
        "groups": list(Group.objects.filter(state=State.ACTIVE).order_by("category", "title")),
    }


def _render_form(
    request: HttpRequest, form: DatasetForm, dataset: Dataset | None, status: int = 200
) -> HttpResponse:
    context = {
        **catalog_context(request, "staff"),
        "form": form,
        "dataset": dataset,
    }
    return render(request, "catalog/staff/dataset_form.html", context, status=status)


@editors
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    """A new dataset; it stays private until it is published from its page."""
    if request.method == "POST":
        form = DatasetForm(request.POST, **_form_choices())
        if form.is_valid():
            try:
                dataset = dataset_services.dataset_create(actor=request.user, data=form.to_data())
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request, _("สร้างชุดข้อมูล “%(title)s” แล้ว (ยังไม่เปิดเผย)") % {"title": dataset.title}
                )
                return redirect("catalog:staff_dataset", name=dataset.name)
        return _render_form(request, form, None, status=400)
    initial = {"data_type": request.GET.get("data_type", "")}
    if initial["data_type"] not in schema.DATA_TYPES:
        initial = {}
    return _render_form(request, DatasetForm(initial=initial, **_form_choices()), None)


@editors
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Change a dataset's metadata; fields of another data type are cleared when it changes."""
    dataset = dataset_or_404(request, name, for_edit=True)
    if request.method == "POST":
        form = DatasetForm(request.POST, dataset=dataset, **_form_choices())
        if form.is_valid():
            try:
                dataset = dataset_services.dataset_patch(
                    actor=request.user, dataset=dataset, data=form.to_data()
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("บันทึกการแก้ไขแล้ว"))
                return redirect("catalog:staff_dataset", name=dataset.name)
        return _render_form(request, form, dataset, status=400)
    return _render_form(request, DatasetForm(dataset=dataset, **_form_choices()), dataset)


@editors
@require_GET
def staff_dataset(request: HttpRequest, name: str) -> HttpResponse:
    """A dataset as its keepers see it: state, resources with their scan, what blocks publishing."""
    dataset = dataset_or_404(request, name)
    resources = visible_resources(dataset, can_edit=True)
    for resource in resources:
        scan = guard.current_scan(resource)
        resource.filename = filename_of(resource)  # type: ignore[attr-defined]
        resource.scan = scan  # type: ignore[attr-defined]
        resource.is_file = guard.has_file(resource)  # type: ignore[attr-defined]
        resource.blocker = (  # type: ignore[attr-defined]
            guard.scan_blocker(resource, scan) if resource.is_file else None  # type: ignore[attr-defined]
        )
    is_public = dataset.state == State.ACTIVE and not dataset.private
    blockers = (
        [] if is_public or dataset.state == State.DELETED else guard.publish_blockers(dataset)
    )
    context = {
        **catalog_context(request, "staff"),
        "dataset": dataset,
        "resources": resources,
        "is_public": is_public,
        "is_deleted": dataset.state == State.DELETED,
        "blockers": blockers,
        "blocked_resources": [
            r
            for r in resources
            if r.blocker and not r.resource_private  # type: ignore[attr-defined]
        ],
        "audit": audit_rows(dataset, limit=10),
    }
    return render(request, "catalog/staff/dataset.html", context)


@editors
@require_POST
def dataset_publish(request: HttpRequest, name: str) -> HttpResponse:
    """Make the dataset public; refused with the guard's (or the validator's) Thai reasons."""
    dataset = dataset_or_404(request, name, for_edit=True)
    try:
        dataset_services.dataset_publish(actor=request.user, dataset=dataset)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        for field_messages in exc.fields.values():
            for message in field_messages:
                messages.warning(request, message)
    else:
        messages.success(request, _("เผยแพร่ชุดข้อมูลแล้ว ประชาชนเห็นชุดข้อมูลนี้ในหน้าบัญชีข้อมูล"))
    return redirect("catalog:staff_dataset", name=dataset.name)


@editors
@require_POST
def dataset_make_private(request: HttpRequest, name: str) -> HttpResponse:
    """Hide the dataset from the public portal (and from GD Catalog harvests)."""
    dataset = dataset_or_404(request, name, for_edit=True)
    try:
        dataset_services.dataset_patch(actor=request.user, dataset=dataset, data={"private": True})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("ตั้งชุดข้อมูลเป็น “ไม่เปิดเผย” แล้ว"))
    return redirect("catalog:staff_dataset", name=dataset.name)


@editors
@require_http_methods(["GET", "POST"])
def dataset_delete(request: HttpRequest, name: str) -> HttpResponse:
    """Confirm, then mark the dataset deleted (a tombstone kept for harvesters and the record)."""
    dataset = dataset_or_404(request, name, for_edit=True)
    if request.method == "POST":
        try:
            dataset_services.dataset_delete(actor=request.user, dataset=dataset)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("catalog:staff_dataset", name=dataset.name)
        messages.success(request, _("ลบชุดข้อมูล “%(title)s” แล้ว") % {"title": dataset.title})
        return redirect("catalog:staff_home")
    context = {**catalog_context(request, "staff"), "dataset": dataset}
    return render(request, "catalog/staff/dataset_delete.html", context)


@editors
@require_GET
def dataset_audit(request: HttpRequest, name: str) -> HttpResponse:
    """Every recorded change to the dataset, its resources and their personal-data decisions."""
    dataset = dataset_or_404(request, name)
    context = {
        **catalog_context(request, "staff"),
        "dataset": dataset,
        "audit": audit_rows(dataset, limit=500),
    }
    return render(request, "catalog/staff/audit.html", context)
