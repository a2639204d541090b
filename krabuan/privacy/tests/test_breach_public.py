"""The public breach report form (no sign-in): the arithmetic question, the honeypot, Thai
messages naming the fields, the reporter's contact encrypted at rest, and the per-address rate
limit (five accepted reports an hour)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from krabuan.privacy.crypto import decrypt
from krabuan.privacy.models import Breach, BreachChannel
from krabuan.privacy.tests.breach_helpers import solve

URL = "/privacy/breaches/report/"
pytestmark = pytest.mark.django_db
CONTACT = "somchai.reporter@example.org"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _form(client) -> dict[str, str]:
    html = client.get(URL).content.decode()
    token = re.search(r'name="challenge_token" value="([^"]+)"', html)
    question = re.search(r'<div class="mb-1" id="challenge-question">([^<]+)</div>', html)
    assert token and question
    return {"challenge_token": token[1], "challenge_answer": solve(question[1])}


def _report(**overrides: str) -> dict[str, str]:
    return {
        "title": "พบไฟล์รายชื่อผู้ลงทะเบียนบนเว็บไซต์",
        "description": "ค้นหาชื่อตนเองแล้วพบไฟล์ Excel ที่มีเลขบัตรประชาชนและเบอร์โทร",
        "data_types": "ชื่อ-นามสกุล, เลขประจำตัวประชาชน",
        "subjects_count": "๒๐๐",
        "reporter_name": "สมชาย ใจดี",
        "reporter_contact": CONTACT,
        **overrides,
    }


def test_public_report_is_recorded_with_the_contact_encrypted(client, demo_org):
    assert client.get(URL).status_code == 200
    response = client.post(URL, {**_report(), **_form(client)})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:breach_public_done")
    breach = Breach.objects.get()
    done = client.get(response["Location"]).content.decode()
    assert breach.reference in done
    assert breach.channel == BreachChannel.PUBLIC
    assert breach.reported_by is None and breach.subjects_count == 200
    assert CONTACT not in breach.reporter_contact_enc
    assert "สมชาย" not in breach.reporter_name_enc
    assert decrypt(breach.reporter_contact_enc) == CONTACT
    # The clock starts when the report arrives.
    assert abs((breach.pdpc_deadline - breach.aware_at).total_seconds() - 72 * 3600) < 1


def test_wrong_answer_honeypot_and_missing_fields_save_nothing(client, demo_org):
    wrong = client.post(URL, {**_report(), **_form(client), "challenge_answer": "9999"})
    assert wrong.status_code == 400
    assert "คำตอบคำถามยืนยันไม่ถูกต้อง" in wrong.content.decode()
    bot = client.post(URL, {**_report(), **_form(client), "website": "http://spam"})
    assert bot.status_code == 400
    missing = client.post(
        URL, {**_report(title="", description="", reporter_contact=""), **_form(client)}
    )
    html = missing.content.decode()
    assert missing.status_code == 400
    assert "กรุณาระบุชื่อเหตุ" in html
    assert "กรุณาระบุรายละเอียดเหตุ" in html
    assert "กรุณาระบุช่องทางติดต่อกลับ" in html
    bad_count = client.post(URL, {**_report(subjects_count="หลายคน"), **_form(client)})
    assert "จำนวนเจ้าของข้อมูลต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป" in bad_count.content.decode()
    assert Breach.objects.count() == 0


def test_a_used_question_cannot_be_replayed(client, demo_org):
    challenge = _form(client)
    assert client.post(URL, {**_report(), **challenge}).status_code == 302
    again = client.post(URL, {**_report(), **challenge})
    assert again.status_code == 400
    assert "คำถามนี้ถูกใช้แล้ว" in again.content.decode()
    assert Breach.objects.count() == 1


def test_rate_limit_five_reports_an_hour_per_address(client, demo_org):
    for _ in range(5):
        assert client.post(URL, {**_report(), **_form(client)}).status_code == 302
    refused = client.post(URL, {**_report(), **_form(client)})
    assert refused.status_code == 429
    assert "ส่งได้ไม่เกิน 5 ครั้งภายใน 60 นาที" in refused.content.decode()
    assert Breach.objects.count() == 5
    other = client.post(
        URL, {**_report(), **_form(client)}, REMOTE_ADDR="192.0.2.77"
    )  # another address is not held back
    assert other.status_code == 302
