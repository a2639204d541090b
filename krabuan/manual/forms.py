"""Forms of the manual pages and the editor. They parse what people type (Thai or Arabic digits,
one sub-item per line) and name the field in every message; the services decide the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import normalize_text, parse_int
from krabuan.manual.models import ControlKind, ProcessKind, RequirementHeading
from krabuan.org.models import Position, Unit, UnitKind


class ThaiIntegerField(forms.CharField):
    """A whole number typed with Thai or Arabic digits, within [min_value, max_value]."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # Text, not type=number: browsers refuse Thai digits in number inputs.
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"})
        return attrs

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            if len(text) > 20:
                raise ValueError(text)
            number = parse_int(text)
        except ValueError:
            raise forms.ValidationError(
                _("%(label)sต้องเป็นตัวเลขจำนวนเต็ม (เลขไทยหรือเลขอารบิก)"),
                code="invalid",
                params={"label": self.label},
            ) from None
        if not self.min_value <= number <= self.max_value:
            raise forms.ValidationError(
                _("%(label)sต้องอยู่ระหว่าง %(low)s–%(high)s"),
                code="out_of_range",
                params={"label": self.label, "low": self.min_value, "high": self.max_value},
            )
        return number


class ThaiFormMixin:
    """Messages that name the field, in Thai, for the checks Django forms make themselves."""

    fields: dict[str, forms.Field]

    def _name_fields(self) -> None:
        for field in self.fields.values():
            label = field.label or ""
            field.error_messages["required"] = _("กรุณากรอก%(label)s") % {"label": label}
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("%(label)sที่เลือกไม่ถูกต้อง") % {
                    "label": label
                }
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_choice"] = _("%(label)sที่เลือกไม่ถูกต้อง") % {
                    "label": label
                }
                field.error_messages["invalid_pk_value"] = _("%(label)sที่เลือกไม่ถูกต้อง") % {
                    "label": label
                }
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _("%(label)sยาวเกิน %(limit)s ตัวอักษร") % {
                    "label": label,
                    "limit": f"{field.max_length:,}",
                }


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


class ThaiForm(ThaiFormMixin, forms.Form):
    """Thai messages naming the field, and Bootstrap classes (invalid fields marked)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_fields()
        self._style()

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            classes = widget.attrs.get("class", "").split()
            if (css := _css_class(widget)) not in classes:
                widget.attrs["class"] = " ".join([*classes, css])

    def _mark_invalid(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._mark_invalid()


def apply_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal on the form: next to the field it names, else above the form."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for field, messages in error.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _lines(text: str) -> list[str]:
    return [line for line in (normalize_text(x) for x in (text or "").splitlines()) if line]


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _unit_name(unit: Unit) -> str:
    return unit.name


def _owning_units() -> Any:
    return Unit.objects.exclude(kind=UnitKind.EXTERNAL).order_by("sort_order", "name")


class ProcessFilterForm(ThaiForm):
    """The process list's query string; a bad value is reported and ignored, never a 500."""

    SORTS = [
        ("number", _("ลำดับที่")),
        ("name", _("ชื่อกระบวนงาน")),
        ("-step_count", _("จำนวนขั้นตอน (มากไปน้อย)")),
        ("step_count", _("จำนวนขั้นตอน (น้อยไปมาก)")),
    ]

    fiscal_year = ThaiIntegerField(
        label=_("ปีงบประมาณ"), min_value=2400, max_value=2800, required=False
    )
    q = forms.CharField(label=_("ค้นหา"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("ประเภทกระบวนงาน"),
        choices=[("", _("ทุกประเภท")), *ProcessKind.choices],
        required=False,
    )
    unit = forms.SlugField(label=_("กลุ่ม/ฝ่ายที่รับผิดชอบ"), max_length=50, required=False)
    sort = forms.ChoiceField(label=_("เรียงตาม"), choices=SORTS, required=False)

    def value(self, name: str) -> Any:
        """The cleaned value of one field, or None when it was empty or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None


class ManualCopyForm(ThaiForm):
    source_year = ThaiIntegerField(label=_("ปีงบประมาณต้นฉบับ"), min_value=2400, max_value=2800)
    fiscal_year = ThaiIntegerField(label=_("ปีงบประมาณใหม่ (พ.ศ.)"), min_value=2500, max_value=2700)


class ProcessForm(ThaiForm):
    number = ThaiIntegerField(label=_("ลำดับที่"), min_value=1, max_value=999)
    name = forms.CharField(label=_("ชื่อกระบวนงาน"), max_length=500)
    authority_number = ThaiIntegerField(
        label=_("ข้อของอำนาจหน้าที่"), min_value=1, max_value=99, required=False
    )
    authority = forms.CharField(
        label=_("อำนาจหน้าที่"), max_length=5000, required=False, widget=_area()
    )
    customers = forms.CharField(
        label=_("ผู้รับบริการ"), max_length=5000, required=False, widget=_area()
    )
    outputs = forms.CharField(
        label=_("ผลงาน (Output)"), max_length=5000, required=False, widget=_area()
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("กลุ่ม/ฝ่ายที่รับผิดชอบ"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— ไม่ระบุ —"),
    )
    quality_standard = forms.CharField(
        label=_("มาตรฐานคุณภาพงาน"), max_length=5000, required=False, widget=_area()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["responsible_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = _owning_units()
        unit_field.label_from_instance = _unit_name  # type: ignore[method-assign,assignment]


class RequirementsForm(ThaiForm):
    """The eight key-requirement headings, each with its detail and priority rank."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for heading, label in RequirementHeading.choices:
            self.fields[f"{heading}-detail"] = forms.CharField(
                label=_("รายละเอียดของ “%(h)s”") % {"h": label},
                max_length=10000,
                required=False,
                widget=_area(2),
            )
            self.fields[f"{heading}-priority"] = ThaiIntegerField(
                label=_("ลำดับความสำคัญของ “%(h)s”") % {"h": label},
                min_value=1,
                max_value=99,
                required=False,
            )
        self._name_fields()

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "heading": heading,
                "label": label,
                "detail": self[f"{heading}-detail"],
                "priority": self[f"{heading}-priority"],
            }
            for heading, label in RequirementHeading.choices
        ]

    def cleaned_rows(self) -> list[tuple[str, str, int | None]]:
        return [
            (
                heading,
                self.cleaned_data.get(f"{heading}-detail") or "",
                self.cleaned_data.get(f"{heading}-priority"),
            )
            for heading in RequirementHeading.values
        ]


class StepForm(ThaiForm):
    activity = forms.CharField(label=_("ขั้นตอนการทำงาน"), max_length=5000, widget=_area(2))
    sub_items = forms.CharField(
        label=_("รายการย่อย (บรรทัดละหนึ่งรายการ)"),
        max_length=20000,
        required=False,
        widget=_area(3),
    )
    duration_text = forms.CharField(
        label=_("ระยะเวลา"),
        max_length=500,
        required=False,
        help_text=_("เช่น ๑ วัน, ๑-๒ วัน, ๔๕ วันทำการ, ๕ นาที/เรื่อง, ๑ ครั้ง/เดือน, ไม่ระบุ"),
    )
    units_text = forms.CharField(
        label=_("หน่วยงานที่เกี่ยวข้อง"), max_length=5000, required=False, widget=_area(2)
    )
    related_units = forms.ModelMultipleChoiceField(
        label=_("หน่วยงานที่เกี่ยวข้อง (อ้างอิง)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("กด Ctrl (หรือ ⌘) ค้างไว้เพื่อเลือกหลายหน่วยงาน"),
    )
    output = forms.CharField(
        label=_("ผลผลิต (Output)"), max_length=5000, required=False, widget=_area(2)
    )
    group = forms.CharField(label=_("กิจกรรม (หัวข้อกลุ่มขั้นตอน)"), max_length=500, required=False)
    is_optional = forms.BooleanField(label=_("ทำเมื่อมี (ถ้ามี)"), required=False)
    condition = forms.CharField(label=_("เงื่อนไข (กรณี…)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units_field = self.fields["related_units"]
        assert isinstance(units_field, forms.ModelMultipleChoiceField)
        units_field.queryset = Unit.objects.order_by("sort_order", "name")
        units_field.label_from_instance = _unit_name  # type: ignore[method-assign,assignment]

    def clean_sub_items(self) -> list[str]:
        return _lines(self.cleaned_data.get("sub_items") or "")


class StepCreateForm(StepForm):
    position = ThaiIntegerField(
        label=_("แทรกเป็นขั้นตอนที่"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("เว้นว่างเพื่อเพิ่มต่อท้าย"),
    )


class ControlForm(ThaiForm):
    kind = forms.ChoiceField(label=_("ประเภท"), choices=ControlKind.choices)
    text = forms.CharField(label=_("รายละเอียด"), max_length=5000, widget=_area(2))


class OwnersForm(ThaiForm):
    main = forms.ModelMultipleChoiceField(
        label=_("ผู้รับผิดชอบหลัก"),
        queryset=Position.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    main_titles = forms.CharField(
        label=_("ผู้รับผิดชอบหลัก: ตำแหน่งอื่นที่ไม่มีในผังองค์กร (บรรทัดละหนึ่งตำแหน่ง)"),
        max_length=5000,
        required=False,
        widget=_area(2),
    )
    supporting = forms.ModelMultipleChoiceField(
        label=_("ผู้สนับสนุนการปฏิบัติงาน"),
        queryset=Position.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supporting_titles = forms.CharField(
        label=_("ผู้สนับสนุน: ตำแหน่งอื่นที่ไม่มีในผังองค์กร (บรรทัดละหนึ่งตำแหน่ง)"),
        max_length=5000,
        required=False,
        widget=_area(2),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        positions = Position.objects.select_related("unit")
        for name in ("main", "supporting"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = positions
            field.label_from_instance = _position_title  # type: ignore[method-assign,assignment]

    def clean_main_titles(self) -> list[str]:
        return _lines(self.cleaned_data.get("main_titles") or "")

    def clean_supporting_titles(self) -> list[str]:
        return _lines(self.cleaned_data.get("supporting_titles") or "")


def _position_title(position: Position) -> str:
    return position.title


class ExplanationForm(ThaiForm):
    explanation = forms.CharField(
        label=_("รายละเอียดการปรับปรุง"), max_length=5000, required=False, widget=_area(3)
    )
