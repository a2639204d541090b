"""CKAN-shaped dicts (package_show, resource_show, organization_show, group_show).

thai_gdc fields are top-level keys (ckanext-scheming style): multi-choice fields are lists,
booleans the strings "True"/"False", dates "YYYY-MM-DD", timestamps naive UTC with microseconds.
Private resources (resource_private) are left out for viewers who may not edit the dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from typing import Any

from django.conf import settings

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, Group, Organization, Resource
from krabuan.catalog.permissions import can_edit_catalog, can_edit_dataset
from krabuan.catalog.search.engine import py_id
from krabuan.catalog.selectors import with_related

_CKAN_BOOL = {True: "True", False: "False"}


def ckan_timestamp(value: dt.datetime | None) -> str | None:
    """Naive UTC ISO-8601 with microseconds, as CKAN writes it (2024-01-19T03:12:45.123456)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


# Stands for the site's address in stored dicts (DatasetListing): the address is a setting that
# may change after they were written. No text of the catalog holds a NUL character.
SITE_MARKER = "\x00site\x00"
_SITE_MARKER_JSON = json.dumps(SITE_MARKER)[1:-1]


def site_url(path: str, site: str | None = None) -> str:
    """An absolute URL on this site (CKAN gives absolute URLs for uploads and images)."""
    if not path or "://" in path:
        return path
    return f"{settings.KRABUAN_SITE_URL if site is None else site}{path}"


def upload_path(resource: Resource, dataset_name: str | None = None) -> str:
    """The portal download path of an uploaded file (served by the portal views)."""
    filename = os.path.basename(resource.upload.name or "file") if resource.upload else "file"
    name = dataset_name or resource.dataset.name
    return f"/dataset/{name}/resource/{resource.pk}/download/{filename}"


def _field_value(spec: schema.FieldSpec, raw: Any) -> Any:
    if spec.kind == "bool":
        return _CKAN_BOOL[bool(raw)]
    if spec.kind == "multi":
        return list(raw or [])
    if raw is None:
        return ""
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def _schema_fields(
    specs: tuple[schema.FieldSpec, ...],
    obj: Any,
    type_fields: dict[str, Any],
    data_type: str | None,
    skip: set[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.name in skip or not spec.applies_to(data_type):
            continue
        if spec.column:
            raw = getattr(obj, spec.name)
            other = getattr(obj, spec.other_field) if spec.other_field else None
        else:
            raw = type_fields.get(spec.name)
            other = type_fields.get(spec.other_field) if spec.other_field else None
        out[spec.name] = _field_value(spec, raw)
        if spec.other_field:
            out[spec.other_field] = other or ""
    return out


def resource_dict(
    resource: Resource, *, dataset: Dataset | None = None, site: str | None = None
) -> dict[str, Any]:
    """The resource dict of resource_show / package_show."""
    dataset = dataset or resource.dataset
    url = (
        site_url(upload_path(resource, dataset.name), site)
        if resource.url_type == "upload"
        else resource.url
    )
    out: dict[str, Any] = {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": resource.name,
        "description": resource.description,
        "url": url,
        "url_type": resource.url_type or None,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "mimetype_inner": None,
        "size": resource.size,
        "hash": resource.hash,
        "position": resource.position,
        "created": ckan_timestamp(resource.created),
        "created_at": ckan_timestamp(resource.created),
        "last_modified": ckan_timestamp(resource.last_modified),
        "metadata_modified": ckan_timestamp(resource.metadata_modified),
        "state": resource.state,
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        "datastore_active": False,
    }
    out.update(
        _schema_fields(
            schema.RESOURCE_FIELDS,
            resource,
            resource.type_fields or {},
            dataset.data_type,
            skip={"name", "url", "description", "format"},
        )
    )
    return out


def organization_dict(
    org: Organization, *, package_count: int | None = None, site: str | None = None
) -> dict[str, Any]:
    """The organization dict of organization_show / organization_list(all_fields)."""
    out: dict[str, Any] = {
        "id": str(org.pk),
        "name": org.name,
        "title": org.title,
        "display_name": org.title,
        "description": org.description,
        "image_url": org.image_url,
        "image_display_url": site_url(org.image_url, site),
        "created": ckan_timestamp(org.created_at),
        "type": "organization",
        "state": org.state,
        "is_organization": True,
        "approval_status": "approved",
        "extras": [],
        "groups": [],
        "num_followers": 0,
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(group: Group, *, package_count: int | None = None) -> dict[str, Any]:
    """The group dict of group_show / group_list(all_fields)."""
    out: dict[str, Any] = {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "image_url": group.image_url,
        "image_display_url": site_url(group.image_url),
        "created": ckan_timestamp(group.created_at),
        "type": "group",
        "state": group.state,
        "is_organization": False,
        "approval_status": "approved",
        "extras": [{"key": "category", "value": group.category}] if group.category else [],
        "groups": [],
        "num_followers": 0,
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def _license(dataset: Dataset) -> dict[str, Any]:
    info = schema.license_info(dataset.license_id)
    title = dataset.license_id
    if dataset.license_id == schema.OTHER and dataset.license_id_other:
        title = dataset.license_id_other
    return {
        "license_id": dataset.license_id,
        "license_title": title,
        "license_url": info.url if info and info.url else "",
        "isopen": bool(info and info.isopen),
    }


def dataset_dict(dataset: Dataset, *, user: Any, site: str | None = None) -> dict[str, Any]:
    """The package_show dict; load the dataset with selectors.with_related to keep it cheap."""
    org = dataset.owner_org
    editor = can_edit_dataset(user, dataset)
    resources = [
        resource_dict(r, dataset=dataset, site=site)
        for r in dataset.resources.all()
        if r.state != "deleted" and (editor or not r.resource_private)
    ]
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    groups = sorted(dataset.groups.all(), key=lambda g: g.name)
    out: dict[str, Any] = {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "type": "dataset",
        "state": dataset.state,
        "private": dataset.private,
        "owner_org": str(dataset.owner_org_id),
        "author": dataset.author,
        "author_email": dataset.author_email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        **_license(dataset),
        "notes": dataset.notes,
        "url": dataset.url,
        "version": dataset.version,
        "creator_user_id": str(dataset.creator_id) if dataset.creator_id else None,
        "metadata_created": ckan_timestamp(dataset.metadata_created),
        "metadata_modified": ckan_timestamp(dataset.metadata_modified),
        "num_resources": len(resources),
        "num_tags": len(tags),
        "tags": [
            {
                "id": str(t.pk),
                "name": t.name,
                "display_name": t.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for t in tags
        ],
        "groups": [
            {
                "id": str(g.pk),
                "name": g.name,
                "title": g.title,
                "display_name": g.title,
                "description": g.description,
                "image_display_url": site_url(g.image_url, site),
            }
            for g in groups
        ],
        "extras": [],
        "organization": organization_dict(org, site=site) if org else None,
        "resources": resources,
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }
    out.update(
        _schema_fields(
            schema.DATASET_FIELDS,
            dataset,
            dataset.type_fields or {},
            dataset.data_type,
            skip={
                "name",
                "title",
                "owner_org",
                "tag_string",
                "maintainer",
                "maintainer_email",
                "notes",
                "license_id",
                "url",
                "version",
            },
        )
    )
    out["license_id_other"] = dataset.license_id_other
    return out


def public_dict_json(dataset: Dataset) -> str:
    """The stored form of a dataset's dict for callers who may not edit it (DatasetListing):
    JSON with SITE_MARKER for the site's address. Load the dataset with with_related."""
    return json.dumps(
        dataset_dict(dataset, user=None, site=SITE_MARKER), ensure_ascii=False, sort_keys=False
    )


def _listed(keys: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The stored dicts of these datasets (DatasetListing), parsed in one go."""
    from krabuan.catalog.models import DatasetListing

    rows = list(DatasetListing.objects.filter(pk__in=keys).values_list("pk", "public_dict"))
    if not rows:
        return {}
    site = json.dumps(settings.KRABUAN_SITE_URL)[1:-1]
    text = "[" + ",".join(raw for _pk, raw in rows) + "]"
    parsed = json.loads(text.replace(_SITE_MARKER_JSON, site))
    return {py_id(pk): value for (pk, _raw), value in zip(rows, parsed, strict=True)}


def dataset_dicts(ids: list[uuid.UUID], *, user: Any) -> list[dict[str, Any]]:
    """package_show dicts for many datasets in the given order, in a constant number of queries
    (package_search results); ids that no longer exist are skipped. A caller who may edit no
    dataset gets the stored dicts (DatasetListing: one query instead of building each dict
    from its rows); a dataset without one, and every dataset for the catalog's editors, is
    built from its rows."""
    if not ids:
        return []
    keys = [py_id(pk) for pk in ids]
    found: dict[uuid.UUID, dict[str, Any]] = {} if can_edit_catalog(user) else _listed(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for dataset in with_related(Dataset.objects.filter(pk__in=missing)):
            found[dataset.pk] = dataset_dict(dataset, user=user)
    return [found[key] for key in keys if key in found]
