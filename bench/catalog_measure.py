"""The measurements of the catalog benchmark (bench/catalog.py runs them after django.setup()):
latency of each endpoint interleaved with the trivial one, the search layer alone, query counts,
and a full harvester paging run. All in process, through django.test.Client."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.report import say

TARGET_P95_MS = 100.0
TRIVIAL = "/api/3/action/status_show"
FACETS = '["organization","groups","tags","res_format","license_id"]'
# Thai queries as people type them: a broad word, a compound, an inner word, mixed Thai and
# English, Thai digits, a long run without spaces, a filter by organization.
QUERIES = (
    "ข้าว",
    "ข้าวหอมมะลิ",
    "มะลิ",
    "ราคา rice",
    "ทุเรียน ๒๕๖๗",
    "ผลผลิตยางพารารายจังหวัด",
    "ส่งออก",
    "ปาล์มน้ำมัน จันทบุรี",
)


def stats(samples: list[float]) -> dict[str, Any]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def _endpoints(names: list[str], harvestable: int) -> list[tuple[str, str, Callable[[int], str]]]:
    """(key, what it is, the URL of request number i)."""
    from urllib.parse import quote

    search = "/api/3/action/package_search"
    pages = max(1, harvestable // 100)
    return [
        (
            "search_thai",
            f"package_search, Thai q (rotating {len(QUERIES)}), facets {FACETS}, rows 10",
            lambda i: f"{search}?q={quote(QUERIES[i % len(QUERIES)])}&facet.field={quote(FACETS)}",
        ),
        (
            "search_all",
            "package_search, q=*:* with the same facets (the portal's first page)",
            lambda i: f"{search}?q=*:*&facet.field={quote(FACETS)}&rows=20",
        ),
        (
            "search_fq",
            "package_search, Thai q + fq organization OR, sort metadata_modified desc",
            lambda i: (
                f"{search}?q={quote(QUERIES[i % len(QUERIES)])}"
                f"&fq={quote('organization:oae OR organization:rice')}"
                f"&sort={quote('metadata_modified desc')}"
            ),
        ),
        (
            "harvest_page",
            "package_search rows=100 sort=id asc, a random page (harvester)",
            lambda i: f"{search}?rows=100&sort={quote('id asc')}&start={(i * 37 % pages) * 100}",
        ),
        (
            "package_show",
            "package_show by name (rotating)",
            lambda i: f"/api/3/action/package_show?id={names[i % len(names)]}",
        ),
        (
            "portal_search",
            "portal page /dataset/?q=… (HTML, facets, 20 per page)",
            lambda i: f"/dataset/?q={quote(QUERIES[i % len(QUERIES)])}",
        ),
    ]


def _client() -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def _get(client: Any, url: str) -> tuple[float, Any]:
    began = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed, response


def latency(names: list[str], harvestable: int, requests: int) -> dict[str, Any]:
    """Every endpoint's requests, each right after one to the trivial endpoint."""
    client = _client()
    endpoints = _endpoints(names, harvestable)
    for _round in range(3):  # warm caches, first query plans, lazy imports
        _get(client, TRIVIAL)
        for _key, _label, url in endpoints:
            _get(client, url(_round))
    own: dict[str, list[float]] = {key: [] for key, _l, _u in endpoints}
    trivial: dict[str, list[float]] = {key: [] for key, _l, _u in endpoints}
    errors: dict[str, str] = {}
    for i in range(requests):
        for key, _label, url in endpoints:
            if key in errors:
                continue
            try:
                trivial[key].append(_get(client, TRIVIAL)[0])
                own[key].append(_get(client, url(i))[0])
            except Exception as error:
                errors[key] = str(error)[:500]
                say(f"  {key}: {errors[key]}")
    rows = {}
    for key, label, _url in endpoints:
        mine, base = stats(own[key]), stats(trivial[key])
        rows[key] = {
            "label": label,
            "stats": mine,
            "trivial": base,
            "ratio_p50": round(mine["p50_ms"] / base["p50_ms"], 1) if mine["n"] else None,
            "p95_target_met": mine["p95_ms"] < TARGET_P95_MS if mine["n"] else None,
            "error": errors.get(key, ""),
        }
    all_trivial = [ms for samples in trivial.values() for ms in samples]
    return {"trivial": stats(all_trivial), "endpoints": rows}


def search_layer(requests: int) -> dict[str, Any]:
    """dataset_search alone (ids, count, facets; no dicts) for each Thai query."""
    from krabuan.catalog.search.query import dataset_search

    facets = json.loads(FACETS)
    out = {}
    for q in QUERIES:
        samples, count = [], 0
        for _ in range(max(5, requests // len(QUERIES))):
            began = time.perf_counter()
            result = dataset_search(
                user=None, q=q, facet_fields=facets, fq_list=["+allow_harvest:True"]
            )
            samples.append((time.perf_counter() - began) * 1000)
            count = result.count
        out[q] = stats(samples) | {"count": count}
    return out


def query_counts(names: list[str]) -> list[dict[str, Any]]:
    from urllib.parse import quote

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    search = "/api/3/action/package_search"
    checks = [
        (
            "package_search q=ข้าว + 5 facets",
            f"{search}?q={quote('ข้าว')}&facet.field={quote(FACETS)}",
        ),
        ("package_search sort=id asc (harvester)", f"{search}?sort={quote('id asc')}"),
    ]
    rows = []
    for name, url in checks:
        counts = {}
        for size in (10, 100):
            with CaptureQueriesContext(connection) as captured:
                _get(client, f"{url}&rows={size}")
            counts[size] = len(captured.captured_queries)
        rows.append({"request": name, "queries_10": counts[10], "queries_100": counts[100]})
    with CaptureQueriesContext(connection) as captured:
        _get(client, f"/api/3/action/package_show?id={names[0]}")
    rows.append({"request": "package_show", "queries": len(captured.captured_queries)})
    return rows


def harvest_run() -> dict[str, Any]:
    """The CKAN harvester's gather stage: pages of 100 by id until an empty page."""
    from urllib.parse import quote

    client = _client()
    seen: list[str] = []
    pages: list[float] = []
    began = time.perf_counter()
    start = 0
    while True:
        url = f"/api/3/action/package_search?rows=100&start={start}&sort={quote('id asc')}"
        elapsed, response = _get(client, url)
        pages.append(elapsed)
        results = response.json()["result"]["results"]
        if not results:
            break
        seen += [r["id"] for r in results]
        start += 100
    return {
        "seconds": round(time.perf_counter() - began, 2),
        "pages": len(pages),
        "datasets": len(seen),
        "distinct": len(set(seen)),
        "in_id_order": seen == sorted(seen),
        "page": stats(pages),
    }
