"""CKAN read actions: package_list/show, resource_show, current_package_list_with_resources,
tags and autocomplete; which datasets each caller sees through the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.catalog import dictize
from krabuan.catalog.selectors import dataset_get_for_user
from krabuan.catalog.services.datasets import dataset_delete
from krabuan.catalog.tests.ckan_support import (
    body,
    call,
    editor_token,
    make_dataset,
    make_draft,
    reader_token,
    result,
    touch_dataset,
)
from krabuan.catalog.tests.core_factories import resource_data

__all__ = ["editor_token", "reader_token"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(officer):
    """One dataset of each kind the API must tell apart."""
    return {
        "harvestable": make_dataset(officer, name="a-harvestable", title="ข้าวหอมมะลิ"),
        "harvestable2": make_dataset(officer, name="b-harvestable", title="มันสำปะหลัง"),
        "no_consent": make_dataset(officer, harvest=False, name="c-no-consent"),
        "private": make_dataset(officer, public=False, name="d-private"),
        "draft": make_draft(officer, name="e-draft"),
        "deleted": _deleted(officer, name="f-deleted"),
    }


def _deleted(officer, **overrides):
    dataset = make_dataset(officer, **overrides)
    dataset_delete(actor=officer, dataset=dataset)
    return dataset


def test_package_list_offers_anonymous_callers_only_harvestable_public_datasets(client, catalog):
    assert result(call(client, "package_list")) == ["a-harvestable", "b-harvestable"]
    # Parameters package_list does not take (ckanapi dump sends them) are ignored.
    extra = {"include_private": True, "include_drafts": True}
    assert result(call(client, "package_list", extra)) == ["a-harvestable", "b-harvestable"]


def test_package_list_for_staff_lists_every_active_public_dataset(client, catalog, editor_token):
    names = result(call(client, "package_list", token=editor_token))
    assert names == ["a-harvestable", "b-harvestable", "c-no-consent"]


def test_a_read_only_token_is_a_harvester_and_sees_the_harvestable_ones(
    client, catalog, reader_token
):
    assert result(call(client, "package_list", token=reader_token)) == [
        "a-harvestable",
        "b-harvestable",
    ]


def test_harvest_only_can_be_switched_off(client, catalog, settings):
    settings.KRABUAN_CKAN_HARVEST_ONLY = False
    assert result(call(client, "package_list")) == [
        "a-harvestable",
        "b-harvestable",
        "c-no-consent",
    ]
    assert result(call(client, "package_show", {"id": "c-no-consent"}))["allow_harvest"] == "False"


def test_package_list_pages_with_limit_and_offset(client, catalog):
    assert result(call(client, "package_list", {"limit": 1}, method="get")) == ["a-harvestable"]
    assert result(call(client, "package_list", {"limit": "1", "offset": "1"}, method="get")) == [
        "b-harvestable"
    ]
    assert result(call(client, "package_list", {"offset": 1})) == ["b-harvestable"]
    assert result(call(client, "package_list", {"limit": 0})) == []
    assert result(call(client, "package_list", {"limit": "๑"}, method="get")) == ["a-harvestable"]


def test_package_show_by_name_and_by_id_is_the_dataset_dict(client, catalog, officer):
    dataset = catalog["harvestable"]
    by_name = result(call(client, "package_show", {"id": dataset.name}))
    by_id = result(call(client, "package_show", {"id": str(dataset.pk)}, method="get"))
    assert by_name == by_id
    fresh = dataset_get_for_user(user=AnonymousUser(), id_or_name=dataset.name)
    assert by_name == dictize.dataset_dict(fresh, user=AnonymousUser())
    assert by_name["allow_harvest"] == "True"
    assert by_name["private"] is False
    assert by_name["organization"]["name"] == "ict"
    shown = call(client, "package_show", {"id": dataset.name, "use_default_schema": True})
    assert result(shown)["id"] == str(dataset.pk)


@pytest.mark.parametrize("kind", ["no_consent", "private", "draft", "deleted"])
def test_package_show_hides_what_anonymous_may_not_harvest(client, catalog, kind):
    response = call(client, "package_show", {"id": catalog[kind].name})
    assert response.status_code == 404
    assert body(response)["error"]["__type"] == "Not Found Error"


def test_package_show_for_staff_includes_private_and_draft(client, catalog, editor_token):
    for kind in ("no_consent", "private", "draft"):
        shown = result(call(client, "package_show", {"id": catalog[kind].name}, token=editor_token))
        assert shown["name"] == catalog[kind].name
    private = result(call(client, "package_show", {"id": "d-private"}, token=editor_token))
    assert private["private"] is True


def test_private_resources_are_hidden_from_viewers_who_cannot_edit(client, officer, editor_token):
    dataset = make_dataset(officer, name="with-private", resources=1)
    from krabuan.catalog.services.resources import resource_create

    hidden = resource_create(
        actor=officer, dataset=dataset, data=resource_data(resource_private="True")
    )
    public_view = result(call(client, "package_show", {"id": "with-private"}))
    assert public_view["num_resources"] == 1
    assert str(hidden.pk) not in [r["id"] for r in public_view["resources"]]
    staff_view = result(call(client, "package_show", {"id": "with-private"}, token=editor_token))
    assert staff_view["num_resources"] == 2
    assert call(client, "resource_show", {"id": str(hidden.pk)}).status_code == 404
    shown = result(call(client, "resource_show", {"id": str(hidden.pk)}, token=editor_token))
    assert shown["resource_private"] == "True"


def test_resource_show_is_the_resource_of_package_show(client, catalog):
    shown = result(call(client, "package_show", {"id": "a-harvestable"}))
    resource = shown["resources"][0]
    assert result(call(client, "resource_show", {"id": resource["id"]}, method="get")) == resource
    no_consent = catalog["no_consent"].resources.get()
    assert call(client, "resource_show", {"id": str(no_consent.pk)}).status_code == 404


def test_current_package_list_with_resources_newest_first(client, catalog, officer):
    touch_dataset(officer, catalog["harvestable"], "ปรับปรุงคำอธิบาย")
    listed = result(call(client, "current_package_list_with_resources"))
    assert [d["name"] for d in listed] == ["a-harvestable", "b-harvestable"]
    assert listed[0]["resources"][0]["url"].startswith("https://")
    page = result(call(client, "current_package_list_with_resources", {"limit": 1, "offset": 1}))
    assert [d["name"] for d in page] == ["b-harvestable"]
    by_page = result(call(client, "current_package_list_with_resources", {"limit": 1, "page": 2}))
    assert [d["name"] for d in by_page] == ["b-harvestable"]


def test_list_actions_use_a_constant_number_of_queries(client, officer):
    for n in range(2):
        make_dataset(officer, name=f"few-{n}")

    def queries(action):
        with CaptureQueriesContext(connection) as captured:
            result(call(client, action, {"limit": 1000}))
        return len(captured)

    few = {a: queries(a) for a in ("package_list", "current_package_list_with_resources")}
    for n in range(5):
        make_dataset(officer, name=f"many-{n}", resources=2)
    many = {a: queries(a) for a in ("package_list", "current_package_list_with_resources")}
    assert few == many


def test_tag_list_lists_tags_of_visible_datasets(client, officer):
    make_dataset(officer, name="tagged", tags=[{"name": "ข้าวหอมมะลิ"}, {"name": "ส่งออก"}])
    make_dataset(officer, public=False, name="tagged-private", tags=[{"name": "ลับเฉพาะ"}])
    tags = result(call(client, "tag_list"))
    assert tags == sorted(tags)
    assert "ข้าวหอมมะลิ" in tags and "ลับเฉพาะ" not in tags
    assert result(call(client, "tag_list", {"query": "ข้าว"}, method="get")) == ["ข้าวหอมมะลิ"]
    full = result(
        call(client, "tag_list", {"query": "ส่ง", "all_fields": True, "vocabulary_id": "x"})
    )
    assert full[0]["name"] == "ส่งออก" and full[0]["vocabulary_id"] is None


def test_autocomplete_actions_and_util_routes(client, officer):
    make_dataset(officer, name="rice-prices", title="ราคาข้าวเปลือก", tags=[{"name": "ข้าวเปลือก"}])
    found = result(call(client, "package_autocomplete", {"q": "rice"}))
    assert found[0]["name"] == "rice-prices" and found[0]["match_field"] == "name"
    by_title = result(call(client, "package_autocomplete", {"q": "ข้าวเปลือก"}, method="get"))
    assert by_title[0]["match_field"] == "title"
    assert result(call(client, "tag_autocomplete", {"query": "เปลือก"})) == ["ข้าวเปลือก"]
    assert result(call(client, "format_autocomplete", {"q": "cs"})) == ["csv"]
    tags = body(client.get("/api/2/util/tag/autocomplete", {"incomplete": "ข้าว"}))
    assert tags == {"ResultSet": {"Result": [{"Name": "ข้าวเปลือก"}]}}
    formats = body(client.get("/api/2/util/resource/format_autocomplete", {"incomplete": "CS"}))
    assert formats == {"ResultSet": {"Result": [{"Format": "csv"}]}}
    datasets = body(client.get("/api/2/util/dataset/autocomplete", {"incomplete": "rice"}))
    assert datasets["ResultSet"]["Result"][0]["name"] == "rice-prices"
