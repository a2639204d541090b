"""Organizations and groups: *_list, *_show and organization_list_for_user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from krabuan.catalog import dictize, permissions, selectors
from krabuan.catalog.ckan import access
from krabuan.catalog.ckan.errors import NotAuthorized, ObjectNotFound, field_invalid
from krabuan.catalog.ckan.params import as_bool, as_int, as_str, as_str_list, required_str
from krabuan.catalog.ckan.registry import ActionContext, action
from krabuan.catalog.models import Group, Organization, State
from krabuan.org.models import Role
from krabuan.org.permissions import user_roles

# thai_gdc sets ckan.group_and_organization_list_max and …_all_fields_max to 300.
LIST_MAX = 300
SORT_FIELDS = {"name": "name", "title": "title", "package_count": "package_count"}
# organization_show lists an organization's first 10 datasets, group_show a group's first 1000.
SHOW_DATASETS = {True: 10, False: 1000}


def _order(sort: str) -> list[str]:
    """CKAN's `_unpick_search` on `sort` (e.g. "package_count desc, name")."""
    sort = sort.strip() or "title asc"
    if sort == "packages":
        sort = "package_count desc"
    order: list[str] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        field = "package_count" if words[0] == "packages" else words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if field not in SORT_FIELDS or direction not in ("asc", "desc") or len(words) > 2:
            raise field_invalid(
                "sort", f"เรียงตาม {part.strip()} ไม่ได้ (ใช้ name, title, package_count)"
            )
        order.append(("-" if direction == "desc" else "") + SORT_FIELDS[field])
    return [*order, "name"]


def _counted(model: type[Organization] | type[Group], user: Any) -> QuerySet[Any]:
    visible = access.visible(user).filter(state=State.ACTIVE).values("pk")
    return model.objects.filter(state=State.ACTIVE).annotate(
        package_count=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
    )


def _list(ctx: ActionContext, data: dict[str, Any], *, is_org: bool) -> list[Any]:
    model: type[Organization] | type[Group] = Organization if is_org else Group
    rows = _counted(model, ctx.user).order_by(*_order(as_str(data, "sort")))
    names = as_str_list(data, "organizations" if is_org else "groups") or as_str_list(
        data, "groups"
    )
    if names:
        rows = rows.filter(name__in=names)
    q = as_str(data, "q").strip()
    if q:
        rows = rows.filter(
            Q(name__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    limit = min(as_int(data, "limit", LIST_MAX, minimum=0) or 0, LIST_MAX)
    offset = as_int(data, "offset", 0, minimum=0) or 0
    page = list(rows[offset : offset + limit])
    if not as_bool(data, "all_fields"):
        return [row.name for row in page]
    with_count = as_bool(data, "include_dataset_count", True)
    out = []
    for row in page:
        count = row.package_count if with_count else None
        item = (
            dictize.organization_dict(row, package_count=count)
            if is_org
            else dictize.group_dict(row, package_count=count)
        )
        if not as_bool(data, "include_extras"):
            item.pop("extras", None)
        out.append(item)
    return out


@action(side_effect_free=True)
def organization_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return a list of the names of the site's organizations.

    :param sort: sorting of the results, a field and an order: name, title or package_count,
        asc or desc (optional, default: ``title asc``)
    :type sort: string
    :param limit: the maximum number of organizations returned (optional, default and
        maximum: ``300``)
    :type limit: int
    :param offset: when ``limit`` is given, the offset to start returning organizations from
    :type offset: int
    :param q: only organizations whose name, title or description contain this text (optional)
    :type q: string
    :param organizations: a list of names of the organizations to return (optional)
    :type organizations: list of strings
    :param all_fields: return organization dictionaries instead of just names
        (optional, default: ``False``)
    :type all_fields: bool
    :param include_dataset_count: with all_fields, add ``package_count`` (optional, default: True)
    :type include_dataset_count: bool
    :param include_extras: with all_fields, add ``extras`` (optional, default: False)
    :type include_extras: bool
    :rtype: list of strings or dictionaries
    """
    return _list(ctx, data, is_org=True)


@action(side_effect_free=True)
def group_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return a list of the names of the site's groups (the thai_gdc area groups).

    Parameters as organization_list (with ``groups`` for the list of names).

    :rtype: list of strings or dictionaries
    """
    return _list(ctx, data, is_org=False)


def _show(ctx: ActionContext, data: dict[str, Any], *, is_org: bool) -> dict[str, Any]:
    key = required_str(data, "id")
    row = (
        selectors.organization_get(id_or_name=key)
        if is_org
        else selectors.group_get(id_or_name=key)
    )
    model: type[Organization] | type[Group] = Organization if is_org else Group
    count = _counted(model, ctx.user).get(pk=row.pk).package_count
    with_count = as_bool(data, "include_dataset_count", True)
    out = (
        dictize.organization_dict(row, package_count=count if with_count else None)  # type: ignore[arg-type]
        if is_org
        else dictize.group_dict(row, package_count=count if with_count else None)  # type: ignore[arg-type]
    )
    if not as_bool(data, "include_extras", True):
        out.pop("extras", None)
    # Membership is the platform's own (roles per unit) and is not published.
    if as_bool(data, "include_users", True):
        out["users"] = []
    if as_bool(data, "include_groups", True):
        out["groups"] = []
    if as_bool(data, "include_tags", True):
        out["tags"] = []
    if as_bool(data, "include_datasets"):
        member = {"owner_org": row.pk} if is_org else {"groups": row.pk}
        ids = list(
            access.visible(ctx.user)
            .filter(state=State.ACTIVE, **member)
            .order_by("-metadata_modified", "id")
            .values_list("pk", flat=True)[: SHOW_DATASETS[is_org]]
        )
        out["packages"] = dictize.dataset_dicts(ids, user=ctx.user)
    return out


@action(side_effect_free=True)
def organization_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the details of an organization.

    :param id: the id or name of the organization
    :type id: string
    :param include_datasets: include a truncated list of the organization's datasets
        (its first 10, most recently modified first) (optional, default: ``False``)
    :type include_datasets: bool
    :param include_dataset_count: include ``package_count`` (optional, default: ``True``)
    :type include_dataset_count: bool
    :param include_extras: include ``extras`` (optional, default: ``True``)
    :type include_extras: bool
    :param include_users: include ``users`` (always empty here) (optional, default: ``True``)
    :type include_users: bool
    :rtype: dictionary
    """
    return _show(ctx, data, is_org=True)


@action(side_effect_free=True)
def group_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the details of a group.

    Parameters as organization_show; with include_datasets a group lists its first 1000.

    :rtype: dictionary
    """
    return _show(ctx, data, is_org=False)


@action(side_effect_free=True)
def organization_list_for_user(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return the organizations the user may add datasets to.

    Catalog editors (officers, group heads, the director, administrators) keep every
    organization's datasets, so they get them all; other users get none.

    :param id: the name or id of the user (optional, default: the caller; another user's
        list needs an administrator)
    :type id: string
    :param permission: ignored: editing the catalog is one permission (optional)
    :type permission: string
    :param include_dataset_count: include ``package_count`` (optional, default: ``False``)
    :type include_dataset_count: bool
    :rtype: list of dictionaries
    """
    user = ctx.user
    wanted = as_str(data, "id").strip()
    if wanted and (not user.is_authenticated or wanted not in (user.get_username(), str(user.pk))):
        if not (user.is_authenticated and getattr(user, "is_superuser", False)):
            raise NotAuthorized("ดูรายการหน่วยงานของผู้ใช้อื่นได้เฉพาะผู้ดูแลระบบ")
        user = _user_by_name_or_id(wanted)
    if not user.is_authenticated or not permissions.can_edit_catalog(user):
        return []
    capacity = "admin" if Role.ADMIN in user_roles(user) else "editor"
    with_count = as_bool(data, "include_dataset_count")
    out = []
    for org in _counted(Organization, ctx.user).order_by("title", "name"):
        item = dictize.organization_dict(
            org, package_count=org.package_count if with_count else None
        )
        item["capacity"] = capacity
        out.append(item)
    return out


def _user_by_name_or_id(key: str) -> Any:
    model = get_user_model()
    found = model.objects.filter(**{model.USERNAME_FIELD: key}).first()
    if found is None and key.isdigit() and len(key) < 10:
        found = model.objects.filter(pk=int(key)).first()
    if found is None:
        raise ObjectNotFound("ไม่พบผู้ใช้")
    return found
