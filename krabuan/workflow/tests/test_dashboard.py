"""The process dashboard on a small hand-built set of FY2567 cases: open/late cases, % steps on
time against the target (the same numbers as `process_kpi`, from grouped aggregates), the bar
chart, the per-process duration review with its bottlenecks and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.core.thai import BANGKOK
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.models import Case, StepInstance, StepStatus
from krabuan.workflow.selectors import process_kpi
from krabuan.workflow.services.cases import case_start, control_confirm, step_complete
from krabuan.workflow.tests.conftest import process

NOW = (2024, 4, 20, 12, 0)


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


def _start(manual, code, actor, when, title="เรื่อง"):
    with time_machine.travel(at(*when), tick=False):
        return case_start(process=process(manual, code), title=title, actor=actor)


def _complete(case, order, actor, when, confirm=False):
    instance = StepInstance.objects.select_related("step").get(
        case=case, order=order, status=StepStatus.ACTIVE
    )
    with time_machine.travel(at(*when), tick=False):
        if confirm:
            for control in instance.step.controls.filter(kind="control"):
                control_confirm(instance=instance, control=control, actor=actor)
        step_complete(instance=instance, actor=actor)


@pytest.fixture
def data(fy2567, worker):
    """C01: A (step 1 on time, step 2 late), B (step 1 on time, step 2 overdue and open, marked
    breached by the sweep), C (just started). S05: D (step 1 on time, step 2 late, step 3 overdue).
    C13: E (step 1 on time, step 2 overdue). Plus one C01 case of FY2566, not counted."""
    a = _start(fy2567, "C01", worker, (2024, 4, 10, 9, 0), "A")
    b = _start(fy2567, "C01", worker, (2024, 4, 10, 9, 0), "B")
    _complete(a, 1, worker, (2024, 4, 10, 10, 0))
    _complete(b, 1, worker, (2024, 4, 10, 10, 0))
    _complete(a, 2, worker, (2024, 4, 19, 10, 0))  # due 17 Apr 16:30: late
    StepInstance.objects.filter(case=b, order=2).update(breached=True)
    _start(fy2567, "C01", worker, (2024, 4, 19, 9, 0), "C")
    d = _start(fy2567, "S05", worker, (2024, 4, 10, 9, 0), "D")
    _complete(d, 1, worker, (2024, 4, 10, 9, 10), confirm=True)  # 20 minutes: on time
    _complete(d, 2, worker, (2024, 4, 10, 10, 0))  # 10 minutes from 09:10: late
    e = _start(fy2567, "C13", worker, (2024, 4, 10, 9, 0), "E")
    _complete(e, 1, worker, (2024, 4, 10, 12, 0))
    old = _start(fy2567, "C01", worker, (2023, 9, 1, 9, 0), "ปีก่อน")
    assert old.fiscal_year == 2566
    return {"A": a, "B": b, "D": d, "E": e}


@pytest.fixture
def reader(fy2567):
    user = UserFactory(username="reader")
    Membership.objects.create(user=user, unit=Unit.objects.get(code="ict"), role=Role.AUDITOR)
    return user


def _row(response, code):
    (row,) = [r for r in response.context["rows"] if r.process.code == code]
    return row


def _numbers(row) -> dict:
    return {
        "cases_total": row.cases_total,
        "cases_open": row.cases_open,
        "cases_late": row.cases_late,
        "steps_total": row.steps_total,
        "steps_completed": row.steps_completed,
        "steps_on_time": row.steps_on_time,
        "steps_late_open": row.steps_late_open,
        "on_time_pct": float(row.on_time_pct) if row.on_time_pct is not None else None,
        "meets_target": row.meets_target,
    }


def test_overview_numbers_for_the_hand_built_set(client, reader, data):
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        response = client.get("/work/dashboard/", {"fiscal_year": "๒๕๖๗"})

    assert response.status_code == 200
    assert response.context["year"] == 2567
    assert len(response.context["rows"]) == 22
    assert _numbers(_row(response, "C01")) == {
        "cases_total": 3,
        "cases_open": 3,
        "cases_late": 1,
        "steps_total": 6,
        "steps_completed": 3,
        "steps_on_time": 2,
        "steps_late_open": 1,
        "on_time_pct": 66.67,
        "meets_target": False,
    }
    assert _numbers(_row(response, "S05")) == {
        "cases_total": 1,
        "cases_open": 1,
        "cases_late": 1,
        "steps_total": 3,
        "steps_completed": 2,
        "steps_on_time": 1,
        "steps_late_open": 1,
        "on_time_pct": 50.0,
        "meets_target": False,
    }
    assert _numbers(_row(response, "C13")) == {
        "cases_total": 1,
        "cases_open": 1,
        "cases_late": 1,
        "steps_total": 2,
        "steps_completed": 1,
        "steps_on_time": 1,
        "steps_late_open": 1,
        "on_time_pct": 100.0,
        "meets_target": True,
    }
    assert _numbers(_row(response, "C02"))["cases_total"] == 0
    assert response.context["totals"] == {
        "cases_open": 5,
        "cases_late": 3,
        "steps_completed": 6,
        "steps_on_time": 4,
        "meeting": 1,
        "measured": 3,
    }


def test_overview_agrees_with_process_kpi_for_every_process(client, reader, data):
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        response = client.get("/work/dashboard/", {"fiscal_year": "2567"})

    for row in response.context["rows"]:
        with time_machine.travel(at(*NOW), tick=False):
            kpi = process_kpi(process=row.process, fiscal_year=2567)
        assert (
            row.steps_total,
            row.steps_completed,
            row.steps_on_time,
            row.steps_late_open,
            float(row.on_time_pct) if row.on_time_pct is not None else None,
            float(row.target_pct),
            row.meets_target,
        ) == (
            kpi["steps_total"],
            kpi["steps_completed"],
            kpi["steps_on_time"],
            kpi["steps_late_open"],
            kpi["on_time_pct"],
            kpi["target_pct"],
            kpi["meets_target"],
        ), row.process.code


def test_chart_draws_green_for_meeting_the_target_and_red_below(client, reader, data):
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        html = client.get("/work/dashboard/").content.decode()

    chart = html[html.index('<figure class="chart') : html.index("</figure>")]
    assert chart.count('class="kpi-bar"') == 3
    assert chart.count('data-meets="1"') == 1
    assert chart.count('data-meets="0"') == 2
    assert 'fill="#198754" class="kpi-bar" data-meets="1"' in chart
    assert "<script" not in chart
    assert 'role="img"' in chart


def test_overview_is_a_fixed_number_of_queries(client, fy2567, worker, reader):
    client.force_login(reader)
    _start(fy2567, "C01", worker, (2024, 4, 10, 9, 0))
    with time_machine.travel(at(*NOW), tick=False), CaptureQueriesContext(connection) as few:
        client.get("/work/dashboard/")
    for code in ("C02", "C03", "C04", "C10", "S02", "S05", "S06"):
        case = _start(fy2567, code, worker, (2024, 4, 10, 9, 0))
        if code in ("C02", "C10", "S02"):
            _complete(case, 1, worker, (2024, 4, 10, 9, 5))
    with time_machine.travel(at(*NOW), tick=False), CaptureQueriesContext(connection) as many:
        response = client.get("/work/dashboard/")

    assert sum(r.cases_total for r in response.context["rows"]) == 8
    assert len(many) == len(few)
    assert len(many) <= 12


def test_other_years_and_bad_years(client, reader, data):
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        older = client.get("/work/dashboard/", {"fiscal_year": "2566"})
        unknown = client.get("/work/dashboard/", {"fiscal_year": "2550"})
        garbage = client.get("/work/dashboard/", {"fiscal_year": "abc"})

    assert older.context["year"] == 2566
    assert _row(older, "C01").cases_total == 1
    assert unknown.context["year"] == 2567
    assert "ไม่มีข้อมูลปีงบประมาณ 2550" in unknown.content.decode()
    assert garbage.status_code == 200
    assert "ปีงบประมาณต้องเป็นตัวเลขจำนวนเต็ม" in garbage.content.decode()


def test_overview_csv(client, reader, data):
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        response = client.get("/work/dashboard/", {"fiscal_year": "2567", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ปีงบประมาณ", "รหัส", "กระบวนงาน"]
    assert len(rows) == 23
    (c01,) = [r for r in rows if r[1] == "C01"]
    assert c01[3:] == ["3", "3", "1", "6", "3", "2", "66.67", "90", "ไม่"]


def test_process_page_review_bottlenecks_and_csv(client, reader, data, fy2567):
    c01 = process(fy2567, "C01")
    client.force_login(reader)

    with time_machine.travel(at(*NOW), tick=False):
        response = client.get(f"/work/dashboard/process/{c01.pk}/")
        exported = client.get(f"/work/dashboard/process/{c01.pk}/", {"format": "csv"})

    assert response.status_code == 200
    review = response.context["review"]
    assert [
        (r["order"], r["count"], r["late"], r["planned_median_seconds"], r["actual_median_seconds"])
        for r in review
    ] == [
        (1, 2, 0, 113_400, 3_600),  # 1 day: 10 Apr 09:00 → 11 Apr 16:30; done in an hour
        (2, 1, 1, 628_200, 777_600),  # 7 days from 10 Apr 10:00 → 17 Apr 16:30; took 9 days
    ]
    assert [r["order"] for r in response.context["exceeding"]] == [2]
    bottlenecks = response.context["bottlenecks"]
    assert [r["order"] for r in bottlenecks.slowest] == [2, 1]
    assert [r["order"] for r in bottlenecks.most_late] == [2]
    assert response.context["kpi"]["on_time_pct"] == 66.67
    html = response.content.decode()
    assert html.count('class="bar-planned"') == 2
    assert html.count('fill="#dc3545" class="bar-actual"') == 1
    assert "9 วัน" in html
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ลำดับขั้นตอน"
    assert rows[1:] == [
        ["2", review[1]["activity"], "๗ วัน", "1", "1", "174.50", "216.00", "7 วัน 6 ชม.", "9 วัน"]
    ]


def test_dashboard_is_for_staff_and_auditors(client, fy2567, requester, worker, reader):
    c01 = process(fy2567, "C01")

    client.force_login(requester)
    assert client.get("/work/dashboard/").status_code == 403
    assert client.get(f"/work/dashboard/process/{c01.pk}/").status_code == 403
    client.force_login(worker)
    assert client.get("/work/dashboard/").status_code == 200
    assert client.get("/work/dashboard/process/999999/").status_code == 404
    client.logout()
    assert client.get("/work/dashboard/").status_code == 302
    assert Case.objects.count() == 0
