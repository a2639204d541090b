"""Facet counts per visibility class, kept as totals (FacetTotal), for searches without words.

The portal's first page and `package_search?q=*:*` count facets over every visible dataset
(14,000 of 20,000 in the benchmark); counting them row by row takes longer than the page may.
These totals answer them from a few rows instead. A visibility class is (state, private,
allow_harvest), the only columns such a search filters on.

Exactness: `record` runs in the transaction that rewrites a dataset's search document (every
service change), subtracts what the dataset was counted with (stored on its DatasetFacetKeys
row) and adds what it is counted with now. `rebuild` recounts everything from those rows
(`krabuan catalog_reindex`), and the tests hold the totals equal to a count of the rows."""
# ruff: noqa: S608

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from krabuan.catalog.models import Dataset, DatasetFacetKeys, FacetTotal, State
from krabuan.catalog.search.counting import PREFIX, SEPARATOR, clean, hex_id, link_keys
from krabuan.catalog.search.sql import COLUMN_REF

TOTALS = FacetTotal._meta.db_table
DATASET = Dataset._meta.db_table
COUNT = ""  # the key that counts the datasets of a class
_VISIBILITY_COLUMNS = ("state", "private", "allow_harvest")


def visibility(state: str, private: Any, allow_harvest: Any) -> str:
    return f"{state}|{int(bool(private))}|{int(bool(allow_harvest))}"


def counted_keys(dataset: Dataset) -> list[str]:
    """Every facet value of a dataset as a key (loaded with its tags, groups and resources), as
    counting.row_keys makes them from its row."""
    keys = [PREFIX["organization"] + hex_id(dataset.owner_org_id)] if dataset.owner_org_id else []
    for field in ("license_id", "data_type", "data_category", "data_classification"):
        if value := clean(getattr(dataset, field)):
            keys.append(PREFIX[field] + value)
    keys.append(PREFIX["private"] + ("true" if dataset.private else "false"))
    return keys + link_keys(dataset)


def record(datasets: Sequence[Dataset]) -> list[DatasetFacetKeys]:
    """The new DatasetFacetKeys rows of these datasets, after moving the totals from what each
    was counted with to what it is counted with now (inside the caller's transaction)."""
    ids = [d.pk for d in datasets]
    before = {
        row.pk: row
        for row in DatasetFacetKeys.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    delta: Counter[tuple[str, str]] = Counter()
    rows = []
    for dataset in datasets:
        if (old := before.get(dataset.pk)) is not None and old.visibility:
            for key in [COUNT, *filter(None, old.counted.split(SEPARATOR))]:
                delta[(old.visibility, key)] -= 1
        klass = visibility(dataset.state, dataset.private, dataset.allow_harvest)
        keys = counted_keys(dataset)
        for key in [COUNT, *keys]:
            delta[(klass, key)] += 1
        rows.append(
            DatasetFacetKeys(
                dataset_id=dataset.pk,
                keys=SEPARATOR.join(link_keys(dataset)),
                visibility=klass,
                counted=SEPARATOR.join(keys),
            )
        )
    _apply(delta)
    return rows


def _apply(delta: Counter[tuple[str, str]]) -> None:
    # One statement per 500 keys, in key order (two writers lock rows in the same order).
    changes = sorted((k, n) for k, n in delta.items() if n)
    for start in range(0, len(changes), 500):
        chunk = changes[start : start + 500]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params: list[Any] = [p for (klass, key), n in chunk for p in (klass, key, n)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TOTALS} (visibility, key, n) VALUES {values} "
                f"ON CONFLICT (visibility, key) DO UPDATE SET n = {TOTALS}.n + excluded.n",
                params,
            )


def _recount() -> Counter[tuple[str, str]]:
    """The totals as the datasets' stored keys add up."""
    counted_now: Counter[tuple[str, str]] = Counter()
    for klass, counted in DatasetFacetKeys.objects.exclude(visibility="").values_list(
        "visibility", "counted"
    ):
        for key in [COUNT, *filter(None, counted.split(SEPARATOR))]:
            counted_now[(klass, key)] += 1
    return counted_now


@transaction.atomic
def rebuild() -> int:
    """Recount every total from the datasets' stored keys; the number of total rows."""
    FacetTotal.objects.all().delete()
    _apply(_recount())
    return FacetTotal.objects.count()


def differences() -> list[tuple[str, str, int, int]]:
    """(visibility, key, stored, recounted) of every total that differs from a recount of the
    stored keys, and of every dataset whose stored keys are missing or out of date (key
    "dataset:<id>"): empty when the totals are exact."""
    stored = Counter(
        {(v, k): n for v, k, n in FacetTotal.objects.values_list("visibility", "key", "n") if n}
    )
    expected = _recount()
    out = [
        (klass, key, stored.get((klass, key), 0), expected.get((klass, key), 0))
        for klass, key in sorted(set(stored) | set(expected))
        if stored.get((klass, key), 0) != expected.get((klass, key), 0)
    ]
    keyed = dict(DatasetFacetKeys.objects.values_list("dataset_id", "visibility"))
    for pk, state, private, harvest in Dataset.objects.values_list(
        "pk", "state", "private", "allow_harvest"
    ):
        if keyed.get(pk) != visibility(state, private, harvest):
            out.append(("", f"dataset:{pk}", 0, 1))
    return out


def _classes() -> list[tuple[str, bool, bool]]:
    return [(s, p, h) for s in State.values for p in (False, True) for h in (False, True)]


def matching_classes(where: str, params: Sequence[Any]) -> list[str] | None:
    """The visibility classes a search's WHERE (on the dataset table) lets through, or None
    when it looks at anything else (then only a count of the rows is right)."""
    columns = set(COLUMN_REF.findall(where))
    if not columns <= set(_VISIBILITY_COLUMNS) or "SELECT" in where.upper():
        return None
    if where.strip() == "1 = 1":
        return [visibility(*c) for c in _classes()]
    classes = _classes()
    values = ", ".join(["(%s, %s, %s)"] * len(classes))
    names = ", ".join(connection.ops.quote_name(c) for c in _VISIBILITY_COLUMNS)
    table = connection.ops.quote_name(DATASET)
    sql = f"WITH {table} ({names}) AS (VALUES {values}) SELECT {names} FROM {table} WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for c in classes for v in c] + list(params))
        return [visibility(*row) for row in cursor.fetchall()]


def totals(classes: Iterable[str]) -> Counter[str]:
    """The facet totals of these visibility classes, summed."""
    summed: Counter[str] = Counter()
    rows = FacetTotal.objects.filter(visibility__in=list(classes), n__gt=0).values_list("key", "n")
    for key, n in rows:
        summed[key] += n
    return summed
