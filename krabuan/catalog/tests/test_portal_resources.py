"""The resource page (metadata, CSV/XLSX preview) and downloads: content type, Thai file names,
the download counter, links, and private resources hidden from the public."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import Workbook

from krabuan.catalog.models import Resource
from krabuan.catalog.services.datasets import dataset_patch
from krabuan.catalog.services.resources import resource_update
from krabuan.catalog.tests.ui_support import (
    RICE_CSV,
    add_upload,
    disk_storage,  # noqa: F401
    make_dataset,
)
from krabuan.catalog.views.portal_preview import decode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disk_storage")]


def _urls(resource: Resource) -> tuple[str, str]:
    kwargs = {"name": resource.dataset.name, "resource_id": resource.id}
    page = reverse("catalog:resource", kwargs=kwargs)
    filename = (resource.upload.name or "x").rsplit("/", 1)[-1]
    download = reverse("catalog:resource_download", kwargs={**kwargs, "filename": filename})
    return page, download


def _public_with_upload(officer, *, cleared: bool = True, **kwargs):
    dataset = make_dataset(officer, public=True)
    resource = add_upload(officer, dataset, **kwargs)
    resource.refresh_from_db()
    assert resource.resource_private is not cleared  # only a file the guard cleared goes out
    return resource


def test_csv_preview_shows_a_table_with_thai_text(client, officer):
    resource = _public_with_upload(officer)
    page, _download = _urls(resource)

    response = client.get(page)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-table"' in html
    assert '<th scope="col">พันธุ์ข้าว</th>' in html
    assert "<td>ข้าวหอมมะลิ 105</td>" in html
    assert "แสดง 3 แถวแรก" in html and "UTF-8" in html


def test_preview_reads_windows_thai_and_semicolons_and_stops_at_100_rows(client, officer):
    rows = "\n".join(f"แถว{n};{n}" for n in range(250))
    content = ("รายการ;ค่า\n" + rows + "\n").encode("cp874")
    resource = _public_with_upload(officer, content=content, filename="tis620.csv")
    page, _download = _urls(resource)

    html = client.get(page).content.decode()

    assert '<th scope="col">รายการ</th>' in html and "<td>แถว99</td>" in html
    assert "<td>แถว100</td>" not in html
    assert "แสดง 100 แถวแรก" in html and "ไฟล์มีข้อมูลมากกว่านี้" in html
    assert "TIS-620" in html


def test_xlsx_preview(client, officer):
    book = Workbook()
    sheet = book.active
    sheet.title = "ผลผลิต"
    sheet.append(["จังหวัด", "ผลผลิต"])
    sheet.append(["สุรินทร์", 120000])
    buffer = io.BytesIO()
    book.save(buffer)
    resource = _public_with_upload(officer, content=buffer.getvalue(), filename="ผลผลิต.xlsx")
    page, _download = _urls(resource)

    html = client.get(page).content.decode()

    assert "<td>สุรินทร์</td>" in html and "<td>120000</td>" in html
    assert "แผ่นงาน ผลผลิต" in html


def test_broken_xlsx_shows_a_thai_message_not_an_error(client, officer):
    resource = _public_with_upload(
        officer, cleared=False, content=b"not a zip file", filename="broken.xlsx"
    )
    page, _download = _urls(resource)
    assert client.get(page).status_code == 404  # the guard could not clear it: kept private
    client.force_login(officer)

    response = client.get(page)

    assert response.status_code == 200
    assert "แสดงตัวอย่างข้อมูลไม่ได้" in response.content.decode()


def test_decode_guesses_encodings():
    assert decode("ข้าว".encode())[1] == "UTF-8"
    assert decode(b"\xef\xbb\xbf" + "ข้าว".encode()) == ("ข้าว", "UTF-8")
    assert decode("ข้าว".encode("utf-16")) == ("ข้าว", "UTF-16")
    assert decode("ข้าว".encode("cp874")) == ("ข้าว", "TIS-620 (Windows-874)")
    # A head cut in the middle of a UTF-8 character is still UTF-8.
    assert decode("ข้าว".encode()[:-1]) == ("ข้า", "UTF-8")


def test_download_streams_the_file_with_type_and_thai_name_and_counts(client, officer):
    resource = _public_with_upload(officer)
    _page, download = _urls(resource)

    first = client.get(download)
    second = client.get(download)

    assert first.status_code == 200
    assert b"".join(first.streaming_content) == RICE_CSV
    assert first["Content-Type"] == "text/csv"
    assert first["X-Content-Type-Options"] == "nosniff"
    disposition = first["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("ผลผลิตข้าว.csv") in disposition
    assert second.status_code == 200
    resource.refresh_from_db()
    assert resource.download_count == 2


def test_link_resource_download_redirects_and_counts(client, officer):
    dataset = make_dataset(officer, public=True)
    resource = dataset.resources.get()
    url = reverse(
        "catalog:resource_download",
        kwargs={"name": dataset.name, "resource_id": resource.id, "filename": "rice.csv"},
    )

    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == resource.url
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_private_dataset_resources_are_not_found_for_the_public(client, officer):
    dataset = make_dataset(officer, public=True)
    resource = add_upload(officer, dataset)
    dataset_patch(actor=officer, dataset=dataset, data={"private": True})
    page, download = _urls(resource)

    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    resource.refresh_from_db()
    assert resource.download_count == 0
    client.force_login(officer)
    assert client.get(page).status_code == 200


def test_private_resource_of_a_public_dataset_is_hidden(client, officer):
    resource = _public_with_upload(officer)
    resource_update(
        actor=officer,
        resource=resource,
        data={"name": resource.name, "resource_private": True},
    )
    page, download = _urls(resource)
    dataset_page = reverse("catalog:dataset", kwargs={"name": resource.dataset.name})

    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert resource.name not in client.get(dataset_page).content.decode()


def test_resource_of_another_dataset_is_not_found(client, officer):
    resource = _public_with_upload(officer)
    other = make_dataset(officer, public=True)
    url = reverse("catalog:resource", kwargs={"name": other.name, "resource_id": resource.id})
    assert client.get(url).status_code == 404


def test_resource_page_shows_metadata_of_the_data_type(client, officer):
    dataset = make_dataset(officer, public=True)
    resource = add_upload(
        officer,
        dataset,
        resource_unit_of_measure="ตัน",
        resource_first_year_of_data="2563",
    )
    page, _download = _urls(resource)

    html = client.get(page).content.decode()

    assert "หน่วยวัด" in html and "ตัน" in html
    assert "ปีข้อมูลที่เริ่มต้นจัดทำ" in html and "2563" in html
    assert 'id="download-button"' in html and "ดาวน์โหลด" in html
