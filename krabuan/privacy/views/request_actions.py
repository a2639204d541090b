"""The request page's actions: verify identity, assign, answer, refuse, cancel. Each checks the
request is visible (404), parses one form and calls one service; success redirects to the page,
a refusal shows the page again with the Thai message beside the field (400/403/409)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krabuan.core.errors import ApplicationError
from krabuan.org.forms import errors_from
from krabuan.privacy.models import DataSubjectRequest, ProcessingActivity
from krabuan.privacy.selectors.requests import assignable_users
from krabuan.privacy.services import requests as services
from krabuan.privacy.views.request_forms import (
    AssignForm,
    CancelForm,
    CompleteForm,
    RefuseForm,
    VerifyForm,
)
from krabuan.privacy.views.request_staff import detail_context, request_or_404

Apply = Callable[[HttpRequest, DataSubjectRequest, dict[str, Any]], DataSubjectRequest]


def _act(
    request: HttpRequest,
    request_id: int,
    *,
    name: str,
    form: forms.Form,
    apply: Apply,
    done: str,
) -> HttpResponse:
    # The read for acting is not a "view" of its own: the action writes its own audit row.
    found = request_or_404(request, request_id, log_view=False)
    status = 400
    message = ""
    if form.is_valid():
        try:
            apply(request, found, form.cleaned_data)
        except ApplicationError as exc:
            errors_from(form, exc)
            status, message = exc.status, exc.message
        else:
            messages.success(request, done)
            return redirect("privacy:request_detail", request_id=found.pk)
    # Shown again with the contact details: a read like any other, audited.
    found = request_or_404(request, request_id)
    context = detail_context(request, found, {name: form})
    context["failed"] = name
    context["failed_message"] = message or _("กรุณาตรวจสอบข้อมูลที่กรอก")
    return render(request, "privacy/requests/detail.html", context, status=status)


@login_required
@require_POST
def request_verify(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        name="verify",
        form=VerifyForm(request.POST),
        apply=lambda r, obj, d: services.request_verify_identity(
            actor=r.user, request=obj, method=d["method"]
        ),
        done=_("บันทึกการยืนยันตัวตนแล้ว"),
    )


@login_required
@require_POST
def request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        name="assign",
        form=AssignForm(request.POST, users=list(assignable_users())),
        apply=lambda r, obj, d: services.request_assign(
            actor=r.user, request=obj, assignee=d["assignee"]
        ),
        done=_("มอบหมายผู้รับผิดชอบแล้ว"),
    )


@login_required
@require_POST
def request_complete(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        name="complete",
        form=CompleteForm(request.POST),
        apply=lambda r, obj, d: services.request_complete(
            actor=r.user, request=obj, response=d["response"]
        ),
        done=_("บันทึกผลการดำเนินการแล้ว ดาวน์โหลดหนังสือแจ้งผลได้"),
    )


def _refuse(r: HttpRequest, obj: DataSubjectRequest, d: dict[str, Any]) -> DataSubjectRequest:
    activity = None
    if d.get("activity"):
        activity = ProcessingActivity.objects.filter(pk=d["activity"]).first()
    return services.request_refuse(
        actor=r.user, request=obj, section=d["section"], reason=d["reason"], activity=activity
    )


@login_required
@require_POST
def request_refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        name="refuse",
        form=RefuseForm(request.POST),
        apply=_refuse,
        done=_("บันทึกการปฏิเสธคำขอแล้ว และบันทึกลงใน RoPA ของกิจกรรมแล้ว"),
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        name="cancel",
        form=CancelForm(request.POST),
        apply=lambda r, obj, d: services.request_cancel(
            actor=r.user, request=obj, reason=d["reason"]
        ),
        done=_("ยกเลิกคำขอแล้ว"),
    )
