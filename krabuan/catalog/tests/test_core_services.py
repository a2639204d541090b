"""Dataset and resource services: audit, metadata_modified, tombstones, publishing, uploads."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.catalog import schema
from krabuan.catalog.dictize import ckan_timestamp, dataset_dict, dataset_dicts
from krabuan.catalog.models import Dataset, DatasetSearchDoc, Resource, State
from krabuan.catalog.selectors import dataset_get_for_user, resource_get_for_user, visible_datasets
from krabuan.catalog.services.datasets import (
    dataset_create,
    dataset_delete,
    dataset_patch,
    dataset_publish,
    dataset_update,
)
from krabuan.catalog.services.resources import resource_create, resource_delete, resource_update
from krabuan.catalog.tests.core_factories import dataset_data, group_make, org_make, resource_data
from krabuan.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from krabuan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CLEAN_CSV = "จังหวัด,ผลผลิต (ตัน)\nสุรินทร์,120000\nบุรีรัมย์,98000\n".encode()
# 1-1017-00230-70-5 style numbers with a valid checksum: personal data.
ID_CSV = "ชื่อ,เลขประจำตัวประชาชน\nสมชาย,1101700230705\nสมหญิง,3100600214569\n".encode()


def _audits(action):
    return AuditEntry.objects.filter(action=action)


def test_create_saves_columns_type_fields_tags_groups_and_audits(officer):
    org_make()
    group = group_make()
    ds = dataset_create(
        actor=officer,
        data=dataset_data(
            groups=[{"name": group.name}],
            unit_of_measure="ตัน",
            resources=[resource_data(), resource_data(format="xlsx")],
        ),
    )
    ds.refresh_from_db()
    assert ds.type_fields["unit_of_measure"] == "ตัน"
    assert sorted(ds.tags.values_list("name", flat=True)) == ["ข้าว", "สถิติการเกษตร"]
    assert list(ds.groups.all()) == [group]
    assert [r.format for r in ds.resources.order_by("position")] == ["CSV", "XLSX"]
    assert ds.creator == officer
    assert ds.metadata_created == ds.metadata_modified
    entry = _audits("catalog.dataset_create").get()
    assert entry.actor == officer and entry.object_id == str(ds.pk)
    assert entry.changes["tags"] == ["ข้าว", "สถิติการเกษตร"]
    assert DatasetSearchDoc.objects.filter(dataset=ds).exists()
    assert ds.quality_score > 0 and "completeness" in ds.quality_details


def test_invalid_input_saves_nothing(officer):
    org_make()
    data = dataset_data(resources=[resource_data(), {"name": "x", "url": "nota url"}])
    with pytest.raises(ApplicationError) as exc:
        dataset_create(actor=officer, data=data)
    assert "resources" in exc.value.fields
    assert Dataset.objects.count() == 0 and Resource.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_only_catalog_editors_write(auditor, requester):
    org_make()
    for user in (auditor, requester):
        with pytest.raises(PermissionDenied):
            dataset_create(actor=user, data=dataset_data())
    assert Dataset.objects.count() == 0


def test_metadata_modified_strictly_increases_even_with_a_frozen_clock(officer):
    org_make()
    with time_machine.travel(dt.datetime(2024, 5, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        ds = dataset_create(actor=officer, data=dataset_data())
        stamps = [ds.metadata_modified]
        ds = dataset_patch(actor=officer, dataset=ds, data={"notes": "แก้ไขครั้งที่ 1"})
        stamps.append(ds.metadata_modified)
        res = resource_create(actor=officer, dataset=ds, data=resource_data(), upload=None)
        ds.refresh_from_db()
        stamps.append(ds.metadata_modified)
        assert res.metadata_modified < ds.metadata_modified
        resource_update(actor=officer, resource=res, data=resource_data(name="ใหม่"))
        ds.refresh_from_db()
        stamps.append(ds.metadata_modified)
        ds = dataset_update(actor=officer, dataset=ds, data=dataset_data(name=ds.name))
        stamps.append(ds.metadata_modified)
    assert stamps == sorted(set(stamps)) and len(stamps) == 5
    assert ckan_timestamp(stamps[1]) == "2024-05-01T03:00:00.000001"


def test_update_is_a_full_replace_and_audits_the_diff(officer):
    org_make()
    ds = dataset_create(
        actor=officer, data=dataset_data(unit_of_measure="ตัน", resources=[resource_data()])
    )
    data = dataset_data(name=ds.name, title="ชื่อใหม่", tags=[{"name": "ข้าวโพด"}])
    ds = dataset_update(actor=officer, dataset=ds, data=data)
    assert ds.title == "ชื่อใหม่"
    assert "unit_of_measure" not in ds.type_fields or ds.type_fields["unit_of_measure"] == ""
    assert list(ds.tags.values_list("name", flat=True)) == ["ข้าวโพด"]
    assert ds.resources.filter(state=State.ACTIVE).count() == 1  # no "resources" key: kept
    changes = _audits("catalog.dataset_update").get().changes
    assert changes["title"][1] == "ชื่อใหม่"
    assert changes["tags"] == [["ข้าว", "สถิติการเกษตร"], ["ข้าวโพด"]]


def test_update_with_resources_keeps_listed_ids_and_deletes_the_rest(officer):
    org_make()
    ds = dataset_create(
        actor=officer, data=dataset_data(resources=[resource_data(), resource_data()])
    )
    first, second = ds.resources.order_by("position")
    kept = resource_data(id=str(second.pk), name="ย้ายขึ้นก่อน")
    ds = dataset_update(
        actor=officer, dataset=ds, data=dataset_data(name=ds.name, resources=[kept])
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.name, second.position, second.state) == ("ย้ายขึ้นก่อน", 0, State.ACTIVE)
    assert first.state == State.DELETED


def test_patch_changes_only_given_fields_and_drops_old_type_fields(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(unit_of_measure="ตัน"))
    ds = dataset_patch(actor=officer, dataset=ds, data={"maintainer": "ฝ่ายใหม่"})
    assert ds.maintainer == "ฝ่ายใหม่" and ds.type_fields["unit_of_measure"] == "ตัน"
    ds = dataset_patch(
        actor=officer, dataset=ds, data={"data_type": schema.RECORD, "data_collect": "บุคคล"}
    )
    assert ds.data_type == schema.RECORD
    assert "unit_of_measure" not in ds.type_fields
    assert ds.type_fields["data_collect"] == "บุคคล"


def test_delete_is_a_tombstone(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(private=False))
    before = ds.metadata_modified
    dataset_delete(actor=officer, dataset=ds)
    ds.refresh_from_db()
    assert ds.state == State.DELETED and ds.metadata_modified > before
    assert Dataset.objects.filter(pk=ds.pk).exists()
    assert not visible_datasets(None).filter(pk=ds.pk).exists()
    with pytest.raises(NotFound):
        dataset_get_for_user(user=None, id_or_name=ds.name)
    assert _audits("catalog.dataset_delete").count() == 1
    dataset_delete(actor=officer, dataset=ds)  # twice: no error, no second row
    assert _audits("catalog.dataset_delete").count() == 1


def test_publish_makes_public_and_is_refused_with_findings(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data())
    upload = SimpleUploadedFile("people.csv", ID_CSV, content_type="text/csv")
    resource_create(actor=officer, dataset=ds, data={"name": "รายชื่อ"}, upload=upload)
    with pytest.raises(Conflict) as exc:
        dataset_publish(actor=officer, dataset=ds)
    assert "private" in exc.value.fields
    ds.refresh_from_db()
    assert ds.private is True
    # The same check runs when a patch would make it public.
    with pytest.raises(Conflict):
        dataset_patch(actor=officer, dataset=ds, data={"private": "False"})


def test_publish_clean_dataset(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(state="draft"))
    upload = SimpleUploadedFile("rice.csv", CLEAN_CSV, content_type="text/csv")
    resource_create(actor=officer, dataset=ds, data={"name": "ผลผลิต"}, upload=upload)
    ds = dataset_publish(actor=officer, dataset=ds)
    assert (ds.private, ds.state) == (False, State.ACTIVE)
    assert _audits("catalog.dataset_publish").count() == 1


def test_upload_is_stored_hashed_and_served_from_the_portal_url(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(name="rice-stat"))
    upload = SimpleUploadedFile("ผลผลิตข้าว.csv", CLEAN_CSV, content_type="text/csv")
    res = resource_create(actor=officer, dataset=ds, data={"name": "ผลผลิต"}, upload=upload)
    assert res.url_type == "upload" and res.format == "CSV" and res.mimetype == "text/csv"
    assert res.size == len(CLEAN_CSV)
    assert res.hash == hashlib.sha256(CLEAN_CSV).hexdigest()
    assert res.url == f"/dataset/rice-stat/resource/{res.pk}/download/ผลผลิตข้าว.csv"
    assert res.scans.count() == 1
    res.refresh_from_db()
    with res.upload.open("rb") as stored:
        assert stored.read() == CLEAN_CSV
    audit = _audits("catalog.resource_create").get()
    assert audit.changes["hash"] == res.hash


def test_upload_into_public_dataset_with_findings_stays_private(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(private=False))
    upload = SimpleUploadedFile("people.csv", ID_CSV, content_type="text/csv")
    res = resource_create(actor=officer, dataset=ds, data={"name": "รายชื่อ"}, upload=upload)
    assert res.resource_private is True
    with pytest.raises(Conflict):
        resource_update(
            actor=officer, resource=res, data={"name": "รายชื่อ", "resource_private": False}
        )
    res.refresh_from_db()
    assert res.resource_private is True


def test_resource_delete_is_a_tombstone(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(resources=[resource_data()]))
    res = ds.resources.get()
    resource_delete(actor=officer, resource=res)
    res.refresh_from_db()
    assert res.state == State.DELETED
    with pytest.raises(NotFound):
        resource_get_for_user(user=officer, resource_id=res.pk)
    assert dataset_dict(ds, user=officer)["num_resources"] == 0


def test_private_resources_hidden_from_viewers_who_cannot_edit(officer, requester):
    org_make()
    ds = dataset_create(
        actor=officer,
        data=dataset_data(
            private=False, resources=[resource_data(), resource_data(resource_private="True")]
        ),
    )
    hidden = ds.resources.get(resource_private=True)
    public = dataset_dict(dataset_get_for_user(user=requester, id_or_name=ds.name), user=requester)
    assert public["num_resources"] == 1
    assert hidden.name not in [r["name"] for r in public["resources"]]
    with pytest.raises(NotFound):
        resource_get_for_user(user=None, resource_id=hidden.pk)
    staff = dataset_dict(dataset_get_for_user(user=officer, id_or_name=ds.name), user=officer)
    assert staff["num_resources"] == 2
    assert {r["resource_private"] for r in staff["resources"]} == {"True", "False"}


def test_private_dataset_is_not_found_for_the_public(officer, requester):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data())
    for user in (None, requester):
        with pytest.raises(NotFound):
            dataset_get_for_user(user=user, id_or_name=str(ds.pk))
    assert dataset_get_for_user(user=officer, id_or_name=str(ds.pk), for_edit=True) == ds


def test_dataset_dict_shape(officer):
    org_make()
    ds = dataset_create(
        actor=officer,
        data=dataset_data(
            official_statistics=True, allow_harvest=True, resources=[resource_data()]
        ),
    )
    d = dataset_dict(dataset_get_for_user(user=officer, id_or_name=ds.name), user=officer)
    assert d["id"] == str(ds.pk) and d["type"] == "dataset" and d["private"] is True
    assert d["objective"] == ["พันธกิจหน่วยงาน"] and d["data_format"] == ["CSV"]
    assert d["allow_harvest"] == "True" and d["official_statistics"] == "True"
    assert d["license_title"] == "Open Data Common" and d["isopen"] is True
    assert d["organization"]["name"] == "ict" and d["owner_org"] == str(ds.owner_org_id)
    assert [t["name"] for t in d["tags"]] == ["ข้าว", "สถิติการเกษตร"]
    assert "data_collect" not in d  # a ข้อมูลระเบียน field, not a สถิติ one
    assert d["metadata_modified"] == ckan_timestamp(ds.metadata_modified)
    res = d["resources"][0]
    assert res["package_id"] == str(ds.pk) and res["format"] == "CSV"
    assert "resource_unit_of_multiplier" in res and "resource_data_collect" not in res


def _make_many(officer, count):
    org = org_make()
    group = group_make()
    ids = []
    for _ in range(count):
        ds = dataset_create(
            actor=officer,
            data=dataset_data(
                org, groups=[{"name": group.name}], resources=[resource_data(), resource_data()]
            ),
        )
        ids.append(ds.pk)
    return ids


def test_dataset_dicts_constant_query_count_and_order(officer):
    ids = _make_many(officer, 30)

    def count(n):
        wanted = list(reversed(ids[:n]))
        with CaptureQueriesContext(connection) as ctx:
            dicts = dataset_dicts(wanted, user=officer)
        assert [d["id"] for d in dicts] == [str(i) for i in wanted]
        return len(ctx.captured_queries)

    assert count(5) == count(30)


def test_package_show_round_trip_keeps_the_stored_file(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(name="round-trip"))
    upload = SimpleUploadedFile("rice.csv", CLEAN_CSV, content_type="text/csv")
    res = resource_create(actor=officer, dataset=ds, data={"name": "ผลผลิต"}, upload=upload)
    # The stored name may get a suffix when another test stored a rice.csv in the same storage.
    stored = f"/dataset/round-trip/resource/{res.pk}/download/{res.upload.name.rsplit('/', 1)[-1]}"
    assert res.url == stored
    shown = dataset_dict(dataset_get_for_user(user=officer, id_or_name=ds.name), user=officer)
    assert shown["resources"][0]["url"].startswith("http")  # absolute, as CKAN gives it
    shown["notes"] = "แก้ไขผ่าน package_update"
    dataset_update(actor=officer, dataset=ds, data=shown)
    res.refresh_from_db()
    assert (res.url_type, res.hash) == ("upload", hashlib.sha256(CLEAN_CSV).hexdigest())
    assert res.url == stored
    # The same through resource_update with the dict it was shown.
    resource_update(actor=officer, resource=res, data=shown["resources"][0] | {"name": "ใหม่"})
    res.refresh_from_db()
    assert (res.name, res.url_type) == ("ใหม่", "upload")


def test_a_link_replaces_a_stored_file_and_upload_type_without_file_is_a_link(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data())
    upload = SimpleUploadedFile("rice.csv", CLEAN_CSV, content_type="text/csv")
    res = resource_create(actor=officer, dataset=ds, data={"name": "ผลผลิต"}, upload=upload)
    resource_update(
        actor=officer,
        resource=res,
        data={"name": "ผลผลิต", "url": "https://data.example/rice.csv", "format": "CSV"},
    )
    res.refresh_from_db()
    assert (res.url_type, res.url) == ("", "https://data.example/rice.csv")
    public = dataset_create(actor=officer, data=dataset_data(private=False))
    with pytest.raises(ApplicationError) as exc:
        resource_create(
            actor=officer, dataset=public, data={"name": "ไม่มีไฟล์", "url_type": "upload"}
        )
    assert exc.value.fields["url"] == ["URL: ต้องระบุสำหรับชุดข้อมูลที่เปิดเผย"]
