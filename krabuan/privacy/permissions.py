"""Who may see and change privacy records.

Breaches and data-subject requests are personal records: only the DPO, the active members of the
privacy working group (chair, members, secretary) and the staff assigned to the record see them;
everyone else gets "not found". Unit representatives and officers maintain their unit's
inventory and RoPA; the unit head (group head of that unit) approves RoPA versions."""

from __future__ import annotations

from typing import Any

from krabuan.org.models import Role
from krabuan.org.permissions import STAFF_ROLES, has_role, user_roles
from krabuan.privacy.models import GroupRole, WorkingGroupMember

CORE_GROUP_ROLES = {GroupRole.CHAIR, GroupRole.MEMBER, GroupRole.SECRETARY}


def is_privacy_team(user: Any) -> bool:
    """DPO, administrator, or an active chair/member/secretary of the working group."""
    if not getattr(user, "is_authenticated", False):
        return False
    if Role.DPO in user_roles(user) or Role.ADMIN in user_roles(user):
        return True
    return WorkingGroupMember.objects.filter(
        user=user, active=True, role__in=CORE_GROUP_ROLES
    ).exists()


def is_privacy_representative(user: Any) -> bool:
    """Team members and unit representatives (they keep their unit's inventory and RoPA)."""
    if is_privacy_team(user):
        return True
    return WorkingGroupMember.objects.filter(user=user, active=True).exists()


def can_view_records(user: Any) -> bool:
    """Inventory, RoPA, notices and DPAs: any staff role may read (auditors included)."""
    return has_role(user, STAFF_ROLES)


def can_edit_records(user: Any) -> bool:
    """Inventory, RoPA drafts, notices, DPAs, retention: the team, representatives, officers."""
    return is_privacy_representative(user) or has_role(
        user, {Role.OFFICER, Role.GROUP_HEAD, Role.DIRECTOR}
    )


def can_approve_for_unit(user: Any, unit_id: int) -> bool:
    """The head of the unit (group head or director there), the director, or the admin."""
    if has_role(user, {Role.DIRECTOR}):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(
        unit_id=unit_id, role__in=[Role.GROUP_HEAD, Role.DIRECTOR]
    ).exists()


def can_see_case_record(user: Any, *, assigned_to_id: int | None) -> bool:
    """Breach / request visibility: the privacy team or the assigned staff member."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_privacy_team(user) or (assigned_to_id is not None and assigned_to_id == user.pk)
