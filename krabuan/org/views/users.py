"""Pages for user and role management (administrators) and personal preferences (everyone).

Each view checks the role first, parses with a form, calls one service or selector, renders.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import format_datetime
from krabuan.org import selectors
from krabuan.org.forms import (
    MembershipForm,
    PreferenceForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    UserPasswordForm,
    errors_from,
)
from krabuan.org.models import Role
from krabuan.org.permissions import role_required
from krabuan.org.services import users as services

ADMINS = {Role.ADMIN}
PAGE_SIZE = 50
# Spreadsheet programs run cells that start with these as formulas; prefix them to keep them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _target(request: HttpRequest, user_id: int) -> Any:
    try:
        return selectors.user_get_for_admin(actor=request.user, user_id=user_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _filtered_users(request: HttpRequest) -> tuple[UserFilterForm, Any, str]:
    units = list(selectors.unit_choices())
    filters = UserFilterForm(request.GET or None, units=units)
    sort = filters.value("sort") or "username"
    users = selectors.user_list(
        actor=request.user,
        search=filters.value("q"),
        unit_code=filters.value("unit"),
        role=filters.value("role"),
        status=filters.value("status"),
        ordering=sort,
    )
    return filters, users, sort


@role_required(ADMINS)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    filters, users, sort = _filtered_users(request)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/user_list.html",
        {
            "filters": filters,
            "page": page,
            "sort": sort,
            "role_labels": dict(Role.choices),
        },
    )


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


@role_required(ADMINS)
@require_GET
def user_export(request: HttpRequest) -> HttpResponse:
    _filters, users, _sort = _filtered_users(request)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="krabuan-users-{stamp}.csv"'
    # A byte-order mark makes Excel read the Thai text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("ชื่อผู้ใช้"),
            _("ชื่อ"),
            _("นามสกุล"),
            _("อีเมล"),
            _("สถานะ"),
            _("บทบาทในหน่วยงาน"),
            _("เข้าสู่ระบบล่าสุด"),
            _("สร้างเมื่อ"),
        ]
    )
    for user in users:
        roles = "; ".join(
            f"{m.unit}: {m.get_role_display()}" + (f" ({m.position.title})" if m.position else "")
            for m in user.memberships.all()
        )
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    user.username,
                    user.first_name,
                    user.last_name,
                    user.email,
                    _("ใช้งาน") if user.is_active else _("ระงับการใช้งาน"),
                    roles,
                    format_datetime(user.last_login),
                    format_datetime(user.date_joined),
                )
            ]
        )
    return response


@role_required(ADMINS)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                is_active=data["is_active"],
                password_mode=data["password_mode"],
                password=data["password"],
                site_url=_site_url(request),
            )
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            if data["password_mode"] == services.PasswordMode.EMAIL:
                done = _("สร้างผู้ใช้ %(username)s แล้ว และส่งลิงก์ตั้งรหัสผ่านไปที่ %(email)s")
            else:
                done = _("สร้างผู้ใช้ %(username)s แล้ว")
            messages.success(request, done % {"username": user.username, "email": user.email})
            return redirect("org:user_edit", user_id=user.pk)
    return render(request, "org/user_create.html", {"form": form})


def _edit_page(
    request: HttpRequest,
    target: Any,
    *,
    edit_form: UserEditForm | None = None,
    membership_form: MembershipForm | None = None,
    password_form: UserPasswordForm | None = None,
) -> HttpResponse:
    edit_form = edit_form or UserEditForm(
        initial={
            "username": target.username,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
        }
    )
    return render(
        request,
        "org/user_edit.html",
        {
            "target": target,
            # A role-based administrator may look at a superuser's account but not change it.
            "can_change": not target.is_superuser or request.user.is_superuser,
            "memberships": target.memberships.all(),
            "edit_form": edit_form,
            "membership_form": membership_form or MembershipForm(),
            "password_form": password_form or UserPasswordForm(),
        },
    )


@role_required(ADMINS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _target(request, user_id)
    if request.method != "POST":
        return _edit_page(request, target)
    form = UserEditForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            messages.success(request, _("บันทึกข้อมูลผู้ใช้แล้ว"))
            return redirect("org:user_edit", user_id=target.pk)
    target.refresh_from_db()
    return _edit_page(request, target, edit_form=form)


def _button(request: HttpRequest, user_id: int, action: Any, done: str) -> HttpResponse:
    target = _target(request, user_id)
    try:
        action(target)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("org:user_edit", user_id=target.pk)


@role_required(ADMINS)
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _button(
        request,
        user_id,
        lambda u: services.user_deactivate(actor=request.user, user=u),
        _("ระงับการใช้งานบัญชีแล้ว"),
    )


@role_required(ADMINS)
@require_POST
def user_activate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _button(
        request,
        user_id,
        lambda u: services.user_activate(actor=request.user, user=u),
        _("เปิดใช้งานบัญชีแล้ว"),
    )


@role_required(ADMINS)
@require_POST
def user_password_email(request: HttpRequest, user_id: int) -> HttpResponse:
    return _button(
        request,
        user_id,
        lambda u: services.user_password_email_send(
            actor=request.user, user=u, site_url=_site_url(request)
        ),
        _("ส่งลิงก์ตั้งรหัสผ่านทางอีเมลแล้ว"),
    )


@role_required(ADMINS)
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _target(request, user_id)
    form = UserPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_password_set(
                actor=request.user, user=target, password=form.cleaned_data["password"]
            )
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            messages.success(request, _("ตั้งรหัสผ่านใหม่แล้ว"))
            return redirect("org:user_edit", user_id=target.pk)
    return _edit_page(request, target, password_form=form)


@role_required(ADMINS)
@require_POST
def membership_add(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _target(request, user_id)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, user=target, **form.cleaned_data)
        except ApplicationError as exc:
            errors_from(form, exc)
        else:
            messages.success(request, _("เพิ่มบทบาทแล้ว"))
            return redirect("org:user_edit", user_id=target.pk)
    return _edit_page(request, target, membership_form=form)


@role_required(ADMINS)
@require_POST
def membership_remove(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    try:
        membership = selectors.membership_get_for_admin(
            actor=request.user, user_id=user_id, membership_id=membership_id
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("ถอดบทบาทแล้ว"))
    return redirect("org:user_edit", user_id=user_id)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_get(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_update(
                    actor=request.user, user=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                errors_from(form, exc)
            else:
                # Said in the language just chosen, which the next page will be in.
                with translation.override(form.cleaned_data.get("language") or None):
                    messages.success(request, _("บันทึกการตั้งค่าแล้ว"))
                return redirect("org:preferences")
    else:
        form = PreferenceForm(
            initial={
                "language": preference.language,
                "thai_digits": preference.thai_digits,
                "notify_in_app": preference.notify_in_app,
                "notify_email": preference.notify_email,
                "notify_line": preference.notify_line,
                "line_user_id": preference.line_user_id,
            }
        )
    memberships = request.user.memberships.select_related("unit", "position")  # type: ignore[union-attr]
    return render(
        request,
        "org/preferences.html",
        {
            "form": form,
            "memberships": memberships,
        },
    )
