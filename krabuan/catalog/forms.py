"""Forms of the catalog editor, built from the thai_gdc schema (`schema.DATASET_FIELDS`,
`schema.RESOURCE_FIELDS`), and the staff list's filters.

The forms only parse what people type — Buddhist-era dates, Thai digits, one checkbox per choice —
and hand a CKAN-shaped dict to the catalog services, which own every rule; their Thai messages are
shown next to the field they name. Fields that do not apply to the chosen data type are sent
empty, so the stored dataset never keeps values its type does not show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, Group, Organization, Resource, State
from krabuan.catalog.schema import FieldSpec
from krabuan.core.thai import BE_OFFSET, normalize_text, parse_date, to_arabic_digits
from krabuan.manual.forms import ThaiForm

# The first option of every single-choice select.
EMPTY_CHOICE = ("", _("— เลือก —"))
BLANK_VALUES: tuple[Any, ...] = (None, "", [], ())


def be_date_text(value: Any) -> str:
    """A stored date (date or ISO text) as the editor shows it: d/m/yyyy in the Buddhist era."""
    if value in BLANK_VALUES:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"
    return str(value)


def as_bool(value: Any) -> bool:
    """Model booleans and CKAN's "True"/"False" strings alike."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


class ThaiDateField(forms.CharField):
    """A date typed as 10/4/2567, 2024-04-10 or "10 เม.ย. 2567", Thai or Arabic digits; ISO out."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"placeholder": gettext("เช่น 10/4/2567"), "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> str:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return parse_date(text).isoformat()
        except ValueError:
            raise forms.ValidationError(
                _("%(label)sไม่ใช่วันที่ที่ถูกต้อง (เช่น 10/4/2567 หรือ 2024-04-10)"),
                code="invalid",
                params={"label": self.label},
            ) from None


class ThaiDigitsField(forms.CharField):
    """Free text whose Thai digits become Arabic ones (years, numbers); the service checks it."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> str:  # type: ignore[override]
        return to_arabic_digits(super().to_python(value) or "").replace(",", "").strip()


def _field_for(spec: FieldSpec) -> forms.Field:
    label = gettext(spec.label)
    help_text = gettext(spec.help) if spec.help else ""
    common: dict[str, Any] = {"label": label, "required": False, "help_text": help_text}
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[EMPTY_CHOICE, *((c, c) for c in spec.choices)], **common)
    if spec.kind == "multi":
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == "bool":
        return forms.BooleanField(**common)
    if spec.kind == "date":
        return ThaiDateField(max_length=40, **common)
    if spec.kind in {"year", "number"}:
        return ThaiDigitsField(max_length=40, **common)
    if spec.kind == "markdown":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=20000, **common)
    attrs = {"inputmode": "email"} if spec.kind == "email" else {}
    if spec.kind == "url":
        attrs = {"inputmode": "url", "placeholder": "https://"}
    return forms.CharField(widget=forms.TextInput(attrs=attrs), max_length=1000, **common)


def _other_field(spec: FieldSpec) -> forms.CharField:
    return forms.CharField(
        label=_("%(label)s (อื่นๆ โปรดระบุ)") % {"label": gettext(spec.label)},
        required=False,
        max_length=255,
    )


class SchemaForm(ThaiForm):
    """A form whose fields are a schema's specs; knows which apply to which data type."""

    specs: tuple[FieldSpec, ...] = ()

    def __init__(self, *args: Any, data_type: str | None = None, **kwargs: Any) -> None:
        self.fixed_data_type = data_type
        super().__init__(*args, **kwargs)

    def _add_specs(self, specs: tuple[FieldSpec, ...] | list[FieldSpec]) -> None:
        for spec in specs:
            self.fields[spec.name] = _field_for(spec)
            if spec.other_field:
                self.fields[spec.other_field] = _other_field(spec)
        # ThaiForm named and styled the fields that existed when it ran; do it for these too.
        self._name_fields()
        self._style()

    def chosen_data_type(self) -> str | None:
        return self.fixed_data_type

    def layout(self) -> list[dict[str, Any]]:
        """Each spec's bound field with what the page script needs to show or hide it."""
        rows = []
        for spec in self.specs:
            if spec.name not in self.fields:
                continue
            other = self[spec.other_field] if spec.other_field in self.fields else None
            rows.append(
                {
                    "spec": spec,
                    "field": self[spec.name],
                    "other": other,
                    "types": "|".join(sorted(spec.data_types)) if spec.data_types else "",
                    "shown": spec.applies_to(self.chosen_data_type()),
                }
            )
        return rows

    def schema_values(self) -> dict[str, Any]:
        """The cleaned schema fields; those that do not apply to the data type sent empty."""
        data_type = self.chosen_data_type()
        values: dict[str, Any] = {}
        for spec in self.specs:
            if spec.name not in self.fields:
                continue
            applies = spec.applies_to(data_type)
            value = self.cleaned_data.get(spec.name)
            if spec.kind == "bool":
                values[spec.name] = bool(value) if applies else False
            elif spec.kind == "multi":
                values[spec.name] = list(value or []) if applies else []
            else:
                values[spec.name] = normalize_text(value or "") if applies else ""
            if spec.other_field:
                chosen = values[spec.name]
                wants_other = spec.other_value in (chosen if isinstance(chosen, list) else [chosen])
                other = normalize_text(self.cleaned_data.get(spec.other_field) or "")
                values[spec.other_field] = other if applies and wants_other else ""
        return values


def initial_from(obj: Dataset | Resource, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """A stored dataset or resource as the editor's initial values."""
    type_fields = obj.type_fields or {}
    columns = {f.attname for f in obj._meta.concrete_fields}
    initial: dict[str, Any] = {}
    for spec in specs:
        names = [spec.name, spec.other_field] if spec.other_field else [spec.name]
        for name in names:
            assert name is not None
            value = getattr(obj, name) if name in columns else type_fields.get(name)
            if name == spec.name and spec.kind == "date":
                value = be_date_text(value)
            elif name == spec.name and spec.kind == "bool":
                value = as_bool(value)
            elif name == spec.name and spec.kind == "multi":
                value = list(value or [])
            initial[name] = "" if value is None else value
    return initial


class DatasetForm(SchemaForm):
    """Every dataset field of the schema, plus the groups; `to_data()` is a CKAN package dict."""

    specs = schema.DATASET_FIELDS

    def __init__(
        self,
        *args: Any,
        organizations: list[Organization],
        groups: list[Group],
        dataset: Dataset | None = None,
        **kwargs: Any,
    ) -> None:
        if dataset is not None and "initial" not in kwargs:
            initial = initial_from(dataset, schema.DATASET_FIELDS)
            initial["owner_org"] = dataset.owner_org.name
            initial["tag_string"] = ", ".join(t.name for t in dataset.tags.all())
            initial["groups"] = [g.name for g in dataset.groups.all()]
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self._add_specs(schema.DATASET_FIELDS)
        self.fields["owner_org"] = forms.ChoiceField(
            label=gettext(schema.DATASET_FIELD_MAP["owner_org"].label),
            required=False,
            choices=[EMPTY_CHOICE, *((o.name, o.title) for o in organizations)],
        )
        self.fields["name"].help_text = _(
            "ใช้ตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข - หรือ _ ไม่เกิน 70 ตัวอักษร เช่น 04_0201"
        )
        self.fields["name"].widget.attrs["maxlength"] = "70"
        self.fields["data_type"].widget.attrs["data-type-select"] = "1"
        self.fields["groups"] = forms.MultipleChoiceField(
            label=_("กลุ่มชุดข้อมูล"),
            required=False,
            choices=[(g.name, g.title) for g in groups],
            widget=forms.CheckboxSelectMultiple,
        )
        self._name_fields()
        self._style()

    def chosen_data_type(self) -> str | None:
        if self.is_bound:
            return self.data.get("data_type") or None
        return self.initial.get("data_type") or None

    def to_data(self) -> dict[str, Any]:
        data = self.schema_values()
        data["owner_org"] = self.cleaned_data.get("owner_org") or ""
        data["groups"] = [{"name": n} for n in self.cleaned_data.get("groups") or []]
        data["tag_string"] = normalize_text(self.cleaned_data.get("tag_string") or "")
        return data


class ResourceForm(SchemaForm):
    """The resource fields for the dataset's data type, and a file to upload (or a URL)."""

    specs = schema.RESOURCE_FIELDS

    def __init__(
        self, *args: Any, dataset: Dataset, resource: Resource | None = None, **kwargs: Any
    ) -> None:
        self.resource = resource
        if resource is not None and "initial" not in kwargs:
            initial = initial_from(resource, schema.RESOURCE_FIELDS)
            if resource.url_type == "upload":
                initial["url"] = ""
            kwargs["initial"] = initial
        super().__init__(*args, data_type=dataset.data_type, **kwargs)
        self._add_specs(schema.resource_fields_for(dataset.data_type))
        self.fields["upload"] = forms.FileField(
            label=_("ไฟล์"),
            required=False,
            help_text=_("อัปโหลดไฟล์ หรือกรอก URL ด้านบนสำหรับข้อมูลที่อยู่ที่อื่น (ขนาดไม่เกิน %(mb)s MB)")
            % {"mb": f"{settings.KRABUAN_CATALOG_MAX_UPLOAD // (1024 * 1024):,}"},
        )
        self.fields["format"].help_text = _("เช่น CSV, XLSX, JSON — เว้นว่างให้ระบบเดาจากชื่อไฟล์")
        self._name_fields()
        self._style()

    def to_data(self) -> dict[str, Any]:
        data = self.schema_values()
        upload = self.cleaned_data.get("upload")
        if upload:
            data.pop("url", None)  # the stored file gives the resource its URL
            if not data.get("name"):
                data["name"] = upload.name
        elif data.get("url"):
            data["url_type"] = ""  # a typed link replaces a stored file
        elif self.resource is not None and self.resource.url_type == "upload":
            data["url_type"] = "upload"  # keep the stored file
        return data


# The staff list's filters ----------------------------------------------------------------------

YES_NO = [("", _("ทั้งหมด")), ("1", _("ใช่")), ("0", _("ไม่ใช่"))]


class StaffFilterForm(ThaiForm):
    """The staff list's query string; a bad value is reported and ignored, never a 500."""

    SORTS = [
        ("-modified", _("แก้ไขล่าสุดก่อน")),
        ("modified", _("แก้ไขเก่าสุดก่อน")),
        ("name", _("รหัสชุดข้อมูล")),
        ("title", _("ชื่อชุดข้อมูล")),
        ("quality", _("คะแนนคุณภาพต่ำสุดก่อน")),
        ("-quality", _("คะแนนคุณภาพสูงสุดก่อน")),
        ("-views", _("เข้าชมมากสุดก่อน")),
    ]

    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=200)
    organization = forms.ChoiceField(label=_("หน่วยงาน"), required=False)
    state = forms.ChoiceField(
        label=_("สถานะ"),
        required=False,
        choices=[("", _("ทั้งหมด (ยกเว้นที่ลบแล้ว)")), *State.choices],
    )
    visibility = forms.ChoiceField(
        label=_("การเปิดเผย"),
        required=False,
        choices=[("", _("ทั้งหมด")), ("public", _("เปิดเผย")), ("private", _("ไม่เปิดเผย"))],
    )
    data_type = forms.ChoiceField(
        label=_("ประเภทชุดข้อมูล"),
        required=False,
        choices=[("", _("ทั้งหมด")), *((t, t) for t in schema.DATA_TYPES)],
    )
    quality_below = ThaiDigitsField(label=_("คะแนนคุณภาพต่ำกว่า"), required=False, max_length=5)
    findings = forms.ChoiceField(
        label=_("พบข้อมูลส่วนบุคคลที่ยังไม่ได้ตัดสิน"), required=False, choices=YES_NO
    )
    sort = forms.ChoiceField(label=_("เรียงตาม"), required=False, choices=SORTS)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ChoiceField)
        org_field.choices = [("", _("ทั้งหมด")), *((o.name, o.title) for o in organizations)]
        self._name_fields()
        self._style()

    def clean_quality_below(self) -> int | None:
        text = self.cleaned_data.get("quality_below") or ""
        if not text:
            return None
        if not text.isdigit() or not 0 <= int(text) <= 100:
            raise forms.ValidationError(_("คะแนนคุณภาพต่ำกว่าต้องเป็นจำนวนเต็ม 0–100"), code="invalid")
        return int(text)
