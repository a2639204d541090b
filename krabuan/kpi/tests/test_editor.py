"""The agreement's editing pages end to end through the URLs, on the FY2566 agreement loaded from
its fixture: copy to a later year, a KPI's fields, binding a KPI to a live source (down to a real
case of the FY2567 manual feeding the dashboard), who may, and that refusals change nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from lxml import html as lxml_html

from krabuan.core import registry
from krabuan.core.audit import snapshot
from krabuan.core.models import AuditEntry
from krabuan.core.registry import LiveSource, LiveValue
from krabuan.core.thai import BANGKOK
from krabuan.kpi.forms_editor import KpiEditForm
from krabuan.kpi.models import (
    Agreement,
    Deliverable,
    Kpi,
    KpiBaseline,
    Milestone,
    MilestoneStep,
)
from krabuan.kpi.services.agreements import (
    EDITABLE_FIELDS,
    READ_ONLY_MESSAGE,
    agreement_copy_to_year,
    kpi_bind_live_source,
)
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.manual.models import Manual
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.services.cases import case_start, step_complete

D = Decimal
WORKFLOW = "workflow.process_on_time_pct"
WORKFLOW_LABEL = "ร้อยละขั้นตอนที่แล้วเสร็จตามเวลา (ระบบติดตามกระบวนงาน)"


@pytest.fixture
def fy2566(demo_org) -> Agreement:
    return agreement_fixture_load(path=fixture_path(2566)).agreement


@pytest.fixture
def fy2567_manual(demo_org) -> Manual:
    return manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual


@pytest.fixture
def worker(demo_org):
    """An officer of the ICT Center's network group, who works the cases."""
    user = UserFactory(username="worker")
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="ict-network"), role=Role.OFFICER
    )
    return user


# Registered by the apps themselves (AppConfig.ready) when the suite starts.
KNOWN_SOURCES = [s.key for s in registry.live_sources() if s.key != "test.letters"]


@pytest.fixture
def other_source(monkeypatch):
    """A second registered source that takes JSON parameters (not the workflow one)."""
    seen: list[dict] = []

    def count(*, fiscal_year: int, round: str, params: dict) -> LiveValue:
        seen.append(params)
        measured = dt.datetime(2023, 9, 30, 9, 0, tzinfo=dt.UTC)
        return LiveValue(D("96"), f"ระบบสารบรรณ ปีงบประมาณ {fiscal_year}", measured)

    monkeypatch.setitem(
        registry._SOURCES,
        "test.letters",
        LiveSource(
            key="test.letters",
            label="ร้อยละหนังสือที่ตอบทันเวลา",
            func=count,
            params_help='{"register": "รับ"}',
        ),
    )
    return seen


def kpi(agreement: Agreement, number: int) -> Kpi:
    return agreement.kpis.get(number=number)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


def copy_url(agreement: Agreement) -> str:
    return f"/kpi/agreements/{agreement.pk}/copy/"


def edit_url(k: Kpi) -> str:
    return f"/kpi/kpis/{k.pk}/edit/"


def bind_url(k: Kpi) -> str:
    return f"/kpi/kpis/{k.pk}/live-source/"


def page(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.content.decode())


def text_of(tree: lxml_html.HtmlElement, xpath: str) -> str:
    (node,) = tree.xpath(xpath)
    return " ".join(node.text_content().split())


def errors_of(tree: lxml_html.HtmlElement, field: str) -> list[str]:
    return [
        " ".join(e.text_content().split())
        for e in tree.xpath(f'//*[@id="field-{field}"]//div[contains(@class, "invalid-feedback")]')
    ]


def form_values(tree: lxml_html.HtmlElement, form_id: str) -> dict[str, str]:
    """What the browser would send for the form as shown (checked boxes only)."""
    values: dict[str, str] = {}
    (form,) = tree.xpath(f'//form[@id="{form_id}"]')
    for node in form.xpath(".//input | .//select | .//textarea"):
        name = node.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if node.tag == "input" and node.get("type") == "checkbox":
            if node.get("checked") is not None:
                values[name] = node.get("value") or "on"
        elif node.tag == "select":
            selected = node.xpath("./option[@selected]")
            values[name] = selected[0].get("value") if selected else ""
        elif node.tag == "textarea":
            values[name] = node.text_content().lstrip("\n")
        else:
            values[name] = node.get("value") or ""
    return values


def tree_of(agreement: Agreement) -> dict:
    """Everything an agreement holds, for before/after comparisons."""
    kpis = Kpi.objects.filter(agreement=agreement)
    return {
        "agreement": snapshot(Agreement.objects.get(pk=agreement.pk)),
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


EDIT_ACTIONS = ("agreement.copy", "kpi.update", "kpi.bind_live_source", "kpi.unbind_live_source")


def edits() -> list[str]:
    """The audit rows of the editing services (loading the fixtures writes its own)."""
    return list(AuditEntry.objects.filter(action__in=EDIT_ACTIONS).values_list("action", flat=True))


def messages_of(tree: lxml_html.HtmlElement) -> list[str]:
    return [" ".join(n.text_content().split()) for n in tree.xpath('//*[@role="alert"]')]


# --- copy to the next fiscal year --------------------------------------------------------------


def test_the_copy_page_offers_the_next_fiscal_year(client, director, fy2566):
    client.force_login(director)

    response = client.get(copy_url(fy2566))

    assert response.status_code == 200
    tree = page(response)
    assert form_values(tree, "copy-form") == {"fiscal_year": "2567"}
    assert text_of(tree, '//*[@id="later-agreements"]') == "ยังไม่มี"


def test_copying_opens_the_new_dashboard_and_leaves_the_old_agreement_unchanged(
    client, director, fy2566
):
    before = tree_of(fy2566)
    client.force_login(director)

    response = client.post(copy_url(fy2566), {"fiscal_year": "๒๕๖๗"})

    copy = Agreement.objects.get(fiscal_year=2567)
    assert response.status_code == 302
    assert response["Location"] == f"/kpi/agreements/{copy.pk}/"
    assert tree_of(fy2566) == before
    assert copy.copied_from_id == fy2566.pk
    assert sorted(copy.kpis.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    entry = AuditEntry.objects.get(action="agreement.copy")
    assert (entry.actor, entry.object_id) == (director, str(copy.pk))
    dashboard = page(client.get(response["Location"]))
    assert "ปีงบประมาณ พ.ศ. 2567" in text_of(dashboard, "//h1")
    assert (
        "คัดลอกคำรับรองปีงบประมาณ 2566 เป็นปีงบประมาณ 2567 แล้ว (ยังไม่ลงนาม ไม่มีผลการดำเนินงาน)"
        " ฉบับปี 2566 แก้ไขไม่ได้อีกต่อไป"
    ) in dashboard.text_content()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("", "กรุณากรอกปีงบประมาณใหม่ (พ.ศ.)"),
        ("สองพัน", "ปีงบประมาณต้องเป็นตัวเลข ปี พ.ศ."),
        ("๓๐๐๐", "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2500–2700"),
        ("2024", "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2500–2700"),
        ("2565", "ปีงบประมาณต้องอยู่หลังปี พ.ศ. 2566 ของฉบับเดิม"),
        ("2567", "มีคำรับรองปีงบประมาณ 2567 ของหน่วยงานนี้อยู่แล้ว"),
        ("2567\x00", "ปีงบประมาณใหม่ (พ.ศ.)มีอักขระที่ไม่อนุญาต (NUL)"),
        ("9" * 21, "ปีงบประมาณใหม่ (พ.ศ.)ยาวเกิน 20 ตัวอักษร"),
    ],
)
def test_a_refused_copy_names_the_year_field_and_copies_nothing(
    client, director, fy2566, year, message
):
    existing = Agreement.objects.create(
        fiscal_year=2567,
        unit=fy2566.unit,
        title=fy2566.title,
        period_start=dt.date(2023, 10, 1),
        period_end=dt.date(2024, 9, 30),
    )
    client.force_login(director)

    response = client.post(copy_url(fy2566), {"fiscal_year": year})

    assert response.status_code == 400
    tree = page(response)
    assert errors_of(tree, "fiscal_year") == [message]
    assert Agreement.objects.count() == 2
    assert not existing.kpis.exists()
    assert edits() == []
    later = tree.xpath('//*[@id="later-agreements"]//a')
    assert [a.get("href") for a in later] == [f"/kpi/agreements/{existing.pk}/"]


# --- a KPI's fields ----------------------------------------------------------------------------


def test_the_edit_form_offers_exactly_what_the_service_takes(fy2566):
    form = KpiEditForm(kpi=kpi(fy2566, 4), groups=fy2566.groups.all())
    assert set(form.fields) == EDITABLE_FIELDS


def test_the_edit_page_is_prefilled_with_the_stored_kpi(client, group_head, fy2566):
    plan = kpi(fy2566, 4)
    client.force_login(group_head)

    response = client.get(edit_url(plan))

    assert response.status_code == 200
    values = form_values(page(response), "kpi-form")
    assert (values["name"], values["weight"], values["unit_label"]) == (
        plan.name,
        "15",
        "ร้อยละ",
    )
    assert (values["level_basic"], values["level_standard"], values["level_advanced"]) == (
        "95",
        "97.5",
        "100",
    )
    assert (values["method"], values["direction"], values["kind"]) == (
        "interpolation",
        "rising",
        plan.kind,
    )
    assert values["group"] == str(plan.group_id)
    assert values["deduction_points"] == "0"
    assert values["definition"] == plan.definition


def test_saving_changes_only_what_was_changed_and_audits_it(client, group_head, fy2566):
    plan = kpi(fy2566, 4)
    client.force_login(group_head)
    values = form_values(page(client.get(edit_url(plan))), "kpi-form")
    values.update(
        {
            "name": "ร้อยละความสำเร็จของแผนปฏิบัติงาน",
            "level_basic": "๙๐",
            "level_standard": "๙๕",
            "deduction_points": "๕",
            "deduction_rule": "หัก ๕ คะแนนเมื่อไม่ครบขั้นตอน",
            "weight": "๑๕",  # the same weight in Thai digits: no change
        }
    )

    response = client.post(edit_url(plan), values)

    assert response.status_code == 302
    assert response["Location"] == f"/kpi/kpis/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.name, plan.level_basic, plan.level_standard, plan.level_advanced) == (
        "ร้อยละความสำเร็จของแผนปฏิบัติงาน",
        D(90),
        D(95),
        D(100),
    )
    assert (plan.weight, plan.deduction_points) == (D(15), D(5))
    entry = AuditEntry.objects.get(action="kpi.update")
    assert entry.actor == group_head
    assert sorted(entry.changes) == [
        "deduction_points",
        "deduction_rule",
        "level_basic",
        "level_standard",
        "name",
    ]
    assert entry.changes["level_basic"] == ["95.0000", "90"]
    shown = page(client.get(response["Location"])).text_content()
    assert (
        "บันทึกตัวชี้วัดที่ 4 แล้ว (แก้ไข: ชื่อตัวชี้วัด, ขั้นต้น (50 คะแนน), มาตรฐาน (75 คะแนน),"
        " คะแนนที่หักเมื่อไม่บรรลุขั้นตอนตามรอบ, เงื่อนไขการหักคะแนน)"
    ) in " ".join(shown.split())


def test_a_form_sent_back_unchanged_saves_nothing(client, group_head, fy2566):
    plan = kpi(fy2566, 4)
    before = snapshot(plan)
    client.force_login(group_head)
    values = form_values(page(client.get(edit_url(plan))), "kpi-form")
    values["level_standard"] = "๙๗.๕๐"

    response = client.post(edit_url(plan), values)

    assert response.status_code == 302
    assert snapshot(Kpi.objects.get(pk=plan.pk)) == before
    assert edits() == []
    assert "ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึก" in page(client.get(response["Location"])).text_content()


def test_switching_the_checkboxes_is_saved(client, director, fy2566):
    pmqa = kpi(fy2566, 6)
    assert (pmqa.best_of_rounds, pmqa.evidence_required) == (True, False)
    client.force_login(director)
    values = form_values(page(client.get(edit_url(pmqa))), "kpi-form")
    assert values["best_of_rounds"] == "on"
    assert "evidence_required" not in values  # an unticked box is not sent
    del values["best_of_rounds"]
    values["evidence_required"] = "on"

    response = client.post(edit_url(pmqa), values)

    assert response.status_code == 302
    pmqa.refresh_from_db()
    assert (pmqa.best_of_rounds, pmqa.evidence_required) == (False, True)
    assert AuditEntry.objects.get(action="kpi.update").changes == {
        "best_of_rounds": [True, False],
        "evidence_required": [False, True],
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"level_standard": "94", "level_advanced": "93"},
            {
                "level_standard": ["ค่าเป้าหมายมาตรฐานต้องไม่น้อยกว่าขั้นต้น (95)"],
                "level_advanced": ["ค่าเป้าหมายขั้นสูงต้องไม่น้อยกว่ามาตรฐาน (94)"],
            },
        ),
        (
            {"direction": "falling"},
            {
                "level_standard": ["ค่าเป้าหมายมาตรฐานต้องไม่มากกว่าขั้นต้น (95)"],
                "level_advanced": ["ค่าเป้าหมายขั้นสูงต้องไม่มากกว่ามาตรฐาน (97.5)"],
            },
        ),
        ({"weight": "๒๐"}, {"weight": ["น้ำหนักรวมของตัวชี้วัดจะเกิน 100 (ตัวชี้วัดอื่นรวม 85)"]}),
        ({"weight": "0"}, {"weight": ["น้ำหนักต้องมากกว่า 0 และไม่เกิน 100"]}),
        ({"level_basic": "ห้าสิบ"}, {"level_basic": ["ขั้นต้น (50) 'ห้าสิบ' ไม่ใช่ตัวเลข"]}),
        ({"level_advanced": ""}, {"level_advanced": ["กรุณาระบุค่าเป้าหมายขั้นสูง (100)"]}),
        ({"deduction_points": "120"}, {"deduction_points": ["คะแนนที่หักต้องอยู่ระหว่าง 0 ถึง 100"]}),
        ({"name": "  "}, {"name": ["กรุณาระบุชื่อตัวชี้วัด"]}),
        ({"unit_label": "ร" * 51}, {"unit_label": ["หน่วยวัดยาวเกิน 50 ตัวอักษร"]}),
        (
            {"method": "magic"},
            {"method": ["วิธีคิดคะแนนต้องเป็น interpolation, direct, deliverables, shared"]},
        ),
        ({"group": "999999"}, {"group": ["องค์ประกอบการประเมินต้องเป็นของคำรับรองฉบับนี้"]}),
        ({"notes": "ก\x00"}, {"notes": ["หมายเหตุมีอักขระที่ไม่อนุญาต (NUL)"]}),
    ],
)
def test_refusals_are_shown_next_to_their_field_and_nothing_is_half_saved(
    client, group_head, fy2566, change, expected
):
    plan = kpi(fy2566, 4)
    before = snapshot(plan)
    client.force_login(group_head)
    values = form_values(page(client.get(edit_url(plan))), "kpi-form")
    values.update({"name": "ชื่อใหม่ที่ไม่ควรถูกบันทึก", **change})

    response = client.post(edit_url(plan), values)

    assert response.status_code == 400
    tree = page(response)
    shown = {name: errors_of(tree, name) for name in EDITABLE_FIELDS if errors_of(tree, name)}
    assert shown == expected
    assert "ยังไม่ได้บันทึก กรุณาแก้ไขช่องที่มีข้อความสีแดง" in messages_of(tree)
    # What was typed stays in the form to be corrected.
    assert form_values(tree, "kpi-form")["name"] == change.get("name", "ชื่อใหม่ที่ไม่ควรถูกบันทึก")
    assert snapshot(Kpi.objects.get(pk=plan.pk)) == before
    assert edits() == []


def test_an_agreement_copied_forward_is_shown_read_only_with_the_reason(client, director, fy2566):
    copy = agreement_copy_to_year(agreement=fy2566, fiscal_year=2567, actor=director)
    plan = kpi(fy2566, 4)
    before = snapshot(plan)
    client.force_login(director)

    tree = page(client.get(edit_url(plan)))

    assert text_of(tree, '//*[@id="read-only"]/div[1]') == f"แก้ไขไม่ได้: {READ_ONLY_MESSAGE}"
    newer = kpi(copy, 4)
    (link,) = tree.xpath('//*[@id="read-only"]//a')
    assert link.get("href") == f"/kpi/kpis/{newer.pk}/edit/"
    assert tree.xpath('//form[@id="kpi-form"]//button[@type="submit"]') == []
    assert tree.xpath('//input[@name="name"]')[0].get("disabled") is not None

    response = client.post(edit_url(plan), {"name": "แก้ย้อนหลัง", "weight": "15"})

    assert response.status_code == 409
    assert READ_ONLY_MESSAGE in page(response).text_content()
    assert snapshot(Kpi.objects.get(pk=plan.pk)) == before
    assert AuditEntry.objects.filter(action="kpi.update").count() == 0
    # The copy is where the edit belongs, and there it is saved.
    values = form_values(page(client.get(edit_url(newer))), "kpi-form")
    values["name"] = "แก้ในฉบับปีใหม่"
    assert client.post(edit_url(newer), values).status_code == 302
    assert Kpi.objects.get(pk=newer.pk).name == "แก้ในฉบับปีใหม่"


# --- a live binding ----------------------------------------------------------------------------


def test_the_bind_page_lists_the_sources_and_the_newest_manuals_processes(
    client, group_head, fy2566, fy2567_manual, other_source
):
    client.force_login(group_head)

    tree = page(client.get(bind_url(kpi(fy2566, 4))))

    sources = tree.xpath('//select[@name="live_source"]/option')
    assert [(o.get("value"), o.text_content()) for o in sources] == [
        ("", "— ไม่ผูก (กรอกผลเอง) —"),
        *((s.key, s.label) for s in registry.live_sources()),
    ]
    assert ("test.letters", "ร้อยละหนังสือที่ตอบทันเวลา") in [
        (o.get("value"), o.text_content()) for o in sources
    ]
    assert (WORKFLOW, WORKFLOW_LABEL) in [(o.get("value"), o.text_content()) for o in sources]
    codes = [o.get("value") for o in tree.xpath('//select[@name="process_code"]/option')]
    assert codes == [
        "",
        *fy2567_manual.processes.order_by("kind", "number").values_list("code", flat=True),
    ]
    assert "C10" in codes
    assert text_of(tree, '//*[@id="not-bound"]') == (
        "ยังไม่ได้ผูก: ผลของตัวชี้วัดนี้มาจากการบันทึกผลการดำเนินงาน"
    )
    help_texts = [" ".join(dd.text_content().split()) for dd in tree.xpath('//*[@id="sources"]/dd')]
    assert '{"register": "รับ"}' in help_texts
    assert any("process_code" in text for text in help_texts)


def test_a_bound_kpi_shows_a_real_cases_on_time_share_on_the_dashboard(
    client, director, fy2566, fy2567_manual, worker
):
    # Next year's agreement, copied through its page, matches the FY2567 manual the cases run.
    client.force_login(director)
    new_dashboard = client.post(copy_url(fy2566), {"fiscal_year": "2567"})["Location"]
    fy2567 = Agreement.objects.get(fiscal_year=2567)
    plan = kpi(fy2567, 4)

    response = client.post(
        bind_url(plan), {"action": "bind", "live_source": WORKFLOW, "process_code": "C10"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"{new_dashboard}?round=")
    assert response["Location"].endswith(f"#card-{plan.pk}")
    plan.refresh_from_db()
    assert (plan.live_source, plan.live_params) == (WORKFLOW, {"process_code": "C10"})
    assert AuditEntry.objects.get(action="kpi.bind_live_source").changes == {
        "live_params": [{}, {"process_code": "C10"}],
        "live_source": ["", WORKFLOW],
    }

    # An ICT service request (C10) worked on time: 10 minutes and 1 hour are the set times.
    c10 = fy2567_manual.processes.get(code="C10")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c10, title="ขอใช้บริการ ICT", actor=worker)
    for order, minute in ((1, 1), (2, 5), (3, 25)):
        with time_machine.travel(at(2024, 4, 10, 9, minute), tick=False):
            step_complete(instance=case.steps.get(order=order, status="active"), actor=worker)

    with time_machine.travel(at(2024, 4, 30, 12, 0), tick=False):
        tree = page(client.get(f"{new_dashboard}?round=12m"))

    row = f'//tr[@id="kpi-{plan.pk}"]'
    assert text_of(tree, f'{row}/td[contains(@class, "kpi-value")]') == "ร้อยละ 100"
    assert text_of(tree, f'{row}/td[contains(@class, "kpi-score")]') == "100.00"
    assert "ข้อมูลอัตโนมัติ" in text_of(tree, f"{row}/td[1]")
    assert text_of(tree, f'//*[@id="card-{plan.pk}"]//*[contains(@class, "source")]') == (
        f"แหล่งข้อมูลอัตโนมัติ: {WORKFLOW_LABEL} — ระบบติดตามกระบวนงาน: C10 ปีงบประมาณ 2567"
        " · วัดเมื่อ 30 เม.ย. 67 12:00 น."
    )
    # The bind page shows the binding and today's measurement too.
    with time_machine.travel(at(2024, 4, 30, 12, 0), tick=False):
        bind_page = page(client.get(bind_url(plan)))
    assert form_values(bind_page, "live-source-form") == {
        "live_source": WORKFLOW,
        "process_code": "C10",
        "live_params": "",
    }
    assert text_of(bind_page, '//*[@id="live-now"]') == (
        "รอบ ๙ เดือน: ผล ร้อยละ 100 · คะแนน 100.00 — ระบบติดตามกระบวนงาน: C10 ปีงบประมาณ 2567"
        " · วัดเมื่อ 30 เม.ย. 67 12:00 น."
    )


def test_unbinding_goes_back_to_results_entered_by_hand(client, group_head, fy2566, fy2567_manual):
    plan = kpi(fy2566, 4)
    kpi_bind_live_source(kpi=plan, key=WORKFLOW, params={}, actor=group_head)
    client.force_login(group_head)

    response = client.post(bind_url(plan), {"action": "unbind", "live_source": WORKFLOW})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.live_source, plan.live_params) == ("", {})
    assert AuditEntry.objects.get(action="kpi.unbind_live_source").changes == {
        "live_source": [WORKFLOW, ""]
    }
    again = client.post(bind_url(plan), {"action": "unbind"})
    assert again.status_code == 302
    assert AuditEntry.objects.filter(action="kpi.unbind_live_source").count() == 1


def test_another_source_takes_its_parameters_as_json(client, group_head, fy2566, other_source):
    plan = kpi(fy2566, 3)
    client.force_login(group_head)

    response = client.post(
        bind_url(plan),
        {"live_source": "test.letters", "live_params": '{"register": "รับ", "items": 3}'},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.live_source, plan.live_params) == ("test.letters", {"register": "รับ", "items": 3})
    assert other_source == [{"register": "รับ", "items": 3}]  # asked once, to check
    tree = page(client.get(bind_url(plan)))
    assert text_of(tree, '//*[@id="bound-params"]') == "พารามิเตอร์: items = 3, register = รับ"
    shown = form_values(tree, "live-source-form")
    assert json.loads(shown["live_params"]) == {"register": "รับ", "items": 3}
    assert shown["process_code"] == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"live_source": WORKFLOW, "process_code": "C99"},
            "process_code",
            "ไม่พบกระบวนงานรหัส C99 ในคู่มือปีงบประมาณ พ.ศ. 2567",
        ),
        (
            {"live_source": WORKFLOW, "live_params": '{"process_code": "C10"}'},
            "live_params",
            "แหล่งข้อมูลนี้ใช้การเลือกกระบวนงาน ไม่ต้องกรอกพารามิเตอร์ JSON",
        ),
        (
            {"live_source": "test.letters", "process_code": "C10"},
            "process_code",
            f"เลือกกระบวนงานได้เฉพาะแหล่งข้อมูล “{WORKFLOW_LABEL}”",
        ),
        (
            {"live_source": "test.letters", "live_params": "{register: 1}"},
            "live_params",
            "พารามิเตอร์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 1 ตำแหน่ง 2)",
        ),
        (
            {"live_source": "test.letters", "live_params": '["รับ"]'},
            "live_params",
            'พารามิเตอร์ต้องเป็นชุดข้อมูล JSON แบบ {"ชื่อ": ค่า}',
        ),
        (
            {"live_source": "test.letters", "live_params": '{"x": NaN}'},
            "live_params",
            "พารามิเตอร์ไม่ใช่ JSON ที่ถูกต้อง",
        ),
        (
            {"live_source": "test.letters", "live_params": "[" * 3000},
            "live_params",
            "พารามิเตอร์ไม่ใช่ JSON ที่ถูกต้อง",
        ),
        (
            {"live_source": "", "live_params": '{"register": "รับ"}'},
            "live_params",
            "ไม่ได้เลือกแหล่งข้อมูลอัตโนมัติ จึงไม่ต้องระบุพารามิเตอร์",
        ),
        (
            {"live_source": "nowhere.gone"},
            "live_source",
            "ไม่พบแหล่งข้อมูลอัตโนมัติ 'nowhere.gone' (ที่มี: "
            + ", ".join(sorted([*KNOWN_SOURCES, "test.letters"]))
            + ")",
        ),
        (
            {"live_source": "test.letters", "live_params": "{" * 5001},
            "live_params",
            "พารามิเตอร์ (JSON)ยาวเกิน 5,000 ตัวอักษร",
        ),
    ],
)
def test_a_refused_binding_names_the_field_and_changes_nothing(
    client, group_head, fy2566, fy2567_manual, other_source, data, field, message
):
    plan = kpi(fy2566, 4)
    client.force_login(group_head)

    response = client.post(bind_url(plan), {"action": "bind", **data})

    assert response.status_code == 400
    assert errors_of(page(response), field) == [message]
    plan.refresh_from_db()
    assert (plan.live_source, plan.live_params) == ("", {})
    assert edits() == []


def test_a_deliverables_kpi_binds_to_a_source_that_ticks_what_it_can_check(
    client, group_head, fy2566, fy2567_manual
):
    catalog = kpi(fy2566, 1)
    client.force_login(group_head)

    tree = page(client.get(bind_url(catalog)))
    assert text_of(tree, '//*[@id="deliverables-note"]').startswith("ตัวชี้วัดนี้คิดคะแนนตามผลผลิตที่ส่งมอบ")
    response = client.post(bind_url(catalog), {"live_source": "catalog.kpi1_level"})

    assert response.status_code == 302
    assert Kpi.objects.get(pk=catalog.pk).live_source == "catalog.kpi1_level"


def test_binding_a_kpi_of_an_agreement_copied_forward_is_refused(
    client, director, fy2566, fy2567_manual
):
    copy = agreement_copy_to_year(agreement=fy2566, fiscal_year=2567, actor=director)
    plan = kpi(fy2566, 4)
    client.force_login(director)

    tree = page(client.get(bind_url(plan)))
    assert text_of(tree, '//*[@id="read-only"]/div[1]') == f"แก้ไขไม่ได้: {READ_ONLY_MESSAGE}"
    assert tree.xpath('//*[@id="read-only"]//a')[0].get("href") == bind_url(kpi(copy, 4))
    assert tree.xpath('//form[@id="live-source-form"]//button') == []

    response = client.post(bind_url(plan), {"live_source": WORKFLOW, "process_code": "C10"})

    assert response.status_code == 409
    assert Kpi.objects.get(pk=plan.pk).live_source == ""
    assert edits() == ["agreement.copy"]


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin_user", "director", "group_head"])
def test_the_agreements_editors_may_open_every_editing_page(client, fy2566, role, request):
    client.force_login(request.getfixturevalue(role))
    plan = kpi(fy2566, 4)
    for url in (copy_url(fy2566), edit_url(plan), bind_url(plan)):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["officer", "auditor", "requester"])
def test_other_roles_get_403_and_nothing_changes(client, fy2566, fy2567_manual, role, request):
    client.force_login(request.getfixturevalue(role))
    plan = kpi(fy2566, 4)
    before = tree_of(fy2566)
    posts = [
        (copy_url(fy2566), {"fiscal_year": "2567"}),
        (edit_url(plan), {"name": "แก้โดยไม่มีสิทธิ์", "weight": "15"}),
        (bind_url(plan), {"live_source": WORKFLOW, "process_code": "C10"}),
        (bind_url(plan), {"action": "unbind"}),
    ]

    for url, _data in posts:
        assert client.get(url).status_code == 403, url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    assert tree_of(fy2566) == before
    assert Agreement.objects.count() == 1
    assert edits() == []


def test_the_anonymous_are_sent_to_sign_in(client, fy2566):
    plan = kpi(fy2566, 4)
    for url in (copy_url(fy2566), edit_url(plan), bind_url(plan)):
        response = client.post(url, {"fiscal_year": "2567"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert Agreement.objects.count() == 1


def test_unknown_ids_are_404(client, director, fy2566):
    client.force_login(director)
    for url in (
        "/kpi/agreements/999999/copy/",
        "/kpi/kpis/999999/edit/",
        "/kpi/kpis/999999/live-source/",
    ):
        assert client.get(url).status_code == 404, url


def test_editors_see_the_edit_links_and_officers_do_not(client, director, officer, fy2566):
    k = kpi(fy2566, 4)
    client.force_login(director)
    dashboard = client.get(reverse("kpi:agreement_detail", args=[fy2566.pk])).content.decode()
    kpi_page = client.get(reverse("kpi:kpi_detail", args=[k.pk])).content.decode()
    assert copy_url(fy2566) in dashboard
    assert edit_url(k) in kpi_page
    assert bind_url(k) in kpi_page

    client.force_login(officer)
    dashboard = client.get(reverse("kpi:agreement_detail", args=[fy2566.pk])).content.decode()
    kpi_page = client.get(reverse("kpi:kpi_detail", args=[k.pk])).content.decode()
    assert copy_url(fy2566) not in dashboard
    assert edit_url(k) not in kpi_page
    assert bind_url(k) not in kpi_page
