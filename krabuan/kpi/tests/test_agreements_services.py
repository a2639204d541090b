"""Next year's copy, KPI edits and live bindings: validated by field, audited, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from krabuan.core.audit import snapshot
from krabuan.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.kpi.models import (
    Agreement,
    Deliverable,
    Kpi,
    KpiBaseline,
    KpiResult,
    Method,
    Milestone,
    MilestoneStep,
)
from krabuan.kpi.selectors import agreement_get, agreement_list, kpi_get, result_list
from krabuan.kpi.services.agreements import (
    agreement_copy_to_year,
    kpi_bind_live_source,
    kpi_update,
)
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.kpi.tests.factories import AgreementFactory, AssessmentGroupFactory, KpiFactory
from krabuan.manual.tests.factories import ProcessFactory

D = Decimal


@pytest.fixture
def fy2566(demo_org) -> Agreement:
    return agreement_fixture_load(path=fixture_path(2566)).agreement


def fresh(kpi: Kpi) -> Kpi:
    """The KPI as the database holds it (decimals with their stored places)."""
    return Kpi.objects.get(pk=kpi.pk)


def _tree(agreement: Agreement) -> dict:
    """Everything an agreement holds, for before/after comparisons."""
    kpis = Kpi.objects.filter(agreement=agreement)
    return {
        "agreement": snapshot(agreement),
        "groups": [snapshot(g) for g in agreement.groups.order_by("pk")],
        "kpis": [snapshot(k) for k in kpis.order_by("pk")],
        "baselines": [snapshot(b) for b in KpiBaseline.objects.filter(kpi__in=kpis).order_by("pk")],
        "milestones": [snapshot(m) for m in Milestone.objects.filter(kpi__in=kpis).order_by("pk")],
        "steps": [
            snapshot(s)
            for s in MilestoneStep.objects.filter(milestone__kpi__in=kpis).order_by("pk")
        ],
        "deliverables": [
            snapshot(d) for d in Deliverable.objects.filter(kpi__in=kpis).order_by("pk")
        ],
    }


# Copy to the next year --------------------------------------------------------------------


def test_copy_to_next_year_is_deep_and_leaves_the_source_unchanged(fy2566, director):
    kpi3 = fy2566.kpis.get(number=3)
    KpiResult.objects.create(kpi=kpi3, round="12m", value=D("98.5"))
    before = _tree(fy2566)

    copy = agreement_copy_to_year(agreement=fy2566, fiscal_year="๒๕๖๗", actor=director)

    assert _tree(Agreement.objects.get(pk=fy2566.pk)) == before
    assert (copy.fiscal_year, copy.unit_id, copy.copied_from_id) == (
        2567,
        fy2566.unit_id,
        fy2566.pk,
    )
    assert (copy.period_start, copy.period_end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    assert (copy.maker_signed_on, copy.approver_signed_on) == (None, None)
    assert copy.maker_position == fy2566.maker_position
    assert [(g.code, g.weight) for g in copy.groups.order_by("sort_order")] == [
        ("performance", D("70.00")),
        ("potential", D("30.00")),
    ]
    new_kpis = {k.number: k for k in copy.kpis.select_related("group")}
    old_kpis = {k.number: k for k in fy2566.kpis.select_related("group")}
    assert sorted(new_kpis) == [1, 2, 3, 4, 5, 6]
    for number, old in old_kpis.items():
        new = new_kpis[number]
        assert new.pk != old.pk
        assert (new.name, new.weight, new.method, new.deduction_points) == (
            old.name,
            old.weight,
            old.method,
            old.deduction_points,
        )
        assert new.group.agreement_id == copy.pk
        assert new.group.code == old.group.code
        assert list(new.baselines.values_list("year", "value")) == list(
            old.baselines.values_list("year", "value")
        )
        assert new.deliverables.count() == old.deliverables.count()
        assert new.milestones.count() == old.milestones.count()
        assert MilestoneStep.objects.filter(milestone__kpi=new).count() == (
            MilestoneStep.objects.filter(milestone__kpi=old).count()
        )
    assert not KpiResult.objects.filter(kpi__agreement=copy).exists()
    entry = AuditEntry.objects.get(action="agreement.copy")
    assert entry.changes == {"copied_from": fy2566.pk, "fiscal_year": 2567}


def test_copy_moves_milestone_due_dates_by_the_years_between(director):
    kpi = fresh(KpiFactory())
    step = MilestoneStep.objects.create(
        milestone=Milestone.objects.create(kpi=kpi, round="6m"),
        text="ส่งแบบฟอร์ม",
        due_on=dt.date(2023, 3, 31),
    )
    leap = MilestoneStep.objects.create(
        milestone=step.milestone, text="วันสุดท้ายของ ก.พ.", due_on=dt.date(2024, 2, 29)
    )
    copy = agreement_copy_to_year(agreement=kpi.agreement, fiscal_year=2568, actor=director)
    moved = MilestoneStep.objects.filter(milestone__kpi__agreement=copy).order_by(
        "sort_order", "pk"
    )
    assert [s.due_on for s in moved] == [dt.date(2025, 3, 31), dt.date(2026, 2, 28)]
    assert MilestoneStep.objects.get(pk=leap.pk).due_on == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("year", "field", "message"),
    [
        ("abc", "fiscal_year", "ปีงบประมาณต้องเป็นตัวเลข ปี พ.ศ."),
        (2024, "fiscal_year", "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2500–2700"),
        (2566, "fiscal_year", "ปีงบประมาณต้องอยู่หลังปี พ.ศ. 2566 ของฉบับเดิม"),
    ],
)
def test_copy_refuses_a_bad_year_naming_the_field(director, year, field, message):
    agreement = KpiFactory().agreement
    with pytest.raises(ApplicationError) as refused:
        agreement_copy_to_year(agreement=agreement, fiscal_year=year, actor=director)
    assert refused.value.fields == {field: [message]}
    assert Agreement.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_copy_refuses_a_year_that_already_has_an_agreement(director):
    agreement = KpiFactory().agreement
    AgreementFactory(unit=agreement.unit, fiscal_year=2567)
    with pytest.raises(Conflict) as refused:
        agreement_copy_to_year(agreement=agreement, fiscal_year=2567, actor=director)
    assert refused.value.fields == {"fiscal_year": ["มีคำรับรองปีงบประมาณ 2567 ของหน่วยงานนี้อยู่แล้ว"]}
    assert Kpi.objects.count() == 1


def test_only_the_agreements_editors_may_copy(officer, auditor):
    agreement = KpiFactory().agreement
    for user in (officer, auditor):
        with pytest.raises(PermissionDenied):
            agreement_copy_to_year(agreement=agreement, fiscal_year=2567, actor=user)
    assert Agreement.objects.count() == 1


# KPI edits --------------------------------------------------------------------------------


def test_kpi_update_changes_fields_and_audits_them(group_head):
    kpi = fresh(KpiFactory(weight=D(15)))
    kpi_update(
        kpi=kpi,
        actor=group_head,
        data={
            "name": " ร้อยละความสำเร็จ ",
            "level_basic": "๙๐",
            "level_standard": "95",
            "level_advanced": 100,
            "weight": "20",
            "deduction_points": "5",
            "best_of_rounds": "true",
        },
    )
    kpi.refresh_from_db()
    assert (kpi.name, kpi.level_basic, kpi.level_standard, kpi.level_advanced) == (
        "ร้อยละความสำเร็จ",
        D(90),
        D(95),
        D(100),
    )
    assert (kpi.weight, kpi.deduction_points, kpi.best_of_rounds) == (D(20), D(5), True)
    entry = AuditEntry.objects.get(action="kpi.update")
    assert entry.changes["level_basic"] == ["95.0000", "90"]
    assert entry.changes["weight"] == ["15.00", "20"]
    assert "unit_label" not in entry.changes


def test_levels_must_rise_for_a_rising_kpi(group_head):
    kpi = fresh(KpiFactory())
    before = snapshot(kpi)
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data={"level_standard": "94", "level_advanced": 93})
    assert refused.value.fields == {
        "level_standard": ["ค่าเป้าหมายมาตรฐานต้องไม่น้อยกว่าขั้นต้น (95)"],
        "level_advanced": ["ค่าเป้าหมายขั้นสูงต้องไม่น้อยกว่ามาตรฐาน (94)"],
    }
    assert snapshot(Kpi.objects.get(pk=kpi.pk)) == before
    assert not AuditEntry.objects.exists()


def test_levels_must_fall_for_a_falling_kpi(group_head):
    kpi = fresh(KpiFactory())
    kpi_update(
        kpi=kpi,
        actor=group_head,
        data={"direction": "falling", "level_basic": 10, "level_standard": 8, "level_advanced": 5},
    )
    assert Kpi.objects.get(pk=kpi.pk).direction == "falling"
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data={"level_advanced": 9})
    assert refused.value.fields == {"level_advanced": ["ค่าเป้าหมายขั้นสูงต้องไม่มากกว่ามาตรฐาน (8)"]}


def test_equal_neighbouring_levels_are_allowed(group_head):
    kpi = fresh(KpiFactory())
    kpi_update(kpi=kpi, actor=group_head, data={"level_standard": 95, "level_advanced": 95})
    assert Kpi.objects.get(pk=kpi.pk).level_advanced == D(95)


def test_interpolation_needs_all_three_levels(group_head):
    kpi = fresh(
        KpiFactory(method=Method.DIRECT, level_basic=None, level_standard=None, level_advanced=None)
    )
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data={"method": "interpolation", "level_basic": 1})
    assert refused.value.fields == {
        "level_standard": ["กรุณาระบุค่าเป้าหมายมาตรฐาน (75)"],
        "level_advanced": ["กรุณาระบุค่าเป้าหมายขั้นสูง (100)"],
    }
    assert Kpi.objects.get(pk=kpi.pk).method == Method.DIRECT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "ก" * 501}, "name"),
        ({"weight": "0"}, "weight"),
        ({"weight": "abc"}, "weight"),
        ({"weight": 101}, "weight"),
        ({"method": "magic"}, "method"),
        ({"direction": "sideways"}, "direction"),
        ({"kind": "old"}, "kind"),
        ({"level_basic": "ห้าสิบ"}, "level_basic"),
        ({"deduction_points": 120}, "deduction_points"),
        ({"evidence_required": "maybe"}, "evidence_required"),
        ({"unit_label": ["ร้อยละ"]}, "unit_label"),
        ({"live_source": "x"}, "live_source"),
        ({"number": 9}, "number"),
    ],
)
def test_bad_kpi_fields_are_refused_by_name(group_head, data, field):
    kpi = fresh(KpiFactory())
    before = snapshot(kpi)
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data=data)
    assert list(refused.value.fields) == [field]
    assert snapshot(Kpi.objects.get(pk=kpi.pk)) == before


def test_the_agreements_weights_together_stay_within_100(group_head):
    agreement = AgreementFactory()
    group = AssessmentGroupFactory(agreement=agreement)
    KpiFactory(agreement=agreement, group=group, weight=D(70))
    kpi = fresh(KpiFactory(agreement=agreement, group=group, weight=D(20)))
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data={"weight": "30.5"})
    assert refused.value.fields == {"weight": ["น้ำหนักรวมของตัวชี้วัดจะเกิน 100 (ตัวชี้วัดอื่นรวม 70)"]}
    kpi_update(kpi=kpi, actor=group_head, data={"weight": 30})
    assert Kpi.objects.get(pk=kpi.pk).weight == D(30)


def test_the_group_must_belong_to_the_same_agreement(group_head):
    kpi = fresh(KpiFactory())
    other = AssessmentGroupFactory(agreement=AgreementFactory(fiscal_year=2560))
    with pytest.raises(ApplicationError) as refused:
        kpi_update(kpi=kpi, actor=group_head, data={"group": other.pk})
    assert list(refused.value.fields) == ["group"]
    mine = AssessmentGroupFactory(agreement=kpi.agreement, code="potential")
    kpi_update(kpi=kpi, actor=group_head, data={"group": mine})
    assert Kpi.objects.get(pk=kpi.pk).group_id == mine.pk


def test_an_agreement_copied_forward_is_read_only(director):
    kpi = fresh(KpiFactory())
    agreement_copy_to_year(agreement=kpi.agreement, fiscal_year=2567, actor=director)
    with pytest.raises(Conflict):
        kpi_update(kpi=kpi, actor=director, data={"name": "แก้ย้อนหลัง"})
    with pytest.raises(Conflict):
        kpi_bind_live_source(kpi=kpi, key="", params={}, actor=director)
    assert Kpi.objects.get(pk=kpi.pk).name == kpi.name


def test_officers_cannot_edit_kpis(officer):
    kpi = fresh(KpiFactory())
    with pytest.raises(PermissionDenied):
        kpi_update(kpi=kpi, actor=officer, data={"name": "ใหม่"})


# Live bindings ----------------------------------------------------------------------------


def test_bind_and_unbind_a_live_source(group_head):
    ProcessFactory(code="C10", manual__fiscal_year=2567)
    kpi = fresh(KpiFactory())
    kpi_bind_live_source(
        kpi=kpi,
        key="workflow.process_on_time_pct",
        params={"process_code": "C10"},
        actor=group_head,
    )
    kpi.refresh_from_db()
    assert (kpi.live_source, kpi.live_params) == (
        "workflow.process_on_time_pct",
        {"process_code": "C10"},
    )
    bound = AuditEntry.objects.get(action="kpi.bind_live_source")
    assert bound.changes == {
        "live_params": [{}, {"process_code": "C10"}],
        "live_source": ["", "workflow.process_on_time_pct"],
    }
    kpi_bind_live_source(kpi=kpi, key="", params=None, actor=group_head)
    kpi.refresh_from_db()
    assert (kpi.live_source, kpi.live_params) == ("", {})
    assert AuditEntry.objects.filter(action="kpi.unbind_live_source").count() == 1


@pytest.mark.parametrize(
    ("key", "params", "field", "message"),
    [
        (
            "nowhere.gone",
            {},
            "live_source",
            "ไม่พบแหล่งข้อมูลอัตโนมัติ 'nowhere.gone' (ที่มี: ",
        ),
        (
            "workflow.process_on_time_pct",
            {"process_code": "C99"},
            "live_params",
            "ไม่พบกระบวนงานรหัส C99 ในคู่มือปีงบประมาณ พ.ศ. 2567",
        ),
        (
            "workflow.process_on_time_pct",
            ["C10"],
            "live_params",
            'พารามิเตอร์ต้องเป็นชุดข้อมูล JSON แบบ {"ชื่อ": ค่า}',
        ),
        (
            "workflow.process_on_time_pct",
            {"process_code": dt.date(2024, 1, 1)},
            "live_params",
            "พารามิเตอร์ต้องเป็นข้อมูล JSON",
        ),
        ("", {"process_code": "C10"}, "live_params", "ไม่ได้เลือกแหล่งข้อมูลอัตโนมัติ จึงไม่ต้องระบุพารามิเตอร์"),
    ],
)
def test_bad_bindings_are_refused_by_field(group_head, key, params, field, message):
    ProcessFactory(code="C10", manual__fiscal_year=2567)
    kpi = fresh(KpiFactory())
    with pytest.raises(ApplicationError) as refused:
        kpi_bind_live_source(kpi=kpi, key=key, params=params, actor=group_head)
    assert list(refused.value.fields) == [field]
    assert refused.value.fields[field][0].startswith(message)
    kpi.refresh_from_db()
    assert (kpi.live_source, kpi.live_params) == ("", {})
    assert not AuditEntry.objects.exists()


def test_a_deliverables_kpi_can_be_bound_to_a_source(group_head):
    ProcessFactory(code="C10", manual__fiscal_year=2567)
    kpi = fresh(KpiFactory(method=Method.DELIVERABLES))

    kpi_bind_live_source(
        kpi=kpi,
        key="workflow.process_on_time_pct",
        params={"process_code": "C10"},
        actor=group_head,
    )

    kpi.refresh_from_db()
    assert kpi.live_source == "workflow.process_on_time_pct"


# Selectors --------------------------------------------------------------------------------


def test_staff_and_auditors_read_agreements_requesters_find_nothing(
    fy2566, officer, auditor, requester
):
    for user in (officer, auditor):
        assert agreement_get(user=user, agreement_id=fy2566.pk) == fy2566
        assert kpi_get(user=user, kpi_id=fy2566.kpis.get(number=6).pk).number == 6
        assert list(agreement_list(fiscal_year=2566, user=user)) == [fy2566]
    for user, agreement_id in ((requester, fy2566.pk), (officer, 999999), (officer, "x")):
        with pytest.raises(NotFound):
            agreement_get(user=user, agreement_id=agreement_id)
    with pytest.raises(NotFound):
        kpi_get(user=requester, kpi_id=fy2566.kpis.first().pk)
    assert list(agreement_list(user=requester)) == []
    assert list(agreement_list(fiscal_year=2570)) == []


def test_results_are_listed_in_fiscal_year_order(db):
    kpi = fresh(KpiFactory())
    for round in ("12m", "2566-04", "6m", "2565-10"):
        KpiResult.objects.create(kpi=kpi, round=round, value=D(1))
    assert [r.round for r in result_list(kpi=kpi)] == ["2565-10", "6m", "2566-04", "12m"]
