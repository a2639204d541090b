"""The records index, the working group and representatives (process 15 step 1), and awareness
activities with attendance (CSV export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.thai import format_date
from krabuan.privacy.models import GroupRole
from krabuan.privacy.permissions import can_edit_records
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import members as svc
from krabuan.privacy.views.records_common import (
    act,
    call,
    csv_response,
    editors,
    int_param,
    or_404,
    readers,
)
from krabuan.privacy.views.records_forms import (
    AttendanceForm,
    AwarenessForm,
    MemberEndForm,
    MemberForm,
)


@readers
@require_GET
def records_home(request: HttpRequest) -> HttpResponse:
    """The index of the records pages."""
    return render(
        request, "privacy/records/home.html", {"can_edit": can_edit_records(request.user)}
    )


@readers
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """Members and representatives (active by default; ?all=1 also lists former ones), CSV."""
    show_all = request.GET.get("all") == "1"
    role = request.GET.get("role", "")
    role = role if role in GroupRole.values else ""
    rows = sel.member_list(
        active=None if show_all else True, unit_id=int_param(request, "unit"), role=role
    )
    if request.GET.get("format") == "csv":
        header = [_("ชื่อ"), _("บทบาท"), _("หน่วยงาน"), _("วันที่แต่งตั้ง"), _("คำสั่งแต่งตั้ง"), _("สถานะ")]
        body = (
            [
                m.user.get_full_name() or m.user.username,
                m.get_role_display(),
                m.unit.name,
                format_date(m.appointed_on),
                m.order_reference,
                _("ปฏิบัติหน้าที่") if m.active else _("พ้นจากหน้าที่"),
            ]
            for m in rows
        )
        return csv_response("privacy-working-group.csv", header, body)
    return render(
        request,
        "privacy/records/group_list.html",
        {
            "rows": rows,
            "show_all": show_all,
            "roles": GroupRole.choices,
            "units": sel.owning_units(),
            "can_manage": sel.can_manage_group(request.user),
        },
    )


@readers
@require_http_methods(["GET", "POST"])
def member_appoint(request: HttpRequest) -> HttpResponse:
    if not sel.can_manage_group(request.user):
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = call(
            form,
            svc.member_appoint,
            actor=request.user,
            user=data["user"],
            unit=data["unit"],
            role=data["role"],
            appointed_on=data["appointed_on"],
            order_reference=data["order_reference"],
        )
        if member is not None:
            messages.success(request, _("แต่งตั้งแล้ว"))
            return redirect("privacy:group_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/records/form.html",
        _form_page(form, _("แต่งตั้งคณะทำงาน/ผู้แทนหน่วยงาน"), "privacy:group_list"),
        status=status,
    )


@readers
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, member_id: int) -> HttpResponse:
    member = or_404(sel.member_get, user=request.user, member_id=member_id)
    if not sel.can_manage_group(request.user):
        raise PermissionDenied
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            svc.member_end,
            actor=request.user,
            member=member,
            ended_on=form.cleaned_data["ended_on"],
            note=form.cleaned_data["note"],
        )
        if done is not None:
            messages.success(request, _("บันทึกการพ้นจากหน้าที่แล้ว"))
            return redirect("privacy:group_list")
    title = _("พ้นจากหน้าที่: %(name)s (%(role)s)") % {
        "name": member.user.get_full_name() or member.user.username,
        "role": member.get_role_display(),
    }
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/records/form.html",
        _form_page(form, title, "privacy:group_list"),
        status=status,
    )


def _form_page(form: object, title: str, back: str, **extra: object) -> dict[str, object]:
    return {"form": form, "title": title, "back": back, **extra}


# --- awareness -----------------------------------------------------------------------------


@readers
@require_GET
def awareness_list(request: HttpRequest) -> HttpResponse:
    """Activities, newest first; ?format=csv exports them with their attendance counts."""
    if request.GET.get("format") == "csv":
        header = [_("วันที่จัด"), _("ชื่อกิจกรรม"), _("หน่วยงานผู้จัด"), _("จำนวนผู้เข้าร่วม")]
        body = (
            [format_date(a.held_on), a.title, a.unit.name, a.attendee_count]  # type: ignore[attr-defined]
            for a in sel.awareness_list()
        )
        return csv_response("privacy-awareness.csv", header, body)
    return render(
        request,
        "privacy/records/awareness_list.html",
        {"rows": sel.awareness_list(), "can_edit": can_edit_records(request.user)},
    )


@editors
@require_http_methods(["GET", "POST"])
def awareness_create(request: HttpRequest) -> HttpResponse:
    form = AwarenessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = call(form, svc.awareness_create, actor=request.user, **form.cleaned_data)
        if activity is not None:
            messages.success(request, _("บันทึกกิจกรรมแล้ว"))
            return redirect("privacy:awareness_detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/records/form.html",
        _form_page(form, _("บันทึกกิจกรรมสร้างความตระหนัก"), "privacy:awareness_list"),
        status=status,
    )


@editors
@require_http_methods(["GET", "POST"])
def awareness_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = or_404(sel.awareness_get, user=request.user, activity_id=activity_id)
    initial = {
        "title": activity.title,
        "held_on": activity.held_on,
        "unit": activity.unit,
        "description": activity.description,
    }
    form = AwarenessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call(
            form, svc.awareness_update, actor=request.user, activity=activity, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("privacy:awareness_detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/records/form.html",
        _form_page(form, _("แก้ไขกิจกรรม"), "privacy:awareness_list"),
        status=status,
    )


@readers
@require_http_methods(["GET", "POST"])
def awareness_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    """An activity with its attendance; POST adds an attendee; ?format=csv exports the list."""
    activity = or_404(sel.awareness_get, user=request.user, activity_id=activity_id)
    attendances = list(activity.attendances.all())
    if request.GET.get("format") == "csv":
        header = [_("ลำดับ"), _("ชื่อผู้เข้าร่วม"), _("หน่วยงาน"), _("ชื่อผู้ใช้"), _("กิจกรรม"), _("วันที่จัด")]
        body = (
            [
                n,
                a.name,
                a.unit.name if a.unit else "",
                a.user.username if a.user else "",
                activity.title,
                format_date(activity.held_on),
            ]
            for n, a in enumerate(attendances, start=1)
        )
        return csv_response(f"privacy-attendance-{activity.pk}.csv", header, body)
    can_edit = can_edit_records(request.user)
    form = AttendanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            return redirect("privacy:awareness_detail", activity_id=activity.pk)
        if form.is_valid():
            row = call(
                form, svc.attendance_add, actor=request.user, activity=activity, **form.cleaned_data
            )
            if row is not None:
                messages.success(request, _("เพิ่มผู้เข้าร่วม %(name)s แล้ว") % {"name": row.name})
                return redirect("privacy:awareness_detail", activity_id=activity.pk)
        status = 400
    return render(
        request,
        "privacy/records/awareness_detail.html",
        {"activity": activity, "attendances": attendances, "form": form, "can_edit": can_edit},
        status=status,
    )


@editors
@require_POST
def attendance_remove(request: HttpRequest, activity_id: int, attendance_id: int) -> HttpResponse:
    activity = or_404(sel.awareness_get, user=request.user, activity_id=activity_id)
    row = next((a for a in activity.attendances.all() if a.pk == attendance_id), None)
    if row is not None:
        act(request, svc.attendance_remove, _("นำชื่อออกแล้ว"), actor=request.user, attendance=row)
    return redirect("privacy:awareness_detail", activity_id=activity.pk)
