"""Entering results: what is accepted, what is refused by field, and that nothing is half-saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.kpi.models import KpiResult, Method
from krabuan.kpi.services.results import result_record
from krabuan.kpi.tests.factories import (
    DeliverableFactory,
    KpiFactory,
    MilestoneFactory,
    MilestoneStepFactory,
)

D = Decimal


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")


def refused(**kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        result_record(**kwargs)
    return caught.value


def nothing_saved():
    return (
        not KpiResult.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="kpi_result").exists()
    )


def test_a_result_in_thai_digits_is_stored_with_who_entered_it(officer):
    kpi = KpiFactory(method=Method.DIRECT)
    row = result_record(kpi=kpi, round="12m", value="๙๘.๕", actor=officer, note=" เบิกจ่ายแล้ว ")
    row.refresh_from_db()
    assert (row.round, row.value, row.note, row.entered_by) == (
        "12m",
        D("98.5000"),
        "เบิกจ่ายแล้ว",
        officer,
    )
    entry = AuditEntry.objects.get(action="kpi_result.create")
    assert entry.actor == officer
    assert entry.object_id == str(row.pk)
    assert entry.changes["value"] == [None, "98.5000"]


def test_recording_the_same_round_again_updates_it(officer, group_head):
    kpi = KpiFactory(method=Method.DIRECT)
    first = result_record(kpi=kpi, round="6m", value=50, actor=officer)
    second = result_record(kpi=kpi, round="6m", value="52.25", actor=group_head)
    assert second.pk == first.pk
    assert KpiResult.objects.count() == 1
    second.refresh_from_db()
    assert (second.value, second.entered_by) == (D("52.2500"), group_head)
    update = AuditEntry.objects.get(action="kpi_result.update")
    assert update.changes["value"] == ["50.0000", "52.2500"]
    assert update.changes["entered_by"] == [officer.pk, group_head.pk]


@pytest.mark.parametrize(
    ("typed", "stored"), [("2566-03", "2566-03"), ("2023-03", "2566-03"), ("๒๕๖๕-๑๐", "2565-10")]
)
def test_a_month_is_stored_in_the_buddhist_era(officer, typed, stored):
    kpi = KpiFactory()
    assert result_record(kpi=kpi, round=typed, value=96, actor=officer).round == stored


@pytest.mark.parametrize("round", ["2566-10", "2024-03", "3m", "", "2566-13"])
def test_a_round_outside_the_fiscal_year_is_refused_naming_round(officer, round):
    error = refused(kpi=KpiFactory(), round=round, value=96, actor=officer)
    assert list(error.fields) == ["round"]
    assert nothing_saved()


def test_the_month_error_says_which_year(officer):
    error = refused(kpi=KpiFactory(), round="2566-10", value=96, actor=officer)
    assert error.fields["round"] == [
        "เดือน ต.ค. 2566 อยู่นอกปีงบประมาณ พ.ศ. 2566 (ต.ค. 2565 – ก.ย. 2566)"
    ]


@pytest.mark.parametrize("value", ["abc", "12,3.4.5", [1], True, float("nan")])
def test_a_value_that_is_not_a_number_is_refused(officer, value):
    error = refused(kpi=KpiFactory(), round="12m", value=value, actor=officer)
    assert list(error.fields) == ["value"]
    assert nothing_saved()


@pytest.mark.parametrize("value", ["100.01", "-1", "๑๕๐"])
def test_a_percentage_outside_0_100_is_refused(officer, value):
    error = refused(kpi=KpiFactory(unit_label="ร้อยละ"), round="12m", value=value, actor=officer)
    assert error.fields == {"value": ["ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100"]}
    assert nothing_saved()


def test_points_are_not_a_percentage(officer):
    kpi = KpiFactory(
        method=Method.SHARED,
        unit_label="คะแนน",
        level_basic=D(350),
        level_standard=D("399.03"),
        level_advanced=D("438.93"),
    )
    assert result_record(kpi=kpi, round="12m", value="420", actor=officer).value == D(420)


def test_evidence_is_required_when_the_kpi_asks(officer):
    kpi = KpiFactory(evidence_required=True)
    error = refused(kpi=kpi, round="12m", value=96, actor=officer)
    assert error.fields == {"evidence": ["ตัวชี้วัดนี้ต้องแนบไฟล์หลักฐานประกอบผลการดำเนินงาน"]}
    assert nothing_saved()
    row = result_record(kpi=kpi, round="12m", value=96, actor=officer, evidence=pdf())
    assert row.evidence.name.endswith(".pdf")
    assert row.evidence.read().startswith(b"%PDF")
    # The stored file still stands behind a corrected value.
    again = result_record(kpi=kpi, round="12m", value=97, actor=officer)
    assert again.value == D(97)


def test_an_evidence_file_that_is_not_what_it_claims_is_refused(officer):
    kpi = KpiFactory(evidence_required=True)
    fake = SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00 a program", content_type="application/pdf"
    )
    error = refused(kpi=kpi, round="12m", value=96, actor=officer, evidence=fake)
    assert list(error.fields) == ["evidence"]
    assert nothing_saved()


def test_a_live_bound_kpi_needs_no_evidence_and_takes_no_typed_value(officer):
    kpi = KpiFactory(
        evidence_required=True,
        live_source="workflow.process_on_time_pct",
        live_params={"process_code": "C10"},
    )
    step = MilestoneStepFactory(milestone=MilestoneFactory(kpi=kpi, round="6m"))
    row = result_record(kpi=kpi, round="6m", value=None, milestone_steps=[step.pk], actor=officer)
    assert list(row.milestone_steps_done.all()) == [step]
    error = refused(kpi=kpi, round="9m", value=90, actor=officer)
    assert error.fields == {
        "value": [
            "ตัวชี้วัดนี้รับค่าจากแหล่งข้อมูลอัตโนมัติ "
            "(ร้อยละขั้นตอนที่แล้วเสร็จตามเวลา (ระบบติดตามกระบวนงาน)) จึงไม่ต้องกรอกผล"
        ]
    }


def test_deliverables_and_steps_must_be_the_kpis_own(officer):
    kpi = DeliverableFactory().kpi
    other = DeliverableFactory()
    foreign_step = MilestoneStepFactory()
    error = refused(
        kpi=kpi,
        round="12m",
        value=None,
        deliverables=[kpi.deliverables.get().pk, other.pk],
        milestone_steps=[foreign_step.pk],
        actor=officer,
    )
    assert error.fields == {
        "deliverables": [f"ผลผลิต {other.pk} ไม่ใช่ของตัวชี้วัดนี้"],
        "milestone_steps": [f"ขั้นตอนการดำเนินงาน {foreign_step.pk} ไม่ใช่ของตัวชี้วัดนี้"],
    }
    assert nothing_saved()


def test_deliverables_and_steps_are_recorded_and_left_alone_when_not_sent(officer):
    kpi = KpiFactory(method=Method.DELIVERABLES, unit_label="คะแนน")
    first = DeliverableFactory(kpi=kpi, level=50)
    second = DeliverableFactory(kpi=kpi, level=75, points=D(25))
    step = MilestoneStepFactory(milestone=MilestoneFactory(kpi=kpi, round="12m"))
    row = result_record(
        kpi=kpi,
        round="12m",
        value=None,
        deliverables=[first, str(second.pk)],
        milestone_steps=[step],
        actor=officer,
    )
    assert set(row.deliverables_done.all()) == {first, second}
    result_record(kpi=kpi, round="12m", value=None, note="เพิ่มหมายเหตุ", actor=officer)
    assert set(row.deliverables_done.all()) == {first, second}
    assert list(row.milestone_steps_done.all()) == [step]
    result_record(kpi=kpi, round="12m", value=None, deliverables=[], actor=officer)
    assert not row.deliverables_done.exists()
    changes = AuditEntry.objects.filter(action="kpi_result.update").first().changes
    assert changes == {"deliverables_done": [sorted([first.pk, second.pk]), []]}


def test_every_bad_field_is_reported_at_once(officer):
    kpi = KpiFactory(evidence_required=True)
    error = refused(kpi=kpi, round="2567-01", value="x", deliverables=[999], actor=officer)
    assert sorted(error.fields) == ["deliverables", "evidence", "round", "value"]
    assert nothing_saved()


def test_an_empty_result_is_refused(officer):
    error = refused(kpi=KpiFactory(), round="12m", value="", actor=officer)
    assert list(error.fields) == ["value"]
    assert nothing_saved()


def test_readers_cannot_enter_results(auditor, requester):
    kpi = KpiFactory()
    for user in (auditor, requester):
        with pytest.raises(PermissionDenied):
            result_record(kpi=kpi, round="12m", value=96, actor=user)
    assert nothing_saved()


def test_a_queryset_of_deliverables_is_accepted_and_text_is_not(officer):
    kpi = KpiFactory(method=Method.DELIVERABLES, unit_label="คะแนน")
    DeliverableFactory(kpi=kpi, level=50)
    row = result_record(
        kpi=kpi, round="6m", value=None, deliverables=kpi.deliverables.all(), actor=officer
    )
    assert row.deliverables_done.count() == 1
    error = refused(kpi=kpi, round="9m", value=None, deliverables="1,2", actor=officer)
    assert error.fields == {"deliverables": ["ผลผลิตต้องเป็นรายการ"]}
