"""package_search: CKAN's parameters over the catalog's Thai-aware search
(`search.query.dataset_search`); results are the same dicts as package_show."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError

from krabuan.catalog import dictize
from krabuan.catalog.ckan import access
from krabuan.catalog.ckan.errors import SearchFailed
from krabuan.catalog.ckan.params import (
    ROWS_MAX,
    as_bool,
    as_int,
    as_json_str_list,
    as_str,
    as_str_list,
)
from krabuan.catalog.ckan.registry import ActionContext, action
from krabuan.catalog.search.query import SearchResult, dataset_search

DEFAULT_FACET_LIMIT = 50  # a negative facet.limit means unlimited, as in CKAN
# Solr's match-everything query, which clients send for "no query".
MATCH_ALL = {"*:*", '""', "''", "*"}


def _fields(fl: str) -> list[str]:
    return [f for f in fl.replace(",", " ").split() if f]


@action(side_effect_free=True)
def package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search for datasets; results are the same dictionaries package_show returns.

    Thai text is segmented into words (PyThaiNLP newmm), so a word inside a title is found.

    :param q: the search query (optional, default: ``*:*``); ``field:value`` terms work
    :type q: string
    :param fq: filter query, e.g. ``organization:x -tags:y`` or
        ``metadata_modified:[2024-01-01T00:00:00Z TO *]`` (optional)
    :type fq: string
    :param fq_list: more filter queries, each applied with AND (optional)
    :type fq_list: list of strings
    :param sort: e.g. ``id asc``, ``metadata_modified desc``, ``title_string asc``, ``name asc``
        (optional, default: ``score desc, metadata_modified desc``)
    :type sort: string
    :param rows: the maximum number of matching rows (datasets) to return
        (optional, default: ``10``, upper limit: ``1000``, larger values are clamped)
    :type rows: int
    :param start: the offset in the complete result for where the set of returned datasets
        should begin (optional, default: ``0``)
    :type start: int
    :param facet: whether to enable faceted results (optional, default: ``True``)
    :type facet: string
    :param facet.field: the fields to facet on, as a JSON list string, e.g.
        ``["tags", "organization", "res_format", "data_type"]`` (optional)
    :type facet.field: list of strings
    :param facet.limit: the maximum number of values per facet; a negative value means
        unlimited (optional, default: ``50``)
    :type facet.limit: int
    :param facet.mincount: the minimum count a facet value needs to be listed
        (optional, default: ``1``)
    :type facet.mincount: int
    :param include_private: include the private datasets the caller may edit
        (optional, default: ``False``)
    :type include_private: bool
    :param include_drafts: include the caller's draft datasets (optional, default: ``False``)
    :type include_drafts: bool
    :param include_deleted: include deleted datasets (tombstones, ``state: deleted``) so that
        harvesters can reconcile (optional, default: ``False``)
    :type include_deleted: bool
    :param fl: return only these fields of each dataset (comma or space separated) (optional)
    :type fl: string
    :returns: ``count``, ``results``, ``facets`` (deprecated), ``search_facets`` and ``sort``
    :rtype: dictionary
    """
    q = as_str(data, "q").strip()
    facet_fields = as_json_str_list(data, "facet.field") if as_bool(data, "facet", True) else []
    rows = as_int(data, "rows", 10, minimum=0)
    arguments: dict[str, Any] = {
        "user": ctx.user,
        "q": "" if q in MATCH_ALL else q,
        "fq": as_str(data, "fq"),
        "fq_list": [*as_str_list(data, "fq_list"), *access.harvest_fq(ctx.user)],
        "sort": as_str(data, "sort").strip() or None,
        "rows": min(rows if rows is not None else 10, ROWS_MAX),
        "start": as_int(data, "start", 0, minimum=0) or 0,
        "facet_fields": facet_fields,
        "facet_limit": as_int(data, "facet.limit", DEFAULT_FACET_LIMIT, minimum=-(2**31)),
        "facet_mincount": as_int(data, "facet.mincount", 1, minimum=0),
        "include_private": as_bool(data, "include_private"),
        "include_drafts": as_bool(data, "include_drafts"),
        "include_deleted": as_bool(data, "include_deleted"),
    }
    try:
        found = dataset_search(**arguments)
    except DatabaseError as exc:
        # The engine refused the query (e.g. a full-text expression it cannot run): CKAN's
        # "Search Error", which a client may retry with a simpler query.
        raise SearchFailed(f"ค้นหาไม่สำเร็จ ({type(exc).__name__})") from None
    results = dictize.dataset_dicts(list(found.ids), user=ctx.user)
    fields = _fields(as_str(data, "fl"))
    if fields and fields != ["*"]:
        results = [{f: r[f] for f in fields if f in r} for r in results]
    facets, search_facets = _facets(found, facet_fields)
    return {
        "count": found.count,
        "facets": facets,
        "results": results,
        "sort": found.sort,
        "search_facets": search_facets,
    }


def _facets(
    found: SearchResult, facet_fields: list[str]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """CKAN's deprecated `facets` ({value: count}) and `search_facets` (titled item lists)."""
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for field in facet_fields:
        items = found.facets.get(field, [])
        facets[field] = {item.name: item.count for item in items}
        # CKAN lists facet items by display name, descending.
        ordered = sorted(items, key=lambda i: str(i.display_name or i.name), reverse=True)
        listed = [
            {"name": i.name, "display_name": i.display_name or i.name, "count": i.count}
            for i in ordered
        ]
        search_facets[field] = {"title": field, "items": listed}
    return facets, search_facets
