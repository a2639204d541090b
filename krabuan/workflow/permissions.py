"""Who may do what with cases (one table, like org.permissions)."""

from __future__ import annotations

from typing import Any

from krabuan.org.models import Role
from krabuan.org.permissions import has_role, user_roles

# Starting a case: staff and requesters (a requester starts a request for a service).
START_CASE = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO, Role.REQUESTER}
# Working on steps: staff only; the auditor reads everything and changes nothing.
WORK_ON_STEPS = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO}
# Back-dating started_at/completed_at is for importing past work.
BACKDATE = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD}
SEE_ALL_CASES = {Role.ADMIN, Role.DIRECTOR, Role.AUDITOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO}
MANAGE_SCHEDULES = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD}


def can_start_case(user: Any) -> bool:
    return has_role(user, START_CASE)


def can_work_on_steps(user: Any) -> bool:
    return has_role(user, WORK_ON_STEPS)


def can_backdate(user: Any) -> bool:
    return has_role(user, BACKDATE)


def can_see_all_cases(user: Any) -> bool:
    """Staff and auditors see every case; a requester sees only cases they asked for."""
    return has_role(user, SEE_ALL_CASES)


def can_manage_schedules(user: Any) -> bool:
    return has_role(user, MANAGE_SCHEDULES)


def is_requester_only(user: Any) -> bool:
    return user_roles(user) == {Role.REQUESTER}
