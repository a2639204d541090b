"""No input makes the Action API fail with a 500: every action, odd values in every parameter,
through POST JSON (with an editor's token, so writes reach validation) and GET."""

from __future__ import annotations

import json

import pytest

from krabuan.catalog.ckan.registry import ACTIONS, action_get
from krabuan.catalog.tests.ckan_support import editor_token, make_dataset

__all__ = ["editor_token"]

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    "",
    "   ",
    "x" * 3000,
    [],
    ["a", "b"],
    {},
    {"a": 1},
    [{"name": 1}],
    "ข้าว",
    "\u200bข้า\u0e49ว",
    "'; DROP TABLE catalog_dataset; --",
    "*:*",
    "(",
    '"',
    "a:b:c",
    "-",
    "OR AND NOT",
    "metadata_modified:[x TO y]",
    "[1, 2",
    "๑๒๓",
]
# Writes validate through the catalog's services (tested on their own); a smaller set of shapes
# keeps this run short while still reaching every branch of the API's own parsing.
WRITE_VALUES = [None, -1, 10**30, True, "", "x" * 3000, [], {"a": 1}, [{"name": 1}], "ข้าว", "("]
KEYS = {
    "package_list": ["limit", "offset"],
    "package_show": ["id", "use_default_schema"],
    "package_search": [
        "q",
        "fq",
        "fq_list",
        "sort",
        "rows",
        "start",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "include_private",
        "include_drafts",
        "include_deleted",
        "fl",
    ],
    "current_package_list_with_resources": ["limit", "offset", "page"],
    "organization_list": ["sort", "limit", "offset", "q", "organizations", "all_fields"],
    "group_list": ["sort", "limit", "groups", "all_fields", "include_extras"],
    "organization_show": ["id", "include_datasets", "include_users"],
    "group_show": ["id", "include_datasets"],
    "organization_list_for_user": ["id", "include_dataset_count"],
    "resource_show": ["id"],
    "tag_list": ["query", "all_fields"],
    "tag_autocomplete": ["query", "limit"],
    "format_autocomplete": ["q", "limit"],
    "package_autocomplete": ["q", "limit"],
    "help_show": ["name"],
    "license_list": ["x"],
    "status_show": ["x"],
    "package_create": ["name", "title", "tags", "resources", "private", "owner_org", "extras"],
    "package_update": ["id", "name", "groups", "objective", "allow_harvest"],
    "package_patch": ["id", "notes", "data_type", "tags", "private", "last_updated_date"],
    "package_delete": ["id"],
    "resource_create": ["package_id", "url", "format", "resource_private", "upload"],
    "resource_update": ["id", "url", "name"],
    "resource_patch": ["id", "url", "description", "resource_private"],
    "resource_delete": ["id"],
}


@pytest.fixture
def base(officer):
    dataset = make_dataset(officer, name="fuzz-base")
    return {"dataset": "fuzz-base", "resource": str(dataset.resources.get().pk)}


def _defaults(action: str, base: dict[str, str]) -> dict[str, object]:
    if action.startswith("resource_") and action not in ("resource_create",):
        return {"id": base["resource"]}
    if action == "resource_create":
        return {"package_id": base["dataset"]}
    if action.startswith("package_") and action not in ("package_create", "package_search"):
        return {"id": base["dataset"]}
    return {}


def test_every_action_is_listed():
    action_get("status_show")
    assert set(ACTIONS) == set(KEYS)


def test_odd_values_never_cause_a_server_error(client, base, editor_token):
    failures = []
    for action, keys in KEYS.items():
        values = ODD_VALUES if action_get(action).side_effect_free else WRITE_VALUES  # type: ignore[union-attr]
        for key in keys:
            for value in values:
                data = {**_defaults(action, base), key: value}
                response = client.post(
                    f"/api/3/action/{action}",
                    json.dumps(data),
                    content_type="application/json",
                    headers={"Authorization": editor_token},
                )
                if response.status_code >= 500 or not response["Content-Type"].startswith(
                    "application/json"
                ):
                    failures.append((action, key, value, response.status_code))
    assert failures == []


def test_odd_query_strings_never_cause_a_server_error(client, base):
    failures = []
    for action, keys in KEYS.items():
        if not action_get(action).side_effect_free:  # type: ignore[union-attr]
            continue
        for key in keys:
            for value in ODD_VALUES:
                if value is None or isinstance(value, dict):
                    continue
                params = {key: value if not isinstance(value, list) else value or [""]}
                response = client.get(f"/api/3/action/{action}", params)
                if response.status_code >= 500:
                    failures.append((action, key, value, response.status_code))
    assert failures == []


def test_nul_characters_in_a_body_are_refused(client, editor_token):
    response = client.post(
        "/api/3/action/package_search",
        json.dumps({"q": "ข้าว\x00"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert json.loads(response.content).startswith("Bad request - JSON Error")
