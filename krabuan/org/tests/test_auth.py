"""Sign-in, throttling, sign-out, password reset and password change."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from krabuan.core.models import AuditEntry
from krabuan.org import login_throttle
from krabuan.org.forms import (
    ThaiAuthenticationForm,
    ThaiPasswordChangeForm,
    ThaiPasswordResetForm,
    ThaiSetPasswordForm,
    ThrottledAdminAuthenticationForm,
)
from krabuan.org.tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
LOCKED = "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป"
WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_thai(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html
    assert "ชื่อผู้ใช้" in html
    assert "รหัสผ่าน" in html
    assert reverse("password_reset") in html


def test_login_with_the_right_password_signs_in(client, db):
    user = UserFactory(username="somchai")
    response = _login(client, "somchai", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_says_so_in_thai(client, db):
    UserFactory(username="somchai")
    response = _login(client, "somchai", "wrong-password")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_of_a_suspended_account_is_refused(client, db):
    UserFactory(username="somchai", is_active=False)
    response = _login(client, "somchai", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, db):
    UserFactory(username="somchai")
    for _ in range(5):
        assert WRONG in _login(client, "somchai", "wrong").content.decode()
    response = _login(client, "somchai", PASSWORD)
    html = response.content.decode()
    assert LOCKED in html
    assert "กรุณาลองใหม่ในอีก 15 นาที" in html
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, db):
    UserFactory(username="somchai")
    for _ in range(4):
        _login(client, "somchai", "wrong")
    response = _login(client, "somchai", PASSWORD)
    assert response.status_code == 302


def test_the_username_lock_holds_from_another_address_and_ignores_case(client, db):
    UserFactory(username="somchai")
    for n in range(5):
        _login(client, "somchai", "wrong", ip=f"10.0.0.{n}")
    response = _login(client, "SomChai", PASSWORD, ip="10.9.9.9")
    assert LOCKED in response.content.decode()


def test_five_failures_from_one_address_lock_every_username_there(client, db):
    UserFactory(username="somsri")
    for n in range(5):
        _login(client, f"guess{n}", "wrong", ip="10.0.0.66")
    locked = _login(client, "somsri", PASSWORD, ip="10.0.0.66")
    assert LOCKED in locked.content.decode()
    elsewhere = _login(client, "somsri", PASSWORD, ip="10.0.0.67")
    assert elsewhere.status_code == 302


def test_the_lock_ends_when_the_fifteen_minutes_pass(client, db, monkeypatch):
    UserFactory(username="somchai")
    now = [1_000_000.0]
    monkeypatch.setattr(login_throttle, "_now", lambda: now[0])
    for _ in range(5):
        _login(client, "somchai", "wrong")
    now[0] += 14 * 60
    still = _login(client, "somchai", PASSWORD)
    assert "กรุณาลองใหม่ในอีก 1 นาที" in still.content.decode()
    now[0] += 60
    assert _login(client, "somchai", PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_extend_the_lock(client, db, monkeypatch):
    UserFactory(username="somchai")
    now = [1_000_000.0]
    monkeypatch.setattr(login_throttle, "_now", lambda: now[0])
    for _ in range(5):
        _login(client, "somchai", "wrong")
    now[0] += 10 * 60
    _login(client, "somchai", "wrong")
    assert login_throttle.failure_count(username="somchai") == 5
    now[0] += 5 * 60
    assert _login(client, "somchai", PASSWORD).status_code == 302


def test_a_correct_sign_in_clears_the_username_failures(client, db):
    UserFactory(username="somchai")
    for _ in range(3):
        _login(client, "somchai", "wrong", ip="10.0.0.1")
    assert login_throttle.failure_count(username="somchai") == 3
    assert _login(client, "somchai", PASSWORD, ip="10.0.0.2").status_code == 302
    assert login_throttle.failure_count(username="somchai") == 0
    assert login_throttle.failure_count(ip="10.0.0.1") == 3


def test_the_admin_sign_in_form_is_throttled_too(db):
    UserFactory(username="boss", is_staff=True)
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="10.1.1.1")
    for _ in range(5):
        form = ThrottledAdminAuthenticationForm(request, data={"username": "boss", "password": "x"})
        assert not form.is_valid()
    form = ThrottledAdminAuthenticationForm(
        request, data={"username": "boss", "password": PASSWORD}
    )
    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "throttled"
    assert issubclass(ThrottledAdminAuthenticationForm, AdminAuthenticationForm)


def test_login_form_fields_are_thai_and_styled(db):
    form = ThaiAuthenticationForm(None, data={"username": "", "password": ""})
    assert not form.is_valid()
    assert form.errors["username"] == ["กรุณากรอกชื่อผู้ใช้"]
    assert form.errors["password"] == ["กรุณากรอกรหัสผ่าน"]
    assert form.fields["username"].widget.attrs["class"] == "form-control"


def test_logout_is_a_post(client, db):
    user = UserFactory(username="somchai")
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def _reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_mails_a_thai_link_that_sets_a_new_password(client, db):
    UserFactory(username="somchai", email="somchai@example.go.th", first_name="สมชาย")
    response = client.post(reverse("password_reset"), {"email": "somchai@example.go.th"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somchai@example.go.th"]
    assert message.subject == "ตั้งรหัสผ่านใหม่ในระบบกระบวน (Krabuan)"
    assert "เรียน สมชาย" in message.body

    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "ใหม่-Krabuan-2568", "new_password2": "ใหม่-Krabuan-2568"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert "ตั้งรหัสผ่านเรียบร้อย" in client.get(done["Location"]).content.decode()
    client.logout()
    assert _login(client, "somchai", "ใหม่-Krabuan-2568").status_code == 302
    # The link works once.
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "ลิงก์ตั้งรหัสผ่านนี้ใช้ไม่ได้" in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(client, db):
    UserFactory(username="somchai", email="somchai@example.go.th")
    response = client.post(reverse("password_reset"), {"email": "nobody@example.go.th"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_pages_are_thai(client, db):
    assert "ลืมรหัสผ่าน" in client.get(reverse("password_reset")).content.decode()
    assert "ส่งลิงก์ตั้งรหัสผ่านแล้ว" in client.get(reverse("password_reset_done")).content.decode()


def test_thai_reset_form_names_the_email_field(db):
    form = ThaiPasswordResetForm(data={"email": "not-an-address"})
    assert not form.is_valid()
    assert form.errors["email"] == ["อีเมลไม่ถูกต้อง (ตัวอย่าง: name@example.go.th)"]


def test_thai_set_password_form_explains_a_weak_password_in_thai(db):
    user = UserFactory(username="somchai")
    form = ThaiSetPasswordForm(user, data={"new_password1": "12345", "new_password2": "12345"})
    assert not form.is_valid()
    assert form.errors["new_password2"] == [
        "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร",
        "รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น",
        "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด",
    ]
    mismatch = ThaiSetPasswordForm(
        user, data={"new_password1": "a-Good-pass-1", "new_password2": "other"}
    )
    assert not mismatch.is_valid()
    assert mismatch.errors["new_password2"][0] == "ยืนยันรหัสผ่านใหม่ไม่ตรงกับรหัสผ่านใหม่"


def test_thai_password_change_form_checks_the_old_password_and_audits(db):
    user = UserFactory(username="somchai")
    wrong = ThaiPasswordChangeForm(
        user,
        data={
            "old_password": "nope",
            "new_password1": "ใหม่-Krabuan-2568",
            "new_password2": "ใหม่-Krabuan-2568",
        },
    )
    assert not wrong.is_valid()
    assert wrong.errors["old_password"] == ["รหัสผ่านเดิมไม่ถูกต้อง กรุณากรอกอีกครั้ง"]
    assert list(wrong.fields) == ["old_password", "new_password1", "new_password2"]

    form = ThaiPasswordChangeForm(
        user,
        data={
            "old_password": PASSWORD,
            "new_password1": "ใหม่-Krabuan-2568",
            "new_password2": "ใหม่-Krabuan-2568",
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.check_password("ใหม่-Krabuan-2568")
    entry = AuditEntry.objects.get(action="user.password_set")
    assert entry.actor == user
    assert entry.changes == {"set_by": "self"}
    assert "ใหม่-Krabuan-2568" not in str(entry.changes)


def test_password_change_page_needs_sign_in(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_change_through_the_page(client, db):
    user = UserFactory(username="somchai")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "เปลี่ยนรหัสผ่าน" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ใหม่-Krabuan-2568",
            "new_password2": "ใหม่-Krabuan-2568",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("ใหม่-Krabuan-2568")
    # Still signed in after the change.
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(response["Location"]).content.decode()
