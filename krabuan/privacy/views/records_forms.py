"""Forms of the records pages. They only collect what was typed (dates in Thai or Arabic digits
and BE or CE years, numbers in either digits); the services check the rules and their messages
are shown next to the field they name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from krabuan.catalog.models import Dataset, State
from krabuan.core.thai import parse_date
from krabuan.manual.forms import ThaiForm, ThaiIntegerField
from krabuan.privacy.models import (
    DpaRole,
    GroupRole,
    ProcessingActivity,
    RefusalSection,
    RopaKind,
    RopaVersion,
)
from krabuan.privacy.selectors.records import owning_units
from krabuan.privacy.services.ropa import CONTACT_KEYS, LAWFUL_BASES
from krabuan.workflow.services.records import ALLOWED_EXTENSIONS

BLANK_ROWS = 3
MAX_ROWS = 100


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ThaiDateField(forms.CharField):
    """A date typed as 2567-04-10, 10/04/2567 or 10 เม.ย. 2567 (Thai or Arabic digits)."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "maxlength": "30", "placeholder": "เช่น 10/04/2567"})
        return attrs

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if isinstance(value, dt.date):
            return value
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text[:30])
        except ValueError:
            raise forms.ValidationError(
                _("%(label)sไม่ใช่วันที่ที่ถูกต้อง (เช่น 10/04/2567 หรือ 2024-04-10)"),
                code="invalid",
                params={"label": self.label},
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year + 543}"
        return value


def _user_label(user: Any) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.short_name or obj.unit.name}: {obj.name}"


class DatasetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


def _users() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


def _activities() -> Any:
    return ProcessingActivity.objects.select_related("unit").order_by("unit__sort_order", "name")


class MemberForm(ThaiForm):
    user = UserChoiceField(label=_("ผู้ได้รับแต่งตั้ง"), queryset=_users())
    unit = UnitChoiceField(label=_("หน่วยงาน"), queryset=owning_units())
    role = forms.ChoiceField(label=_("บทบาท"), choices=GroupRole.choices)
    appointed_on = ThaiDateField(label=_("วันที่แต่งตั้ง"))
    order_reference = forms.CharField(label=_("คำสั่งแต่งตั้ง"), max_length=255)


class MemberEndForm(ThaiForm):
    ended_on = ThaiDateField(label=_("วันที่พ้นจากหน้าที่"), required=False)
    note = forms.CharField(label=_("หมายเหตุ"), required=False, max_length=1000)


class AwarenessForm(ThaiForm):
    title = forms.CharField(label=_("ชื่อกิจกรรม"), max_length=300)
    held_on = ThaiDateField(label=_("วันที่จัด"))
    unit = UnitChoiceField(label=_("หน่วยงานผู้จัด"), queryset=owning_units())
    description = forms.CharField(label=_("รายละเอียด"), required=False, widget=_area())


class AttendanceForm(ThaiForm):
    user = UserChoiceField(label=_("ผู้ใช้ในระบบ"), queryset=_users(), required=False)
    name = forms.CharField(label=_("หรือชื่อผู้เข้าร่วม"), max_length=255, required=False)
    unit = UnitChoiceField(label=_("หน่วยงาน"), queryset=owning_units(), required=False)


class ActivityForm(ThaiForm):
    unit = UnitChoiceField(label=_("หน่วยงาน"), queryset=owning_units())
    name = forms.CharField(label=_("ชื่อกิจกรรมการประมวลผล"), max_length=300)
    description = forms.CharField(label=_("รายละเอียด"), required=False, widget=_area())
    is_processor = forms.BooleanField(
        label=_("ประมวลผลแทนผู้ควบคุมข้อมูลอื่น (ผู้ประมวลผลข้อมูล)"), required=False
    )
    active = forms.BooleanField(label=_("ยังดำเนินกิจกรรมอยู่"), required=False, initial=True)


class DataItemForm(ThaiForm):
    name = forms.CharField(label=_("ข้อมูลส่วนบุคคล"), max_length=255)
    category = forms.CharField(
        label=_("หมวดข้อมูล"), max_length=100, required=False, help_text=_("เช่น ข้อมูลติดต่อ ข้อมูลการเงิน")
    )
    sensitive = forms.BooleanField(label=_("ข้อมูลอ่อนไหว (มาตรา 26)"), required=False)
    data_subjects = forms.CharField(label=_("เจ้าของข้อมูล"), max_length=255)
    source = forms.CharField(label=_("แหล่งที่มา"), max_length=255)
    storage = forms.CharField(label=_("สถานที่/ระบบที่จัดเก็บ"), max_length=500)
    retention_months = ThaiIntegerField(
        label=_("ระยะเวลาเก็บรักษา (เดือน)"), min_value=1, max_value=1200, required=False
    )
    retention_text = forms.CharField(
        label=_("ระยะเวลาเก็บรักษา (ข้อความ)"), max_length=255, required=False
    )
    collected_since = ThaiDateField(label=_("เริ่มเก็บเมื่อ"), required=False)
    datasets = DatasetChoiceField(
        label=_("ชุดข้อมูลในบัญชีข้อมูลที่เกี่ยวข้อง"),
        queryset=Dataset.objects.exclude(state=State.DELETED).order_by("title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


def rows_from(data: Any, prefix: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows typed in `<prefix>-<n>-<key>` inputs, in the order of n."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{1,3}})-({'|'.join(keys)})$")
    rows: dict[int, dict[str, str]] = {}
    for name in data:
        match = pattern.match(name)
        if match and int(match.group(1)) < MAX_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = str(data.get(name, ""))
    return [{k: row.get(k, "") for k in keys} for _, row in sorted(rows.items())]


class RopaForm(ThaiForm):
    """The items of one kind of record; purposes (controller) and controllers (processor) are
    repeated rows read from the posted data."""

    data_collected = forms.CharField(
        label=_("(1) ข้อมูลส่วนบุคคลที่เก็บรวบรวม"), required=False, widget=_area(4)
    )
    controller_name = forms.CharField(label=_("ชื่อผู้ควบคุมข้อมูล"), required=False, max_length=1000)
    controller_address = forms.CharField(label=_("ที่อยู่"), required=False, max_length=1000)
    controller_contact = forms.CharField(label=_("ช่องทางติดต่อ"), required=False, max_length=1000)
    dpo_name = forms.CharField(
        label=_("เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)"), required=False, max_length=1000
    )
    dpo_contact = forms.CharField(label=_("ช่องทางติดต่อ DPO"), required=False, max_length=1000)
    retention = forms.CharField(label=_("(4) ระยะเวลาการเก็บรักษา"), required=False, widget=_area())
    access_rights = forms.CharField(
        label=_("(5) สิทธิและวิธีการเข้าถึง รวมทั้งเงื่อนไขเกี่ยวกับบุคคลที่มีสิทธิเข้าถึง"),
        required=False,
        widget=_area(),
    )
    exempt_disclosures = forms.CharField(
        label=_("(6) การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม"),
        required=False,
        widget=_area(),
        help_text=_("ถ้าไม่มี ให้ระบุว่า “ไม่มี”"),
    )
    refusals_note = forms.CharField(
        label=_("(7) การปฏิเสธคำขอหรือการคัดค้าน (สรุป)"),
        required=False,
        widget=_area(2),
        help_text=_("การปฏิเสธแต่ละครั้งจากคำขอใช้สิทธิถูกบันทึกต่อท้ายโดยอัตโนมัติ ถ้ายังไม่มี ให้ระบุว่า “ไม่มี”"),
    )
    security_measures = forms.CharField(
        label=_("มาตรการรักษาความมั่นคงปลอดภัย"), required=False, widget=_area(6)
    )
    lawful_bases = forms.MultipleChoiceField(
        label=_("ฐานทางกฎหมายในการประมวลผล"),
        choices=LAWFUL_BASES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(label=_("ผู้รับข้อมูล"), required=False, widget=_area(2))
    transfers_abroad = forms.CharField(
        label=_("การส่งหรือโอนข้อมูลไปต่างประเทศ"),
        required=False,
        widget=_area(2),
        help_text=_("ถ้าไม่มี ให้ระบุว่า “ไม่มี”"),
    )
    processor_name = forms.CharField(label=_("ชื่อผู้ประมวลผลข้อมูล"), required=False, max_length=1000)
    processor_address = forms.CharField(label=_("ที่อยู่"), required=False, max_length=1000)
    processor_contact = forms.CharField(label=_("ช่องทางติดต่อ"), required=False, max_length=1000)
    processor_dpo_name = forms.CharField(
        label=_("เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (ถ้ามี)"), required=False, max_length=1000
    )
    processor_dpo_contact = forms.CharField(
        label=_("ช่องทางติดต่อ DPO"), required=False, max_length=1000
    )
    processing_nature = forms.CharField(
        label=_("(4) ประเภทหรือลักษณะของการประมวลผล"), required=False, widget=_area()
    )

    CONTROLLER_ONLY = (
        "data_collected",
        "controller_name",
        "controller_address",
        "controller_contact",
        "dpo_name",
        "dpo_contact",
        "retention",
        "access_rights",
        "exempt_disclosures",
        "refusals_note",
        "lawful_bases",
        "recipients",
    )
    PROCESSOR_ONLY = (
        "processor_name",
        "processor_address",
        "processor_contact",
        "processor_dpo_name",
        "processor_dpo_contact",
        "processing_nature",
    )

    def __init__(
        self, *args: Any, kind: str, rows: list[dict[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        drop = self.PROCESSOR_ONLY if kind == RopaKind.CONTROLLER else self.CONTROLLER_ONLY
        for name in drop:
            del self.fields[name]
        self.row_keys: tuple[str, ...]
        self.row_prefix, self.row_keys = (
            ("purpose", ("data", "purpose"))
            if kind == RopaKind.CONTROLLER
            else ("controller", ("name", "address", "contact"))
        )
        typed = (
            rows_from(self.data, self.row_prefix, self.row_keys) if self.is_bound else rows or []
        )
        blank = {k: "" for k in self.row_keys}
        self.rows = [*typed, *([blank] * BLANK_ROWS)]

    def service_data(self) -> dict[str, Any]:
        """The posted fields in the shape services.ropa.clean_content reads."""
        data = dict(self.cleaned_data)
        if self.kind == RopaKind.CONTROLLER:
            data["controller"] = {
                "name": data.pop("controller_name", ""),
                "address": data.pop("controller_address", ""),
                "contact": data.pop("controller_contact", ""),
                "dpo_name": data.pop("dpo_name", ""),
                "dpo_contact": data.pop("dpo_contact", ""),
            }
            data["purposes"] = rows_from(self.data, "purpose", ("data", "purpose"))
        else:
            data["processor_details"] = {
                key: data.pop(f"processor_{key}", "") for key in CONTACT_KEYS
            }
            data["controllers"] = rows_from(self.data, "controller", ("name", "address", "contact"))
        return data


def ropa_initial(version: RopaVersion | None) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The form's initial values and rows from a version."""
    if version is None:
        return {}, []
    initial: dict[str, Any] = {
        name: getattr(version, name)
        for name in (
            "data_collected",
            "retention",
            "access_rights",
            "exempt_disclosures",
            "refusals_note",
            "security_measures",
            "recipients",
            "transfers_abroad",
            "processing_nature",
        )
    }
    initial["lawful_bases"] = list(version.lawful_bases or [])
    controller = version.controller or {}
    initial.update(
        controller_name=controller.get("name", ""),
        controller_address=controller.get("address", ""),
        controller_contact=controller.get("contact", ""),
        dpo_name=controller.get("dpo_name", ""),
        dpo_contact=controller.get("dpo_contact", ""),
    )
    for key in CONTACT_KEYS:
        initial[f"processor_{key}"] = (version.processor_details or {}).get(key, "")
    rows = (
        list(version.purposes or [])
        if version.ropa.kind == RopaKind.CONTROLLER
        else list(version.controllers or [])
    )
    return initial, rows


class NoteForm(ThaiForm):
    note = forms.CharField(
        label=_("หมายเหตุ/เหตุผล"), required=False, max_length=2000, widget=_area(2)
    )


class RefusalForm(ThaiForm):
    section = forms.ChoiceField(label=_("มาตราที่ใช้สิทธิ"), choices=RefusalSection.choices)
    reason = forms.CharField(label=_("เหตุผลการปฏิเสธ"), max_length=5000, widget=_area(3))


class RopaCreateForm(ThaiForm):
    kind = forms.ChoiceField(label=_("ประเภทบันทึก"), choices=RopaKind.choices)


class NoticeForm(ThaiForm):
    slug = forms.CharField(
        label=_("ชื่อ URL"),
        max_length=80,
        help_text=_("อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น service-desk (เปลี่ยนภายหลังไม่ได้)"),
    )
    title = forms.CharField(label=_("ชื่อประกาศ"), max_length=300)
    title_en = forms.CharField(label=_("ชื่อภาษาอังกฤษ"), max_length=300, required=False)
    unit = UnitChoiceField(label=_("หน่วยงาน"), queryset=owning_units())
    activity = ActivityChoiceField(
        label=_("กิจกรรมการประมวลผล"), queryset=_activities(), required=False
    )


class NoticeBodyForm(ThaiForm):
    body_th = forms.CharField(
        label=_("เนื้อหา (ภาษาไทย)"),
        widget=_area(16),
        help_text=_("ขึ้นหัวข้อด้วย # และรายการด้วย - ตัวหนาด้วย **ข้อความ**"),
    )
    body_en = forms.CharField(label=_("เนื้อหา (ภาษาอังกฤษ)"), required=False, widget=_area(16))


class DpaForm(ThaiForm):
    counterpart = forms.CharField(label=_("คู่สัญญา"), max_length=300)
    role = forms.ChoiceField(label=_("ลักษณะข้อตกลง"), choices=DpaRole.choices)
    scope = forms.CharField(label=_("ขอบเขต"), widget=_area(3))
    unit = UnitChoiceField(label=_("หน่วยงาน"), queryset=owning_units())
    activity = ActivityChoiceField(
        label=_("กิจกรรมการประมวลผล"), queryset=_activities(), required=False
    )
    starts_on = ThaiDateField(label=_("วันที่เริ่ม"))
    ends_on = ThaiDateField(label=_("วันที่สิ้นสุด"), required=False)
    alert_days = ThaiIntegerField(
        label=_("แจ้งเตือนล่วงหน้า (วัน)"), min_value=0, max_value=365, required=False, initial=30
    )
    file = forms.FileField(label=_("ไฟล์ข้อตกลง"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)


class DestructionForm(ThaiForm):
    method = forms.CharField(
        label=_("วิธีการทำลาย"),
        max_length=255,
        help_text=_("เช่น ลบจากฐานข้อมูลและสำรองข้อมูล, ย่อยเอกสาร"),
    )
    destroyed_on = ThaiDateField(label=_("วันที่ทำลาย"))
    period_start = ThaiDateField(label=_("ข้อมูลตั้งแต่"), required=False)
    period_end = ThaiDateField(label=_("ข้อมูลถึง"), required=False)
    approved_by = UserChoiceField(label=_("ผู้อนุมัติการทำลาย"), queryset=_users())
    evidence = forms.FileField(label=_("หลักฐาน"), required=False)
    note = forms.CharField(label=_("หมายเหตุ"), required=False, widget=_area(2))

    def __init__(self, *args: Any, approvers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approved_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            .objects.filter(pk__in=[u.pk for u in approvers])
            .order_by("first_name", "username")
        )
        self.fields["evidence"].widget.attrs["accept"] = ",".join(
            f".{e}" for e in ALLOWED_EXTENSIONS
        )
