"""Facet items of a search; the counts come from search/counting.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from krabuan.catalog.search.counting import FACET_FIELDS
from krabuan.catalog.search.parser import query_error


@dataclass(frozen=True)
class FacetItem:
    name: str  # the value to filter by (`field:"name"`)
    display_name: str
    count: int


def check_fields(fields: Sequence[str]) -> list[str]:
    """The requested facet fields without repeats; SearchQueryError for an unknown one."""
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        message = _("ไม่รู้จักฟิลด์ facet: %(fields)s (ใช้ได้: %(known)s)") % {
            "fields": ", ".join(unknown),
            "known": ", ".join(FACET_FIELDS),
        }
        raise query_error("facet.field", message)
    return list(dict.fromkeys(fields))


def _display(field: str, value: str, label: str) -> str:
    if field == "private":
        return _("ไม่เปิดเผย") if value == "true" else _("เปิดเผย")
    if field == "license_id":
        from krabuan.catalog import schema

        found = schema.license_info(value)
        return found.title if found else value
    return label or value


def facet_items(
    rows: Iterable[tuple[Any, Any, Any, Any]], fields: Sequence[str]
) -> dict[str, list[FacetItem]]:
    """Rows (field, value, label, n) as FacetItems per field, in the order they came."""
    out: dict[str, list[FacetItem]] = {f: [] for f in fields}
    for field, value, label, count in rows:
        if field in out:
            name = str(value)
            out[field].append(FacetItem(name, _display(field, name, str(label or "")), int(count)))
    return out
