"""The database's own full-text engine, one dialect per vendor: writing the index and the SQL of
a text match and its rank.

SQLite: the FTS5 table `catalog_search_fts` (tokenizer `ascii`: our terms are already cut, it
only splits on spaces), its rowid mapped to the dataset by `catalog_search_fts_key`, ranked with
`bm25()`. PostgreSQL: the `document` tsvector column of `catalog_datasetsearchdoc` with a GIN
index, written as a literal we build (weights A name/title, B tags, C groups/organization, D
notes and compound parts), ranked with `ts_rank_cd`. Both made by migration 0002_search."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

FTS_TABLE = "catalog_search_fts"
KEY_TABLE = "catalog_search_fts_key"
DOC_TABLE = "catalog_datasetsearchdoc"
# Column order of the FTS table; the weights are CKAN's qf (name^4 title^4 tags^3 groups^2
# organization^2 notes^2), and the inner words of compounds count least.
COLUMNS = ("name", "title", "tags", "groups", "organization", "notes", "parts")
# bm25() weights, in COLUMNS order (written out in ranked_page_sql).
BM25_WEIGHTS = (4, 4, 3, 2, 2, 2, 1)
PG_WEIGHT = {
    "name": "A",
    "title": "A",
    "tags": "B",
    "groups": "C",
    "organization": "C",
    "notes": "D",
    "parts": "D",
}
# ts_rank_cd's weights in the order {D, C, B, A}: notes^2 groups^2 tags^3 title^4, scaled to 1.
PG_RANK_WEIGHTS = "{0.5, 0.5, 0.75, 1.0}"
_PG_FIELD_GAP = 8  # positions between fields, so a phrase never spans two of them
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS_PER_LEXEME = 256
_PG_MAX_LEXEME_BYTES = 2046


@dataclass(frozen=True)
class TextQuery:
    """Terms that must all match (each as a prefix), or a phrase (words side by side, the last
    one a prefix), in some columns."""

    terms: tuple[str, ...]
    phrase: bool = False
    columns: tuple[str, ...] = ()  # empty: every column


def vendor() -> str:
    return str(connection.vendor)


def db_id(pk: uuid.UUID) -> object:
    """A dataset id as the raw SQL of this database compares it (SQLite stores hex text)."""
    return pk.hex if vendor() == "sqlite" else pk


def py_id(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# --- writing -------------------------------------------------------------------------------


def write(
    rows: Sequence[tuple[uuid.UUID, dict[str, list[str]]]], facets: dict[Any, str] | None = None
) -> None:
    """Replace the index entries of these datasets (their search docs must exist already);
    `facets` are their link-table facet keys (counting.link_keys), by dataset id."""
    if not rows:
        return
    if vendor() == "sqlite":
        _sqlite_write(rows, facets or {})
    elif vendor() == "postgresql":
        _pg_write(rows)


def _sqlite_write(
    rows: Sequence[tuple[uuid.UUID, dict[str, list[str]]]], facets: dict[Any, str]
) -> None:
    hexes = [pk.hex for pk, _fields in rows]
    with connection.cursor() as cursor:
        keys = _sqlite_keys(cursor, hexes)
        cursor.executemany(
            "DELETE FROM catalog_search_fts WHERE rowid = %s", [(k,) for k in keys.values()]
        )
        missing = [(h,) for h in hexes if h not in keys]
        if missing:
            cursor.executemany(
                "INSERT INTO catalog_search_fts_key (dataset_id) VALUES (%s)", missing
            )
            keys = _sqlite_keys(cursor, hexes)
        # The title's terms and the facet keys beside the key: ranking and facet counting
        # read them for every match, and the key rows are narrow where the search documents
        # are not (and found by integer rowid, where the facet keys' own table is not).
        cursor.executemany(
            "UPDATE catalog_search_fts_key SET title = %s, facets = %s WHERE id = %s",
            [
                (" ".join(fields.get("title", [])), facets.get(pk, ""), keys[pk.hex])
                for pk, fields in rows
            ],
        )
        cursor.executemany(
            "INSERT INTO catalog_search_fts "
            '(rowid, name, title, tags, "groups", organization, notes, parts) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (keys[pk.hex], *(" ".join(fields.get(c, [])) for c in COLUMNS))
                for pk, fields in rows
            ],
        )


def _sqlite_keys(cursor: object, hexes: list[str]) -> dict[str, int]:
    marks = ", ".join(["%s"] * len(hexes))
    sql = "SELECT dataset_id, id FROM catalog_search_fts_key WHERE dataset_id IN (%s)"
    cursor.execute(sql % marks, hexes)  # type: ignore[attr-defined]
    return {str(h): int(i) for h, i in cursor.fetchall()}  # type: ignore[attr-defined]


def tsvector_literal(fields: dict[str, list[str]]) -> str:
    """The fields' terms as a tsvector literal with positions and weights (PostgreSQL's own
    parser never sees the text: it would cut words differently from PyThaiNLP)."""
    positions: dict[str, list[str]] = {}
    position = 1
    for column in COLUMNS:
        weight = PG_WEIGHT[column]
        for term in fields.get(column, []):
            if position > _PG_MAX_POSITION:
                break
            if len(term.encode()) <= _PG_MAX_LEXEME_BYTES:
                found = positions.setdefault(term, [])
                if len(found) < _PG_MAX_POSITIONS_PER_LEXEME:
                    found.append(f"{position}{weight}")
            position += 1
        position += _PG_FIELD_GAP
    return " ".join(f"{_pg_quote(term)}:{','.join(p)}" for term, p in positions.items())


def _pg_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_write(rows: Sequence[tuple[uuid.UUID, dict[str, list[str]]]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE catalog_datasetsearchdoc SET document = %s::tsvector WHERE dataset_id = %s",
            [(tsvector_literal(fields), pk) for pk, fields in rows],
        )


def analyze() -> None:
    """PostgreSQL: fresh planner statistics after every search row was rewritten; with the old
    ones it estimates text matches wrongly and looks up documents one by one."""
    if vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE catalog_datasetsearchdoc, catalog_datasetfacetkeys, catalog_datasetlisting"
            )


def prune() -> int:
    """Drop index entries of datasets that no longer exist (SQLite; PostgreSQL's live on the
    search doc rows, which go with their dataset)."""
    if vendor() != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalog_search_fts_key "
            "WHERE dataset_id NOT IN (SELECT id FROM catalog_dataset)"
        )
        gone = [(row[0],) for row in cursor.fetchall()]
        cursor.executemany("DELETE FROM catalog_search_fts WHERE rowid = %s", gone)
        cursor.executemany("DELETE FROM catalog_search_fts_key WHERE id = %s", gone)
    return len(gone)


# --- matching ------------------------------------------------------------------------------


def _fts5_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_expression(queries: Iterable[TextQuery]) -> str:
    """An FTS5 MATCH expression: every query ANDed, every word a prefix."""
    parts = []
    for query in queries:
        if query.phrase:
            # Words side by side; the last one as a prefix, as every bare word is.
            body = _fts5_quote(" ".join(query.terms)) + "*"
        else:
            body = " AND ".join(f"{_fts5_quote(t)}*" for t in query.terms)
        if query.columns:
            body = "{" + " ".join(query.columns) + "} : (" + body + ")"
        parts.append(f"({body})")
    return " AND ".join(parts)


def tsquery_expression(queries: Iterable[TextQuery]) -> str:
    """The same as a tsquery literal; columns become weights."""
    parts = []
    for query in queries:
        weights = "".join(sorted({PG_WEIGHT[c] for c in query.columns}))
        if query.phrase:
            # Words side by side; the last one as a prefix, as every bare word is.
            words = [f"{_pg_quote(t)}:{weights}" if weights else _pg_quote(t) for t in query.terms]
            words[-1] = f"{_pg_quote(query.terms[-1])}:*{weights}"
            body = " <-> ".join(words)
        else:
            body = " & ".join(f"{_pg_quote(t)}:*{weights}" for t in query.terms)
        parts.append(f"({body})")
    return " & ".join(parts)


def match_ids_sql(queries: Sequence[TextQuery]) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the datasets matching every query (for `pk__in`)."""
    if vendor() == "postgresql":
        return (
            "SELECT dataset_id FROM catalog_datasetsearchdoc WHERE document @@ %s::tsquery",
            [tsquery_expression(queries)],
        )
    return (
        "SELECT k.dataset_id FROM catalog_search_fts JOIN catalog_search_fts_key k "
        "ON k.id = catalog_search_fts.rowid WHERE catalog_search_fts MATCH %s",
        [fts5_expression(queries)],
    )
