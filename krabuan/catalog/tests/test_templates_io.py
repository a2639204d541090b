"""DGA Templates: export layouts (header row 4, BE dates) and all-or-nothing re-import."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from krabuan.catalog.models import Dataset, Organization, Resource
from krabuan.catalog.services.datasets import dataset_create
from krabuan.catalog.services.resources import resource_create
from krabuan.catalog.xlsx_templates import export, layout
from krabuan.catalog.xlsx_templates.importer import import_templates

pytestmark = pytest.mark.django_db


def _data(name: str, title: str, **extra) -> dict:
    data = {
        "name": name,
        "title": title,
        "owner_org": "tpl-org",
        "data_type": "ข้อมูลสถิติ",
        "maintainer": "กลุ่มสถิติ",
        "maintainer_email": "stat@example.go.th",
        "tags": [{"name": "ข้าว"}, {"name": "สถิติการเกษตร"}],
        "notes": "ข้อมูลสถิติราคาข้าว",
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "data_source": "ศทส. สป.กษ.",
        "data_format": ["CSV", "XLS"],
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "last_updated_date": "2024-04-10",
        "first_year_of_data": "2560",
        "last_year_of_data": "2567",
        "private": True,
    }
    data.update(extra)
    return data


@pytest.fixture
def catalog(officer):
    Organization.objects.create(name="tpl-org", title="หน่วยงานทดสอบแบบฟอร์ม")
    first = dataset_create(actor=officer, data=_data("rice-stat", "สถิติราคาข้าว"))
    second = dataset_create(
        actor=officer,
        data=_data(
            "farm-register",
            "ทะเบียนแปลงเกษตร",
            data_type="ข้อมูลระเบียน",
            geo_coverage="อื่นๆ",
            geo_coverage_other="ลุ่มน้ำเจ้าพระยา",
            first_year_of_data=None,
            last_year_of_data=None,
        ),
    )
    resource_create(
        actor=officer,
        dataset=first,
        data={
            "name": "ราคาข้าวรายเดือน",
            "url": "https://example.go.th/rice.csv",
            "format": "CSV",
            "description": "ไฟล์ CSV",
        },
        upload=None,
    )
    return first, second


def _sheet(content: bytes, name: str):
    return load_workbook(io.BytesIO(content))[name]


def test_template2_layout_has_header_on_row_4_and_be_dates(catalog):
    content = export.template2(Dataset.objects.all())

    sheet = _sheet(content, "Temp2_Meta_Stat")
    header = [c.value for c in sheet[4]]
    assert header == layout.meta_columns("Stat")
    row = {h: c.value for h, c in zip(header, sheet[6], strict=False)}
    assert row["name"] == "rice-stat"
    assert row["last_updated_date"] == "2567-04-10"
    assert row["objective"] == "พันธกิจหน่วยงาน,เพื่อการให้บริการประชาชน"
    record = _sheet(content, "Temp2_Meta_Record")
    values = {h: c.value for h, c in zip(layout.meta_columns("Record"), record[6], strict=False)}
    assert values["geo_coverage"] == "ลุ่มน้ำเจ้าพระยา"  # the *_other text stands for อื่นๆ
    assert set(load_workbook(io.BytesIO(content)).sheetnames) == {
        f"Temp2_Meta_{s}" for s in layout.SHEET_TYPES
    }


def test_template1_and_3_list_datasets_and_resources(catalog):
    first = _sheet(export.template1(Dataset.objects.all()), "Temp1_Dataset_List")
    third = _sheet(export.template3(Dataset.objects.all()), "Temp3_Resource_Stat")

    assert [c.value for c in first[4]] == layout.TEMPLATE1_COLUMNS
    assert {first.cell(row=r, column=2).value for r in (6, 7)} == {"farm-register", "rice-stat"}
    assert [c.value for c in third[4]] == layout.resource_columns("Stat")
    assert third.cell(row=6, column=1).value == "rice-stat"
    assert third.cell(row=6, column=2).value == "ราคาข้าวรายเดือน"


def _combined(*contents: bytes) -> bytes:
    """One workbook holding the sheets of several exports, as an agency would send them."""
    out = Workbook()
    out.remove(out.active)
    for content in contents:
        for source in load_workbook(io.BytesIO(content)):
            target = out.create_sheet(source.title)
            for row in source.iter_rows(values_only=True):
                target.append(list(row))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _fingerprint() -> dict:
    rows = {}
    for d in Dataset.objects.order_by("name").prefetch_related("tags", "resources"):
        rows[d.name] = (
            d.title,
            d.data_type,
            d.objective,
            d.geo_coverage,
            d.geo_coverage_other,
            d.data_format,
            d.last_updated_date,
            sorted(t.name for t in d.tags.all()),
            {k: v for k, v in d.type_fields.items() if v not in ("", None, [])},
            sorted((r.name, r.url, r.format) for r in d.resources.all()),
        )
    return rows


def test_exported_templates_reimport_to_the_same_datasets(catalog, officer):
    before = _fingerprint()
    workbook = _combined(
        export.template2(Dataset.objects.all()), export.template3(Dataset.objects.all())
    )
    Resource.objects.all().delete()
    Dataset.objects.all().delete()

    report = import_templates(actor=officer, content=workbook)

    assert report.ok, [(r.sheet, r.row, r.errors) for r in report.rows if r.errors]
    assert [r.action for r in report.rows] == ["สร้างใหม่"] * 3
    assert _fingerprint() == before
    assert all(d.private and not d.allow_harvest for d in Dataset.objects.all())


def test_reimport_over_existing_datasets_updates_them_in_place(catalog, officer):
    ids = set(Dataset.objects.values_list("id", flat=True))
    before = _fingerprint()

    report = import_templates(
        actor=officer,
        content=_combined(
            export.template2(Dataset.objects.all()), export.template3(Dataset.objects.all())
        ),
    )

    assert report.ok
    assert {r.action for r in report.rows} == {"ปรับปรุง"}
    assert set(Dataset.objects.values_list("id", flat=True)) == ids
    assert _fingerprint() == before


def test_one_invalid_row_rejects_the_whole_file_with_a_row_report(catalog, officer):
    content = export.template2(Dataset.objects.all())
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Temp2_Meta_Stat"]
    sheet.cell(row=7, column=1, value="new-stat")
    for column in range(2, len(layout.meta_columns("Stat")) + 1):
        sheet.cell(row=7, column=column, value=sheet.cell(row=6, column=column).value)
    sheet.cell(row=7, column=3, value="ชุดใหม่ที่ถูกต้อง")
    record = workbook["Temp2_Meta_Record"]
    record.cell(row=6, column=6, value="not-an-email")  # maintainer_email
    buffer = io.BytesIO()
    workbook.save(buffer)
    count = Dataset.objects.count()

    report = import_templates(actor=officer, content=buffer.getvalue())

    assert not report.ok
    bad = [r for r in report.rows if r.errors]
    assert [(r.sheet, r.row) for r in bad] == [("Temp2_Meta_Record", 6)]
    assert any("อีเมล" in e for e in bad[0].errors)
    assert Dataset.objects.count() == count
    assert not Dataset.objects.filter(name="new-stat").exists()


def test_unknown_choice_becomes_other_with_text(catalog, officer):
    workbook = load_workbook(io.BytesIO(export.template2(Dataset.objects.filter(name="rice-stat"))))
    sheet = workbook["Temp2_Meta_Stat"]
    sheet.cell(row=6, column=12, value="ลุ่มน้ำโขง")  # geo_coverage
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_templates(actor=officer, content=buffer.getvalue())

    assert report.ok, [r.errors for r in report.rows]
    dataset = Dataset.objects.get(name="rice-stat")
    assert (dataset.geo_coverage, dataset.geo_coverage_other) == ("อื่นๆ", "ลุ่มน้ำโขง")


def test_not_an_excel_file_is_a_clear_error(client, officer):
    client.force_login(officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/catalog/templates/",
        {"file": SimpleUploadedFile("x.xlsx", b"not excel", content_type="application/zip")},
    )

    assert response.status_code == 400
    assert "ไฟล์" in response.content.decode()


def test_page_and_downloads_for_editors_only(client, catalog, officer, requester):
    client.force_login(requester)
    assert client.get("/catalog/templates/").status_code == 403
    assert client.get("/catalog/templates/2.xlsx").status_code == 403
    client.force_login(officer)
    assert client.get("/catalog/templates/").status_code == 200
    response = client.get("/catalog/templates/2.xlsx?org=tpl-org")
    assert response.status_code == 200
    assert "Temp2_Meta_Stat" in load_workbook(io.BytesIO(response.content)).sheetnames
