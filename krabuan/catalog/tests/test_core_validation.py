"""Validation of dataset and resource input: each rule, Thai messages naming the field."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, State
from krabuan.catalog.services.datasets import dataset_create
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data
from krabuan.catalog.validation import Errors, clean_dataset, clean_resource, clean_upload
from krabuan.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _errors(data, instance=None):
    with pytest.raises(ApplicationError) as exc:
        clean_dataset(data, instance=instance)
    return exc.value.fields


def test_valid_dataset_cleans_to_columns_type_fields_and_tags():
    org = org_make()
    cleaned = clean_dataset(
        dataset_data(org, unit_of_multiplier="พัน", first_year_of_data="๒๕๖๓"), instance=None
    )
    assert cleaned["owner_org"] == org
    assert cleaned["tags"] == ["ข้าว", "สถิติการเกษตร"]
    assert cleaned["objective"] == ["พันธกิจหน่วยงาน"]
    assert cleaned["type_fields"]["unit_of_multiplier"] == "พัน"
    assert cleaned["type_fields"]["first_year_of_data"] == "2563"
    assert cleaned["private"] is True
    assert cleaned["resources"] is None


@pytest.mark.parametrize("field", [*schema.MANDATORY_ITEMS, "data_type", "name"])
def test_every_mandatory_item_is_required_with_its_thai_label(field):
    org_make()
    data = dataset_data()
    data.pop("tags") if field == "tag_string" else data.pop(field)
    fields = _errors(data)
    problem = "ต้องระบุอย่างน้อย 1 คำ" if field == "tag_string" else "ต้องระบุ"
    assert fields[field] == [f"{schema.label(field)}: {problem}"]


def test_missing_everything_lists_all_sixteen_fields_and_saves_nothing():
    fields = _errors({})
    assert set(fields) == {*schema.MANDATORY_ITEMS, "data_type", "name"}
    assert Dataset.objects.count() == 0


def test_choice_accepts_only_exact_thai_values():
    org_make()
    fields = _errors(dataset_data(geo_coverage="จังหวัดฯ", data_category="สาธารณะ"))
    assert fields["geo_coverage"] == ["ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่: “จังหวัดฯ” ไม่ใช่ค่าที่เลือกได้"]
    assert fields["data_category"][0].startswith("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ: ")


def test_license_list_is_the_2_2_4_titles():
    org_make()
    assert "License not specified" not in schema.LICENSE_TITLES
    fields = _errors(dataset_data(license_id="cc-by"))
    assert fields["license_id"][0].startswith("สัญญาอนุญาตให้ใช้ข้อมูล: ")
    clean_dataset(
        dataset_data(license_id="Creative Commons Attribution Non-Commercial No-Derivs"),
        instance=None,
    )


def test_other_choice_needs_the_other_text_and_other_text_is_dropped_otherwise():
    org_make()
    fields = _errors(dataset_data(update_frequency_unit="อื่นๆ"))
    assert fields["update_frequency_unit_other"] == [
        "หน่วยความถี่ของการปรับปรุงข้อมูล (อื่นๆ โปรดระบุ): เลือก “อื่นๆ” แล้วต้องระบุรายละเอียด"
    ]
    ok = clean_dataset(
        dataset_data(
            update_frequency_unit="อื่นๆ",
            update_frequency_unit_other="ตามรอบการสำรวจ",
            objective=["พันธกิจหน่วยงาน", "อื่นๆ"],
            objective_other="แผนปฏิบัติการกระทรวง",
            geo_coverage_other="ไม่ใช้",
        ),
        instance=None,
    )
    assert ok["update_frequency_unit_other"] == "ตามรอบการสำรวจ"
    assert ok["objective_other"] == "แผนปฏิบัติการกระทรวง"
    assert ok["geo_coverage_other"] == ""


def test_multi_choice_must_be_a_list_or_a_json_list_string():
    org_make()
    fields = _errors(dataset_data(data_format="CSV"))
    assert fields["data_format"] == ["รูปแบบการเก็บข้อมูล: ต้องเป็นรายการ (list) ของค่าที่เลือกได้"]
    ok = clean_dataset(dataset_data(data_format=json.dumps(["CSV", "JSON"])), instance=None)
    assert ok["data_format"] == ["CSV", "JSON"]
    fields = _errors(dataset_data(data_format=["CSV", "Excel"]))
    assert "“Excel”" in fields["data_format"][0]


def test_email_url_and_dates():
    org_make()
    fields = _errors(
        dataset_data(
            maintainer_email="not-an-email",
            url="javascript:alert(1)",
            last_updated_date="31/02/2567",
            data_release_calendar="พรุ่งนี้",
        )
    )
    assert fields["maintainer_email"] == ["อีเมลสำหรับติดต่อ: รูปแบบอีเมลไม่ถูกต้อง"]
    assert fields["url"][0].startswith("URL: URL ไม่ถูกต้อง")
    assert fields["last_updated_date"][0].startswith("วันที่ปรับปรุงข้อมูลล่าสุด: วันที่ไม่ถูกต้อง")
    assert fields["data_release_calendar"][0].startswith("วันที่กำหนดเผยแพร่ข้อมูล: ")


def test_dates_accept_iso_thai_digits_and_buddhist_era():
    org_make()
    ok = clean_dataset(
        dataset_data(last_updated_date="๑๐/๐๔/๒๕๖๗", data_release_calendar="2024-05-01T00:00:00"),
        instance=None,
    )
    assert ok["last_updated_date"].isoformat() == "2024-04-10"
    assert ok["type_fields"]["data_release_calendar"] == "2024-05-01"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Rice-Data", "ใช้ได้เฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข - และ _ (อย่างน้อย 2 ตัวอักษร)"),
        ("ข้าว", "ใช้ได้เฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข - และ _ (อย่างน้อย 2 ตัวอักษร)"),
        ("a" * 71, "ยาวได้ไม่เกิน 70 ตัวอักษร"),
    ],
)
def test_slug_rules(name, problem):
    org_make()
    assert _errors(dataset_data(name=name))["name"] == [f"URL (รหัสชุดข้อมูล): {problem}"]


def test_slug_and_title_are_unique(officer):
    org_make()
    first = dataset_create(actor=officer, data=dataset_data(name="04_0201", title="ราคาข้าว"))
    fields = _errors(dataset_data(name="04_0201", title="  ราคาข้าว "))
    assert fields["name"] == ["URL (รหัสชุดข้อมูล): “04_0201” มีชุดข้อมูลอื่นใช้แล้ว"]
    assert fields["title"] == ["ชื่อชุดข้อมูล: มีชุดข้อมูลอื่นใช้ชื่อนี้แล้ว"]
    # The dataset itself may keep its own name and title.
    clean_dataset(dataset_data(name="04_0201", title="ราคาข้าว"), instance=first)


def test_title_uniqueness_is_case_insensitive_and_ignores_deleted(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data(title="Rice Price"))
    assert "title" in _errors(dataset_data(title="rice price"))
    Dataset.objects.filter(pk=ds.pk).update(state=State.DELETED)
    clean_dataset(dataset_data(title="rice price"), instance=None)


def test_thai_tags_with_vowels_and_tone_marks_are_valid():
    org_make()
    ok = clean_dataset(dataset_data(tags=None, tag_string="ข้าว, ข้าวหอมมะลิ,สถิติ"), instance=None)
    assert ok["tags"] == ["ข้าว", "ข้าวหอมมะลิ", "สถิติ"]


def test_tag_rules():
    org_make()
    long_tag = "ก" * 101
    fields = _errors(dataset_data(tags=[{"name": long_tag}, {"name": "ข้าว,โพด"}]))
    assert fields["tag_string"] == [
        "คำสำคัญ: แต่ละคำยาวได้ไม่เกิน 100 ตัวอักษร",
        "คำสำคัญ: “ข้าว,โพด” มีเครื่องหมายจุลภาคไม่ได้",
    ]


def test_fields_of_another_data_type_are_refused():
    org_make()
    fields = _errors(dataset_data(data_type=schema.RECORD, unit_of_multiplier="พัน"))
    assert fields["unit_of_multiplier"] == ["หน่วยตัวคูณ: ไม่ใช้กับประเภทชุดข้อมูล “ข้อมูลระเบียน”"]
    ok = clean_dataset(
        dataset_data(data_type=schema.RECORD, data_collect="พื้นที่การเกษตร ประมง ป่าไม้"),
        instance=None,
    )
    assert ok["type_fields"]["data_collect"] == "พื้นที่การเกษตร ประมง ป่าไม้"


def test_fields_are_accepted_from_extras_and_booleans_as_strings():
    org_make()
    data = dataset_data()
    data.pop("geo_coverage")
    data["extras"] = [
        {"key": "geo_coverage", "value": "ประเทศ"},
        {"key": "official_statistics", "value": "True"},
    ]
    data["allow_harvest"] = "False"
    data["private"] = "False"
    ok = clean_dataset(data, instance=None)
    assert ok["geo_coverage"] == "ประเทศ"
    assert ok["type_fields"]["official_statistics"] is True
    assert ok["allow_harvest"] is False
    assert ok["private"] is False


def test_unknown_owner_org_and_group():
    org_make()
    fields = _errors(dataset_data(owner_org="no-such-org", groups=[{"name": "nope"}]))
    assert fields["owner_org"] == ["หน่วยงานเจ้าของข้อมูล: ไม่พบหน่วยงาน “no-such-org”"]
    assert fields["groups"] == ["กลุ่ม: ไม่พบกลุ่ม “nope”"]


def test_resources_of_a_public_dataset_need_url_and_format():
    org_make()
    fields = _errors(
        dataset_data(private=False, resources=[resource_data(), {"name": "ไฟล์ไม่มีลิงก์"}])
    )
    assert fields["resources"] == [
        "ทรัพยากรลำดับที่ 2 — URL: ต้องระบุสำหรับชุดข้อมูลที่เปิดเผย",
        "ทรัพยากรลำดับที่ 2 — นามสกุลของไฟล์: ต้องระบุสำหรับชุดข้อมูลที่เปิดเผย",
    ]
    # The same resource is fine on a private dataset.
    clean_dataset(dataset_data(resources=[{"name": "ไฟล์ไม่มีลิงก์"}]), instance=None)


def test_clean_resource_guesses_format_and_checks_type_fields(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data())
    ok = clean_resource(
        {"name": "ผลผลิต", "url": "https://x.example/a/rice.json"}, dataset=ds, instance=None
    )
    assert ok["format"] == "JSON"
    with pytest.raises(ApplicationError) as exc:
        clean_resource(
            resource_data(resource_unit_of_multiplier="โหล", resource_data_collect="บุคคล"),
            dataset=ds,
            instance=None,
        )
    assert exc.value.fields["resource_unit_of_multiplier"] == ["หน่วยตัวคูณ: “โหล” ไม่ใช่ค่าที่เลือกได้"]
    assert exc.value.fields["resource_data_collect"] == [
        "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล: ไม่ใช้กับประเภทชุดข้อมูล “ข้อมูลสถิติ”"
    ]


def test_upload_limits(settings):
    settings.KRABUAN_CATALOG_MAX_UPLOAD = 10
    errors = Errors()
    clean_upload(SimpleUploadedFile("run.exe", b"MZ"), errors)
    clean_upload(SimpleUploadedFile("big.csv", b"a,b\n" * 10), errors)
    assert errors.fields["upload"][0].startswith("ไฟล์: ไม่รับไฟล์ชนิด “exe”")
    assert errors.fields["upload"][1] == "ไฟล์: ไฟล์ใหญ่เกินกำหนด (ไม่เกิน 0.0 MB)"
