"""Case search over titles and references through a full-text index, instead of
`LIKE '%…%'` over every title (2 s at 200,000 cases).

The same code cuts the text at index time and at query time. It is normalised (NFC, Thai marks
in order, Thai digits as Arabic, lower case) and cut into runs of letters, digits and combining
marks; PyThaiNLP `newmm` cuts a Thai run into words.

- A title is indexed as the rest of each run from every word start, and from the inner word
  starts of compounds that newmm keeps whole: "เครื่องพิมพ์ไม่ทำงาน" gives เครื่องพิมพ์ไม่ทำงาน,
  พิมพ์ไม่ทำงาน, ไม่ทำงาน, ทำงาน and งาน. Each word of the query must be the start of one of
  these terms, so "พิมพ์" finds the title, and "แผนพัฒนา" finds "แผนพัฒนารายบุคคล" whether
  newmm cuts either of them into one word or two.
- A reference is indexed as its runs joined from each run on (C10-2567-00012 gives
  c10256700012, 256700012 and 00012), and the query's runs joined must be the start of one of
  them: "C10-2567-", "c10-2567-0001" and "2567-00012" work as they did with `LIKE`.

A case matches when either holds. SQLite searches an FTS5 table, PostgreSQL GIN indexes on the
terms cast to tsvector (whitespace-separated lexemes, kept in generated columns); both do prefix
queries on the same terms, so they return the same cases. Another database falls back to
`icontains`.

Every function here is plain SQL on the table names, so that migration 0004 can index the cases
that existed before it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from pythainlp.tokenize import word_tokenize

from krabuan.core.thai import normalize_text, to_arabic_digits
from krabuan.core.thai_words import MARKS as _MARKS
from krabuan.core.thai_words import fold as normalise
from krabuan.core.thai_words import inner_word_starts, is_thai
from krabuan.core.thai_words import runs as _runs

FTS_TABLE = "workflow_case_fts"
TERMS_TABLE = "workflow_casesearch"
# A query word longer than this is cut to it, so long terms need not be stored whole.
MAX_TERM_CHARS = 40
# Shorter inner words (ปี, คา…) would match too much.
MIN_PART_CHARS = 3
BATCH = 2000


@functools.lru_cache(maxsize=20_000)
def _words(run: str) -> tuple[str, ...]:
    """newmm's words of a run (a run without Thai is one word)."""
    if not is_thai(run):
        return (run,)
    return tuple(w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w)


@functools.lru_cache(maxsize=20_000)
def _run_terms(run: str) -> tuple[str, ...]:
    starts: set[int] = set()
    position = 0
    for word in _words(run):
        starts.add(position)
        starts.update(position + i for i in inner_word_starts(word, min_part=MIN_PART_CHARS))
        position += len(word)
    terms = (run[p : p + MAX_TERM_CHARS] for p in sorted(starts))
    return tuple(dict.fromkeys(t for t in terms if t and t[0] not in _MARKS))


def title_terms(title: str) -> str:
    """The index terms of a title, space-separated."""
    terms = (t for run in _runs(normalise(title)) for t in _run_terms(run))
    return " ".join(dict.fromkeys(terms))


def reference_terms(reference: str) -> str:
    """The index terms of a reference: its runs joined from each run on."""
    runs = _runs(normalise(reference))
    return " ".join(dict.fromkeys("".join(runs[i:]) for i in range(len(runs))))


@dataclass(frozen=True)
class Query:
    """What a search text asks: every word starts a title term, or the joined runs start a
    reference term."""

    words: tuple[str, ...]
    reference: str

    def __bool__(self) -> bool:
        return bool(self.words)

    def fts5(self) -> str:
        """The FTS5 MATCH expression (terms hold no quote: only letters, digits and marks)."""
        title = " AND ".join(f'"{w}"*' for w in self.words)
        return f'(title_terms : ({title})) OR (reference_terms : "{self.reference}"*)'

    def tsquery(self) -> tuple[str, str]:
        """The PostgreSQL tsquery literals of the title words and of the reference."""
        return " & ".join(f"'{w}':*" for w in self.words), f"'{self.reference}':*"


def parse(text: str | None) -> Query:
    """The query of a search text (empty when it has no letter or digit)."""
    runs = _runs(normalise(text))
    words = (w[:MAX_TERM_CHARS] for run in runs for w in _words(run))
    return Query(
        words=tuple(dict.fromkeys(w for w in (x.lstrip(_MARKS) for x in words) if w)),
        reference="".join(runs),
    )


def search_filter(qs: QuerySet[Any], text: str | None) -> QuerySet[Any]:
    """Cases of `qs` whose title or reference matches the search text (see the module)."""
    query = parse(text)
    if not query:
        return qs.none()
    vendor = default_connection.vendor
    if vendor == "sqlite":
        fts = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        ids = RawSQL(fts, [query.fts5()])  # noqa: S611
    elif vendor == "postgresql":
        gin = (
            f"SELECT case_id FROM {TERMS_TABLE} "  # noqa: S608
            "WHERE title_vector @@ %s::tsquery OR reference_vector @@ %s::tsquery"
        )
        ids = RawSQL(gin, list(query.tsquery()))  # noqa: S611
    else:  # no full-text index: the old substring match
        term = to_arabic_digits(normalize_text(text or ""))
        return qs.filter(Q(title__icontains=term) | Q(reference__icontains=term))
    return qs.filter(pk__in=ids)


def search_count(text: str | None) -> int | None:
    """How many cases match the search text, counted in the full-text index alone (no case row
    is read); None on a database without one."""
    query = parse(text)
    if not query:
        return 0
    vendor = default_connection.vendor
    if vendor == "sqlite":
        sql = f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        params: list[str] = [query.fts5()]
    elif vendor == "postgresql":
        sql = (
            f"SELECT COUNT(*) FROM {TERMS_TABLE} "  # noqa: S608
            "WHERE title_vector @@ %s::tsquery OR reference_vector @@ %s::tsquery"
        )
        params = list(query.tsquery())
    else:
        return None
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


# --- writing the terms ------------------------------------------------------------------------


def terms_rows(cases: Iterable[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """(case id, title terms, reference terms) of (id, title, reference) rows."""
    return [(pk, title_terms(title), reference_terms(ref)) for pk, title, ref in cases]


def terms_write(rows: list[tuple[int, str, str]], *, using: Any = None) -> None:
    """Insert the terms rows (the SQLite triggers add them to the FTS5 table)."""
    conn = using or default_connection
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TERMS_TABLE} "  # noqa: S608
            "(case_id, title_terms, reference_terms) "
            "VALUES (%s, %s, %s)",
            rows,
        )


def case_index(*, case_id: int, title: str, reference: str) -> None:
    """Index one new case (called by case_start, in its transaction)."""
    terms_write(terms_rows([(case_id, title, reference)]))


def reindex(*, using: Any = None, progress: Callable[[str], None] | None = None) -> int:
    """Index every case again from its title and reference; returns how many."""
    conn = using or default_connection
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TERMS_TABLE}")  # noqa: S608
    last, total = 0, 0
    while True:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT id, title, reference FROM workflow_case WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            batch = cursor.fetchall()
        if not batch:
            break
        terms_write(terms_rows(batch), using=conn)
        last, total = batch[-1][0], total + len(batch)
        if progress and total % 50_000 < BATCH:
            progress(f"  indexed {total:,} case titles")
    return total
