"""The count and facet counts of a search, counted in Python over one narrow row per match.

A grouped join per facet (tags, groups, resource formats) over thousands of matches took
100–200 ms on these cores: SQLite has no hash join and PostgreSQL hashes every link row. Each
dataset's link-table facet values are instead written beside its search document as one short
text (DatasetFacetKeys, by search/index.py in the same transaction), so a search reads the
matches' dataset columns and those keys in one statement and counts them here. A search
without words and without filters other than visibility reads totals instead (totals.py).

Every facet value is a key: a one-letter prefix per facet and the value (ids in hex).
Names and labels of organizations, groups and tags are looked up for the values that make the
cut only (one query per such facet), so a rename shows at once without reindexing."""
# ruff: noqa: S608

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from django.db import connection

from krabuan.catalog.models import Dataset, DatasetFacetKeys, Group, Organization, State, Tag
from krabuan.catalog.search.engine import py_id
from krabuan.catalog.search.sql import Source

DATASET = Dataset._meta.db_table
KEYS = DatasetFacetKeys._meta.db_table
_q = connection.ops.quote_name
SEPARATOR = "\t"
PREFIX = {
    "organization": "o",
    "groups": "g",
    "tags": "t",
    "res_format": "f",
    "private": "p",
    "license_id": "l",
    "data_type": "y",
    "data_category": "c",
    "data_classification": "s",
}
FACET_FIELDS = tuple(PREFIX)  # what facet.field may name
LINK_FIELDS = ("groups", "tags", "res_format")  # stored in DatasetFacetKeys.keys
# The dataset columns the rows statement reads for the other facets, in its order.
COLUMNS = ("owner_org_id", "license_id", "data_type", "data_category", "data_classification")
_NAMED = {
    "organization": (Organization, "title"),
    "groups": (Group, "title"),
    "tags": (Tag, "name"),
}


def clean(value: Any) -> str:
    """A facet value as a key holds it: one line, single spaces."""
    return " ".join(str(value or "").split())


def hex_id(value: Any) -> str:
    return py_id(value).hex


def link_keys(dataset: Dataset) -> list[str]:
    """The link-table facet keys of one dataset (loaded with its tags, groups and resources):
    groups and tags by id, the formats of the resources the public may see."""
    keys = [f"g{g.pk.hex}" for g in dataset.groups.all()]
    keys += [f"t{t.pk.hex}" for t in dataset.tags.all()]
    formats = {
        clean(r.format).upper()
        for r in dataset.resources.all()
        if r.format.strip() and r.state != State.DELETED and not r.resource_private
    }
    return keys + [f"f{name}" for name in sorted(formats)]


def rows_sql(src: Source) -> tuple[str, list[Any]]:
    """The dataset columns and stored link keys of every match."""
    table = _q(DATASET)
    columns = ", ".join(f"{table}.{_q(c)}" for c in (*COLUMNS, "private"))
    if src.facets_sql:  # the full-text rows carry them (search docs, SQLite's key rows)
        return (
            f"SELECT {columns}, {src.facets_sql} FROM {src.from_sql} WHERE {src.where_sql}",
            [*src.params],
        )
    return (
        f"SELECT {columns}, fk.keys FROM {src.from_sql} "
        f"LEFT JOIN {_q(KEYS)} fk ON fk.dataset_id = {table}.{_q('id')} "
        f"WHERE {src.where_sql}",
        [*src.params],
    )


def row_keys(rows: list[Sequence[Any]], fields: Sequence[str]) -> Counter[str]:
    """The facet keys of the requested fields, counted over the rows of `rows_sql`."""
    keys: Counter[str] = Counter()
    if any(field in LINK_FIELDS for field in fields):
        keys.update(chain.from_iterable((row[-1] or "").split(SEPARATOR) for row in rows))
    for field in fields:
        if field == "private":
            values: Counter[Any] = Counter("true" if row[5] else "false" for row in rows)
        elif field in COLUMNS or field == "organization":
            column = 0 if field == "organization" else COLUMNS.index(field)
            values = Counter(row[column] for row in rows)
        else:
            continue
        for value, n in values.items():
            if value is None or value == "":
                continue
            key = hex_id(value) if field == "organization" else clean(value)
            keys[PREFIX[field] + key] += n
    return keys


def _top(counts: Counter[str], *, limit: int, mincount: int) -> list[tuple[str, int]]:
    """Values counted at least `mincount` times, most frequent first; with a limit, only those
    that can make the cut (ties at the last place included) for the caller to order by name."""
    items = [(value, n) for value, n in counts.items() if n >= mincount and value]
    items.sort(key=lambda item: -item[1])
    if 0 <= limit < len(items):
        floor = items[limit - 1][1] if limit else None
        items = [item for item in items if floor is not None and item[1] >= floor]
    return items


def _named(model: Any, items: list[tuple[str, int]], label: str) -> list[tuple[str, str, int]]:
    """(name, label, n) of the ids that exist, from one query."""
    ids = [uuid.UUID(value) for value, _n in items]
    found = {
        pk: (name, title)
        for pk, name, title in model.objects.filter(pk__in=ids).values_list("pk", "name", label)
    }
    return [(*found[key], n) for key, (_value, n) in zip(ids, items, strict=True) if key in found]


def facet_rows(
    keys: Counter[str], *, fields: Iterable[str], limit: int, mincount: int
) -> list[tuple[str, str, str, int]]:
    """Rows (field, value, label, n) of each facet from counted keys: most frequent first, then
    by value, at least `mincount` (at least 1), at most `limit` (all when negative)."""
    mincount = max(1, mincount)
    out: list[tuple[str, str, str, int]] = []
    for field in fields:
        prefix = PREFIX[field]
        counts = Counter({key[1:]: n for key, n in keys.items() if key[:1] == prefix})
        items = _top(counts, limit=limit, mincount=mincount)
        if field in _NAMED:
            model, label = _NAMED[field]
            named = _named(model, items, label)
        else:
            named = [(value, value, n) for value, n in items]
        named.sort(key=lambda item: (-item[2], item[0]))
        if limit >= 0:
            named = named[:limit]
        out += [(field, name, label, n) for name, label, n in named]
    return out
