"""Reads of the catalog and its guarded getters: what a user may not see does not exist."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from krabuan.catalog.models import Dataset, Group, Organization, Resource, State
from krabuan.catalog.permissions import can_edit_catalog, can_edit_dataset
from krabuan.core.errors import NotFound

DATASET_NOT_FOUND = "ไม่พบชุดข้อมูล"
RESOURCE_NOT_FOUND = "ไม่พบทรัพยากร"


def visible_datasets(user: Any) -> QuerySet[Dataset]:
    """Anyone: active public datasets; catalog editors also private and draft ones."""
    qs = Dataset.objects.all()
    if can_edit_catalog(user):
        return qs.filter(state__in=[State.ACTIVE, State.DRAFT])
    return qs.filter(state=State.ACTIVE, private=False)


def harvestable_datasets() -> QuerySet[Dataset]:
    """What GD Catalog may take: active, public, with the agency's consent (allow_harvest)."""
    return Dataset.objects.filter(state=State.ACTIVE, private=False, allow_harvest=True)


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def with_related(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """A dataset queryset with what its page and dict need, in a fixed number of queries."""
    return qs.select_related("owner_org").prefetch_related(
        "tags",
        "groups",
        Prefetch(
            "resources",
            queryset=Resource.objects.exclude(state=State.DELETED).order_by("position", "created"),
        ),
    )


def dataset_get_for_user(*, user: Any, id_or_name: str, for_edit: bool = False) -> Dataset:
    """One dataset by name or id; NotFound when missing, not visible, or (for_edit) not
    editable. Editors may read deleted tombstones (CKAN shows them to authorised users)."""
    key = str(id_or_name or "").strip()
    pk = _as_uuid(key)
    lookup = Q(name=key) | Q(pk=pk) if pk else Q(name=key)
    base = Dataset.objects.all() if can_edit_catalog(user) else visible_datasets(user)
    dataset = with_related(base.filter(lookup)).first()
    if dataset is None or (for_edit and not can_edit_dataset(user, dataset)):
        raise NotFound(DATASET_NOT_FOUND, code="dataset_not_found")
    return dataset


def resource_get_for_user(*, user: Any, resource_id: Any, for_edit: bool = False) -> Resource:
    """One resource of a dataset the user may see; a private resource (resource_private) only
    for those who may edit its dataset."""
    pk = _as_uuid(resource_id)
    if pk is None:
        raise NotFound(RESOURCE_NOT_FOUND, code="resource_not_found")
    resource = (
        Resource.objects.select_related("dataset", "dataset__owner_org")
        .exclude(state=State.DELETED)
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise NotFound(RESOURCE_NOT_FOUND, code="resource_not_found")
    dataset = resource.dataset
    editor = can_edit_dataset(user, dataset)
    visible = editor or (dataset.state == State.ACTIVE and not dataset.private)
    if not visible or (resource.resource_private and not editor) or (for_edit and not editor):
        raise NotFound(RESOURCE_NOT_FOUND, code="resource_not_found")
    return resource


def _get_by_id_or_name(model: Any, id_or_name: Any, message: str, code: str) -> Any:
    key = str(id_or_name or "").strip()
    pk = _as_uuid(key)
    lookup = Q(name=key) | Q(pk=pk) if pk else Q(name=key)
    found = model.objects.filter(lookup).exclude(state=State.DELETED).first()
    if found is None:
        raise NotFound(message, code=code)
    return found


def organization_get(*, id_or_name: Any) -> Organization:
    """An organization (not deleted) by name or id."""
    org: Organization = _get_by_id_or_name(
        Organization, id_or_name, "ไม่พบหน่วยงาน", "organization_not_found"
    )
    return org


def group_get(*, id_or_name: Any) -> Group:
    """A group (not deleted) by name or id."""
    group: Group = _get_by_id_or_name(Group, id_or_name, "ไม่พบกลุ่ม", "group_not_found")
    return group


def organizations_with_counts(*, user: Any) -> QuerySet[Organization]:
    """Active organizations with `package_count` = datasets the user may see."""
    visible = visible_datasets(user).values("pk")
    return Organization.objects.filter(state=State.ACTIVE).annotate(
        package_count=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
    )


def groups_with_counts(*, user: Any) -> QuerySet[Group]:
    """Active groups with `package_count` = datasets the user may see."""
    visible = visible_datasets(user).values("pk")
    return Group.objects.filter(state=State.ACTIVE).annotate(
        package_count=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
    )
