"""The portal's dataset search, shared by /dataset/ and the organization and group pages: free
text, facet filters as CKAN names them (`?tags=ข้าว&res_format=CSV…`), sort and paging, through
the catalog's Thai-aware search. A constant number of queries for any page size."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.search.query import SearchQueryError, dataset_search
from krabuan.core.thai import normalize_text, to_arabic_digits

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are refused: nobody reads them and OFFSET gets slow
# (query parameter = CKAN facet field, label); the order of the sidebar.
FACETS: tuple[tuple[str, Any], ...] = (
    ("organization", gettext_lazy("หน่วยงาน")),
    ("groups", gettext_lazy("กลุ่มชุดข้อมูล")),
    ("tags", gettext_lazy("คำสำคัญ")),
    ("res_format", gettext_lazy("รูปแบบไฟล์")),
    ("data_type", gettext_lazy("ประเภทชุดข้อมูล")),
    ("data_category", gettext_lazy("หมวดหมู่ข้อมูล")),
)
FACET_NAMES = tuple(name for name, _label in FACETS)
# (key in the URL, CKAN sort, label).
SORTS: tuple[tuple[str, str, Any], ...] = (
    ("relevance", "score desc, metadata_modified desc", gettext_lazy("ตรงกับคำค้นมากที่สุด")),
    ("modified", "metadata_modified desc", gettext_lazy("ปรับปรุงล่าสุด")),
    ("title", "title_string asc", gettext_lazy("ชื่อ ก–ฮ")),
    ("title_desc", "title_string desc", gettext_lazy("ชื่อ ฮ–ก")),
    ("name", "name asc", gettext_lazy("รหัสชุดข้อมูล")),
)
SORT_BY_KEY = {key: ckan for key, ckan, _label in SORTS}
FACET_SHOWN = 10


@dataclass
class FacetLink:
    name: str
    label: str
    count: int
    active: bool
    url: str


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _query_string(params: Mapping[str, list[str]]) -> str:
    pairs = [(k, v) for k, values in params.items() for v in values if v != ""]
    return "?" + urlencode(pairs) if pairs else "?"


def _params(get: QueryDict) -> dict[str, list[str]]:
    """The query string's search parameters, normalised; the page number is dropped."""
    keep = {"q", "sort", *FACET_NAMES}
    return {
        k: [normalize_text(v)[:200] for v in get.getlist(k) if v.strip()] for k in get if k in keep
    }


def _toggle(params: dict[str, list[str]], field: str, value: str) -> str:
    changed = {k: list(v) for k, v in params.items()}
    values = changed.setdefault(field, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return _query_string(changed)


def _page_number(get: QueryDict) -> int:
    try:
        page = int(to_arabic_digits(get.get("page", "1")))
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


def _datasets(ids: list[uuid.UUID]) -> list[Dataset]:
    public = Resource.objects.filter(state=State.ACTIVE, resource_private=False).only(
        "id", "dataset_id", "format", "position"
    )
    found = (
        Dataset.objects.filter(pk__in=ids)
        .select_related("owner_org")
        .prefetch_related(
            "tags", Prefetch("resources", queryset=public, to_attr="public_resources")
        )
    )
    by_id = {d.pk: d for d in found}
    datasets: list[Dataset] = [by_id[i] for i in ids if i in by_id]
    for dataset in datasets:
        formats = {(r.format or "").upper() for r in getattr(dataset, "public_resources", [])}
        dataset.formats = sorted(f for f in formats if f)  # type: ignore[attr-defined]
    return datasets


def search_context(
    request: HttpRequest, *, fixed: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything the results block shows; `fixed` facets (an organization's page) always apply
    and are not offered as filters."""
    fixed = dict(fixed or {})
    params = _params(request.GET)
    q = params.get("q", [""])[0] if params.get("q") else ""
    sort_key = (params.get("sort") or [""])[0]
    if sort_key not in SORT_BY_KEY:
        sort_key = "relevance" if q else "modified"
    page = _page_number(request.GET)
    fq_list = [f"{k}:{_quote(v)}" for k, v in fixed.items()]
    fq_list += [f"{k}:{_quote(v)}" for k in FACET_NAMES for v in params.get(k, [])]
    error = ""
    try:
        result = dataset_search(
            user=request.user,
            q=q,
            fq_list=fq_list,
            sort=SORT_BY_KEY[sort_key],
            rows=PAGE_SIZE,
            start=(page - 1) * PAGE_SIZE,
            facet_fields=[f for f in FACET_NAMES if f not in fixed],
            facet_limit=50,
            # Only catalog editors get more than public datasets from these two.
            include_private=True,
            include_drafts=True,
        )
        count, ids, facets = result.count, list(result.ids), result.facets
    except SearchQueryError as exc:
        error, count, ids, facets = exc.message, 0, [], {}
    facet_blocks = []
    for field, label in FACETS:
        if field in fixed:
            continue
        chosen = params.get(field, [])
        items = [
            FacetLink(
                name=item.name,
                label=item.display_name or item.name,
                count=item.count,
                active=item.name in chosen,
                url=_toggle(params, field, item.name),
            )
            for item in facets.get(field, [])
        ]
        # A chosen value the search no longer counts (0 results) must still be removable.
        listed = {i.name for i in items}
        items += [
            FacetLink(name=v, label=v, count=0, active=True, url=_toggle(params, field, v))
            for v in chosen
            if v not in listed
        ]
        if items:
            facet_blocks.append(
                {"field": field, "label": label, "items": items, "shown": FACET_SHOWN}
            )
    active = [
        {"field": field, "label": label, "value": v, "url": _toggle(params, field, v)}
        for field, label in FACETS
        for v in params.get(field, [])
    ]
    pages = max(1, min(MAX_PAGE, -(-count // PAGE_SIZE)))
    base = {k: v for k, v in params.items()}
    return {
        "q": q,
        "sort_key": sort_key,
        "sorts": [(key, label) for key, _ckan, label in SORTS],
        "facet_params": [(k, v) for k in FACET_NAMES for v in params.get(k, [])],
        "count": count,
        "datasets": _datasets(ids),
        "facets": facet_blocks,
        "active_filters": active,
        "clear_url": _query_string({"q": [q]} if q else {}),
        "search_error": error,
        "page": page,
        "pages": pages,
        "prev_url": _query_string({**base, "page": [str(page - 1)]}) if page > 1 else "",
        "next_url": _query_string({**base, "page": [str(page + 1)]}) if page < pages else "",
        "first_shown": (page - 1) * PAGE_SIZE + 1 if ids else 0,
        "last_shown": (page - 1) * PAGE_SIZE + len(ids),
        "page_title": _("ชุดข้อมูล"),
    }
