"""The staff editor's resource pages: add (file upload or link), edit and delete one resource of a
dataset, with the resource fields of the dataset's data type. An uploaded file is scanned for
personal data by the service before it can be seen by the public."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krabuan.catalog.forms import ResourceForm
from krabuan.catalog.models import Dataset, Resource
from krabuan.catalog.services import guard
from krabuan.catalog.services import resources as resource_services
from krabuan.catalog.views.portal_common import (
    catalog_context,
    dataset_or_404,
    filename_of,
    resource_or_404,
)
from krabuan.catalog.views.staff import editors
from krabuan.catalog.views.staff_errors import show_error
from krabuan.core.errors import ApplicationError


def _render_form(
    request: HttpRequest,
    form: ResourceForm,
    dataset: Dataset,
    resource: Resource | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        **catalog_context(request, "staff"),
        "form": form,
        "dataset": dataset,
        "resource": resource,
        "current_file": filename_of(resource) if resource is not None and resource.upload else "",
    }
    return render(request, "catalog/staff/resource_form.html", context, status=status)


def _saved_message(request: HttpRequest, resource: Resource, text: str) -> None:
    messages.success(request, text % {"name": resource.name})
    # The service keeps a new file of a public dataset private until the guard clears it.
    if resource.resource_private:
        for blocker in guard.resource_publish_blockers(resource):
            messages.warning(request, _("ทรัพยากรนี้ยังไม่เปิดเผย: %(reason)s") % {"reason": blocker})
        scan = guard.current_scan(resource)
        if scan is not None and scan.publish_when_clean:
            messages.info(request, _("ระบบจะเผยแพร่ไฟล์นี้เองเมื่อตรวจเสร็จและไม่พบข้อมูลส่วนบุคคล"))


@editors
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest, name: str) -> HttpResponse:
    """Add a file or a link to the dataset."""
    dataset = dataset_or_404(request, name, for_edit=True)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, dataset=dataset)
        if form.is_valid():
            try:
                resource = resource_services.resource_create(
                    actor=request.user,
                    dataset=dataset,
                    data=form.to_data(),
                    upload=form.cleaned_data.get("upload"),
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                _saved_message(request, resource, _("เพิ่มทรัพยากร “%(name)s” แล้ว"))
                return redirect("catalog:staff_dataset", name=dataset.name)
        return _render_form(request, form, dataset, None, status=400)
    return _render_form(request, ResourceForm(dataset=dataset), dataset, None)


@editors
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, name: str, resource_id: uuid.UUID) -> HttpResponse:
    """Change a resource's fields, replace its file, or turn it into a link."""
    dataset = dataset_or_404(request, name, for_edit=True)
    resource = resource_or_404(request, dataset, resource_id, for_edit=True)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, dataset=dataset, resource=resource)
        if form.is_valid():
            try:
                resource = resource_services.resource_update(
                    actor=request.user,
                    resource=resource,
                    data=form.to_data(),
                    upload=form.cleaned_data.get("upload"),
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                _saved_message(request, resource, _("บันทึกทรัพยากร “%(name)s” แล้ว"))
                return redirect("catalog:staff_dataset", name=dataset.name)
        return _render_form(request, form, dataset, resource, status=400)
    form = ResourceForm(dataset=dataset, resource=resource)
    return _render_form(request, form, dataset, resource)


@editors
@require_http_methods(["GET", "POST"])
def resource_delete(request: HttpRequest, name: str, resource_id: uuid.UUID) -> HttpResponse:
    """Confirm, then mark the resource deleted."""
    dataset = dataset_or_404(request, name, for_edit=True)
    resource = resource_or_404(request, dataset, resource_id, for_edit=True)
    if request.method == "POST":
        try:
            resource_services.resource_delete(actor=request.user, resource=resource)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("ลบทรัพยากร “%(name)s” แล้ว") % {"name": resource.name})
        return redirect("catalog:staff_dataset", name=dataset.name)
    context = {**catalog_context(request, "staff"), "dataset": dataset, "resource": resource}
    return render(request, "catalog/staff/resource_delete.html", context)
