"""Case search through the full-text index (FTS5 on SQLite, GIN on PostgreSQL): Thai words
segmented with newmm at index and at query time, reference prefixes, the same answers on both
databases, and pages that read only their own rows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from krabuan.core.thai import BANGKOK
from krabuan.workflow import search, selectors
from krabuan.workflow.models import CaseSearch
from krabuan.workflow.selectors import case_list
from krabuan.workflow.services.cases import case_start
from krabuan.workflow.tests.conftest import process


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


@pytest.fixture
def cases(fy2567, worker):
    titles = {
        "printer": ("C10", "เครื่องพิมพ์ไม่ทำงาน ชั้น 3"),
        "idp": ("S06", "แผนพัฒนารายบุคคล ปีงบประมาณ ๒๕๖๗"),
        "wifi": ("C10", "ขอใช้ Wi-Fi ห้องประชุม"),
        "plan": ("C01", "ทบทวนแผนปฏิบัติการ"),
    }
    made = {}
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        for key, (code, title) in titles.items():
            made[key] = case_start(process=process(fy2567, code), title=title, actor=worker)
    with time_machine.travel(at(2024, 11, 1, 9, 0), tick=False):  # fiscal year 2568
        made["next_year"] = case_start(
            process=process(fy2567, "C10"), title="เครื่องพิมพ์หมึกหมด", actor=worker
        )
    return made


def found(user, text: str) -> list[str]:
    return sorted(c.reference for c in case_list(user=user, search=text))


def test_terms_of_a_title_and_a_reference():
    terms = search.title_terms("เครื่องพิมพ์ไม่ทำงาน (C10 ลำดับที่ ๑๒)").split()
    assert terms[:5] == ["เครื่องพิมพ์ไม่ทำงาน", "พิมพ์ไม่ทำงาน", "ไม่ทำงาน", "ทำงาน", "งาน"]
    assert "c10" in terms and "12" in terms
    assert search.reference_terms("C10-2567-00012") == "c10256700012 256700012 00012"
    query = search.parse("C10-๒๕๖๗-")
    assert (query.words, query.reference) == (("c10", "2567"), "c102567")
    assert not search.parse(" -- !! ")


def test_a_thai_word_of_the_title_finds_the_case(worker, cases):
    printers = sorted([cases["printer"].reference, cases["next_year"].reference])
    assert found(worker, "เครื่องพิมพ์") == printers
    # A word inside a compound that newmm keeps whole, and a word cut differently in the title.
    assert found(worker, "พิมพ์") == printers
    assert found(worker, "แผนพัฒนา") == [cases["idp"].reference]
    assert found(worker, "รายบุคคล") == [cases["idp"].reference]
    # Every word must be there, in any order; Thai digits match Arabic ones.
    assert found(worker, "ห้องประชุม wi-fi") == [cases["wifi"].reference]
    assert found(worker, "ปีงบประมาณ 2567") == [cases["idp"].reference]
    assert found(worker, "เครื่องพิมพ์ ห้องประชุม") == []
    assert found(worker, "แผนปฏิบัติการ") == [cases["plan"].reference]
    assert found(worker, "คอมพิวเตอร์") == []


def test_reference_prefixes_and_parts(worker, cases):
    c10_2567 = sorted([cases["printer"].reference, cases["wifi"].reference])
    assert c10_2567 == ["C10-2567-00001", "C10-2567-00002"]
    assert found(worker, "C10-2567-") == c10_2567
    assert found(worker, "c10-๒๕๖๗") == c10_2567
    assert found(worker, "C10-2567-00002") == ["C10-2567-00002"]
    assert found(worker, "2567-00002") == ["C10-2567-00002"]
    assert found(worker, "C10") == sorted([*c10_2567, cases["next_year"].reference])
    assert found(worker, "C10-2569") == []


def test_the_search_uses_the_full_text_index(worker, cases):
    with CaptureQueriesContext(connection) as queries:
        found(worker, "เครื่องพิมพ์")
    sql = " ".join(q["sql"] for q in queries)
    assert "LIKE" not in sql
    if connection.vendor == "sqlite":
        assert "workflow_case_fts MATCH" in sql
    else:
        assert "::tsquery" in sql


def test_a_search_without_letters_finds_nothing(worker, cases):
    assert found(worker, "!!! ---") == []


def test_the_list_page_and_the_api_search(client, worker, cases):
    client.force_login(worker)
    page = client.get("/work/cases/", {"q": "พิมพ์", "fiscal_year": "2567"})
    assert [c.reference for c in page.context["page"].object_list] == [cases["printer"].reference]
    api = APIClient()
    api.force_authenticate(worker)
    body = api.get("/api/v1/cases/", {"search": "แผนพัฒนา"}).json()
    assert [c["reference"] for c in body["results"]] == [cases["idp"].reference]
    assert body["count"] == 1


def test_reindex_rebuilds_the_index(worker, cases):
    CaseSearch.objects.all().delete()
    assert found(worker, "เครื่องพิมพ์") == []
    call_command("workflow_reindex", verbosity=0)
    assert len(found(worker, "เครื่องพิมพ์")) == 2
    assert CaseSearch.objects.count() == 5


def test_a_search_page_reads_the_same_number_of_queries_for_any_number_of_matches(
    client, fy2567, worker
):
    client.force_login(worker)
    c10 = process(fy2567, "C10")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        case_start(process=c10, title="เครื่องพิมพ์ ๑", actor=worker)
        with CaptureQueriesContext(connection) as few:
            client.get("/work/cases/", {"q": "เครื่องพิมพ์"})
        for n in range(60):
            case_start(process=c10, title=f"เครื่องพิมพ์ {n}", actor=worker)
        with CaptureQueriesContext(connection) as many:
            response = client.get("/work/cases/", {"q": "เครื่องพิมพ์", "sort": "priority"})
    assert response.context["page"].paginator.count == 61
    assert len(response.context["page"].object_list) == 50
    assert len(many) == len(few)


def test_a_narrowed_search_counts_up_to_the_cap_and_says_there_are_more(
    client, fy2567, worker, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    client.force_login(worker)
    c10 = process(fy2567, "C10")
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        made = [case_start(process=c10, title=f"เครื่องพิมพ์ {n}", actor=worker) for n in range(5)]
    narrowed = client.get("/work/cases/", {"q": "เครื่องพิมพ์", "status": "open"})
    assert narrowed.context["page"].paginator.count == 3
    assert narrowed.context["more"] is True
    assert "พบมากกว่า" in narrowed.content.decode()
    assert [c.pk for c in narrowed.context["page"].object_list] == [c.pk for c in made[::-1][:3]]
    # Within the cap the count is exact; the API always counts exactly.
    exact = client.get("/work/cases/", {"q": "เครื่องพิมพ์ 4", "status": "open"})
    assert (exact.context["page"].paginator.count, exact.context["more"]) == (1, False)
    api = APIClient()
    api.force_authenticate(worker)
    body = api.get("/api/v1/cases/", {"search": "เครื่องพิมพ์", "status": "open"}).json()
    assert body["count"] == 5
