"""The guard's services with the real resource and dataset services: a CSV with valid Thai IDs
blocks publishing (nothing half-saved), a clean one goes through, a steward's decision unblocks,
a non-steward cannot decide, large files are scanned in the background with progress, masked
replacement, re-uploads invalidate old decisions."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from krabuan.catalog import scanner
from krabuan.catalog.models import (
    Dataset,
    DatasetListing,
    PersonalDataScan,
    Resource,
    ScanDecision,
)
from krabuan.catalog.services import guard
from krabuan.catalog.services.datasets import dataset_create, dataset_publish
from krabuan.catalog.services.guard_mask import resource_replace_with_masked
from krabuan.catalog.services.resources import resource_create, resource_update
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data
from krabuan.catalog.tests.test_guard_scanner import (
    CLEAN_CSV,
    VALID,
    VALID2,
    thai_id,
    wrong_check,
    xlsx,
)
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.notify.models import Notification
from krabuan.org.models import Role
from krabuan.org.tests.factories import UserFactory, membership_add

pytestmark = pytest.mark.django_db

ID_CSV = f"รหัส,ผลผลิต (ตัน)\n{VALID},120\n{VALID2},80\n".encode()


@pytest.fixture
def dpo(db):
    user = UserFactory(username="t-dpo")
    membership_add(user=user, role=Role.DPO)
    return user


def make_dataset(actor) -> Dataset:
    org_make()
    return dataset_create(actor=actor, data=dataset_data())


def add_file(actor, dataset, content: bytes, filename: str = "ผลผลิต.csv", **data) -> Resource:
    upload = SimpleUploadedFile(filename, content, content_type="application/octet-stream")
    fields = {"name": data.pop("name", "ตารางผลผลิต"), "description": "รายจังหวัด", **data}
    return resource_create(actor=actor, dataset=dataset, data=fields, upload=upload)


def replace_file(actor, resource, content: bytes, filename: str = "ใหม่.csv") -> Resource:
    upload = SimpleUploadedFile(filename, content, content_type="text/csv")
    data = {"name": resource.name, "description": resource.description}
    return resource_update(actor=actor, resource=resource, data=data, upload=upload)


def stored_bytes(resource: Resource) -> bytes:
    stream = guard.open_file(resource)
    try:
        return stream.read()
    finally:
        stream.close()


def test_valid_thai_ids_block_publishing_and_nothing_is_saved(officer):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV)
    scan = resource.scans.get()
    assert scan.status == "findings"
    assert [(f["kind"], f["count"], f["rows"]) for f in scan.findings] == [("thai_id", 2, [2, 3])]
    before = Dataset.objects.get(pk=dataset.pk)

    with pytest.raises(Conflict) as refused:
        dataset_publish(actor=officer, dataset=dataset)

    assert "ตารางผลผลิต" in refused.value.message
    assert "เลขประจำตัวประชาชน 2 รายการ" in refused.value.message
    after = Dataset.objects.get(pk=dataset.pk)
    assert after.private is True
    assert after.metadata_modified == before.metadata_modified
    assert not AuditEntry.objects.filter(action="catalog.dataset_publish").exists()


def test_a_clean_csv_goes_through(officer):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, CLEAN_CSV.encode())
    assert resource.scans.get().status == "clean"
    assert guard.publish_blockers(dataset) == []

    published = dataset_publish(actor=officer, dataset=dataset)

    assert published.private is False


def test_numbers_with_wrong_checksums_do_not_block(officer):
    dataset = make_dataset(officer)
    body = f"รหัส,ผลผลิต\n{wrong_check(VALID)},1\n{wrong_check(VALID2)},2\n".encode()
    add_file(officer, dataset, body)
    assert dataset_publish(actor=officer, dataset=dataset).private is False


def test_a_stewards_justification_unblocks(officer, group_head):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV)
    scan = resource.scans.get()

    decision = guard.decision_record(
        actor=group_head, scan=scan, kind="justify", note="  เลขนิติบุคคลของสหกรณ์ ไม่ใช่บุคคล "
    )

    assert decision.note == "เลขนิติบุคคลของสหกรณ์ ไม่ใช่บุคคล"
    assert guard.publish_blockers(dataset) == []
    assert dataset_publish(actor=officer, dataset=dataset).private is False
    entry = AuditEntry.objects.get(action="catalog.personal_data_decision")
    assert entry.actor == group_head
    assert entry.changes["kind"] == [None, "justify"]
    assert entry.changes["file_hash"] == scan.file_hash


def test_the_dpo_may_decide(officer, dpo):
    dataset = make_dataset(officer)
    scan = add_file(officer, dataset, ID_CSV).scans.get()
    guard.decision_record(actor=dpo, scan=scan, kind="justify", note="ตรวจแล้ว")
    assert guard.publish_blockers(dataset) == []


def test_a_non_steward_cannot_decide_and_nothing_changes(officer):
    dataset = make_dataset(officer)
    scan = add_file(officer, dataset, ID_CSV).scans.get()
    blockers = guard.publish_blockers(dataset)
    audits = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        guard.decision_record(actor=officer, scan=scan, kind="justify", note="ขอเผยแพร่")

    assert not ScanDecision.objects.exists()
    assert guard.publish_blockers(dataset) == blockers != []
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    ("kind", "note", "field"),
    [("justify", "   ", "note"), ("justify", "", "note"), ("publish", "เหตุผล", "kind")],
)
def test_a_decision_needs_a_known_kind_and_a_note(officer, group_head, kind, note, field):
    scan = add_file(officer, make_dataset(officer), ID_CSV).scans.get()
    with pytest.raises(ApplicationError) as refused:
        guard.decision_record(actor=group_head, scan=scan, kind=kind, note=note)
    assert list(refused.value.fields) == [field]
    assert not ScanDecision.objects.exists()


def test_a_clean_scan_needs_no_decision(officer, group_head):
    scan = add_file(officer, make_dataset(officer), CLEAN_CSV.encode()).scans.get()
    with pytest.raises(Conflict):
        guard.decision_record(actor=group_head, scan=scan, kind="justify", note="x")


def test_mask_decision_keeps_the_file_blocked_until_the_masked_file_replaces_it(
    officer, group_head
):
    dataset = make_dataset(officer)
    body = f"ชื่อ-สกุล,เลขประจำตัวประชาชน,จังหวัด\nสมชาย ใจดี,{VALID},น่าน\n".encode()
    resource = add_file(officer, dataset, body)
    old_scan = resource.scans.get()
    guard.decision_record(actor=group_head, scan=old_scan, kind="mask", note="ปกปิดก่อนเผยแพร่")
    (blocker,) = guard.publish_blockers(dataset)
    assert "ปกปิดข้อมูล" in blocker

    replaced = resource_replace_with_masked(actor=officer, resource=resource)

    assert replaced.hash != old_scan.file_hash
    content = stored_bytes(replaced).decode("utf-8")
    assert VALID not in content and "สมชาย" not in content
    assert "1-1017-xxxxx-xx-x" in content
    new_scan = guard.current_scan(replaced)
    assert new_scan is not None
    assert new_scan.pk != old_scan.pk
    assert new_scan.status == "clean"
    assert guard.publish_blockers(dataset) == []
    assert AuditEntry.objects.filter(action="catalog.resource_update", object_id=str(resource.pk))


def test_remove_decision_then_a_clean_upload(officer, group_head):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV)
    guard.decision_record(
        actor=group_head, scan=resource.scans.get(), kind="remove", note="ตัดคอลัมน์รหัสออก"
    )
    assert "นำข้อมูลส่วนบุคคลออก" in guard.publish_blockers(dataset)[0]
    replace_file(officer, resource, CLEAN_CSV.encode())
    assert guard.publish_blockers(dataset) == []


def test_a_new_file_invalidates_the_old_decision_and_the_same_file_keeps_it(officer, group_head):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV)
    scan = resource.scans.get()
    guard.decision_record(actor=group_head, scan=scan, kind="justify", note="ตรวจแล้ว")

    resource = replace_file(officer, resource, ID_CSV, filename="อีกครั้ง.csv")  # same bytes
    assert resource.scans.count() == 1
    assert guard.publish_blockers(dataset) == []

    other = f"รหัส,ผลผลิต\n{thai_id('510000000001')},5\n".encode()
    resource = replace_file(officer, resource, other)
    assert resource.scans.count() == 2
    assert "ยังไม่มีการตัดสินใจ" in guard.publish_blockers(dataset)[0]
    with pytest.raises(Conflict):  # the old scan is about a file that is gone
        guard.decision_record(actor=group_head, scan=scan, kind="justify", note="อีกครั้ง")


def test_an_uploaded_file_never_scanned_blocks(officer):
    dataset = make_dataset(officer)
    resource = Resource(
        dataset=dataset,
        name="นำเข้าโดยตรง",
        url_type="upload",
        created=timezone.now(),
        metadata_modified=timezone.now(),
    )
    resource.upload.save("direct.csv", ContentFile(CLEAN_CSV.encode()), save=False)
    resource.save()

    (blocker,) = guard.publish_blockers(dataset)
    assert "ยังไม่ได้ตรวจ" in blocker
    scan = guard.scan_resource(resource=resource, actor=officer)
    assert scan is not None
    assert scan.status == "clean"
    assert guard.publish_blockers(dataset) == []


def test_a_file_that_cannot_be_scanned_blocks_until_a_steward_decides(officer, group_head):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, b"%PDF-1.7\n\x00\x01binary", filename="report.pdf")
    scan = resource.scans.get()
    assert scan.status == "failed"
    assert "ตรวจไฟล์ชนิดนี้โดยอัตโนมัติไม่ได้" in scan.error
    assert "ไม่สำเร็จ" in guard.publish_blockers(dataset)[0]

    again = guard.scan_restart(actor=officer, resource=resource)  # allowed after a failure
    assert again.pk != scan.pk and again.status == "failed"
    guard.decision_record(actor=group_head, scan=again, kind="justify", note="เปิดอ่านแล้ว ไม่มี")
    assert guard.publish_blockers(dataset) == []
    with pytest.raises(Conflict):
        guard.scan_restart(actor=officer, resource=add_file(officer, dataset, CLEAN_CSV.encode()))


def test_resources_kept_private_do_not_block_the_dataset(officer):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV, resource_private=True)
    assert guard.resource_publish_blockers(resource) != []
    assert guard.publish_blockers(dataset) == []
    assert guard.scan_resource(resource=add_link(officer, dataset), actor=officer) is None


def add_link(actor, dataset) -> Resource:
    data = {"name": "ลิงก์", "url": "https://data.example.go.th/x.csv", "format": "CSV"}
    return resource_create(actor=actor, dataset=dataset, data=data)


def test_xlsx_and_json_uploads_are_scanned(officer):
    dataset = make_dataset(officer)
    book = xlsx({"ข้อมูล": [["ชื่อ", "มือถือ"], ["สมชาย", "0812345678"]]})
    scan = add_file(officer, dataset, book, filename="farmers.xlsx").scans.get()
    assert {f["kind"] for f in scan.findings} == {"phone", "column_name"}
    records = json.dumps([{"email": "somchai@example.com", "amount": 5}]).encode()
    scan = add_file(officer, dataset, records, filename="x.json").scans.get()
    assert {(f["kind"], f["column"]) for f in scan.findings} == {
        ("email", "email"),
        ("column_name", "email"),
    }
    assert "s***@example.com" in json.dumps(scan.findings)
    assert "somchai@" not in json.dumps(scan.findings)


def big_csv(rows: int) -> bytes:
    """More than the inline limit, with IDs near the end."""
    lines = ["รหัสแปลง,จังหวัด,ผลผลิต (ตัน),หมายเหตุ"]
    lines += [f"P{i:08d},เชียงใหม่,{i % 997},ปกติ" for i in range(rows)]
    lines += [f"{VALID},น่าน,1,ตรวจ", f"{VALID2},น่าน,1,ตรวจ"]
    return ("\n".join(lines) + "\n").encode()


def test_a_large_file_is_scanned_in_the_background_with_progress(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    dataset = make_dataset(officer)
    content = big_csv(70_000)
    assert len(content) > guard.INLINE_LIMIT
    seen: list[int] = []
    real_scan = scanner.scan_stream

    def spying_scan(stream, *, filename, progress=None):
        scan_id = PersonalDataScan.objects.latest("id").pk

        def record(percent, message):
            progress(percent, message)
            seen.append(PersonalDataScan.objects.get(pk=scan_id).progress)

        return real_scan(stream, filename=filename, progress=record)

    monkeypatch.setattr(scanner, "scan_stream", spying_scan)

    with django_capture_on_commit_callbacks(execute=True):
        resource = add_file(officer, dataset, content, filename="แปลง.csv")
        scan = resource.scans.get()
        assert scan.status == "queued"
        (blocker,) = guard.publish_blockers(dataset)
        assert "กำลังตรวจ" in blocker

    scan.refresh_from_db()
    assert scan.status == "findings"
    assert scan.progress == 100 and scan.rows_scanned == 70_002
    assert [(f["kind"], f["rows"]) for f in scan.findings] == [("thai_id", [70_002, 70_003])]
    assert seen[0] == 0 and seen[-1] == 100
    assert len([p for p in seen if 0 < p < 100]) >= 20  # saved on the row while it ran
    assert seen == sorted(seen)
    assert "เลขประจำตัวประชาชน" in guard.publish_blockers(dataset)[0]
    notes = Notification.objects.filter(user=officer, kind="catalog_guard")  # one per channel
    assert notes and {n.link for n in notes} == {reverse("catalog:guard_scan", args=[resource.pk])}
    assert all(VALID not in n.body for n in notes)


def test_the_worker_knows_the_scan_task():
    from huey.contrib.djhuey import HUEY

    import krabuan.catalog.tasks  # noqa: F401  (what `run_huey` imports)

    assert any("guard_scan_task" in name for name in HUEY._registry._registry)


def _public_dataset(actor) -> Dataset:
    org_make()
    data = dataset_data(private=False, resources=[resource_data()])
    return dataset_create(actor=actor, data=data)


def test_a_file_held_back_for_a_background_scan_goes_public_when_it_is_clean(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(guard, "INLINE_LIMIT", 10)  # every file goes to the worker
    dataset = _public_dataset(officer)
    with django_capture_on_commit_callbacks(execute=True):
        resource = add_file(officer, dataset, CLEAN_CSV.encode())
        assert resource.resource_private is True  # held back while the scan runs
        assert resource.scans.get().publish_when_clean is True

    resource.refresh_from_db()
    assert resource.resource_private is False
    assert resource.scans.get().publish_when_clean is False
    entry = AuditEntry.objects.get(action="catalog.resource_publish_after_scan")
    assert entry.object_id == str(resource.pk) and entry.actor is None
    assert Notification.objects.filter(
        user=officer, dedupe_key__startswith="catalog-guard-published-"
    ).exists()
    stored = DatasetListing.objects.get(pk=dataset.pk).public_dict
    assert str(resource.pk) in stored  # the search results show it at once


def test_a_held_back_file_with_findings_stays_private(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(guard, "INLINE_LIMIT", 10)
    dataset = _public_dataset(officer)
    with django_capture_on_commit_callbacks(execute=True):
        resource = add_file(officer, dataset, ID_CSV)
    resource.refresh_from_db()
    assert resource.resource_private is True
    assert resource.scans.get().status == "findings"
    assert not AuditEntry.objects.filter(action="catalog.resource_publish_after_scan").exists()


def test_an_edit_before_the_scan_ends_leaves_the_choice_to_the_editor(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(guard, "INLINE_LIMIT", 10)
    dataset = _public_dataset(officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        resource = add_file(officer, dataset, CLEAN_CSV.encode())
    resource_update(
        actor=officer,
        resource=resource,
        data={"name": "ตารางผลผลิต (แก้ไข)", "description": "รายจังหวัด", "resource_private": True},
    )
    for callback in queued:
        callback()
    resource.refresh_from_db()
    assert resource.scans.get().status == "clean"
    assert resource.resource_private is True
