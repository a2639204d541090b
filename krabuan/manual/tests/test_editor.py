"""The editor pages end to end: who may edit, Thai messages next to the field, nothing
half-saved, audit entries, and the duration parse shown back."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from krabuan.core.models import AuditEntry
from krabuan.manual.models import (
    DurationStatus,
    ImprovementEntry,
    Owner,
    Process,
    Requirement,
    RequirementHeading,
    Step,
    StepControl,
)
from krabuan.manual.services.editing import READ_ONLY_MESSAGE
from krabuan.manual.tests.factories import (
    ManualFactory,
    ProcessFactory,
    StepControlFactory,
    StepFactory,
)
from krabuan.org.models import Preference
from krabuan.org.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def _header_post(process: Process, **overrides: str) -> dict[str, str]:
    data = {
        "number": str(process.number),
        "name": process.name,
        "authority_number": "",
        "authority": process.authority,
        "customers": process.customers,
        "outputs": process.outputs,
        "responsible_unit": "",
        "quality_standard": process.quality_standard,
    }
    return {**data, **overrides}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _state():
    """Everything an edit could touch, to prove a refused request changed nothing."""
    return (
        list(
            Process.objects.order_by("pk").values_list("pk", "name", "number", "quality_standard")
        ),
        list(Step.objects.order_by("pk").values_list("pk", "order", "activity", "duration_text")),
        list(StepControl.objects.order_by("pk").values_list("pk", "kind", "text")),
        list(Requirement.objects.order_by("pk").values_list("pk", "detail", "priority")),
        list(Owner.objects.order_by("pk").values_list("pk", "kind", "title")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def step():
    s = StepFactory(activity="รับเรื่อง", units_text="ศทส.")
    StepControlFactory(step=s, kind="control", text="ตรวจเอกสาร")
    return s


def _every_write(step: Step) -> list[tuple[str, dict[str, str]]]:
    process_id = step.process_id
    control = step.controls.first()
    assert control is not None
    return [
        (f"/manual/processes/{process_id}/edit/", _header_post(step.process, name="แก้")),
        (f"/manual/processes/{process_id}/requirements/", {"customers-detail": "x"}),
        (f"/manual/processes/{process_id}/owners/", {"main_titles": "x"}),
        (f"/manual/processes/{process_id}/steps/new/", {"activity": "x"}),
        (f"/manual/steps/{step.pk}/edit/", {"activity": "x"}),
        (f"/manual/steps/{step.pk}/delete/", {}),
        (f"/manual/steps/{step.pk}/move/", {"direction": "down"}),
        (f"/manual/steps/{step.pk}/controls/", {"kind": "risk", "text": "x"}),
        (f"/manual/controls/{control.pk}/delete/", {}),
    ]


@pytest.mark.parametrize("user_fixture", ["auditor", "officer", "requester"])
def test_read_only_roles_get_403_and_nothing_changes(client, request, step, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    before = _state()

    statuses = [client.post(url, data).status_code for url, data in _every_write(step)]
    pages = [
        client.get(f"/manual/processes/{step.process_id}/edit/").status_code,
        client.get(f"/manual/steps/{step.pk}/edit/").status_code,
    ]

    assert statuses == [403] * 9
    assert pages == [403, 403]
    assert _state() == before


def test_anonymous_editor_requests_go_to_login(client, step):
    before = _state()

    response = client.post(f"/manual/steps/{step.pk}/edit/", {"activity": "x"})
    page = client.get(f"/manual/processes/{step.process_id}/edit/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/manual/steps/{step.pk}/edit/"
    assert page["Location"].startswith("/accounts/login/")
    assert _state() == before


def test_editor_page_shows_every_section(client, group_head, step):
    client.force_login(group_head)

    response = client.get(f"/manual/processes/{step.process_id}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "ข้อมูลกระบวนงานและมาตรฐานคุณภาพงาน",
        "๑. ข้อกำหนดที่สำคัญ",
        "๒. ขั้นตอนการทำงาน",
        "เพิ่มขั้นตอน",
        "๔) ผู้รับผิดชอบกระบวนงาน",
    ):
        assert title in html
    for _, label in RequirementHeading.choices:
        assert str(label) in html
    assert "รับเรื่อง" in html


def test_header_save_accepts_thai_digits_and_audits(client, group_head):
    process = ProcessFactory(number=3, name="ชื่อเดิม")
    client.force_login(group_head)

    response = client.post(
        f"/manual/processes/{process.pk}/edit/",
        _header_post(process, number="๕", name="ชื่อใหม่", quality_standard="ร้อยละ ๙๐"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/manual/processes/{process.pk}/edit/#header"
    process.refresh_from_db()
    assert (process.number, process.name, process.quality_standard) == (5, "ชื่อใหม่", "ร้อยละ ๙๐")
    entry = AuditEntry.objects.get(action="manual.process.update")
    assert entry.actor == group_head
    assert entry.changes == {
        "name": ["ชื่อเดิม", "ชื่อใหม่"],
        "number": [3, 5],
        "quality_standard": ["ร้อยละ ๙๐ ของขั้นตอนแล้วเสร็จตามระยะเวลาที่กำหนด", "ร้อยละ ๙๐"],
    }
    assert _messages(response) == ["บันทึกข้อมูลกระบวนงานแล้ว"]


def test_header_with_bad_input_shows_thai_errors_and_saves_nothing(client, director):
    process = ProcessFactory(number=3, name="ชื่อเดิม")
    client.force_login(director)
    before = _state()

    response = client.post(
        f"/manual/processes/{process.pk}/edit/",
        _header_post(process, number="สาม", name=""),
    )

    assert response.status_code == 400
    form = response.context["process_form"]
    assert form.errors == {
        "number": ["ลำดับที่ต้องเป็นตัวเลขจำนวนเต็ม (เลขไทยหรือเลขอารบิก)"],
        "name": ["กรุณากรอกชื่อกระบวนงาน"],
    }
    html = response.content.decode()
    assert '<div class="invalid-feedback d-block">กรุณากรอกชื่อกระบวนงาน</div>' in html
    assert "is-invalid" in html
    assert _state() == before


def test_header_number_clash_is_shown_next_to_the_number(client, group_head):
    first = ProcessFactory(number=1, name="กระบวนงานแรก")
    second = ProcessFactory(manual=first.manual, number=2, name="กระบวนงานที่สอง")
    client.force_login(group_head)
    before = _state()

    response = client.post(
        f"/manual/processes/{second.pk}/edit/", _header_post(second, number="๑", name="ชื่อใหม่")
    )

    assert response.status_code == 400
    assert response.context["process_form"].errors == {
        "number": ["ลำดับที่ 1 ซ้ำกับกระบวนงาน “กระบวนงานแรก”"]
    }
    assert _state() == before


def test_requirements_save_with_thai_digit_priorities(client, group_head):
    process = ProcessFactory()
    client.force_login(group_head)
    data = {f"{h}-detail": "" for h in RequirementHeading.values}
    data.update({"customers-detail": "หน่วยงานในสังกัด", "customers-priority": "๓"})

    response = client.post(f"/manual/processes/{process.pk}/requirements/", data)

    assert response.status_code == 302
    saved = {r.heading: (r.detail, r.priority) for r in process.requirements.all()}
    assert saved["customers"] == ("หน่วยงานในสังกัด", 3)
    assert saved["technology"] == ("", None)
    assert len(saved) == 8
    assert AuditEntry.objects.filter(action="manual.requirement.update").count() == 1


def test_requirements_with_an_out_of_range_priority_save_nothing(client, group_head):
    process = ProcessFactory()
    Requirement.objects.create(process=process, heading="customers", detail="เดิม", priority=1)
    client.force_login(group_head)
    before = _state()

    response = client.post(
        f"/manual/processes/{process.pk}/requirements/",
        {"customers-detail": "ใหม่", "customers-priority": "๑", "laws-priority": "๑๐๐"},
    )

    assert response.status_code == 400
    assert response.context["requirements_form"].errors == {
        "laws-priority": ["ลำดับความสำคัญของ “กฎหมาย/ระเบียบ”ต้องอยู่ระหว่าง 1–99"]
    }
    assert _state() == before


def test_step_create_shows_what_the_duration_was_read_as(client, group_head, step):
    client.force_login(group_head)

    response = client.post(
        f"/manual/processes/{step.process_id}/steps/new/",
        {
            "activity": "ตรวจสอบและอนุมัติ",
            "sub_items": "ตรวจเอกสาร\n\nลงนาม\n",
            "duration_text": "๑-๒ วัน",
            "position": "๑",
        },
    )

    assert response.status_code == 302
    new = Step.objects.get(activity="ตรวจสอบและอนุมัติ")
    assert response["Location"] == f"/manual/processes/{step.process_id}/edit/#step-{new.pk}"
    assert (new.order, new.label, new.sub_items) == (1, "๑", ["ตรวจเอกสาร", "ลงนาม"])
    assert new.duration_status == DurationStatus.PARSED
    step.refresh_from_db()
    assert (step.order, step.label) == (2, "๒")
    assert _messages(response) == [
        "เพิ่มขั้นตอนที่ ๑ แล้ว",
        "ระยะเวลา “๑-๒ วัน” อ่านได้เป็น: 1–2 วัน (แปลงแล้ว)",
    ]


def test_step_edit_flags_a_duration_without_unit(client, group_head, step):
    client.force_login(group_head)

    response = client.post(
        f"/manual/steps/{step.pk}/edit/",
        {"activity": "รับเรื่อง", "duration_text": "๒", "units_text": "ศทส."},
    )

    assert response.status_code == 302
    step.refresh_from_db()
    assert step.duration_status == DurationStatus.UNIT_MISSING
    assert _messages(response)[1] == ("ระยะเวลา “๒”: ไม่ระบุหน่วยเวลา — กรุณาแก้ไขให้มีตัวเลขและหน่วยเวลา")
    entry = AuditEntry.objects.get(action="manual.step.update")
    assert entry.changes["duration_text"] == ["๑ วัน", "๒"]


def test_step_edit_without_activity_shows_the_field_error(client, group_head, step):
    client.force_login(group_head)
    before = _state()

    response = client.post(f"/manual/steps/{step.pk}/edit/", {"activity": "", "duration_text": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"activity": ["กรุณากรอกขั้นตอนการทำงาน"]}
    assert _state() == before


def test_step_move_and_delete(client, group_head):
    process = ProcessFactory()
    a, b, c = (StepFactory(process=process, order=i, activity=t) for i, t in enumerate("กขค", 1))
    client.force_login(group_head)

    moved = client.post(f"/manual/steps/{c.pk}/move/", {"direction": "up"})
    refused = client.post(f"/manual/steps/{a.pk}/move/", {"direction": "up"})
    deleted = client.post(f"/manual/steps/{b.pk}/delete/")

    assert moved.status_code == refused.status_code == deleted.status_code == 302
    assert "ขั้นตอนแรกเลื่อนขึ้นไม่ได้" in _messages(refused)
    assert list(process.steps.order_by("order").values_list("activity", "order")) == [
        ("ก", 1),
        ("ค", 2),
    ]


def test_controls_add_and_delete_through_the_step_page(client, group_head, step):
    client.force_login(group_head)

    added = client.post(f"/manual/steps/{step.pk}/controls/", {"kind": "risk", "text": "ล่าช้า"})
    empty = client.post(f"/manual/steps/{step.pk}/controls/", {"kind": "risk", "text": ""})
    control = step.controls.get(kind="control")
    removed = client.post(f"/manual/controls/{control.pk}/delete/")

    assert added.status_code == removed.status_code == 302
    assert empty.status_code == 400
    assert empty.context["control_form"].errors == {"text": ["กรุณากรอกรายละเอียด"]}
    assert list(step.controls.values_list("kind", "text")) == [("risk", "ล่าช้า")]
    page = client.get(f"/manual/steps/{step.pk}/edit/").content.decode()
    assert "ล่าช้า" in page


def test_owners_form_sets_positions(client, group_head):
    process = ProcessFactory()
    head = PositionFactory(title="หัวหน้ากลุ่ม")
    staff = PositionFactory(title="นักวิชาการคอมพิวเตอร์")
    client.force_login(group_head)

    ok = client.post(
        f"/manual/processes/{process.pk}/owners/", {"main": [head.pk], "supporting": [staff.pk]}
    )
    missing = client.post(f"/manual/processes/{process.pk}/owners/", {"supporting": [staff.pk]})

    assert ok.status_code == 302
    assert missing.status_code == 400
    assert missing.context["owners_form"].errors == {
        "main": ["กรุณาเลือกผู้รับผิดชอบหลักอย่างน้อยหนึ่งตำแหน่ง"]
    }
    assert list(process.owners.values_list("kind", "position_id")) == [
        ("main", head.pk),
        ("supporting", staff.pk),
    ]


def test_editing_an_earlier_year_is_refused_with_the_thai_rule(client, director, step):
    ManualFactory(fiscal_year=2568, unit=step.process.manual.unit)
    client.force_login(director)
    before = _state()

    page = client.get(f"/manual/processes/{step.process_id}/edit/")
    writes = [client.post(url, data) for url, data in _every_write(step)]

    assert page.status_code == 302
    assert page["Location"] == f"/manual/processes/{step.process_id}/"
    assert {w.status_code for w in writes} == {302}
    assert {w["Location"] for w in writes} == {f"/manual/processes/{step.process_id}/"}
    assert all(READ_ONLY_MESSAGE in _messages(w) for w in writes)
    assert _state() == before
    detail = client.get(f"/manual/processes/{step.process_id}/").content.decode()
    assert "ฉบับปีที่ผ่านมา (อ่านอย่างเดียว)" in detail


def test_duration_preview_reads_thai_text(client, group_head, officer):
    client.force_login(group_head)

    response = client.get("/manual/duration-preview/", {"duration_text": "๕ นาที/เรื่อง"})

    assert response.status_code == 200
    assert "<strong>5 นาที/เรื่อง</strong> (แปลงแล้ว)" in response.content.decode()
    Preference.objects.create(user=group_head, thai_digits=True)
    thai = client.get("/manual/duration-preview/", {"duration_text": "5-10 นาที"})
    assert "<strong>๕–๑๐ นาที</strong> (แปลงแล้ว)" in thai.content.decode()
    unreadable = client.get("/manual/duration-preview/", {"duration_text": "๒"})
    assert "(ไม่ระบุหน่วยเวลา)" in unreadable.content.decode()
    assert "กรุณาระบุตัวเลขและหน่วยเวลา" in unreadable.content.decode()
    client.force_login(officer)
    assert client.get("/manual/duration-preview/", {"duration_text": "๑ วัน"}).status_code == 403


def test_improvement_explanation_inline_edit(client, group_head, officer):
    manual = ManualFactory()
    ImprovementEntry.objects.create(
        manual=manual, process_code="C01", process_name="กระบวนงาน", details_changed=True
    )
    url = "/manual/improvements/2567/C01/explanation/"

    client.force_login(officer)
    denied = client.post(url, {"explanation": "x"})
    client.force_login(group_head)
    inline = client.post(url, {"explanation": "ปรับปรุงขั้นตอน"}, HTTP_HX_REQUEST="true")
    too_long = client.post(url, {"explanation": "ก" * 5001}, HTTP_HX_REQUEST="true")

    assert denied.status_code == 403
    assert inline.status_code == 200
    assert inline.content.decode().lstrip().startswith('<td id="explain-C01"')
    assert "บันทึกแล้ว" in inline.content.decode()
    assert "รายละเอียดการปรับปรุงยาวเกิน 5,000 ตัวอักษร" in too_long.content.decode()
    entry = ImprovementEntry.objects.get()
    assert entry.explanation == "ปรับปรุงขั้นตอน"
    assert AuditEntry.objects.filter(action="manual.improvement.explain").count() == 1


def test_improvement_explanation_plain_form_redirects_back(client, group_head):
    manual = ManualFactory()
    ImprovementEntry.objects.create(manual=manual, process_code="C01", process_name="ก")
    client.force_login(group_head)

    response = client.post("/manual/improvements/2567/C01/explanation/", {"explanation": "ข"})

    assert response.status_code == 302
    assert response["Location"] == "/manual/improvements/?fiscal_year=2567#row-C01"
    summary = client.get("/manual/improvements/", {"fiscal_year": "2567"}).content.decode()
    assert "แก้ไขรายละเอียดการปรับปรุง" in summary
