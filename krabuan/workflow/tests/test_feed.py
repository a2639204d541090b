"""The private iCalendar feed of my deadlines: made on the first visit of my work, no sign-in
needed (the token is the secret), one VEVENT per open step with a deadline, 404 otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.workflow.models import FeedToken, StepInstance
from krabuan.workflow.services.cases import case_start, step_complete
from krabuan.workflow.tests.conftest import process


def at(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


@pytest.fixture
def cases(fy2567, worker):
    """C01 (due 11 Apr 16:30) and S05 (due 09:20) of the worker, S01 (no deadline), and an
    other officer's C02 — at 10 Apr 2024 09:00; C01 step 1 then done, step 2 due 17 Apr."""
    other = UserFactory(username="other")
    Membership.objects.create(user=other, unit=Unit.objects.get(code="ict-data"), role=Role.OFFICER)
    with time_machine.travel(at(2024, 4, 10, 9, 0), tick=False):
        c01 = case_start(process=process(fy2567, "C01"), title="ทบทวนแผน", actor=worker)
        s05 = case_start(process=process(fy2567, "S05"), title="คำรับรอง", actor=worker)
        case_start(process=process(fy2567, "S01"), title="บัญชี", actor=worker)
        case_start(process=process(fy2567, "C02"), title="ของคนอื่น", actor=other)
    with time_machine.travel(at(2024, 4, 10, 10, 0), tick=False):
        step_complete(instance=c01.steps.get(order=1), actor=worker)
    return {"C01": c01, "S05": s05}


def _feed_url(client, user) -> str:
    client.force_login(user)
    client.get("/work/")
    token = FeedToken.objects.get(user=user).token
    client.logout()
    return f"/work/feed/{token}.ics"


def test_my_work_makes_the_token_once_and_shows_the_private_url(client, fy2567, worker):
    client.force_login(worker)

    first = client.get("/work/")
    second = client.get("/work/")

    token = FeedToken.objects.get(user=worker)
    assert len(token.token) >= 40
    assert first.context["feed_url"] == f"http://testserver/work/feed/{token.token}.ics"
    assert second.context["feed_url"] == first.context["feed_url"]
    assert f'value="http://testserver/work/feed/{token.token}.ics"' in second.content.decode()


def test_feed_has_one_event_per_open_step_with_a_deadline(client, worker, cases):
    feed = _feed_url(client, worker)

    response = client.get(feed)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    s05_step = StepInstance.objects.get(case=cases["S05"], order=1)
    c01_step = StepInstance.objects.get(case=cases["C01"], order=2)
    assert (s05_step.step.label, c01_step.step.label) == ("๑", "๒")
    assert [str(e["summary"]) for e in events] == [
        f"[S05-2567-00001] ขั้นตอนที่ ๑: {s05_step.step.activity}",
        f"[C01-2567-00001] ขั้นตอนที่ ๒: {c01_step.step.activity}",
    ]
    assert [e.decoded("dtstart") for e in events] == [
        dt.datetime(2024, 4, 10, 2, 20, tzinfo=dt.UTC),
        dt.datetime(2024, 4, 17, 9, 30, tzinfo=dt.UTC),
    ]
    assert b"DTSTART:20240410T022000Z" in response.content
    assert [str(e["uid"]) for e in events] == [
        f"krabuan-step-{s05_step.pk}@testserver",
        f"krabuan-step-{c01_step.pk}@testserver",
    ]
    assert [str(e["url"]) for e in events] == [
        f"http://testserver/work/cases/{cases['S05'].pk}/",
        f"http://testserver/work/cases/{cases['C01'].pk}/",
    ]


def test_the_uid_of_a_step_stays_the_same_between_fetches(client, worker, cases):
    feed = _feed_url(client, worker)

    first = Calendar.from_ical(client.get(feed).content)
    second = Calendar.from_ical(client.get(feed).content)

    assert [str(e["uid"]) for e in first.walk("VEVENT")] == [
        str(e["uid"]) for e in second.walk("VEVENT")
    ]


def test_unknown_or_malformed_tokens_are_404(client, worker, cases):
    _feed_url(client, worker)

    assert client.get("/work/feed/not-a-token.ics").status_code == 404
    assert client.get(f"/work/feed/{'x' * 80}.ics").status_code == 404


def test_regenerating_replaces_the_url(client, worker, cases):
    old = _feed_url(client, worker)
    client.force_login(worker)

    response = client.post("/work/feed/regenerate/")

    assert response.status_code == 302
    assert response["Location"] == "/work/#feed"
    new = f"/work/feed/{FeedToken.objects.get(user=worker).token}.ics"
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert AuditEntry.objects.filter(action="feed.regenerate").count() == 1
    assert old.split("/")[-1].removesuffix(".ics") not in str(
        list(AuditEntry.objects.values_list("object_repr", "changes"))
    )


def test_regenerating_needs_a_post_by_a_signed_in_user(client, worker, cases):
    _feed_url(client, worker)

    assert client.post("/work/feed/regenerate/").status_code == 302  # to the sign-in page
    client.force_login(worker)
    assert client.get("/work/feed/regenerate/").status_code == 405


def test_a_deactivated_users_feed_is_gone(client, worker, cases):
    feed = _feed_url(client, worker)
    worker.is_active = False
    worker.save()

    assert client.get(feed).status_code == 404
