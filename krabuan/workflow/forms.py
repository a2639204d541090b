"""Forms of the workflow pages. They parse what people type (Thai or Arabic digits, BE or CE
years) and name the field in every message; the services in `services/` decide the rules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BANGKOK, normalize_text, parse_date, to_arabic_digits
from krabuan.manual.forms import ThaiForm, ThaiIntegerField
from krabuan.manual.models import ControlKind, Process, ProcessKind
from krabuan.workflow.deadlines import duration_of
from krabuan.workflow.models import CaseStatus, Priority, StepInstance
from krabuan.workflow.services.cases import RECURRENCE_STOP
from krabuan.workflow.services.records import ALLOWED_EXTENSIONS, upload_check

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*น\.?)?$")
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
UPLOAD_HELP = _("ไม่เกิน 20 MB: PDF, เอกสาร Word/Excel/PowerPoint/OpenDocument, รูปภาพ, TXT, CSV")


def _file_widget() -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"accept": ACCEPT})


class ThaiDateTimeField(forms.CharField):
    """A date and time typed as '10/04/2567 09:00', '2024-04-10 09:00' or '2024-04-10T09:00'
    (Thai or Arabic digits, BE or CE), in Bangkok time; a date alone means office opening."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "maxlength": "40"})
        return attrs

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        raw = to_arabic_digits(normalize_text(text)).replace("T", " ")
        date_part, _sep, time_part = raw.partition(" ")
        time_part = time_part.strip()
        try:
            day = parse_date(date_part)
            if time_part:
                match = _TIME.match(time_part)
                if match is None:
                    raise ValueError(time_part)
                clock = dt.time(int(match[1]), int(match[2]))
            else:
                clock = dt.time(8, 30)
        except ValueError:
            raise forms.ValidationError(
                _("%(label)sไม่ถูกต้อง (เช่น 10/04/2567 09:00)"),
                code="invalid",
                params={"label": self.label},
            ) from None
        return dt.datetime.combine(day, clock, tzinfo=BANGKOK)


class ProcessSelect(forms.Select):
    """Options carry data-per-item when the process's first step is timed per item, so the
    page shows the quantity box only when it matters."""

    per_item: frozenset[int] = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        if key in self.per_item:
            option["attrs"]["data-per-item"] = "1"
        return option


def first_step_per_item(process: Process) -> bool:
    steps = sorted(process.steps.all(), key=lambda s: s.order)
    return bool(steps and duration_of(steps[0].duration).per_item)


class CaseStartForm(ThaiForm):
    process = forms.ModelChoiceField(
        label=_("กระบวนงาน"), queryset=Process.objects.none(), widget=ProcessSelect
    )
    title = forms.CharField(label=_("ชื่อเรื่อง"), max_length=300)
    priority = forms.ChoiceField(
        label=_("ความสำคัญ"), choices=Priority.choices, initial=Priority.NORMAL
    )
    description = forms.CharField(
        label=_("รายละเอียด"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    quantity = ThaiIntegerField(
        label=_("จำนวน (เรื่อง/รายการ) ของขั้นตอนแรก"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("ขั้นตอนแรกคิดเวลาต่อเรื่อง/รายการ กำหนดเสร็จจะคูณตามจำนวนนี้"),
    )
    started_at = ThaiDateTimeField(
        label=_("เริ่มเมื่อ (บันทึกย้อนหลัง)"),
        required=False,
        help_text=_("เว้นว่างเพื่อใช้เวลาปัจจุบัน · เช่น 10/04/2567 09:00"),
    )

    def __init__(
        self, *args: Any, processes: list[Process], allow_backdate: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["process"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Process.objects.filter(pk__in=[p.pk for p in processes])
        groups = []
        for kind, label in ProcessKind.choices:
            options = [(p.pk, f"{p.number}. {p.name}") for p in processes if p.kind == kind]
            if options:
                groups.append((label, options))
        field.choices = [("", _("— เลือกกระบวนงาน —")), *groups]
        widget = field.widget
        assert isinstance(widget, ProcessSelect)
        widget.per_item = frozenset(p.pk for p in processes if first_step_per_item(p))
        self.per_item_ids = widget.per_item
        if not allow_backdate:
            del self.fields["started_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        process = data.get("process")
        # The quantity only means something when the first step is timed per item.
        if process is not None and process.pk not in self.per_item_ids:
            data["quantity"] = None
        return data


def _reason(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=300, required=required)


NOTE_LABEL = _("บันทึก")


def _note(label: Any = NOTE_LABEL, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=2000, required=required, widget=forms.Textarea({"rows": 2})
    )


class ControlConfirmForm(ThaiForm):
    note = _note()
    evidence = forms.FileField(
        label=_("หลักฐาน (ถ้ามี)"), required=False, widget=_file_widget(), help_text=UPLOAD_HELP
    )

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            try:
                upload_check(upload, field="evidence")
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload


def is_recurring(instance: StepInstance) -> bool:
    return bool((instance.step.duration or {}).get("recurrence"))


def method_choices(instance: StepInstance) -> list[tuple[str, str]]:
    alternatives = duration_of(instance.step.duration).alternatives
    return [(str(a.get("label")), str(a.get("label"))) for a in alternatives if a.get("label")]


class StepCompleteForm(ThaiForm):
    """Completing the current step: an outcome when the step has outcomes (or repeats), the
    quantity when it is timed per item, the method when the time depends on it, and a note."""

    outcome = forms.ChoiceField(label=_("ผลการดำเนินการ"), widget=forms.RadioSelect)
    quantity = ThaiIntegerField(
        label=_("จำนวน (เรื่อง/รายการ)"), min_value=1, max_value=100_000, required=False
    )
    alternative = forms.ChoiceField(label=_("วิธีที่ใช้"), required=False)
    note = _note()

    def __init__(self, *args: Any, instance: StepInstance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = instance.step
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        if step.outcomes:
            outcome.choices = [(o["label"], o["label"]) for o in step.outcomes if o.get("label")]
        elif is_recurring(instance):
            outcome.choices = [
                ("", _("บันทึกครั้งนี้ แล้วทำครั้งถัดไปตามรอบ")),
                (RECURRENCE_STOP, _("สิ้นสุดการทำซ้ำ (ไปขั้นตอนถัดไป)")),
            ]
            outcome.required = False
            outcome.initial = ""
        else:
            del self.fields["outcome"]
        if duration_of(step.duration).per_item:
            self.fields["quantity"].initial = instance.quantity
        else:
            del self.fields["quantity"]
        methods = method_choices(instance)
        if methods:
            alternative = self.fields["alternative"]
            assert isinstance(alternative, forms.ChoiceField)
            alternative.choices = [("", _("— เลือกวิธี —")), *methods]
            alternative.initial = instance.alternative
        else:
            del self.fields["alternative"]
        self._name_fields()
        if "outcome" in self.fields:
            radios = self.fields["outcome"]
            radios.widget.attrs["class"] = "form-check-input"
            radios.error_messages["required"] = _("กรุณาเลือกผลการดำเนินการ")


class StepUpdateForm(ThaiForm):
    """Enter the quantity or choose the method while the step runs; the deadline follows."""

    quantity = ThaiIntegerField(
        label=_("จำนวน (เรื่อง/รายการ)"), min_value=1, max_value=100_000, required=False
    )
    alternative = forms.ChoiceField(label=_("วิธีที่ใช้"), required=False)

    def __init__(self, *args: Any, instance: StepInstance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if duration_of(instance.step.duration).per_item:
            self.fields["quantity"].initial = instance.quantity
        else:
            del self.fields["quantity"]
        methods = method_choices(instance)
        if methods:
            alternative = self.fields["alternative"]
            assert isinstance(alternative, forms.ChoiceField)
            alternative.choices = [("", _("— เลือกวิธี —")), *methods]
            alternative.initial = instance.alternative
        else:
            del self.fields["alternative"]

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)


class StepSkipForm(ThaiForm):
    reason = _reason(_("เหตุผลที่ข้ามขั้นตอน"))


class StepPauseForm(ThaiForm):
    reason = _reason(_("เหตุที่ต้องรอ (เช่น รอเอกสารจากหน่วยงานภายนอก)"))


class RiskRecordForm(ThaiForm):
    risk = forms.ChoiceField(label=_("ความเสี่ยงตามคู่มือ"), required=False)
    note = _note(_("เหตุการณ์ที่เกิดขึ้น"), required=True)

    def __init__(self, *args: Any, instance: StepInstance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        risks = [c for c in instance.step.controls.all() if c.kind == ControlKind.RISK]
        field = self.fields["risk"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("อื่น ๆ (ไม่อยู่ในคู่มือ)")), *((str(r.pk), r.text) for r in risks)]
        self.risks = {str(r.pk): r for r in risks}
        self._name_fields()


class StepReassignForm(ThaiForm):
    assignee = forms.ChoiceField(label=_("มอบหมายให้"))

    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("— เลือกผู้รับผิดชอบ —")),
            *((str(u.pk), u.get_full_name() or u.username) for u in workers),
        ]
        self.workers = {str(u.pk): u for u in workers}
        self._name_fields()


class CommentForm(ThaiForm):
    body = forms.CharField(label=_("ความเห็น"), max_length=5000, widget=forms.Textarea({"rows": 3}))


class AttachmentForm(ThaiForm):
    file = forms.FileField(label=_("ไฟล์"), widget=_file_widget(), help_text=UPLOAD_HELP)
    step_instance = forms.ChoiceField(label=_("เกี่ยวกับขั้นตอน"), required=False)

    def __init__(self, *args: Any, steps: list[StepInstance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step_instance"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("ทั้งเรื่อง")),
            *(
                (str(s.pk), f"{s.step.label or s.order}. {s.step.activity[:60]}")
                for s in steps
                if s.started_at is not None
            ),
        ]
        self.steps = {str(s.pk): s for s in steps}
        self._name_fields()

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                upload_check(upload, field="file")
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload


class CaseCancelForm(ThaiForm):
    reason = _reason(_("เหตุผลที่ยกเลิกเรื่อง"))


class CaseFilterForm(ThaiForm):
    """The case list's query string; a bad value is reported and ignored, never a 500."""

    SORTS = [
        ("-started_at", _("เริ่มล่าสุดก่อน")),
        ("started_at", _("เริ่มก่อนก่อน")),
        ("reference", _("เลขที่เรื่อง")),
        ("title", _("ชื่อเรื่อง")),
        ("-late_steps", _("ขั้นตอนล่าช้ามากที่สุด")),
        ("priority", _("ความสำคัญ")),
    ]

    q = forms.CharField(label=_("ค้นหา (เลขที่หรือชื่อเรื่อง)"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("สถานะ"), choices=[("", _("ทุกสถานะ")), *CaseStatus.choices], required=False
    )
    process = forms.ChoiceField(label=_("กระบวนงาน"), required=False)
    fiscal_year = ThaiIntegerField(
        label=_("ปีงบประมาณ"), min_value=2400, max_value=2800, required=False
    )
    unit = forms.ChoiceField(label=_("หน่วยงานที่รับผิดชอบ"), required=False)
    late = forms.BooleanField(label=_("เฉพาะเรื่องที่มีขั้นตอนล่าช้า"), required=False)
    sort = forms.ChoiceField(label=_("เรียงตาม"), choices=SORTS, required=False)

    def __init__(
        self, *args: Any, processes: list[tuple[str, str]], units: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        process = self.fields["process"]
        assert isinstance(process, forms.ChoiceField)
        process.choices = [("", _("ทุกกระบวนงาน")), *processes]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", _("ทุกหน่วยงาน")), *units]
        self._name_fields()

    def value(self, name: str) -> Any:
        """The cleaned value of one field, or None when it was empty or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None


class YearForm(ThaiForm):
    fiscal_year = ThaiIntegerField(
        label=_("ปีงบประมาณ"), min_value=2400, max_value=2800, required=False
    )

    def value(self) -> int | None:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get("fiscal_year") or None
