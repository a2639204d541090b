"""The manual's read pages: process list (search, filter, sort, CSV), process page, improvement
summary, and copying a year from the list page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.core.models import AuditEntry
from krabuan.manual.models import (
    ControlKind,
    DurationStatus,
    ImprovementEntry,
    Manual,
    Process,
    Step,
)
from krabuan.manual.services.editing import READ_ONLY_MESSAGE
from krabuan.manual.tests.factories import ProcessFactory, StepControlFactory, StepFactory
from krabuan.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _cell(html: str, row_id: str, css: str) -> str:
    """The text inside <td class="css …"> of the table row with the given id."""
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S)
    assert row is not None, row_id
    cell = re.search(rf'<td class="{css}[^"]*">(.*?)</td>', row.group(1), re.S)
    assert cell is not None, css
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell.group(1))).strip()


def _codes(response) -> list[str]:
    return [p.code for p in response.context["processes"]]


# --- process list -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, fy2567):
    response = client.get("/manual/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/manual/"


def test_list_shows_the_real_manual_grouped_by_kind_and_unit(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/")

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 2567
    assert len(response.context["processes"]) == 22
    groups = response.context["groups"]
    assert [(g.label, g.count) for g in groups] == [
        ("กระบวนงานหลัก", 16),
        ("กระบวนงานสนับสนุน", 6),
    ]
    assert [ug.unit.code for ug in groups[0].units] == [
        "ict-strategy",
        "ict-systems",
        "ict-network",
        "ict-data",
    ]
    assert "พบ 22 กระบวนงาน" in html
    c10 = Process.objects.get(manual=fy2567, code="C10")
    assert f'<a href="/manual/processes/{c10.pk}/">ICT Service Center</a>' in html
    assert "กลุ่มระบบคอมพิวเตอร์และเครือข่าย" in html
    # An officer reads; copying a year is for editors.
    assert "คัดลอกเป็นปีงบประมาณถัดไป" not in html
    assert response.context["copy_form"] is None


def test_search_by_name_code_and_step_text(client, officer, fy2567):
    client.force_login(officer)

    by_name = client.get("/manual/", {"q": "ICT Service"})
    by_code = client.get("/manual/", {"q": "s03"})
    by_step = client.get("/manual/", {"q": "วิเคราะห์จำแนกการให้บริการ"})

    assert _codes(by_name) == ["C10"]
    assert _codes(by_code) == ["S03"]
    assert _codes(by_step) == ["C10"]
    assert "พบ 1 กระบวนงาน" in by_step.content.decode()


def test_search_treats_thai_and_arabic_digits_alike(client, officer, fy2567):
    client.force_login(officer)

    thai = client.get("/manual/", {"q": "๑๖"})
    arabic = client.get("/manual/", {"q": "16"})

    assert _codes(thai) == _codes(arabic)
    assert "C16" in _codes(thai)


def test_filter_by_kind_and_unit(client, officer, fy2567):
    client.force_login(officer)

    support = client.get("/manual/", {"kind": "support"})
    network = client.get("/manual/", {"unit": "ict-network"})

    assert _codes(support) == ["S01", "S02", "S03", "S04", "S05", "S06"]
    expected = list(
        Process.objects.filter(manual=fy2567, responsible_unit__code="ict-network")
        .order_by("kind", "number")
        .values_list("code", flat=True)
    )
    assert expected  # the real manual has network processes
    assert _codes(network) == expected


def test_bad_filter_values_are_reported_not_500(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/", {"kind": "bogus", "fiscal_year": "abc", "sort": "drop"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "ประเภทกระบวนงานที่เลือกไม่ถูกต้อง" in html
    assert "ปีงบประมาณต้องเป็นตัวเลขจำนวนเต็ม" in html
    assert len(response.context["processes"]) == 22


def test_unknown_fiscal_year_falls_back_to_newest_with_a_warning(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/", {"fiscal_year": "๒๕๖๐"})

    assert response.status_code == 200
    assert response.context["year"] == 2567
    assert "ไม่พบคู่มือกระบวนงานปีงบประมาณ 2560 แสดงปีล่าสุดแทน" in response.content.decode()


def test_sort_by_name_and_by_step_count(client, officer, fy2567):
    client.force_login(officer)

    by_name = client.get("/manual/", {"sort": "name", "kind": "core"})
    by_steps = client.get("/manual/", {"sort": "-step_count", "kind": "support"})

    names = [p.name for p in by_name.context["processes"]]
    assert names == sorted(names)
    counts = [p.step_count for p in by_steps.context["processes"]]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) == 6


def test_csv_export_follows_the_filters_and_opens_in_excel(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/", {"kind": "support", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="processes-2567.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "ปีงบประมาณ",
        "ประเภท",
        "ลำดับที่",
        "รหัส",
        "ชื่อกระบวนงาน",
        "กลุ่ม/ฝ่ายที่รับผิดชอบ",
        "จำนวนขั้นตอน",
    ]
    assert [r[3] for r in rows[1:]] == ["S01", "S02", "S03", "S04", "S05", "S06"]
    s01 = Process.objects.get(manual=fy2567, code="S01")
    assert rows[1] == [
        "2567",
        "กระบวนงานสนับสนุน",
        "1",
        "S01",
        s01.name,
        s01.responsible_unit.name,
        str(s01.steps.count()),
    ]


def test_csv_cells_cannot_run_as_formulas(client, officer):
    ProcessFactory(name="=HYPERLINK(1)")
    client.force_login(officer)

    response = client.get("/manual/", {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "'=HYPERLINK(1)"


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/manual/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_processes(client, officer):
    unit = UnitFactory(code="grp-a", name="กลุ่มเอ")
    first = ProcessFactory(responsible_unit=unit)
    StepFactory(process=first)
    client.force_login(officer)
    client.get("/manual/")  # warm the session and the content types
    few = _list_queries(client)

    other = UnitFactory(code="grp-b", name="กลุ่มบี")
    for _ in range(8):
        process = ProcessFactory(manual=first.manual, responsible_unit=other)
        StepControlFactory(step=StepFactory(process=process))
        StepFactory(process=process)
    many = _list_queries(client)

    assert few == many
    assert len(client.get("/manual/").context["processes"]) == 9


# --- process page -------------------------------------------------------------------------


def test_process_page_shows_every_section_of_the_form(client, officer, fy2567):
    process = Process.objects.get(manual=fy2567, code="C07")
    step = Step.objects.get(process=process, activity__startswith="ติดตามประเมินผลการใช้งาน")
    client.force_login(officer)

    response = client.get(f"/manual/processes/{process.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "กระบวนงานที่ 7 : การบริหารจัดการระบบสารสนเทศ" in html
    assert "ปีงบประมาณ พ.ศ. 2567" in html
    assert "กระบวนงานหลัก" in html
    assert "๑. การจัดทำข้อกำหนดที่สำคัญของกระบวนงาน" in html
    assert "วิเคราะห์ปัจจัยนำเข้า" in html
    assert "สรุปผลการดำเนินการและปรับปรุงแก้ไข" in html
    assert "๓) การกำหนดมาตรฐานคุณภาพงาน" in html
    assert "๔) ผู้รับผิดชอบกระบวนงาน" in html
    assert process.quality_standard.splitlines()[0] in html
    # Control points and risks are two columns, never mixed.
    row_id = f"step-{step.pk}"
    assert _cell(html, row_id, "step-activity").startswith(
        "ติดตามประเมินผลการใช้งาน ปรับปรุงข้อมูลในระบบให้เป็นปัจจุบัน"
    )
    assert _cell(html, row_id, "step-controls") == "ทบทวนสิทธิ์การใช้งานปีละครั้ง"
    assert _cell(html, row_id, "step-risks") == "ข้อมูลในระบบไม่เป็นปัจจุบัน"
    assert _cell(html, row_id, "step-duration") == "ขึ้นอยู่กับปริมาณข้อมูลที่เปลี่ยนแปลง"
    assert '<figure class="flowchart' in html
    assert "<svg" in html
    assert f'href="/manual/processes/{process.pk}/edit/"' not in html  # officers do not edit
    assert "คู่มือปีงบประมาณที่ผ่านมาแก้ไขไม่ได้" not in html


def test_process_page_requirements_keep_their_priorities(client, officer, fy2567):
    process = Process.objects.get(manual=fy2567, code="C01")
    client.force_login(officer)

    response = client.get(f"/manual/processes/{process.pk}/")

    rows = re.findall(
        r'<th scope="row" class="fw-normal">(.*?)</th>\s*<td>.*?</td>\s*'
        r'<td class="text-center">(.*?)</td>',
        response.content.decode(),
        re.S,
    )
    assert [priority for _, priority in rows] == ["3", "6", "4", "1", "2", "5", "7", "-"]


def test_editor_sees_unreadable_durations_highlighted_with_a_fix_link(
    client, officer, group_head, fy2567
):
    step = Step.objects.filter(
        process__manual=fy2567, duration_status=DurationStatus.UNIT_MISSING
    ).first()
    assert step is not None  # the real manual has bare numbers ("๒") in C09
    url = f"/manual/processes/{step.process_id}/"

    client.force_login(group_head)
    as_editor = client.get(url).content.decode()
    client.force_login(officer)
    as_officer = client.get(url).content.decode()

    assert 'class="step-duration duration-unparsed"' in as_editor
    assert f'href="/manual/steps/{step.pk}/edit/#id_duration_text"' in as_editor
    assert f'href="/manual/processes/{step.process_id}/edit/"' in as_editor
    assert "duration-unparsed" not in as_officer
    assert f"/manual/steps/{step.pk}/edit/" not in as_officer


def test_process_page_shows_structured_duration_when_it_says_more(client, officer):
    weeks = StepFactory(
        duration_text="๒ อาทิตย์",
        duration={"text": "๒ อาทิตย์", "status": "parsed", "min": 2, "max": 2, "unit": "week"},
    )
    days = StepFactory(
        process=weeks.process,
        duration_text="๔๕ วันทำการ",
        duration={
            "text": "๔๕ วันทำการ",
            "status": "parsed",
            "min": 45,
            "max": 45,
            "unit": "working_day",
        },
    )
    client.force_login(officer)

    html = client.get(f"/manual/processes/{weeks.process_id}/").content.decode()

    assert _cell(html, f"step-{weeks.pk}", "step-duration") == "๒ อาทิตย์ 2 สัปดาห์"
    # Only other digits: no second line.
    assert _cell(html, f"step-{days.pk}", "step-duration") == "๔๕ วันทำการ"


def test_missing_process_is_a_404_page(client, officer, fy2567):
    client.force_login(officer)

    assert client.get("/manual/processes/999999/").status_code == 404


def test_process_page_splits_controls_and_risks_from_factories(client, officer):
    step = StepFactory(activity="ตรวจรับงาน")
    StepControlFactory(step=step, kind=ControlKind.CONTROL, text="ตรวจตามสัญญา")
    StepControlFactory(step=step, kind=ControlKind.RISK, text="ส่งงานล่าช้า")
    StepControlFactory(step=step, kind=ControlKind.RISK, text="งานไม่ครบ")
    client.force_login(officer)

    html = client.get(f"/manual/processes/{step.process_id}/").content.decode()

    assert _cell(html, f"step-{step.pk}", "step-controls") == "ตรวจตามสัญญา"
    assert _cell(html, f"step-{step.pk}", "step-risks") == "ส่งงานล่าช้า งานไม่ครบ"


# --- improvement summary ------------------------------------------------------------------


def test_improvement_summary_shows_recorded_rows_for_the_first_year(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/improvements/", {"fiscal_year": "2567"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "ไม่มีคู่มือปีงบประมาณก่อนหน้าในระบบ เครื่องหมาย ✓ บันทึกตามเอกสารต้นฉบับ" in html
    recorded = ImprovementEntry.objects.filter(manual=fy2567).count()
    assert recorded > 0
    assert len(response.context["rows"]) == recorded
    assert "ICT Service Center" in html
    assert "แก้ไขรายละเอียดการปรับปรุง" not in html  # officers read only


def test_improvement_summary_of_an_unknown_year_shows_the_newest(client, officer, fy2567):
    client.force_login(officer)

    response = client.get("/manual/improvements/", {"fiscal_year": "2550"})

    assert response.status_code == 200
    assert response.context["year"] == 2567
    assert "ไม่พบคู่มือกระบวนงานปีงบประมาณ 2550 แสดงปีล่าสุดแทน" in response.content.decode()


def test_copy_keeps_the_old_year_and_the_summary_flags_the_edited_process(
    client, group_head, fy2567
):
    old_steps = list(
        Step.objects.filter(process__manual=fy2567)
        .order_by("pk")
        .values_list("pk", "activity", "duration_text")
    )
    client.force_login(group_head)

    copied = client.post("/manual/copy/", {"source_year": "2567", "fiscal_year": "๒๕๖๘"})

    assert copied.status_code == 302
    assert copied["Location"] == "/manual/?fiscal_year=2568"
    new = Manual.objects.get(fiscal_year=2568)
    assert new.copied_from_id == fy2567.pk
    assert new.processes.count() == 22

    step = Step.objects.get(process__manual=new, process__code="C10", order=2)
    edited = client.post(
        f"/manual/steps/{step.pk}/edit/",
        {"activity": step.activity, "duration_text": "๑๕ นาที", "units_text": step.units_text},
    )
    assert edited.status_code == 302

    summary = client.get("/manual/improvements/", {"fiscal_year": "2568"})
    flagged = {
        row["entry"].process_code: row["entry"].details_changed for row in summary.context["rows"]
    }
    assert flagged == {"C10": True}
    assert "เครื่องหมาย ✓ คำนวณโดยระบบ จากการเปรียบเทียบกับคู่มือปีงบประมาณ พ.ศ. 2567" in (
        summary.content.decode()
    )
    assert (
        list(
            Step.objects.filter(process__manual=fy2567)
            .order_by("pk")
            .values_list("pk", "activity", "duration_text")
        )
        == old_steps
    )

    # The year before is now the record: the editor refuses it with the Thai rule.
    old_step = Step.objects.get(process__manual=fy2567, process__code="C10", order=2)
    refused = client.post(
        f"/manual/steps/{old_step.pk}/edit/", {"activity": "แก้ปีเก่า", "duration_text": "๑ วัน"}
    )
    assert refused.status_code == 302
    assert refused["Location"] == f"/manual/processes/{old_step.process_id}/"
    assert READ_ONLY_MESSAGE in client.get(refused["Location"]).content.decode()
    old_step.refresh_from_db()
    assert old_step.activity != "แก้ปีเก่า"


def test_list_offers_copy_to_editors_with_next_year_prefilled(client, group_head, fy2567):
    client.force_login(group_head)

    response = client.get("/manual/")

    html = response.content.decode()
    assert "คัดลอกเป็นปีงบประมาณถัดไป" in html
    assert response.context["copy_form"].initial == {"source_year": 2567, "fiscal_year": 2568}


def test_copy_to_an_existing_year_names_the_field_and_creates_nothing(client, group_head, fy2567):
    client.force_login(group_head)

    response = client.post("/manual/copy/", {"source_year": "2567", "fiscal_year": "2567"})

    assert response.status_code == 400
    assert response.context["copy_form"].errors == {"fiscal_year": ["มีคู่มือปีงบประมาณ 2567 อยู่แล้ว"]}
    assert "มีคู่มือปีงบประมาณ 2567 อยู่แล้ว" in response.content.decode()
    assert Manual.objects.count() == 1


def test_copy_with_a_bad_year_names_the_field(client, group_head, fy2567):
    client.force_login(group_head)

    response = client.post("/manual/copy/", {"source_year": "2567", "fiscal_year": "ปีหน้า"})

    assert response.status_code == 400
    assert response.context["copy_form"].errors == {
        "fiscal_year": ["ปีงบประมาณใหม่ (พ.ศ.)ต้องเป็นตัวเลขจำนวนเต็ม (เลขไทยหรือเลขอารบิก)"]
    }
    assert Manual.objects.count() == 1


def test_auditor_cannot_copy_a_year(client, auditor, fy2567):
    client.force_login(auditor)

    response = client.post("/manual/copy/", {"source_year": "2567", "fiscal_year": "2568"})

    assert response.status_code == 403
    assert Manual.objects.count() == 1
    assert not AuditEntry.objects.filter(action="manual.copy").exists()
