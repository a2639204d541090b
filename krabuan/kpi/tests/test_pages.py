"""The agreement pages end to end through the URLs, on the FY2566 agreement loaded from its
fixture: the list, the dashboard's numbers, a KPI's page, result entry (success, every refusal,
who may), evidence downloads and the dashboard's query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from krabuan.core import registry
from krabuan.core.models import AuditEntry
from krabuan.core.registry import LiveSource, LiveValue
from krabuan.kpi.models import Agreement, Kpi, KpiResult
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.kpi.services.results import result_record
from krabuan.kpi.tests.factories import (
    AgreementFactory,
    AssessmentGroupFactory,
    KpiFactory,
    MilestoneFactory,
    MilestoneStepFactory,
)
from krabuan.org.tests.factories import UnitFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def evidence(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def fy2566(demo_org) -> Agreement:
    return agreement_fixture_load(path=fixture_path(2566)).agreement


def kpi(agreement: Agreement, number: int) -> Kpi:
    return agreement.kpis.get(number=number)


def dashboard(agreement: Agreement, round: str = "12m") -> str:
    return f"/kpi/agreements/{agreement.pk}/?round={round}"


def entry(k: Kpi) -> str:
    return f"/kpi/kpis/{k.pk}/results/"


def page(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.content.decode())


def text_of(tree: lxml_html.HtmlElement, xpath: str) -> str:
    (node,) = tree.xpath(xpath)
    return " ".join(node.text_content().split())


def row_cell(tree: lxml_html.HtmlElement, k: Kpi, css_class: str) -> str:
    return text_of(tree, f'//tr[@id="kpi-{k.pk}"]/td[contains(@class, "{css_class}")]')


def errors_of(tree: lxml_html.HtmlElement, field: str) -> list[str]:
    return [
        " ".join(e.text_content().split())
        for e in tree.xpath(f'//*[@id="field-{field}"]//div[contains(@class, "invalid-feedback")]')
    ]


def missing_items(tree: lxml_html.HtmlElement, k: Kpi) -> list[str]:
    items = tree.xpath(f'//*[@id="card-{k.pk}"]//*[contains(@class, "missing")]//li')
    return [" ".join(li.text_content().split()) for li in items]


def expected_items(k: Kpi, level: int) -> list[str]:
    """A level's deliverables as the agreement words them: points, or "เงื่อนไข" (a condition)."""
    return [
        f"เงื่อนไข: {d.text}" if d.points is None else f"{d.text} ({d.points.normalize():f} คะแนน)"
        for d in k.deliverables.filter(level=level)
    ]


def cells(tree: lxml_html.HtmlElement, xpath: str) -> list[list[str]]:
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")] for tr in tree.xpath(xpath)
    ]


# --- the list and the dashboard ---------------------------------------------------------------


def test_the_list_shows_the_fy2566_agreement_with_its_total(client, officer, fy2566):
    client.force_login(officer)

    response = client.get("/kpi/?fiscal_year=2566")

    assert response.status_code == 200
    tree = page(response)
    row = f'//tr[@id="agreement-{fy2566.pk}"]'
    assert text_of(tree, f"{row}/td[1]") == "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert tree.xpath(f"{row}//a/@href") == [f"/kpi/agreements/{fy2566.pk}/"]
    assert text_of(tree, f"{row}/td[4]") == "6 ยังไม่มีผล 6 ตัว"
    assert text_of(tree, f"{row}/td[5]") == "รอบ ๑๒ เดือน"
    assert text_of(tree, f"{row}/td[6]") == "0.00"


def test_an_unknown_year_falls_back_to_the_newest_with_a_warning(client, officer, fy2566):
    client.force_login(officer)

    response = client.get("/kpi/?fiscal_year=2599")

    assert response.status_code == 200
    assert "ไม่พบคำรับรองปีงบประมาณ 2599 แสดงปีล่าสุดแทน" in response.content.decode()
    assert page(response).xpath(f'//tr[@id="agreement-{fy2566.pk}"]')


def test_the_dashboard_lists_every_kpi_by_group_with_the_method_note(client, officer, fy2566):
    client.force_login(officer)

    response = client.get(dashboard(fy2566))

    assert response.status_code == 200
    tree = page(response)
    numbers = [int(n) for n in tree.xpath('//table[@id="kpi-table"]/tbody/tr/@data-number')]
    assert numbers == [1, 2, 3, 4, 5, 6]
    groups = [" ".join(t.split()) for t in tree.xpath('//table[@id="kpi-table"]//th/text()')]
    assert "การประเมินประสิทธิภาพการดำเนินงาน (Performance Base) · น้ำหนัก 70 · คะแนน 0.00" in groups
    assert "การประเมินศักยภาพในการดำเนินงาน (Potential Base) · น้ำหนัก 30 · คะแนน 0.00" in groups
    assert text_of(tree, '//*[@id="total-score"]') == "0.00"
    assert text_of(tree, '//*[@id="projected-total"]') == "0.00"
    # KPI 3: the source's two rules, the one used and why.
    note = text_of(tree, '//*[@id="method-note-3"]')
    assert note.startswith("หมายเหตุวิธีคิดคะแนน ตัวชี้วัดที่ 3: ต้นฉบับระบุวิธีคิดคะแนนไว้ 2 แบบ")
    assert len(tree.xpath('//*[@id="score-chart"]/*[local-name()="svg"]')) == 1
    # Trend lines for the KPIs with numeric baselines (3, 4 and 6).
    trends = tree.xpath('//*[contains(@class, "kpi-trend-chart")]/ancestor::div[@id][1]/@id')
    assert trends == [f"card-{kpi(fy2566, n).pk}" for n in (3, 4, 6)]
    assert text_of(tree, '//*[@id="missing-results"]') == (
        "ยังไม่มีผลการดำเนินงาน 6 ตัวชี้วัด (นับเป็น ๐ คะแนน)"
    )


def test_pmqa_420_for_the_year_scores_88_14_and_changes_the_total(client, officer, fy2566):
    pmqa = kpi(fy2566, 6)
    client.force_login(officer)

    response = client.post(entry(pmqa), {"round": "12m", "value": "420", "evidence": evidence()})

    assert response.status_code == 302
    assert response["Location"] == f"/kpi/agreements/{fy2566.pk}/?round=12m#kpi-{pmqa.pk}"
    tree = page(client.get(response["Location"]))
    assert row_cell(tree, pmqa, "kpi-value") == "420 คะแนน"
    assert row_cell(tree, pmqa, "kpi-score") == "88.14"
    assert row_cell(tree, pmqa, "kpi-weighted") == "13.22"
    assert text_of(tree, '//*[@id="total-score"]') == "13.22"
    assert text_of(tree, '//*[@id="group-potential"]//*[contains(@class, "group-total")]') == (
        "13.22"
    )
    assert "บันทึกผลรอบ ๑๒ เดือน ของตัวชี้วัดที่ 6 แล้ว" in tree.text_content()
    result = KpiResult.objects.get(kpi=pmqa, round="12m")
    assert (result.value, result.entered_by) == (Decimal("420.0000"), officer)


def test_thai_digits_are_accepted_and_the_total_adds_up(client, officer, fy2566):
    client.force_login(officer)
    client.post(entry(kpi(fy2566, 6)), {"round": "12m", "value": "๔๒๐", "evidence": evidence()})

    client.post(entry(kpi(fy2566, 3)), {"round": "12m", "value": "๙๘.๕", "evidence": evidence()})

    tree = page(client.get(dashboard(fy2566)))
    assert row_cell(tree, kpi(fy2566, 3), "kpi-value") == "ร้อยละ 98.5"
    assert row_cell(tree, kpi(fy2566, 3), "kpi-score") == "98.50"
    assert row_cell(tree, kpi(fy2566, 3), "kpi-weighted") == "14.78"
    assert text_of(tree, '//*[@id="total-score"]') == "28.00"
    assert text_of(tree, '//*[@id="table-total"]') == "28.00"


def test_the_dashboard_says_what_is_missing_for_the_next_level(client, officer, fy2566):
    plan = kpi(fy2566, 4)
    result_record(kpi=plan, round="12m", value="96", actor=officer, evidence=evidence())
    client.force_login(officer)

    tree = page(client.get(dashboard(fy2566)))

    assert row_cell(tree, plan, "kpi-score") == "60.00"
    assert text_of(tree, f'//*[@id="card-{plan.pk}"]//*[contains(@class, "missing")]') == (
        "สิ่งที่ยังขาด: ต้องได้ ร้อยละ 97.5 (ขาดอีก 1.5) จึงถึง 75 คะแนน"
    )
    catalog = kpi(fy2566, 1)
    card = f'//*[@id="card-{catalog.pk}"]//*[contains(@class, "missing")]'
    assert text_of(tree, card).startswith("สิ่งที่ยังขาด: ระดับ 50 คะแนน ยังขาด:")
    assert missing_items(tree, catalog) == expected_items(catalog, 50)


def test_deliverables_done_move_the_missing_list_to_the_next_level(client, officer, fy2566):
    catalog = kpi(fy2566, 1)
    basic = [d.pk for d in catalog.deliverables.filter(level=50)]
    result_record(
        kpi=catalog, round="12m", value=None, deliverables=basic, actor=officer, evidence=evidence()
    )
    client.force_login(officer)

    tree = page(client.get(dashboard(fy2566)))

    total = catalog.deliverables.count()
    assert row_cell(tree, catalog, "kpi-value") == (
        f"ผลผลิต/เงื่อนไขที่ดำเนินการแล้ว {len(basic)} จาก {total} รายการ"
    )
    # 50 for the basic level, less 10 for each round whose milestone steps were not done.
    assert row_cell(tree, catalog, "kpi-deduction") == "20.00"
    assert row_cell(tree, catalog, "kpi-score") == "30.00"
    card = f'//*[@id="card-{catalog.pk}"]//*[contains(@class, "missing")]'
    assert text_of(tree, card).startswith("สิ่งที่ยังขาด: ระดับ 75 คะแนน ยังขาด:")
    assert missing_items(tree, catalog) == expected_items(catalog, 75)
    assert [i.endswith(("(15 คะแนน)", "(10 คะแนน)")) for i in expected_items(catalog, 75)] == [
        True,
        True,
    ]


def test_milestone_progress_and_the_round_deduction_show_on_the_six_month_round(
    client, officer, fy2566
):
    pdpa = kpi(fy2566, 2)
    steps = list(pdpa.milestones.get(round="6m").steps.all())
    result_record(
        kpi=pdpa,
        round="6m",
        value=None,
        deliverables=[pdpa.deliverables.get(level=50).pk],
        milestone_steps=[s.pk for s in steps[:2]],
        actor=officer,
        evidence=evidence(),
    )
    client.force_login(officer)

    tree = page(client.get(dashboard(fy2566, "6m")))

    assert row_cell(tree, pdpa, "kpi-milestones") == "รอบ ๖ เดือน: 2/3"
    assert row_cell(tree, pdpa, "kpi-deduction") == "10.00"
    assert row_cell(tree, pdpa, "kpi-score") == "40.00"
    missing = text_of(tree, f'//*[@id="card-{pdpa.pk}"]//*[contains(@class, "missing")]')
    assert "ขั้นตอนรอบ ๖ เดือน ยังไม่ครบ 1 ขั้นตอน (ถูกหัก 10 คะแนน)" in missing
    # KPI 5 says it is never deducted.
    assert row_cell(tree, kpi(fy2566, 5), "kpi-deduction") == "—"


def test_a_round_that_is_not_understood_falls_back_with_a_warning(client, officer, fy2566):
    client.force_login(officer)

    response = client.get(dashboard(fy2566, "2567-03"))

    assert response.status_code == 200
    assert "รอบไม่ถูกต้อง: เดือน มี.ค. 2567 อยู่นอกปีงบประมาณ พ.ศ. 2566" in response.content.decode()


def test_a_live_bound_kpi_shows_its_source_and_when_it_was_measured(
    client, officer, fy2566, monkeypatch
):
    measured = dt.datetime(2023, 9, 30, 9, 0, tzinfo=dt.UTC)

    def on_time(*, fiscal_year: int, round: str, params: dict) -> LiveValue:
        return LiveValue(Decimal("98"), f"ระบบติดตามกระบวนงาน ปีงบประมาณ {fiscal_year}", measured)

    monkeypatch.setitem(
        registry._SOURCES,
        "test.on_time",
        LiveSource(key="test.on_time", label="ร้อยละขั้นตอนที่เสร็จทันเวลา", func=on_time),
    )
    plan = kpi(fy2566, 4)
    Kpi.objects.filter(pk=plan.pk).update(live_source="test.on_time")
    client.force_login(officer)

    tree = page(client.get(dashboard(fy2566)))

    assert row_cell(tree, plan, "kpi-score") == "80.00"
    assert text_of(tree, f'//*[@id="card-{plan.pk}"]//*[contains(@class, "source")]') == (
        "แหล่งข้อมูลอัตโนมัติ: ร้อยละขั้นตอนที่เสร็จทันเวลา — ระบบติดตามกระบวนงาน ปีงบประมาณ 2566"
        " · วัดเมื่อ 30 ก.ย. 66 16:00 น."
    )


def test_dashboard_query_count_does_not_grow_with_the_kpis(client, officer, db):
    def agreement_with(count: int, year: int) -> Agreement:
        agreement = AgreementFactory(fiscal_year=year, unit=UnitFactory())
        group = AssessmentGroupFactory(agreement=agreement)
        for n in range(1, count + 1):
            k = KpiFactory(agreement=agreement, group=group, number=n, weight=Decimal(1))
            step = MilestoneStepFactory(milestone=MilestoneFactory(kpi=k, round="6m"))
            result = result_record(kpi=k, round="6m", value="96", actor=officer)
            result.milestone_steps_done.add(step)
        return agreement

    small, large = agreement_with(2, 2566), agreement_with(8, 2567)
    client.force_login(officer)

    counts = []
    for agreement in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(dashboard(agreement, "6m"))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert row_cell(page(response), large.kpis.get(number=8), "kpi-score") == "60.00"


# --- the KPI page and evidence ----------------------------------------------------------------


def test_the_kpi_page_shows_the_agreement_text_and_the_results_history(client, officer, fy2566):
    pmqa = kpi(fy2566, 6)
    result = result_record(
        kpi=pmqa, round="6m", value="401", note="รอบประกวด", actor=officer, evidence=evidence()
    )
    client.force_login(officer)

    tree = page(client.get(f"/kpi/kpis/{pmqa.pk}/"))

    assert text_of(tree, "//h1") == (
        "ตัวชี้วัดที่ 6 การประเมินสถานะของหน่วยงานในการเป็นระบบราชการ 4.0 (PMQA 4.0)"
    )
    assert text_of(tree, '//*[@id="data-source"]') == "รับค่าคะแนน สป.กษ. ร่วมกันทุกสำนัก/กอง"
    assert [" ".join(td.text_content().split()) for td in tree.xpath('//*[@id="levels"]//td')] == [
        "350 คะแนน",
        "399.03 คะแนน",
        "438.93 คะแนน",
    ]
    assert cells(tree, '//*[@id="baselines"]//tbody/tr') == [
        ["2563", "360.76"],
        ["2564", "414.72"],
        ["2565", "399.03"],
    ]
    assert cells(tree, '//*[@id="roadmap"]//tbody/tr') == [
        ["2566", "420 คะแนน"],
        ["2567", "440 คะแนน"],
        ["2568", "460 คะแนน"],
    ]
    assert len(tree.xpath('//*[@id="milestone-6m"]//ol/li')) == 5
    assert len(tree.xpath('//*[@id="milestone-9m"]//ol/li')) == 5
    row = f'//tr[@id="result-{result.pk}"]'
    assert text_of(tree, f"{row}/td[1]") == "รอบ ๖ เดือน"
    assert text_of(tree, f"{row}/td[2]") == "401 คะแนน"
    assert text_of(tree, f"{row}/td[4]") == "รอบประกวด"
    assert tree.xpath(f"{row}/td[5]/a/@href") == [
        f"/kpi/kpis/{pmqa.pk}/results/{result.pk}/evidence/"
    ]
    assert text_of(tree, f"{row}/td[6]") == officer.get_full_name()
    # Best of the rounds: 401 is between 399.03 and 438.93.
    assert text_of(tree, '//*[@id="score-now"]') == "76.23"


def test_the_kpi_page_shows_deliverables_and_the_deduction_rule(client, auditor, fy2566):
    client.force_login(auditor)

    tree = page(client.get(f"/kpi/kpis/{kpi(fy2566, 1).pk}/"))

    catalog = kpi(fy2566, 1)
    items = [
        " ".join(li.text_content().split()) for li in tree.xpath('//*[@id="deliverables"]//li')
    ]
    assert items == [
        f"{level} {text}" for level in (50, 75, 100) for text in expected_items(catalog, level)
    ]
    assert text_of(tree, '//*[@id="deduction-rule"]') == (
        "ในแต่ละรอบการประเมิน หากไม่สามารถดำเนินการได้ครบทุกขั้นตอนจะถูกร้อยละ 10 คะแนน หัก 10 คะแนนต่อรอบ"
    )
    # The auditor reads; entering is not offered.
    assert not tree.xpath('//a[contains(@href, "/results/")]')


def test_evidence_downloads_only_through_its_kpi(client, officer, requester, fy2566):
    pmqa = kpi(fy2566, 6)
    result = result_record(
        kpi=pmqa, round="12m", value="420", actor=officer, evidence=evidence("หลักฐาน.pdf")
    )
    url = f"/kpi/kpis/{pmqa.pk}/results/{result.pk}/evidence/"
    client.force_login(officer)

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        client.get(f"/kpi/kpis/{kpi(fy2566, 3).pk}/results/{result.pk}/evidence/").status_code
        == 404
    )
    client.force_login(requester)
    assert client.get(url).status_code == 403


# --- result entry: refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "data", "field", "message"),
    [
        (
            3,
            {"round": "12m", "value": "101"},
            "value",
            "ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100",
        ),
        (
            3,
            {"round": "12m", "value": "-0.5"},
            "value",
            "ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100",
        ),
        (3, {"round": "12m", "value": "เก้าสิบ"}, "value", "ผลการดำเนินงาน 'เก้าสิบ' ไม่ใช่ตัวเลข"),
        (
            3,
            {"round": "2567-03", "value": "60"},
            "round",
            "เดือน มี.ค. 2567 อยู่นอกปีงบประมาณ พ.ศ. 2566 (ต.ค. 2565 – ก.ย. 2566)",
        ),
        (
            3,
            {"round": "13m", "value": "60"},
            "round",
            'รอบต้องเป็น "6m", "9m", "12m" หรือเดือนในรูป ปปปป-ดด เช่น 2566-03',
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    client, officer, fy2566, number, data, field, message
):
    client.force_login(officer)
    audits = AuditEntry.objects.count()

    response = client.post(entry(kpi(fy2566, number)), {**data, "evidence": evidence()})

    assert response.status_code == 400
    assert errors_of(page(response), field) == [message]
    assert KpiResult.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def requires_evidence(k: Kpi, required: bool) -> Kpi:
    Kpi.objects.filter(pk=k.pk).update(evidence_required=required)
    return k


def test_missing_evidence_is_refused_where_the_kpi_requires_it(client, officer, fy2566):
    disbursement = requires_evidence(kpi(fy2566, 3), True)
    client.force_login(officer)

    response = client.post(entry(disbursement), {"round": "12m", "value": "98.5"})

    assert response.status_code == 400
    assert errors_of(page(response), "evidence") == ["ตัวชี้วัดนี้ต้องแนบไฟล์หลักฐานประกอบผลการดำเนินงาน"]
    assert KpiResult.objects.count() == 0


def test_a_kpi_without_the_evidence_rule_saves_without_a_file(client, officer, fy2566):
    disbursement = requires_evidence(kpi(fy2566, 3), False)
    client.force_login(officer)

    response = client.post(entry(disbursement), {"round": "12m", "value": "98.5"})

    assert response.status_code == 302
    assert KpiResult.objects.get(kpi=disbursement, round="12m").evidence.name == ""


def test_a_bad_evidence_file_refuses_the_whole_entry(client, officer, fy2566):
    pdpa = kpi(fy2566, 2)
    client.force_login(officer)

    response = client.post(
        entry(pdpa),
        {
            "round": "6m",
            "deliverables": [str(pdpa.deliverables.get(level=50).pk)],
            "milestone_steps": [str(s.pk) for s in pdpa.milestones.get(round="6m").steps.all()],
            "evidence": evidence("report.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )

    assert response.status_code == 400
    assert errors_of(page(response), "evidence") == ["เนื้อหาไฟล์ไม่ตรงกับชนิด .pdf"]
    assert KpiResult.objects.count() == 0


def test_a_step_of_another_kpi_is_refused(client, officer, fy2566):
    other = kpi(fy2566, 5).milestones.get(round="6m").steps.first()
    client.force_login(officer)

    response = client.post(
        entry(kpi(fy2566, 2)),
        {"round": "6m", "milestone_steps": [str(other.pk)], "evidence": evidence()},
    )

    assert response.status_code == 400
    assert errors_of(page(response), "milestone_steps") == [
        f"ขั้นตอนการดำเนินงาน {other.pk} ไม่ใช่ของตัวชี้วัดนี้"
    ]
    assert KpiResult.objects.count() == 0


# --- result entry: who may, HTMX ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin_user", "director", "group_head", "officer"])
def test_staff_roles_may_enter_results(client, fy2566, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post(
        entry(kpi(fy2566, 4)), {"round": "9m", "value": "97.5", "evidence": evidence()}
    )

    assert response.status_code == 302
    assert KpiResult.objects.get(kpi=kpi(fy2566, 4), round="9m").entered_by == user


def test_the_auditor_reads_but_may_not_enter(client, auditor, fy2566):
    client.force_login(auditor)
    audits = AuditEntry.objects.count()

    assert client.get(dashboard(fy2566)).status_code == 200
    assert client.get(entry(kpi(fy2566, 3))).status_code == 403
    response = client.post(
        entry(kpi(fy2566, 3)), {"round": "12m", "value": "99", "evidence": evidence()}
    )

    assert response.status_code == 403
    assert KpiResult.objects.count() == 0
    assert AuditEntry.objects.count() == audits
    assert not page(client.get(dashboard(fy2566))).xpath('//a[contains(@href, "/results/")]')


def test_requesters_and_strangers_are_kept_out(client, requester, fy2566):
    assert client.get(dashboard(fy2566)).status_code == 302
    client.force_login(requester)

    assert client.get("/kpi/").status_code == 403
    assert client.get(dashboard(fy2566)).status_code == 403
    assert client.get(f"/kpi/kpis/{kpi(fy2566, 1).pk}/").status_code == 403


def test_unknown_ids_are_404(client, officer, fy2566):
    client.force_login(officer)

    assert client.get("/kpi/agreements/999999/").status_code == 404
    assert client.get("/kpi/kpis/999999/").status_code == 404
    assert client.get("/kpi/kpis/999999/results/").status_code == 404


def test_the_form_is_prefilled_with_the_stored_result_of_the_round(client, officer, fy2566):
    plan = kpi(fy2566, 4)
    result_record(
        kpi=plan, round="9m", value="91.25", note="ตาม MBUD", actor=officer, evidence=evidence()
    )
    client.force_login(officer)

    tree = page(client.get(f"{entry(plan)}?round=9m", HTTP_HX_REQUEST="true"))

    assert tree.get("id") == "result-form"
    assert tree.xpath('//select[@name="round"]/option[@selected]/@value') == ["9m"]
    assert tree.xpath('//input[@name="value"]/@value') == ["91.25"]
    assert text_of(tree, '//textarea[@name="note"]') == "ตาม MBUD"
    assert text_of(tree, '//*[@id="current-evidence"]').startswith("ไฟล์หลักฐานเดิม: evidence")
    # The months of the fiscal year are offered after the rounds.
    options = tree.xpath('//select[@name="round"]/option/@value')
    assert options[:4] == ["6m", "9m", "12m", "2565-10"]
    assert options[-1] == "2566-09"


def test_an_htmx_save_swaps_the_form_and_updates_the_total_card(client, officer, fy2566):
    client.force_login(officer)

    response = client.post(
        entry(kpi(fy2566, 3)),
        {"round": "12m", "value": "98.5", "evidence": evidence()},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    content = response.content.decode()
    tree = lxml_html.fromstring(f"<div>{content}</div>")
    assert text_of(tree, '//*[@id="saved-message"]') == "บันทึกผลรอบ ๑๒ เดือน ของตัวชี้วัดที่ 3 แล้ว"
    assert tree.xpath('//*[@id="score-card"]/@hx-swap-oob') == ["true"]
    assert text_of(tree, '//*[@id="card-total"]') == "14.78"
    assert text_of(tree, '//*[@id="card-kpi-score"]') == "98.50"


def test_an_htmx_refusal_is_swapped_in_with_the_message(client, officer, fy2566):
    disbursement = requires_evidence(kpi(fy2566, 3), True)
    client.force_login(officer)

    response = client.post(
        entry(disbursement), {"round": "12m", "value": "150"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    tree = lxml_html.fromstring(f"<div>{response.content.decode()}</div>")
    assert errors_of(tree, "value") == ["ผลการดำเนินงานเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100"]
    assert errors_of(tree, "evidence") == ["ตัวชี้วัดนี้ต้องแนบไฟล์หลักฐานประกอบผลการดำเนินงาน"]
    assert KpiResult.objects.count() == 0


def test_the_nav_links_to_the_agreements(client, officer, fy2566):
    client.force_login(officer)

    tree = page(client.get(dashboard(fy2566)))

    assert tree.xpath('//nav//a[normalize-space()="คำรับรองฯ/ตัวชี้วัด"]/@href') == ["/kpi/"]


def test_the_current_round_follows_the_calendar(client, officer, fy2566, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2023, 5, 2))
    client.force_login(officer)

    tree = page(client.get(f"/kpi/agreements/{fy2566.pk}/"))

    assert tree.xpath('//select[@name="round"]/option[@selected]/@value') == ["9m"]


@pytest.mark.parametrize(
    ("round", "rounds"),
    [("6m", ["รอบ ๖ เดือน", "รอบ ๙ เดือน"]), ("9m", ["รอบ ๙ เดือน"]), ("12m", [])],
)
def test_the_form_offers_the_steps_a_result_of_the_round_can_still_complete(
    client, officer, fy2566, round, rounds
):
    pdpa = kpi(fy2566, 2)
    client.force_login(officer)

    tree = page(client.get(f"{entry(pdpa)}?round={round}"))

    labels = [
        " ".join(x.split()) for x in tree.xpath('//*[@id="field-milestone_steps"]//label/text()')
    ]
    expected = [
        f"[{label}] {step.text}"
        for label, code in (("รอบ ๖ เดือน", "6m"), ("รอบ ๙ เดือน", "9m"))
        if label in rounds
        for step in pdpa.milestones.get(round=code).steps.all()
    ]
    assert labels == [" ".join(e.split()) for e in expected]
    assert bool(tree.xpath('//*[@id="no-open-steps"]')) == (round == "12m")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"round": "12m", "value": "9\x008"}, "value", "ผลการดำเนินงาน (ร้อยละ)มีอักขระที่ไม่อนุญาต (NUL)"),
        ({"round": "12m", "value": "98", "note": "ok\x00"}, "note", "หมายเหตุมีอักขระที่ไม่อนุญาต (NUL)"),
        ({"round": "1" * 21, "value": "98"}, "round", "รอบ/เดือนไม่ถูกต้อง"),
        ({"round": "12m", "value": "9" * 51}, "value", "ผลการดำเนินงานยาวเกิน 50 ตัวอักษร"),
        ({"round": "", "value": "98"}, "round", "กรุณาเลือกรอบ/เดือน"),
    ],
)
def test_hostile_input_gets_a_thai_message_never_a_server_error(
    client, officer, fy2566, data, field, message
):
    client.force_login(officer)

    response = client.post(entry(kpi(fy2566, 3)), {**data, "evidence": evidence()})

    assert response.status_code == 400
    assert errors_of(page(response), field) == [message]
    assert KpiResult.objects.count() == 0
