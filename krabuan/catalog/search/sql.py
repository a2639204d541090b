"""The statements of a search: the page of ids, and the count (search/counting.py reads the
facet values of the matches).

Both start from the same place: the text matches (when the request has words) joined to the
datasets, then the request's other conditions (compiled by Django, inlined as a WHERE on the
unaliased `catalog_dataset`). Starting from the matches keeps SQLite, which has no planner
statistics, from scanning every active dataset to test each against the match list.

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

from krabuan.catalog.models import Dataset
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
    facets_sql: str = ""  # the link-table facet keys when the FROM has them at hand


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
            facets_sql="s.facet_keys",
        )
    ranked = ", k.title AS title, bm25(catalog_search_fts, 4, 4, 3, 2, 2, 2, 1) AS rank"
    hits = (
        f"SELECT k.dataset_id AS dataset_id, k.facets AS facets{ranked if rank else ''} "
        "FROM catalog_search_fts "
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
        facets_sql="h.facets",
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


def count_sql(src: Source) -> tuple[str, list[Any]]:
    """How many datasets match (a request without facets, such as a harvester's page); with
    facets, search/counting.py counts the matches' rows instead."""
    return f"SELECT COUNT(*) FROM {src.from_sql} WHERE {src.where_sql}", [*src.params]


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
# The dataset columns a compiled WHERE names.
COLUMN_REF = re.compile(r'"catalog_dataset"\."(\w+)"')


def _pg_datasets(where: str, sort_columns: Sequence[str]) -> str:
    """The join from the matches to their datasets on PostgreSQL. When the conditions and the
    sort need only columns of the covering index, a plain join of those columns (the planner
    may read the index alone, by hash or by lookups); else the whole row, looked up per match
    (a hash join would read every wide dataset row)."""
    table = _q(DATASET)
    needed = {*COLUMN_REF.findall(where), *sort_columns, *_BASE_COLUMNS}
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
