"""The calendar page: the year's days off for everyone, the override table for calendar managers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from krabuan.core.models import AuditEntry
from krabuan.org.models import CalendarOverride, OverrideKind

URL = "/org/calendar/"


def add_form(**overrides: str) -> dict[str, str]:
    data = {
        "action": "add",
        "year": "2569",
        "date": "15/05/2569",
        "kind": "day_off",
        "name": "วันหยุดพิเศษตามมติ ครม.",
    }
    data.update(overrides)
    return data


def test_url_name():
    assert reverse("org:calendar") == URL


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL, {"year": "2567"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_page_renders_the_year_for_an_officer(client, officer):
    client.force_login(officer)

    response = client.get(URL, {"year": "2567"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "ปฏิทินวันทำการ พ.ศ. 2567" in html
    assert "วันศุกร์ที่ 12 เมษายน 2567" in html
    assert "วันหยุดพิเศษ (เพิ่มเติม)" in html
    assert "วันอังคารที่ 16 เมษายน 2567" in html
    assert "ชดเชยวันสงกรานต์" in html
    assert "วันพืชมงคล" in html
    assert "หยุดเฉพาะส่วนราชการ" in html  # the government badge
    assert "เมษายน 2567" in html  # a month grid caption
    assert "เวลาราชการ 08:30–16:30 น." in html
    assert [d["date"] for d in response.context["days"]][:2] == [
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 13),
    ]
    assert len(response.context["days"]) == 30
    # 366 days − 104 weekend days − 20 holidays on weekdays in 2024.
    assert response.context["working_days"] == 242
    assert response.context["weekday_off"] == 20
    # Read-only: no form, no delete buttons.
    assert 'name="action"' not in html
    assert "เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มหรือลบรายการได้" in html


@pytest.mark.django_db
def test_page_accepts_christian_era_and_thai_digits(client, officer):
    client.force_login(officer)

    assert client.get(URL, {"year": "2024"}).context["year_be"] == 2567
    assert client.get(URL, {"year": "๒๕๖๙"}).context["year_be"] == 2569


@pytest.mark.django_db
def test_page_shows_thai_digits_when_the_user_prefers_them(client, officer):
    from krabuan.org.models import Preference

    Preference.objects.create(user=officer, thai_digits=True)
    client.force_login(officer)

    html = client.get(URL, {"year": "2567"}).content.decode()

    assert "วันศุกร์ที่ ๑๒ เมษายน ๒๕๖๗" in html


@pytest.mark.django_db
def test_bad_year_is_400_with_a_thai_message(client, officer):
    client.force_login(officer)

    response = client.get(URL, {"year": "3000"})

    assert response.status_code == 400
    assert "ปี: ปีต้องอยู่ในช่วง พ.ศ. 2457–2643 (ค.ศ. 1914–2100)" in response.content.decode()


@pytest.mark.django_db
def test_month_grid_marks_days(client, officer):
    CalendarOverride.objects.create(
        date=dt.date(2024, 4, 12), kind=OverrideKind.WORKING_DAY, name="ยกเลิกวันหยุด"
    )
    client.force_login(officer)

    months = client.get(URL, {"year": "2567"}).context["months"]

    april = [cell for week in months[3]["weeks"] for cell in week if cell]
    kinds = {int(cell["day"]): cell["kind"] for cell in april}
    assert months[3]["name"] == "เมษายน 2567"
    assert (kinds[11], kinds[12], kinds[13], kinds[16], kinds[17], kinds[20]) == (
        "",
        "working",
        "public",
        "public",
        "",
        "weekend",
    )
    may = {int(c["day"]): c["kind"] for week in months[4]["weeks"] for c in week if c}
    assert may[10] == "government"


@pytest.mark.django_db
def test_csv_export_of_the_year(client, officer):
    CalendarOverride.objects.create(
        date=dt.date(2024, 4, 17), kind=OverrideKind.DAY_OFF, name="=ปิดสำนักงาน"
    )
    client.force_login(officer)

    response = client.get(URL, {"year": "2567", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="days-off-2567.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["วันที่ (ISO)", "วันที่", "ชื่อวันหยุด", "ที่มา", "source"]
    assert rows[1] == ["2024-01-01", "วันจันทร์ที่ 1 มกราคม 2567", "วันขึ้นปีใหม่", "วันหยุดนักขัตฤกษ์", "public"]
    assert ["2024-04-17", "วันพุธที่ 17 เมษายน 2567", "'=ปิดสำนักงาน", "ผู้ดูแลกำหนดเพิ่ม", "admin"] in rows
    assert len(rows) == 32


@pytest.mark.django_db
def test_admin_sees_the_form_and_adds_an_override(client, admin_user):
    client.force_login(admin_user)
    assert 'name="action" value="add"' in client.get(URL, {"year": "2569"}).content.decode()

    response = client.post(URL, add_form())

    assert response.status_code == 302
    assert response["Location"] == "/org/calendar/?year=2569"
    row = CalendarOverride.objects.get()
    assert (row.date, row.kind, row.name, row.created_by) == (
        dt.date(2026, 5, 15),
        "day_off",
        "วันหยุดพิเศษตามมติ ครม.",
        admin_user,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (
        "calendar.override.add",
        admin_user,
        str(row.pk),
    )
    page = client.get(URL, {"year": "2569"}).content.decode()
    assert "บันทึก วันหยุดพิเศษตามมติ ครม. วันที่ 15 พฤษภาคม 2569 แล้ว" in page
    assert "วันศุกร์ที่ 15 พฤษภาคม 2569" in page


@pytest.mark.django_db
def test_admin_edits_an_override(client, admin_user):
    row = CalendarOverride.objects.create(
        date=dt.date(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="เดิม"
    )
    client.force_login(admin_user)

    page = client.get(URL, {"year": "2569", "edit": str(row.pk)}).content.decode()
    response = client.post(
        URL, add_form(action="update", override_id=str(row.pk), date="2026-05-18", name="ใหม่")
    )

    assert 'value="15/05/2569"' in page
    assert 'name="action" value="update"' in page
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.date, row.name) == (dt.date(2026, 5, 18), "ใหม่")
    assert AuditEntry.objects.get().changes == {
        "date": ["2026-05-15", "2026-05-18"],
        "name": ["เดิม", "ใหม่"],
    }


@pytest.mark.django_db
def test_admin_deletes_an_override(client, admin_user):
    row = CalendarOverride.objects.create(
        date=dt.date(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="ลบได้"
    )
    client.force_login(admin_user)

    response = client.post(URL, {"action": "delete", "override_id": str(row.pk), "year": "2569"})

    assert response.status_code == 302
    assert response["Location"] == "/org/calendar/?year=2569"
    assert CalendarOverride.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.changes) == (
        "calendar.override.delete",
        str(row.pk),
        {"date": "2026-05-15", "kind": "day_off", "name": "ลบได้"},
    )


@pytest.mark.django_db
def test_admin_form_errors_are_thai_and_name_the_field(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, add_form(date="31/02/2569", name=""))

    assert response.status_code == 400
    html = response.content.decode()
    assert "วันที่: &#x27;31/02/2569&#x27; ไม่ใช่วันที่ที่ถูกต้อง (เช่น 2024-04-10 หรือ 10/04/2567)" in html
    assert "ชื่อวัน/เหตุผล: กรุณาระบุชื่อวัน/เหตุผล" in html
    assert CalendarOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_admin_service_errors_come_back_on_the_form(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, add_form(date="13/05/2569"))

    assert response.status_code == 400
    assert "วันที่: วันที่ 13 พฤษภาคม 2569 เป็นวันหยุดอยู่แล้ว" in response.content.decode()
    assert CalendarOverride.objects.count() == 0


@pytest.mark.django_db
def test_unknown_action_is_400(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, {"action": "explode"})

    assert response.status_code == 400
    assert "คำสั่งไม่ถูกต้อง" in response.content.decode()


@pytest.mark.django_db
def test_deleting_a_missing_override_says_so(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        URL, {"action": "delete", "override_id": "abc", "year": "2569"}, follow=True
    )

    assert "ไม่พบรายการวันหยุดที่กำหนดเพิ่ม/ยกเลิก" in response.content.decode()
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "director", "group_head", "auditor", "requester"])
def test_others_posting_get_403_and_nothing_changes(client, request, role):
    user = request.getfixturevalue(role)
    row = CalendarOverride.objects.create(
        date=dt.date(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="คงเดิม"
    )
    client.force_login(user)

    added = client.post(URL, add_form(date="18/05/2569"))
    deleted = client.post(URL, {"action": "delete", "override_id": str(row.pk)})
    updated = client.post(URL, add_form(action="update", override_id=str(row.pk), name="แก้"))

    assert (added.status_code, deleted.status_code, updated.status_code) == (403, 403, 403)
    assert list(CalendarOverride.objects.values_list("date", "name")) == [
        (dt.date(2026, 5, 15), "คงเดิม")
    ]
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_officer_sees_overrides_read_only(client, officer):
    CalendarOverride.objects.create(
        date=dt.date(2026, 5, 15), kind=OverrideKind.DAY_OFF, name="ปิดสำนักงาน"
    )
    client.force_login(officer)

    response = client.get(URL, {"year": "2569", "edit": "1"})

    html = response.content.decode()
    assert "ปิดสำนักงาน" in html
    assert "เพิ่มวันหยุด" in html
    assert ">ลบ<" not in html
    assert response.context["form"] is None


@pytest.mark.django_db
def test_anonymous_post_changes_nothing(client):
    response = client.post(URL, add_form())

    assert response.status_code == 302
    assert CalendarOverride.objects.count() == 0
