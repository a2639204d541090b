"""Template filters for the privacy pages and the site navigation."""

from __future__ import annotations

from typing import Any

from django import template

from krabuan.privacy.permissions import can_view_records

register = template.Library()


@register.filter
def can_view_privacy(user: Any) -> bool:
    """Staff roles see the PDPA menu; requesters and the public use the public pages."""
    return can_view_records(user)
