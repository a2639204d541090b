"""The two statements of a search: the page of ids, and the count with every facet at once.

Both start from the same place: the text matches (when the request has words) joined to the
datasets, then the request's other conditions (compiled by Django, inlined as a WHERE on the
unaliased `catalog_dataset`). Starting from the matches keeps SQLite, which has no planner
statistics, from scanning every active dataset to test each against the match list. The count
and the facets read one MATERIALIZED common table of the filtered datasets, so the text match
and the filters are evaluated once per request, not once per facet.

Every statement here is assembled from constants, Django's compiled WHERE and table names from
the models; every value goes as a parameter."""
# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from krabuan.catalog.models import Dataset, Group, Organization, Resource, State, Tag
from krabuan.catalog.search import engine
from krabuan.catalog.search.engine import TextQuery

DATASET = Dataset._meta.db_table
_q = connection.ops.quote_name


@dataclass(frozen=True)
class Source:
    """FROM and WHERE of the filtered datasets (the dataset table keeps its own name)."""

    from_sql: str
    where_sql: str
    params: list[Any]  # the FROM's, then the WHERE's
    ranked: bool  # exposes `rank` (higher is better) and the search doc as `s`
    rank_sql: str = ""
    title_sql: str = "s.title"  # the title's terms joined by spaces
    rank_params: tuple[Any, ...] = ()


class NoResults(Exception):
    """The conditions can match nothing (Django's EmptyResultSet): no query is needed."""


def where_of(datasets: QuerySet[Dataset]) -> tuple[str, list[Any]]:
    """The WHERE of a dataset queryset, written against the unaliased dataset table; a
    queryset with joins is wrapped as `id IN (…)` instead."""
    query = datasets.query
    compiler = query.get_compiler(connection=connection)
    joined = [a for a in query.alias_map if a != DATASET and query.alias_refcount.get(a)]
    try:
        if joined or query.base_table != DATASET:
            sql, params = datasets.order_by().values("pk").query.sql_with_params()
            return f"{_q(DATASET)}.{_q('id')} IN ({sql})", list(params)
        if not query.where:
            return "1 = 1", []
        sql, params = compiler.compile(query.where)
        return sql, list(params)
    except EmptyResultSet:
        raise NoResults from None
    except FullResultSet:
        return "1 = 1", []


def source(
    datasets: QuerySet[Dataset],
    queries: Sequence[TextQuery],
    *,
    rank: bool,
    sort_columns: Sequence[str] = (),
) -> Source:
    """The filtered datasets, matching every text query (ranked when asked)."""
    where, where_params = where_of(datasets)
    table = f"{_q(DATASET)}"
    if not queries:
        return Source(from_sql=table, where_sql=where, params=where_params, ranked=False)
    if engine.vendor() == "postgresql":
        tsquery = engine.tsquery_expression(queries)
        return Source(
            from_sql="catalog_datasetsearchdoc s " + _pg_datasets(where, sort_columns),
            where_sql=f"s.document @@ %s::tsquery AND ({where})",
            params=[tsquery, *where_params],
            ranked=rank,
            rank_sql=f"ts_rank_cd('{engine.PG_RANK_WEIGHTS}', s.document, %s::tsquery, 1)",
            rank_params=(tsquery,),
        )
    ranked = ", k.title AS title, bm25(catalog_search_fts, 4, 4, 3, 2, 2, 2, 1) AS rank"
    hits = (
        f"SELECT k.dataset_id AS dataset_id{ranked if rank else ''} FROM catalog_search_fts "
        "JOIN catalog_search_fts_key k ON k.id = catalog_search_fts.rowid "
        "WHERE catalog_search_fts MATCH %s"
    )
    # CROSS JOIN: SQLite keeps the matches as the outer loop.
    return Source(
        from_sql=f"({hits}) h CROSS JOIN {table} ON {table}.id = h.dataset_id",
        where_sql=where,
        params=[engine.fts5_expression(queries), *where_params],
        ranked=rank,
        rank_sql="-h.rank",  # bm25: lower is better
        title_sql="h.title",
    )


def page_sql(
    src: Source, *, order: Sequence[tuple[str, bool]], title: str, limit: int, offset: int
) -> tuple[str, list[Any]]:
    """One page of ids in the sort order; "score" is the exact title, then the query as words
    of the title, then the engine's rank."""
    keys: list[tuple[str, str]] = []  # (expression, direction)
    params: list[Any] = []
    position = "strpos" if engine.vendor() == "postgresql" else "instr"
    contains = f"{position}(' ' || {src.title_sql} || ' ', %s) > 0"
    for column, descending in order:
        direction = "DESC" if descending else "ASC"
        if column == "score":
            if not src.ranked:
                continue
            if title:
                tier = f"CASE WHEN {src.title_sql} = %s THEN 2 WHEN {contains} THEN 1 ELSE 0 END"
                keys.append((tier, direction))
                params += [title, f" {title} "]
            keys.append((src.rank_sql, direction))
            params += list(src.rank_params)
        else:
            keys.append((f"{_q(DATASET)}.{_q(column)}", direction))
    if not any(column == "id" for column, _desc in order):
        keys.append((f"{_q(DATASET)}.{_q('id')}", "ASC"))
    dataset_id = f"{_q(DATASET)}.{_q('id')}"
    if not src.ranked:
        sql = (
            f"SELECT {dataset_id} FROM {src.from_sql} WHERE {src.where_sql} ORDER BY "
            + ", ".join(f"{expr} {direction}" for expr, direction in keys)
            + " LIMIT %s OFFSET %s"
        )
        return sql, [*src.params, limit, offset]
    # Ranked: the sort keys of every match first, narrow rows in a table of their own, so the
    # sort never carries the documents (PostgreSQL would spill them to disk).
    columns = ", ".join(f"{expr} AS k{i}" for i, (expr, _d) in enumerate(keys))
    sql = (
        f"WITH ranked AS {_materialized()}(SELECT {dataset_id} AS id, {columns} "
        f"FROM {src.from_sql} WHERE {src.where_sql}) SELECT id FROM ranked ORDER BY "
        + ", ".join(f"k{i} {direction}" for i, (_e, direction) in enumerate(keys))
        + " LIMIT %s OFFSET %s"
    )
    return sql, [*params, *src.params, limit, offset]


# --- count and facets ------------------------------------------------------------------------

_BASE_COLUMNS = (
    "id",
    "owner_org_id",
    "license_id",
    "data_type",
    "data_category",
    "data_classification",
    "private",
)
_PLAIN = ("license_id", "data_type", "data_category", "data_classification")


def _facet_select(field: str) -> tuple[str, list[Any]]:
    """SELECT field, value, label, n over `base b`, values counted at least %s times. Rows are
    grouped by key first and named after, so the names are looked up once per value."""
    if field in ("organization", "groups", "tags"):
        if field == "organization":
            grouped = (
                "SELECT b.owner_org_id AS k, COUNT(*) AS n FROM base b GROUP BY b.owner_org_id"
            )
            target, label = Organization._meta.db_table, "t.title"
        else:
            related = Dataset.groups if field == "groups" else Dataset.tags
            key = "group_id" if field == "groups" else "tag_id"
            grouped = (
                f"SELECT x.{key} AS k, COUNT(*) AS n FROM base b "
                + _each(_q(related.through._meta.db_table), "x", "x.dataset_id = b.id", key)
                + f" GROUP BY x.{key}"
            )
            target = (Group if field == "groups" else Tag)._meta.db_table
            label = "t.title" if field == "groups" else "t.name"
        return (
            f"SELECT '{field}' AS field, t.name AS value, {label} AS label, c.n AS n "
            f"FROM ({grouped} HAVING COUNT(*) >= %s) c JOIN {_q(target)} t ON t.id = c.k",
            [],
        )
    if field == "res_format":
        resource = _q(Resource._meta.db_table)
        # A private resource (resource_private) does not show its format to the public.
        return (
            "SELECT 'res_format' AS field, UPPER(r.format) AS value, UPPER(r.format) AS label, "
            "COUNT(DISTINCT r.dataset_id) AS n FROM base b "
            + _each(
                resource,
                "r",
                "r.dataset_id = b.id AND r.resource_private = %s AND r.state <> %s "
                "AND r.format <> ''",
                "dataset_id, format",
            )
            + " GROUP BY UPPER(r.format) HAVING COUNT(DISTINCT r.dataset_id) >= %s",
            [False, State.DELETED.value],
        )
    if field == "private":
        flag = "CASE WHEN b.private THEN 'true' ELSE 'false' END"
        return (
            f"SELECT 'private' AS field, {flag} AS value, {flag} AS label, COUNT(*) AS n "
            f"FROM base b GROUP BY {flag} HAVING COUNT(*) >= %s",
            [],
        )
    assert field in _PLAIN
    return (
        f"SELECT '{field}' AS field, b.{field} AS value, b.{field} AS label, COUNT(*) AS n "
        f"FROM base b WHERE b.{field} <> '' GROUP BY b.{field} HAVING COUNT(*) >= %s",
        [],
    )


FACET_FIELDS = ("organization", "groups", "tags", "res_format", "private", *_PLAIN)


def stats_sql(
    src: Source, *, fields: Sequence[str], limit: int, mincount: int
) -> tuple[str, list[Any]]:
    """Rows (field, value, label, n): the count first (field ""), then each facet's values,
    most frequent first, at least `mincount`, at most `limit` (all when negative)."""
    if not fields:  # the count alone (the harvester's pages): no table to share
        return (
            "SELECT '' AS field, '' AS value, '' AS label, COUNT(*) AS n "
            f"FROM {src.from_sql} WHERE {src.where_sql}",
            [*src.params],
        )
    columns = ", ".join(f"{_q(DATASET)}.{_q(c)} AS {c}" for c in _BASE_COLUMNS)
    sql = [
        f"WITH base AS {_materialized()}(SELECT {columns} FROM {src.from_sql} "
        f"WHERE {src.where_sql}) "
        "SELECT '' AS field, '' AS value, '' AS label, COUNT(*) AS n FROM base"
    ]
    params: list[Any] = [*src.params]
    for number, field in enumerate(fields):
        select, select_params = _facet_select(field)
        top = f" LIMIT {int(limit)}" if limit >= 0 else ""
        sql.append(f"SELECT * FROM ({select} ORDER BY n DESC, value{top}) f{number}")
        params += [*select_params, max(1, mincount)]
    return " UNION ALL ".join(sql), params


# The columns of the covering index catalog_search_visible_by_id (migration 0002).
_COVERED = frozenset(
    {
        "id",
        "state",
        "private",
        "allow_harvest",
        "owner_org_id",
        "license_id",
        "data_type",
        "data_category",
        "data_classification",
        "metadata_modified",
    }
)
_COLUMN_REF = re.compile(r'"catalog_dataset"\."(\w+)"')


def _pg_datasets(where: str, sort_columns: Sequence[str]) -> str:
    """The join from the matches to their datasets on PostgreSQL. When the conditions and the
    sort need only columns of the covering index, a plain join of those columns (the planner
    may read the index alone, by hash or by lookups); else the whole row, looked up per match
    (a hash join would read every wide dataset row)."""
    table = _q(DATASET)
    needed = {*_COLUMN_REF.findall(where), *sort_columns, *_BASE_COLUMNS}
    if needed <= _COVERED:
        columns = ", ".join(f"d.{_q(c)}" for c in sorted(needed))
        return f"JOIN (SELECT {columns} FROM {table} d) {table} ON {table}.id = s.dataset_id"
    return _each(table, "d", "d.id = s.dataset_id", "*", alias_as=table)


def _each(table: str, alias: str, condition: str, columns: str, *, alias_as: str = "") -> str:
    """Join `table` row by row to what comes before (an index lookup per row, the left side as
    the outer loop). Without it SQLite would rather scan a whole link table in key order (to
    skip a sort), and PostgreSQL hash every row of it, to count the links of a few datasets.
    `alias_as` names the PostgreSQL subquery (default: `alias`)."""
    if engine.vendor() == "postgresql":
        # LATERAL with OFFSET 0: a parameterised index scan the planner cannot flatten away.
        return (
            f"CROSS JOIN LATERAL (SELECT {columns} FROM {table} {alias} WHERE {condition} "
            f"OFFSET 0) {alias_as or alias}"
        )
    return f"CROSS JOIN {table} {alias} ON {condition}"


def _materialized() -> str:
    """`MATERIALIZED ` where the database knows the hint (SQLite 3.35+, PostgreSQL 12+)."""
    if engine.vendor() == "sqlite":
        known = connection.Database.sqlite_version_info >= (3, 35, 0)  # type: ignore[attr-defined]
        return "MATERIALIZED " if known else ""
    return "MATERIALIZED " if engine.vendor() == "postgresql" else ""
