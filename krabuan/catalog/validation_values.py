"""Value-level cleaning shared by the catalog validators: the error collector, CKAN-style
booleans, lists (or JSON-encoded list strings), dates (ISO, Thai digits, Buddhist era) and the
cleaner of one schema field value."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from krabuan.catalog import schema
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import normalize_text, parse_date, parse_number, to_arabic_digits

_TRUE = {"true", "1", "yes", "y", "on", "t", "ใช่", "มี"}
_FALSE = {"false", "0", "no", "n", "off", "f", "", "none"}
url_validator = URLValidator(schemes=["http", "https", "ftp"])


class Errors:
    """Collects "<label>: <problem>" messages per field."""

    def __init__(self, prefix: str = "") -> None:
        self.fields: dict[str, list[str]] = {}
        self.prefix = prefix

    def add(self, field: str, problem: str, *, key: str | None = None) -> None:
        text = f"{self.prefix}{schema.label(field)}: {problem}"
        self.fields.setdefault(key or field, []).append(text)

    def raise_if_any(self) -> None:
        if self.fields:
            count = sum(len(v) for v in self.fields.values())
            raise ApplicationError(
                _("ข้อมูลไม่ถูกต้อง %(count)s รายการ กรุณาแก้ไขแล้วบันทึกอีกครั้ง") % {"count": count},
                code="validation",
                fields=self.fields,
            )


def flatten_extras(data: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys win; `extras` [{key, value}] fill the rest (CKAN clients send either)."""
    flat = {k: v for k, v in data.items() if k != "extras"}
    extras = data.get("extras") or []
    if isinstance(extras, dict):
        extras = [{"key": k, "value": v} for k, v in extras.items()]
    for item in extras if isinstance(extras, list) else []:
        if isinstance(item, dict) and item.get("key") and item["key"] not in flat:
            flat[item["key"]] = item.get("value")
    return flat


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    return normalize_text(str(value))


def parse_bool(value: Any) -> bool:
    """True/False from a bool, "True"/"False", 1/0, or Thai yes/no text ("ไม่…" is no)."""
    if isinstance(value, bool):
        return value
    text = text_of(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE or "ไม่" in text:
        return False
    raise ValueError(text)


def parse_list(value: Any) -> list[str]:
    """A list of strings from a list or a JSON-encoded list string; ValueError otherwise."""
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return []
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError:
            raise ValueError(stripped) from None
    if not isinstance(value, list | tuple):
        raise ValueError(value)
    out: list[str] = []
    for item in value:
        text = text_of(item)
        if text and text not in out:
            out.append(text)
    return out


def parse_iso_date(value: Any) -> dt.date:
    """A date from a date, ISO text (a time part is ignored) or Thai/BE text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_arabic_digits(text_of(value))
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        text = text[:10]
    return parse_date(text)


def clean_value(spec: schema.FieldSpec, value: Any, errors: Errors) -> Any:
    """The stored form of one non-empty value; adds an error and returns None when invalid."""
    kind = spec.kind
    name = spec.name
    if kind in ("text", "markdown"):
        return text_of(value)
    if kind == "choice":
        text = text_of(value)
        if text not in spec.choices:
            errors.add(name, _("“%(value)s” ไม่ใช่ค่าที่เลือกได้") % {"value": text})
            return None
        return text
    if kind == "multi":
        try:
            items = parse_list(value)
        except ValueError:
            errors.add(name, _("ต้องเป็นรายการ (list) ของค่าที่เลือกได้"))
            return None
        bad = [item for item in items if item not in spec.choices]
        if bad:
            errors.add(name, _("“%(value)s” ไม่ใช่ค่าที่เลือกได้") % {"value": ", ".join(bad)})
            return None
        return items
    if kind == "email":
        text = text_of(value)
        try:
            validate_email(text)
        except ValidationError:
            errors.add(name, _("รูปแบบอีเมลไม่ถูกต้อง"))
            return None
        return text
    if kind == "url":
        text = text_of(value)
        try:
            url_validator(text)
        except ValidationError:
            errors.add(name, _("URL ไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)"))
            return None
        return text
    if kind == "date":
        try:
            return parse_iso_date(value).isoformat()
        except ValueError:
            errors.add(name, _("วันที่ไม่ถูกต้อง (เช่น 2024-04-10 หรือ 10/04/2567)"))
            return None
    if kind == "year":
        text = to_arabic_digits(text_of(value))
        if not re.fullmatch(r"\d{4}", text) or not 1800 <= int(text) <= 2700:
            errors.add(name, _("ต้องเป็นปี 4 หลัก เช่น 2567"))
            return None
        return text
    if kind == "number":
        try:
            number = parse_number(value if not isinstance(value, bool) else "x")
        except ValueError:
            errors.add(name, _("ต้องเป็นตัวเลข"))
            return None
        return _number_in_range(spec, number, errors)
    if kind == "bool":
        try:
            return parse_bool(value)
        except ValueError:
            errors.add(name, _("ต้องเป็น True หรือ False"))
            return None
    raise AssertionError(kind)  # a schema kind without a cleaner is a programming error


def _number_in_range(spec: schema.FieldSpec, number: Any, errors: Errors) -> str | None:
    limit = {"west_bound_longitude": 180, "east_bound_longitude": 180}.get(spec.name)
    if spec.name in ("north_bound_longitude", "south_bound_longitude"):
        limit = 90
    if limit is not None and abs(number) > limit:
        errors.add(spec.name, _("ต้องอยู่ระหว่าง -%(n)s ถึง %(n)s") % {"n": limit})
        return None
    if spec.name == "update_frequency_interval" and number < 0:
        errors.add(spec.name, _("ต้องไม่ติดลบ"))
        return None
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)
