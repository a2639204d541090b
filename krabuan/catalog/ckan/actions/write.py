"""Write actions for authorised tokens: package_create/update/patch/delete and resource_*.

Each calls one catalog service, so the API validates exactly as the staff editor does (Thai
messages by field → CKAN's Validation Error) and every change is audited and reindexed."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from krabuan.catalog import dictize, permissions, selectors
from krabuan.catalog.ckan.errors import IntegrityFailed, NotAuthorized
from krabuan.catalog.ckan.params import required_str
from krabuan.catalog.ckan.registry import ActionContext, action
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.services.datasets import (
    dataset_create,
    dataset_delete,
    dataset_patch,
    dataset_update,
)
from krabuan.catalog.services.resources import resource_create as resource_create_service
from krabuan.catalog.services.resources import resource_delete as resource_delete_service
from krabuan.catalog.services.resources import resource_update as resource_update_service

# Keys whose value must be a list of dicts; anything else is CKAN's DataError (Integrity Error).
LIST_OF_DICTS = ("tags", "groups", "extras", "resources")


def _check_structure(data: dict[str, Any]) -> None:
    for key in LIST_OF_DICTS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise IntegrityFailed(
                f"Only lists of dicts can be placed against subschema ('{key}',), "
                f"not {type(value)}",
                {k: v for k, v in data.items() if not isinstance(v, UploadedFile)},
            )


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The data without uploads (only resources take a file, through `upload`)."""
    _check_structure(data)
    return {k: v for k, v in data.items() if not isinstance(v, UploadedFile)}


def _editable_dataset(ctx: ActionContext, data: dict[str, Any], verb: str) -> Dataset:
    user = ctx.require_user(verb)
    key = str(data.get("id") or data.get("name") or "").strip()
    if not key:
        key = required_str(data, "id")
    dataset = selectors.dataset_get_for_user(user=user, id_or_name=key)
    if dataset.state == State.DELETED and permissions.can_edit_catalog(user):
        # A tombstone stays as it was deleted (harvesters reconcile against it).
        raise NotAuthorized(f"ชุดข้อมูล {dataset.name} ถูกลบแล้ว จึง{verb}ไม่ได้")
    if not permissions.can_edit_dataset(user, dataset):
        raise NotAuthorized(f"ผู้ใช้ {user.get_username()} ไม่มีสิทธิ์{verb} {dataset.name}")
    return dataset


def _editable_resource(ctx: ActionContext, data: dict[str, Any], verb: str) -> Resource:
    user = ctx.require_user(verb)
    resource = selectors.resource_get_for_user(user=user, resource_id=required_str(data, "id"))
    if not permissions.can_edit_dataset(user, resource.dataset):
        raise NotAuthorized(f"ผู้ใช้ {user.get_username()} ไม่มีสิทธิ์{verb} {resource.pk}")
    return resource


def _upload(data: dict[str, Any]) -> UploadedFile | None:
    upload = data.get("upload")
    return upload if isinstance(upload, UploadedFile) else None


@action(side_effect_free=False)
def package_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create a new dataset (package) with the thai_gdc (DGA) metadata.

    Fields are top-level keys (``extras`` [{key, value}] are accepted too); the 14 mandatory
    items, ``data_type`` and ``name`` are required and choice fields take the exact Thai values.

    :param name: the URL name (≤70 characters: lower-case a-z, 0-9, ``-`` and ``_``)
    :type name: string
    :param title: the title (unique)
    :type title: string
    :param owner_org: the id or name of the owning organization
    :type owner_org: string
    :param private: "True"/"False" or a boolean (optional, default: ``True``)
    :type private: bool
    :param tags: [{"name": ...}] (Thai words with vowels and tone marks are valid) (optional)
    :type tags: list of dictionaries
    :param groups: [{"name": "category01"}] (optional)
    :type groups: list of dictionaries
    :param resources: the dataset's resources (optional)
    :type resources: list of dictionaries
    :returns: the newly created dataset, as package_show
    :rtype: dictionary
    """
    user = ctx.require_user("สร้างชุดข้อมูล")
    if not permissions.can_edit_catalog(user):
        raise NotAuthorized(f"ผู้ใช้ {user.get_username()} ไม่มีสิทธิ์สร้างชุดข้อมูล")
    dataset = dataset_create(actor=user, data=_clean(data))
    return _shown(ctx, dataset)


def _shown(ctx: ActionContext, dataset: Dataset) -> dict[str, Any]:
    fresh = selectors.dataset_get_for_user(user=ctx.user, id_or_name=str(dataset.pk))
    return dictize.dataset_dict(fresh, user=ctx.user)


@action(side_effect_free=False)
def package_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Update a dataset (package): the given dict replaces the dataset's metadata, as CKAN's
    package_update does (fields left out are cleared; resources left out are removed).

    :param id: the id or name of the dataset to update
    :type id: string
    :returns: the updated dataset, as package_show
    :rtype: dictionary
    """
    dataset = _editable_dataset(ctx, data, "แก้ไขชุดข้อมูล")
    updated = dataset_update(actor=ctx.user, dataset=dataset, data=_clean(data))
    return _shown(ctx, updated)


@action(side_effect_free=False)
def package_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Patch a dataset (package): only the given fields change.

    :param id: the id or name of the dataset to patch
    :type id: string
    :returns: the patched dataset, as package_show
    :rtype: dictionary
    """
    dataset = _editable_dataset(ctx, data, "แก้ไขชุดข้อมูล")
    patched = dataset_patch(actor=ctx.user, dataset=dataset, data=_clean(data))
    return _shown(ctx, patched)


@action(side_effect_free=False)
def package_delete(ctx: ActionContext, data: dict[str, Any]) -> None:
    """Delete a dataset (package): it becomes a tombstone (``state: deleted``), which
    package_search lists with ``include_deleted`` so that harvesters can reconcile.

    :param id: the id or name of the dataset to delete
    :type id: string
    """
    user = ctx.require_user("ลบชุดข้อมูล")
    key = required_str(data, "id")
    dataset = selectors.dataset_get_for_user(user=user, id_or_name=key)
    if dataset.state == State.DELETED and permissions.can_edit_catalog(user):
        return None  # deleting a tombstone again changes nothing, as in CKAN
    if not permissions.can_edit_dataset(user, dataset):
        raise NotAuthorized(f"ผู้ใช้ {user.get_username()} ไม่มีสิทธิ์ลบชุดข้อมูล {dataset.name}")
    dataset_delete(actor=user, dataset=dataset)
    return None


@action(side_effect_free=False)
def resource_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Append a new resource to a dataset: a link (``url``) or a file sent as multipart in
    ``upload``. Uploaded files are scanned for personal data before the dataset can go public.

    :param package_id: the id or name of the dataset
    :type package_id: string
    :param url: the URL of the resource (optional with ``upload``)
    :type url: string
    :param upload: the file (multipart/form-data) (optional)
    :type upload: FieldStorage
    :param name: the name (optional)
    :type name: string
    :param format: the format, e.g. CSV (optional; guessed from the file)
    :type format: string
    :returns: the newly created resource
    :rtype: dictionary
    """
    dataset = _editable_dataset(ctx, {"id": required_str(data, "package_id")}, "เพิ่มทรัพยากร")
    fields = _clean({k: v for k, v in data.items() if k not in ("package_id", "upload")})
    resource = resource_create_service(
        actor=ctx.user, dataset=dataset, data=fields, upload=_upload(data)
    )
    return dictize.resource_dict(Resource.objects.select_related("dataset").get(pk=resource.pk))


@action(side_effect_free=False)
def resource_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Update a resource: the given dict replaces its metadata; a new file may come in
    ``upload``.

    :param id: the id of the resource to update
    :type id: string
    :returns: the updated resource
    :rtype: dictionary
    """
    resource = _editable_resource(ctx, data, "แก้ไขทรัพยากร")
    fields = _clean({k: v for k, v in data.items() if k not in ("id", "upload")})
    updated = resource_update_service(
        actor=ctx.user, resource=resource, data=fields, upload=_upload(data)
    )
    return dictize.resource_dict(Resource.objects.select_related("dataset").get(pk=updated.pk))


# Keys of resource_show that the server computes; a patch never sends them back as input.
_COMPUTED = {
    "id",
    "package_id",
    "created",
    "created_at",
    "last_modified",
    "metadata_modified",
    "state",
    "size",
    "hash",
    "mimetype",
    "mimetype_inner",
    "position",
    "resource_type",
    "cache_url",
    "cache_last_updated",
    "datastore_active",
}


@action(side_effect_free=False)
def resource_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Patch a resource: only the given fields change (the others keep their values).

    :param id: the id of the resource to patch
    :type id: string
    :returns: the patched resource
    :rtype: dictionary
    """
    resource = _editable_resource(ctx, data, "แก้ไขทรัพยากร")
    # CKAN's resource_patch is resource_show merged with the patch, sent to resource_update.
    current = {k: v for k, v in dictize.resource_dict(resource).items() if k not in _COMPUTED}
    changes = _clean({k: v for k, v in data.items() if k not in ("id", "upload")})
    if "url" in changes and "url_type" not in changes:
        current.pop("url_type", None)  # a new link replaces a stored file
    fields = {k: v for k, v in {**current, **changes}.items() if v is not None}
    patched = resource_update_service(
        actor=ctx.user, resource=resource, data=fields, upload=_upload(data)
    )
    return dictize.resource_dict(Resource.objects.select_related("dataset").get(pk=patched.pk))


@action(side_effect_free=False)
def resource_delete(ctx: ActionContext, data: dict[str, Any]) -> None:
    """Delete a resource from its dataset.

    :param id: the id of the resource
    :type id: string
    """
    resource = _editable_resource(ctx, data, "ลบทรัพยากร")
    resource_delete_service(actor=ctx.user, resource=resource)
    return None
