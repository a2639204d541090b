"""Role checks used by every page and endpoint; administrators (superusers) pass every check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from krabuan.org.models import Role

# Who may do what; one table so the rules are read in one place.
EDIT_MANUAL = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD}
MANAGE_USERS = {Role.ADMIN}
MANAGE_CALENDAR = {Role.ADMIN}
STAFF_ROLES = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO, Role.AUDITOR}


def user_roles(user: Any) -> set[str]:
    """The roles a user holds in any unit (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_krabuan_roles", None)
    if cached is None:
        cached = set(user.memberships.values_list("role", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._krabuan_roles = cached
    return set(cached)


def has_role(user: Any, roles: set[Role] | set[str]) -> bool:
    mine = user_roles(user)
    return Role.ADMIN in mine or bool(mine & {str(r) for r in roles})


def can_edit_manual(user: Any) -> bool:
    return has_role(user, EDIT_MANUAL)


def can_manage_users(user: Any) -> bool:
    return has_role(user, MANAGE_USERS)


def can_manage_calendar(user: Any) -> bool:
    return has_role(user, MANAGE_CALENDAR)


def role_required(
    roles: set[Role],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: sign in first, then the role; others get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF permission: set `required_roles` on the view; safe methods need only sign-in."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        roles: set[str] = getattr(view, "required_roles", set())
        return has_role(request.user, roles)
