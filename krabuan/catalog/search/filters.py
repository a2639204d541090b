"""CKAN's search fields over the catalog's columns: a parsed q/fq tree becomes a Django `Q`.

Full-text clauses (bare words, `text:`, `title:`, `notes:`) become `pk IN (text match)`; the
ones that stand at the top level of the whole request are also returned, so that the query can
rank by them instead (query.py)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from krabuan.catalog.models import Dataset, Organization, Resource, State
from krabuan.catalog.search import engine
from krabuan.catalog.search.engine import TextQuery
from krabuan.catalog.search.parser import (
    And,
    MatchAll,
    Node,
    Not,
    Or,
    Range,
    Term,
    query_error,
)
from krabuan.catalog.search.text import normalise, query_terms, terms
from krabuan.core.thai import normalize_text

NOTHING = Q(pk__in=[])
# None stands for "no condition" (everything) throughout.
Cond = Q | None

TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (),
    "title": ("title",),
    "notes": ("notes",),
}
STRING_COLUMNS = {
    "name": "name",
    "state": "state",
    "data_type": "data_type",
    "data_category": "data_category",
    "data_classification": "data_classification",
    "maintainer": "maintainer",
    "author": "author",
}
DATE_COLUMNS = {"metadata_modified": "metadata_modified", "metadata_created": "metadata_created"}
BOOLEAN_COLUMNS = {"private": "private", "allow_harvest": "allow_harvest"}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Compiled:
    """The Q of a request, and its top-level text queries (ranked by when sorting by score)."""

    condition: Cond
    ranking: tuple[TextQuery, ...]
    title: str  # the top-level words as the title would hold them, for the exact-title boost
    explicit_state: bool  # a top-level state clause replaces CKAN's default +state:active


def both(a: Cond, b: Cond) -> Cond:
    if a is None:
        return b
    return a if b is None else a & b


def _either(a: Cond, b: Cond) -> Cond:
    if a is None or b is None:
        return None
    return a | b


def _negate(a: Cond) -> Cond:
    return NOTHING if a is None else ~a


def text_condition(queries: list[TextQuery]) -> Q:
    sql, params = engine.match_ids_sql(queries)
    # A constant statement; the match expression is a parameter.
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611


class Compiler:
    """Turns one parsed q or fq into a condition. In `q`, an unknown field is read as words
    (as edismax does); in `fq` it is an error."""

    def __init__(self, *, param: str, lenient: bool) -> None:
        self.param = param
        self.lenient = lenient

    def error(self, message: str) -> Exception:
        return query_error(self.param, message)

    def compile(self, node: Node) -> Cond:
        if isinstance(node, MatchAll):
            return None
        if isinstance(node, And):
            result: Cond = None
            texts = [t for t in (self.text_query(c) for c in node.children) if t is not None]
            merged = merge_text_queries(texts)
            for child in node.children:
                if self.text_query(child) is None:
                    result = both(result, self.compile(child))
            for merged_query in merged:
                if merged_query.terms:
                    result = both(result, text_condition([merged_query]))
            return result
        if isinstance(node, Or):
            out: Cond = NOTHING
            for child in node.children:
                out = _either(out, self.compile(child))
                if out is None:
                    return None
            return out
        if isinstance(node, Not):
            return _negate(self.compile(node.child))
        query = self.text_query(node)
        if query is not None:
            return text_condition([query]) if query.terms else None
        if isinstance(node, Range):
            return self.range(node)
        assert isinstance(node, Term)  # the union is exhausted
        return self.term(node)

    # -- text ------------------------------------------------------------------------------
    def text_query(self, node: Node) -> TextQuery | None:
        """The text query of a full-text leaf; None for any other node."""
        if not isinstance(node, Term):
            return None
        if node.field is None:
            return _text(node.value, node.quoted, ())
        if node.field in TEXT_COLUMNS:
            return _text(node.value, node.quoted, TEXT_COLUMNS[node.field])
        if self.lenient and node.field not in KNOWN_FIELDS:
            return _text(f"{node.field} {node.value}", node.quoted, ())
        return None

    # -- fields ----------------------------------------------------------------------------
    def term(self, node: Term) -> Cond:
        field = node.field or ""
        handler = FIELDS.get(field)
        if handler is None:
            raise self.error(_("ไม่รู้จักฟิลด์ค้นหา %(field)s") % {"field": field})
        value = node.value if node.quoted else node.value.strip()
        return handler(self, field, value, node.quoted)

    def range(self, node: Range) -> Cond:
        if node.field in DATE_COLUMNS:
            column = DATE_COLUMNS[node.field]
            low = None if node.low is None else self.date(node.field, node.low)
            high = None if node.high is None else self.date(node.field, node.high)
        elif node.field in ("name", "id"):
            column = node.field
            low, high = node.low, node.high  # type: ignore[assignment]
            if node.field == "id":
                low = None if low is None else self.uuid_or_error(str(low))  # type: ignore[assignment]
                high = None if high is None else self.uuid_or_error(str(high))  # type: ignore[assignment]
        else:
            raise self.error(_("ฟิลด์ %(field)s ค้นหาเป็นช่วงค่าไม่ได้") % {"field": node.field})
        cond: Cond = None
        if low is not None:
            cond = both(cond, Q(**{f"{column}__{'gte' if node.low_inclusive else 'gt'}": low}))
        if high is not None:
            cond = both(cond, Q(**{f"{column}__{'lte' if node.high_inclusive else 'lt'}": high}))
        return cond

    def uuid_or_error(self, text: str) -> uuid.UUID:
        try:
            return uuid.UUID(text)
        except ValueError:
            raise self.error(_("รหัส id ไม่ถูกต้อง: %(value)s") % {"value": text}) from None

    def date(self, field: str, text: str) -> dt.datetime:
        found = parse_solr_date(text)
        if found is None:
            raise self.error(
                _("วันเวลาของ %(field)s ไม่ถูกต้อง: %(value)s") % {"field": field, "value": text}
            )
        return found

    def boolean(self, field: str, value: str) -> bool | None:
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        if value == "*":
            return None
        raise self.error(_("ฟิลด์ %(field)s ต้องเป็น True หรือ False") % {"field": field})


def _text(value: str, quoted: bool, columns: tuple[str, ...]) -> TextQuery:
    found = terms(value) if quoted else query_terms(value)
    return TextQuery(terms=tuple(found), phrase=quoted and len(found) > 1, columns=columns)


def merge_text_queries(queries: list[TextQuery]) -> list[TextQuery]:
    """Word queries over the same columns joined into one (one MATCH instead of many)."""
    words: dict[tuple[str, ...], list[str]] = {}
    phrases: list[TextQuery] = []
    for query in queries:
        if query.phrase:
            phrases.append(query)
        else:
            words.setdefault(query.columns, []).extend(query.terms)
    merged = [TextQuery(terms=tuple(dict.fromkeys(t)), columns=c) for c, t in words.items()]
    return [*merged, *phrases]


# --- values ----------------------------------------------------------------------------------


def _string(column: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return ~Q(**{column: ""})
    if not quoted and value.endswith("*") and "*" not in value[:-1]:
        return Q(**{f"{column}__startswith": normalize_text(value[:-1])})
    return Q(**{column: normalize_text(value)})


def _string_field(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    return _string(STRING_COLUMNS[field], value, quoted)


def _organization(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return None
    # A subquery, not a join: the search inlines the WHERE of the dataset table alone.
    orgs = Organization.objects.filter(_string("name", value, quoted) or Q())
    return Q(owner_org_id__in=orgs.values("pk"))


def _owner_org(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return None
    try:
        return Q(owner_org_id=uuid.UUID(value))
    except ValueError:
        return Q(owner_org_id__in=Organization.objects.filter(name=value).values("pk"))


def _id(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return None
    try:
        return Q(pk=uuid.UUID(value))
    except ValueError:
        return NOTHING


def _related(through: type, column: str, target: str) -> Callable[..., Cond]:
    def handler(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
        rows = through.objects.filter(dataset_id=OuterRef("pk"))  # type: ignore[attr-defined]
        if not (not quoted and value == "*"):
            cond = _string(f"{target}__{column}", value, quoted)
            rows = rows.filter(cond)
        return Q(Exists(rows))

    return handler


def _res_format(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    rows = Resource.objects.filter(dataset_id=OuterRef("pk"), resource_private=False).exclude(
        state=State.DELETED
    )
    if quoted or value != "*":
        rows = rows.filter(format__iexact=value.strip())
    else:
        rows = rows.exclude(format="")
    return Q(Exists(rows))


def _license(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return ~Q(license_id="")
    return Q(license_id__in=license_aliases(normalize_text(value)))


def license_aliases(value: str) -> set[str]:
    """A license as thai_gdc stores it (its title), from its title or its id."""
    from krabuan.catalog import schema

    found = {value}
    for lic in schema.LICENSES:
        if value in (lic.id, lic.title) or value.lower() in (lic.id.lower(), lic.title.lower()):
            found |= {lic.id, lic.title}
    return found


def _boolean(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    flag = c.boolean(field, value)
    return None if flag is None else Q(**{BOOLEAN_COLUMNS[field]: flag})


def _capacity(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    lowered = value.lower()
    if lowered == "*":
        return None
    if lowered in ("public", "private"):
        return Q(private=lowered == "private")
    return NOTHING


def _dataset_type(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    return None if value in ("dataset", "*") else NOTHING


def _date(c: Compiler, field: str, value: str, quoted: bool) -> Cond:
    if not quoted and value == "*":
        return None
    return Q(**{DATE_COLUMNS[field]: c.date(field, value)})


FIELDS: dict[str, Callable[[Compiler, str, str, bool], Cond]] = {
    **{name: _string_field for name in STRING_COLUMNS},
    **{name: _boolean for name in BOOLEAN_COLUMNS},
    **{name: _date for name in DATE_COLUMNS},
    "organization": _organization,
    "owner_org": _owner_org,
    "id": _id,
    "tags": _related(Dataset.tags.through, "name", "tag"),
    "groups": _related(Dataset.groups.through, "name", "group"),
    "res_format": _res_format,
    "license_id": _license,
    "capacity": _capacity,
    "dataset_type": _dataset_type,
    "type": _dataset_type,
}
KNOWN_FIELDS = frozenset(FIELDS) | frozenset(TEXT_COLUMNS)


# --- Solr dates ------------------------------------------------------------------------------

_DATE = re.compile(
    r"^(?P<date>NOW|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?(?P<math>(?:[+-]\d+[A-Z]+|/[A-Z]+)*)$"
)
_MATH = re.compile(r"([+-]\d+|/)([A-Z]+)")
_UNITS = {
    "YEAR": "years",
    "MONTH": "months",
    "DAY": "days",
    "DATE": "days",
    "HOUR": "hours",
    "MINUTE": "minutes",
    "SECOND": "seconds",
}


def parse_solr_date(text: str) -> dt.datetime | None:
    """A Solr date (`2024-01-01T00:00:00.000000Z`, `2024-01-01`, `NOW-7DAYS`, `NOW/DAY`) as an
    aware UTC datetime; a Buddhist-era year (2567) counts as 2024. None when unreadable."""
    found = _DATE.match(normalise(text).upper())
    if not found:
        return None
    base, zone = found.group("date"), found.group("zone") or "+00:00"
    try:
        if base == "NOW":
            value = timezone.now().astimezone(dt.UTC)
        else:
            year = int(base[:4])
            if year > 2400:  # a Buddhist-era year
                base = f"{year - 543:04d}{base[4:]}"
            if len(base) == 10:
                base += "T00:00:00"
            zone = "+00:00" if zone == "Z" else zone
            value = dt.datetime.fromisoformat(base.replace(" ", "T") + zone).astimezone(dt.UTC)
        for op, unit in _MATH.findall(found.group("math") or ""):
            value = _date_math(value, op, unit)
    except (ValueError, OverflowError, KeyError):
        return None
    return value


def _date_math(value: dt.datetime, op: str, unit: str) -> dt.datetime:
    name = _UNITS[unit[:-1] if unit.endswith("S") and unit[:-1] in _UNITS else unit]
    if op == "/":
        keep = ["years", "months", "days", "hours", "minutes", "seconds"].index(name)
        return value.replace(
            month=value.month if keep >= 1 else 1,
            day=value.day if keep >= 2 else 1,
            hour=value.hour if keep >= 3 else 0,
            minute=value.minute if keep >= 4 else 0,
            second=value.second if keep >= 5 else 0,
            microsecond=0,
        )
    amount = int(op)
    if name in ("years", "months"):
        months = value.month - 1 + amount * (12 if name == "years" else 1)
        year, month = value.year + months // 12, months % 12 + 1
        return value.replace(year=year, month=month, day=min(value.day, _days_in(year, month)))
    return value + dt.timedelta(**{name: amount})


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
