"""The workflow REST API end to end: token-authenticated requests through the URL routes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.manual.tests.factories import ProcessFactory, StepControlFactory, StepFactory
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.models import Case, CaseStatus, StepInstance
from krabuan.workflow.services.cases import case_start
from krabuan.workflow.tests.conftest import process

CASES = "/api/v1/cases/"


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


def api(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def step_url(case_id: int, order: int, action: str) -> str:
    return f"{CASES}{case_id}/steps/{order}/{action}"


def by_order(body: dict, order: int, pass_no: int = 1) -> dict:
    (row,) = [s for s in body["steps"] if s["order"] == order and s["pass_no"] == pass_no]
    return row


def member(username: str, role: str, unit_code: str = "ict-network"):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


def state_of(case_id: int) -> list[tuple]:
    """Everything a refused request must leave untouched."""
    return list(
        StepInstance.objects.filter(case_id=case_id)
        .order_by("order", "pass_no", "iteration")
        .values_list("order", "pass_no", "status", "completed_at", "paused_at", "outcome")
    )


# --- starting and reading a case --------------------------------------------------------------


@time_machine.travel(at(2024, 4, 10, 9, 0), tick=False)
def test_start_answers_201_with_the_first_step_started(fy2567, worker):
    s06 = process(fy2567, "S06")

    response = api(worker).post(
        CASES,
        {"process": s06.pk, "title": "แผนพัฒนารายบุคคล 2567", "priority": "high"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert body["reference"] == "S06-2567-00001"
    assert body["process"] == s06.pk
    assert body["process_code"] == "S06"
    assert body["title"] == "แผนพัฒนารายบุคคล 2567"
    assert body["status"] == "open"
    assert body["priority"] == "high"
    assert body["fiscal_year"] == 2567
    assert body["started_at"] == "2024-04-10T09:00:00+07:00"
    assert body["closed_at"] is None
    assert [(s["order"], s["status"]) for s in body["steps"]] == [
        (1, "active"),
        (2, "pending"),
        (3, "pending"),
        (4, "pending"),
        (5, "pending"),
    ]
    first = body["steps"][0]
    assert first["activity"] == s06.steps.get(order=1).activity
    assert first["assignee"] == "worker"
    assert first["started_at"] == "2024-04-10T09:00:00+07:00"
    # ๑ วันทำการ: the next working day at closing time (Songkran comes after).
    assert first["due_at"] == "2024-04-11T16:30:00+07:00"
    assert first["target_at"] == "2024-04-11T16:30:00+07:00"
    assert first["completed_at"] is None
    assert first["on_time"] is None
    assert first["breached"] is False
    assert first["needs_review"] is False
    assert first["outcome"] == ""
    assert [c["n"] for c in first["controls"]] == [1]
    assert first["controls"][0]["confirmed"] is False
    assert first["controls"][0]["confirmed_by"] is None
    assert by_order(body, 3)["outcomes"] == ["เห็นชอบ", "ไม่เห็นชอบ"]
    assert by_order(body, 2)["due_at"] is None
    assert api(worker).get(f"{CASES}{case.pk}/").json() == body


def test_start_refuses_bad_input_naming_the_field(fy2567, worker):
    s06 = process(fy2567, "S06")
    client = api(worker)
    cases = [
        ({"process": "abc", "title": "x"}, "process"),
        ({"process": 10**30, "title": "x"}, "process"),
        ({"process": 999_999, "title": "x"}, "process"),
        ({"process": True, "title": "x"}, "process"),
        ({"process": s06.pk}, "title"),
        ({"process": s06.pk, "title": "   "}, "title"),
        ({"process": s06.pk, "title": "a\x00b"}, "title"),
        ({"process": s06.pk, "title": "x" * 301}, "title"),
        ({"process": s06.pk, "title": "x", "priority": "asap"}, "priority"),
        ({"process": s06.pk, "title": "x", "quantity": 10**20}, "quantity"),
        ({"process": s06.pk, "title": "x", "quantity": "many"}, "quantity"),
        ({"process": s06.pk, "title": "x", "started_at": "yesterday"}, "started_at"),
        (
            {"process": s06.pk, "title": "x", "started_at": "0001-01-01T00:00:00+14:00"},
            "started_at",
        ),
    ]
    for payload, field in cases:
        response = client.post(CASES, payload, format="json")
        assert response.status_code == 400, (payload, response.json())
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert list(error["fields"]) == [field], payload

    together = client.post(CASES, {"process": 999_999, "title": ""}, format="json").json()
    assert sorted(together["error"]["fields"]) == ["process", "title"]
    assert together["error"]["fields"]["process"] == ["ไม่พบกระบวนงาน id 999999"]
    not_an_object = client.post(CASES, [1, 2], format="json")
    assert not_an_object.status_code == 400
    assert list(not_an_object.json()["error"]["fields"]) == ["non_field_errors"]
    assert Case.objects.count() == 0


@time_machine.travel(at(2024, 4, 10, 9, 0), tick=False)
def test_numbers_may_come_as_strings_in_thai_digits(fy2567, worker):
    s02 = process(fy2567, "S02")

    response = api(worker).post(
        CASES, {"process": str(s02.pk), "title": "หนังสือรับ", "quantity": "๑๒"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["steps"][0]["quantity"] == 12


def test_back_dating_is_for_allowed_roles_only(fy2567, worker):
    director = member("boss", Role.DIRECTOR, "ict")
    c01 = process(fy2567, "C01")
    payload = {"process": c01.pk, "title": "นำเข้างานเก่า", "started_at": "2024-01-15T09:00:00+07:00"}

    refused = api(worker).post(CASES, payload, format="json")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert list(refused.json()["error"]["fields"]) == ["started_at"]
    assert Case.objects.count() == 0

    allowed = api(director).post(CASES, payload, format="json")

    assert allowed.status_code == 201, allowed.json()
    assert allowed.json()["started_at"] == "2024-01-15T09:00:00+07:00"
    assert allowed.json()["fiscal_year"] == 2567


def test_reads_and_writes_need_a_signed_in_user(fy2567):
    client = APIClient()
    assert client.get(CASES).status_code == 401
    assert client.post(CASES, {"process": 1, "title": "x"}, format="json").status_code == 401
    assert client.get("/api/v1/my/steps/").status_code == 401
    unauthorised = client.post(step_url(1, 1, "complete"), {}, format="json")
    assert unauthorised.status_code == 401
    assert unauthorised.json()["error"]["code"] == "not_authenticated"


# --- working on steps ---------------------------------------------------------------------


def test_complete_is_refused_with_409_listing_unconfirmed_controls(fy2567, worker):
    c01 = process(fy2567, "C01")
    client = api(worker)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case_id = client.post(
            CASES, {"process": c01.pk, "title": "ทบทวนแผน"}, format="json"
        ).json()["id"]
    for order in (1, 2):
        with time_machine.travel(at(2024, 4, 10, 10, order), tick=False):
            done = client.post(step_url(case_id, order, "complete"), {}, format="json")
        assert done.status_code == 200, done.json()
    control = c01.steps.get(order=3).controls.get(kind="control")
    before = state_of(case_id)

    refused = client.post(step_url(case_id, 3, "complete"), {"note": "เสร็จ"}, format="json")

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "controls_unconfirmed"
    assert error["fields"] == {"controls": [control.text]}
    assert control.text in error["message"]
    assert state_of(case_id) == before

    with time_machine.travel(at(2024, 4, 10, 10, 30), tick=False):
        confirmed = client.post(
            step_url(case_id, 3, "controls/1/confirm"), {"note": "ตรวจแล้ว"}, format="json"
        )
    assert confirmed.status_code == 200, confirmed.json()
    assert by_order(confirmed.json(), 3)["controls"] == [
        {
            "n": 1,
            "id": control.pk,
            "text": control.text,
            "confirmed": True,
            "confirmed_by": "worker",
            "confirmed_at": "2024-04-10T10:30:00+07:00",
            "note": "ตรวจแล้ว",
        }
    ]

    # The trailing-slash spelling of the same action works too.
    with time_machine.travel(at(2024, 4, 10, 11, 0), tick=False):
        completed = client.post(step_url(case_id, 3, "complete") + "/", {}, format="json")

    assert completed.status_code == 200, completed.json()
    third = by_order(completed.json(), 3)
    assert third["status"] == "done"
    assert third["completed_at"] == "2024-04-10T11:00:00+07:00"
    assert third["on_time"] is True
    assert by_order(completed.json(), 4)["status"] == "active"


def test_confirm_refuses_unknown_or_repeated_control_points(fy2567, worker):
    c01 = process(fy2567, "C01")
    case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    client = api(worker)

    assert client.post(step_url(case.pk, 1, "controls/1/confirm"), {}).status_code == 404
    for order in (1, 2):
        client.post(step_url(case.pk, order, "complete"), {}, format="json")
    unknown = client.post(step_url(case.pk, 3, "controls/2/confirm"), {}, format="json")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "control_not_found"
    assert client.post(step_url(case.pk, 3, "controls/1/confirm"), {}).status_code == 200

    again = client.post(step_url(case.pk, 3, "controls/1/confirm"), {}, format="json")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "control_already_confirmed"
    assert client.post(step_url(case.pk, 99, "complete"), {}).status_code == 404
    assert client.post(step_url(case.pk, 2**70, "complete"), {}).status_code == 404
    assert client.post(step_url(2**70, 1, "complete"), {}).status_code == 404
    assert client.get(f"{CASES}{2**70}/").status_code == 404


@time_machine.travel(at(2024, 4, 10, 9, 0), tick=False)
def test_an_outcome_returns_the_case_to_an_earlier_step(fy2567, worker):
    s06 = process(fy2567, "S06")
    case = case_start(process=s06, title="แผนพัฒนารายบุคคล", actor=worker)
    client = api(worker)
    assert client.post(step_url(case.pk, 1, "controls/1/confirm"), {}).status_code == 200
    for order in (1, 2):
        assert client.post(step_url(case.pk, order, "complete"), {}).status_code == 200

    missing = client.post(step_url(case.pk, 3, "complete"), {}, format="json")
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["outcome"]

    returned = client.post(step_url(case.pk, 3, "complete"), {"outcome": "ไม่เห็นชอบ"}, format="json")

    assert returned.status_code == 200, returned.json()
    body = returned.json()
    assert [(s["order"], s["pass_no"], s["status"]) for s in body["steps"]] == [
        (1, 1, "done"),
        (1, 2, "active"),
        (2, 1, "done"),
        (2, 2, "pending"),
        (3, 1, "done"),
        (3, 2, "pending"),
        (4, 1, "pending"),
        (5, 1, "pending"),
    ]
    assert by_order(body, 3)["outcome"] == "ไม่เห็นชอบ"
    # The new pass has its own control point to confirm.
    assert by_order(body, 1, pass_no=2)["controls"][0]["confirmed"] is False


def test_pause_and_resume_move_the_deadline_by_the_time_waited(fy2567, worker):
    c01 = process(fy2567, "C01")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    client = api(worker)
    due = by_order(client.get(f"{CASES}{case.pk}/").json(), 1)["due_at"]
    assert due == "2024-04-11T16:30:00+07:00"

    no_reason = client.post(step_url(case.pk, 1, "pause"), {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    assert list(no_reason.json()["error"]["fields"]) == ["reason"]
    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        paused = client.post(
            step_url(case.pk, 1, "pause"), {"reason": "รอข้อมูลจากกรม"}, format="json"
        )
    assert paused.status_code == 200, paused.json()
    assert paused.json()["status"] == "waiting"
    assert by_order(paused.json(), 1)["status"] == "paused"
    assert by_order(paused.json(), 1)["pause_reason"] == "รอข้อมูลจากกรม"

    with time_machine.travel(at(2024, 4, 10, 12, 0), tick=False):
        resumed = client.post(step_url(case.pk, 1, "resume"))

    assert resumed.status_code == 200, resumed.json()
    first = by_order(resumed.json(), 1)
    assert resumed.json()["status"] == "open"
    assert first["status"] == "active"
    assert first["paused_seconds"] == 7200
    assert first["due_at"] == "2024-04-11T18:30:00+07:00"
    again = client.post(step_url(case.pk, 1, "resume"))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "step_not_paused"


def test_a_mandatory_step_cannot_be_skipped(fy2567, worker):
    c01 = process(fy2567, "C01")
    case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    before = state_of(case.pk)

    refused = api(worker).post(step_url(case.pk, 1, "skip"), {"reason": "ไม่จำเป็น"}, format="json")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "step_not_skippable"
    assert state_of(case.pk) == before


def test_an_optional_step_is_skipped_with_its_reason(fy2567, worker):
    proc = ProcessFactory(manual=fy2567, number=90, code="T90")
    StepFactory(process=proc, order=1, is_optional=True)
    StepFactory(process=proc, order=2)
    case = case_start(process=proc, title="ทดสอบ", actor=worker)
    client = api(worker)

    assert client.post(step_url(case.pk, 1, "skip"), {}, format="json").status_code == 400
    skipped = client.post(step_url(case.pk, 1, "skip"), {"reason": "ไม่มีกรณีนี้"}, format="json")

    assert skipped.status_code == 200, skipped.json()
    first = by_order(skipped.json(), 1)
    assert (first["status"], first["skip_reason"], first["skippable"]) == (
        "skipped",
        "ไม่มีกรณีนี้",
        True,
    )
    assert by_order(skipped.json(), 2)["status"] == "active"


def test_a_risk_occurrence_is_recorded_against_a_listed_risk(fy2567, worker):
    proc = ProcessFactory(manual=fy2567, number=91, code="T91")
    step = StepFactory(process=proc, order=1)
    risk = StepControlFactory(step=step, kind="risk", text="ระบบล่ม")
    case = case_start(process=proc, title="ทดสอบ", actor=worker)
    client = api(worker)
    url = step_url(case.pk, 1, "risks")

    assert list(client.post(url, {"note": "x", "risk": 2}).json()["error"]["fields"]) == ["risk"]
    assert list(client.post(url, {"note": ""}).json()["error"]["fields"]) == ["note"]
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        recorded = client.post(url, {"note": "ระบบล่ม 2 ชั่วโมง", "risk": 1}, format="json")

    assert recorded.status_code == 201, recorded.json()
    first = by_order(recorded.json(), 1)
    assert first["risks"] == [{"n": 1, "id": risk.pk, "text": "ระบบล่ม"}]
    assert first["risk_occurrences"] == [
        {"risk": 1, "note": "ระบบล่ม 2 ชั่วโมง", "recorded_at": "2024-04-10T09:00:00+07:00"}
    ]


def test_cancel_closes_the_case_and_its_open_steps(fy2567, worker):
    case = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน", actor=worker)
    client = api(worker)

    assert client.post(f"{CASES}{case.pk}/cancel", {}, format="json").status_code == 400
    cancelled = client.post(f"{CASES}{case.pk}/cancel", {"reason": "ซ้ำ"}, format="json")

    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelled"
    assert {s["status"] for s in cancelled.json()["steps"]} == {"cancelled"}
    again = client.post(f"{CASES}{case.pk}/cancel/", {"reason": "ซ้ำ"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "case_closed"


# --- who may do what ----------------------------------------------------------------------


def test_an_auditor_reads_but_changes_nothing(fy2567, worker):
    auditor = member("audit", Role.AUDITOR, "ict")
    c01 = process(fy2567, "C01")
    case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
    client = api(auditor)
    before = state_of(case.pk)
    audit_rows = AuditEntry.objects.count()

    assert client.get(f"{CASES}{case.pk}/").status_code == 200
    for url, payload in [
        (step_url(case.pk, 1, "complete"), {}),
        (step_url(case.pk, 1, "pause"), {"reason": "รอ"}),
        (step_url(case.pk, 1, "risks"), {"note": "เกิดขึ้น"}),
        (f"{CASES}{case.pk}/cancel", {"reason": "ยกเลิก"}),
        (CASES, {"process": c01.pk, "title": "เรื่องใหม่"}),
    ]:
        response = client.post(url, payload, format="json")
        assert response.status_code == 403, (url, response.json())
        assert response.json()["error"]["code"] == "permission_denied"

    assert state_of(case.pk) == before
    assert Case.objects.count() == 1
    assert Case.objects.get().status == CaseStatus.OPEN
    assert AuditEntry.objects.count() == audit_rows


def test_a_requester_sees_only_their_own_cases(fy2567, worker):
    requester = member("citizen", Role.REQUESTER, "ict")
    c10 = process(fy2567, "C10")
    others = case_start(process=c10, title="ขอใช้ Wi-Fi (เจ้าหน้าที่)", actor=worker)
    client = api(requester)

    started = client.post(CASES, {"process": c10.pk, "title": "ขอใช้ E-mail"}, format="json")

    assert started.status_code == 201, started.json()
    own_id = started.json()["id"]
    # Nobody works on a requester's behalf: the first step waits for an officer.
    assert started.json()["steps"][0]["assignee"] is None
    listed = client.get(CASES).json()
    assert (listed["count"], [c["id"] for c in listed["results"]]) == (1, [own_id])
    hidden = client.get(f"{CASES}{others.pk}/")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "case_not_found"
    before = state_of(others.pk)
    assert client.post(step_url(others.pk, 1, "complete"), {}).status_code == 404
    assert client.post(f"{CASES}{others.pk}/cancel", {"reason": "x"}).status_code == 404
    assert state_of(others.pk) == before
    assert client.post(step_url(own_id, 1, "complete"), {}).status_code == 403


def test_a_user_without_a_role_cannot_start_a_case(fy2567):
    nobody = UserFactory(username="nobody")
    c01 = process(fy2567, "C01")

    refused = api(nobody).post(CASES, {"process": c01.pk, "title": "x"}, format="json")

    assert refused.status_code == 403
    assert Case.objects.count() == 0


# --- the process KPI ------------------------------------------------------------------------


def test_kpi_counts_steps_done_within_the_set_time(fy2567, worker):
    c01 = process(fy2567, "C01")
    client = api(worker)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case = case_start(process=c01, title="ทบทวนแผน", actor=worker)
        case_start(process=c01, title="อีกเรื่อง", actor=worker)
    for order, when in [(1, at(2024, 4, 10, 10, 0)), (2, at(2024, 4, 10, 11, 0))]:
        with time_machine.travel(when, tick=False):
            client.post(step_url(case.pk, order, "complete"), {})
    with time_machine.travel(at(2024, 5, 1, 10, 0), tick=False):
        client.post(step_url(case.pk, 3, "controls/1/confirm"), {})
        late = client.post(step_url(case.pk, 3, "complete"), {})
    assert by_order(late.json(), 3)["on_time"] is False

    with time_machine.travel(at(2024, 5, 1, 12, 0), tick=False):
        kpi = client.get(f"/api/v1/processes/{c01.pk}/kpi/?fiscal_year=2567")
        thai = client.get(f"/api/v1/processes/{c01.pk}/kpi/", {"fiscal_year": "๒๕๖๗"})
        default = client.get(f"/api/v1/processes/{c01.pk}/kpi/")

    assert kpi.status_code == 200, kpi.json()
    # Case 1: steps 1-3 done (2 on time), step 4 open; case 2: step 1 open and past its
    # deadline (11 April). Pending steps have no deadline yet and are not counted.
    assert kpi.json() == {
        "process": c01.pk,
        "fiscal_year": 2567,
        "steps_total": 5,
        "steps_completed": 3,
        "steps_on_time": 2,
        "steps_late_open": 1,
        "on_time_pct": 66.67,
        "target_pct": 90.0,
        "meets_target": False,
    }
    assert thai.json() == kpi.json()
    assert default.json() == kpi.json()
    empty = client.get(f"/api/v1/processes/{c01.pk}/kpi/?fiscal_year=2566").json()
    assert (empty["steps_total"], empty["on_time_pct"]) == (0, None)


def test_kpi_refuses_a_bad_fiscal_year_and_an_unknown_process(fy2567, worker):
    c01 = process(fy2567, "C01")
    client = api(worker)

    for year in ("abc", "1999", "25.5"):
        bad = client.get(f"/api/v1/processes/{c01.pk}/kpi/", {"fiscal_year": year})
        assert bad.status_code == 400, year
        assert list(bad.json()["error"]["fields"]) == ["fiscal_year"]
    missing = client.get("/api/v1/processes/999999/kpi/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "process_not_found"


# --- my work --------------------------------------------------------------------------------


def test_my_steps_are_ordered_by_deadline_with_their_state(fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        # C01 step 1: ๑ วัน → 11 Apr; C10 step 2 after step 1: ๑๐ นาที; S06 step 1: ๑ วันทำการ.
        plan = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน", actor=worker)
        service = case_start(process=process(fy2567, "C10"), title="ขอใช้ E-mail", actor=worker)
        idp = case_start(process=process(fy2567, "S06"), title="แผนพัฒนา", actor=worker)
        api(worker).post(step_url(service.pk, 1, "complete"), {})
    other = member("other", Role.OFFICER, "ict-strategy")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case_start(process=process(fy2567, "C02"), title="ของคนอื่น", actor=other)

    with time_machine.travel(at(2024, 4, 11, 14, 0), tick=False):
        response = api(worker).get("/api/v1/my/steps/")

    assert response.status_code == 200
    body = response.json()
    rows = [
        (r["case_reference"], r["process_code"], r["order"], r["due_at"], r["state"])
        for r in body["results"]
    ]
    assert rows == [
        ("C10-2567-00001", "C10", 2, "2024-04-10T09:10:00+07:00", "overdue"),
        ("C01-2567-00001", "C01", 1, "2024-04-11T16:30:00+07:00", "due_soon"),
        ("S06-2567-00001", "S06", 1, "2024-04-11T16:30:00+07:00", "due_soon"),
    ]
    assert body["count"] == 3
    first = body["results"][0]
    assert first["case"] == service.pk
    assert first["case_title"] == "ขอใช้ E-mail"
    assert first["activity"] == process(fy2567, "C10").steps.get(order=2).activity
    assert first["status"] == "active"
    assert {plan.pk, idp.pk} == {r["case"] for r in body["results"][1:]}

    with time_machine.travel(at(2024, 4, 10, 9, 30), tick=False):
        early = api(worker).get("/api/v1/my/steps/?limit=1&offset=1").json()
    assert (early["count"], early["limit"], early["offset"]) == (3, 1, 1)
    assert [r["state"] for r in early["results"]] == ["on_time"]


def test_my_steps_scope_follows_the_role(fy2567, worker):
    head = member("head2", Role.GROUP_HEAD, "ict-network")
    boss = member("boss", Role.DIRECTOR, "ict")
    stranger = member("stranger", Role.OFFICER, "ict-strategy")
    case_start(process=process(fy2567, "C10"), title="ของ worker", actor=worker)
    case_start(process=process(fy2567, "C02"), title="ของ stranger", actor=stranger)

    def titles(user, scope):
        body = api(user).get("/api/v1/my/steps/", {"scope": scope}).json()
        return sorted(r["case_title"] for r in body["results"])

    assert titles(head, "mine") == []
    assert titles(head, "group") == ["ของ worker"]
    assert titles(boss, "all") == ["ของ stranger", "ของ worker"]
    # An officer asking for more than their role allows gets their own steps.
    assert titles(worker, "all") == ["ของ worker"]
    bad = api(worker).get("/api/v1/my/steps/", {"scope": "everyone"})
    assert bad.status_code == 400
    assert list(bad.json()["error"]["fields"]) == ["scope"]


# --- the case list --------------------------------------------------------------------------


def test_case_list_filters(fy2567, worker):
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        plan = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน 2567", actor=worker)
        mail = case_start(process=process(fy2567, "C10"), title="ขอใช้ E-mail", actor=worker)
    with time_machine.travel(at(2024, 11, 1, 9, 0), tick=False):
        later = case_start(process=process(fy2567, "C10"), title="ขอใช้ Wi-Fi", actor=worker)
    # As the sweep leaves them (test_escalation: breaches_mark sets both flags).
    StepInstance.objects.filter(case=mail, order=1).update(breached=True)
    Case.objects.filter(pk=mail.pk).update(late=True)
    api(worker).post(f"{CASES}{plan.pk}/cancel", {"reason": "ซ้ำ"})
    client = api(worker)

    def ids(**params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids() == [later.pk, mail.pk, plan.pk]
    assert ids(status="cancelled") == [plan.pk]
    assert ids(process="C10") == [later.pk, mail.pk]
    assert ids(fiscal_year="๒๕๖๘") == [later.pk]
    assert ids(late="true") == [mail.pk]
    assert ids(late="false") == [later.pk, plan.pk]
    assert ids(search="wi-fi") == [later.pk]
    assert ids(search="C01-2567") == [plan.pk]
    assert ids(unit=plan.responsible_unit.code) == [plan.pk]
    row = client.get(CASES, {"process": "C10", "late": "true"}).json()["results"][0]
    assert (row["reference"], row["open_steps"], row["late_steps"]) == ("C10-2567-00001", 1, 1)
    page = client.get(CASES, {"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [c["id"] for c in page["results"]] == [mail.pk, plan.pk]
    for params, field in [
        ({"status": "lost"}, "status"),
        ({"fiscal_year": "next"}, "fiscal_year"),
        ({"limit": 0}, "limit"),
        ({"limit": 10**30}, "limit"),
        ({"offset": -1}, "offset"),
        ({"late": "maybe"}, "late"),
    ]:
        bad = client.get(CASES, params)
        assert bad.status_code == 400, params
        assert list(bad.json()["error"]["fields"]) == [field]


@pytest.mark.parametrize(
    ("url", "params"),
    [(CASES, {"limit": 50}), ("/api/v1/my/steps/", {"limit": 50, "scope": "all"})],
)
def test_list_query_count_does_not_grow_with_the_page(fy2567, worker, url, params):
    director = member("boss", Role.DIRECTOR, "ict")
    c01 = process(fy2567, "C01")
    client = api(director)

    def queries(total):
        while Case.objects.count() < total:
            case_start(process=c01, title=f"เรื่องที่ {Case.objects.count()}", actor=worker)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        assert len(response.json()["results"]) == total
        return len(ctx.captured_queries)

    assert queries(2) == queries(12)


def test_case_detail_query_count_does_not_grow_with_the_steps(fy2567, worker):
    client = api(worker)
    small = case_start(process=process(fy2567, "C10"), title="4 ขั้นตอน", actor=worker)
    large = case_start(process=process(fy2567, "S02"), title="หลายขั้นตอน", actor=worker)
    assert large.steps.count() > small.steps.count() + 4

    def queries(case):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{CASES}{case.pk}/").status_code == 200
        return len(ctx.captured_queries)

    assert queries(small) == queries(large)
