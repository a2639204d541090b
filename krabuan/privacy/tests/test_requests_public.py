"""The public request form and the public API: challenge, honeypot, validation, rate limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from krabuan.core.thai import BANGKOK, format_date
from krabuan.privacy.models import DataSubjectRequest, RequestChannel
from krabuan.privacy.tests.request_helpers import (
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
)
from krabuan.privacy.tests.test_requests_challenge import answer_of

pytestmark = pytest.mark.django_db

FORM_URL = "/privacy/requests/new/"
API_URL = "/api/v1/privacy/requests/"
_TOKEN = re.compile(r'name="challenge_token" value="([^"]+)"')
_QUESTION = re.compile(r'id="challenge-question">([^<]+)<')


def fresh(client) -> dict[str, str]:
    """The token and the right answer of the question the form shows now."""
    page = client.get(FORM_URL).content.decode()
    token = _TOKEN.search(page)[1]
    question = _QUESTION.search(page)[1]
    return {"challenge_token": token, "challenge_answer": str(answer_of(question))}


def form_data(client, **overrides) -> dict[str, str]:
    data = {
        "type": "erasure",
        "name": "นางสาวสมใจ ใจดี",
        "email": "somjai@example.com",
        "phone": "",
        "address": "",
        "details": "ขอให้ลบข้อมูลการสมัครรับข่าวสารของข้าพเจ้า",
        "activity": "",
        "website": "",
        "consent": "on",
        **fresh(client),
    }
    data.update(overrides)
    return data


def test_the_form_needs_no_sign_in_and_offers_the_types_in_thai(client):
    response = client.get(FORM_URL)

    assert response.status_code == 200
    page = response.content.decode()
    for label in ("ขอเข้าถึงข้อมูล", "ขอลบหรือทำลายข้อมูล", "ถอนความยินยอม", "คัดค้านการประมวลผล"):
        assert label in page
    assert "เท่ากับเท่าใด" in page


def test_a_submission_shows_the_reference_and_the_due_date_in_the_buddhist_era(client):
    response = client.post(FORM_URL, form_data(client), follow=True)

    assert response.status_code == 200
    request = DataSubjectRequest.objects.get()
    page = response.content.decode()
    assert request.reference in page
    assert format_date(request.due_at) in page  # 90 days: erasure
    assert str(request.due_at.astimezone(BANGKOK).year + 543) in page
    assert request.channel == RequestChannel.PUBLIC
    assert request.due_at - request.received_at == dt.timedelta(days=90)


def test_the_thank_you_page_shows_once(client):
    client.post(FORM_URL, form_data(client))
    assert client.get(reverse("privacy:request_public_done")).status_code == 200

    again = client.get(reverse("privacy:request_public_done"))

    assert again.status_code == 302


def test_a_wrong_answer_is_refused_with_a_new_question_and_nothing_saved(client):
    data = form_data(client)
    data["challenge_answer"] = str(int(data["challenge_answer"]) + 1)

    response = client.post(FORM_URL, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "คำตอบคำถามยืนยันไม่ถูกต้อง" in page
    assert _TOKEN.search(page)[1] != data["challenge_token"]
    assert 'value="นางสาวสมใจ ใจดี"' in page  # what was typed stays
    assert DataSubjectRequest.objects.count() == 0


def test_an_answer_in_thai_digits_is_accepted(client):
    data = form_data(client)
    data["challenge_answer"] = data["challenge_answer"].translate(
        str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    )

    response = client.post(FORM_URL, data)

    assert response.status_code == 302
    assert DataSubjectRequest.objects.count() == 1


def test_a_replayed_question_is_refused(client):
    data = form_data(client)
    assert client.post(FORM_URL, data).status_code == 302

    response = client.post(FORM_URL, data)

    assert response.status_code == 400
    assert "ถูกใช้แล้ว" in response.content.decode()
    assert DataSubjectRequest.objects.count() == 1


def test_the_honeypot_catches_bots(client):
    response = client.post(FORM_URL, form_data(client, website="http://spam.example"))

    assert response.status_code == 400
    assert DataSubjectRequest.objects.count() == 0


def test_bad_fields_are_named_in_thai(client):
    response = client.post(
        FORM_URL, form_data(client, email="not-an-email", phone="๑๒๓", details="")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "อีเมลไม่ถูกต้อง" in page
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in page
    assert "กรุณากรอกรายละเอียดคำขอ" in page
    assert DataSubjectRequest.objects.count() == 0


def test_the_sixth_submission_within_an_hour_is_refused_and_nothing_saved(client):
    for _ in range(5):
        assert client.post(FORM_URL, form_data(client)).status_code == 302

    response = client.post(FORM_URL, form_data(client))

    assert response.status_code == 429
    assert "ไม่เกิน 5 ครั้ง" in response.content.decode()
    assert DataSubjectRequest.objects.count() == 5


def test_another_address_is_not_held_back(client):
    for _ in range(5):
        client.post(FORM_URL, form_data(client))

    response = client.post(FORM_URL, form_data(client), REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302
    assert DataSubjectRequest.objects.count() == 6


# --- API ---------------------------------------------------------------------------------------


def api_body(**overrides):
    body = {
        "type": "access",
        "name": "นายสมชาย ใจดี",
        "email": "somchai@example.com",
        "details": "ขอสำเนาข้อมูลส่วนบุคคลของข้าพเจ้า",
    }
    body.update(overrides)
    return body


def test_the_api_accepts_a_public_request(client):
    response = client.post(API_URL, api_body(), content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    request = DataSubjectRequest.objects.get()
    assert body["id"] == request.pk
    assert body["type"] == "access"
    assert body["reference"] == request.reference
    received = dt.datetime.fromisoformat(body["received_at"])
    due = dt.datetime.fromisoformat(body["due_at"])
    assert due - received == dt.timedelta(days=30)


def test_the_api_names_bad_fields(client):
    response = client.post(
        API_URL,
        api_body(type="delete-everything", email="x@", name=""),
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error["fields"]) == {"type", "email", "name"}
    assert DataSubjectRequest.objects.count() == 0


def test_the_api_refuses_a_wrong_shape_without_a_500(client):
    response = client.post(
        API_URL, {"type": ["access"], "activity": "abc"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_api_shares_the_hourly_limit(client):
    for _ in range(5):
        assert client.post(API_URL, api_body(), content_type="application/json").status_code == 201

    response = client.post(API_URL, api_body(), content_type="application/json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert DataSubjectRequest.objects.count() == 5


def test_the_api_honeypot(client):
    response = client.post(API_URL, api_body(website="x"), content_type="application/json")

    assert response.status_code == 400
    assert DataSubjectRequest.objects.count() == 0


def test_the_privacy_team_records_a_staff_entry_through_the_api(client):
    client.force_login(dpo_user())
    day = (timezone.now() - dt.timedelta(days=3)).astimezone(BANGKOK).date()
    received = f"{day.isoformat()}T09:00:00+07:00"

    response = client.post(API_URL, api_body(received_at=received), content_type="application/json")

    assert response.status_code == 201
    request = DataSubjectRequest.objects.get()
    assert request.channel == RequestChannel.STAFF
    assert request.received_at == dt.datetime.fromisoformat(received)
