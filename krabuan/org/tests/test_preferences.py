"""Personal preferences: language, Thai digits, notification channels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from krabuan.core.errors import PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.org.models import Preference
from krabuan.org.services.users import preference_update
from krabuan.org.tests.factories import UserFactory

URL = "/org/preferences/"
LINE_ID = "U" + "4af4980629" * 3 + "ab"


@pytest.fixture
def somchai(db):
    return UserFactory(
        username="somchai",
        date_joined=dt.datetime(2024, 11, 21, 9, 0, tzinfo=dt.UTC),
    )


def _save(client, **overrides):
    data = {"language": "th", "notify_in_app": "on", "notify_email": "on", "line_user_id": ""}
    data.update(overrides)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_url_name():
    assert reverse("org:preferences") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client, somchai):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert client.post(URL, {"language": "en"}).status_code == 302
    assert not Preference.objects.exists()


def test_the_page_shows_the_defaults_without_saving_anything(client, somchai):
    client.force_login(somchai)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "language": "th",
        "thai_digits": False,
        "notify_in_app": True,
        "notify_email": True,
        "notify_line": False,
        "line_user_id": "",
    }
    assert "การตั้งค่าส่วนตัว" in html
    assert reverse("password_change") in html
    assert not Preference.objects.exists()


def test_saving_creates_the_row_and_audits_it(client, somchai):
    client.force_login(somchai)
    response = _save(client, notify_email=None, notify_line="on", line_user_id=f"  {LINE_ID} ")
    assert response.status_code == 302
    assert response["Location"] == URL
    preference = Preference.objects.get(user=somchai)
    assert (
        preference.language,
        preference.thai_digits,
        preference.notify_in_app,
        preference.notify_email,
        preference.notify_line,
        preference.line_user_id,
    ) == ("th", False, True, False, True, LINE_ID)
    entry = AuditEntry.objects.get(action="preference.update")
    assert entry.actor == somchai
    assert entry.changes == {
        "notify_email": [True, False],
        "notify_line": [False, True],
        "line_user_id": ["", LINE_ID],
        "created": True,
    }
    assert "บันทึกการตั้งค่าแล้ว" in client.get(URL).content.decode()


def test_saving_again_updates_the_same_row(client, somchai):
    client.force_login(somchai)
    _save(client)
    _save(client, thai_digits="on")
    assert Preference.objects.filter(user=somchai).count() == 1
    assert Preference.objects.get(user=somchai).thai_digits is True
    assert AuditEntry.objects.filter(action="preference.update").count() == 2


def test_line_needs_a_line_user_id(client, somchai):
    client.force_login(somchai)
    response = _save(client, notify_line="on", line_user_id="")
    assert response.status_code == 200
    assert response.context["form"].errors["line_user_id"] == [
        "กรุณากรอก LINE user ID เมื่อเลือกแจ้งเตือนทาง LINE"
    ]
    assert "กรุณากรอก LINE user ID" in response.content.decode()
    assert not Preference.objects.exists()
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        "somchai_line",  # a LINE ID for adding friends, not a user id
        "U" + "a" * 31,
        "U" + "a" * 33,
        "u" + "a" * 32,
        "U" + "g" * 32,
    ],
)
def test_a_malformed_line_user_id_is_refused_naming_the_field(client, somchai, bad):
    client.force_login(somchai)
    response = _save(client, notify_line="on", line_user_id=bad)
    assert response.status_code == 200
    assert response.context["form"].errors["line_user_id"] == [
        "LINE user ID ไม่ถูกต้อง: ต้องขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว (0-9, a-f) รวม 33 ตัวอักษร"
    ]
    assert not Preference.objects.exists()


def test_a_bad_language_is_refused_in_thai(client, somchai):
    client.force_login(somchai)
    response = _save(client, language="fr")
    assert response.context["form"].errors["language"] == ["ภาษา: ไม่มีตัวเลือก “fr” ในรายการ"]
    assert not Preference.objects.exists()


def test_after_choosing_thai_digits_dates_show_thai_digits(client, somchai):
    client.force_login(somchai)
    assert "21 พฤศจิกายน 2567" in client.get(URL).content.decode()
    _save(client, thai_digits="on")
    html = client.get(URL).content.decode()
    assert "๒๑ พฤศจิกายน ๒๕๖๗" in html
    assert "21 พฤศจิกายน 2567" not in html


def test_after_choosing_english_the_page_language_is_en(client, somchai):
    client.force_login(somchai)
    assert '<html lang="th">' in client.get(URL).content.decode()
    response = _save(client, language="en")
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    assert '<html lang="en">' in html


def test_nobody_changes_someone_elses_preferences(somchai):
    other = UserFactory(username="other")
    with pytest.raises(PermissionDenied):
        preference_update(
            actor=other,
            user=somchai,
            language="en",
            thai_digits=True,
            notify_in_app=True,
            notify_email=True,
            notify_line=False,
        )
    assert not Preference.objects.exists()
