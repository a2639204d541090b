"""The public portal: dataset search, the dataset page, organizations and groups. No sign-in is
needed; anonymous visitors see public, active datasets only (the catalog's selectors decide)."""

from __future__ import annotations

from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.catalog import formats, permissions, schema, selectors
from krabuan.catalog.models import Dataset, Group, State
from krabuan.catalog.views.portal_common import (
    catalog_context,
    dataset_or_404,
    filename_of,
    visible_resources,
)
from krabuan.catalog.views.portal_fields import dataset_rows, quality_lines
from krabuan.catalog.views.portal_search import search_context
from krabuan.core.errors import NotFound
from krabuan.core.thai import normalize_text

DCAT_FORMATS = (
    ("ttl", "text/turtle", "Turtle"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
    ("jsonld", "application/ld+json", "JSON-LD"),
)


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    """Search and browse every dataset the visitor may see."""
    context = {**catalog_context(request, "dataset"), **search_context(request)}
    return render(request, "catalog/portal/search.html", context)


@require_GET
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    """All of a dataset's metadata for its data type, its resources and its quality score."""
    dataset = dataset_or_404(request, name)
    Dataset.objects.filter(pk=dataset.pk).update(view_count=F("view_count") + 1)
    can_edit = permissions.can_edit_dataset(request.user, dataset)
    resources = visible_resources(dataset, can_edit=can_edit)
    for resource in resources:
        resource.filename = filename_of(resource)  # type: ignore[attr-defined]
        check = formats.check_format(resource.format)
        resource.format_advice = check.advice  # type: ignore[attr-defined]
        resource.is_open = check.is_open  # type: ignore[attr-defined]
    license = schema.license_info(dataset.license_id)
    context = {
        **catalog_context(request, "dataset"),
        "dataset": dataset,
        "rows": dataset_rows(dataset),
        "tags": list(dataset.tags.all()),
        "groups": list(dataset.groups.all()),
        "resources": resources,
        "license": license,
        "can_edit": can_edit,
        "quality": dataset.quality_score,
        "quality_lines": quality_lines(dataset.quality_details),
        "dcat_formats": DCAT_FORMATS,
        "views": dataset.view_count + 1,
    }
    return render(request, "catalog/portal/dataset.html", context)


def _filter_q(request: HttpRequest) -> str:
    return normalize_text(request.GET.get("q", ""))[:100]


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    """Active organizations with the number of datasets the visitor may see."""
    q = _filter_q(request)
    orgs = selectors.organizations_with_counts(user=request.user)
    if q:
        orgs = orgs.filter(Q(title__icontains=q) | Q(name__icontains=q))
    sort = "count" if request.GET.get("sort") == "count" else "title"
    items = list(orgs.order_by("title"))
    if sort == "count":
        items.sort(key=lambda org: -org.package_count)  # type: ignore[attr-defined]
    context = {
        **catalog_context(request, "organization"),
        "items": items,
        "q": q,
        "sort": sort,
    }
    return render(request, "catalog/portal/organization_list.html", context)


@require_GET
def organization_detail(request: HttpRequest, name: str) -> HttpResponse:
    """An organization and a search over its datasets."""
    try:
        org = selectors.organization_get(id_or_name=name)
    except NotFound:
        raise Http404(_("ไม่พบหน่วยงาน")) from None
    if org.state != State.ACTIVE:
        raise Http404(_("ไม่พบหน่วยงาน"))
    context = {
        **catalog_context(request, "organization"),
        **search_context(request, fixed={"organization": org.name}),
        "organization": org,
    }
    return render(request, "catalog/portal/organization.html", context)


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups by their thai_gdc area category, with dataset counts."""
    q = _filter_q(request)
    groups = selectors.groups_with_counts(user=request.user).order_by("category", "title")
    if q:
        groups = groups.filter(Q(title__icontains=q) | Q(name__icontains=q))
    titles = dict(schema.GROUP_CATEGORIES)
    sections: dict[str, list[Group]] = {}
    for group in groups:
        heading = titles.get(group.category, _("กลุ่มอื่น ๆ"))
        sections.setdefault(heading, []).append(group)
    order = {title: i for i, (_key, title) in enumerate(schema.GROUP_CATEGORIES)}
    ordered = sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order)))
    context = {**catalog_context(request, "group"), "sections": ordered, "q": q}
    return render(request, "catalog/portal/group_list.html", context)


@require_GET
def group_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A group and a search over its datasets."""
    try:
        group = selectors.group_get(id_or_name=name)
    except NotFound:
        raise Http404(_("ไม่พบกลุ่มชุดข้อมูล")) from None
    if group.state != State.ACTIVE:
        raise Http404(_("ไม่พบกลุ่มชุดข้อมูล"))
    context = {
        **catalog_context(request, "group"),
        **search_context(request, fixed={"groups": group.name}),
        "group": group,
        "category": dict(schema.GROUP_CATEGORIES).get(group.category, ""),
    }
    return render(request, "catalog/portal/group.html", context)
