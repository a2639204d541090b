"""The staff editor's home: every dataset the user may edit, with filters (organization, state,
visibility, data type, quality below a score, unresolved personal-data findings), sort, paging
and a CSV export — a constant number of queries for any number of rows."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.catalog import permissions
from krabuan.catalog.forms import StaffFilterForm
from krabuan.catalog.models import Dataset, Organization, PersonalDataScan, Resource, ScanStatus
from krabuan.catalog.models import State as CatalogState
from krabuan.catalog.views.portal_common import catalog_context
from krabuan.core.thai import format_datetime
from krabuan.org.permissions import role_required
from krabuan.workflow.views.common import csv_response

PAGE_SIZE = 50
# Catalog editors only; others signed in get 403, visitors the sign-in page.
editors = role_required(set(permissions.EDIT_CATALOG))
SORT_FIELDS = {
    "-modified": ["-metadata_modified", "name"],
    "modified": ["metadata_modified", "name"],
    "name": ["name"],
    "title": ["title", "name"],
    "quality": ["quality_score", "name"],
    "-quality": ["-quality_score", "name"],
    "-views": ["-view_count", "name"],
}


def unresolved_findings() -> Exists:
    """Whether a dataset has a live resource whose latest scan found personal data that no
    steward has decided on yet (the guard blocks publishing it)."""
    latest_scan = (
        PersonalDataScan.objects.filter(resource=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    open_findings = PersonalDataScan.objects.filter(
        status=ScanStatus.FINDINGS, decision__isnull=True
    ).values("pk")
    flagged = (
        Resource.objects.filter(dataset=OuterRef("pk"))
        .exclude(state=CatalogState.DELETED)
        .annotate(latest_scan=Subquery(latest_scan))
        .filter(latest_scan__in=open_findings)
    )
    return Exists(flagged)


def editable_datasets(user: Any) -> QuerySet[Dataset]:
    """Every dataset a catalog editor keeps (the catalog is the division's own; see permissions)."""
    if not permissions.can_edit_catalog(user):
        return Dataset.objects.none()
    return Dataset.objects.all()


def filtered(form: StaffFilterForm, user: Any) -> QuerySet[Dataset]:
    qs = editable_datasets(user).select_related("owner_org")
    qs = qs.annotate(
        has_findings=unresolved_findings(),
        resource_count=Count("resources", filter=~Q(resources__state=CatalogState.DELETED)),
    )
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a bad value is reported on the form; the valid filters still apply
        data = form.cleaned_data
    state = data.get("state") or ""
    qs = qs.filter(state=state) if state else qs.exclude(state=CatalogState.DELETED)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(name__icontains=q))
    if org := data.get("organization"):
        qs = qs.filter(owner_org__name=org)
    if data.get("visibility") == "public":
        qs = qs.filter(private=False)
    elif data.get("visibility") == "private":
        qs = qs.filter(private=True)
    if data_type := data.get("data_type"):
        qs = qs.filter(data_type=data_type)
    if data.get("quality_below") is not None:
        qs = qs.filter(quality_score__lt=data["quality_below"])
    if data.get("findings") == "1":
        qs = qs.filter(has_findings=True)
    elif data.get("findings") == "0":
        qs = qs.filter(has_findings=False)
    return qs.order_by(*SORT_FIELDS.get(data.get("sort") or "-modified", ["-metadata_modified"]))


def _csv(qs: QuerySet[Dataset]) -> HttpResponse:
    header = [
        _("รหัสชุดข้อมูล"),
        _("ชื่อชุดข้อมูล"),
        _("หน่วยงาน"),
        _("ประเภทชุดข้อมูล"),
        _("หมวดหมู่ข้อมูล"),
        _("สถานะ"),
        _("การเปิดเผย"),
        _("ยินยอมให้ GD-Catalog"),
        _("คะแนนคุณภาพ"),
        _("จำนวนทรัพยากร"),
        _("พบข้อมูลส่วนบุคคลที่ยังไม่ได้ตัดสิน"),
        _("เข้าชม"),
        _("แก้ไขล่าสุด"),
    ]
    rows = (
        [
            d.name,
            d.title,
            d.owner_org.title,
            d.data_type,
            d.data_category,
            d.get_state_display(),
            _("ไม่เปิดเผย") if d.private else _("เปิดเผย"),
            _("ใช่") if d.allow_harvest else _("ไม่ใช่"),
            d.quality_score,
            d.resource_count,  # type: ignore[attr-defined]
            _("ใช่") if d.has_findings else _("ไม่ใช่"),  # type: ignore[attr-defined]
            d.view_count,
            format_datetime(d.metadata_modified, short=True),
        ]
        for d in qs.iterator(chunk_size=500)
    )
    return csv_response(f"catalog-datasets-{timezone.localdate().isoformat()}.csv", header, rows)


@editors
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """Datasets to keep; ?format=csv exports the filtered list."""
    organizations = list(Organization.objects.exclude(state=CatalogState.DELETED).order_by("title"))
    form = StaffFilterForm(request.GET or None, organizations=organizations)
    qs = filtered(form, request.user)
    if request.GET.get("format") == "csv":
        return _csv(qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **catalog_context(request, "staff"),
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k not in {"page", "sort"}),
    }
    return render(request, "catalog/staff/home.html", context)
