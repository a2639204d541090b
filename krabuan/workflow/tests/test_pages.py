"""The workflow pages end to end through the test client: my work, the case list, starting a
case, and the case page with its HTMX actions, permissions, comments, files and audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.manual.models import ControlKind, Process
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.models import (
    Case,
    CaseAttachment,
    CaseComment,
    CaseStatus,
    ControlConfirmation,
    RiskOccurrence,
    StepInstance,
    StepStatus,
)
from krabuan.workflow.services.cases import case_start, control_confirm, step_complete
from krabuan.workflow.tests.conftest import process

HX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


def member(username: str, role: str, unit_code: str = "ict-network"):
    user = UserFactory(username=username, first_name=username.title())
    Membership.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


def start(manual, code: str, actor, title: str = "เรื่องทดสอบ", **kwargs) -> Case:
    return case_start(process=process(manual, code), title=title, actor=actor, **kwargs)


def open_step(case: Case, order: int) -> StepInstance:
    return StepInstance.objects.select_related("step", "case").get(
        case=case, order=order, status__in=[StepStatus.ACTIVE, StepStatus.PAUSED]
    )


def url(case: Case, suffix: str = "") -> str:
    return f"/work/cases/{case.pk}/{suffix}"


def action_url(instance: StepInstance, action: str) -> str:
    return f"/work/cases/{instance.case_id}/steps/{instance.pk}/{action}/"


def state_of(case: Case) -> list[tuple]:
    """Everything a refused request must leave untouched."""
    return list(
        StepInstance.objects.filter(case=case)
        .order_by("order", "pass_no", "iteration")
        .values_list("order", "pass_no", "status", "completed_at", "paused_at", "outcome", "note")
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def block(html: str, element_id: str) -> str:
    """The markup of the <li id=...> or <div id=...> element (up to its matching close)."""
    match = re.search(rf'<(li|div|section|table|ul|details)[^>]*id="{element_id}"', html)
    assert match is not None, element_id
    tag = match.group(1)
    depth, pos = 0, match.start()
    for m in re.finditer(rf"<{tag}\b|</{tag}>", html[pos:]):
        depth += -1 if m.group(0).startswith("</") else 1
        if depth == 0:
            return html[pos : pos + m.end()]
    raise AssertionError(element_id)


# --- my work ------------------------------------------------------------------------------


@pytest.fixture
def three_cases(fy2567, worker):
    """At 10 Apr 2024 09:00: C01 (step 1 "๑ วัน", due 11 Apr 16:30), S05 (step 1 "๒๐ นาที", due
    09:20) and S01 (step 1 without a duration: no deadline), all assigned to the worker."""
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        return {
            "C01": start(fy2567, "C01", worker, "ทบทวนแผนดิจิทัล"),
            "S05": start(fy2567, "S05", worker, "คำรับรอง"),
            "S01": start(fy2567, "S01", worker, "บัญชีงบประมาณ"),
        }


def _urgencies(response) -> list[tuple[str, str]]:
    return [
        (row.instance.case.process.code, row.urgency) for row, _left in response.context["rows"]
    ]


def test_my_work_orders_by_deadline_and_colours_each_step(client, worker, three_cases):
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 9, 30), tick=False):
        response = client.get("/work/")

    assert response.status_code == 200
    assert _urgencies(response) == [
        ("S05", "overdue"),
        ("C01", "on_time"),
        ("S01", "no_deadline"),
    ]
    html = response.content.decode()
    assert 'class="urgency-row urgency-overdue"' in html
    assert "ต้องทบทวนระยะเวลา" in html
    assert "10 เม.ย. 67 09:20 น." in html
    levels = {key: count for key, _label, _colour, count in response.context["levels"]}
    assert levels == {"overdue": 1, "due_soon": 0, "on_time": 1, "no_deadline": 1}


def test_my_work_marks_a_step_due_soon_within_its_last_working_day(client, worker, three_cases):
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 11, 10, 0), tick=False):
        response = client.get("/work/", {"urgency": "due_soon"})

    assert _urgencies(response) == [("C01", "due_soon")]
    assert "เหลือ 6 ชม." in response.content.decode()


def test_my_work_tabs_follow_the_role(client, fy2567, worker):
    head = member("head2", Role.GROUP_HEAD)
    director = member("dir2", Role.DIRECTOR, "ict")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        start(fy2567, "C09", worker, "ความเสี่ยงไซเบอร์")  # responsible unit ict-network

    client.force_login(worker)
    mine = client.get("/work/", {"scope": "all"})
    client.force_login(head)
    group = client.get("/work/", {"scope": "group"})
    client.force_login(director)
    everything = client.get("/work/", {"scope": "all"})

    assert [t[0] for t in mine.context["tabs"]] == ["mine"]
    assert mine.context["scope"] == "mine"  # "all" is not the officer's to choose
    assert [t[:1] + t[2:] for t in group.context["tabs"]] == [("mine", 0), ("group", 1)]
    assert len(group.context["rows"]) == 1
    assert [t[0] for t in everything.context["tabs"]] == ["mine", "group", "all"]
    assert len(everything.context["rows"]) == 1


def test_my_work_csv_has_every_row_of_the_tab(client, worker, three_cases):
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 9, 30), tick=False):
        response = client.get("/work/", {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["เลขที่เรื่อง", "ชื่อเรื่อง", "กระบวนงาน"]
    assert [(r[0], r[8]) for r in rows[1:]] == [
        (three_cases["S05"].reference, "เกินกำหนด"),
        (three_cases["C01"].reference, "ตามกำหนด"),
        (three_cases["S01"].reference, "ไม่มีกำหนดเสร็จ · ต้องทบทวนระยะเวลา"),
    ]


def test_my_work_query_count_does_not_grow_with_rows(client, fy2567, worker):
    client.force_login(worker)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        start(fy2567, "C01", worker)
        start(fy2567, "S05", worker)
    client.get("/work/")  # the feed token is made on the first visit
    with CaptureQueriesContext(connection) as few:
        client.get("/work/")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        for code in ("C02", "C03", "C04", "S06", "C10"):
            start(fy2567, code, worker)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/work/")

    assert len(response.context["rows"]) == 7
    assert len(many) == len(few)


def test_my_work_for_a_role_without_steps_explains_instead(client, fy2567, requester):
    client.force_login(requester)

    response = client.get("/work/")

    assert response.status_code == 200
    assert "บทบาทของท่านไม่มีขั้นตอนงานที่ต้องดำเนินการ" in response.content.decode()


# --- case list ----------------------------------------------------------------------------


@pytest.fixture
def listed(fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        first = start(fy2567, "C01", worker, "ทบทวนแผนปฏิบัติการ")
        second = start(fy2567, "S05", worker, "จัดทำคำรับรอง")
        third = start(fy2567, "C01", worker, "แผนรอบสอง")
    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        # S05 step 1 (20 minutes) confirmed and finished late: the case has a late step.
        s05 = open_step(second, 1)
        control_confirm(instance=s05, control=s05.step.controls.get(), actor=worker)
        step_complete(instance=s05, actor=worker)
    return first, second, third


def _refs(response) -> list[str]:
    return [c.reference for c in response.context["page"].object_list]


def test_case_list_filters_and_searches_with_thai_digits(client, worker, listed):
    first, second, third = listed
    client.force_login(worker)

    everything = client.get("/work/cases/")
    by_process = client.get("/work/cases/", {"process": "S05"})
    late = client.get("/work/cases/", {"late": "1"})
    thai = client.get("/work/cases/", {"q": "C01-๒๕๖๗-๐๐๐๐๒"})
    by_title = client.get("/work/cases/", {"q": "รอบสอง"})
    done = client.get("/work/cases/", {"status": "done"})
    year = client.get("/work/cases/", {"fiscal_year": "๒๕๖๗"})

    assert _refs(everything) == [third.reference, second.reference, first.reference]
    assert "พบ 3 เรื่อง" in everything.content.decode()
    assert _refs(by_process) == [second.reference]
    assert _refs(late) == [second.reference]
    assert _refs(thai) == ["C01-2567-00002"] == [third.reference]
    assert _refs(by_title) == [third.reference]
    assert _refs(done) == []
    assert len(_refs(year)) == 3


def test_case_list_sorts_and_reports_bad_filters(client, worker, listed):
    first, second, third = listed
    client.force_login(worker)

    by_ref = client.get("/work/cases/", {"sort": "reference"})
    most_late = client.get("/work/cases/", {"sort": "-late_steps"})
    bad = client.get("/work/cases/", {"status": "bogus", "fiscal_year": "abc", "sort": "drop"})

    assert _refs(by_ref) == sorted([first.reference, second.reference, third.reference])
    assert _refs(most_late)[0] == second.reference
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "สถานะที่เลือกไม่ถูกต้อง" in html
    assert "ปีงบประมาณต้องเป็นตัวเลขจำนวนเต็ม" in html
    assert len(_refs(bad)) == 3


def test_case_list_query_count_is_constant(client, fy2567, worker):
    client.force_login(worker)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        start(fy2567, "C01", worker)
    with CaptureQueriesContext(connection) as few:
        client.get("/work/cases/")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        for code in ("C02", "C03", "S02", "S05", "S06", "C10", "C14"):
            start(fy2567, code, worker)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/work/cases/")

    assert response.context["page"].paginator.count == 8
    assert len(many) == len(few)


def test_case_list_csv_follows_the_filters(client, worker, listed):
    client.force_login(worker)

    response = client.get("/work/cases/", {"process": "C01", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "เลขที่เรื่อง"
    assert [r[0] for r in rows[1:]] == ["C01-2567-00002", "C01-2567-00001"]
    assert rows[1][5] == "กำลังดำเนินการ"
    assert rows[1][11].startswith("๑. ประชุมชี้แจง") or rows[1][11].startswith("1. ประชุมชี้แจง")


def test_requester_lists_only_own_cases(client, fy2567, worker, requester):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        start(fy2567, "C10", worker, "ของเจ้าหน้าที่")
        own = start(fy2567, "C10", requester, "คำขอของฉัน")
    client.force_login(requester)

    response = client.get("/work/cases/")

    assert _refs(response) == [own.reference]


# --- starting a case ----------------------------------------------------------------------


def test_start_form_offers_the_newest_manual_grouped_and_preselected(client, fy2567, worker):
    c01 = process(fy2567, "C01")
    client.force_login(worker)

    response = client.get("/work/cases/new/", {"process": c01.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<optgroup") == 2
    assert '<optgroup label="กระบวนงานหลัก">' in html
    assert '<optgroup label="กระบวนงานสนับสนุน">' in html
    assert len(re.findall(r'<option value="\d+"', html)) == 22
    assert f'<option value="{c01.pk}" selected>' in html
    assert 'name="started_at"' not in html  # an officer may not back-date
    s02 = process(fy2567, "S02")
    assert s02.steps.get(order=1).duration_text == ""  # first step not per item: no flag
    assert 'data-per-item="1"' not in html


def test_start_a_case_from_the_form(client, fy2567, worker):
    c01 = process(fy2567, "C01")
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        response = client.post(
            "/work/cases/new/",
            {"process": c01.pk, "title": "  ทบทวนแผน ๒๕๖๗ ", "priority": "high"},
        )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/work/cases/{case.pk}/"
    assert (case.title, case.priority, case.requester, case.fiscal_year) == (
        "ทบทวนแผน ๒๕๖๗",
        "high",
        worker,
        2567,
    )
    first = case.steps.get(order=1)
    assert (first.status, first.assignee, first.due_at) == (
        "active",
        worker,
        at(2024, 4, 11, 16, 30),
    )


def test_start_form_errors_are_thai_and_next_to_the_field(client, fy2567, worker, group_head):
    c01 = process(fy2567, "C01")
    client.force_login(worker)

    empty = client.post("/work/cases/new/", {"process": "", "title": ""})
    client.force_login(group_head)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        bad_date = client.post(
            "/work/cases/new/",
            {
                "process": c01.pk,
                "title": "ย้อนหลัง",
                "priority": "normal",
                "started_at": "31/02/2567",
            },
        )
        future = client.post(
            "/work/cases/new/",
            {
                "process": c01.pk,
                "title": "อนาคต",
                "priority": "normal",
                "started_at": "10/05/2567 09:00",
            },
        )

    assert empty.status_code == 400
    assert empty.context["form"].errors == {
        "process": ["กรุณากรอกกระบวนงาน"],
        "title": ["กรุณากรอกชื่อเรื่อง"],
        "priority": ["กรุณากรอกความสำคัญ"],
    }
    assert bad_date.context["form"].errors == {
        "started_at": ["เริ่มเมื่อ (บันทึกย้อนหลัง)ไม่ถูกต้อง (เช่น 10/04/2567 09:00)"]
    }
    assert future.context["form"].errors == {"started_at": ["เวลาต้องไม่อยู่ในอนาคต"]}
    assert 'invalid-feedback d-block">เวลาต้องไม่อยู่ในอนาคต' in future.content.decode()
    assert Case.objects.count() == 0


def test_a_group_head_back_dates_with_a_be_date_in_thai_digits(client, fy2567, group_head):
    c01 = process(fy2567, "C01")
    client.force_login(group_head)

    with time_machine.travel(at(2024, 5, 1, 9, 0), tick=False):
        response = client.post(
            "/work/cases/new/",
            {
                "process": c01.pk,
                "title": "นำเข้างานเดิม",
                "priority": "normal",
                "started_at": "๑๐/๐๔/๒๕๖๗ ๐๙:๐๐",
            },
        )

    assert response.status_code == 302
    assert Case.objects.get().started_at == at(2024, 4, 10, 9, 0)


@pytest.fixture
def reader(fy2567):
    """An auditor: reads every case, changes nothing."""
    return member("reader", Role.AUDITOR, "ict")


def test_auditor_cannot_open_the_start_form(client, reader):
    auditor = reader
    client.force_login(auditor)

    assert client.get("/work/cases/new/").status_code == 403
    assert client.post("/work/cases/new/", {"title": "x"}).status_code == 403
    assert Case.objects.count() == 0


# --- the case page ------------------------------------------------------------------------


@pytest.fixture
def c01_case(fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        return start(fy2567, "C01", worker, "ทบทวนแผนปฏิบัติการดิจิทัล")


def test_case_page_shows_header_and_the_timeline(client, worker, c01_case):
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 9, 5), tick=False):
        response = client.get(url(c01_case))

    assert response.status_code == 200
    html = response.content.decode()
    assert "C01-2567-00001" in html
    assert "ทบทวนแผนปฏิบัติการดิจิทัล" in html
    assert f'href="/manual/processes/{c01_case.process_id}/"' in html
    assert "10 เม.ย. 67 09:00 น." in html  # started, BE
    assert "11 เม.ย. 67 16:30 น." in html  # due, BE
    items = re.findall(r'<li class="timeline-item st-(\w+)', html)
    assert items == ["active"] + ["pending"] * 7
    first = block(html, f"step-{open_step(c01_case, 1).pk}")
    assert "บันทึกว่าขั้นตอนนี้เสร็จ" in first
    assert "ตามกำหนด" in first
    audit = block(html, "audit")
    assert "เริ่มเรื่อง" in audit


def test_completing_a_step_with_htmx_swaps_the_case_and_writes_audit(client, worker, c01_case):
    first = open_step(c01_case, 1)
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        response = client.post(
            action_url(first, "complete"), {f"c{first.pk}-note": "ชี้แจงครบ"}, **HX
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case"')
    assert "<html" not in html
    first.refresh_from_db()
    assert (first.status, first.on_time, first.note) == ("done", True, "ชี้แจงครบ")
    assert open_step(c01_case, 2).status == "active"
    card = block(html, f"step-{first.pk}")
    assert "ทันเวลา" in card
    assert "บันทึกขั้นตอนที่ ๑ เสร็จแล้ว" in html or "บันทึกขั้นตอนที่ 1 เสร็จแล้ว" in html
    entry = AuditEntry.objects.get(action="step.complete", object_id=str(first.pk))
    assert entry.actor == worker
    assert "ดำเนินการขั้นตอนเสร็จ" in block(html, "audit")


def test_a_plain_post_redirects_back_to_the_step(client, worker, c01_case):
    first = open_step(c01_case, 1)
    client.force_login(worker)

    response = client.post(action_url(first, "complete"), {})

    assert response.status_code == 302
    assert response["Location"] == f"/work/cases/{c01_case.pk}/#step-{first.pk}"


def _through_step_two(case, worker):
    for order in (1, 2):
        with time_machine.travel(at(2024, 4, 10, 10, order), tick=False):
            step_complete(instance=open_step(case, order), actor=worker)


def test_completing_without_the_control_point_is_409_listing_it(client, worker, c01_case):
    _through_step_two(c01_case, worker)
    third = open_step(c01_case, 3)
    before = state_of(c01_case)
    audits = AuditEntry.objects.count()
    client.force_login(worker)

    response = client.post(action_url(third, "complete"), {f"c{third.pk}-note": "เสร็จ"}, **HX)

    assert response.status_code == 409
    card = block(response.content.decode(), f"step-{third.pk}")
    missing = re.search(r'<ul class="mb-0 missing-controls">(.*?)</ul>', card, re.S)
    assert missing is not None
    assert text_of(missing.group(1)) == "แนวทางการแก้ไขที่สอดคล้องกับบริบทรอบข้าง"
    assert "ยังไม่ได้ยืนยันจุดควบคุม 1 รายการ" in text_of(card)
    assert "เสร็จ</textarea>" in card  # the note typed is kept
    assert state_of(c01_case) == before
    assert AuditEntry.objects.count() == audits


def test_confirming_the_control_with_evidence_then_completing(client, worker, c01_case):
    _through_step_two(c01_case, worker)
    third = open_step(c01_case, 3)
    control = third.step.controls.get(kind=ControlKind.CONTROL)
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 11, 0), tick=False):
        confirmed = client.post(
            f"/work/cases/{c01_case.pk}/steps/{third.pk}/controls/{control.pk}/confirm/",
            {
                f"k{control.pk}-note": "ตรวจแนวทางแล้ว",
                f"k{control.pk}-evidence": SimpleUploadedFile(
                    "บันทึก.pdf", PDF, content_type="application/pdf"
                ),
            },
            **HX,
        )
        done = client.post(action_url(third, "complete"), {}, **HX)

    assert confirmed.status_code == 200
    confirmation = ControlConfirmation.objects.get(step_instance=third)
    assert (confirmation.confirmed_by, confirmation.note) == (worker, "ตรวจแนวทางแล้ว")
    assert confirmation.evidence.read() == PDF
    assert (
        AuditEntry.objects.filter(action="step.control.confirm", object_id=str(third.pk)).count()
        == 1
    )
    assert done.status_code == 200
    card = block(done.content.decode(), f"step-{third.pk}")
    assert 'data-confirmed="1"' in card
    assert "ทันเวลา" in card
    evidence = client.get(f"/work/cases/{c01_case.pk}/evidence/{confirmation.pk}/")
    assert evidence.status_code == 200
    assert evidence["Content-Type"] == "application/pdf"
    assert b"".join(evidence.streaming_content) == PDF


def test_evidence_of_a_refused_type_is_a_thai_message_and_nothing_changes(client, worker, c01_case):
    _through_step_two(c01_case, worker)
    third = open_step(c01_case, 3)
    control = third.step.controls.get(kind=ControlKind.CONTROL)
    client.force_login(worker)

    exe = client.post(
        f"/work/cases/{c01_case.pk}/steps/{third.pk}/controls/{control.pk}/confirm/",
        {f"k{control.pk}-evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
        **HX,
    )
    fake = client.post(
        f"/work/cases/{c01_case.pk}/steps/{third.pk}/controls/{control.pk}/confirm/",
        {f"k{control.pk}-evidence": SimpleUploadedFile("page.pdf", b"<html>hi</html>")},
        **HX,
    )

    assert exe.status_code == 400
    assert "ไม่รับไฟล์ชนิด .exe" in exe.content.decode()
    assert fake.status_code == 400
    assert "เนื้อหาไฟล์ไม่ตรงกับชนิด .pdf" in fake.content.decode()
    assert ControlConfirmation.objects.count() == 0


def test_an_outcome_is_required_and_a_refusal_returns_the_case(client, fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "S06", worker, "แผนพัฒนารายบุคคล")
        first = open_step(case, 1)
        control_confirm(instance=first, control=first.step.controls.get(), actor=worker)
        step_complete(instance=first, actor=worker)
        step_complete(instance=open_step(case, 2), actor=worker)
    third = open_step(case, 3)
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 9, 5), tick=False):
        missing = client.post(action_url(third, "complete"), {}, **HX)
        returned = client.post(
            action_url(third, "complete"), {f"c{third.pk}-outcome": "ไม่เห็นชอบ"}, **HX
        )

    assert missing.status_code == 400
    assert "กรุณาเลือกผลการดำเนินการ" in block(missing.content.decode(), f"step-{third.pk}")
    assert returned.status_code == 200
    html = returned.content.decode()
    second_pass = StepInstance.objects.get(case=case, order=1, pass_no=2)
    assert second_pass.status == "active"
    assert "รอบที่ 2" in block(html, f"step-{second_pass.pk}")
    assert "รอบที่ 1" in block(html, f"step-{first.pk}")
    assert "ไม่เห็นชอบ" in block(html, f"step-{third.pk}")
    assert "ส่งกลับไปทำขั้นตอนก่อนหน้า" in block(html, "audit")


def test_pause_resume_skip_and_risk_from_the_page(client, fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "C14", worker, "จ้างบำรุงรักษา")  # step 5 is conditional
        for order in (1, 2, 3):
            step_complete(instance=open_step(case, order), actor=worker)
        step_complete(instance=open_step(case, 4), actor=worker, outcome="สิ้นสุดการทำซ้ำ")
    fifth = open_step(case, 5)
    client.force_login(worker)

    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        paused = client.post(action_url(fifth, "pause"), {f"p{fifth.pk}-reason": "รอผู้รับจ้าง"}, **HX)
    with time_machine.travel(at(2024, 4, 10, 11, 0), tick=False):
        resumed = client.post(action_url(fifth, "resume"), {}, **HX)
        no_reason = client.post(action_url(fifth, "skip"), {f"s{fifth.pk}-reason": " "}, **HX)
        skipped = client.post(
            action_url(fifth, "skip"), {f"s{fifth.pk}-reason": "ดำเนินการเองได้"}, **HX
        )

    assert paused.status_code == 200
    assert Case.objects.get(pk=case.pk).status in (CaseStatus.OPEN, CaseStatus.WAITING)
    assert resumed.status_code == 200
    assert "รอหน่วยงานภายนอก 1 ชม." in block(resumed.content.decode(), f"step-{fifth.pk}")
    assert no_reason.status_code == 400
    assert "กรุณากรอกเหตุผลที่ข้ามขั้นตอน" in block(no_reason.content.decode(), f"step-{fifth.pk}")
    assert skipped.status_code == 200
    fifth.refresh_from_db()
    assert (fifth.status, fifth.skip_reason, fifth.paused_seconds) == (
        "skipped",
        "ดำเนินการเองได้",
        3600,
    )
    assert "ดำเนินการเองได้" in block(skipped.content.decode(), f"step-{fifth.pk}")
    sixth = open_step(case, 6)
    unskippable = client.post(action_url(sixth, "skip"), {f"s{sixth.pk}-reason": "ไม่ทำ"}, **HX)
    assert unskippable.status_code == 409
    assert "ขั้นตอนนี้ข้ามไม่ได้" in block(unskippable.content.decode(), f"step-{sixth.pk}")
    assert StepInstance.objects.get(pk=sixth.pk).status == "active"


def test_recording_a_risk_and_reassigning(client, fy2567, worker):
    colleague = member("colleague", Role.OFFICER)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "C10", worker, "แจ้งปัญหาเครือข่าย")
        step_complete(instance=open_step(case, 1), actor=worker)
        step_complete(instance=open_step(case, 2), actor=worker)
    third = open_step(case, 3)  # "ดำเนินการให้บริการ" has a listed risk
    risk = third.step.controls.get(kind=ControlKind.RISK)
    client.force_login(worker)

    recorded = client.post(
        action_url(third, "risk"),
        {f"r{third.pk}-risk": str(risk.pk), f"r{third.pk}-note": "อุปกรณ์เสีย รอชิ้นส่วน"},
        **HX,
    )
    reassigned = client.post(
        action_url(third, "reassign"), {f"a{third.pk}-assignee": str(colleague.pk)}, **HX
    )
    bad = client.post(action_url(third, "reassign"), {f"a{third.pk}-assignee": "999999"}, **HX)

    occurrence = RiskOccurrence.objects.get()
    assert (occurrence.risk, occurrence.note, occurrence.recorded_by) == (
        risk,
        "อุปกรณ์เสีย รอชิ้นส่วน",
        worker,
    )
    assert "อุปกรณ์เสีย รอชิ้นส่วน" in block(recorded.content.decode(), f"step-{third.pk}")
    assert StepInstance.objects.get(pk=third.pk).assignee == colleague
    assert "มอบหมายให้ Colleague แล้ว" in reassigned.content.decode()
    assert bad.status_code == 400
    assert "มอบหมายให้ที่เลือกไม่ถูกต้อง" in bad.content.decode()


def test_auditor_reads_the_case_but_cannot_act(client, reader, c01_case):
    auditor = reader
    first = open_step(c01_case, 1)
    before = state_of(c01_case)
    audits = AuditEntry.objects.count()
    client.force_login(auditor)

    page = client.get(url(c01_case))
    posts = [
        client.post(action_url(first, "complete"), {}, **HX),
        client.post(action_url(first, "pause"), {f"p{first.pk}-reason": "x"}),
        client.post(url(c01_case, "comments/"), {"cm-body": "ความเห็น"}),
        client.post(url(c01_case, "cancel/"), {"cx-reason": "ยกเลิก"}),
    ]

    assert page.status_code == 200
    html = page.content.decode()
    assert "ท่านดูเรื่องนี้ได้อย่างเดียว" in html
    assert "<form" not in block(html, "case")
    assert [p.status_code for p in posts] == [403, 403, 403, 403]
    assert state_of(c01_case) == before
    assert CaseComment.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_requester_sees_own_case_read_only_and_no_other(client, fy2567, worker, requester):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        own = start(fy2567, "C10", requester, "ขอใช้บริการ")
        other = start(fy2567, "C10", worker, "เรื่องภายใน")
    client.force_login(requester)

    mine = client.get(url(own))
    others = client.get(url(other))
    post = client.post(action_url(open_step(own, 1), "complete"), {})
    other_post = client.post(action_url(open_step(other, 1), "complete"), {})

    assert mine.status_code == 200
    assert "บันทึกว่าขั้นตอนนี้เสร็จ" not in mine.content.decode()
    assert others.status_code == 404
    assert post.status_code == 403
    assert other_post.status_code == 404
    assert open_step(own, 1).status == "active"


def test_unknown_case_step_and_action_are_404(client, worker, c01_case):
    first = open_step(c01_case, 1)
    client.force_login(worker)

    assert client.get("/work/cases/999999/").status_code == 404
    assert client.post(f"/work/cases/{c01_case.pk}/steps/999999/complete/").status_code == 404
    assert client.post(action_url(first, "explode")).status_code == 404
    assert client.get(action_url(first, "complete")).status_code == 405


def test_comments_and_attachments(client, worker, requester, c01_case):
    first = open_step(c01_case, 1)
    client.force_login(worker)

    commented = client.post(url(c01_case, "comments/"), {"cm-body": "ประสานกลุ่มแผนแล้ว"}, **HX)
    empty = client.post(url(c01_case, "comments/"), {"cm-body": "  "}, **HX)
    uploaded = client.post(
        url(c01_case, "attachments/"),
        {"at-file": SimpleUploadedFile("รายงาน.pdf", PDF), "at-step_instance": str(first.pk)},
        **HX,
    )
    too_big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024))
    refused = client.post(url(c01_case, "attachments/"), {"at-file": too_big}, **HX)

    assert commented.status_code == 200
    assert "ประสานกลุ่มแผนแล้ว" in block(commented.content.decode(), "comments")
    assert empty.status_code == 400
    assert "กรุณากรอกความเห็น" in block(empty.content.decode(), "comments")
    assert uploaded.status_code == 200
    attachment = CaseAttachment.objects.get()
    assert (attachment.name, attachment.step_instance, attachment.size) == (
        "รายงาน.pdf",
        first,
        len(PDF),
    )
    assert "รายงาน.pdf" in block(uploaded.content.decode(), "attachments")
    assert refused.status_code == 400
    assert "ไฟล์มีขนาดเกิน 20 MB" in refused.content.decode()
    assert CaseAttachment.objects.count() == 1
    assert {"case.comment", "case.attachment"} <= set(
        AuditEntry.objects.filter(object_type="workflow.case").values_list("action", flat=True)
    )
    download = client.get(url(c01_case, f"attachments/{attachment.pk}/"))
    assert download.status_code == 200
    assert "attachment;" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    client.force_login(requester)
    assert client.get(url(c01_case, f"attachments/{attachment.pk}/")).status_code == 404


def test_case_page_query_count_does_not_grow_with_history(client, fy2567, worker):
    client.force_login(worker)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        short = start(fy2567, "C03", worker)
        long = start(fy2567, "C03", worker)
        for order in (1, 2):
            step_complete(instance=open_step(long, order), actor=worker)
        third = open_step(long, 3)
        for control in third.step.controls.filter(kind="control"):
            control_confirm(instance=third, control=control, actor=worker)
    with CaptureQueriesContext(connection) as few:
        client.get(url(short))
    with CaptureQueriesContext(connection) as many:
        client.get(url(long))

    assert len(many) == len(few)


# --- the manual's process page ------------------------------------------------------------


def test_process_page_offers_start_and_loads_its_risk_occurrences(client, fy2567, worker, reader):
    auditor = reader
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "C10", worker, "แจ้งซ่อม")
        step_complete(instance=open_step(case, 1), actor=worker)
        step_complete(instance=open_step(case, 2), actor=worker)
    third = open_step(case, 3)
    client.force_login(worker)
    client.post(action_url(third, "risk"), {f"r{third.pk}-note": "ผู้ใช้แจ้งซ้ำหลายครั้ง"}, **HX)
    c10 = Process.objects.get(pk=case.process_id)

    page = client.get(f"/manual/processes/{c10.pk}/")
    fragment = client.get(f"/work/processes/{c10.pk}/risks/", **HX)
    client.force_login(auditor)
    auditor_page = client.get(f"/manual/processes/{c10.pk}/")

    html = page.content.decode()
    assert f'href="/work/cases/new/?process={c10.pk}"' in html
    assert f'hx-get="/work/processes/{c10.pk}/risks/"' in html
    assert "ความเสี่ยงที่เกิดขึ้น" in html
    table = block(fragment.content.decode(), "risk-occurrences")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 1
    assert case.reference in rows[0]
    assert "ผู้ใช้แจ้งซ้ำหลายครั้ง" in rows[0]
    assert "อื่น ๆ (ไม่อยู่ในคู่มือ)" in rows[0]
    assert 'id="start-case"' not in auditor_page.content.decode()


# --- per-item and method-dependent steps, refusals on closed steps ---------------------------


def test_per_item_first_step_takes_the_quantity_from_the_start_form(client, fy2567, worker):
    from krabuan.manual.durations import parse_duration
    from krabuan.manual.tests.factories import ProcessFactory, StepFactory

    letters = ProcessFactory(
        manual=fy2567,
        kind="support",
        number=7,
        code="S07",
        responsible_unit=Unit.objects.get(code="ict-admin"),
    )
    StepFactory(
        process=letters,
        order=1,
        duration_text="๕ นาที/เรื่อง",
        duration=parse_duration("๕ นาที/เรื่อง").to_dict(),
    )
    StepFactory(process=letters, order=2)
    client.force_login(worker)

    form = client.get("/work/cases/new/", {"process": letters.pk}).content.decode()
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        response = client.post(
            "/work/cases/new/",
            {"process": letters.pk, "title": "ลงรับหนังสือ", "priority": "normal", "quantity": "๑๒"},
        )

    assert f'<option value="{letters.pk}" selected data-per-item="1">' in form
    assert response.status_code == 302
    first = Case.objects.get().steps.get(order=1)
    # 12 letters × 5 minutes of office time from 09:00.
    assert (first.quantity, first.due_at) == (12, at(2024, 4, 10, 10, 0))


def test_per_item_quantity_is_entered_at_a_started_step(client, fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "S02", worker, "หนังสือเข้า")
        step_complete(instance=open_step(case, 1), actor=worker)
    second = open_step(case, 2)  # "๕ นาที/เรื่อง"
    client.force_login(worker)

    page = client.get(url(case)).content.decode()
    with time_machine.travel(at(2024, 4, 10, 9, 1), tick=False):
        updated = client.post(action_url(second, "update"), {f"u{second.pk}-quantity": "๖"}, **HX)
    bad = client.post(action_url(second, "update"), {f"u{second.pk}-quantity": "0"}, **HX)

    assert f'name="c{second.pk}-quantity"' in block(page, f"step-{second.pk}")
    assert updated.status_code == 200
    second.refresh_from_db()
    assert (second.quantity, second.due_at) == (6, at(2024, 4, 10, 9, 30))
    assert bad.status_code == 400
    assert "จำนวน (เรื่อง/รายการ)ต้องอยู่ระหว่าง 1–100000" in block(
        bad.content.decode(), f"step-{second.pk}"
    )


def test_method_dependent_step_offers_its_methods(client, fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = start(fy2567, "S04", worker, "จัดซื้อ")
        for order in (1, 2, 3, 4):
            step_complete(instance=open_step(case, order), actor=worker)
    fifth = open_step(case, 5)
    client.force_login(worker)

    page = client.get(url(case)).content.decode()
    with time_machine.travel(at(2024, 4, 10, 9, 5), tick=False):
        chosen = client.post(
            action_url(fifth, "update"), {f"u{fifth.pk}-alternative": "วิธีเฉพาะเจาะจง"}, **HX
        )
    wrong = client.post(action_url(fifth, "update"), {f"u{fifth.pk}-alternative": "วิธีอื่น"}, **HX)

    card = block(page, f"step-{fifth.pk}")
    assert '<option value="วิธีคัดเลือก">วิธีคัดเลือก</option>' in card
    assert chosen.status_code == 200
    fifth.refresh_from_db()
    assert fifth.alternative == "วิธีเฉพาะเจาะจง"
    # 10 working days after 10 Apr: the 12 Apr bridge day and Songkran 13–16 Apr are skipped.
    assert fifth.due_at == at(2024, 4, 29, 16, 30)
    assert wrong.status_code == 400
    assert "วิธีที่ใช้ที่เลือกไม่ถูกต้อง" in wrong.content.decode()


def test_acting_on_a_finished_step_is_refused_in_place(client, worker, c01_case):
    first = open_step(c01_case, 1)
    step_complete(instance=first, actor=worker)
    before = state_of(c01_case)
    client.force_login(worker)

    response = client.post(action_url(first, "complete"), {}, **HX)

    assert response.status_code == 409
    card = block(response.content.decode(), f"step-{first.pk}")
    assert "ไม่ได้อยู่ระหว่างดำเนินการ" in text_of(card)
    assert state_of(c01_case) == before


def test_cancelling_a_case_closes_it_and_removes_the_actions(client, worker, c01_case):
    client.force_login(worker)

    empty = client.post(url(c01_case, "cancel/"), {"cx-reason": ""}, **HX)
    cancelled = client.post(url(c01_case, "cancel/"), {"cx-reason": "แผนถูกยกเลิก"}, **HX)

    assert empty.status_code == 400
    assert "กรุณากรอกเหตุผลที่ยกเลิกเรื่อง" in block(empty.content.decode(), "cancel-case")
    assert cancelled.status_code == 200
    c01_case.refresh_from_db()
    assert c01_case.status == CaseStatus.CANCELLED
    html = cancelled.content.decode()
    assert 'data-status="cancelled"' in html
    assert "complete-form" not in html
    assert "ยกเลิกเรื่อง" in block(html, "audit")
    assert set(StepInstance.objects.filter(case=c01_case).values_list("status", flat=True)) == {
        "cancelled"
    }
