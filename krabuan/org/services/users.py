"""Writes for people: accounts, passwords, memberships (roles in units) and preferences.

Every use case runs in one transaction, validates everything before saving, and writes one audit
row. Passwords never reach the audit log; only the fact that one was set.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, PermissionDenied, field_error
from krabuan.core.thai import normalize_text
from krabuan.org.models import Language, Membership, Position, Preference, Role, Unit
from krabuan.org.passwords import password_problems
from krabuan.org.permissions import can_manage_users, user_roles

logger = logging.getLogger(__name__)
User = get_user_model()

# What the audit log keeps about an account; never the password hash.
USER_AUDIT_FIELDS = ["username", "first_name", "last_name", "email", "is_active"]
MEMBERSHIP_AUDIT_FIELDS = ["user_id", "unit_id", "role", "position_id"]
PREFERENCE_AUDIT_FIELDS = [
    "language",
    "thai_digits",
    "notify_in_app",
    "notify_email",
    "notify_line",
    "line_user_id",
]
LINE_USER_ID = re.compile(r"^U[0-9a-fA-F]{32}$")
NAME_MAX_LENGTH = 150


class PasswordMode:
    """How a new account gets its first password."""

    SET = "set"  # the administrator types one
    EMAIL = "email"  # the person sets it from a link sent by e-mail
    NONE = "none"  # no password sign-in (single sign-on only)


# --- guards -----------------------------------------------------------------------------------


def _guard_manage(*, actor: Any, user: Any = None) -> None:
    if not can_manage_users(actor):
        raise PermissionDenied("คุณไม่มีสิทธิ์จัดการผู้ใช้")
    # A role-based administrator must not take over a superuser's account.
    if user is not None and user.is_superuser and not actor.is_superuser:
        raise PermissionDenied("บัญชีนี้เป็นผู้ดูแลระบบสูงสุด (superuser) เฉพาะผู้ดูแลระบบสูงสุดเท่านั้นที่แก้ไขได้")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", fields=errors)


# --- field rules ------------------------------------------------------------------------------


def _username_check(username: str, *, exclude_pk: int | None, errors: dict[str, list[str]]) -> str:
    username = unicodedata.normalize("NFKC", username or "").strip()
    if not username:
        errors["username"] = ["กรุณากรอกชื่อผู้ใช้"]
        return username
    if len(username) > 150:
        errors["username"] = ["ชื่อผู้ใช้ต้องยาวไม่เกิน 150 ตัวอักษร"]
        return username
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors["username"] = ["ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และเครื่องหมาย @ . + - _ (ห้ามเว้นวรรค)"]
        return username
    taken = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors["username"] = [f"ชื่อผู้ใช้ “{username}” มีผู้ใช้อยู่แล้ว"]
    return username


def _email_check(email: str, *, exclude_pk: int | None, errors: dict[str, list[str]]) -> str:
    email = User.objects.normalize_email((email or "").strip())
    if not email:
        return ""
    if len(email) > 254:
        errors["email"] = ["อีเมลต้องยาวไม่เกิน 254 ตัวอักษร"]
        return email
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["อีเมลไม่ถูกต้อง (ตัวอย่าง: name@example.go.th)"]
        return email
    # Password-reset mails go to every account with the address, so keep addresses unique.
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors["email"] = ["อีเมลนี้มีผู้ใช้อื่นใช้อยู่แล้ว"]
    return email


def _name_check(value: str, *, field: str, label: str, errors: dict[str, list[str]]) -> str:
    value = normalize_text(value).replace("\n", " ")
    if len(value) > NAME_MAX_LENGTH:
        errors[field] = [f"{label}ต้องยาวไม่เกิน {NAME_MAX_LENGTH} ตัวอักษร"]
    return value


def _is_admin(user: Any) -> bool:
    return Role.ADMIN in user_roles(user)


# --- accounts ---------------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_active: bool = True,
    password_mode: str = PasswordMode.EMAIL,
    password: str = "",
    site_url: str = "",
) -> Any:
    """Create an account (administrators only); its first password is typed, mailed or none."""
    _guard_manage(actor=actor)
    errors: dict[str, list[str]] = {}
    username = _username_check(username, exclude_pk=None, errors=errors)
    email = _email_check(email, exclude_pk=None, errors=errors)
    first_name = _name_check(first_name, field="first_name", label="ชื่อ", errors=errors)
    last_name = _name_check(last_name, field="last_name", label="นามสกุล", errors=errors)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=is_active,
    )
    if password_mode == PasswordMode.SET:
        if not password:
            errors["password"] = ["กรุณากรอกรหัสผ่านเริ่มต้น"]
        else:
            problems = password_problems(password=password, user=user)
            if problems:
                errors["password"] = problems
    elif password_mode == PasswordMode.EMAIL:
        if not email and "email" not in errors:
            errors["email"] = ["กรุณากรอกอีเมล เพื่อส่งลิงก์ตั้งรหัสผ่าน"]
        if not is_active:
            errors["password_mode"] = ["บัญชีที่ระงับการใช้งานไม่สามารถรับลิงก์ตั้งรหัสผ่านได้"]
    elif password_mode != PasswordMode.NONE:
        errors["password_mode"] = ["วิธีตั้งรหัสผ่านไม่ถูกต้อง"]
    _raise_if(errors)

    if password_mode == PasswordMode.SET:
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Someone took the name between the check and the insert.
            raise field_error("username", f"ชื่อผู้ใช้ “{username}” มีผู้ใช้อยู่แล้ว") from None
        Preference.objects.create(user=user)
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            changes={**snapshot(user, USER_AUDIT_FIELDS), "password_mode": password_mode},
        )
        if password_mode == PasswordMode.EMAIL:
            _password_mail_queue(user=user, site_url=site_url, new_account=True)
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: Any,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Any:
    """Change an account's name, username or e-mail (administrators only)."""
    _guard_manage(actor=actor, user=user)
    errors: dict[str, list[str]] = {}
    username = _username_check(username, exclude_pk=user.pk, errors=errors)
    email = _email_check(email, exclude_pk=user.pk, errors=errors)
    first_name = _name_check(first_name, field="first_name", label="ชื่อ", errors=errors)
    last_name = _name_check(last_name, field="last_name", label="นามสกุล", errors=errors)
    _raise_if(errors)
    before = snapshot(user, USER_AUDIT_FIELDS)
    user.username, user.first_name, user.last_name, user.email = (
        username,
        first_name,
        last_name,
        email,
    )
    changes = diff(before, snapshot(user, USER_AUDIT_FIELDS))
    if not changes:
        return user
    try:
        with transaction.atomic():
            user.save(update_fields=["username", "first_name", "last_name", "email"])
    except IntegrityError:
        raise field_error("username", f"ชื่อผู้ใช้ “{username}” มีผู้ใช้อยู่แล้ว") from None
    audit_record(actor=actor, action="user.update", obj=user, changes=changes)
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: Any) -> Any:
    """Suspend an account (never delete): sign-in and its API token stop working."""
    _guard_manage(actor=actor, user=user)
    if user.pk == actor.pk:
        raise ApplicationError("ไม่สามารถระงับบัญชีของตนเองได้", code="self_deactivate")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_deleted, _ = Token.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="user.deactivate",
        obj=user,
        changes={"is_active": [True, False], "api_token_revoked": bool(tokens_deleted)},
    )
    return user


@transaction.atomic
def user_activate(*, actor: Any, user: Any) -> Any:
    """Allow a suspended account to sign in again."""
    _guard_manage(actor=actor, user=user)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="user.activate", obj=user, changes={"is_active": [False, True]}
    )
    return user


def user_password_set(*, actor: Any, user: Any, password: str) -> Any:
    """Set a new password: people change their own; administrators may set anyone's."""
    is_self = actor is not None and actor.pk == user.pk
    if not is_self:
        _guard_manage(actor=actor, user=user)
    if not password:
        raise field_error("password", "กรุณากรอกรหัสผ่านใหม่")
    problems = password_problems(password=password, user=user)
    if problems:
        raise ApplicationError(problems[0], code="invalid", fields={"password": problems})
    # Hash before the transaction: hashing is slow and SQLite holds its write lock meanwhile.
    user.set_password(password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="user.password_set",
            obj=user,
            changes={"set_by": "self" if is_self else "administrator"},
        )
    return user


@transaction.atomic
def user_password_email_send(*, actor: Any, user: Any, site_url: str) -> None:
    """Mail the person a link to set a new password (administrators only)."""
    _guard_manage(actor=actor, user=user)
    if not user.is_active:
        raise ApplicationError("บัญชีนี้ถูกระงับการใช้งาน จึงส่งลิงก์ตั้งรหัสผ่านไม่ได้", code="inactive")
    if not user.email:
        raise field_error("email", "ผู้ใช้นี้ยังไม่มีอีเมล กรุณาเพิ่มอีเมลก่อนส่งลิงก์ตั้งรหัสผ่าน")
    audit_record(actor=actor, action="user.password_email", obj=user, changes={"to": user.email})
    _password_mail_queue(user=user, site_url=site_url, new_account=False)


def _password_mail_queue(*, user: Any, site_url: str, new_account: bool) -> None:
    # The link is built now (inside the transaction) but mailed only once the account exists.
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {
        "user": user,
        "link": f"{site_url.rstrip('/')}{path}",
        "new_account": new_account,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    transaction.on_commit(lambda: _password_mail_send(to=user.email, context=context))


def _password_mail_send(*, to: str, context: dict[str, Any]) -> None:
    subject = "".join(render_to_string("org/user_password_email_subject.txt", context).splitlines())
    body = render_to_string("org/user_password_email.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        # As Django's own password reset does: log and let the administrator resend from the page.
        logger.exception("Failed to send the password-set e-mail to user %s", context["user"].pk)


# --- memberships ------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, actor: Any, user: Any, unit: Unit, role: str, position: Position | None = None
) -> Membership:
    """Give a user a role in a unit, optionally through a position of that unit."""
    _guard_manage(actor=actor, user=user)
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = ["บทบาทไม่ถูกต้อง"]
    if not unit.is_active:
        errors["unit"] = [f"หน่วยงาน “{unit}” ถูกยกเลิกแล้ว"]
    if position is not None and position.unit_id != unit.pk:
        errors["position"] = [f"ตำแหน่ง “{position.title}” ไม่ได้อยู่ในหน่วยงาน “{unit}”"]
    if not errors and Membership.objects.filter(user=user, unit=unit, role=role).exists():
        errors["role"] = [f"ผู้ใช้มีบทบาท “{Role(role).label}” ในหน่วยงาน “{unit}” อยู่แล้ว"]
    _raise_if(errors)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, unit=unit, role=role, position=position
            )
    except IntegrityError:
        raise field_error(
            "role", f"ผู้ใช้มีบทบาท “{Role(role).label}” ในหน่วยงาน “{unit}” อยู่แล้ว"
        ) from None
    audit_record(
        actor=actor,
        action="membership.add",
        obj=membership,
        changes=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    """Take a role away; administrators cannot remove their own last administrator role."""
    user = membership.user
    _guard_manage(actor=actor, user=user)
    if (
        membership.role == Role.ADMIN
        and user.pk == actor.pk
        and not actor.is_superuser
        and not Membership.objects.filter(user=user, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError(
            "ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้ (จะไม่มีสิทธิ์จัดการผู้ใช้อีก)",
            code="self_admin_remove",
        )
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        changes=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    membership.delete()


# --- preferences ------------------------------------------------------------------------------


@transaction.atomic
def preference_update(
    *,
    actor: Any,
    user: Any,
    language: str,
    thai_digits: bool,
    notify_in_app: bool,
    notify_email: bool,
    notify_line: bool,
    line_user_id: str = "",
) -> Preference:
    """Save a person's own display and notification choices; the row is created when missing."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("แก้ไขได้เฉพาะการตั้งค่าของตนเอง")
    errors: dict[str, list[str]] = {}
    if language not in Language.values:
        errors["language"] = ["ภาษาไม่ถูกต้อง (เลือก ไทย หรือ English)"]
    line_user_id = (line_user_id or "").strip()
    if line_user_id and not LINE_USER_ID.match(line_user_id):
        errors["line_user_id"] = [
            "LINE user ID ไม่ถูกต้อง: ต้องขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว (0-9, a-f) รวม 33 ตัวอักษร"
        ]
    elif notify_line and not line_user_id:
        errors["line_user_id"] = ["กรุณากรอก LINE user ID เมื่อเลือกแจ้งเตือนทาง LINE"]
    _raise_if(errors)
    preference, created = Preference.objects.select_for_update().get_or_create(user=user)
    before = snapshot(preference, PREFERENCE_AUDIT_FIELDS)
    preference.language = language
    preference.thai_digits = thai_digits
    preference.notify_in_app = notify_in_app
    preference.notify_email = notify_email
    preference.notify_line = notify_line
    preference.line_user_id = line_user_id
    after = snapshot(preference, PREFERENCE_AUDIT_FIELDS)
    changes = diff(before, after)
    if changes:
        preference.save()
    if changes or created:
        audit_record(
            actor=actor,
            action="preference.update",
            obj=preference,
            changes={**changes, **({"created": True} if created else {})},
        )
    return preference
