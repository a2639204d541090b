"""The unread-notification count for the navigation bar badge."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from krabuan.notify.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Lazy: pages that never show the badge (errors, downloads) never run the count.
    return {"notify_unread": SimpleLazyObject(lambda: unread_count(user=user))}
