"""What the portal and staff pages share: the guarded getters as 404s, the resources a viewer
may see, and the context every catalog page needs."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from krabuan.catalog import permissions, selectors
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.core.errors import NotFound


def dataset_or_404(request: HttpRequest, name: str, *, for_edit: bool = False) -> Dataset:
    """The dataset (by name or id) when the user may see (or edit) it; 404 for missing and
    forbidden alike."""
    try:
        return selectors.dataset_get_for_user(user=request.user, id_or_name=name, for_edit=for_edit)
    except NotFound:
        raise Http404(_("ไม่พบชุดข้อมูล")) from None


def resource_or_404(
    request: HttpRequest, dataset: Dataset, resource_id: uuid.UUID, *, for_edit: bool = False
) -> Resource:
    """A resource of this dataset the user may see (private resources only for its editors)."""
    try:
        resource = selectors.resource_get_for_user(
            user=request.user, resource_id=resource_id, for_edit=for_edit
        )
    except NotFound:
        raise Http404(_("ไม่พบทรัพยากร")) from None
    if resource.dataset_id != dataset.pk:
        raise Http404(_("ไม่พบทรัพยากร"))
    return resource


def visible_resources(dataset: Dataset, *, can_edit: bool) -> list[Resource]:
    """The dataset's active resources in order; private ones only for those who may edit it."""
    resources = [r for r in dataset.resources.all() if r.state == State.ACTIVE]
    if not can_edit:
        resources = [r for r in resources if not r.resource_private]
    return sorted(resources, key=lambda r: (r.position, r.created))


def filename_of(resource: Resource) -> str:
    """The name a download is offered under (the stored file's name, else the URL's last part)."""
    if resource.upload:
        return (resource.upload.name or "resource").rsplit("/", 1)[-1]
    tail = (resource.url or "").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or "resource"


def catalog_context(request: HttpRequest, section: str) -> dict[str, Any]:
    return {
        "portal_section": section,
        "can_edit_catalog": permissions.can_edit_catalog(request.user),
    }
