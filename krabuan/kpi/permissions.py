"""Who may read and change the performance agreement (one table, like org.permissions)."""

from __future__ import annotations

from typing import Any

from krabuan.org.models import Role
from krabuan.org.permissions import STAFF_ROLES, has_role

# Reading: every signed-in staff member and the auditor; a requester has no business here.
READ_AGREEMENT = STAFF_ROLES
# Entering results: the staff who do the work; the auditor reads and changes nothing.
ENTER_RESULTS = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO}
# Changing the agreement itself (levels, method, bindings, next year's copy): its signers' side.
EDIT_AGREEMENT = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD}


def can_read_agreements(user: Any) -> bool:
    return has_role(user, READ_AGREEMENT)


def can_enter_results(user: Any) -> bool:
    return has_role(user, ENTER_RESULTS)


def can_edit_agreement(user: Any) -> bool:
    return has_role(user, EDIT_AGREEMENT)
