"""User and role management: who may use it, the list, export, and every change it makes."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from krabuan.core.models import AuditEntry
from krabuan.org.models import Membership, Preference, Role
from krabuan.org.tests.factories import (
    PASSWORD,
    PositionFactory,
    UnitFactory,
    UserFactory,
    membership_add,
)

User = get_user_model()


@pytest.fixture
def role_admin(db):
    """An administrator by role (not a Django superuser)."""
    user = UserFactory(username="roleadmin")
    membership_add(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def somchai(db):
    unit = UnitFactory(code="ict-network", name="กลุ่มระบบคอมพิวเตอร์และเครือข่าย", short_name="กคข.")
    user = UserFactory(
        username="somchai", first_name="สมชาย", last_name="ใจดี", email="somchai@example.go.th"
    )
    membership_add(user=user, role=Role.OFFICER, unit=unit)
    return user


def _post_urls(user_id: int, membership_id: int) -> list[str]:
    return [
        reverse("org:user_create"),
        reverse("org:user_edit", kwargs={"user_id": user_id}),
        reverse("org:user_deactivate", kwargs={"user_id": user_id}),
        reverse("org:user_activate", kwargs={"user_id": user_id}),
        reverse("org:user_password", kwargs={"user_id": user_id}),
        reverse("org:user_password_email", kwargs={"user_id": user_id}),
        reverse("org:membership_add", kwargs={"user_id": user_id}),
        reverse(
            "org:membership_remove", kwargs={"user_id": user_id, "membership_id": membership_id}
        ),
    ]


def _get_urls(user_id: int) -> list[str]:
    return [
        reverse("org:user_list"),
        reverse("org:user_export"),
        reverse("org:user_create"),
        reverse("org:user_edit", kwargs={"user_id": user_id}),
    ]


# --- access -----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, somchai):
    membership = somchai.memberships.get()
    for url in _get_urls(somchai.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    for url in _post_urls(somchai.pk, membership.pk):
        response = client.post(
            url, {"username": "x", "password": "y", "unit": "1", "role": "admin"}
        )
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    somchai.refresh_from_db()
    assert somchai.is_active
    assert somchai.memberships.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    "role_fixture", ["director", "group_head", "officer", "auditor", "requester"]
)
def test_everyone_but_administrators_gets_403_and_changes_nothing(
    client, somchai, role_fixture, request
):
    client.force_login(request.getfixturevalue(role_fixture))
    membership = somchai.memberships.get()
    for url in _get_urls(somchai.pk):
        assert client.get(url).status_code == 403, url
    for url in _post_urls(somchai.pk, membership.pk):
        response = client.post(
            url,
            {
                "username": "hijack",
                "password": "Hijack-2568-x",
                "password_confirm": "Hijack-2568-x",
            },
        )
        assert response.status_code == 403, url
    somchai.refresh_from_db()
    assert somchai.username == "somchai"
    assert somchai.is_active
    assert somchai.check_password(PASSWORD)
    assert somchai.memberships.count() == 1
    assert not User.objects.filter(username="hijack").exists()
    assert AuditEntry.objects.count() == 0


def test_an_administrator_by_role_may_manage_users(client, role_admin, somchai):
    client.force_login(role_admin)
    for url in _get_urls(somchai.pk):
        assert client.get(url).status_code == 200, url


def test_a_missing_user_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("org:user_edit", kwargs={"user_id": 999999})).status_code == 404
    response = client.post(
        reverse("org:membership_remove", kwargs={"user_id": 1, "membership_id": 999999})
    )
    assert response.status_code == 404


def test_the_menu_shows_users_only_to_administrators(client, admin_user, officer):
    client.force_login(officer)
    assert reverse("org:user_list") not in client.get(reverse("org:preferences")).content.decode()
    client.force_login(admin_user)
    assert reverse("org:user_list") in client.get(reverse("org:preferences")).content.decode()


# --- list and export --------------------------------------------------------------------------


def _usernames(response) -> list[str]:
    return [u.username for u in response.context["page"].object_list]


def test_list_searches_username_name_and_email(client, admin_user, somchai):
    UserFactory(username="somsri", first_name="สมศรี", email="ss@other.example")
    client.force_login(admin_user)
    url = reverse("org:user_list")
    assert _usernames(client.get(url, {"q": "SOMCH"})) == ["somchai"]
    assert _usernames(client.get(url, {"q": "สมศรี"})) == ["somsri"]
    assert _usernames(client.get(url, {"q": "other.example"})) == ["somsri"]
    assert _usernames(client.get(url, {"q": "ใจดี"})) == ["somchai"]


def test_list_filters_by_unit_and_role_on_the_same_membership(client, admin_user, somchai):
    other = UnitFactory(code="ict-data", name="กลุ่มบริหารข้อมูลการเกษตร")
    head = UserFactory(username="head2")
    membership_add(user=head, role=Role.GROUP_HEAD, unit=other)
    membership_add(user=head, role=Role.OFFICER, unit=UnitFactory(code="ict-x"))
    client.force_login(admin_user)
    url = reverse("org:user_list")
    assert _usernames(client.get(url, {"unit": "ict-network"})) == ["somchai"]
    assert _usernames(client.get(url, {"role": "officer"})) == ["head2", "somchai"]
    assert _usernames(client.get(url, {"unit": "ict-data", "role": "officer"})) == []
    assert _usernames(client.get(url, {"unit": "ict-data", "role": "group_head"})) == ["head2"]


def test_list_filters_by_status_and_sorts(client, admin_user, somchai):
    UserFactory(username="aaa", email="zz@example.org", is_active=False)
    client.force_login(admin_user)
    url = reverse("org:user_list")
    assert _usernames(client.get(url)) == ["aaa", "root", "somchai"]
    assert _usernames(client.get(url, {"sort": "-username"})) == ["somchai", "root", "aaa"]
    assert _usernames(client.get(url, {"sort": "-email"})) == ["aaa", "somchai", "root"]
    assert _usernames(client.get(url, {"status": "inactive"})) == ["aaa"]
    assert _usernames(client.get(url, {"status": "active"})) == ["root", "somchai"]
    # Nonsense in the query string is ignored, not an error page.
    response = client.get(url, {"sort": "password", "role": "king", "unit": "nowhere"})
    assert response.status_code == 200
    assert _usernames(response) == ["aaa", "root", "somchai"]


def test_list_shows_roles_and_links_to_the_edit_page(client, admin_user, somchai):
    client.force_login(admin_user)
    html = client.get(reverse("org:user_list")).content.decode()
    assert "กคข.: เจ้าหน้าที่" in html
    assert reverse("org:user_edit", kwargs={"user_id": somchai.pk}) in html
    assert "ผู้ใช้และบทบาท" in html


def _make_users(count: int, *, prefix: str) -> None:
    unit = UnitFactory(code="ict-systems")
    for n in range(count):
        user = UserFactory(username=f"{prefix}{n:02d}")
        position = PositionFactory(unit=unit, title=f"นักวิชาการคอมพิวเตอร์ {prefix}{n}")
        Membership.objects.create(user=user, unit=unit, role=Role.OFFICER, position=position)
        membership_add(user=user, role=Role.REQUESTER)


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("org:user_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_uses_the_same_number_of_queries_for_3_and_10_users(client, admin_user):
    client.force_login(admin_user)
    _make_users(3, prefix="a")
    with_three = _queries_for_list(client)
    _make_users(7, prefix="b")
    with_ten = _queries_for_list(client)
    assert User.objects.count() == 11
    assert with_three == with_ten


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_writes_the_filtered_list_as_csv(client, admin_user, somchai):
    UserFactory(username="somsri")
    client.force_login(admin_user)
    response = client.get(reverse("org:user_export"), {"q": "somchai"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="krabuan-users-')
    rows = _csv_rows(response)
    assert rows[0] == [
        "ชื่อผู้ใช้",
        "ชื่อ",
        "นามสกุล",
        "อีเมล",
        "สถานะ",
        "บทบาทในหน่วยงาน",
        "เข้าสู่ระบบล่าสุด",
        "สร้างเมื่อ",
    ]
    assert len(rows) == 2
    assert rows[1][:6] == [
        "somchai",
        "สมชาย",
        "ใจดี",
        "somchai@example.go.th",
        "ใช้งาน",
        "กคข.: เจ้าหน้าที่",
    ]
    assert rows[1][6] == ""


def test_export_keeps_formula_like_cells_as_text(client, admin_user):
    UserFactory(username="evil", first_name='=HYPERLINK("http://x")')
    client.force_login(admin_user)
    rows = _csv_rows(client.get(reverse("org:user_export"), {"q": "evil"}))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


# --- create -----------------------------------------------------------------------------------


def _create(client, **overrides):
    data = {
        "username": "newbie",
        "first_name": "มานี",
        "last_name": "มีนา",
        "email": "manee@example.go.th",
        "is_active": "on",
        "password_mode": "set",
        "password": "Krabuan-ใหม่-2568",
        "password_confirm": "Krabuan-ใหม่-2568",
    }
    data.update(overrides)
    return client.post(reverse("org:user_create"), {k: v for k, v in data.items() if v is not None})


def test_create_with_an_initial_password(client, admin_user):
    client.force_login(admin_user)
    response = _create(client)
    user = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:user_edit", kwargs={"user_id": user.pk})
    assert (user.first_name, user.last_name, user.email, user.is_active) == (
        "มานี",
        "มีนา",
        "manee@example.go.th",
        True,
    )
    assert user.check_password("Krabuan-ใหม่-2568")
    assert not user.is_staff and not user.is_superuser
    assert Preference.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.actor == admin_user
    assert entry.object_id == str(user.pk)
    assert entry.changes == {
        "username": "newbie",
        "first_name": "มานี",
        "last_name": "มีนา",
        "email": "manee@example.go.th",
        "is_active": True,
        "password_mode": "set",
    }
    assert "Krabuan-ใหม่-2568" not in str(entry.changes)
    assert mail.outbox == []


def test_create_with_a_password_set_email(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client, password_mode="email", password=None, password_confirm=None)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manee@example.go.th"]
    assert message.subject == "ตั้งรหัสผ่านสำหรับบัญชีใหม่ในระบบกระบวน (Krabuan)"
    assert 'สร้างบัญชีผู้ใช้ "newbie"' in message.body
    assert "ภายใน 3 วัน" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    client.logout()
    page = client.get(link, follow=True)
    assert page.context["validlink"] is True
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "ตั้งเอง-Krabuan-1", "new_password2": "ตั้งเอง-Krabuan-1"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ตั้งเอง-Krabuan-1")
    assert client.get(reverse("org:user_create")).status_code == 302  # still signed out


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": ""}, "username", "กรุณากรอกชื่อผู้ใช้"),
        (
            {"username": "มี ช่องว่าง"},
            "username",
            "ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และเครื่องหมาย @ . + - _ (ห้ามเว้นวรรค)",
        ),
        ({"username": "SomChai"}, "username", "ชื่อผู้ใช้ “SomChai” มีผู้ใช้อยู่แล้ว"),
        ({"email": "somchai@EXAMPLE.go.th"}, "email", "อีเมลนี้มีผู้ใช้อื่นใช้อยู่แล้ว"),
        ({"email": "no-at-sign"}, "email", "อีเมลไม่ถูกต้อง (ตัวอย่าง: name@example.go.th)"),
        ({"password_mode": "email", "email": ""}, "email", "กรุณากรอกอีเมล เพื่อส่งลิงก์ตั้งรหัสผ่าน"),
        ({"password": "", "password_confirm": ""}, "password", "กรุณากรอกรหัสผ่านเริ่มต้น"),
        ({"password_confirm": "other"}, "password_confirm", "ยืนยันรหัสผ่านเริ่มต้นไม่ตรงกับรหัสผ่านเริ่มต้น"),
        (
            {"password": "newbie123", "password_confirm": "newbie123"},
            "password",
            "รหัสผ่านคล้ายกับชื่อผู้ใช้ ชื่อ หรืออีเมลมากเกินไป",
        ),
        (
            {"password": "short", "password_confirm": "short"},
            "password",
            "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร",
        ),
        ({"password_mode": "root"}, "password_mode", "รหัสผ่านเริ่มต้น: ไม่มีตัวเลือก “root” ในรายการ"),
        ({"first_name": "ก" * 151}, "first_name", "ชื่อต้องยาวไม่เกิน 150 ตัวอักษร (ตอนนี้ 151)"),
    ],
)
def test_create_refuses_bad_input_in_thai_naming_the_field(
    client, admin_user, somchai, overrides, field, message
):
    client.force_login(admin_user)
    before = User.objects.count()
    response = _create(client, **overrides)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


# --- edit, deactivate, passwords --------------------------------------------------------------


def test_edit_changes_the_details_and_audits_only_what_changed(client, admin_user, somchai):
    client.force_login(admin_user)
    page = client.get(reverse("org:user_edit", kwargs={"user_id": somchai.pk}))
    assert page.context["edit_form"].initial["email"] == "somchai@example.go.th"
    response = client.post(
        reverse("org:user_edit", kwargs={"user_id": somchai.pk}),
        {
            "username": "somchai",
            "first_name": "สมชาย",
            "last_name": "ใจงาม",
            "email": "sc@example.go.th",
        },
    )
    assert response.status_code == 302
    somchai.refresh_from_db()
    assert (somchai.last_name, somchai.email) == ("ใจงาม", "sc@example.go.th")
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.changes == {
        "email": ["somchai@example.go.th", "sc@example.go.th"],
        "last_name": ["ใจดี", "ใจงาม"],
    }


def test_edit_refuses_a_taken_username_and_saves_nothing(client, admin_user, somchai):
    client.force_login(admin_user)
    response = client.post(
        reverse("org:user_edit", kwargs={"user_id": somchai.pk}),
        {
            "username": "ROOT",
            "first_name": "เปลี่ยน",
            "last_name": "",
            "email": "",
        },
    )
    assert response.status_code == 200
    assert response.context["edit_form"].errors["username"] == ["ชื่อผู้ใช้ “ROOT” มีผู้ใช้อยู่แล้ว"]
    somchai.refresh_from_db()
    assert (somchai.username, somchai.first_name) == ("somchai", "สมชาย")
    assert AuditEntry.objects.count() == 0


def test_deactivate_suspends_sign_in_and_the_api_token_and_activate_restores(
    client, admin_user, somchai
):
    Token.objects.create(user=somchai)
    client.force_login(admin_user)
    response = client.post(reverse("org:user_deactivate", kwargs={"user_id": somchai.pk}))
    assert response.status_code == 302
    somchai.refresh_from_db()
    assert not somchai.is_active
    assert User.objects.filter(pk=somchai.pk).exists()
    assert not Token.objects.filter(user=somchai).exists()
    assert AuditEntry.objects.get(action="user.deactivate").changes == {
        "is_active": [True, False],
        "api_token_revoked": True,
    }
    client.post(reverse("org:user_activate", kwargs={"user_id": somchai.pk}))
    somchai.refresh_from_db()
    assert somchai.is_active
    assert AuditEntry.objects.get(action="user.activate").changes == {"is_active": [False, True]}


def test_an_administrator_cannot_suspend_themselves(client, role_admin):
    client.force_login(role_admin)
    response = client.post(
        reverse("org:user_deactivate", kwargs={"user_id": role_admin.pk}), follow=True
    )
    assert "ไม่สามารถระงับบัญชีของตนเองได้" in response.content.decode()
    role_admin.refresh_from_db()
    assert role_admin.is_active
    assert AuditEntry.objects.count() == 0


def test_an_administrator_by_role_cannot_change_a_superuser(client, role_admin, admin_user):
    client.force_login(role_admin)
    page = client.get(reverse("org:user_edit", kwargs={"user_id": admin_user.pk}))
    assert page.context["can_change"] is False
    response = client.post(
        reverse("org:user_password", kwargs={"user_id": admin_user.pk}),
        {"password": "Takeover-2568-x", "password_confirm": "Takeover-2568-x"},
    )
    assert "เฉพาะผู้ดูแลระบบสูงสุดเท่านั้นที่แก้ไขได้" in response.content.decode()
    client.post(reverse("org:user_deactivate", kwargs={"user_id": admin_user.pk}))
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert admin_user.check_password(PASSWORD)
    assert AuditEntry.objects.count() == 0


def test_an_administrator_sets_a_password_and_weak_ones_are_refused_in_thai(
    client, admin_user, somchai
):
    client.force_login(admin_user)
    url = reverse("org:user_password", kwargs={"user_id": somchai.pk})
    weak = client.post(url, {"password": "12345678", "password_confirm": "12345678"})
    assert weak.status_code == 200
    assert weak.context["password_form"].errors["password"] == [
        "รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น",
        "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด",
    ]
    assert somchai.check_password(PASSWORD)
    response = client.post(
        url, {"password": "ใหม่-Krabuan-2568", "password_confirm": "ใหม่-Krabuan-2568"}
    )
    assert response.status_code == 302
    somchai.refresh_from_db()
    assert somchai.check_password("ใหม่-Krabuan-2568")
    entry = AuditEntry.objects.get(action="user.password_set")
    assert entry.changes == {"set_by": "administrator"}


def test_an_administrator_sends_a_password_link(
    client, admin_user, somchai, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:user_password_email", kwargs={"user_id": somchai.pk}))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "ตั้งรหัสผ่านใหม่ในระบบกระบวน (Krabuan)"
    assert AuditEntry.objects.get(action="user.password_email").changes == {
        "to": "somchai@example.go.th"
    }


def test_a_password_link_needs_an_email(client, admin_user, django_capture_on_commit_callbacks):
    nomail = UserFactory(username="nomail", email="")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:user_password_email", kwargs={"user_id": nomail.pk}), follow=True
        )
    assert "ผู้ใช้นี้ยังไม่มีอีเมล" in response.content.decode()
    assert mail.outbox == []
    assert AuditEntry.objects.count() == 0


# --- memberships ------------------------------------------------------------------------------


def test_add_a_membership_with_a_position_and_remove_it(client, admin_user, somchai):
    unit = UnitFactory(code="ict-data", name="กลุ่มบริหารข้อมูลการเกษตร")
    position = PositionFactory(unit=unit, title="หัวหน้ากลุ่มบริหารข้อมูลการเกษตร")
    client.force_login(admin_user)
    response = client.post(
        reverse("org:membership_add", kwargs={"user_id": somchai.pk}),
        {"unit": unit.pk, "role": Role.GROUP_HEAD, "position": position.pk},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=somchai, unit=unit)
    assert (membership.role, membership.position) == (Role.GROUP_HEAD, position)
    assert AuditEntry.objects.get(action="membership.add").changes == {
        "user_id": somchai.pk,
        "unit_id": unit.pk,
        "role": "group_head",
        "position_id": position.pk,
    }

    response = client.post(
        reverse(
            "org:membership_remove", kwargs={"user_id": somchai.pk, "membership_id": membership.pk}
        )
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.get(action="membership.remove").object_id == str(membership.pk)


def test_membership_errors_are_thai_and_save_nothing(client, admin_user, somchai):
    unit = UnitFactory(code="ict-data", name="กลุ่มบริหารข้อมูลการเกษตร", short_name="กบข.")
    elsewhere = PositionFactory(title="เจ้าหน้าที่ที่อื่น")
    network = somchai.memberships.get().unit
    client.force_login(admin_user)
    url = reverse("org:membership_add", kwargs={"user_id": somchai.pk})

    wrong_unit = client.post(url, {"unit": unit.pk, "role": Role.OFFICER, "position": elsewhere.pk})
    assert wrong_unit.context["membership_form"].errors["position"] == [
        "ตำแหน่ง “เจ้าหน้าที่ที่อื่น” ไม่ได้อยู่ในหน่วยงาน “กบข.”"
    ]
    duplicate = client.post(url, {"unit": network.pk, "role": Role.OFFICER})
    assert duplicate.context["membership_form"].errors["role"] == [
        "ผู้ใช้มีบทบาท “เจ้าหน้าที่” ในหน่วยงาน “กคข.” อยู่แล้ว"
    ]
    missing = client.post(url, {"unit": "", "role": ""})
    assert missing.context["membership_form"].errors == {
        "unit": ["กรุณาเลือกหน่วยงาน"],
        "role": ["กรุณาเลือกบทบาท"],
    }
    assert somchai.memberships.count() == 1
    assert AuditEntry.objects.count() == 0


def test_an_administrator_cannot_remove_their_own_last_admin_role(client, role_admin):
    client.force_login(role_admin)
    membership = role_admin.memberships.get(role=Role.ADMIN)
    response = client.post(
        reverse(
            "org:membership_remove",
            kwargs={"user_id": role_admin.pk, "membership_id": membership.pk},
        ),
        follow=True,
    )
    assert "ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_user_is_not_reachable_through_this_user(
    client, admin_user, somchai
):
    other = UserFactory(username="other")
    client.force_login(admin_user)
    response = client.post(
        reverse(
            "org:membership_remove",
            kwargs={"user_id": other.pk, "membership_id": somchai.memberships.get().pk},
        )
    )
    assert response.status_code == 404
    assert somchai.memberships.count() == 1
