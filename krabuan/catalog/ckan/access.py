"""Which datasets the Action API offers to a caller.

GD Catalog harvests agency catalogs through this API, usually without a token, and thai_gdc's
`allow_harvest` ("ยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog") is the agency's consent to that. So
with `KRABUAN_CKAN_HARVEST_ONLY` (default True) a caller who may not edit the catalog —
anonymous, or a harvester's read-only token — sees through the API only active public datasets
whose `allow_harvest` is true; staff see what the catalog's selectors let them see. The portal
pages are not affected. A harvester may still add `fq=allow_harvest:True` itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from krabuan.catalog import permissions, selectors
from krabuan.catalog.models import Dataset, State


def harvest_only(user: Any) -> bool:
    """Whether this caller is limited to datasets consented for GD Catalog."""
    if not getattr(settings, "KRABUAN_CKAN_HARVEST_ONLY", True):
        return False
    return not (user.is_authenticated and permissions.can_edit_catalog(user))


def visible(user: Any) -> QuerySet[Dataset]:
    """Datasets the caller may read through the API (package_show, resource_show…)."""
    datasets = selectors.visible_datasets(user)
    if harvest_only(user):
        datasets = datasets.filter(state=State.ACTIVE, private=False, allow_harvest=True)
    return datasets


def public(user: Any) -> QuerySet[Dataset]:
    """Active public datasets, as CKAN's package_list and package counts list them."""
    datasets = Dataset.objects.filter(state=State.ACTIVE, private=False)
    if harvest_only(user):
        datasets = datasets.filter(allow_harvest=True)
    return datasets


def harvest_fq(user: Any) -> list[str]:
    """Extra search filters for this caller (package_search)."""
    return ["+allow_harvest:True"] if harvest_only(user) else []
