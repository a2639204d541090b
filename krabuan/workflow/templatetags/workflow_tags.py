"""Template helpers of the workflow pages, also used by the shared navigation bar and the
manual's process page (which may not import the workflow app in Python)."""

from __future__ import annotations

from typing import Any

from django import template

from krabuan.workflow import permissions
from krabuan.workflow.display import format_seconds

register = template.Library()


@register.filter
def can_start_case(user: Any) -> bool:
    return permissions.can_start_case(user)


@register.filter
def can_see_all_cases(user: Any) -> bool:
    return permissions.can_see_all_cases(user)


@register.filter
def can_work_on_steps(user: Any) -> bool:
    return permissions.can_work_on_steps(user)


@register.filter
def span(seconds: float | int | None) -> str:
    """Seconds as days/hours/minutes in the user's digit style: '2 วัน 3 ชม.'."""
    return format_seconds(seconds)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
