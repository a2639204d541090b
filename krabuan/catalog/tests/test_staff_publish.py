"""The staff dataset page: resources (upload or link), publish refused by the personal-data guard
with its Thai reasons, make private, delete with confirmation, and the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.tests.ui_support import (
    RICE_CSV,
    add_upload,
    disk_storage,  # noqa: F401
    make_dataset,
)
from krabuan.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disk_storage")]

ID_CSV = "ชื่อ,เลขประจำตัวประชาชน\nสมชาย,1101700230705\nสมหญิง,3100600214569\n".encode()


def _url(name: str, dataset: Dataset, **kwargs) -> str:
    return reverse(f"catalog:{name}", kwargs={"name": dataset.name, **kwargs})


def test_add_an_uploaded_csv_through_the_form(client, officer):
    dataset = make_dataset(officer)
    client.force_login(officer)
    upload = SimpleUploadedFile("ผลผลิตข้าว.csv", RICE_CSV, content_type="text/csv")

    response = client.post(
        _url("resource_create", dataset),
        {
            "upload": upload,
            "name": "",
            "description": "ผลผลิตรายจังหวัด",
            "resource_unit_of_measure": "ตัน",
            "resource_first_year_of_data": "๒๕๖๓",
            "resource_last_updated_date": "1 ม.ค. 2567",
        },
    )

    assert response.status_code == 302
    resource = dataset.resources.get(url_type="upload")
    assert resource.name == "ผลผลิตข้าว.csv"  # the file's name when none is typed
    assert resource.format == "CSV"
    assert resource.type_fields["resource_first_year_of_data"] == "2563"
    assert resource.type_fields["resource_last_updated_date"] == "2024-01-01"
    assert resource.scans.get().status == "clean"
    page = client.get(_url("staff_dataset", dataset)).content.decode()
    assert "ไม่พบข้อมูลส่วนบุคคล" in page
    assert reverse("catalog:guard_scan", args=[resource.id]) in page


def test_add_a_link_and_bad_input_errors_in_thai(client, officer):
    dataset = make_dataset(officer)
    client.force_login(officer)
    url = _url("resource_create", dataset)

    bad = client.post(url, {"name": "ราคา", "url": "ftp:/broken url", "format": "CSV"})
    bad_file = client.post(
        url, {"name": "โปรแกรม", "upload": SimpleUploadedFile("x.exe", b"MZ", "application/x")}
    )
    good = client.post(
        url, {"name": "API ราคา", "url": "https://api.example.go.th/price", "format": "API"}
    )

    assert (
        bad.status_code == 400 and 'data-error-for="url">URL: URL ไม่ถูกต้อง' in bad.content.decode()
    )
    assert bad_file.status_code == 400
    assert "ไม่รับไฟล์ชนิด “exe”" in bad_file.content.decode()
    assert good.status_code == 302
    assert (
        dataset.resources.filter(url="https://api.example.go.th/price", format="API").count() == 1
    )


def test_a_file_with_personal_data_added_to_a_public_dataset_stays_private(client, officer):
    dataset = make_dataset(officer, public=True)
    client.force_login(officer)
    upload = SimpleUploadedFile("farmers.csv", ID_CSV, content_type="text/csv")

    response = client.post(_url("resource_create", dataset), {"upload": upload, "name": "ทะเบียน"})

    assert response.status_code == 302
    resource = dataset.resources.get(name="ทะเบียน")
    assert resource.resource_private is True
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(t.startswith("ทรัพยากรนี้ยังไม่เปิดเผย:") for t in texts)
    client.logout()
    portal = client.get(reverse("catalog:dataset", kwargs={"name": dataset.name}))
    assert "ทะเบียน" not in portal.content.decode()


def test_edit_and_delete_a_resource(client, officer):
    dataset = make_dataset(officer)
    resource = add_upload(officer, dataset)
    client.force_login(officer)
    edit = _url("resource_edit", dataset, resource_id=resource.id)

    page = client.get(edit).content.decode()
    assert "ไฟล์ปัจจุบัน" in page and "ผลผลิตข้าว.csv" in page
    response = client.post(edit, {"name": "ตารางผลผลิตข้าว", "format": "CSV"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "ตารางผลผลิตข้าว" and resource.url_type == "upload"

    delete = _url("resource_delete", dataset, resource_id=resource.id)
    assert "ยืนยันการลบ" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    resource.refresh_from_db()
    assert resource.state == State.DELETED


def test_publish_is_refused_with_the_guards_thai_reasons(client, officer):
    dataset = make_dataset(officer)
    resource = add_upload(officer, dataset, content=ID_CSV, filename="farmers.csv")
    client.force_login(officer)

    page = client.get(_url("staff_dataset", dataset)).content.decode()
    assert 'id="publish-blockers"' in page and "มีข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล" in page
    report = reverse("catalog:guard_scan", args=[resource.id])
    assert f'class="guard-report-link ms-1" href="{report}"' in page

    response = client.post(_url("dataset_publish", dataset))

    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(t.startswith("เผยแพร่ชุดข้อมูลไม่ได้") for t in texts)
    assert any("farmers.csv" in t or resource.name in t for t in texts)
    dataset.refresh_from_db()
    assert dataset.private is True
    assert not AuditEntry.objects.filter(action="catalog.dataset_publish").exists()


def test_publish_then_make_private(client, officer):
    dataset = make_dataset(officer)
    add_upload(officer, dataset)
    client.force_login(officer)

    client.post(_url("dataset_publish", dataset))
    dataset.refresh_from_db()
    assert dataset.private is False
    page = client.get(_url("staff_dataset", dataset)).content.decode()
    assert 'id="status-public"' in page and 'id="make-private"' in page

    client.post(_url("dataset_make_private", dataset))
    dataset.refresh_from_db()
    assert dataset.private is True


def test_publish_and_delete_need_post(client, officer):
    dataset = make_dataset(officer)
    client.force_login(officer)
    assert client.get(_url("dataset_publish", dataset)).status_code == 405
    dataset.refresh_from_db()
    assert dataset.private is True


def test_delete_asks_first_then_leaves_a_tombstone(client, officer):
    dataset = make_dataset(officer, public=True)
    client.force_login(officer)
    url = _url("dataset_delete", dataset)

    confirm = client.get(url)
    assert "ยืนยันการลบ" in confirm.content.decode()
    dataset.refresh_from_db()
    assert dataset.state == State.ACTIVE

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse("catalog:staff_home")
    dataset.refresh_from_db()
    assert dataset.state == State.DELETED
    assert Dataset.objects.filter(pk=dataset.pk).exists()
    client.logout()
    assert client.get(reverse("catalog:dataset", kwargs={"name": dataset.name})).status_code == 404


def test_audit_trail_lists_dataset_and_resource_changes(client, officer):
    dataset = make_dataset(officer)
    add_upload(officer, dataset)
    client.force_login(officer)
    client.post(_url("dataset_publish", dataset))

    html = client.get(_url("dataset_audit", dataset)).content.decode()

    assert "สร้างชุดข้อมูล" in html
    assert "เพิ่มทรัพยากร" in html
    assert "เผยแพร่ชุดข้อมูล" in html
    # The changed field under its Thai label, with Thai values.
    assert '<span class="fw-semibold">การเปิดเผย</span>: ไม่เปิดเผย → เปิดเผย' in html
    assert html.count('class="audit-row"') >= 3


def test_staff_pages_of_a_missing_dataset_are_not_found(client, officer):
    client.force_login(officer)
    for name in ("staff_dataset", "dataset_edit", "dataset_audit", "resource_create"):
        assert client.get(reverse(f"catalog:{name}", kwargs={"name": "missing"})).status_code == 404
    assert Resource.objects.count() == 0
