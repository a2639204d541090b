"""The staff editor's dataset form: built from the schema, conditional fields per data type,
Buddhist-era dates and Thai digits accepted, Thai errors next to the field, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from krabuan.catalog import schema
from krabuan.catalog.forms import DatasetForm
from krabuan.catalog.models import Dataset
from krabuan.catalog.tests.core_factories import group_make, org_make
from krabuan.catalog.tests.ui_support import make_dataset
from krabuan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def form_post(**overrides):
    data = {
        "name": "rice-production-2567",
        "data_type": schema.STAT,
        "title": "สถิติผลผลิตข้าวรายจังหวัด",
        "owner_org": "ict",
        "maintainer": "กลุ่มสถิติการเกษตร",
        "maintainer_email": "stat@example.go.th",
        "tag_string": "ข้าว, สถิติการเกษตร",
        "notes": "ผลผลิตข้าวนาปีรายจังหวัด",
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "๑",
        "geo_coverage": "จังหวัด",
        "data_source": "สำนักงานเศรษฐกิจการเกษตร",
        "data_format": ["CSV", "XLS"],
        "data_category": schema.PUBLIC_CATEGORY,
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "data_language": ["ไทย"],
        "last_updated_date": "๑๐/๔/๒๕๖๗",
        "first_year_of_data": "๒๕๖๐",
        "last_year_of_data": "2566",
        "unit_of_measure": "ตัน",
        "official_statistics": "on",
        # A record-type field sent by a stale browser form: cleared, not an error.
        "high_value_dataset": "on",
    }
    data.update(overrides)
    return data


def test_pages_need_a_catalog_editor(client, requester, auditor):
    url = reverse("catalog:dataset_create")
    assert client.get(url).status_code == 302  # to the sign-in page
    for user in (requester, auditor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("catalog:staff_home")).status_code == 403


def test_form_marks_each_field_with_its_data_types(client, officer):
    org_make()
    client.force_login(officer)

    html = client.get(reverse("catalog:dataset_create")).content.decode()

    assert 'id="field-unit_of_measure" data-types="ข้อมูลสถิติ" hidden' in html
    assert 'id="field-title" data-types=""' in html
    assert 'data-other-of="objective" data-other-value="อื่นๆ"' in html
    assert 'data-other-of="data_type" data-other-value="ข้อมูลประเภทอื่นๆ"' in html
    assert 'type="checkbox" name="objective" value="ยุทธศาสตร์ชาติ"' in html
    assert "data-type-select" in html
    # Every choice value of the schema, exactly.
    for value in schema.GEO_COVERAGES + schema.DATA_CATEGORIES:
        assert f'value="{value}"' in html


def test_create_through_the_form_with_be_dates_and_thai_digits(client, officer):
    org_make()
    group = group_make()
    client.force_login(officer)

    response = client.post(reverse("catalog:dataset_create"), form_post(groups=[group.name]))

    dataset = Dataset.objects.get(name="rice-production-2567")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:staff_dataset", kwargs={"name": dataset.name})
    assert dataset.private is True  # new datasets wait to be published
    assert dataset.last_updated_date == dt.date(2024, 4, 10)
    assert dataset.update_frequency_interval == "1"
    assert dataset.objective == ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"]
    assert dataset.data_format == ["CSV", "XLS"]
    assert dataset.type_fields["first_year_of_data"] == "2560"
    assert dataset.type_fields["unit_of_measure"] == "ตัน"
    assert dataset.type_fields["official_statistics"] is True
    assert (
        "high_value_dataset" not in dataset.type_fields
        or not dataset.type_fields["high_value_dataset"]
    )
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["ข้าว", "สถิติการเกษตร"]
    assert list(dataset.groups.all()) == [group]
    assert AuditEntry.objects.filter(action="catalog.dataset_create", actor=officer).count() == 1


def test_errors_are_thai_next_to_the_field_and_nothing_is_saved(client, officer):
    org_make()
    client.force_login(officer)

    response = client.post(
        reverse("catalog:dataset_create"),
        form_post(
            title="",
            maintainer_email="not-an-email",
            last_updated_date="31/02/2567",
            objective=["อื่นๆ"],
            tag_string="",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert Dataset.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert 'data-error-for="last_updated_date">วันที่ปรับปรุงข้อมูลล่าสุดไม่ใช่วันที่ที่ถูกต้อง' in html
    # Service messages name the field in Thai and sit beside it.
    assert "กรุณาแก้ไขช่องที่มีข้อความสีแดง" in html


def test_service_errors_name_the_field(client, officer):
    org_make()
    client.force_login(officer)

    response = client.post(
        reverse("catalog:dataset_create"),
        form_post(title="", maintainer_email="not-an-email", objective=["อื่นๆ"], tag_string=""),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error-for="title">ชื่อชุดข้อมูล: ต้องระบุ' in html
    assert 'data-error-for="maintainer_email">อีเมลสำหรับติดต่อ: รูปแบบอีเมลไม่ถูกต้อง' in html
    assert 'data-error-for="objective_other">' in html
    assert 'data-error-for="tag_string">คำสำคัญ: ต้องระบุอย่างน้อย 1 คำ' in html
    # What was typed is kept.
    assert 'value="stat@example.go.th"' not in html and 'value="not-an-email"' in html
    assert Dataset.objects.count() == 0


def test_duplicate_name_is_reported_on_the_name_field(client, officer):
    existing = make_dataset(officer)
    client.force_login(officer)

    response = client.post(reverse("catalog:dataset_create"), form_post(name=existing.name))

    assert response.status_code == 400
    assert 'data-error-for="name">' in response.content.decode()
    assert Dataset.objects.count() == 1


def test_edit_shows_stored_values_and_changing_the_type_clears_its_fields(client, officer):
    org_make()
    client.force_login(officer)
    client.post(reverse("catalog:dataset_create"), form_post())
    dataset = Dataset.objects.get()
    url = reverse("catalog:dataset_edit", kwargs={"name": dataset.name})

    page = client.get(url).content.decode()
    assert 'value="10/4/2567"' in page  # BE date as typed
    assert 'value="ข้าว, สถิติการเกษตร"' in page or 'value="สถิติการเกษตร, ข้าว"' in page
    assert 'value="ตัน"' in page

    response = client.post(
        url,
        form_post(data_type=schema.RECORD, title="ทะเบียนแปลงนาข้าว", high_value_dataset="on"),
    )

    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title == "ทะเบียนแปลงนาข้าว" and dataset.data_type == schema.RECORD
    assert not dataset.type_fields.get("unit_of_measure")
    assert not dataset.type_fields.get("first_year_of_data")
    assert dataset.type_fields["high_value_dataset"] is True
    assert AuditEntry.objects.filter(action="catalog.dataset_patch").count() == 1


def test_other_text_is_kept_only_with_the_other_choice(client, officer):
    org_make()
    client.force_login(officer)

    client.post(
        reverse("catalog:dataset_create"),
        form_post(
            objective=["อื่นๆ"],
            objective_other="แผนปฏิบัติการด้านข้าว",
            geo_coverage="ประเทศ",
            geo_coverage_other="ไม่ควรถูกเก็บ",
        ),
    )

    dataset = Dataset.objects.get()
    assert dataset.objective == ["อื่นๆ"] and dataset.objective_other == "แผนปฏิบัติการด้านข้าว"
    assert dataset.geo_coverage_other == ""


def test_deleted_dataset_cannot_be_edited(client, officer):
    dataset = make_dataset(officer)
    client.force_login(officer)
    client.post(reverse("catalog:dataset_delete", kwargs={"name": dataset.name}))

    response = client.get(reverse("catalog:dataset_edit", kwargs={"name": dataset.name}))

    assert response.status_code == 404


def test_form_layout_follows_the_chosen_data_type():
    form = DatasetForm(data={"data_type": schema.GIS}, organizations=[], groups=[])
    shown = {row["spec"].name for row in form.layout() if row["shown"]}
    assert "geographic_data_set" in shown and "west_bound_longitude" in shown
    assert "unit_of_measure" not in shown and "high_value_dataset" not in shown
    assert "title" in shown and "data_language" in shown
