"""Template helpers of the catalog pages, also used by the shared navigation bar."""

from __future__ import annotations

from typing import Any

from django import template

from krabuan.catalog import permissions

register = template.Library()


@register.filter
def can_edit_catalog(user: Any) -> bool:
    return permissions.can_edit_catalog(user)
