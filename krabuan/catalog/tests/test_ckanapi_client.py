"""The real `ckanapi` client (RemoteCKAN: POST JSON to /api/action/, no redirects followed)
against a running Krabuan: list, show, search, create, update, patch, delete, upload."""

from __future__ import annotations

import io

import ckanapi
import pytest
from rest_framework.authtoken.models import Token

from krabuan.catalog.models import Dataset, State
from krabuan.catalog.tests.ckan_support import make_dataset
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data

pytestmark = pytest.mark.django_db(transaction=True)

CLEAN_CSV = "จังหวัด,ผลผลิต (ตัน)\nสุพรรณบุรี,1200\nชัยนาท,800\n".encode()


@pytest.fixture
def remote(live_server, officer):
    org_make()
    key = Token.objects.create(user=officer).key
    with ckanapi.RemoteCKAN(live_server.url, apikey=key) as ckan:
        yield ckan


@pytest.fixture
def anonymous(live_server):
    with ckanapi.RemoteCKAN(live_server.url) as ckan:
        yield ckan


def test_lists_shows_and_searches(remote, anonymous, officer):
    make_dataset(officer, name="rice-yield", title="ผลผลิตข้าวนาปี")
    make_dataset(
        officer,
        name="cassava-yield",
        title="ผลผลิตมันสำปะหลัง",
        notes="มันสำปะหลังรายจังหวัด",
        tags=[{"name": "พืชไร่"}],
    )
    assert anonymous.action.package_list() == ["cassava-yield", "rice-yield"]
    shown = anonymous.action.package_show(id="rice-yield")
    assert shown["title"] == "ผลผลิตข้าวนาปี" and shown["allow_harvest"] == "True"
    found = anonymous.action.package_search(q="ข้าว", rows=1000)
    assert [d["name"] for d in found["results"]] == ["rice-yield"]
    assert found["results"][0] == shown
    assert anonymous.action.organization_list() == ["ict"]
    assert anonymous.action.status_show()["thaigdc_version"] == "2.2.4"
    # get_only sends GET with query parameters instead of POST.
    with ckanapi.RemoteCKAN(anonymous.address, get_only=True) as getter:
        assert getter.action.package_show(id="cassava-yield")["name"] == "cassava-yield"


def test_creates_updates_patches_and_deletes(remote, anonymous):
    data = dataset_data(name="via-ckanapi", private=False, allow_harvest="True")
    data["resources"] = [resource_data()]
    created = remote.action.package_create(**data)
    assert created["name"] == "via-ckanapi" and created["num_resources"] == 1

    data["id"] = created["id"]
    data["title"] = "ชื่อใหม่ผ่าน ckanapi"
    data["resources"] = created["resources"]
    updated = remote.action.package_update(**data)
    assert updated["title"] == "ชื่อใหม่ผ่าน ckanapi"
    assert updated["metadata_modified"] > created["metadata_modified"]

    patched = remote.action.package_patch(id="via-ckanapi", notes="แก้ไขด้วย package_patch")
    assert patched["notes"] == "แก้ไขด้วย package_patch"
    assert patched["title"] == "ชื่อใหม่ผ่าน ckanapi"
    assert patched["metadata_modified"] > updated["metadata_modified"]

    resource_id = patched["resources"][0]["id"]
    remote.action.resource_patch(id=resource_id, description="คำอธิบายทรัพยากรใหม่")
    assert remote.action.resource_show(id=resource_id)["description"] == "คำอธิบายทรัพยากรใหม่"
    remote.action.resource_delete(id=resource_id)
    assert remote.action.package_show(id="via-ckanapi")["num_resources"] == 0

    remote.action.package_delete(id="via-ckanapi")
    assert Dataset.objects.get(name="via-ckanapi").state == State.DELETED
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="via-ckanapi")
    tombstones = anonymous.action.package_search(fq="name:via-ckanapi", include_deleted=True)
    assert [d["state"] for d in tombstones["results"]] == ["deleted"]


def test_uploads_a_resource_file(remote, anonymous, officer):
    make_dataset(officer, name="with-upload", resources=0)
    upload = ("yield.csv", io.BytesIO(CLEAN_CSV))
    created = remote.action.resource_create(
        package_id="with-upload", name="ผลผลิตรายจังหวัด", upload=upload
    )
    assert created["url_type"] == "upload" and created["format"] == "CSV"
    assert created["size"] == len(CLEAN_CSV)
    replaced = remote.action.resource_update(
        id=created["id"], name="ผลผลิตปรับปรุง", upload=("yield2.csv", io.BytesIO(CLEAN_CSV * 2))
    )
    assert replaced["size"] == 2 * len(CLEAN_CSV) and replaced["url"].endswith("/yield2.csv")
    listed = anonymous.action.package_show(id="with-upload")["resources"]
    assert [r["id"] for r in listed] == [created["id"]]


def test_errors_become_ckanapi_exceptions(remote, anonymous, officer):
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(**dataset_data(name="anonymous-try"))
    with pytest.raises(ckanapi.ValidationError) as invalid:
        remote.action.package_create(**dataset_data(name="bad-one", geo_coverage="ดาวอังคาร"))
    assert "geo_coverage" in invalid.value.error_dict
    with pytest.raises(ckanapi.SearchQueryError):
        anonymous.action.package_search(q='title:"unclosed')
    with pytest.raises(ckanapi.CKANAPIError) as unknown:
        anonymous.action.no_such_action()
    assert "Action name not known: no_such_action" in str(unknown.value)
    with pytest.raises(ckanapi.NotAuthorized):
        with ckanapi.RemoteCKAN(anonymous.address, apikey="wrong-key") as wrong:
            wrong.action.package_list()
    assert not Dataset.objects.filter(name__in=["anonymous-try", "bad-one"]).exists()
