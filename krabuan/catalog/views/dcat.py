"""DCAT endpoints: /catalog.{fmt} (paged) and /dataset/{id-or-name}.{fmt}."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_GET

from krabuan.catalog import dcat
from krabuan.catalog.models import Dataset
from krabuan.core.thai import to_arabic_digits


def _dataset(ref: str) -> Dataset:
    """A public dataset by id or by name (as ckanext-dcat accepts both)."""
    lookup: dict[str, object]
    try:
        lookup = {"id": uuid.UUID(ref)}
    except ValueError:
        lookup = {"name": ref}
    dataset = dcat.public_datasets().filter(**lookup).first()
    if dataset is None:
        raise Http404("ไม่พบชุดข้อมูล")
    return dataset


@require_GET
def dataset_rdf(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404("ไม่รองรับรูปแบบนี้")
    data, content_type = dcat.serialize(dcat.dataset_graph(_dataset(ref)), fmt)
    return HttpResponse(data, content_type=content_type)


def _modified_since(raw: str) -> dt.datetime | None:
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(to_arabic_digits(raw.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


@require_GET
def catalog_rdf(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404("ไม่รองรับรูปแบบนี้")
    raw_page = to_arabic_digits(request.GET.get("page", "1") or "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        return HttpResponseBadRequest("page: ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
    raw_since = request.GET.get("modified_since", "")
    since = _modified_since(raw_since)
    if raw_since and since is None:
        return HttpResponseBadRequest("modified_since: วันที่ไม่ถูกต้อง (ISO 8601)")
    extra = ("&" + urlencode({"modified_since": raw_since})) if raw_since else ""
    result = dcat.catalog_graph(page=int(raw_page), modified_since=since, base_query=extra)
    data, content_type = dcat.serialize(result.graph, fmt)
    return HttpResponse(data, content_type=content_type)
