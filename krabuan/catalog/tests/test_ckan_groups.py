"""CKAN organization and group actions: *_list, *_show, organization_list_for_user."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.catalog.tests.ckan_support import (
    body,
    call,
    editor_token,
    make_dataset,
    reader_token,
    result,
)
from krabuan.catalog.tests.core_factories import group_make, org_make

__all__ = ["editor_token", "reader_token"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(officer):
    """Three organizations: ict has 2 harvestable + 1 private, rice 1 harvestable, empty none."""
    org_make()
    org_make("rice", "กรมการข้าว")
    org_make("zz-empty", "กองว่าง")
    group_make("category04", "ด้านเศรษฐกิจ")
    group_make("category06", "ด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม")
    economy = [{"name": "category04"}]
    make_dataset(officer, name="ict-one", groups=economy)
    make_dataset(officer, name="ict-two")
    make_dataset(officer, name="ict-private", public=False, groups=economy)
    make_dataset(officer, name="ict-no-consent", harvest=False, groups=economy)
    make_dataset(officer, name="rice-one", org_name="rice", groups=economy)


def test_organization_list_names_sorted_by_title(client, orgs):
    # Titles: กรมการข้าว < กองว่าง < ศูนย์เทคโนโลยี…
    assert result(call(client, "organization_list")) == ["rice", "zz-empty", "ict"]
    assert result(call(client, "organization_list", {"sort": "name desc"})) == [
        "zz-empty",
        "rice",
        "ict",
    ]


def test_organization_list_all_fields_counts_what_the_caller_sees(client, orgs, editor_token):
    listed = result(
        call(client, "organization_list", {"all_fields": True, "sort": "package_count desc"})
    )
    assert [(o["name"], o["package_count"]) for o in listed] == [
        ("ict", 2),
        ("rice", 1),
        ("zz-empty", 0),
    ]
    assert listed[0]["is_organization"] is True and listed[0]["type"] == "organization"
    staff = result(
        call(
            client,
            "organization_list",
            {"all_fields": True, "sort": "packages"},
            token=editor_token,
        )
    )
    # Staff also count the private dataset and the one without GD Catalog consent.
    assert (staff[0]["name"], staff[0]["package_count"]) == ("ict", 4)
    bare = result(
        call(client, "organization_list", {"all_fields": True, "include_dataset_count": False})
    )
    assert "package_count" not in bare[0]


def test_organization_list_filters_and_pages(client, orgs):
    assert result(call(client, "organization_list", {"q": "ข้าว"})) == ["rice"]
    assert result(call(client, "organization_list", {"organizations": ["ict", "rice"]})) == [
        "rice",
        "ict",
    ]
    assert result(call(client, "organization_list", {"limit": 1, "offset": 1})) == ["zz-empty"]
    assert result(call(client, "organization_list", {"limit": "2"}, method="get")) == [
        "rice",
        "zz-empty",
    ]


def test_group_list_and_counts(client, orgs):
    assert result(call(client, "group_list", {"sort": "name"})) == ["category04", "category06"]
    groups = result(call(client, "group_list", {"all_fields": True, "sort": "name asc"}))
    assert [(g["name"], g["package_count"]) for g in groups] == [
        ("category04", 2),
        ("category06", 0),
    ]
    assert groups[0]["is_organization"] is False
    assert result(call(client, "group_list", {"groups": ["category06"]})) == ["category06"]


def test_organization_show(client, orgs):
    shown = result(call(client, "organization_show", {"id": "ict"}))
    assert shown["name"] == "ict" and shown["package_count"] == 2
    assert shown["users"] == [] and "packages" not in shown
    with_datasets = result(
        call(
            client,
            "organization_show",
            {"id": shown["id"], "include_datasets": "true"},
            method="get",
        )
    )
    assert sorted(d["name"] for d in with_datasets["packages"]) == ["ict-one", "ict-two"]
    assert with_datasets["packages"][0]["resources"]


def test_organization_show_lists_at_most_ten_datasets(client, officer):
    org_make()
    for n in range(12):
        make_dataset(officer, name=f"many-{n:02d}")
    shown = result(call(client, "organization_show", {"id": "ict", "include_datasets": True}))
    assert shown["package_count"] == 12
    assert len(shown["packages"]) == 10


def test_group_show(client, orgs):
    shown = result(call(client, "group_show", {"id": "category04", "include_datasets": True}))
    assert shown["package_count"] == 2
    assert sorted(d["name"] for d in shown["packages"]) == ["ict-one", "rice-one"]
    assert call(client, "group_show", {"id": "ict"}).status_code == 404
    assert call(client, "organization_show", {"id": "category04"}).status_code == 404


def test_show_needs_an_id(client, orgs):
    response = call(client, "organization_show", {})
    assert response.status_code == 409
    assert "id" in body(response)["error"]


def test_organization_list_for_user(client, orgs, editor_token, reader_token, officer):
    mine = result(call(client, "organization_list_for_user", token=editor_token))
    assert [o["name"] for o in mine] == ["rice", "zz-empty", "ict"]
    assert {o["capacity"] for o in mine} == {"editor"}
    assert result(call(client, "organization_list_for_user", token=reader_token)) == []
    own = call(client, "organization_list_for_user", {"id": officer.username}, token=editor_token)
    assert len(result(own)) == 3
    other = call(client, "organization_list_for_user", {"id": "root"}, token=editor_token)
    assert other.status_code == 403


def test_organization_list_for_user_admin_may_look_up_others(client, orgs, admin_user, officer):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=admin_user).key
    mine = result(call(client, "organization_list_for_user", token=key))
    assert {o["capacity"] for o in mine} == {"admin"}
    theirs = result(call(client, "organization_list_for_user", {"id": officer.username}, token=key))
    assert {o["capacity"] for o in theirs} == {"editor"}
    assert (
        call(client, "organization_list_for_user", {"id": "nobody"}, token=key).status_code == 404
    )


def test_organization_list_query_count_is_constant(client, officer):
    org_make()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            result(call(client, "organization_list", {"all_fields": True}))
        return len(captured)

    before = queries()
    for n in range(4):
        org_make(f"org-{n}", f"หน่วยงาน {n}")
        make_dataset(officer, name=f"d-{n}", org_name=f"org-{n}")
    assert queries() == before
