"""The scoring rules: every method, both directions, the edges, deductions, live-bound KPIs,
the agreement total and the real FY2566 agreement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BANGKOK
from krabuan.kpi.models import Agreement, Kpi, KpiResult, Method
from krabuan.kpi.scoring import (
    agreement_score,
    kpi_score,
    round_key,
    round_label,
    round_parse,
    score_deliverables,
    score_direct,
    score_interpolation,
    score_shared,
)
from krabuan.kpi.services.agreements import kpi_bind_live_source
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.kpi.tests.factories import (
    AgreementFactory,
    AssessmentGroupFactory,
    DeliverableFactory,
    KpiFactory,
    MilestoneFactory,
    MilestoneStepFactory,
)
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.services.cases import case_start, step_complete

D = Decimal


def interp(value, levels=(95, "97.5", 100), **kwargs):
    return score_interpolation(D(str(value)), *(D(str(x)) for x in levels), **kwargs)


# Interpolation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("95", "50.00"), ("97.5", "75.00"), ("100", "100.00")],
)
def test_rising_exactly_on_each_threshold(value, expected):
    assert interp(value) == D(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("96.25", "62.50"), ("98.75", "87.50"), ("96", "60.00"), ("99.9", "99.00")],
)
def test_rising_between_thresholds_is_linear(value, expected):
    assert interp(value) == D(expected)


def test_above_the_top_scores_100():
    assert interp("120") == D("100.00")


def test_below_the_first_level_scores_zero_by_default():
    assert interp("94.99") == D("0.00")
    assert interp("-5") == D("0.00")


def test_below_the_first_level_extrapolates_along_the_first_segment_not_below_zero():
    assert interp("92.5", below="extrapolate") == D("25.00")
    assert interp("94", below="extrapolate") == D("40.00")
    assert interp("90", below="extrapolate") == D("0.00")
    assert interp("10", below="extrapolate") == D("0.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", "50.00"),
        ("8", "75.00"),
        ("5", "100.00"),
        ("9", "62.50"),
        ("6.5", "87.50"),
        ("4", "100.00"),
        ("12", "0.00"),
    ],
)
def test_falling_mirrors_rising(value, expected):
    assert interp(value, (10, 8, 5), direction="falling") == D(expected)


def test_falling_extrapolates_upwards_from_the_first_level():
    assert interp("11", (10, 8, 5), direction="falling", below="extrapolate") == D("37.50")
    assert interp("20", (10, 8, 5), direction="falling", below="extrapolate") == D("0.00")


def test_equal_basic_and_standard_do_not_divide_by_zero():
    levels = (90, 90, 100)
    assert interp("90", levels) == D("75.00")  # reaching both levels: the higher one counts
    assert interp("95", levels) == D("87.50")
    assert interp("89", levels) == D("0.00")
    # The first segment is a point: continue along basic → advanced (50 points over 10).
    assert interp("85", levels, below="extrapolate") == D("25.00")


def test_equal_standard_and_advanced_do_not_divide_by_zero():
    levels = (90, 95, 95)
    assert interp("95", levels) == D("100.00")
    assert interp("94", levels) == D("70.00")


def test_all_three_levels_equal():
    levels = (90, 90, 90)
    assert interp("90", levels) == D("100.00")
    assert interp("89", levels) == D("0.00")
    assert interp("89", levels, below="extrapolate") == D("0.00")


def test_levels_against_the_direction_are_refused():
    with pytest.raises(ValueError):
        interp("96", (100, 97.5, 95))
    with pytest.raises(ValueError):
        interp("6", (5, 8, 10), direction="falling")


def test_pmqa_420_points_scores_88_14():
    assert interp("420", ("350", "399.03", "438.93")) == D("88.14")


def test_rounding_is_half_up_at_the_end_only():
    # 50 + 25 × 0.02 / 100 = 50.005 → 50.01 (banker's rounding would give 50.00).
    assert interp("0.02", (0, 100, 200)) == D("50.01")


# Direct, deliverables, shared ---------------------------------------------------------------


def test_direct_is_the_value_capped_to_0_100():
    assert score_direct(D("98.5")) == D("98.50")
    assert score_direct(98.5) == D("98.50")
    assert score_direct(D("104")) == D("100.00")
    assert score_direct(D("-3")) == D("0.00")
    assert score_direct(D("97.555")) == D("97.56")


@pytest.fixture
def catalog_kpi(db):
    """Built like KPI 1 of FY2566: the 50-point set with its two conditions, 15 + 10 at the
    standard level, 20 + 5 at the advanced one."""
    kpi = KpiFactory(
        method=Method.DELIVERABLES,
        unit_label="คะแนน",
        level_basic=None,
        level_standard=None,
        level_advanced=None,
        weight=D(20),
    )
    items = {
        "base": DeliverableFactory(kpi=kpi, level=50, points=D(50)),
        "metadata14": DeliverableFactory(kpi=kpi, level=50, points=None),
        "five_sets": DeliverableFactory(kpi=kpi, level=50, points=None),
        "agency_catalog": DeliverableFactory(kpi=kpi, level=75, points=D(15)),
        "gd_catalog": DeliverableFactory(kpi=kpi, level=75, points=D(10)),
        "quality": DeliverableFactory(kpi=kpi, level=100, points=D(20)),
        "use": DeliverableFactory(kpi=kpi, level=100, points=D(5)),
    }
    return kpi, {name: d.pk for name, d in items.items()}


def test_deliverables_sum_level_by_level(catalog_kpi):
    kpi, ids = catalog_kpi
    base = [ids["base"], ids["metadata14"], ids["five_sets"]]
    assert score_deliverables(kpi, []) == D("0.00")
    assert score_deliverables(kpi, base) == D("50.00")
    assert score_deliverables(kpi, [*base, ids["agency_catalog"]]) == D("65.00")
    assert score_deliverables(kpi, [*base, ids["agency_catalog"], ids["quality"]]) == D("85.00")
    assert score_deliverables(kpi, list(ids.values())) == D("100.00")


def test_a_level_does_not_count_while_one_of_its_conditions_is_open(catalog_kpi):
    kpi, ids = catalog_kpi
    # Fewer than five data sets: nothing counts, not even the higher levels' deliverables.
    done = [i for name, i in ids.items() if name != "five_sets"]
    assert score_deliverables(kpi, done) == D("0.00")


def test_a_higher_level_counts_only_when_the_lower_ones_counted(db):
    kpi = KpiFactory(method=Method.DELIVERABLES, unit_label="คะแนน")
    basic = DeliverableFactory(kpi=kpi, level=50, points=D(50))
    standard_condition = DeliverableFactory(kpi=kpi, level=75, points=None)
    standard = DeliverableFactory(kpi=kpi, level=75, points=D(25))
    advanced = DeliverableFactory(kpi=kpi, level=100, points=D(25))
    assert score_deliverables(kpi, [basic.pk, standard.pk, advanced.pk]) == D("50.00")
    assert score_deliverables(kpi, [basic.pk, standard_condition.pk, advanced.pk]) == D("75.00")


def test_a_level_of_conditions_only_is_worth_the_level(db):
    kpi = KpiFactory(method=Method.DELIVERABLES, unit_label="คะแนน")
    basic = DeliverableFactory(kpi=kpi, level=50, points=None)
    standard = DeliverableFactory(kpi=kpi, level=75, points=None)
    assert score_deliverables(kpi, [basic.pk]) == D("50.00")
    assert score_deliverables(kpi, [basic.pk, standard.pk]) == D("75.00")


def test_deliverables_are_capped_at_100(db):
    kpi = KpiFactory(method=Method.DELIVERABLES, unit_label="คะแนน")
    done = [DeliverableFactory(kpi=kpi, level=50, points=D(60)).pk for _ in range(2)]
    assert score_deliverables(kpi, done) == D("100.00")


def test_a_live_source_ticks_the_deliverables_it_can_check(catalog_kpi, monkeypatch):
    """Checks match deliverables by level and keywords; met=None leaves the item to hand."""
    from django.utils import timezone

    from krabuan.core import registry
    from krabuan.kpi.models import Deliverable, KpiResult
    from krabuan.kpi.scoring import kpi_score

    kpi, ids = catalog_kpi
    texts = {
        "base": "มีคำอธิบายชุดข้อมูลของทุกชุดข้อมูล",
        "metadata14": "ต้องมีคำอธิบายข้อมูลครบถ้วนจำนวน ๑๔ รายการ",
        "five_sets": "หน่วยงานจัดทำชุดข้อมูลไม่น้อยกว่า 5 ชุดข้อมูล",
        "agency_catalog": "มีระบบบัญชีข้อมูลหน่วยงาน (Agency Data Catalog)",
        "gd_catalog": "ลงทะเบียนใน GD Catalog",
        "quality": "คุณภาพตามมาตรฐาน",
        "use": "นำข้อมูลไปใช้ประโยชน์",
    }
    for name, text in texts.items():
        Deliverable.objects.filter(pk=ids[name]).update(text=text)
    checks = [
        {"level": 50, "keywords": ["ทุกชุดข้อมูล"], "met": True},
        {"level": 50, "keywords": ["14 รายการ"], "met": True},
        {"level": 50, "keywords": ["ไม่น้อยกว่า 5"], "met": True},
        {"level": 75, "keywords": ["agency data catalog"], "met": True},
        {"level": 75, "keywords": ["GD Catalog"], "met": False},
        {"level": 100, "keywords": ["ใช้ประโยชน์"], "met": None},
    ]

    def source(*, fiscal_year, round, params):
        return registry.LiveValue(None, "ทดสอบ", timezone.now(), {"deliverables": checks})

    monkeypatch.setattr(registry, "_SOURCES", dict(registry._SOURCES))
    registry.register_live_source("test.checks", label="ทดสอบ", func=source)
    kpi.live_source = "test.checks"
    kpi.save()
    # GD Catalog ticked by hand is overruled by the check; "use" (unknown to the system) counts.
    result = KpiResult.objects.create(kpi=kpi, round="12m")
    result.deliverables_done.set([ids["gd_catalog"], ids["use"]])

    scored = kpi_score(kpi, "12m")

    assert scored.details["kind"] == "live"
    assert set(scored.details["live_met"]) == {
        ids["base"],
        ids["metadata14"],
        ids["five_sets"],
        ids["agency_catalog"],
    }
    assert scored.details["live_unmet"] == [ids["gd_catalog"]]
    assert scored.value == D("70.00")  # 50 + agency catalog 15 + use 5; no quality → level 100 open


def test_shared_takes_the_best_round_when_the_kpi_says_so():
    levels = {"basic": D(350), "standard": D("399.03"), "advanced": D("438.93")}
    values = {"6m": D(400), "9m": D(420), "12m": D(410)}
    assert score_shared(values, True, **levels) == (D(420), D("88.14"))
    # Otherwise the newest round's value.
    assert score_shared(values, False, **levels) == (D(410), D("81.87"))


def test_shared_best_is_the_lowest_for_a_falling_kpi():
    values = {"6m": D(7), "9m": D(9)}
    assert score_shared(values, True, basic=10, standard=8, advanced=5, direction="falling") == (
        D(7),
        D("83.33"),
    )


def test_shared_without_values_or_without_levels():
    assert score_shared({}, True, basic=1, standard=2, advanced=3) == (None, None)
    assert score_shared({"6m": None}, True) == (None, None)
    assert score_shared({"12m": D("93.456")}, False) == (D("93.456"), D("93.46"))


# Rounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("6m", "6m"),
        (" 12M ", "12m"),
        ("2566-03", "2566-03"),
        ("2023-03", "2566-03"),
        ("๒๕๖๕-๑๐", "2565-10"),
        ("2566-9", "2566-09"),
    ],
)
def test_round_parse_accepts_rounds_and_months_of_the_fiscal_year(text, stored):
    assert round_parse(text, fiscal_year=2566) == stored


@pytest.mark.parametrize("text", ["2566-10", "2565-09", "2024-03", "2566-13", "3m", "", None])
def test_round_parse_refuses_others_naming_the_round(text):
    with pytest.raises(ApplicationError) as refused:
        round_parse(text, fiscal_year=2566)
    assert list(refused.value.fields) == ["round"]


def test_round_order_puts_each_round_after_the_month_it_closes():
    rounds = ["12m", "2566-04", "6m", "2565-10", "2566-03", "9m", "2566-09"]
    assert sorted(rounds, key=round_key) == [
        "2565-10",
        "2566-03",
        "6m",
        "2566-04",
        "9m",
        "2566-09",
        "12m",
    ]
    assert round_label("2566-03") == "มี.ค. 2566"
    assert round_label("6m") == "รอบ ๖ เดือน"


# One KPI ----------------------------------------------------------------------------------


def result(kpi, round, value=None, *, steps=(), deliverables=()):
    row = KpiResult.objects.create(kpi=kpi, round=round, value=value)
    row.milestone_steps_done.set(steps)
    row.deliverables_done.set(deliverables)
    return row


def test_interpolation_kpi_score_and_weight(db):
    kpi = KpiFactory(weight=D(15))
    result(kpi, "12m", D("98.75"))
    score = kpi_score(kpi, "12m")
    assert (score.value, score.score, score.deduction) == (D("98.75"), D("87.50"), D("0.00"))
    assert score.weighted == D("13.13")  # 87.5 × 15 / 100 = 13.125, half up
    assert score.details["kind"] == "result"
    assert score.details["result_round"] == "12m"
    assert score.source == "บันทึกผลการดำเนินงาน รอบ ๑๒ เดือน"


def test_the_agreement_setting_decides_below_the_first_level(db):
    kpi = KpiFactory(agreement=AgreementFactory(below_first_level="extrapolate"))
    result(kpi, "12m", D("92.5"))
    assert kpi_score(kpi, "12m").score == D("25.00")
    assert kpi_score(kpi, "12m", below="zero").score == D("0.00")


def test_disbursement_98_5_percent_scores_98_5(db):
    kpi = KpiFactory(method=Method.DIRECT)
    result(kpi, "12m", D("98.5"))
    score = kpi_score(kpi, "12m")
    assert (score.value, score.score, score.weighted) == (D("98.5"), D("98.50"), D("14.78"))


def test_a_round_without_its_own_result_takes_the_newest_month_inside_it(db):
    kpi = KpiFactory(method=Method.DIRECT)
    result(kpi, "2566-02", D(40))  # fiscal month 5: inside the 6-month round
    result(kpi, "2566-08", D(90))  # fiscal month 11: inside the 12-month round
    result(kpi, "2566-07", D(80))
    assert kpi_score(kpi, "6m").value == D(40)
    assert kpi_score(kpi, "9m").value is None  # no month of April–June, no 9m result
    assert kpi_score(kpi, "12m").value == D(90)
    assert kpi_score(kpi, "2566-07").value == D(80)
    assert kpi_score(kpi, "2566-06").value is None


def test_no_result_gives_no_score(db):
    kpi = KpiFactory()
    score = kpi_score(kpi, "12m")
    assert (score.value, score.score, score.weighted) == (None, None, None)
    assert score.source == "ยังไม่มีผลการดำเนินงาน"


def test_deliverables_kpi_counts_what_was_done_by_the_round(catalog_kpi):
    kpi, ids = catalog_kpi
    result(kpi, "6m", deliverables=[ids["base"], ids["metadata14"], ids["five_sets"]])
    result(kpi, "12m", deliverables=[ids["agency_catalog"], ids["gd_catalog"]])
    assert kpi_score(kpi, "6m").score == D("50.00")
    twelve = kpi_score(kpi, "12m")
    assert (twelve.value, twelve.score, twelve.weighted) == (D("75.00"), D("75.00"), D("15.00"))
    assert twelve.details["levels_counted"] == [50, 75, 100]  # 100 has no condition to wait on
    assert twelve.details["levels_complete"] == [50, 75]
    assert twelve.details["blocked_level"] is None


def test_shared_kpi_best_of_rounds(db):
    kpi = KpiFactory(
        method=Method.SHARED,
        unit_label="คะแนน",
        level_basic=D(350),
        level_standard=D("399.03"),
        level_advanced=D("438.93"),
        best_of_rounds=True,
    )
    result(kpi, "9m", D(420))
    result(kpi, "12m", D(405))
    score = kpi_score(kpi, "12m")
    assert (score.value, score.score) == (D(420), D("88.14"))
    assert score.details["result_round"] == "9m"


def test_levels_against_the_direction_give_no_score_and_say_why(db):
    kpi = KpiFactory(level_basic=D(100), level_standard=D(90), level_advanced=D(80))
    result(kpi, "12m", D(95))
    score = kpi_score(kpi, "12m")
    assert score.score is None
    assert score.details["error"] == "ค่าเป้าหมาย ๓ ระดับไม่เรียงตามทิศทางของตัวชี้วัด"


# Deductions -------------------------------------------------------------------------------


@pytest.fixture
def deducted_kpi(db):
    """Like KPIs 1 and 2: 10 points off for each round whose steps are not all done."""
    kpi = KpiFactory(method=Method.DIRECT, deduction_points=D(10))
    six = MilestoneFactory(kpi=kpi, round="6m")
    nine = MilestoneFactory(kpi=kpi, round="9m")
    steps = {
        "6m": [MilestoneStepFactory(milestone=six) for _ in range(2)],
        "9m": [MilestoneStepFactory(milestone=nine)],
    }
    return kpi, steps


def test_deduction_when_a_rounds_steps_are_not_all_done(deducted_kpi):
    kpi, steps = deducted_kpi
    result(kpi, "6m", D(60), steps=[steps["6m"][0]])
    score = kpi_score(kpi, "6m")
    assert (score.score, score.deduction) == (D("50.00"), D("10.00"))
    assert score.details["score_before_deduction"] == D("60.00")
    assert score.details["missed_rounds"] == ["6m"]
    assert score.details["milestones"]["6m"]["steps_done"] == 1


def test_no_deduction_when_every_step_is_done(deducted_kpi):
    kpi, steps = deducted_kpi
    result(kpi, "2566-01", steps=[steps["6m"][0]])  # a monthly report counts towards the round
    result(kpi, "6m", D(60), steps=[steps["6m"][1]])
    score = kpi_score(kpi, "6m")
    assert (score.score, score.deduction) == (D("60.00"), D("0.00"))


def test_the_year_score_carries_each_missed_rounds_deduction(deducted_kpi):
    kpi, steps = deducted_kpi
    result(kpi, "6m", D(50), steps=[steps["6m"][0]])
    # Finishing the 6-month steps only in the 9-month report is late for the 6-month round.
    result(kpi, "9m", D(75), steps=[steps["6m"][1], steps["9m"][0]])
    result(kpi, "12m", D(99))
    assert kpi_score(kpi, "9m").deduction == D("0.00")
    twelve = kpi_score(kpi, "12m")
    assert (twelve.score, twelve.deduction) == (D("89.00"), D("10.00"))
    assert twelve.details["missed_rounds"] == ["6m"]


def test_both_rounds_missed_deducts_twice_and_never_below_zero(deducted_kpi):
    kpi, _steps = deducted_kpi
    result(kpi, "12m", D(15))
    score = kpi_score(kpi, "12m")
    assert (score.score, score.deduction, score.weighted) == (D("0.00"), D("20.00"), D("0.00"))
    assert score.details["missed_rounds"] == ["6m", "9m"]


def test_a_month_is_never_deducted(deducted_kpi):
    kpi, _steps = deducted_kpi
    result(kpi, "2566-04", D(70))
    assert kpi_score(kpi, "2566-04").deduction == D("0.00")
    assert kpi_score(kpi, "2566-04").score == D("70.00")


def test_kpi_5_style_deducts_nothing_for_missed_steps(db):
    kpi = KpiFactory(method=Method.DIRECT, deduction_points=D(0))
    MilestoneStepFactory(milestone=MilestoneFactory(kpi=kpi, round="6m"))
    result(kpi, "6m", D(80))
    score = kpi_score(kpi, "6m")
    assert (score.score, score.deduction) == (D("80.00"), D("0.00"))
    assert score.details["missed_rounds"] == ["6m"]  # shown, but not deducted


# Live-bound KPIs --------------------------------------------------------------------------


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


@pytest.fixture
def fy2567_manual(demo_org):
    return manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual


def test_a_live_bound_kpi_scores_from_the_workflow_engine(fy2567_manual, director):
    worker = UserFactory(username="worker")
    Membership.objects.create(
        user=worker, unit=Unit.objects.get(code="ict-network"), role=Role.OFFICER
    )
    agreement = AgreementFactory(fiscal_year=2567, unit=Unit.objects.get(code="ict"))
    kpi = KpiFactory(
        agreement=agreement,
        level_basic=D(40),
        level_standard=D(60),
        level_advanced=D(80),
        evidence_required=True,
    )
    kpi_bind_live_source(
        kpi=kpi, key="workflow.process_on_time_pct", params={"process_code": "C01"}, actor=director
    )
    c01 = fy2567_manual.processes.get(code="C01")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c01, title="ทบทวนแผนปฏิบัติการดิจิทัล", actor=worker)
    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):  # step 1: one day, on time
        step_complete(instance=case.steps.get(order=1, status="active"), actor=worker)
    with time_machine.travel(at(2024, 5, 30, 10, 0), tick=False):  # step 2: 7 days, late
        step_complete(instance=case.steps.get(order=2, status="active"), actor=worker)

    with time_machine.travel(at(2024, 6, 1, 12, 0), tick=False):
        score = kpi_score(Kpi.objects.get(pk=kpi.pk), "9m")
    assert (score.value, score.score) == (D("50.00"), D("62.50"))
    assert score.source == "ระบบติดตามกระบวนงาน: C01 ปีงบประมาณ 2567"
    assert score.details["kind"] == "live"
    assert score.details["measured_at"] == at(2024, 6, 1, 12, 0)
    assert score.details["live"]["steps_completed"] == 2
    assert score.details["live"]["steps_on_time"] == 1


def test_a_live_bound_kpi_whose_source_is_gone_shows_why(db):
    kpi = KpiFactory(live_source="nowhere.gone")
    score = kpi_score(kpi, "12m")
    assert score.score is None
    assert score.details["error"] == "ไม่พบแหล่งข้อมูลอัตโนมัติ nowhere.gone"


# The agreement ----------------------------------------------------------------------------


def _agreement_with(count: int) -> Agreement:
    agreement = AgreementFactory(fiscal_year=2566 + count)
    group = AssessmentGroupFactory(agreement=agreement)
    for number in range(1, count + 1):
        kpi = KpiFactory(agreement=agreement, group=group, number=number, weight=D(10))
        step = MilestoneStepFactory(milestone=MilestoneFactory(kpi=kpi, round="6m"))
        DeliverableFactory(kpi=kpi)
        result(kpi, "6m", D(96), steps=[step])
        result(kpi, "12m", D(99))
    return agreement


def test_agreement_score_reads_with_a_fixed_number_of_queries(db):
    small, large = _agreement_with(2), _agreement_with(6)
    counts = []
    for agreement in (small, large):
        fresh = Agreement.objects.get(pk=agreement.pk)
        with CaptureQueriesContext(connection) as queries:
            score = agreement_score(fresh, "12m")
        counts.append(len(queries))
        assert len(score["kpis"]) == agreement.kpis.count()
    assert counts[0] == counts[1]


def test_agreement_total_groups_and_projection(db):
    agreement = AgreementFactory()
    performance = AssessmentGroupFactory(agreement=agreement, code="performance", weight=D(70))
    potential = AssessmentGroupFactory(agreement=agreement, code="potential", weight=D(30))
    direct = KpiFactory(
        agreement=agreement, group=performance, number=3, weight=D(15), method=Method.DIRECT
    )
    levels = KpiFactory(agreement=agreement, group=performance, number=4, weight=D(15))
    pmqa = KpiFactory(
        agreement=agreement,
        group=potential,
        number=6,
        weight=D(15),
        method=Method.SHARED,
        unit_label="คะแนน",
        best_of_rounds=True,
        level_basic=D(350),
        level_standard=D("399.03"),
        level_advanced=D("438.93"),
    )
    result(direct, "12m", D("98.5"))
    result(levels, "9m", D("97.5"))  # no 12m result yet
    result(pmqa, "12m", D(420))

    score = agreement_score(Agreement.objects.get(pk=agreement.pk), "12m")
    rows = {row["id"]: row for row in score["kpis"]}
    assert rows[direct.pk]["score"] == D("98.50")
    assert rows[direct.pk]["weighted"] == D("14.78")
    assert rows[levels.pk]["score"] is None
    assert rows[pmqa.pk]["score"] == D("88.14")
    assert rows[pmqa.pk]["weighted"] == D("13.22")
    assert score["total"] == D("28.00")  # 14.78 + 13.22
    assert score["missing"] == [levels.pk]
    # Projected: KPI 4's 9-month value carried to the year end (75 × 15 / 100 = 11.25).
    assert rows[levels.pk]["projected_score"] == D("75.00")
    assert score["projected_total"] == D("39.25")
    groups = {g["code"]: g for g in score["groups"]}
    assert groups["performance"]["total"] == D("14.78")
    assert groups["performance"]["projected_total"] == D("26.03")
    assert groups["potential"]["total"] == D("13.22")
    assert groups["potential"]["kpi_weight"] == D("15.00")


def test_agreement_score_refuses_a_round_outside_the_year(db):
    agreement = AgreementFactory()
    with pytest.raises(ApplicationError) as refused:
        agreement_score(agreement, "2567-03")
    assert list(refused.value.fields) == ["round"]


# The real FY2566 agreement ----------------------------------------------------------------


@pytest.fixture
def fy2566(demo_org) -> Agreement:
    return agreement_fixture_load(path=fixture_path(2566)).agreement


def test_fy2566_pmqa_420_and_disbursement_98_5(fy2566):
    pmqa = fy2566.kpis.get(number=6)
    disbursement = fy2566.kpis.get(number=3)
    result(pmqa, "12m", D(420))
    result(disbursement, "12m", D("98.5"))
    score = agreement_score(Agreement.objects.get(pk=fy2566.pk), "12m")
    rows = {row["number"]: row for row in score["kpis"]}
    assert (rows[6]["score"], rows[6]["weighted"]) == (D("88.14"), D("13.22"))
    assert (rows[3]["score"], rows[3]["weighted"]) == (D("98.50"), D("14.78"))
    assert score["total"] == D("28.00")
    assert sorted(score["missing"]) == sorted(
        fy2566.kpis.exclude(number__in=[3, 6]).values_list("pk", flat=True)
    )


def test_fy2566_deducts_for_kpis_1_and_2_but_not_5(fy2566):
    by_number = {kpi.number: kpi for kpi in fy2566.kpis.all()}
    for number in (1, 2, 5):
        kpi = by_number[number]
        first = kpi.deliverables.filter(level=50)
        result(kpi, "6m", deliverables=list(first))  # no milestone step done
    score = agreement_score(Agreement.objects.get(pk=fy2566.pk), "6m")
    rows = {row["number"]: row for row in score["kpis"]}
    # KPI 1: the 50-point set with its two conditions (14 metadata items, 5 data sets).
    assert (rows[1]["score"], rows[1]["deduction"]) == (D("40.00"), D("10.00"))
    assert (rows[2]["score"], rows[2]["deduction"]) == (D("40.00"), D("10.00"))
    assert (rows[5]["score"], rows[5]["deduction"]) == (D("50.00"), D("0.00"))
