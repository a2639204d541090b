"""Loading the FY2566 agreement from its fixture: idempotence, the seed's numbers, bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from krabuan.core.errors import ApplicationError, Conflict
from krabuan.core.models import AuditEntry
from krabuan.kpi.models import Agreement, AssessmentGroup, Deliverable, Kpi, KpiResult
from krabuan.kpi.scoring import score_deliverables, score_interpolation
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path

FY2566 = fixture_path(2566)


@pytest.fixture
def agreement(demo_org) -> Agreement:
    return agreement_fixture_load(path=FY2566).agreement


def _kpi(agreement: Agreement, number: int) -> Kpi:
    return agreement.kpis.get(number=number)


def _fixture(tmp_path: Path, change) -> Path:
    """A copy of the FY2566 fixture with `change(data)` applied."""
    data = json.loads(FY2566.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "fy2566.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- idempotence


def test_second_load_is_a_no_op(demo_org):
    first = agreement_fixture_load(path=FY2566)
    Kpi.objects.filter(agreement=first.agreement, number=1).update(name="แก้ไขในระบบ")

    second = agreement_fixture_load(path=FY2566)

    assert (first.created, second.created) == (True, False)
    assert second.agreement.pk == first.agreement.pk
    assert second.kpis == 6
    assert Agreement.objects.count() == 1
    assert Kpi.objects.count() == 6
    assert Kpi.objects.get(number=1).name == "แก้ไขในระบบ"
    assert AuditEntry.objects.filter(action="kpi.agreement_load").count() == 1


def test_replace_reloads_from_the_fixture(demo_org, admin_user):
    first = agreement_fixture_load(path=FY2566)
    Kpi.objects.filter(agreement=first.agreement, number=1).update(name="แก้ไขในระบบ")

    again = agreement_fixture_load(path=FY2566, actor=admin_user, replace=True)

    assert again.created is True
    assert Agreement.objects.count() == 1
    assert AssessmentGroup.objects.count() == 2
    assert Kpi.objects.count() == 6
    assert Kpi.objects.get(number=1).name == (
        "การพัฒนาระบบบัญชีข้อมูล (Data Catalog) เพื่อนำไปสู่การเปิดเผยข้อมูลภาครัฐ (Open Data)"
    )
    entry = AuditEntry.objects.filter(action="kpi.agreement_load").first()
    assert entry is not None
    assert entry.actor == admin_user
    assert entry.changes == {"source": "fy2566.json", "kpis": 6, "replaced": True}


def test_replace_is_refused_once_results_exist(agreement):
    KpiResult.objects.create(kpi=_kpi(agreement, 3), round="6m", value=Decimal("55"))

    with pytest.raises(Conflict) as exc:
        agreement_fixture_load(path=FY2566, replace=True)

    assert "มีผลการดำเนินงานบันทึกไว้แล้ว 1 รายการ" in exc.value.message
    assert Agreement.objects.get().pk == agreement.pk
    assert KpiResult.objects.count() == 1


def test_command_loads_once(demo_org):
    out = StringIO()
    call_command("load_agreement", "--year", "2566", stdout=out)
    call_command("load_agreement", "--year", "2566", stdout=out)

    assert out.getvalue().splitlines() == [
        "Agreement FY2566: loaded; 6 KPIs",
        "Agreement FY2566: already present (use --replace to reload); 6 KPIs",
    ]
    assert Agreement.objects.count() == 1


def test_command_without_a_fixture_for_the_year(demo_org):
    with pytest.raises(CommandError, match="no agreement fixture for fiscal year 2501"):
        call_command("load_agreement", "--year", "2501")
    assert Agreement.objects.count() == 0


# ---------------------------------------------------------------- the agreement's header


def test_header_has_positions_dates_and_period(agreement):
    assert agreement.fiscal_year == 2566
    assert agreement.unit.code == "ict"
    assert agreement.title == "คำรับรองการปฏิบัติราชการ ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert (agreement.period_start, agreement.period_end) == (
        dt.date(2022, 10, 1),
        dt.date(2023, 9, 30),
    )
    assert agreement.maker_position == "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert agreement.maker_signed_on == dt.date(2022, 12, 31)
    assert agreement.approver_position == "ผู้ช่วยปลัดกระทรวงเกษตรและสหกรณ์"
    assert agreement.approver_signed_on == dt.date(2022, 12, 27)
    assert agreement.below_first_level == "zero"
    assert agreement.notes.startswith("คำรับรองนี้เป็นคำรับรองฝ่ายเดียว มิใช่สัญญา")


def test_groups_weights_and_membership(agreement):
    groups = list(agreement.groups.order_by("sort_order"))
    weights = [k.weight for k in agreement.kpis.order_by("number")]

    assert [(g.code, g.name, g.weight) for g in groups] == [
        ("performance", "การประเมินประสิทธิภาพการดำเนินงาน (Performance Base)", Decimal("70")),
        ("potential", "การประเมินศักยภาพในการดำเนินงาน (Potential Base)", Decimal("30")),
    ]
    assert weights == [Decimal(w) for w in (20, 20, 15, 15, 15, 15)]
    assert sum(weights) == Decimal("100")
    assert [list(g.kpis.order_by("number").values_list("number", flat=True)) for g in groups] == [
        [1, 2, 3, 4],
        [5, 6],
    ]
    for group in groups:
        assert sum(k.weight for k in group.kpis.all()) == group.weight


def test_kinds_units_and_responsible_positions(agreement):
    kpis = list(agreement.kpis.order_by("number"))

    assert [k.kind for k in kpis] == [
        "continuing",
        "new",
        "continuing",
        "continuing",
        "new",
        "continuing",
    ]
    assert [k.unit_label for k in kpis] == ["คะแนน", "คะแนน", "ร้อยละ", "ร้อยละ", "คะแนน", "คะแนน"]
    assert {k.responsible for k in kpis} == {"ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"}
    assert {k.direction for k in kpis} == {"rising"}


# ---------------------------------------------------------------- baselines, roadmaps, levels


def _series(kpi: Kpi, name: str) -> list[tuple[int, Decimal | None]]:
    return [(row.year, row.value) for row in getattr(kpi, name).order_by("year")]


def test_baselines(agreement):
    assert _series(_kpi(agreement, 3), "baselines") == [
        (2562, Decimal("97.55")),
        (2563, Decimal("97.68")),
        (2564, Decimal("96.62")),
        (2565, Decimal("99.23")),
    ]
    assert _series(_kpi(agreement, 4), "baselines") == [
        (2562, Decimal("94.89")),
        (2563, Decimal("94.63")),
        (2564, Decimal("98.93")),
        (2565, Decimal("99.29")),
    ]
    assert _series(_kpi(agreement, 6), "baselines") == [
        (2563, Decimal("360.76")),
        (2564, Decimal("414.72")),
        (2565, Decimal("399.03")),
    ]
    assert [(b.year, b.value, b.text) for b in _kpi(agreement, 2).baselines.all()] == [
        (2563, None, "ไม่มี"),
        (2564, None, "ไม่มี"),
        (2565, None, "ข้อมูลผลการสำรวจการจัดเก็บและประมวลผลข้อมูลส่วนบุคคลของ สป.กษ."),
    ]
    assert _kpi(agreement, 1).baselines.count() == 0


def test_roadmaps(agreement):
    assert _series(_kpi(agreement, 6), "roadmap") == [
        (2566, Decimal("420")),
        (2567, Decimal("440")),
        (2568, Decimal("460")),
    ]
    assert _series(_kpi(agreement, 3), "roadmap") == [(2566, Decimal(100)), (2567, Decimal(100))]
    assert _series(_kpi(agreement, 4), "roadmap") == [(2566, Decimal(100)), (2567, Decimal(100))]
    assert [(r.year, r.text) for r in _kpi(agreement, 5).roadmap.all()] == [
        (2566, "คณะทำงาน/เอกสาร/ช่องทาง/การสร้างการตระหนักรู้"),
        (2567, "การกำกับติดตาม/มาตรการรับแจ้ง/แนวปฏิบัติเมื่อเกิดเหตุละเมิด"),
        (2568, "ทบทวน/ประเมินผล/ปรับปรุงขั้นตอนและมาตรการ"),
    ]


def _levels(kpi: Kpi) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    return (kpi.level_basic, kpi.level_standard, kpi.level_advanced)


def test_levels(agreement):
    pmqa = _kpi(agreement, 6)

    assert _levels(pmqa) == (Decimal("350"), Decimal("399.03"), Decimal("438.93"))
    assert pmqa.levels_text == (
        "เป้าหมายขั้นต้น (50)\n350\nเป้าหมายมาตรฐาน (75)\n399.03 (คะแนนปี 2565)\n"
        "เป้าหมายขั้นสูง (100)\n438.93 (คะแนนปี 2565 + 10 %)"
    )
    # The example on the loaded levels: PMQA 420 points → 88.14.
    levels = [v for v in _levels(pmqa) if v is not None]
    assert score_interpolation(Decimal(420), *levels) == Decimal("88.14")
    assert _levels(_kpi(agreement, 4)) == (Decimal("95"), Decimal("97.5"), Decimal("100"))
    for number in (1, 2, 3, 5):
        assert _levels(_kpi(agreement, number)) == (None, None, None)
    assert _kpi(agreement, 2).levels_text.splitlines() == [
        "เป้าหมายขั้นต้น (50)",
        "ชี้แจงแนวทางการดำเนินการตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล (PDPA) ของ สป.กษ.",
        "เป้าหมายมาตรฐาน (75)",
        "จัดทำประกาศความเป็นส่วนตัว (Privacy Notice) ของข้อมูลส่วนบุคคลของ สป.กษ.",
        "เป้าหมายขั้นสูง (100)",
        "เสนอหัวหน้าหน่วยงานพิจารณาผลการดำเนินงานการคุ้มครองข้อมูลส่วนบุคคล ของสปกษ "
        "ภายใต้ พรบ. ข้อมูลส่วนบุคคล (PDPA) ของ สป.กษ.",
    ]


# ---------------------------------------------------------------- methods


def test_methods(agreement):
    kpis = agreement.kpis.order_by("number")

    assert [k.method for k in kpis] == [
        "deliverables",
        "deliverables",
        "direct",
        "interpolation",
        "deliverables",
        "shared",
    ]
    assert [k.best_of_rounds for k in kpis] == [False, False, False, False, False, True]
    assert _kpi(agreement, 6).data_source == "รับค่าคะแนน สป.กษ. ร่วมกันทุกสำนัก/กอง"


def test_kpi3_keeps_the_summary_table_rule_as_the_alternative(agreement):
    disbursement = _kpi(agreement, 3)

    assert disbursement.method == "direct"
    assert disbursement.alternative_rule == {
        "method": "interpolation",
        "levels": [95, 97.5, 100],
        "source": "ตารางสรุป",
    }
    assert "ร้อยละผลการเบิกจ่ายที่ดำเนินการได้ = คะแนนที่ได้" in disbursement.method_note
    assert "(ร้อยละ 95 / 97.5 / 100)" in disbursement.method_note
    assert disbursement.levels_text.splitlines()[0] == ("ร้อยละผลการเบิกจ่ายที่ดำเนินการได้ = คะแนนที่ได้")
    assert disbursement.data_source == (
        "ใช้ข้อมูลการเบิกจ่ายดังกล่าวจากระบบการบริหารการเงินการคลังภาครัฐแบบอิเล็กทรอนิกส์ (GFMIS) จากกองคลัง"
    )


# ---------------------------------------------------------------- milestones and steps


def test_every_kpi_has_6_and_9_month_milestones_with_steps(agreement):
    shape = {
        k.number: [(m.round, m.steps.count()) for m in k.milestones.order_by("round")]
        for k in agreement.kpis.all()
    }

    assert shape == {
        1: [("6m", 1), ("9m", 1)],
        2: [("6m", 3), ("9m", 5)],
        3: [("6m", 1), ("9m", 1)],
        4: [("6m", 1), ("9m", 1)],
        5: [("6m", 6), ("9m", 6)],
        6: [("6m", 5), ("9m", 5)],
    }


def test_percentage_milestones(agreement):
    def targets(number: int) -> list[tuple[str, Decimal | None, str]]:
        return [
            (m.round, m.target_value, m.steps.get().text)
            for m in _kpi(agreement, number).milestones.order_by("round")
        ]

    assert targets(3) == [
        ("6m", Decimal("52"), "รอบ 6 เดือน สำนัก/กอง มีผลการเบิกจ่าย ไม่น้อยกว่า ร้อยละ 52"),
        ("9m", Decimal("75"), "รอบ 9 เดือน สำนัก/กอง มีผลการเบิกจ่าย ไม่น้อยกว่า ร้อยละ 75"),
    ]
    assert targets(4) == [
        ("6m", Decimal("60"), "รอบ 6 เดือน สำนัก/กอง มีผลการดำเนินงาน ไม่น้อยกว่าร้อยละ 60"),
        ("9m", Decimal("90"), "รอบ 9 เดือน สำนัก/กอง มีผลการดำเนินงาน ไม่น้อยกว่าร้อยละ 90"),
    ]


def test_kpi1_template_steps_have_due_dates(agreement):
    steps = [
        (m.round, s.due_on, s.text)
        for m in _kpi(agreement, 1).milestones.order_by("round")
        for s in m.steps.all()
    ]

    assert steps == [
        (
            "6m",
            dt.date(2023, 3, 31),
            "จัดส่ง Template 1 ชื่อชุดข้อมูล และ Template 2 ที่ใช้ในการจัดทำคำอธิบายชุดข้อมูล "
            "(Metadata) ให้ สสข. ภายใน มี.ค. 2566",
        ),
        (
            "9m",
            dt.date(2023, 5, 31),
            "จัดส่ง Template 3 แบบฟอร์มคำอธิบายของทรัพยากร (Resource Metadata) ให้ สสข. ภายใน พ.ค. 2566",
        ),
    ]


def test_pdpa_milestones_list_their_deliverables_and_steps(agreement):
    six, nine = _kpi(agreement, 5).milestones.order_by("round")

    assert six.target_text.splitlines() == [
        "1. คณะทำงานคุ้มครองข้อมูลส่วนบุคคล สป.กษ",
        "2. ชุดรายการข้อมูลส่วนบุคคลของ สป.กษ.",
        "3. จัดทำบันทึกกิจกรรมการดำเนินงาน (RoPA) ของข้อมูลส่วนบุคคลของหน่วยงาน",
        "4. จัดทำประกาศความเป็นส่วนตัว (Privacy Notice) ของข้อมูลส่วนบุคคลของหน่วยงาน",
    ]
    assert nine.target_text.splitlines()[3:] == [
        "4. เอกสาร",
        "- ข้อตกลงการประมวลผลข้อมูลส่วนบุคคล (Data Processing Agreement)",
        "- ข้อเสนอ การรับแจ้งเหตุการณ์ละเมิด และแนวปฏิบัติเมื่อเกิดเหตุการณ์รั่วไหลของข้อมูลส่วนบุคคล",
    ]
    six_steps = [s.text for s in six.steps.all()]
    nine_steps = [s.text for s in nine.steps.all()]
    assert six_steps[0] == "มอบหมายผู้แทนหน่วยงาน เข้าร่วมเป็น คณะทำงานคุ้มครองข้อมูลส่วนบุคคล สป.กษ."
    # Item 6 mentions "ขั้นตอนที่ 2) - 4)" and must stay one step, not be split at "2)".
    assert nine_steps[-1] == "เสนอหัวหน้าหน่วยงานพิจารณาเห็นชอบ ผลการดำเนินงาน ในขั้นตอนที่ 2) - 4)"
    assert [s.sort_order for s in nine.steps.all()] == [0, 1, 2, 3, 4, 5]


# ---------------------------------------------------------------- deliverables and deductions


def _deliverables(kpi: Kpi) -> list[tuple[int, Decimal | None]]:
    return [(d.level, d.points) for d in kpi.deliverables.all()]


def test_kpi1_deliverable_points_and_conditions(agreement):
    catalog = _kpi(agreement, 1)
    points = [d.points for d in catalog.deliverables.all() if d.points is not None]
    conditions = [d.text for d in catalog.deliverables.filter(points__isnull=True)]

    assert _deliverables(catalog) == [
        (50, None),
        (50, None),
        (50, None),
        (50, None),
        (50, None),
        (75, Decimal(15)),
        (75, Decimal(10)),
        (100, Decimal(20)),
        (100, Decimal(5)),
    ]
    assert points == [Decimal(15), Decimal(10), Decimal(20), Decimal(5)]
    assert conditions == [
        "มีรายชื่อชุดข้อมูลที่มีคุณค่าสามารถนำไปใช้ตอบโจทย์การพัฒนาประเทศหรือการบริการประชาชน",
        "มีคำอธิบายชุดข้อมูล (Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด (14 รายการ) ของทุกชุดข้อมูล",
        "มีคำอธิบายทรัพยากรข้อมูล (Resource) ของชุดข้อมูลเปิดทั้งหมด",
        "ในแต่ละชุดข้อมูล (Data Set) ต้องมีการจัดทำคำอธิบายข้อมูล (Metadata) ครบถ้วนจำนวน 14 รายการ "
        "หากส่วนราชการมีการจัดทำรายละเอียดไม่ครบ 14 รายการในแต่ละชุดข้อมูล จะไม่นับผลการดำเนินงาน",
        "หน่วยงานจัดทำชุดข้อมูลไม่น้อยกว่า 5 ชุดข้อมูล",
    ]
    assert catalog.deliverables.get(level=75, points=10).text == (
        "ชุดข้อมูลเปิดทั้งหมด ถูกนำมาลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ (GD Catalog)"
    )


def test_kpi1_deliverables_score_50_then_15_10_20_5_up_to_100(agreement):
    catalog = _kpi(agreement, 1)
    basic = list(catalog.deliverables.filter(level=50).values_list("pk", flat=True))
    by_points = {int(d.points or 0): d.pk for d in catalog.deliverables.exclude(points=None)}

    assert score_deliverables(catalog, []) == Decimal(0)
    assert score_deliverables(catalog, basic) == Decimal(50)
    assert score_deliverables(catalog, [*basic, by_points[15]]) == Decimal(65)
    assert score_deliverables(catalog, [*basic, by_points[15], by_points[10]]) == Decimal(75)
    assert score_deliverables(catalog, [*basic, *by_points.values()]) == Decimal(100)
    # Without "at least 5 datasets" nothing counts, whatever else is done.
    assert score_deliverables(catalog, [*basic[:-1], *by_points.values()]) == Decimal(0)


def test_pdpa_deliverables_are_the_levels_conditions(agreement):
    for number in (2, 5):
        kpi = _kpi(agreement, number)
        by_level = {
            level: [d.pk for d in kpi.deliverables.filter(level=level)] for level in (50, 75, 100)
        }
        assert {d.points for d in kpi.deliverables.all()} == {None}
        assert score_deliverables(kpi, by_level[50]) == Decimal(50)
        assert score_deliverables(kpi, by_level[50] + by_level[75]) == Decimal(75)
        assert score_deliverables(kpi, by_level[50] + by_level[75] + by_level[100]) == Decimal(100)
        assert score_deliverables(kpi, by_level[100]) == Decimal(0)
    assert [(d.level, d.text) for d in _kpi(agreement, 5).deliverables.all()] == [
        (
            50,
            "สำนัก/กอง มีรายงานการ ทบทวนรายการข้อมูลส่วนบุคคล การเก็บรักษา และทำลายข้อมูลส่วนบุคคล",
        ),
        (75, "สำนัก/กอง จัดทำบันทึกกิจกรรมการดำเนินงาน (RoPA) ของข้อมูลส่วนบุคคลของหน่วยงาน"),
        (100, "(1) จัดทำประกาศความเป็นส่วนตัว (Privacy Notice) ของข้อมูลส่วนบุคคลของหน่วยงาน"),
        (
            100,
            "(2) นำเสนอ เนื้อหา (content) การคุ้มครองข้อมูลส่วนบุคคลของหน่วยงาน ในรูปแบบ infographic "
            "เผยแพร่บนเว็บไซต์ที่กำหนด",
        ),
    ]
    assert Deliverable.objects.filter(kpi__number__in=(3, 4, 6)).count() == 0


def test_deductions(agreement):
    kpis = agreement.kpis.order_by("number")

    assert [k.deduction_points for k in kpis] == [Decimal(p) for p in (10, 10, 0, 0, 0, 0)]
    assert _kpi(agreement, 1).deduction_rule == (
        "ในแต่ละรอบการประเมิน หากไม่สามารถดำเนินการได้ครบทุกขั้นตอนจะถูกร้อยละ 10 คะแนน"
    )
    assert _kpi(agreement, 2).deduction_rule == (
        "ในแต่ละรอบการประเมิน หากไม่สามารถดำเนินการได้ครบทุกขั้นตอนจะถูกหักร้อยละ 10 คะแนน"
    )
    assert _kpi(agreement, 5).deduction_rule == (
        "เนื่องจากตัวชี้วัด PDPA ของทุก สำนัก/กอง เป็นตัวชี้วัดในภาพรวมของ สป.กษ. "
        "ดังนั้นจึงไม่หักคะแนนในกรณีที่ดำเนินการไม่ครบทุกขั้นตอน"
    )
    assert [k.deduction_rule for k in kpis if k.number in (3, 4, 6)] == ["", "", ""]


# ---------------------------------------------------------------- the fixture itself


def test_fixture_has_no_staff_names_and_no_thai_digits():
    text = FY2566.read_text(encoding="utf-8")

    for name in ("ธิตี", "โลหะปิยะพรรณ", "สัญญาชัย", "รัศมีจิรวีไล"):
        assert name not in text
    assert re.search("[๐-๙]", text) is None
    data = json.loads(text)
    loaded = json.dumps([data["agreement"], data["groups"], data["kpis"]], ensure_ascii=False)
    for artefact in ("**", "<ul", "<p>", "</", "•"):
        assert artefact not in loaded


def test_fixture_records_its_judgements():
    notes = json.loads(FY2566.read_text(encoding="utf-8"))["notes"]

    assert len(notes) >= 20
    assert any(n.startswith("KPI 3: the summary table says levels 95/97.5/100") for n in notes)
    assert any(n.startswith("KPI 4 baselines:") for n in notes)


def test_loaded_texts_carry_no_staff_names(agreement):
    texts = [agreement.notes, agreement.maker_position, agreement.approver_position]
    for kpi in agreement.kpis.all():
        texts += [kpi.name, kpi.definition, kpi.notes, kpi.data_source, kpi.responsible]
    joined = "\n".join(texts)

    assert "สัญญาชัย" not in joined
    assert "โลหะปิยะพรรณ" not in joined


# ---------------------------------------------------------------- bad input


def test_unit_must_exist(db):
    with pytest.raises(ApplicationError) as exc:
        agreement_fixture_load(path=FY2566)

    assert exc.value.code == "unit_missing"
    assert exc.value.message == "ไม่พบหน่วยงานรหัส ict (โหลดข้อมูลหน่วยงานก่อน)"
    assert Agreement.objects.count() == 0


def test_missing_file(db, tmp_path):
    with pytest.raises(ApplicationError) as exc:
        agreement_fixture_load(path=tmp_path / "fy2599.json")

    assert exc.value.code == "fixture_missing"


def test_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "fy2566.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(ApplicationError) as exc:
        agreement_fixture_load(path=path)

    assert exc.value.code == "fixture_invalid"
    assert exc.value.message.startswith("อ่านไฟล์ fy2566.json ไม่ได้")


def _set(path: list[Any], value: Any):
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change_path", "value", "field"),
    [
        (["kpis", 5, "method"], "magic", "kpis[5].method"),
        (["kpis", 0, "weight"], "ยี่สิบ", "kpis[0].weight"),
        (["kpis", 0, "group"], "nowhere", "kpis[0].group"),
        (["kpis", 2, "milestones", 0, "round"], "3m", "kpis[2].milestones[0].round"),
        (["kpis", 0, "deliverables", 5, "level"], 60, "kpis[0].deliverables[5].level"),
        (
            ["kpis", 0, "milestones", 0, "steps", 0, "due_on"],
            "2023-12-31",
            "kpis[0].milestones[0].steps[0].due_on",
        ),
        (
            ["kpis", 0, "milestones", 0, "steps", 0, "due_on"],
            "31 ก.ค.",
            "kpis[0].milestones[0].steps[0].due_on",
        ),
        (["kpis", 3, "baselines", 1, "year"], 2562, "kpis[3].baselines[1].year"),
        (["agreement", "period_end"], "2022-09-30", "agreement.period_end"),
    ],
)
def test_bad_fixture_names_the_field_and_saves_nothing(
    demo_org, tmp_path, change_path, value, field
):
    path = _fixture(tmp_path, _set(change_path, value))

    with pytest.raises(ApplicationError) as exc:
        agreement_fixture_load(path=path)

    assert exc.value.code == "fixture_invalid"
    assert list(exc.value.fields) == [field]
    assert exc.value.message.startswith(f"{field}: ")
    assert Agreement.objects.count() == 0
    assert Kpi.objects.count() == 0


def test_missing_required_key(demo_org, tmp_path):
    path = _fixture(tmp_path, lambda data: data["kpis"][1].pop("name"))

    with pytest.raises(ApplicationError) as exc:
        agreement_fixture_load(path=path)

    assert exc.value.fields == {"kpis[1].name": ["ไม่มีข้อมูลรายการนี้ในไฟล์"]}
    assert Agreement.objects.count() == 0


def test_thai_digits_and_be_dates_are_read(demo_org, tmp_path):
    def change(data: dict[str, Any]) -> None:
        data["kpis"][0]["weight"] = "๒๐"
        data["kpis"][5]["levels"]["standard"] = "๓๙๙.๐๓"
        data["kpis"][0]["milestones"][0]["steps"][0]["due_on"] = "๓๑ มี.ค. ๒๕๖๖"
        data["agreement"]["maker_signed_on"] = "31/12/2565"

    loaded = agreement_fixture_load(path=_fixture(tmp_path, change)).agreement

    assert _kpi(loaded, 1).weight == Decimal("20")
    assert _kpi(loaded, 6).level_standard == Decimal("399.03")
    step = _kpi(loaded, 1).milestones.get(round="6m").steps.get()
    assert step.due_on == dt.date(2023, 3, 31)
    assert loaded.maker_signed_on == dt.date(2022, 12, 31)
