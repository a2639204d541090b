"""Reads of the org app: the user list for administrators, guarded getters, preferences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from krabuan.core.errors import NotFound
from krabuan.org.models import Membership, Position, Preference, Unit
from krabuan.org.permissions import can_manage_users

User = get_user_model()

# Sort keys the list accepts → the columns they order by; anything else falls back to username.
USER_ORDERINGS: dict[str, tuple[str, ...]] = {
    "username": ("username",),
    "name": ("first_name", "last_name", "username"),
    "email": ("email", "username"),
    "last_login": ("last_login", "username"),
    "date_joined": ("date_joined", "username"),
    "is_active": ("is_active", "username"),
}


class UserStatus:
    ACTIVE = "active"
    INACTIVE = "inactive"


def _ordering(ordering: str) -> list[str]:
    descending = ordering.startswith("-")
    columns = USER_ORDERINGS.get(ordering.lstrip("-"), USER_ORDERINGS["username"])
    if descending:
        return [f"-{c}" for c in columns]
    return list(columns)


def _memberships_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit", "position").order_by(
            "unit__sort_order", "unit__name", "role"
        ),
    )


def user_list(
    *,
    actor: Any,
    search: str = "",
    unit_code: str = "",
    role: str = "",
    status: str = "",
    ordering: str = "username",
) -> QuerySet[Any]:
    """Users an administrator may manage, filtered and sorted; memberships come prefetched.

    Only administrators see the list; for anyone else it is empty, never an error page.
    """
    if not can_manage_users(actor):
        return User.objects.none()
    users = User.objects.all()
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if unit_code or role:
        # Unit and role must match the same membership, so filter memberships first.
        matching = Membership.objects.all()
        if unit_code:
            matching = matching.filter(unit__code=unit_code)
        if role:
            matching = matching.filter(role=role)
        users = users.filter(pk__in=matching.values("user_id"))
    if status == UserStatus.ACTIVE:
        users = users.filter(is_active=True)
    elif status == UserStatus.INACTIVE:
        users = users.filter(is_active=False)
    return users.order_by(*_ordering(ordering)).prefetch_related(_memberships_prefetch())


def user_get_for_admin(*, actor: Any, user_id: int) -> Any:
    """One user for the management pages; missing and not-allowed both answer NotFound."""
    if not can_manage_users(actor):
        raise NotFound("ไม่พบผู้ใช้")
    try:
        return User.objects.prefetch_related(_memberships_prefetch()).get(pk=user_id)
    except User.DoesNotExist:
        raise NotFound("ไม่พบผู้ใช้") from None


def membership_get_for_admin(*, actor: Any, user_id: int, membership_id: int) -> Membership:
    """One membership of one user, for administrators; otherwise NotFound."""
    if not can_manage_users(actor):
        raise NotFound("ไม่พบบทบาทนี้")
    try:
        return Membership.objects.select_related("user", "unit", "position").get(
            pk=membership_id, user_id=user_id
        )
    except Membership.DoesNotExist:
        raise NotFound("ไม่พบบทบาทนี้") from None


def unit_choices() -> QuerySet[Unit]:
    """Active units, in tree order, for filters and membership forms."""
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


def position_choices() -> QuerySet[Position]:
    """Positions in active units, with their unit, for membership forms."""
    return Position.objects.filter(unit__is_active=True).select_related("unit")


def preference_get(*, user: Any) -> Preference:
    """The user's preferences; an unsaved row with the defaults when none is stored yet."""
    try:
        return Preference.objects.get(user=user)
    except Preference.DoesNotExist:
        return Preference(user=user)
