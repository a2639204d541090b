"""CKAN write actions through the catalog services: package_* and resource_*."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.tests.ckan_support import (
    body,
    call,
    editor_token,
    make_dataset,
    reader_token,
    result,
)
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data
from krabuan.core.models import AuditEntry

__all__ = ["editor_token", "reader_token"]

pytestmark = pytest.mark.django_db

CKAN_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")
# Valid Thai national ID numbers (checksum digit correct).
PERSONAL_CSV = "ชื่อ,เลขประจำตัวประชาชน\nสมชาย,1101700203451\nสมหญิง,3100600455418\n".encode()
CLEAN_CSV = "จังหวัด,ผลผลิต\nสุพรรณบุรี,1200\nชัยนาท,800\n".encode()


def _create(client, token, **overrides):
    org_make()
    return call(client, "package_create", dataset_data(**overrides), token=token)


def test_package_create_returns_the_new_dataset(client, editor_token, officer):
    data = dataset_data(org_make(), name="rice-2567", tags=[{"name": "ข้าว"}, {"name": "ราคา"}])
    data["resources"] = [resource_data()]
    created = result(call(client, "package_create", data, token=editor_token))
    assert created["name"] == "rice-2567"
    assert created["tags"][0]["name"] in ("ข้าว", "ราคา")
    assert created["num_resources"] == 1
    assert CKAN_TIMESTAMP.match(created["metadata_created"])
    assert CKAN_TIMESTAMP.match(created["metadata_modified"])
    dataset = Dataset.objects.get(name="rice-2567")
    assert str(dataset.pk) == created["id"] and dataset.creator == officer
    assert AuditEntry.objects.filter(action="catalog.dataset_create").count() == 1


def test_package_create_accepts_extras_like_ckan_clients_send(client, editor_token):
    data = dataset_data(org_make(), name="from-extras")
    extras = [{"key": "data_source", "value": data.pop("data_source")}]
    created = result(call(client, "package_create", {**data, "extras": extras}, token=editor_token))
    assert created["data_source"] == "สำนักงานเศรษฐกิจการเกษตร"


def test_package_create_validation_error_names_the_fields_and_saves_nothing(client, editor_token):
    response = _create(
        client, editor_token, name="bad", update_frequency_unit="ทุกวันนะ", maintainer_email="x"
    )
    assert response.status_code == 409
    error = body(response)["error"]
    assert error["__type"] == "Validation Error"
    assert {"update_frequency_unit", "maintainer_email"} <= set(error)
    assert all(isinstance(v, list) for k, v in error.items() if k != "__type")
    assert not Dataset.objects.filter(name="bad").exists()


def test_package_create_refuses_a_token_without_rights(client, reader_token):
    response = _create(client, reader_token, name="not-mine")
    assert response.status_code == 403
    assert body(response)["error"]["__type"] == "Authorization Error"
    assert not Dataset.objects.filter(name="not-mine").exists()


def test_package_update_replaces_and_moves_metadata_modified(client, editor_token):
    created = result(_create(client, editor_token, name="to-update"))
    data = dataset_data(org_make(), name="to-update", title="ชื่อใหม่ของชุดข้อมูล")
    data["id"] = created["id"]
    updated = result(call(client, "package_update", data, token=editor_token))
    assert updated["title"] == "ชื่อใหม่ของชุดข้อมูล"
    assert updated["metadata_modified"] > created["metadata_modified"]
    again = result(call(client, "package_update", data, token=editor_token))
    assert again["metadata_modified"] > updated["metadata_modified"]


def test_package_update_by_name(client, editor_token):
    result(_create(client, editor_token, name="by-name"))
    data = dataset_data(org_make(), name="by-name", notes="คำอธิบายใหม่")
    assert result(call(client, "package_update", data, token=editor_token))["notes"] == "คำอธิบายใหม่"


def test_package_patch_changes_only_the_given_fields(client, editor_token):
    created = result(_create(client, editor_token, name="to-patch"))
    patched = result(
        call(
            client,
            "package_patch",
            {"id": "to-patch", "notes": "แก้เฉพาะคำอธิบาย"},
            token=editor_token,
        )
    )
    assert patched["notes"] == "แก้เฉพาะคำอธิบาย"
    assert patched["title"] == created["title"]
    assert patched["metadata_modified"] > created["metadata_modified"]
    bad = call(
        client, "package_patch", {"id": "to-patch", "geo_coverage": "ดาวอังคาร"}, token=editor_token
    )
    assert bad.status_code == 409 and "geo_coverage" in body(bad)["error"]


def test_writes_to_a_missing_dataset_are_not_found(client, editor_token):
    for action in ("package_update", "package_patch", "package_delete"):
        response = call(client, action, {"id": "no-such"}, token=editor_token)
        assert response.status_code == 404, action


def test_a_reader_may_not_patch_a_public_dataset(client, officer, reader_token):
    dataset = make_dataset(officer, name="public-one")
    response = call(client, "package_patch", {"id": "public-one", "notes": "x"}, token=reader_token)
    assert response.status_code == 403
    dataset.refresh_from_db()
    assert dataset.notes != "x"


def test_package_delete_leaves_a_tombstone(client, editor_token, officer):
    dataset = make_dataset(officer, name="to-delete")
    assert result(call(client, "package_delete", {"id": "to-delete"}, token=editor_token)) is None
    dataset.refresh_from_db()
    assert dataset.state == State.DELETED
    assert call(client, "package_show", {"id": "to-delete"}).status_code == 404
    staff = result(call(client, "package_show", {"id": "to-delete"}, token=editor_token))
    assert staff["state"] == "deleted"
    # Deleting again is not an error, as in CKAN.
    assert (
        call(client, "package_delete", {"id": "to-delete"}, token=editor_token).status_code == 200
    )
    assert call(client, "package_delete", {"id": "to-delete"}).status_code == 403
    # A tombstone is read-only.
    refused = call(client, "package_patch", {"id": "to-delete", "notes": "x"}, token=editor_token)
    assert refused.status_code == 403
    assert "ถูกลบแล้ว" in body(refused)["error"]["message"]


def test_resource_create_with_a_url(client, editor_token, officer):
    dataset = make_dataset(officer, name="links", resources=0)
    before = dataset.metadata_modified
    created = result(
        call(
            client,
            "resource_create",
            {"package_id": "links", "name": "ไฟล์ราคา", "url": "https://example.go.th/p.csv"},
            token=editor_token,
        )
    )
    assert created["package_id"] == str(dataset.pk)
    assert created["format"] == "CSV"
    dataset.refresh_from_db()
    assert dataset.metadata_modified > before


def test_resource_create_with_a_multipart_upload(client, editor_token, officer):
    make_dataset(officer, name="uploads", resources=0)
    response = client.post(
        "/api/action/resource_create",
        {
            "package_id": "uploads",
            "name": "ผลผลิตรายจังหวัด",
            "upload": SimpleUploadedFile("yield.csv", CLEAN_CSV, content_type="text/csv"),
        },
        headers={"Authorization": editor_token},
    )
    created = result(response)
    assert created["url_type"] == "upload"
    assert created["url"].endswith("/yield.csv")
    assert created["size"] == len(CLEAN_CSV)
    assert created["format"] == "CSV"
    assert created["resource_private"] == "False"


def test_an_upload_with_personal_data_stays_private_on_a_public_dataset(
    client, editor_token, officer
):
    make_dataset(officer, name="guarded", resources=0)
    response = client.post(
        "/api/action/resource_create",
        {
            "package_id": "guarded",
            "upload": SimpleUploadedFile("people.csv", PERSONAL_CSV, content_type="text/csv"),
        },
        headers={"Authorization": editor_token},
    )
    created = result(response)
    assert created["resource_private"] == "True"
    public_view = result(call(client, "package_show", {"id": "guarded"}))
    assert public_view["num_resources"] == 0
    # Making it public again is refused while the finding has no decision.
    refused = call(
        client,
        "resource_patch",
        {"id": created["id"], "resource_private": "False"},
        token=editor_token,
    )
    assert refused.status_code == 409
    assert "resource_private" in body(refused)["error"]


def test_resource_update_patch_and_delete(client, editor_token, officer):
    dataset = make_dataset(officer, name="res-edit", resources=1)
    resource = dataset.resources.get()
    updated = result(
        call(
            client,
            "resource_update",
            {"id": str(resource.pk), "name": "ชื่อใหม่", "url": "https://example.go.th/new.json"},
            token=editor_token,
        )
    )
    assert updated["name"] == "ชื่อใหม่" and updated["format"] == "JSON"
    patched = result(
        call(
            client,
            "resource_patch",
            {"id": str(resource.pk), "description": "คำอธิบายใหม่"},
            token=editor_token,
        )
    )
    assert patched["description"] == "คำอธิบายใหม่"
    assert patched["name"] == "ชื่อใหม่" and patched["url"] == "https://example.go.th/new.json"
    assert patched["metadata_modified"] > updated["metadata_modified"]
    assert (
        result(call(client, "resource_delete", {"id": str(resource.pk)}, token=editor_token))
        is None
    )
    resource.refresh_from_db()
    assert resource.state == State.DELETED
    assert call(client, "resource_show", {"id": str(resource.pk)}).status_code == 404


def test_resource_patch_keeps_an_uploaded_file(client, editor_token, officer):
    make_dataset(officer, name="keep-file", resources=0)
    created = result(
        client.post(
            "/api/action/resource_create",
            {"package_id": "keep-file", "upload": SimpleUploadedFile("a.csv", CLEAN_CSV)},
            headers={"Authorization": editor_token},
        )
    )
    patched = result(
        call(client, "resource_patch", {"id": created["id"], "name": "ชื่อไฟล์"}, token=editor_token)
    )
    assert patched["url_type"] == "upload" and patched["url"] == created["url"]
    assert Resource.objects.get(pk=created["id"]).upload.name


def test_resource_writes_need_rights(client, officer, reader_token):
    dataset = make_dataset(officer, name="res-rights")
    resource = dataset.resources.get()
    denied = call(
        client, "resource_patch", {"id": str(resource.pk), "name": "x"}, token=reader_token
    )
    assert denied.status_code == 403
    anonymous = call(
        client, "resource_create", {"package_id": "res-rights", "url": "https://x.go.th"}
    )
    assert anonymous.status_code == 403
    assert (
        call(client, "resource_delete", {"id": str(resource.pk)}, token=reader_token).status_code
        == 403
    )
    resource.refresh_from_db()
    assert resource.name != "x" and resource.state == State.ACTIVE


def test_resource_create_validation_error(client, editor_token, officer):
    make_dataset(officer, name="res-bad", resources=0)
    response = call(
        client, "resource_create", {"package_id": "res-bad", "url": "not a url"}, token=editor_token
    )
    assert response.status_code == 409
    assert "url" in body(response)["error"]
    missing = call(client, "resource_create", {"url": "https://x.go.th/a.csv"}, token=editor_token)
    assert missing.status_code == 409 and "package_id" in body(missing)["error"]
