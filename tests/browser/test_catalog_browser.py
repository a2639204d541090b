"""The data catalog in a real browser: a catalog officer creates a statistics dataset in the
editor (the statistics fields appear when the data type is chosen), uploads a CSV, publishes it;
then an anonymous visitor finds it on the portal by searching "ข้าว" and opens the CSV preview."""

from __future__ import annotations

import re

import pytest

from krabuan.catalog.models import Dataset
from krabuan.catalog.tests.core_factories import org_make
from krabuan.catalog.tests.ui_support import (
    RICE_CSV,
    disk_storage,  # noqa: F401
)
from krabuan.org.models import Role
from krabuan.org.tests.factories import PASSWORD, UserFactory, membership_add

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("disk_storage"),
]


@pytest.fixture
def catalog_officer(transactional_db):  # type: ignore[no-untyped-def]
    org_make()
    user = UserFactory(username="catalog.officer", first_name="เจ้าหน้าที่บัญชีข้อมูล")
    membership_add(user=user, role=Role.OFFICER)
    return user


def test_officer_publishes_a_dataset_and_the_public_finds_and_previews_it(
    live_server, page, browser, catalog_officer, tmp_path
):
    page.goto(f"{live_server.url}/catalog/manage/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "catalog.officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/catalog/manage/$"))
    page.click("nav a:has-text('บัญชีข้อมูล')")  # the shared navigation bar's entry
    page.wait_for_url(re.compile(r"/catalog/manage/$"))

    page.click("#new-dataset")
    page.wait_for_url(re.compile(r"/catalog/manage/new/$"))
    assert page.locator("#field-unit_of_measure").is_hidden()
    page.select_option("#id_data_type", "ข้อมูลสถิติ")
    # The statistics fields appear; the record-type ones stay hidden.
    assert page.locator("#field-unit_of_measure").is_visible()
    assert page.locator("#field-first_year_of_data").is_visible()
    assert page.locator("#field-high_value_dataset").is_hidden()
    # อื่นๆ reveals its free-text input.
    assert page.locator("#field-objective_other").is_hidden()
    page.check("input[name=objective][value='อื่นๆ']")
    assert page.locator("#field-objective_other").is_visible()
    page.uncheck("input[name=objective][value='อื่นๆ']")
    assert page.locator("#field-objective_other").is_hidden()

    page.fill("#id_name", "rice-jasmine-2567")
    page.fill("#id_title", "ผลผลิตข้าวหอมมะลิรายจังหวัด ปี 2567")
    page.select_option("#id_owner_org", "ict")
    page.fill("#id_maintainer", "กลุ่มสถิติการเกษตร")
    page.fill("#id_maintainer_email", "stat@example.go.th")
    page.fill("#id_tag_string", "ข้าว, ข้าวหอมมะลิ")
    page.fill("#id_notes", "ผลผลิตข้าวหอมมะลิ 105 รายจังหวัด (ข้อมูลตัวอย่าง)")
    page.check("input[name=objective][value='พันธกิจหน่วยงาน']")
    page.select_option("#id_update_frequency_unit", "ปี")
    page.fill("#id_update_frequency_interval", "๑")
    page.select_option("#id_geo_coverage", "จังหวัด")
    page.fill("#id_data_source", "สำนักงานเศรษฐกิจการเกษตร")
    page.check("input[name=data_format][value='CSV']")
    page.select_option("#id_data_category", "ข้อมูลสาธารณะ")
    page.select_option("#id_license_id", "Open Data Common")
    page.fill("#id_accessible_condition", "ไม่มี")
    page.fill("#id_unit_of_measure", "ตัน")
    page.fill("#id_first_year_of_data", "๒๕๖๐")
    page.fill("#id_last_updated_date", "10/4/2567")
    page.screenshot(path="/tmp/krabuan-catalog-editor.png", full_page=True)
    page.click("#save-dataset")
    page.wait_for_url(re.compile(r"/catalog/manage/dataset/rice-jasmine-2567/$"))
    assert page.locator("#status-private").is_visible()
    dataset = Dataset.objects.get(name="rice-jasmine-2567")
    assert dataset.type_fields["first_year_of_data"] == "2560"

    page.click("#add-resource")
    page.wait_for_url(re.compile(r"/resources/new/$"))
    csv_file = tmp_path / "ผลผลิตข้าวหอมมะลิ.csv"
    csv_file.write_bytes(RICE_CSV)
    page.set_input_files("#id_upload", str(csv_file))
    page.fill("#id_name", "ผลผลิตรายจังหวัด")
    page.fill("#id_description", "ตารางผลผลิตข้าวรายจังหวัด")
    page.click("#save-resource")
    page.wait_for_url(re.compile(r"/catalog/manage/dataset/rice-jasmine-2567/$"))
    assert "ไม่พบข้อมูลส่วนบุคคล" in page.locator("#staff-resources").inner_text()

    page.click("#publish-dataset")
    page.wait_for_url(re.compile(r"/catalog/manage/dataset/rice-jasmine-2567/$"))
    page.locator("#status-public").wait_for()
    page.screenshot(path="/tmp/krabuan-catalog-staff.png", full_page=True)

    visitor = browser.new_context(locale="th-TH", viewport={"width": 1400, "height": 1000})
    visitor.set_default_timeout(15_000)
    anon = visitor.new_page()
    try:
        anon.goto(f"{live_server.url}/dataset/")
        anon.fill("#portal-q", "ข้าว")
        anon.click("#portal-search-button")
        anon.locator("#result-count:has-text('ข้าว')").wait_for()
        assert "พบ 1 ชุดข้อมูล" in anon.locator("#result-count").inner_text()
        anon.screenshot(path="/tmp/krabuan-catalog-search.png", full_page=True)
        anon.click("#dataset-results a:has-text('ผลผลิตข้าวหอมมะลิรายจังหวัด')")
        anon.wait_for_url(re.compile(r"/dataset/rice-jasmine-2567/$"))
        assert "ตัน" in anon.locator("#metadata").inner_text()
        anon.screenshot(path="/tmp/krabuan-catalog-dataset.png", full_page=True)
        anon.click("#resources a:has-text('ผลผลิตรายจังหวัด')")
        anon.wait_for_url(re.compile(r"/dataset/rice-jasmine-2567/resource/[0-9a-f-]+/$"))
        table = anon.locator("#preview-table")
        assert table.locator("thead th").nth(2).inner_text() == "พันธุ์ข้าว"
        assert table.locator("tbody tr").count() == 3
        assert "ข้าวหอมมะลิ 105" in table.inner_text()
        anon.screenshot(path="/tmp/krabuan-catalog-preview.png", full_page=True)
    finally:
        visitor.close()
