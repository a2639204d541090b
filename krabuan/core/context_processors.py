from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from krabuan.core.display import thai_digits_enabled


def krabuan(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    is_admin = bool(user and user.is_authenticated and user.is_superuser)
    if user is not None and user.is_authenticated and not is_admin:
        # The role table lives in org; core reads the cached roles without importing it.
        roles = getattr(user, "_krabuan_roles", None)
        if roles is None:
            roles = set(user.memberships.values_list("role", flat=True))
            user._krabuan_roles = roles
        is_admin = "admin" in roles
    return {"thai_digits": thai_digits_enabled(), "can_manage_users": is_admin}
