"""Forms of the breach pages. They only collect and parse (dates in Bangkok time, Thai or Arabic
digits); the services validate and name each bad field in Thai, and `errors_from` puts their
messages next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krabuan.privacy import challenge, risk
from krabuan.privacy.models import BreachChannel, RiskLevel
from krabuan.workflow.forms import ThaiDateTimeField

WHEN_HELP = _("เช่น 21/11/2569 09:30 (พ.ศ. หรือ ค.ศ., เลขไทยหรืออารบิก) เวลาประเทศไทย")


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _styled(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class _Facts(_Form):
    title = forms.CharField(label=_("ชื่อเหตุ"), required=False, max_length=300)
    description = forms.CharField(label=_("รายละเอียดเหตุ"), required=False, widget=_area(4))
    occurred_at = ThaiDateTimeField(label=_("วันเวลาที่เกิดเหตุ (ถ้าทราบ)"), required=False)
    data_types = forms.CharField(
        label=_("ประเภทข้อมูลส่วนบุคคลที่เกี่ยวข้อง"),
        required=False,
        widget=_area(2),
        help_text=_("คั่นด้วยจุลภาคหรือขึ้นบรรทัดใหม่ เช่น ชื่อ-นามสกุล, เลขประจำตัวประชาชน"),
    )
    subjects_count = forms.CharField(label=_("จำนวนเจ้าของข้อมูล (ราย)"), required=False)
    records_count = forms.CharField(label=_("จำนวนรายการข้อมูล"), required=False)


class BreachReportForm(_Facts):
    """Staff report: the internal channel, or a report a processor made to us."""

    channel = forms.ChoiceField(
        label=_("ช่องทางที่ได้รับแจ้ง"),
        choices=[
            (BreachChannel.INTERNAL, BreachChannel.INTERNAL.label),
            (BreachChannel.PROCESSOR, BreachChannel.PROCESSOR.label),
        ],
        initial=BreachChannel.INTERNAL,
    )
    aware_at = ThaiDateTimeField(label=_("วันเวลาที่ทราบเหตุ"), required=False, help_text=WHEN_HELP)
    systems_affected = forms.CharField(label=_("ระบบที่ได้รับผลกระทบ"), required=False, widget=_area(2))
    reporter_name = forms.CharField(label=_("ชื่อผู้แจ้ง (ถ้ามี)"), required=False, max_length=200)
    reporter_contact = forms.CharField(
        label=_("ช่องทางติดต่อผู้แจ้ง (ถ้ามี)"), required=False, max_length=300
    )

    field_order = [
        "title",
        "channel",
        "aware_at",
        "occurred_at",
        "description",
        "data_types",
        "subjects_count",
        "records_count",
        "systems_affected",
        "reporter_name",
        "reporter_contact",
    ]


class PublicBreachForm(_Facts):
    """The public form: what happened and how to reach the reporter (stored encrypted)."""

    reporter_name = forms.CharField(label=_("ชื่อผู้แจ้ง"), required=False, max_length=200)
    reporter_contact = forms.CharField(
        label=_("อีเมลหรือเบอร์โทรศัพท์สำหรับติดต่อกลับ"), required=False, max_length=300
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("เรื่องที่แจ้ง")
        self.fields["data_types"].label = _("ข้อมูลส่วนบุคคลที่เกี่ยวข้อง (ถ้าทราบ)")
        self.fields["subjects_count"].label = _("จำนวนผู้ที่อาจได้รับผลกระทบ (ถ้าทราบ)")
        self.fields["records_count"].widget = forms.HiddenInput()
        self.fields[challenge.ANSWER_FIELD] = forms.CharField(
            label=_("คำถามยืนยันว่าไม่ใช่โปรแกรมอัตโนมัติ"), required=False, max_length=40
        )
        self.fields[challenge.TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput()
        )
        _styled(self)

    def fresh_challenge(self, token: str) -> None:
        """A new question each time the form is shown: the answer box starts empty."""
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]
            data[challenge.TOKEN_FIELD] = token
            data[challenge.ANSWER_FIELD] = ""
            self.data = data
        else:
            self.initial[challenge.TOKEN_FIELD] = token


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class BreachUpdateForm(_Facts):
    contained_at = ThaiDateTimeField(label=_("วันเวลาที่ระงับเหตุ"), required=False, help_text=WHEN_HELP)
    systems_affected = forms.CharField(label=_("ระบบที่ได้รับผลกระทบ"), required=False, widget=_area(2))
    impact = forms.CharField(label=_("ผลกระทบที่อาจเกิดขึ้น"), required=False, widget=_area(3))
    measures = forms.CharField(
        label=_("มาตรการที่ดำเนินการแล้ว/จะดำเนินการ"), required=False, widget=_area(3)
    )
    subject_advice = forms.CharField(
        label=_("คำแนะนำสำหรับเจ้าของข้อมูล"), required=False, widget=_area(3)
    )
    assigned_to: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("ผู้รับผิดชอบ"), queryset=None, required=False, empty_label=_("— ไม่มอบหมาย —")
    )

    def __init__(self, *args: Any, assignable: Any, can_assign: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable
        field.label_from_instance = _person  # type: ignore[method-assign, assignment]
        if not can_assign:
            del self.fields["assigned_to"]


class AssessmentForm(_Form):
    """The seven factors (one choice each, an optional note each), the level and the reason."""

    level = forms.ChoiceField(
        label=_("ระดับความเสี่ยงที่เลือก"), choices=RiskLevel.choices, required=False
    )
    note = forms.CharField(
        label=_("เหตุผลประกอบการประเมิน (จำเป็นเมื่อเลือกระดับต่ำกว่าที่ระบบเสนอ)"),
        required=False,
        widget=_area(2),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in risk.FACTORS:
            self.fields[f.key] = forms.ChoiceField(
                label=f"{f.number}. {f.label}",
                choices=[(c.value, c.label) for c in f.choices],
                required=False,
                widget=forms.RadioSelect,
                help_text=f.help,
            )
            self.fields[f"{f.key}_note"] = forms.CharField(
                label=_("คำอธิบาย"), required=False, max_length=risk.NOTE_MAX
            )
        _styled(self)

    def factor_rows(self) -> list[dict[str, Any]]:
        return [
            {"factor": f, "field": self[f.key], "note": self[f"{f.key}_note"]} for f in risk.FACTORS
        ]

    def raw_factors(self) -> dict[str, dict[str, str]]:
        data = self.data
        return {
            f.key: {"value": data.get(f.key, ""), "note": data.get(f"{f.key}_note", "")}
            for f in risk.FACTORS
        }


class NoticeForm(_Form):
    notified_at = ThaiDateTimeField(label=_("วันเวลาที่แจ้ง"), required=False, help_text=WHEN_HELP)
    late_reason = forms.CharField(
        label=_("เหตุผลที่แจ้งล่าช้า (เมื่อเกิน 72 ชั่วโมง)"), required=False, widget=_area(2)
    )


class CloseForm(_Form):
    note = forms.CharField(label=_("บันทึกการปิดเรื่อง"), required=False, widget=_area(2))
