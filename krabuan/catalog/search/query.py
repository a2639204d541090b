"""`dataset_search`: CKAN's package_search over the catalog (q, fq, sort, paging, facets), with
Thai-aware full-text ranking by the database's own engine.

A request is two statements whatever its size: the count with the facets (search/counting.py,
or search/totals.py for a search without words), plus one name lookup per organization, group
or tag facet, and the page of ids (search/sql.py). Like CKAN, it silently adds
`+capacity:public` (unless include_private: then private datasets only for those who may see
them) and `+state:active` (plus draft / deleted when asked, unless the request names a state
itself)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from krabuan.catalog.models import Dataset, State
from krabuan.catalog.search import counting, engine, sql, totals
from krabuan.catalog.search.facets import FacetItem, check_fields, facet_items
from krabuan.catalog.search.filters import (
    Compiler,
    Cond,
    both,
    merge_text_queries,
)
from krabuan.catalog.search.parser import (
    And,
    MatchAll,
    Node,
    Range,
    SearchQueryError,
    Term,
    parse,
    query_error,
)
from krabuan.catalog.search.text import terms

__all__ = ["FacetItem", "SearchQueryError", "SearchResult", "dataset_search"]

ROWS_MAX = 1000  # CKAN's ckan.search.rows_max: larger values are clamped silently
DEFAULT_SORT = "score desc, metadata_modified desc"
SORT_COLUMNS = {
    "score": "score",
    "id": "id",
    "name": "name",
    "title_string": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "views_recent": "view_count",
    "views_total": "view_count",
}


@dataclass(frozen=True)
class SearchResult:
    count: int
    ids: list[uuid.UUID]
    facets: dict[str, list[FacetItem]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT


def parse_sort(sort: str | None) -> tuple[list[tuple[str, bool]], str]:
    """CKAN's sort string as [(column, descending)] and its normalised text."""
    text = (sort or "").strip() or DEFAULT_SORT
    order: list[tuple[str, bool]] = []
    shown: list[str] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        name, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if name not in SORT_COLUMNS or direction not in ("asc", "desc") or len(words) > 2:
            message = _("เรียงลำดับตาม %(sort)s ไม่ได้ (ใช้ได้: %(known)s ตามด้วย asc หรือ desc)") % {
                "sort": part.strip(),
                "known": ", ".join(SORT_COLUMNS),
            }
            raise query_error("sort", message)
        order.append((SORT_COLUMNS[name], direction == "desc"))
        shown.append(f"{name} {direction}")
    if not order:
        return parse_sort(DEFAULT_SORT)
    return order, ", ".join(shown)


def _int(value: Any, param: str, *, minimum: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = minimum - 1
    if number < minimum:
        message = _("%(param)s ต้องเป็นจำนวนเต็มตั้งแต่ %(min)d ขึ้นไป") % {
            "param": param,
            "min": minimum,
        }
        raise query_error(param, message)
    return number


def _visibility(
    user: Any,
    *,
    include_private: bool,
    include_drafts: bool,
    include_deleted: bool,
    explicit_state: bool,
) -> QuerySet[Dataset]:
    """What the user may find: public datasets for everyone; private ones and drafts only from
    `visible_datasets(user)` (the catalog's editors). Deleted public datasets are tombstones any
    harvester may see with include_deleted, so that deletions reach GD Catalog."""
    states = {State.ACTIVE, State.DRAFT, State.DELETED}
    if not explicit_state:
        states = {State.ACTIVE}
        if include_drafts:
            states.add(State.DRAFT)
        if include_deleted:
            states.add(State.DELETED)
    public = Dataset.objects.filter(private=False, state__in=states - {State.DRAFT})
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if not signed_in or not (include_private or include_drafts or explicit_state):
        return public
    from krabuan.catalog.selectors import visible_datasets

    own = visible_datasets(user).filter(state__in=states)
    if not include_private:
        own = own.filter(private=False)
    return public | own


def _top_level(node: Node) -> tuple[Node, ...]:
    if isinstance(node, MatchAll):
        return ()
    return node.children if isinstance(node, And) else (node,)


def dataset_search(
    *,
    user: Any,
    q: str = "",
    fq: str = "",
    fq_list: Sequence[str] = (),
    sort: str | None = None,
    rows: int = 10,
    start: int = 0,
    facet_fields: Sequence[str] = (),
    facet_limit: int = 50,
    facet_mincount: int = 1,
    include_private: bool = False,
    include_drafts: bool = False,
    include_deleted: bool = False,
) -> SearchResult:
    """Datasets the user may see that match q and every fq, one page of ids in sort order,
    their count and facet counts; SearchQueryError on a request it cannot read."""
    rows_asked = min(_int(rows, "rows", minimum=0), ROWS_MAX)
    start = _int(start, "start", minimum=0)
    order, sort_text = parse_sort(sort)
    facet_limit = _int(facet_limit, "facet.limit", minimum=-(2**31))
    facet_mincount = _int(facet_mincount, "facet.mincount", minimum=0)

    parsed: list[tuple[Node, Compiler]] = [(parse(q, param="q"), Compiler(param="q", lenient=True))]
    for param, text in [("fq", fq), *(("fq_list", f) for f in fq_list)]:
        if text and text.strip():
            parsed.append((parse(text, param=param), Compiler(param=param, lenient=False)))

    # Top-level text clauses rank the results; everything else is a plain condition.
    condition: Cond = None
    ranking: list[engine.TextQuery] = []
    title_terms: list[str] = []
    explicit_state = False
    for node, compiler in parsed:
        rest: list[Node] = []
        for child in _top_level(node):
            query = compiler.text_query(child)
            if query is not None:
                if query.terms:
                    ranking.append(query)
                    if not query.columns and isinstance(child, Term):
                        # The exact-title boost compares every word, stop words included.
                        title_terms.extend(terms(child.value))
                continue
            if isinstance(child, Term | Range) and child.field == "state":
                explicit_state = True
            rest.append(child)
        if rest:
            condition = both(condition, compiler.compile(And(tuple(rest))))
    ranking = merge_text_queries(ranking)

    visible = _visibility(
        user,
        include_private=include_private,
        include_drafts=include_drafts,
        include_deleted=include_deleted,
        explicit_state=explicit_state,
    )
    filtered = visible.filter(condition) if condition is not None else visible
    fields = check_fields(facet_fields)
    ranked = bool(ranking) and any(column == "score" for column, _desc in order)
    try:
        src = sql.source(
            filtered,
            ranking,
            rank=ranked,
            sort_columns=[column for column, _desc in order if column != "score"],
        )
    except sql.NoResults:
        return SearchResult(count=0, ids=[], facets={f: [] for f in fields}, sort=sort_text)
    count, keys = _counted(src, fields, use_totals=bool(fields) and not ranking)
    stats = counting.facet_rows(keys, fields=fields, limit=facet_limit, mincount=facet_mincount)
    with connection.cursor() as cursor:
        ids: list[uuid.UUID] = []
        if rows_wanted := min(rows_asked, max(0, count - start)):
            statement, params = sql.page_sql(
                src, order=order, title=" ".join(title_terms), limit=rows_wanted, offset=start
            )
            cursor.execute(statement, params)
            ids = [engine.py_id(row[0]) for row in cursor.fetchall()]
    return SearchResult(count=count, ids=ids, facets=facet_items(stats, fields), sort=sort_text)


def _counted(
    src: sql.Source, fields: Sequence[str], *, use_totals: bool
) -> tuple[int, Counter[str]]:
    """How many datasets match and their facet keys: from the totals when the search has no
    words and filters on visibility only, else from the matches' rows (or a plain count when
    no facet is asked)."""
    if use_totals:
        classes = totals.matching_classes(src.where_sql, src.params)
        if classes is not None:
            summed = totals.totals(classes)
            return summed.get(totals.COUNT, 0), summed
    with connection.cursor() as cursor:
        if not fields:
            statement, params = sql.count_sql(src)
            cursor.execute(statement, params)
            return int(cursor.fetchone()[0]), Counter()
        statement, params = counting.rows_sql(src)
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    return len(rows), counting.row_keys(rows, fields)
