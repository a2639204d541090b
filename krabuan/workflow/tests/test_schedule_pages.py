from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from krabuan.core.thai import BANGKOK
from krabuan.workflow.models import Schedule, ScheduleRule
from krabuan.workflow.services.schedules import schedule_create

NOW = dt.datetime(2024, 3, 1, 10, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def leave_schedule(fy2567, admin_user):
    return schedule_create(
        actor=admin_user,
        process_code="S01",
        title="สรุปสถิติการลา",
        rule=ScheduleRule.YEARLY,
        day=5,
        months=[4, 10],
        lead_days=10,
    )


def form_data(**overrides):
    data = {
        "process_code": "C14",
        "title": "ตรวจสอบอุปกรณ์ประจำเดือน",
        "rule": "monthly",
        "day": "1",
        "lead_days": "0",
        "enabled": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_next_runs_in_buddhist_era_dates(client, leave_schedule, officer):
    client.force_login(officer)
    page = client.get(reverse("schedules:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "สรุปสถิติการลา" in text
    assert "26 มี.ค. 67 08:30 น." in text
    assert "รอบ เม.ย. 2567" in text
    assert "ทุกปี วันที่ 5 เม.ย., ต.ค." in text
    # Read-only for an officer: no add button, and a note saying who may edit.
    assert reverse("schedules:create") not in text
    assert "เฉพาะผู้อำนวยการ หัวหน้ากลุ่ม/ฝ่าย และผู้ดูแลระบบที่แก้ไขกำหนดการได้" in text


def test_detail_lists_the_coming_runs(client, leave_schedule, officer):
    client.force_login(officer)
    page = client.get(reverse("schedules:detail", args=[leave_schedule.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "26 มี.ค. 67 08:30 น." in text
    assert "5 ตุลาคม 2567" in text
    assert "25 ก.ย. 67 08:30 น." in text
    assert reverse("schedules:edit", args=[leave_schedule.pk]) not in text


def test_pages_need_sign_in(client, leave_schedule):
    for url in (reverse("schedules:list"), reverse("schedules:detail", args=[leave_schedule.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_officers_cannot_change_schedules(client, fy2567, leave_schedule, officer):
    client.force_login(officer)
    assert client.get(reverse("schedules:create")).status_code == 403
    assert client.post(reverse("schedules:create"), form_data()).status_code == 403
    edit = reverse("schedules:edit", args=[leave_schedule.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(title="แก้โดยไม่มีสิทธิ์")).status_code == 403
    toggle = reverse("schedules:toggle", args=[leave_schedule.pk])
    assert client.post(toggle, {"enabled": "0"}).status_code == 403
    assert client.post(reverse("schedules:delete", args=[leave_schedule.pk])).status_code == 403
    leave_schedule.refresh_from_db()
    assert (leave_schedule.title, leave_schedule.enabled) == ("สรุปสถิติการลา", True)
    assert Schedule.objects.count() == 1


def test_group_head_adds_a_schedule(client, fy2567, group_head):
    client.force_login(group_head)
    form = client.get(reverse("schedules:create"))
    assert form.status_code == 200
    assert "C14 — การจ้างดูแลและบำรุงรักษาระบบสารสนเทศ" in form.content.decode()
    response = client.post(reverse("schedules:create"), form_data(day="๑๕"))
    schedule = Schedule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schedules:detail", args=[schedule.pk])
    assert (schedule.process_code, schedule.rule, schedule.day, schedule.enabled) == (
        "C14",
        "monthly",
        15,
        True,
    )
    assert schedule.next_run_at == dt.datetime(2024, 3, 15, 8, 30, tzinfo=BANGKOK)


def test_bad_input_is_shown_in_thai_naming_the_field(client, fy2567, group_head):
    client.force_login(group_head)
    response = client.post(
        reverse("schedules:create"), form_data(rule="yearly", day="32", lead_days="x")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "จำนวนวันที่เริ่มล่วงหน้า ต้องเป็นจำนวนเต็ม" in text
    assert Schedule.objects.count() == 0
    response = client.post(reverse("schedules:create"), form_data(rule="yearly", day="32"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "ครบกำหนดวันที่: วันที่ต้องอยู่ระหว่าง 1 ถึง 31" in text
    assert "เดือน (สำหรับรอบทุกปี): กรุณาเลือกอย่างน้อยหนึ่งเดือนสำหรับรอบทุกปี" in text
    assert Schedule.objects.count() == 0


def test_unknown_process_is_refused(client, fy2567, group_head):
    client.force_login(group_head)
    response = client.post(reverse("schedules:create"), form_data(process_code="Z01"))
    assert response.status_code == 400
    assert "กระบวนงานนี้ไม่มีในคู่มือฉบับล่าสุด" in response.content.decode()
    assert Schedule.objects.count() == 0


def test_group_head_edits_disables_and_deletes(client, leave_schedule, group_head):
    client.force_login(group_head)
    edit = reverse("schedules:edit", args=[leave_schedule.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert 'value="สรุปสถิติการลา"' in page.content.decode()
    response = client.post(
        edit,
        form_data(
            process_code="S01",
            title="สรุปสถิติการลารายบุคคล",
            rule="yearly",
            day="5",
            months=["4", "10"],
            lead_days="7",
        ),
    )
    assert response.status_code == 302
    leave_schedule.refresh_from_db()
    assert (leave_schedule.title, leave_schedule.lead_days) == ("สรุปสถิติการลารายบุคคล", 7)
    assert leave_schedule.next_run_at == dt.datetime(2024, 3, 29, 8, 30, tzinfo=BANGKOK)

    toggle = reverse("schedules:toggle", args=[leave_schedule.pk])
    assert client.post(toggle, {"enabled": "0"}).status_code == 302
    leave_schedule.refresh_from_db()
    assert (leave_schedule.enabled, leave_schedule.next_run_at) == (False, None)
    detail = client.get(reverse("schedules:detail", args=[leave_schedule.pk])).content.decode()
    assert "ปิดใช้อยู่ จึงไม่มีรอบถัดไป" in detail

    response = client.post(reverse("schedules:delete", args=[leave_schedule.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("schedules:list")
    assert Schedule.objects.count() == 0


def test_missing_schedule_is_404(client, fy2567, group_head):
    client.force_login(group_head)
    assert client.get(reverse("schedules:detail", args=[999])).status_code == 404
    assert client.get(reverse("schedules:edit", args=[999])).status_code == 404
    assert client.post(reverse("schedules:toggle", args=[999]), {"enabled": "0"}).status_code == 404
