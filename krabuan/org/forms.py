"""Forms of the org app: sign-in, passwords, users, roles, preferences.

Forms only parse and show errors; the rules live in the services, whose field errors the views
copy back onto these forms. Every message is Thai and names its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.org import login_throttle
from krabuan.org.models import Language, Position, Role, Unit
from krabuan.org.passwords import password_help_text, password_problems
from krabuan.org.selectors import USER_ORDERINGS, UserStatus, position_choices, unit_choices
from krabuan.org.services.users import PasswordMode, user_password_set


def thai_form_setup(form: forms.BaseForm) -> None:
    """Thai error messages that name each field, and Bootstrap classes on every widget."""
    for field in form.fields.values():
        label = str(field.label or "")
        choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        field.error_messages.update(
            {
                "required": f"กรุณา{'เลือก' if choose else 'กรอก'}{label}",
                "invalid": f"{label}ไม่ถูกต้อง",
                "max_length": f"{label}ต้องยาวไม่เกิน %(limit_value)d ตัวอักษร (ตอนนี้ %(show_value)d)",
                "invalid_choice": f"{label}: ไม่มีตัวเลือก “%(value)s” ในรายการ",
            }
        )
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = f"{label}ไม่ถูกต้อง (ตัวอย่าง: name@example.go.th)"
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


def errors_from(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Put a service's refusal on the form: on the named fields, or above the form."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ThaiForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        thai_form_setup(self)


# --- sign-in ----------------------------------------------------------------------------------


class LoginThrottleMixin:
    """Refuse sign-in after too many failures for the username or the address (login_throttle)."""

    request: Any
    cleaned_data: dict[str, Any]
    throttle_message = _(
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป ระบบระงับการเข้าสู่ระบบชั่วคราว กรุณาลองใหม่ในอีก %(minutes)s นาที"
    )

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        ip = login_throttle.client_ip(self.request)
        wait = login_throttle.locked_seconds(username=username, ip=ip)
        if wait:
            # Checked before the password, so a locked account's password is not even tried.
            minutes = max(1, -(-wait // 60))
            raise ValidationError(
                self.throttle_message, code="throttled", params={"minutes": minutes}
            )
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError:
            if username and self.cleaned_data.get("password"):
                login_throttle.failure_record(username=username, ip=ip)
            raise
        login_throttle.success_record(username=username)
        return cleaned


class ThaiAuthenticationForm(LoginThrottleMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน"),
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ชื่อผู้ใช้")
        self.fields["password"].label = _("รหัสผ่าน")
        thai_form_setup(self)


class ThrottledAdminAuthenticationForm(LoginThrottleMixin, AdminAuthenticationForm):
    """The Django admin's sign-in with the same throttle (set as admin.site.login_form)."""


# --- passwords --------------------------------------------------------------------------------


class ThaiPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("อีเมล")
        thai_form_setup(self)


class ThaiSetPasswordForm(SetPasswordForm):
    """Set a new password (reset link): Thai rules; saved through the audited service."""

    error_messages = {"password_mismatch": _("ยืนยันรหัสผ่านใหม่ไม่ตรงกับรหัสผ่านใหม่")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].label = _("ยืนยันรหัสผ่านใหม่")
        self.fields["new_password2"].help_text = _("กรอกรหัสผ่านใหม่อีกครั้ง")
        thai_form_setup(self)

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "password2",  # noqa: S107 - a field name
    ) -> None:
        password = self.cleaned_data.get(password_field_name)
        if password:
            for message in password_problems(password=password, user=user):
                self.add_error(password_field_name, message)

    def save(self, commit: bool = True) -> Any:
        password = self.cleaned_data["new_password1"]
        if not commit:
            self.user.set_password(password)
            return self.user
        return user_password_set(actor=self.user, user=self.user, password=password)


class ThaiPasswordChangeForm(ThaiSetPasswordForm, PasswordChangeForm):
    error_messages = {
        **ThaiSetPasswordForm.error_messages,
        "password_incorrect": _("รหัสผ่านเดิมไม่ถูกต้อง กรุณากรอกอีกครั้ง"),
    }
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("รหัสผ่านเดิม")
        thai_form_setup(self)


# --- user management --------------------------------------------------------------------------


SORT_CHOICES = [(key, key) for key in USER_ORDERINGS] + [(f"-{k}", f"-{k}") for k in USER_ORDERINGS]


class UserFilterForm(ThaiForm):
    """The list's search, filters and sort, read from the query string."""

    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("หน่วยงาน"), required=False)
    role = forms.ChoiceField(
        label=_("บทบาท"), required=False, choices=[("", _("ทุกบทบาท")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("สถานะ"),
        required=False,
        choices=[
            ("", _("ทั้งหมด")),
            (UserStatus.ACTIVE, _("ใช้งาน")),
            (UserStatus.INACTIVE, _("ระงับการใช้งาน")),
        ],
    )
    sort = forms.ChoiceField(label=_("เรียงตาม"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [("", _("ทุกหน่วยงาน")), *((u.code, str(u)) for u in units)]

    def value(self, name: str) -> str:
        """A filter's value when valid; an invalid one is ignored rather than failing the page."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


class UserCreateForm(ThaiForm):
    username = forms.CharField(
        label=_("ชื่อผู้ใช้"), max_length=150, help_text=_("ตัวอักษร ตัวเลข และ @ . + - _ ห้ามเว้นวรรค")
    )
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150, required=False)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150, required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False)
    is_active = forms.BooleanField(label=_("ใช้งานได้"), required=False, initial=True)
    password_mode = forms.ChoiceField(
        label=_("รหัสผ่านเริ่มต้น"),
        choices=[
            (PasswordMode.EMAIL, _("ส่งลิงก์ให้ผู้ใช้ตั้งรหัสผ่านเองทางอีเมล")),
            (PasswordMode.SET, _("กำหนดรหัสผ่านเริ่มต้นเอง")),
        ],
        initial=PasswordMode.EMAIL,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("รหัสผ่านเริ่มต้น"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("ยืนยันรหัสผ่านเริ่มต้น"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_help_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") == PasswordMode.SET:
            if not data.get("password"):
                self.add_error("password", _("กรุณากรอกรหัสผ่านเริ่มต้น"))
            elif data.get("password") != data.get("password_confirm"):
                self.add_error("password_confirm", _("ยืนยันรหัสผ่านเริ่มต้นไม่ตรงกับรหัสผ่านเริ่มต้น"))
        return data


class UserEditForm(ThaiForm):
    username = forms.CharField(label=_("ชื่อผู้ใช้"), max_length=150)
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150, required=False)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150, required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False)


class UserPasswordForm(ThaiForm):
    """An administrator sets someone's password."""

    password = forms.CharField(
        label=_("รหัสผ่านใหม่"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("ยืนยันรหัสผ่านใหม่"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_help_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password_confirm"):
            self.add_error("password_confirm", _("ยืนยันรหัสผ่านใหม่ไม่ตรงกับรหัสผ่านใหม่"))
        return data


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:  # type: ignore[override]
        return f"{obj.title} — {obj.unit}"


class MembershipForm(ThaiForm):
    unit = forms.ModelChoiceField(label=_("หน่วยงาน"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("บทบาท"), choices=[("", "---------"), *Role.choices])
    position = PositionChoiceField(
        label=_("ตำแหน่ง (ถ้ามี)"), queryset=Position.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        position_field = self.fields["position"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        assert isinstance(position_field, forms.ModelChoiceField)
        unit_field.queryset = unit_choices()
        position_field.queryset = position_choices()


# --- preferences ------------------------------------------------------------------------------


class PreferenceForm(ThaiForm):
    language = forms.ChoiceField(label=_("ภาษา"), choices=Language.choices)
    thai_digits = forms.BooleanField(label=_("แสดงตัวเลขเป็นเลขไทย (๐ ๑ ๒ …)"), required=False)
    notify_in_app = forms.BooleanField(label=_("แจ้งเตือนในระบบ"), required=False)
    notify_email = forms.BooleanField(label=_("แจ้งเตือนทางอีเมล"), required=False)
    notify_line = forms.BooleanField(label=_("แจ้งเตือนทาง LINE"), required=False)
    line_user_id = forms.CharField(
        label=_("LINE user ID"),
        required=False,
        max_length=64,
        help_text=_("ขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว เช่น U4af4980629… (ไม่ใช่ LINE ID ที่ใช้ค้นหาเพื่อน)"),
    )
