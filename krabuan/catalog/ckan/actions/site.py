"""Site-level actions: status_show (with thai_gdc's keys), help_show, license_list, tags and
the autocomplete actions."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from krabuan.catalog import schema
from krabuan.catalog.ckan import access, autocomplete
from krabuan.catalog.ckan.errors import ObjectNotFound
from krabuan.catalog.ckan.params import as_bool, as_int, as_str, required_str
from krabuan.catalog.ckan.registry import ACTIONS, ActionContext, action
from krabuan.catalog.models import Tag
from krabuan.core.thai import normalize_text

# What this catalog presents itself as: CKAN 2.10 with thai_gdc 2.2.4 (catalog.md §c, S2).
CKAN_VERSION = "2.10.4"
THAIGDC_VERSION = "2.2.4"
THAIGDC_DATE = "2024-10-22"
# Only what Krabuan really serves: the thai_gdc schema and behaviour, and the DCAT endpoints.
EXTENSIONS = ["thai_gdc", "scheming_datasets", "dcat", "dcat_json_interface"]
DEFAULT_TITLE = "บัญชีข้อมูลหน่วยงาน (Agency Data Catalog)"
DEFAULT_DESCRIPTION = "บัญชีข้อมูลและชุดข้อมูลเปิดของหน่วยงาน ตามมาตรฐานคำอธิบายข้อมูลของ สพร. (DGA)"


@action(side_effect_free=True)
def status_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return a dictionary with information about the site's configuration.

    Besides CKAN's keys it carries those of the thai_gdc extension that GD Catalog reads:
    ``thaigdc_catalog_type``, ``thaigdc_is_as_a_service``, ``thaigdc_version`` and
    ``thaigdc_update``.

    :rtype: dictionary
    """
    admins = getattr(settings, "ADMINS", [])
    return {
        "site_title": getattr(settings, "KRABUAN_CATALOG_TITLE", DEFAULT_TITLE),
        "site_description": getattr(settings, "KRABUAN_CATALOG_DESCRIPTION", DEFAULT_DESCRIPTION),
        "site_url": ctx.site_url(),
        "error_emails_to": getattr(settings, "KRABUAN_CATALOG_CONTACT_EMAIL", None)
        or (admins[0][1] if admins else None),
        "locale_default": "th",
        "extensions": list(EXTENSIONS),
        "ckan_version": CKAN_VERSION,
        "thaigdc_catalog_type": getattr(settings, "KRABUAN_CATALOG_ORG_TYPE", "agency"),
        "thaigdc_is_as_a_service": "false",
        "thaigdc_version": THAIGDC_VERSION,
        "thaigdc_update": {"thai_gdc": THAIGDC_DATE, "xloader": "", "discovery": ""},
    }


@action(side_effect_free=True)
def help_show(ctx: ActionContext, data: dict[str, Any]) -> str:
    """Return the help string for a particular API action.

    :param name: Action function name (eg `package_create`)
    :type name: string
    :returns: The help string for the action function
    :rtype: string
    """
    name = required_str(data, "name")
    spec = ACTIONS.get(name)
    if spec is None:
        raise ObjectNotFound("Action function not found")
    return spec.doc


@action(side_effect_free=True)
def license_list(ctx: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the list of licenses available for datasets on the site (thai_gdc's list).

    :rtype: list of dictionaries
    """
    return [
        {
            "id": lic.id,
            "title": lic.title,
            "url": lic.url,
            "status": "active",
            "maintainer": "",
            "family": "",
            "domain_content": False,
            "domain_data": lic.isopen,
            "domain_software": False,
            "is_generic": lic.id == schema.OTHER,
            "od_conformance": lic.od_conformance,
            "osd_conformance": "not reviewed",
            "is_okd_compliant": lic.od_conformance == "approved",
            "is_osi_compliant": False,
        }
        for lic in schema.LICENSES
    ]


@action(side_effect_free=True)
def tag_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return a list of the site's tags (those on datasets the caller can see).

    :param query: a tag name query to search for, if given only tags whose names
        contain this string will be returned (optional)
    :type query: string
    :param vocabulary_id: ignored: this site has free tags only (optional)
    :type vocabulary_id: string
    :param all_fields: return full tag dictionaries instead of just names
        (optional, default: ``False``)
    :type all_fields: bool
    :rtype: list of strings or dictionaries
    """
    query = normalize_text(as_str(data, "query") or as_str(data, "q")).strip()
    tags = Tag.objects.filter(datasets__in=access.visible(ctx.user)).distinct().order_by("name")
    if query:
        tags = tags.filter(name__icontains=query)
    if not as_bool(data, "all_fields"):
        return list(tags.values_list("name", flat=True))
    return [
        {"id": str(t.pk), "name": t.name, "display_name": t.name, "vocabulary_id": None}
        for t in tags
    ]


@action(side_effect_free=True)
def tag_autocomplete(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Return a list of tag names that contain the given string.

    :param query: the string to search for
    :type query: string
    :param limit: the maximum number of tags to return (optional, default: ``10``)
    :type limit: int
    :rtype: list of strings
    """
    query = (as_str(data, "query") or as_str(data, "q")).strip()
    limit = as_int(data, "limit", 10, minimum=1) or 10
    if not query:
        return []
    return autocomplete.tags(user=ctx.user, incomplete=query, limit=min(limit, 100))


@action(side_effect_free=True)
def format_autocomplete(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Return a list of resource formats whose names contain a string.

    :param q: the string to search for
    :type q: string
    :param limit: the maximum number of formats to return (optional, default: ``5``)
    :type limit: int
    :rtype: list of strings
    """
    query = required_str(data, "q")
    limit = as_int(data, "limit", 5, minimum=1) or 5
    return autocomplete.formats(user=ctx.user, incomplete=query, limit=min(limit, 100))


@action(side_effect_free=True)
def package_autocomplete(ctx: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a list of datasets (packages) that match a string.

    Datasets with names or titles that contain the query string are returned.

    :param q: the string to search for
    :type q: string
    :param limit: the maximum number of datasets to return (optional, default: ``10``)
    :type limit: int
    :rtype: list of dictionaries (name, title, match_field, match_displayed)
    """
    query = required_str(data, "q")
    limit = as_int(data, "limit", 10, minimum=1) or 10
    return autocomplete.datasets(user=ctx.user, q=query, limit=min(limit, 100))
