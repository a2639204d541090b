"""Forms of the request pages. They only parse and show errors: the rules live in
services.requests, whose field errors the views copy back onto these forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BANGKOK, parse_date, to_arabic_digits
from krabuan.org.forms import ThaiForm
from krabuan.privacy import challenge
from krabuan.privacy.models import ProcessingActivity, RefusalSection, RequestStatus, RequestType
from krabuan.privacy.services.request_rules import request_clean

_AREA = {"rows": 4}


def activity_choices() -> list[tuple[str, Any]]:
    rows = ProcessingActivity.objects.filter(active=True).select_related("unit")
    return [("", _("— ไม่ทราบ/ไม่ระบุ —"))] + [
        (str(a.pk), f"{a.name} ({a.unit})") for a in rows.order_by("unit__sort_order", "name")
    ]


class RequestFieldsForm(ThaiForm):
    """What a requester tells us; shared by the public form and staff entry."""

    type = forms.ChoiceField(
        label=_("ประเภทคำขอ"), choices=[("", _("— เลือกประเภทคำขอ —")), *RequestType.choices]
    )
    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200)
    email = forms.CharField(label=_("อีเมล"), max_length=254, required=False)
    phone = forms.CharField(label=_("โทรศัพท์"), max_length=30, required=False)
    address = forms.CharField(
        label=_("ที่อยู่สำหรับส่งหนังสือตอบ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    details = forms.CharField(
        label=_("รายละเอียดคำขอ"),
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("ข้อมูลใดที่ท่านต้องการใช้สิทธิ และเกี่ยวกับบริการหรือกิจกรรมใดของสำนักงาน"),
    )
    activity = forms.ChoiceField(label=_("กิจกรรม/บริการที่เกี่ยวข้อง"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = activity_choices()

    def add_service_errors(self) -> None:
        """After the form's own checks failed: the service's checks of the other fields too,
        so every bad field is named at once."""
        raw = self.data
        try:
            request_clean(
                type=raw.get("type"),
                name=raw.get("name", ""),
                email=raw.get("email", ""),
                phone=raw.get("phone", ""),
                address=raw.get("address", ""),
                details=raw.get("details", ""),
                activity_id=raw.get("activity") or None,
            )
        except ApplicationError as exc:
            for name, messages in exc.fields.items():
                if name in self.fields and name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)


class PublicRequestForm(RequestFieldsForm):
    """The public form: the fields, the challenge question and the honeypot."""

    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.CharField(label=_("คำถามยืนยันว่าไม่ใช่โปรแกรมอัตโนมัติ"), max_length=40)
    website = forms.CharField(label=_("เว้นช่องนี้ว่างไว้"), required=False)
    consent = forms.BooleanField(
        label=_("ข้าพเจ้ายืนยันว่าข้อมูลข้างต้นเป็นความจริง และเป็นเจ้าของข้อมูลหรือผู้มีอำนาจกระทำการแทน")
    )

    def fresh_challenge(self, question: str, token: str) -> None:
        """Put a new question on a (bound) form: every refusal spends the old one."""
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            data[challenge.TOKEN_FIELD] = token
            data[challenge.ANSWER_FIELD] = ""
            self.data = data
        else:
            self.initial[challenge.TOKEN_FIELD] = token
        self.fields[challenge.ANSWER_FIELD].help_text = question


class StaffRequestForm(RequestFieldsForm):
    """Staff entry: the same fields and the date the request was received (may be earlier)."""

    received_date = forms.CharField(
        label=_("วันที่รับคำขอ"),
        required=False,
        help_text=_("เว้นว่าง = ตอนนี้; รับ 10/04/2568 หรือ 2025-04-10 หรือ ๑๐ เม.ย. ๒๕๖๘"),
    )
    received_time = forms.CharField(
        label=_("เวลาที่รับ"), required=False, max_length=5, help_text=_("เช่น 09:30")
    )

    def clean_received_date(self) -> dt.date | None:
        raw = self.cleaned_data.get("received_date", "")
        if not raw:
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_received_time(self) -> dt.time:
        raw = to_arabic_digits(self.cleaned_data.get("received_time", "") or "").strip()
        if not raw:
            return dt.time(8, 30)
        try:
            return dt.datetime.strptime(raw.replace(".", ":"), "%H:%M").time()
        except ValueError:
            raise forms.ValidationError(_("เวลาที่รับไม่ถูกต้อง (เช่น 09:30)")) from None

    def received_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("received_date")
        if day is None:
            return None
        return dt.datetime.combine(day, self.cleaned_data["received_time"], tzinfo=BANGKOK)


class VerifyForm(ThaiForm):
    method = forms.CharField(
        label=_("วิธียืนยันตัวตน"),
        max_length=255,
        help_text=_("เช่น ตรวจบัตรประจำตัวประชาชนฉบับจริง / ยืนยันผ่านอีเมลที่ให้ไว้"),
    )


class AssignForm(ThaiForm):
    assignee = forms.ChoiceField(label=_("ผู้รับผิดชอบ"))

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— เลือก —"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in users
        ]


class CompleteForm(ThaiForm):
    response = forms.CharField(
        label=_("ผลการดำเนินการ (ข้อความในหนังสือตอบ)"), widget=forms.Textarea(attrs=_AREA)
    )


class RefuseForm(ThaiForm):
    section = forms.ChoiceField(label=_("มาตราที่อ้าง"), choices=RefusalSection.choices)
    reason = forms.CharField(label=_("เหตุผลการปฏิเสธ"), widget=forms.Textarea(attrs=_AREA))
    activity = forms.ChoiceField(label=_("กิจกรรมการประมวลผล (RoPA ที่บันทึกการปฏิเสธ)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = activity_choices()


class CancelForm(ThaiForm):
    reason = forms.CharField(label=_("เหตุผลที่ยกเลิก"), widget=forms.Textarea(attrs={"rows": 2}))


class RequestFilterForm(ThaiForm):
    """The list's query string; a bad value is reported and ignored, never a 500."""

    status = forms.ChoiceField(
        label=_("สถานะ"),
        required=False,
        choices=[("", _("ทั้งหมด")), ("open", _("ยังไม่ปิด")), *RequestStatus.choices],
    )
    type = forms.ChoiceField(
        label=_("ประเภทคำขอ"), required=False, choices=[("", _("ทั้งหมด")), *RequestType.choices]
    )
    overdue = forms.BooleanField(label=_("เฉพาะที่เกินกำหนด"), required=False)
    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("เรียงตาม"),
        required=False,
        choices=[
            ("", _("รับล่าสุดก่อน")),
            ("due", _("ครบกำหนดก่อน")),
            ("received", _("รับก่อน")),
            ("reference", _("เลขที่คำขอ")),
        ],
    )

    def value(self, name: str) -> Any:
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None
