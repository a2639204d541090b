"""The KPI REST API end to end: token-authenticated requests through the URL routes, on the
real FY2566 agreement loaded from its fixture."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from krabuan.core.models import AuditEntry
from krabuan.kpi.models import Agreement, Kpi, KpiResult
from krabuan.kpi.services.agreements import agreement_copy_to_year
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.org.tests.factories import UserFactory

AGREEMENTS = "/api/v1/agreements/"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def api(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def evidence(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def results_url(kpi: Kpi) -> str:
    return f"/api/v1/kpis/{kpi.pk}/results/"


def score_url(agreement: Agreement, round: str = "12m") -> str:
    return f"{AGREEMENTS}{agreement.pk}/score/?round={round}"


def by_id(rows: list[dict], pk: int) -> dict:
    (row,) = [r for r in rows if r["id"] == pk]
    return row


def post_result(user, kpi: Kpi, **data):
    """A result with an evidence file, as the entry form sends it (multipart)."""
    data.setdefault("evidence", evidence())
    return api(user).post(results_url(kpi), data, format="multipart")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fy2566(demo_org) -> Agreement:
    return agreement_fixture_load(path=fixture_path(2566)).agreement


def kpi_no(agreement: Agreement, number: int) -> Kpi:
    return Kpi.objects.get(agreement=agreement, number=number)


# --- the agreement list -----------------------------------------------------------------------


def test_list_gives_the_fy2566_agreement_with_its_six_kpis(fy2566, officer):
    response = api(officer).get(AGREEMENTS, {"fiscal_year": "2566"})

    assert response.status_code == 200, response.json()
    (item,) = response.json()
    assert item["id"] == fy2566.pk
    assert item["fiscal_year"] == 2566
    assert item["unit"] == "ict"
    assert item["unit_name"] == "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert [(k["number"], k["weight"], k["group"], k["method"]) for k in item["kpis"]] == [
        (1, 20.0, "performance", "deliverables"),
        (2, 20.0, "performance", "deliverables"),
        (3, 15.0, "performance", "direct"),
        (4, 15.0, "performance", "interpolation"),
        (5, 15.0, "potential", "deliverables"),
        (6, 15.0, "potential", "shared"),
    ]
    assert item["kpis"][5]["id"] == kpi_no(fy2566, 6).pk
    assert item["kpis"][5]["name"] == "การประเมินสถานะของหน่วยงานในการเป็นระบบราชการ 4.0 (PMQA 4.0)"
    assert set(item["kpis"][0]) == {"id", "number", "name", "weight", "group", "method"}


def test_list_takes_the_year_in_thai_digits_and_filters_by_it(fy2566, auditor):
    thai = api(auditor).get(AGREEMENTS, {"fiscal_year": "๒๕๖๖"})
    other_year = api(auditor).get(AGREEMENTS, {"fiscal_year": "2567"})
    every_year = api(auditor).get(AGREEMENTS)

    assert [a["id"] for a in thai.json()] == [fy2566.pk]
    assert other_year.status_code == 200
    assert other_year.json() == []
    assert [a["id"] for a in every_year.json()] == [fy2566.pk]


@pytest.mark.parametrize("year", ["abc", "25x6", "66", "9999"])
def test_list_refuses_a_bad_fiscal_year_naming_the_field(fy2566, officer, year):
    response = api(officer).get(AGREEMENTS, {"fiscal_year": year})

    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["fiscal_year"]


def test_list_is_empty_for_a_user_without_a_role(fy2566):
    response = api(UserFactory(username="nobody")).get(AGREEMENTS)

    assert response.status_code == 200
    assert response.json() == []


def test_list_needs_sign_in(fy2566):
    response = APIClient().get(AGREEMENTS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_list_query_count_does_not_grow_with_agreements(fy2566, director):
    client = api(director)
    client.get(AGREEMENTS)  # the token and the roles are looked up the same way each time
    with CaptureQueriesContext(connection) as one:
        first = client.get(AGREEMENTS)
    agreement_copy_to_year(agreement=fy2566, fiscal_year=2567, actor=director)
    with CaptureQueriesContext(connection) as two:
        second = client.get(AGREEMENTS)

    assert len(first.json()) == 1
    assert [a["fiscal_year"] for a in second.json()] == [2567, 2566]
    assert [len(a["kpis"]) for a in second.json()] == [6, 6]
    assert len(two.captured_queries) == len(one.captured_queries)


# --- one agreement ----------------------------------------------------------------------------


def test_detail_has_groups_levels_milestones_steps_and_deliverables(fy2566, auditor):
    response = api(auditor).get(f"{AGREEMENTS}{fy2566.pk}/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["fiscal_year"] == 2566
    assert body["period_start"] == "2022-10-01"
    assert body["period_end"] == "2023-09-30"
    assert body["below_first_level"] == "zero"
    assert [(g["code"], g["weight"]) for g in body["groups"]] == [
        ("performance", 70.0),
        ("potential", 30.0),
    ]
    assert [k["number"] for k in body["groups"][0]["kpis"]] == [1, 2, 3, 4]
    assert [k["number"] for k in body["groups"][1]["kpis"]] == [5, 6]
    pmqa = body["groups"][1]["kpis"][1]
    assert pmqa["levels"] == {"basic": 350.0, "standard": 399.03, "advanced": 438.93}
    assert pmqa["best_of_rounds"] is True
    assert [(b["year"], b["value"]) for b in pmqa["baselines"]] == [
        (2563, 360.76),
        (2564, 414.72),
        (2565, 399.03),
    ]
    assert [(r["year"], r["value"]) for r in pmqa["roadmap"]] == [
        (2566, 420.0),
        (2567, 440.0),
        (2568, 460.0),
    ]
    data_catalog = body["groups"][0]["kpis"][0]
    assert data_catalog["deduction_points"] == 10.0
    kpi1 = kpi_no(fy2566, 1)
    assert [(d["id"], d["level"], d["text"]) for d in data_catalog["deliverables"]] == [
        (d.pk, d.level, d.text) for d in kpi1.deliverables.order_by("level", "sort_order", "pk")
    ]
    # The source: 15 + 10 points at the standard level, 20 + 5 at the advanced one.
    points = {
        level: [d["points"] for d in data_catalog["deliverables"] if d["level"] == level]
        for level in (75, 100)
    }
    assert points == {75: [15.0, 10.0], 100: [20.0, 5.0]}
    six, nine = data_catalog["milestones"]
    assert (six["round"], nine["round"]) == ("6m", "9m")
    assert [s["due_on"] for s in six["steps"]] == ["2023-03-31"]
    assert [s["due_on"] for s in nine["steps"]] == ["2023-05-31"]
    assert six["steps"][0]["id"] == kpi1.milestones.get(round="6m").steps.get().pk
    disbursement = body["groups"][0]["kpis"][2]
    assert [m["target_value"] for m in disbursement["milestones"]] == [52.0, 75.0]


def test_detail_query_count_does_not_grow_with_kpis(fy2566, director):
    client = api(director)
    url = f"{AGREEMENTS}{fy2566.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as six_kpis:
        client.get(url)
    Kpi.objects.filter(agreement=fy2566, number__gt=2).delete()
    with CaptureQueriesContext(connection) as two_kpis:
        response = client.get(url)

    assert sum(len(g["kpis"]) for g in response.json()["groups"]) == 2
    assert len(six_kpis.captured_queries) == len(two_kpis.captured_queries)


def test_detail_of_a_missing_agreement_is_404(fy2566, officer):
    response = api(officer).get(f"{AGREEMENTS}{fy2566.pk + 1000}/")
    huge = api(officer).get(f"{AGREEMENTS}99999999999999999999/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "agreement_not_found"
    assert huge.status_code == 404


def test_detail_is_hidden_from_a_requester(fy2566, requester):
    response = api(requester).get(f"{AGREEMENTS}{fy2566.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "agreement_not_found"


# --- entering results and the score -----------------------------------------------------------


def test_pmqa_420_scores_88_14(fy2566, officer):
    pmqa = kpi_no(fy2566, 6)

    response = post_result(officer, pmqa, round="12m", value="420", note="ผลรอบวัดผล")

    assert response.status_code == 201, response.json()
    body = response.json()
    result = KpiResult.objects.get(kpi=pmqa)
    assert body["id"] == result.pk
    assert body["kpi"] == pmqa.pk
    assert body["round"] == "12m"
    assert body["value"] == 420.0
    assert body["note"] == "ผลรอบวัดผล"
    assert body["entered_by"] == "t-officer"
    assert body["evidence"] == os.path.basename(str(result.evidence.name))
    assert body["evidence_url"] == f"/kpi/kpis/{pmqa.pk}/results/{result.pk}/evidence/"
    assert result.evidence.read() == PDF
    score = api(officer).get(score_url(fy2566)).json()
    row = by_id(score["kpis"], pmqa.pk)
    assert (row["value"], row["score"], row["deduction"], row["weighted"]) == (
        420.0,
        88.14,
        0.0,
        13.22,
    )
    assert row["weight"] == 15.0
    assert row["group"] == "potential"
    assert row["source"] == f"บันทึกผลการดำเนินงาน รอบ ๑๒ เดือน โดย {officer.get_full_name()}"
    assert score["total"] == 13.22
    assert score["round"] == "12m"
    assert sorted(score["missing"]) == sorted(k.pk for k in fy2566.kpis.all() if k.pk != pmqa.pk)


def test_disbursement_98_5_scores_98_5_and_adds_to_the_total(fy2566, officer):
    disbursement = kpi_no(fy2566, 3)
    pmqa = kpi_no(fy2566, 6)
    post_result(officer, pmqa, round="12m", value=420)

    response = post_result(officer, disbursement, round="12m", value="๙๘.๕")

    assert response.status_code == 201, response.json()
    score = api(officer).get(score_url(fy2566)).json()
    row = by_id(score["kpis"], disbursement.pk)
    assert (row["value"], row["score"], row["deduction"], row["weighted"]) == (
        98.5,
        98.5,
        0.0,
        14.78,
    )
    assert score["total"] == 28.0  # 14.78 + 13.22
    assert isinstance(score["total"], float)


def test_deductions_for_kpis_1_and_2_and_not_for_kpi_5(fy2566, group_head):
    catalog, pdpa, pdpa_office = kpi_no(fy2566, 1), kpi_no(fy2566, 2), kpi_no(fy2566, 5)
    for kpi in (catalog, pdpa, pdpa_office):
        level_50 = [d.pk for d in kpi.deliverables.filter(level=50)]
        response = post_result(group_head, kpi, round="6m", value="", deliverables=level_50)
        assert response.status_code == 201, response.json()

    rows = api(group_head).get(score_url(fy2566, "6m")).json()["kpis"]

    assert [(r["score"], r["deduction"]) for r in (by_id(rows, k.pk) for k in (catalog, pdpa))] == [
        (40.0, 10.0),
        (40.0, 10.0),
    ]
    assert (by_id(rows, pdpa_office.pk)["score"], by_id(rows, pdpa_office.pk)["deduction"]) == (
        50.0,
        0.0,
    )


def test_deduction_goes_when_the_round_steps_are_done(fy2566, group_head):
    catalog = kpi_no(fy2566, 1)
    level_50 = [d.pk for d in catalog.deliverables.filter(level=50)]
    steps = [s.pk for s in catalog.milestones.get(round="6m").steps.all()]
    post_result(group_head, catalog, round="6m", value="", deliverables=level_50)

    response = api(group_head).post(
        results_url(catalog),
        {"round": "6m", "value": None, "milestone_steps": steps},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["milestone_steps"] == steps
    assert response.json()["deliverables"] == sorted(level_50)
    row = by_id(api(group_head).get(score_url(fy2566, "6m")).json()["kpis"], catalog.pk)
    assert (row["score"], row["deduction"]) == (50.0, 0.0)


def test_json_result_without_evidence_for_a_kpi_that_needs_none(fy2566, officer):
    plan = kpi_no(fy2566, 4)
    Kpi.objects.filter(pk=plan.pk).update(evidence_required=False)

    response = api(officer).post(results_url(plan), {"round": "12m", "value": 97.5}, format="json")

    assert response.status_code == 201, response.json()
    row = by_id(api(officer).get(score_url(fy2566)).json()["kpis"], plan.pk)
    assert (row["value"], row["score"]) == (97.5, 75.0)


def test_results_list_in_fiscal_year_order(fy2566, officer, auditor):
    disbursement = kpi_no(fy2566, 3)
    post_result(officer, disbursement, round="9m", value=80)
    post_result(officer, disbursement, round="2566-02", value=40)
    post_result(officer, disbursement, round="6m", value=55)

    response = api(auditor).get(results_url(disbursement))

    assert response.status_code == 200
    assert [(r["round"], r["value"]) for r in response.json()] == [
        ("2566-02", 40.0),
        ("6m", 55.0),
        ("9m", 80.0),
    ]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi_number", "data", "field"),
    [
        (3, {"round": "12m", "value": "abc"}, "value"),
        (3, {"round": "13m", "value": "90"}, "round"),
        (3, {"round": "2567-01", "value": "90"}, "round"),  # January 2567 is in FY 2567
        (3, {"round": "2566-10", "value": "90"}, "round"),  # October 2566 starts FY 2567
        (3, {"round": "12m", "value": "150"}, "value"),  # a percentage
        (4, {"round": "12m", "value": "-1"}, "value"),
        (1, {"round": "12m", "value": "", "deliverables": ["x"]}, "deliverables"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    fy2566, officer, kpi_number, data, field
):
    kpi = kpi_no(fy2566, kpi_number)

    response = post_result(officer, kpi, **data)

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]
    assert not KpiResult.objects.exists()


def test_several_bad_fields_are_reported_together(fy2566, officer):
    disbursement = kpi_no(fy2566, 3)

    response = api(officer).post(
        results_url(disbursement), {"round": "13m", "value": "abc"}, format="json"
    )

    assert response.status_code == 400
    # Disbursement comes from GFMIS and needs no evidence file; the bad round and value are named.
    assert set(response.json()["error"]["fields"]) == {"round", "value"}
    assert not KpiResult.objects.exists()


def test_a_deliverable_kpi_needs_its_evidence_file(fy2566, officer):
    catalog = kpi_no(fy2566, 1)

    response = api(officer).post(
        results_url(catalog), {"round": "6m", "value": None}, format="json"
    )

    assert response.status_code == 400
    assert "evidence" in response.json()["error"]["fields"]
    assert not KpiResult.objects.exists()


def test_a_deliverable_of_another_kpi_is_refused(fy2566, officer):
    catalog, pdpa = kpi_no(fy2566, 1), kpi_no(fy2566, 2)
    foreign = pdpa.deliverables.get(level=50)

    response = post_result(officer, catalog, round="6m", value="", deliverables=[foreign.pk])

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["deliverables"]
    assert not KpiResult.objects.exists()


def test_a_wrong_id_in_a_list_is_named_by_its_position(fy2566, officer):
    catalog = kpi_no(fy2566, 1)

    response = api(officer).post(
        results_url(catalog),
        {"round": "6m", "value": None, "milestone_steps": [1, "x", None, 99999999999]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "milestone_steps": [
            "รายการที่ 2: ต้องเป็น id (จำนวนเต็ม)",
            "รายการที่ 3: ต้องเป็น id (จำนวนเต็ม)",
            "รายการที่ 4: ไม่มี id นี้",
        ]
    }
    assert not KpiResult.objects.exists()


def test_value_must_be_sent(fy2566, officer):
    response = api(officer).post(results_url(kpi_no(fy2566, 3)), {"round": "12m"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["value"]


def test_evidence_with_the_wrong_content_is_refused(fy2566, officer):
    fake = SimpleUploadedFile("result.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = post_result(officer, kpi_no(fy2566, 3), round="12m", value="90", evidence=fake)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["evidence"]
    assert not KpiResult.objects.exists()


def test_score_refuses_a_bad_round_naming_it(fy2566, officer):
    bad = api(officer).get(score_url(fy2566, "13m"))
    outside = api(officer).get(score_url(fy2566, "2567-01"))

    assert bad.status_code == 400
    assert list(bad.json()["error"]["fields"]) == ["round"]
    assert outside.status_code == 400
    assert list(outside.json()["error"]["fields"]) == ["round"]


def test_score_defaults_to_the_year_end_round(fy2566, officer):
    response = api(officer).get(f"{AGREEMENTS}{fy2566.pk}/score/")

    assert response.status_code == 200
    body = response.json()
    assert body["round"] == "12m"
    assert body["total"] == 0.0
    assert [r["score"] for r in body["kpis"]] == [None] * 6
    assert [g["code"] for g in body["groups"]] == ["performance", "potential"]


# --- roles and missing objects ----------------------------------------------------------------


def test_auditor_gets_403_and_nothing_is_saved(fy2566, auditor):
    audit_entries = AuditEntry.objects.count()

    response = post_result(auditor, kpi_no(fy2566, 6), round="12m", value="420")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not KpiResult.objects.exists()
    assert AuditEntry.objects.count() == audit_entries


def test_user_without_a_role_gets_403_whatever_the_id(fy2566):
    nobody = UserFactory(username="nobody")

    existing = post_result(nobody, kpi_no(fy2566, 3), round="12m", value="90")
    missing = api(nobody).post("/api/v1/kpis/999999/results/", {}, format="json")

    assert existing.status_code == 403
    assert missing.status_code == 403
    assert not KpiResult.objects.exists()


def test_missing_kpi_is_404(fy2566, officer):
    post = post_result(officer, Kpi(pk=999999), round="12m", value="90")
    get = api(officer).get("/api/v1/kpis/999999/results/")
    huge = api(officer).get("/api/v1/kpis/99999999999999999999/results/")

    assert post.status_code == 404
    assert post.json()["error"]["code"] == "kpi_not_found"
    assert get.status_code == 404
    assert huge.status_code == 404
    assert not KpiResult.objects.exists()


def test_missing_agreement_score_is_404(fy2566, officer):
    response = api(officer).get(f"{AGREEMENTS}{fy2566.pk + 1000}/score/?round=12m")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "agreement_not_found"
