"""What search results are built from, kept in step with the datasets: the stored package_show
dicts (DatasetListing) and the facet keys (DatasetFacetKeys) that the services rewrite with
every change."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from krabuan.catalog import dictize
from krabuan.catalog.models import Dataset, DatasetFacetKeys, DatasetListing, FacetTotal
from krabuan.catalog.search import totals
from krabuan.catalog.search.counting import FACET_FIELDS
from krabuan.catalog.search.facets import FacetItem
from krabuan.catalog.search.query import dataset_search
from krabuan.catalog.selectors import with_related
from krabuan.catalog.services.datasets import dataset_delete, dataset_patch
from krabuan.catalog.services.orgs import group_update, organization_update
from krabuan.catalog.services.resources import resource_create, resource_update
from krabuan.catalog.tests.ckan_support import (
    call,
    editor_token,
    make_dataset,
    make_draft,
    result,
)
from krabuan.catalog.tests.core_factories import group_make, resource_data
from krabuan.catalog.tests.test_ckan_write import CLEAN_CSV

__all__ = ["editor_token"]

pytestmark = pytest.mark.django_db


def _built(dataset, user=None):
    """The dict package_show builds from the rows."""
    return dictize.dataset_dict(
        with_related(type(dataset).objects.filter(pk=dataset.pk)).get(), user=user
    )


def _searched(client, name, token=None):
    found = result(call(client, "package_search", {"q": f"name:{name}"}, token=token))
    assert found["count"] == 1
    return found["results"][0]


def test_search_results_for_the_public_are_the_stored_dicts_equal_to_package_show(client, officer):
    dataset = make_dataset(officer, name="stored-one", title="ราคาข้าวหอมมะลิ", resources=2)
    assert DatasetListing.objects.filter(pk=dataset.pk).exists()
    searched = _searched(client, "stored-one")
    assert searched == _built(dataset)
    assert searched == result(call(client, "package_show", {"id": "stored-one"}))


def test_stored_dicts_follow_every_change(client, officer):
    group = group_make()
    dataset = make_dataset(officer, name="stored-two", resources=1)
    dataset_patch(actor=officer, dataset=dataset, data={"notes": "คำอธิบายใหม่ของชุดข้อมูล"})
    assert _searched(client, "stored-two")["notes"] == "คำอธิบายใหม่ของชุดข้อมูล"

    hidden = resource_create(
        actor=officer, dataset=dataset, data=resource_data(resource_private="True")
    )
    public = _searched(client, "stored-two")
    assert str(hidden.pk) not in [r["id"] for r in public["resources"]]
    resource_update(actor=officer, resource=hidden, data={**resource_data(), "name": "เปิดแล้ว"})
    assert "เปิดแล้ว" in [r["name"] for r in _searched(client, "stored-two")["resources"]]

    organization_update(
        actor=officer, organization=dataset.owner_org, data={"description": "หน่วยงานเจ้าของ"}
    )
    assert _searched(client, "stored-two")["organization"]["description"] == "หน่วยงานเจ้าของ"
    dataset_patch(actor=officer, dataset=dataset, data={"groups": [{"name": group.name}]})
    group_update(actor=officer, group=group, data={"description": "กลุ่มด้านเศรษฐกิจ"})
    assert _searched(client, "stored-two")["groups"][0]["description"] == "กลุ่มด้านเศรษฐกิจ"
    dataset.refresh_from_db()
    assert _searched(client, "stored-two") == _built(dataset)


def test_editors_get_dicts_built_from_the_rows_with_private_resources(
    client, officer, editor_token
):
    dataset = make_dataset(officer, name="stored-three", resources=1)
    hidden = resource_create(
        actor=officer, dataset=dataset, data=resource_data(resource_private="True")
    )
    staff = _searched(client, "stored-three", token=editor_token)
    assert str(hidden.pk) in [r["id"] for r in staff["resources"]]
    assert str(hidden.pk) not in [r["id"] for r in _searched(client, "stored-three")["resources"]]


def test_the_site_address_in_results_is_the_current_setting(client, officer):
    dataset = make_dataset(officer, name="stored-four", resources=0)
    upload = SimpleUploadedFile("yield.csv", CLEAN_CSV, content_type="text/csv")
    resource_create(actor=officer, dataset=dataset, data={"name": "ผลผลิตรายจังหวัด"}, upload=upload)
    with override_settings(KRABUAN_SITE_URL="https://data.moac.example"):
        served = _searched(client, "stored-four")
    url = served["resources"][0]["url"]
    assert url.startswith("https://data.moac.example/dataset/stored-four/resource/")
    assert url.endswith("/yield.csv")
    with override_settings(KRABUAN_SITE_URL="http://127.0.0.1:8000"):
        assert _searched(client, "stored-four")["resources"][0]["url"].startswith(
            "http://127.0.0.1:8000/dataset/"
        )


def test_a_dataset_without_a_stored_dict_is_built_from_its_rows(client, officer):
    dataset = make_dataset(officer, name="stored-five", resources=1)
    DatasetListing.objects.filter(pk=dataset.pk).delete()
    assert _searched(client, "stored-five") == _built(dataset)


def test_facet_keys_hold_groups_tags_and_public_formats(officer):
    group = group_make()
    dataset = make_dataset(officer, name="keys-one", resources=1)
    dataset_patch(actor=officer, dataset=dataset, data={"groups": [{"name": group.name}]})
    resource_create(
        actor=officer,
        dataset=dataset,
        data=resource_data(format="xlsx", resource_private="True"),
    )
    keys = DatasetFacetKeys.objects.get(pk=dataset.pk).keys.split("\t")
    assert f"g{group.pk.hex}" in keys
    assert {k for k in keys if k.startswith("f")} == {"fCSV"}  # the private XLSX is left out
    assert len([k for k in keys if k.startswith("t")]) == dataset.tags.count()

    found = dataset_search(user=None, q="name:keys-one", facet_fields=["groups", "res_format"])
    assert found.facets["groups"] == [FacetItem(group.name, group.title, 1)]
    assert found.facets["res_format"] == [FacetItem("CSV", "CSV", 1)]


def _faceted(**kwargs):
    return dataset_search(user=None, facet_fields=list(FACET_FIELDS), facet_limit=-1, **kwargs)


def _total_rows():
    return sorted(FacetTotal.objects.filter(n__gt=0).values_list("visibility", "key", "n"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"fq": "+allow_harvest:True"},
        {"include_deleted": True},
        {"fq": "+state:deleted"},
        {"fq": "-allow_harvest:True"},
    ],
)
def test_facet_totals_equal_a_count_of_the_rows_after_every_kind_of_change(officer, kwargs):
    rice, fruit = group_make(), group_make("category05", "ด้านสังคม")
    first = make_dataset(officer, name="totals-a", resources=2)
    second = make_dataset(officer, name="totals-b", harvest=False, org_name="oae")
    make_dataset(officer, name="totals-c", public=False)
    gone = make_dataset(officer, name="totals-d", resources=1)
    make_draft(officer, name="totals-e")
    dataset_patch(
        actor=officer,
        dataset=first,
        data={"groups": [{"name": rice.name}, {"name": fruit.name}], "tags": [{"name": "ผลไม้"}]},
    )
    resource_create(
        actor=officer, dataset=second, data=resource_data(format="JSON", resource_private="True")
    )
    dataset_patch(
        actor=officer, dataset=second, data={"license_id": "Creative Commons Attributions"}
    )
    dataset_delete(actor=officer, dataset=gone)

    counted = _faceted(**kwargs)
    with mock.patch.object(totals, "matching_classes", return_value=None):
        by_rows = _faceted(**kwargs)
    assert (counted.count, counted.facets) == (by_rows.count, by_rows.facets)
    assert counted.count > 0 or kwargs.get("fq") == "+state:deleted"

    kept = _total_rows()
    totals.rebuild()
    assert _total_rows() == kept


def test_a_search_without_words_reads_the_totals_not_the_rows(officer):
    make_dataset(officer, name="totals-f", resources=1)
    with CaptureQueriesContext(connection) as captured:
        found = _faceted()
    statements = " ".join(q["sql"] for q in captured.captured_queries)
    assert "catalog_facettotal" in statements
    assert "catalog_datasetfacetkeys" not in statements
    assert found.count == 1
    worded = CaptureQueriesContext(connection)
    with worded:
        dataset_search(user=None, q="ข้าว", facet_fields=["tags"])
    assert "catalog_facettotal" not in " ".join(q["sql"] for q in worded.captured_queries)


def test_reindex_check_finds_a_change_made_outside_the_services(officer):
    dataset = make_dataset(officer, name="totals-g", resources=1)
    make_dataset(officer, name="totals-h", public=False)
    call_command("catalog_reindex", "--check", stdout=StringIO())  # exact after the services

    Dataset.objects.filter(pk=dataset.pk).update(private=True)  # behind the services' back
    FacetTotal.objects.filter(key="").update(n=F("n") + 1)
    with pytest.raises(CommandError, match="differences"):
        call_command("catalog_reindex", "--check", stdout=StringIO())
    assert {key for _v, key, _s, _e in totals.differences()} >= {"", f"dataset:{dataset.pk}"}

    call_command("catalog_reindex", verbosity=0)
    assert totals.differences() == []
