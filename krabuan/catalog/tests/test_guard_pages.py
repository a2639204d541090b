"""Pages of the guard: who sees a scan (editors and stewards; others 404), the report with masked
samples only, the steward's decision form, progress polling, masked download and replacement,
and the queue of findings with filters, CSV and a constant number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from krabuan.catalog.models import PersonalDataScan, ScanDecision, ScanStatus
from krabuan.catalog.services import guard
from krabuan.catalog.tests.test_guard_scanner import CLEAN_CSV, VALID, VALID2
from krabuan.catalog.tests.test_guard_services import ID_CSV, add_file, make_dataset
from krabuan.org.models import Role
from krabuan.org.tests.factories import UserFactory, membership_add

pytestmark = pytest.mark.django_db

PEOPLE = f"ชื่อ-สกุล,เลขประจำตัวประชาชน\nสมชาย ใจดี,{VALID}\nสมหญิง รักดี,{VALID2}\n".encode()


@pytest.fixture
def dpo(db):
    user = UserFactory(username="t-dpo")
    membership_add(user=user, role=Role.DPO)
    return user


def scan_url(resource) -> str:
    return reverse("catalog:guard_scan", args=[resource.pk])


def test_the_report_shows_masked_samples_only(client, officer):
    resource = add_file(officer, make_dataset(officer), PEOPLE)
    client.force_login(officer)

    page = client.get(scan_url(resource)).content.decode()

    assert "เลขประจำตัวประชาชน" in page
    assert "1-1017-xxxxx-xx-x" in page
    assert "คอลัมน์ที่ชื่อบ่งชี้ข้อมูลส่วนบุคคล: ชื่อ-นามสกุล" in page
    for raw in (VALID, VALID2, "สมชาย", "รักดี"):
        assert raw not in page
    assert 'id="decision-form"' not in page  # officers are not stewards
    assert 'id="steward-only"' in page
    assert 'id="replace-masked"' in page


@pytest.mark.parametrize("who", ["requester", "auditor"])
def test_others_get_404(client, officer, request, who):
    resource = add_file(officer, make_dataset(officer), ID_CSV)
    scan = resource.scans.get()
    client.force_login(request.getfixturevalue(who))

    assert client.get(scan_url(resource)).status_code == 404
    assert client.get(reverse("catalog:guard_masked", args=[resource.pk])).status_code == 404
    assert client.get(reverse("catalog:guard_progress", args=[resource.pk])).status_code == 404
    decide = reverse("catalog:guard_decide", args=[scan.pk])
    assert client.post(decide, {"kind": "justify", "note": "x"}).status_code == 404
    assert (
        client.post(reverse("catalog:guard_replace_masked", args=[resource.pk])).status_code == 404
    )
    assert not ScanDecision.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, officer):
    resource = add_file(officer, make_dataset(officer), ID_CSV)
    response = client.get(scan_url(resource))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_steward_decides_through_the_form(client, officer, dpo):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, ID_CSV)
    scan = resource.scans.get()
    client.force_login(dpo)  # the DPO edits no dataset but must read what it decides on
    page = client.get(scan_url(resource)).content.decode()
    assert 'id="decision-form"' in page

    response = client.post(
        reverse("catalog:guard_decide", args=[scan.pk]),
        {"kind": "justify", "note": "เลขทะเบียนสหกรณ์ ไม่ใช่บุคคล"},
    )

    assert response.status_code == 302
    assert ScanDecision.objects.get(scan=scan).decided_by == dpo
    page = client.get(scan_url(resource)).content.decode()
    assert "เลขทะเบียนสหกรณ์ ไม่ใช่บุคคล" in page
    assert 'id="scan-clear"' in page
    assert guard.publish_blockers(dataset) == []


def test_a_decision_without_a_note_is_refused_in_thai(client, officer, group_head):
    scan = add_file(officer, make_dataset(officer), ID_CSV).scans.get()
    client.force_login(group_head)
    response = client.post(reverse("catalog:guard_decide", args=[scan.pk]), {"kind": "mask"})
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลของการตัดสินใจ" in response.content.decode()
    assert not ScanDecision.objects.exists()


def test_an_editor_who_is_not_a_steward_cannot_decide(client, officer):
    scan = add_file(officer, make_dataset(officer), ID_CSV).scans.get()
    client.force_login(officer)
    response = client.post(
        reverse("catalog:guard_decide", args=[scan.pk]), {"kind": "justify", "note": "ขอผ่าน"}
    )
    assert response.status_code == 403
    assert not ScanDecision.objects.exists()


def test_progress_polls_while_running_and_reloads_when_done(client, officer):
    resource = add_file(officer, make_dataset(officer), ID_CSV)
    scan = resource.scans.get()
    PersonalDataScan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, progress=42)
    client.force_login(officer)
    url = reverse("catalog:guard_progress", args=[resource.pk])

    running = client.get(url + "?polling=1")
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert "42%" in running.content.decode()
    assert "HX-Refresh" not in running
    assert "กำลังตรวจ" in client.get(scan_url(resource)).content.decode()

    PersonalDataScan.objects.filter(pk=scan.pk).update(status=ScanStatus.FINDINGS, progress=100)
    done = client.get(url + "?polling=1")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_masked_download_has_no_raw_value(client, officer):
    resource = add_file(officer, make_dataset(officer), PEOPLE, filename="คน.csv")
    client.force_login(officer)

    response = client.get(reverse("catalog:guard_masked", args=[resource.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "masked.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert VALID not in body and VALID2 not in body and "สมชาย" not in body
    assert "1-1017-xxxxx-xx-x" in body


def test_replace_with_masked_file_then_the_dataset_may_go_public(client, officer):
    dataset = make_dataset(officer)
    resource = add_file(officer, dataset, PEOPLE)
    client.force_login(officer)

    response = client.post(reverse("catalog:guard_replace_masked", args=[resource.pk]))

    assert response.status_code == 302
    resource.refresh_from_db()
    assert guard.stored_name(resource).endswith("-masked.csv")
    scan = guard.current_scan(resource)
    assert scan is not None
    assert scan.status == "clean"
    assert guard.publish_blockers(dataset) == []


def test_queue_filters_csv_and_access(client, officer, group_head, requester):
    first = add_file(officer, make_dataset(officer), ID_CSV, name="ทะเบียนแปลง")
    second = add_file(officer, make_dataset(officer), PEOPLE, name="รายชื่อเกษตรกร")
    add_file(officer, make_dataset(officer), CLEAN_CSV.encode(), name="ผลผลิตสะอาด")
    guard.decision_record(actor=group_head, scan=second.scans.get(), kind="mask", note="ปกปิด")
    client.force_login(officer)
    url = reverse("catalog:guard_queue")

    awaiting = client.get(url).content.decode()
    assert "ทะเบียนแปลง" in awaiting
    assert "รายชื่อเกษตรกร" not in awaiting and "ผลผลิตสะอาด" not in awaiting

    decided = client.get(url, {"state": "decided"}).content.decode()
    assert "รายชื่อเกษตรกร" in decided and "ทะเบียนแปลง" not in decided
    by_kind = client.get(url, {"state": "all", "kind": "column_name"}).content.decode()
    assert "รายชื่อเกษตรกร" in by_kind and "ทะเบียนแปลง" not in by_kind
    assert "ทะเบียนแปลง" not in client.get(url, {"q": "เกษตรกร", "state": "all"}).content.decode()

    exported = client.get(url, {"state": "all", "format": "csv"})
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ชุดข้อมูล"
    assert sorted(r[1] for r in rows[1:]) == ["ทะเบียนแปลง", "รายชื่อเกษตรกร"]
    assert VALID not in exported.content.decode()
    assert first.name in {r[1] for r in rows[1:]}

    client.force_login(requester)
    assert client.get(url).status_code == 403


def test_queue_runs_a_constant_number_of_queries(client, officer, django_assert_num_queries):
    add_file(officer, make_dataset(officer), ID_CSV)
    client.force_login(officer)
    url = reverse("catalog:guard_queue")
    client.get(url)  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        add_file(officer, make_dataset(officer), PEOPLE)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('class="queue-row"') == 5
