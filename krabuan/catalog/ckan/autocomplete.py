"""Look-ups behind the form helpers `/api/2/util/…/autocomplete` and `package_autocomplete`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Lower

from krabuan.catalog.ckan import access
from krabuan.catalog.models import Group, Organization, Resource, State, Tag
from krabuan.core.thai import normalize_text

MAX_LIMIT = 100


def limit_from(raw: Any, default: int) -> int:
    """A `limit` query parameter, tolerant as CKAN's util routes are (bad values → default)."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return default
    return max(1, min(value, MAX_LIMIT))


def tags(*, user: Any, incomplete: str, limit: int) -> list[str]:
    """Names of tags on datasets the caller can see that contain the text, shortest first."""
    text = normalize_text(incomplete)
    found = (
        Tag.objects.filter(name__icontains=text, datasets__in=access.visible(user))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[: limit * 5]
    )
    # Prefer tags that start with the text, like CKAN's tag search ranks the prefix first.
    ordered = sorted(found, key=lambda n: (not n.lower().startswith(text.lower()), len(n), n))
    return ordered[:limit]


def formats(*, user: Any, incomplete: str, limit: int) -> list[str]:
    """Resource formats in use that contain the text, most used first (lower case, as CKAN)."""
    rows = (
        Resource.objects.filter(
            state=State.ACTIVE,
            dataset__in=access.visible(user),
            format__icontains=incomplete.strip(),
        )
        .annotate(fmt=Lower("format"))
        .values("fmt")
        .annotate(n=Count("id"))
        .order_by("-n", "fmt")[:limit]
    )
    return [row["fmt"] for row in rows]


def datasets(*, user: Any, q: str, limit: int) -> list[dict[str, Any]]:
    """CKAN's package_autocomplete: datasets whose name or title contains the text."""
    text = normalize_text(q)
    rows = (
        access.visible(user)
        .filter(state=State.ACTIVE)
        .filter(Q(name__icontains=text) | Q(title__icontains=text))
        .order_by("name")
        .values("name", "title")[: limit * 5]
    )
    out: list[dict[str, Any]] = []
    low = text.lower()
    for row in rows:
        in_name = low in row["name"].lower()
        out.append(
            {
                "name": row["name"],
                "title": row["title"],
                "match_field": "name" if in_name else "title",
                "match_displayed": row["name"] if in_name else f"{row['title']} ({row['name']})",
            }
        )
    # Title-prefix and name matches first, as CKAN orders by match quality.
    out.sort(key=lambda d: (d["match_field"] != "name", not d["title"].startswith(text)))
    return out[:limit]


def _named(model: type[Organization] | type[Group], text: str, limit: int) -> list[dict[str, Any]]:
    if not text:
        return []
    rows = (
        model.objects.filter(state=State.ACTIVE)
        .filter(Q(name__icontains=text) | Q(title__icontains=text))
        .order_by("title", "name")[:limit]
    )
    return [{"id": str(r.pk), "name": r.name, "title": r.title} for r in rows]


def organizations(*, user: Any, text: str, limit: int) -> list[dict[str, Any]]:
    """CKAN's organization_autocomplete: organizations whose name or title contains the text."""
    return _named(Organization, normalize_text(text), limit)


def groups(*, user: Any, text: str, limit: int) -> list[dict[str, Any]]:
    """CKAN's group_autocomplete: groups whose name or title contains the text."""
    return _named(Group, normalize_text(text), limit)
