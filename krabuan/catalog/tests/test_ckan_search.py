"""CKAN package_search: parameters, result shape, facets, visibility, paging."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.catalog.services.datasets import dataset_delete
from krabuan.catalog.tests.ckan_support import (
    body,
    call,
    editor_token,
    make_dataset,
    make_draft,
    reader_token,
    result,
)
from krabuan.catalog.tests.core_factories import group_make, org_make

__all__ = ["editor_token", "reader_token"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(officer):
    org_make()
    org_make("rice", "กรมการข้าว")
    group_make("category04", "ด้านเศรษฐกิจ")
    made = {
        "jasmine": make_dataset(
            officer,
            name="jasmine-rice",
            title="ข้าวหอมมะลิ",
            tags=[{"name": "ข้าว"}, {"name": "ส่งออก"}],
            groups=[{"name": "category04"}],
        ),
        "cassava": make_dataset(
            officer,
            name="cassava",
            title="มันสำปะหลัง",
            notes="ปริมาณการผลิตมันสำปะหลังรายจังหวัด",
            tags=[{"name": "พืชไร่"}],
        ),
        "rice_org": make_dataset(
            officer, name="rice-seed", title="เมล็ดพันธุ์ข้าว", org_name="rice", tags=[{"name": "ข้าว"}]
        ),
        "no_consent": make_dataset(officer, name="no-consent", title="ข้าวโพด", harvest=False),
        "private": make_dataset(officer, name="private-one", title="ข้าวลับ", public=False),
        "draft": make_draft(officer, name="draft-one", title="ข้าวร่าง"),
        "deleted": make_dataset(officer, name="deleted-one", title="ข้าวที่ลบ"),
    }
    dataset_delete(actor=officer, dataset=made["deleted"])
    return made


def _names(answer):
    return sorted(d["name"] for d in answer["results"])


def test_default_search_shape(client, catalog):
    answer = result(call(client, "package_search"))
    assert set(answer) == {"count", "facets", "results", "sort", "search_facets"}
    assert answer["count"] == 3
    assert answer["sort"] == "score desc, metadata_modified desc"
    assert answer["facets"] == {} and answer["search_facets"] == {}
    assert _names(answer) == ["cassava", "jasmine-rice", "rice-seed"]


def test_results_are_identical_to_package_show(client, catalog):
    answer = result(call(client, "package_search", {"q": "*:*", "rows": 100}))
    for found in answer["results"]:
        assert found == result(call(client, "package_show", {"id": found["id"]}))


def test_thai_query_finds_words_inside_titles(client, catalog):
    answer = result(call(client, "package_search", {"q": "ข้าว"}, method="get"))
    assert _names(answer) == ["jasmine-rice", "rice-seed"]
    assert (
        result(call(client, "package_search", {"q": "มันสำปะหลัง"}))["results"][0]["name"]
        == "cassava"
    )


def test_fq_filters_like_ckan(client, catalog):
    by_org = result(call(client, "package_search", {"fq": "organization:rice"}))
    assert _names(by_org) == ["rice-seed"]
    negated = result(call(client, "package_search", {"fq": "-organization:rice"}))
    assert _names(negated) == ["cassava", "jasmine-rice"]
    either = result(call(client, "package_search", {"fq": "tags:ส่งออก OR tags:พืชไร่"}))
    assert _names(either) == ["cassava", "jasmine-rice"]
    quoted = result(call(client, "package_search", {"fq": 'groups:"category04"'}))
    assert _names(quoted) == ["jasmine-rice"]
    listed = result(call(client, "package_search", {"fq_list": ["tags:ข้าว", "organization:ict"]}))
    assert _names(listed) == ["jasmine-rice"]
    harvest = result(call(client, "package_search", {"fq": "allow_harvest:True"}))
    assert harvest["count"] == 3


def test_staff_see_datasets_without_consent_and_can_filter_on_it(client, catalog, editor_token):
    everyone = result(call(client, "package_search", {"rows": 100}, token=editor_token))
    assert "no-consent" in _names(everyone)
    no_consent = result(
        call(client, "package_search", {"fq": "allow_harvest:False"}, token=editor_token)
    )
    assert _names(no_consent) == ["no-consent"]
    anonymous = result(call(client, "package_search", {"fq": "allow_harvest:False"}))
    assert anonymous["count"] == 0


def test_include_private_and_drafts_only_for_those_who_may_see_them(
    client, catalog, editor_token, reader_token
):
    flags = {"include_private": True, "include_drafts": True, "rows": 100}
    staff = _names(result(call(client, "package_search", flags, token=editor_token)))
    assert {"private-one", "draft-one"} <= set(staff)
    for token in (reader_token, None):
        names = _names(result(call(client, "package_search", flags, token=token)))
        assert "private-one" not in names and "draft-one" not in names


def test_include_deleted_shows_tombstones_for_reconciliation(client, catalog):
    plain = result(call(client, "package_search", {"q": "name:deleted-one"}))
    assert plain["count"] == 0
    answer = result(
        call(client, "package_search", {"fq": "name:deleted-one", "include_deleted": "true"})
    )
    assert [d["state"] for d in answer["results"]] == ["deleted"]


def test_facets_and_search_facets(client, catalog):
    answer = result(
        call(
            client,
            "package_search",
            {"facet.field": json.dumps(["tags", "organization", "res_format"]), "facet.limit": 10},
            method="get",
        )
    )
    assert answer["facets"]["tags"] == {"ข้าว": 2, "ส่งออก": 1, "พืชไร่": 1}
    organization = answer["search_facets"]["organization"]
    assert organization["title"] == "organization"
    assert {i["name"]: i["count"] for i in organization["items"]} == {"ict": 2, "rice": 1}
    displayed = [i["display_name"] for i in organization["items"]]
    assert displayed == sorted(displayed, reverse=True)
    assert {"name", "display_name", "count"} == set(organization["items"][0])
    assert answer["facets"]["res_format"] == {"CSV": 3}


def test_facet_limit_mincount_and_switch(client, catalog):
    limited = result(call(client, "package_search", {"facet.field": '["tags"]', "facet.limit": 1}))
    assert limited["facets"]["tags"] == {"ข้าว": 2}
    unlimited = result(
        call(client, "package_search", {"facet.field": '["tags"]', "facet.limit": -1})
    )
    assert len(unlimited["facets"]["tags"]) == 3
    frequent = result(
        call(client, "package_search", {"facet.field": ["tags"], "facet.mincount": 2})
    )
    assert frequent["facets"]["tags"] == {"ข้าว": 2}
    off = result(call(client, "package_search", {"facet.field": '["tags"]', "facet": "false"}))
    assert off["facets"] == {} and off["search_facets"] == {}


def test_sort_rows_and_start(client, catalog):
    by_name = result(call(client, "package_search", {"sort": "name asc", "rows": 2}))
    assert [d["name"] for d in by_name["results"]] == ["cassava", "jasmine-rice"]
    assert by_name["sort"] == "name asc" and by_name["count"] == 3
    rest = result(call(client, "package_search", {"sort": "name asc", "rows": 2, "start": 2}))
    assert [d["name"] for d in rest["results"]] == ["rice-seed"]
    past_end = result(call(client, "package_search", {"sort": "id asc", "rows": 100, "start": 100}))
    assert past_end["results"] == [] and past_end["count"] == 3
    ids = [d["id"] for d in result(call(client, "package_search", {"sort": "id asc"}))["results"]]
    assert ids == sorted(ids)
    clamped = result(call(client, "package_search", {"rows": 5000}))
    assert clamped["count"] == 3
    assert result(call(client, "package_search", {"rows": 0}))["results"] == []


def test_metadata_modified_range(client, catalog, officer):
    from krabuan.catalog.tests.ckan_support import touch_dataset

    edited = touch_dataset(officer, catalog["cassava"], "แก้ไขล่าสุด")
    since = edited.metadata_modified.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    answer = result(call(client, "package_search", {"fq": f"metadata_modified:[{since} TO *]"}))
    assert _names(answer) == ["cassava"]


def test_fl_returns_only_the_named_fields(client, catalog):
    answer = result(call(client, "package_search", {"fl": "id,name", "sort": "name asc"}))
    assert answer["results"][0] == {"id": str(catalog["cassava"].pk), "name": "cassava"}


def test_bad_requests(client, catalog):
    syntax = call(client, "package_search", {"q": 'title:"unclosed'})
    assert syntax.status_code == 400
    assert body(syntax)["error"]["__type"] == "Search Query Error"
    sort = call(client, "package_search", {"sort": "nonsense desc"})
    assert sort.status_code == 400
    assert body(sort)["error"]["__type"] == "Search Query Error"
    facet = call(client, "package_search", {"facet.field": "[not json"})
    assert facet.status_code == 409
    assert "facet.field" in body(facet)["error"]
    rows = call(client, "package_search", {"rows": "-5"}, method="get")
    assert rows.status_code == 409 and "rows" in body(rows)["error"]
    assert call(client, "package_search", {"q": ["a", "b"]}).status_code == 409


def test_search_query_count_is_constant(client, officer):
    org_make()
    make_dataset(officer, name="first")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            result(
                call(
                    client,
                    "package_search",
                    {"rows": 1000, "facet.field": '["tags", "organization"]'},
                )
            )
        return len(captured)

    before = queries()
    for n in range(6):
        make_dataset(officer, name=f"more-{n}", resources=2)
    assert queries() == before
