"""Read actions on datasets and resources: package_list, package_show, resource_show,
current_package_list_with_resources."""

from __future__ import annotations

from typing import Any

from krabuan.catalog import dictize, selectors
from krabuan.catalog.ckan import access
from krabuan.catalog.ckan.errors import ObjectNotFound
from krabuan.catalog.ckan.params import ROWS_MAX, as_int, required_str
from krabuan.catalog.ckan.registry import ActionContext, action
from krabuan.catalog.models import Dataset
from krabuan.core.errors import NotFound


def _page(data: dict[str, Any], *, default_limit: int | None) -> tuple[int, int | None]:
    limit = as_int(data, "limit", default_limit, minimum=0)
    offset = as_int(data, "offset", 0, minimum=0) or 0
    return offset, limit


@action(side_effect_free=True)
def package_list(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Return a list of the names of the site's active public datasets, ordered by name.

    Other parameters (include_private, include_drafts…) are ignored, as in CKAN.

    :param limit: if given, the list of datasets will be broken into pages of
        at most ``limit`` datasets per page and only one page will be returned
        at a time (optional)
    :type limit: int
    :param offset: when ``limit`` is given, the offset to start returning packages from
    :type offset: int
    :rtype: list of strings
    """
    offset, limit = _page(data, default_limit=None)
    names = access.public(ctx.user).order_by("name").values_list("name", flat=True)
    if limit is None:
        return list(names[offset:])
    return list(names[offset : offset + limit])


def dataset_for_api(ctx: ActionContext, id_or_name: str) -> Dataset:
    """A dataset the caller may read through the API (404 for missing and hidden alike)."""
    dataset = selectors.dataset_get_for_user(user=ctx.user, id_or_name=id_or_name)
    if access.harvest_only(ctx.user) and not dataset.allow_harvest:
        raise NotFound(selectors.DATASET_NOT_FOUND)
    return dataset


@action(side_effect_free=True)
def package_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the metadata of a dataset (package) and its resources.

    Every thai_gdc field is a top-level key; resources marked resource_private are left out
    for callers who may not edit the dataset.

    :param id: the id or name of the dataset
    :type id: string
    :param use_default_schema: ignored (there is one schema) (optional)
    :type use_default_schema: bool
    :param include_plugin_data: ignored (optional)
    :type include_plugin_data: bool
    :rtype: dictionary
    """
    dataset = dataset_for_api(ctx, required_str(data, "id"))
    return dictize.dataset_dict(dataset, user=ctx.user)


@action(side_effect_free=True)
def resource_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the metadata of a resource, as its dataset's package_show lists it.

    :param id: the id of the resource
    :type id: string
    :rtype: dictionary
    """
    resource_id = required_str(data, "id")
    resource = selectors.resource_get_for_user(user=ctx.user, resource_id=resource_id)
    dataset = dataset_for_api(ctx, str(resource.dataset_id))
    for res in dictize.dataset_dict(dataset, user=ctx.user)["resources"]:
        if res["id"] == str(resource.pk):
            return res
    raise ObjectNotFound(selectors.RESOURCE_NOT_FOUND)


@action(side_effect_free=True)
def current_package_list_with_resources(
    ctx: ActionContext, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return a list of the site's active public datasets and their resources, most recently
    modified first.

    :param limit: if given, the list of datasets will be broken into pages of
        at most ``limit`` datasets per page and only one page will be returned
        at a time (optional, at most 1000)
    :type limit: int
    :param offset: when ``limit`` is given, the offset to start returning packages from
    :type offset: int
    :param page: when ``limit`` is given, which page to return, Deprecated: use ``offset``
    :type page: int
    :rtype: list of dictionaries
    """
    offset, limit = _page(data, default_limit=None)
    limit = min(limit if limit is not None else ROWS_MAX, ROWS_MAX)
    if "offset" not in data and data.get("page") not in (None, ""):
        page = as_int(data, "page", 1, minimum=1) or 1
        offset = (page - 1) * limit
    ids = list(
        access.public(ctx.user)
        .order_by("-metadata_modified", "id")
        .values_list("pk", flat=True)[offset : offset + limit]
    )
    return dictize.dataset_dicts(ids, user=ctx.user)
