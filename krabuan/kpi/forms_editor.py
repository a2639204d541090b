"""Forms of the agreement's editing pages: next year's copy, a KPI's fields, a live binding.

They only collect what was typed (Thai or Arabic digits alike) and hand it on untouched: the
agreement services parse and check every rule and their Thai messages are shown next to the
field they name. The KPI form sends only the fields whose value really changed, so the audit
row lists the changes people made and nothing else.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.core.registry import LiveSource
from krabuan.core.thai import normalize_text, parse_int, parse_number
from krabuan.kpi.models import AssessmentGroup, Direction, Kpi, KpiKind, Method
from krabuan.kpi.services.agreements import EDITABLE_FIELDS
from krabuan.manual.forms import ThaiForm, apply_error
from krabuan.workflow.kpi_sources import KEY as WORKFLOW_ON_TIME

MAX_PARAMS_CHARS = 5000


class EditorForm(ThaiForm):
    """ThaiForm, plus the NUL-character check naming the field (Django's own speaks English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(
                ProhibitNullCharactersValidator(
                    message=_("%(label)sมีอักขระที่ไม่อนุญาต (NUL)") % {"label": field.label}
                )
            )

    def make_read_only(self) -> None:
        """Every field shown but disabled (an agreement that was copied forward)."""
        for field in self.fields.values():
            field.disabled = True


# Copy to a later year ----------------------------------------------------------------------


class AgreementCopyForm(EditorForm):
    # Text, not a number input: browsers refuse Thai digits there; the service parses the year.
    fiscal_year = forms.CharField(
        label=_("ปีงบประมาณใหม่ (พ.ศ.)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("พิมพ์เลขไทยหรือเลขอารบิกก็ได้ เช่น ๒๕๖๗ หรือ 2567"),
    )


# A KPI's fields -----------------------------------------------------------------------------


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _number(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=50,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _text(label: Any, *, limit: int | None = None, rows: int = 0) -> forms.CharField:
    # No max_length: the service owns the limits and says them in its own words.
    attrs = {"maxlength": str(limit)} if limit else {}
    widget = _area(rows) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, widget=widget)


def _choice(label: Any, choices: Iterable[tuple[str, Any]]) -> forms.CharField:
    # A plain text field behind the select: an unknown value gets the service's message.
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices))


_NUMBER_FIELDS = ("weight", "level_basic", "level_standard", "level_advanced", "deduction_points")
_CHOICE_FIELDS = ("kind", "method", "direction")
_BOOL_FIELDS = ("best_of_rounds", "evidence_required")


class KpiEditForm(EditorForm):
    name = _text(_("ชื่อตัวชี้วัด"), limit=500)
    group = _choice(_("องค์ประกอบการประเมิน"), [])
    weight = _number(_("น้ำหนัก (ร้อยละ)"), _("มากกว่า 0 ไม่เกิน 100 และรวมทุกตัวชี้วัดไม่เกิน 100"))
    kind = _choice(_("ประเภทตัวชี้วัด"), KpiKind.choices)
    unit_label = _text(_("หน่วยวัด"), limit=50)
    definition = _text(_("คำอธิบาย/นิยาม"), rows=5)
    notes = _text(_("หมายเหตุ"), rows=3)
    data_source = _text(_("แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล"), rows=3)
    responsible = _text(_("ผู้กำกับ/ผู้จัดเก็บข้อมูล (ตำแหน่ง)"), rows=2)
    method = _choice(_("วิธีคิดคะแนน"), Method.choices)
    direction = _choice(_("ทิศทาง"), Direction.choices)
    level_basic = _number(_("ขั้นต้น (50 คะแนน)"))
    level_standard = _number(_("มาตรฐาน (75 คะแนน)"))
    level_advanced = _number(_("ขั้นสูง (100 คะแนน)"))
    levels_text = _text(_("ค่าเป้าหมายตามต้นฉบับ"), rows=3)
    method_note = _text(_("หมายเหตุวิธีคิดคะแนน"), rows=3)
    best_of_rounds = forms.BooleanField(label=_("ใช้ค่าที่ดีที่สุดของทุกรอบ"), required=False)
    deduction_points = _number(
        _("คะแนนที่หักเมื่อไม่บรรลุขั้นตอนตามรอบ"), _("0 ถึง 100 คะแนนต่อรอบ เว้นว่าง = ไม่หัก")
    )
    deduction_rule = _text(_("เงื่อนไขการหักคะแนน"), rows=3)
    evidence_required = forms.BooleanField(label=_("ต้องแนบหลักฐานเมื่อบันทึกผล"), required=False)

    def __init__(
        self, *args: Any, kpi: Kpi, groups: Iterable[AssessmentGroup], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        group = self.fields["group"].widget
        assert isinstance(group, forms.Select)
        group.choices = [(str(g.pk), f"{g.name} ({_plain(g.weight)}%)") for g in groups]

    def service_data(self) -> dict[str, Any]:
        """The fields whose value differs from the stored one, as typed (the service parses);
        a number typed in Thai digits, or a text differing in spaces only, is no change."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not _same(name, value, self.kpi)
        }

    def changed_labels(self, data: dict[str, Any]) -> list[str]:
        return [str(self.fields[name].label) for name in self.fields if name in data]


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _same(name: str, value: Any, kpi: Kpi) -> bool:
    if name == "group":
        try:
            return parse_int(value) == kpi.group_id
        except (ValueError, TypeError):
            return False
    stored = getattr(kpi, name)
    if name in _BOOL_FIELDS or name in _CHOICE_FIELDS:
        return bool(value == stored)
    if name in _NUMBER_FIELDS:
        if not (value or "").strip():
            # An empty deduction means none, which the service stores as 0.
            return stored is None or (name == "deduction_points" and stored == 0)
        try:
            return stored is not None and parse_number(value) == stored
        except ValueError:
            return False
    return normalize_text(value) == normalize_text(stored)


def kpi_initial(kpi: Kpi) -> dict[str, Any]:
    """The form's values: the stored ones, numbers as people write them."""
    initial: dict[str, Any] = {name: getattr(kpi, name) for name in EDITABLE_FIELDS}
    initial["group"] = str(kpi.group_id)
    for name in _NUMBER_FIELDS:
        initial[name] = _plain(getattr(kpi, name))
    return initial


# A live binding -----------------------------------------------------------------------------


class LiveSourceForm(EditorForm):
    live_source = forms.CharField(label=_("แหล่งข้อมูลอัตโนมัติ"), required=False)
    process_code = forms.CharField(
        label=_("กระบวนงาน (คู่มือกระบวนงานฉบับล่าสุด)"), required=False, max_length=50
    )
    live_params = forms.CharField(
        label=_("พารามิเตอร์ (JSON)"),
        required=False,
        max_length=MAX_PARAMS_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def __init__(
        self,
        *args: Any,
        sources: list[LiveSource],
        processes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {s.key: s for s in sources}
        workflow = self.sources.get(WORKFLOW_ON_TIME)
        self.workflow_label = workflow.label if workflow else WORKFLOW_ON_TIME
        self.fields["live_source"].widget = forms.Select(
            choices=[("", _("— ไม่ผูก (กรอกผลเอง) —")), *[(s.key, s.label) for s in sources]],
            attrs={"class": "form-select"},
        )
        self.fields["process_code"].widget = forms.Select(
            choices=[("", _("— ทุกกระบวนงานของคู่มือฉบับล่าสุด —")), *processes],
            attrs={"class": "form-select"},
        )
        self.fields["process_code"].help_text = _("ใช้กับแหล่งข้อมูล “%(label)s” เท่านั้น") % {
            "label": self.workflow_label
        }
        self.fields["live_params"].help_text = _(
            'สำหรับแหล่งข้อมูลอื่น: ชุดข้อมูล JSON เช่น {"ชื่อ": "ค่า"} เว้นว่าง = ไม่มีพารามิเตอร์'
        )

    def apply_service_error(self, error: ApplicationError) -> None:
        """The service's refusal next to its field; for the workflow source the parameters
        were chosen in the process select, so a complaint about them is shown there."""
        fields = error.fields
        if self.data.get("live_source") == WORKFLOW_ON_TIME and self.data.get("process_code"):
            fields = {("process_code" if k == "live_params" else k): v for k, v in fields.items()}
        apply_error(self, ApplicationError(error.message, code=error.code, fields=fields))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = data.get("live_source") or ""
        code = data.get("process_code") or ""
        text = (data.get("live_params") or "").strip()
        params: Any = {}
        if key == WORKFLOW_ON_TIME:
            if text:
                self.add_error(
                    "live_params",
                    _("แหล่งข้อมูลนี้ใช้การเลือกกระบวนงาน ไม่ต้องกรอกพารามิเตอร์ JSON"),
                )
            params = {"process_code": code} if code else {}
        else:
            if code:
                self.add_error(
                    "process_code",
                    _("เลือกกระบวนงานได้เฉพาะแหล่งข้อมูล “%(label)s”") % {"label": self.workflow_label},
                )
            if text:
                params = _json_object(text, self)
        data["params"] = params
        return data


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _no_constants(text: str) -> Any:
    raise ValueError(text)


def _json_object(text: str, form: forms.Form) -> dict[str, Any]:
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        form.add_error(
            "live_params",
            _("พารามิเตอร์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด %(line)s ตำแหน่ง %(col)s)")
            % {"line": exc.lineno, "col": exc.colno},
        )
        return {}
    except (ValueError, RecursionError):
        form.add_error("live_params", _("พารามิเตอร์ไม่ใช่ JSON ที่ถูกต้อง"))
        return {}
    if not isinstance(value, dict):
        form.add_error("live_params", _('พารามิเตอร์ต้องเป็นชุดข้อมูล JSON แบบ {"ชื่อ": ค่า}'))
        return {}
    return value


def live_source_initial(kpi: Kpi) -> dict[str, Any]:
    """The stored binding: the workflow source's process code in its select, else the JSON."""
    params = dict(kpi.live_params or {})
    if kpi.live_source == WORKFLOW_ON_TIME and set(params) <= {"process_code"}:
        return {"live_source": kpi.live_source, "process_code": params.get("process_code", "")}
    text = json.dumps(params, ensure_ascii=False) if params else ""
    return {"live_source": kpi.live_source, "live_params": text}
