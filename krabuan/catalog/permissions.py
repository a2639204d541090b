"""Who may edit the catalog and decide on personal-data findings (one table per rule)."""

from __future__ import annotations

from typing import Any

from krabuan.catalog.models import Dataset
from krabuan.org.models import Role
from krabuan.org.permissions import has_role

# The catalog is the division's own: its staff keep every organization's datasets (the
# organizations are the division and its groups), so editing is by role, not by unit.
EDIT_CATALOG = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER}
# Recording a decision on a personal-data finding (remove/mask/justify) is a steward's call.
DATA_STEWARDS = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.DPO}


def can_edit_catalog(user: Any) -> bool:
    """Officers, group heads, the director and administrators keep the catalog."""
    return has_role(user, EDIT_CATALOG)


def can_edit_dataset(user: Any, dataset: Dataset) -> bool:
    """Catalog editors may edit any dataset that is not deleted (deleted ones are read-only)."""
    return can_edit_catalog(user) and dataset.state != "deleted"


def is_data_steward(user: Any) -> bool:
    """May record personal-data decisions: the DPO, group heads, the director, administrators."""
    return has_role(user, DATA_STEWARDS)
