"""A dataset's or resource's metadata as the portal shows it: one (Thai label, text) row per schema
field that applies to its data type, with Buddhist-era dates, "ใช่/ไม่ใช่" for flags and the
`*_other` free text in place of "อื่นๆ"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from krabuan.catalog import schema
from krabuan.catalog.forms import as_bool
from krabuan.catalog.models import Dataset, Resource
from krabuan.catalog.schema import FieldSpec
from krabuan.core.display import thai_digits_enabled
from krabuan.core.thai import digits, format_date

# Shown elsewhere on the dataset page (heading, description, tags, organization sidebar).
DATASET_SHOWN_ELSEWHERE = frozenset({"title", "notes", "tag_string", "owner_org"})
RESOURCE_SHOWN_ELSEWHERE = frozenset({"name", "description", "url", "resource_private"})


@dataclass(frozen=True)
class MetaRow:
    name: str
    label: str
    text: str
    kind: str
    mandatory: bool


def _stored(obj: Dataset | Resource, name: str) -> Any:
    columns = {f.attname for f in obj._meta.concrete_fields}
    if name in columns:
        return getattr(obj, name)
    return (obj.type_fields or {}).get(name)


def display_value(spec: FieldSpec, value: Any, other: Any = "") -> str:
    """One stored value as text; the `*_other` text replaces the "อื่นๆ" choice it completes."""
    thai = thai_digits_enabled()
    if spec.kind == "bool":
        return _("ใช่") if as_bool(value) else _("ไม่ใช่")
    if value in (None, "", [], ()):
        return ""
    if spec.kind == "date":
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                return digits(value, thai=thai)
        return format_date(value, thai_digits=thai)
    if spec.kind == "multi":
        items = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if other:
            items = [str(other) if v == spec.other_value else v for v in items]
        return ", ".join(items)
    text = str(value)
    if other and text == spec.other_value:
        text = f"{text} ({other})"
    if spec.kind in {"year", "number"}:
        return digits(text, thai=thai)
    return text


def _rows(
    obj: Dataset | Resource, specs: list[FieldSpec], skip: frozenset[str], *, keep_empty: bool
) -> list[MetaRow]:
    rows = []
    for spec in specs:
        if spec.name in skip:
            continue
        other = _stored(obj, spec.other_field) if spec.other_field else ""
        text = display_value(spec, _stored(obj, spec.name), other)
        if not text and not keep_empty:
            continue
        rows.append(
            MetaRow(
                name=spec.name,
                label=_(spec.label),
                text=text,
                kind=spec.kind,
                mandatory=spec.name in schema.MANDATORY_ITEMS,
            )
        )
    return rows


def dataset_rows(dataset: Dataset) -> list[MetaRow]:
    """Every field of the dataset's data type; the mandatory items even when empty."""
    specs = schema.dataset_fields_for(dataset.data_type)
    rows = _rows(dataset, specs, DATASET_SHOWN_ELSEWHERE, keep_empty=True)
    return [r for r in rows if r.text or r.mandatory or r.kind == "bool"]


def resource_rows(resource: Resource, data_type: str) -> list[MetaRow]:
    """The resource fields of the dataset's data type that hold a value."""
    specs = schema.resource_fields_for(data_type)
    return _rows(resource, specs, RESOURCE_SHOWN_ELSEWHERE, keep_empty=False)


# The quality score's parts (catalog.quality), as the dataset page explains them.
QUALITY_LABELS = {
    "completeness": _lazy("ความครบถ้วนของคำอธิบายข้อมูล"),
    "timeliness": _lazy("ความเป็นปัจจุบันตามความถี่ที่ประกาศ"),
    "accessibility": _lazy("การเข้าถึงได้ (ลิงก์ใช้งานได้)"),
    "machine_readable": _lazy("รูปแบบเปิดที่เครื่องอ่านได้"),
    "validity": _lazy("ความถูกต้องของค่าในคำอธิบาย"),
}


@dataclass(frozen=True)
class QualityLine:
    label: str
    score: str
    max: str
    notes: list[str]


def _quality_notes(key: str, part: dict[str, Any]) -> list[str]:
    if key == "completeness":
        notes = (
            [_("ยังไม่ได้กรอก: %(items)s") % {"items": ", ".join(part["missing_items"])}]
            if part.get("missing_items")
            else []
        )
        if part.get("undescribed_resources"):
            notes.append(
                _("ทรัพยากรที่ยังไม่มีคำอธิบาย: %(names)s")
                % {"names": ", ".join(part["undescribed_resources"])}
            )
        return notes
    if key == "timeliness":
        status = {
            "no_date": _("ยังไม่ได้ระบุวันที่ปรับปรุงข้อมูลล่าสุด"),
            "late": _("ปรับปรุงข้อมูลช้ากว่าความถี่ที่ประกาศ"),
            "stale": _("ข้อมูลไม่ได้ปรับปรุงนานเกินความถี่ที่ประกาศมาก"),
            "unknown_frequency": _("ไม่ได้ระบุความถี่ของการปรับปรุงข้อมูลที่วัดได้"),
        }.get(part.get("status") or "")
        return [str(status)] if status else []
    if key == "accessibility":
        return (
            [_("ลิงก์ใช้งานไม่ได้: %(names)s") % {"names": ", ".join(part["broken"])}]
            if part.get("broken")
            else []
        )
    if key == "machine_readable":
        return [
            f"{item['name']} ({item['format'] or '-'}): {item['advice']}"
            for item in part.get("not_open") or []
        ]
    if key == "validity":
        return (
            [_("ค่าที่ต้องตรวจ: %(items)s") % {"items": ", ".join(part["problems"])}]
            if part.get("problems")
            else []
        )
    return []


def quality_lines(details: dict[str, Any] | None) -> list[QualityLine]:
    """Each part of a dataset's stored quality score with what to fix, in Thai."""
    lines = []
    thai = thai_digits_enabled()
    for key, label in QUALITY_LABELS.items():
        part = (details or {}).get(key)
        if not isinstance(part, dict):
            continue
        score = part.get("score", 0)
        lines.append(
            QualityLine(
                label=str(label),
                score=digits(
                    f"{score:g}" if isinstance(score, int | float) else str(score), thai=thai
                ),
                max=digits(str(part.get("max", "")), thai=thai),
                notes=_quality_notes(key, part),
            )
        )
    return lines
