"""The rules of data-subject requests that do not write: days to answer per type (from
KRABUAN_DSR_DAYS), the reference number, the retention period, and the validation of what a
requester sends (every field at once, Thai messages naming each field)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BANGKOK, BE_OFFSET, normalize_text, parse_int, to_arabic_digits
from krabuan.privacy.models import DataSubjectRequest, ProcessingActivity, RequestType

DEFAULT_DAYS = 30
# PDPC Notification B.E. 2567 (2024): erasure within 90 days of receipt.
DEFAULT_DAYS_BY_TYPE = {RequestType.ERASURE.value: 90}
DEFAULT_RETENTION_DAYS = 730
MAX_NAME, MAX_ADDRESS, MAX_DETAILS, MAX_TEXT = 200, 1000, 5000, 10000
_PHONE = re.compile(r"^(?:\+66|0)\d{8,9}$")


# --- deadlines ---------------------------------------------------------------------------------


def due_days_table() -> dict[str, int]:
    """Days to answer per type: 30 (erasure 90) unless KRABUAN_DSR_DAYS says otherwise, e.g.
    "45" (every type), "access=30,erasure=90" (those types) or "45,erasure=90"."""
    raw = getattr(settings, "KRABUAN_DSR_DAYS", "")
    table = {t: DEFAULT_DAYS_BY_TYPE.get(t, DEFAULT_DAYS) for t in RequestType.values}
    entries = [p.strip() for p in str(raw or "").split(",") if p.strip()]
    base: int | None = None
    named: dict[str, int] = {}
    for entry in entries:
        key, _sep, value = entry.rpartition("=")
        key = key.strip().lower()
        if key and key not in table:
            raise ImproperlyConfigured(
                f"KRABUAN_DSR_DAYS: unknown request type '{key}' ({', '.join(table)})"
            )
        try:
            days = int(to_arabic_digits(value.strip()))
        except ValueError:
            raise ImproperlyConfigured(f"KRABUAN_DSR_DAYS: '{entry}' is not a number") from None
        if not 1 <= days <= 365:
            raise ImproperlyConfigured(f"KRABUAN_DSR_DAYS: '{entry}' must be 1–365 days")
        if key:
            named[key] = days
        else:
            base = days
    if base is not None:
        table = dict.fromkeys(table, base)
    table.update(named)
    return table


def due_at_for(*, type: str, received_at: dt.datetime) -> dt.datetime:
    """Received + N calendar days (the law counts days, not working days)."""
    return received_at + dt.timedelta(days=due_days_table()[type])


def request_reference(received_at: dt.datetime) -> str:
    """DSR-<BE year of receipt>-<number>: DSR-2568-0001, DSR-2568-0002, …"""
    year = received_at.astimezone(BANGKOK).year + BE_OFFSET
    prefix = f"DSR-{year}-"
    last = (
        DataSubjectRequest.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    suffix = last.rsplit("-", 1)[1] if last else ""
    return f"{prefix}{(int(suffix) + 1 if suffix.isdigit() else 1):04d}"


# --- validation --------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    return normalize_text(value) if isinstance(value, str) else ""


def request_clean(
    *, type: Any, name: Any, email: Any, phone: Any, address: Any, details: Any, activity_id: Any
) -> dict[str, Any]:
    """Every field checked at once; one ApplicationError lists each bad field in Thai."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if type not in RequestType.values:
        labels = ", ".join(f"{v} ({label})" for v, label in RequestType.choices)
        errors["type"] = [_("กรุณาเลือกประเภทคำขอ (%(labels)s)") % {"labels": labels}]
    values["type"] = type
    values["name"] = text_of(name)
    if not values["name"]:
        errors["name"] = [_("กรุณากรอกชื่อ-นามสกุลของผู้ยื่นคำขอ")]
    elif len(values["name"]) > MAX_NAME:
        errors["name"] = [_("ชื่อ-นามสกุลต้องยาวไม่เกิน %(n)s ตัวอักษร") % {"n": MAX_NAME}]
    values["email"] = text_of(email).replace(" ", "")
    if values["email"]:
        try:
            validate_email(values["email"])
            if len(values["email"]) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = [_("อีเมลไม่ถูกต้อง (ตัวอย่าง: name@example.com)")]
    raw_phone = to_arabic_digits(text_of(phone))
    values["phone"] = re.sub(r"[\s\-().]", "", raw_phone)
    if values["phone"] and not _PHONE.match(values["phone"]):
        errors["phone"] = [_("เบอร์โทรศัพท์ไม่ถูกต้อง (ตัวอย่าง: 0812345678 หรือ 02-123-4567)")]
    values["address"] = text_of(address)
    if len(values["address"]) > MAX_ADDRESS:
        errors["address"] = [_("ที่อยู่ต้องยาวไม่เกิน %(n)s ตัวอักษร") % {"n": MAX_ADDRESS}]
    if not (values["email"] or values["phone"] or values["address"]) and "email" not in errors:
        errors["email"] = [_("กรุณาระบุช่องทางติดต่อกลับอย่างน้อยหนึ่งช่องทาง (อีเมล โทรศัพท์ หรือที่อยู่)")]
    values["details"] = text_of(details)
    if not values["details"]:
        errors["details"] = [_("กรุณากรอกรายละเอียดคำขอ")]
    elif len(values["details"]) > MAX_DETAILS:
        errors["details"] = [_("รายละเอียดคำขอต้องยาวไม่เกิน %(n)s ตัวอักษร") % {"n": MAX_DETAILS}]
    values["activity"] = None
    if activity_id not in (None, ""):
        try:
            pk = parse_int(getattr(activity_id, "pk", activity_id))
        except (ValueError, TypeError, ArithmeticError):
            pk = None
        activity = ProcessingActivity.objects.filter(pk=pk, active=True).first() if pk else None
        if activity is None:
            errors["activity"] = [_("ไม่พบกิจกรรมการประมวลผลที่เลือก")]
        values["activity"] = activity
    if errors:
        message = "; ".join(m[0] for m in errors.values())
        raise ApplicationError(message, code="invalid", fields=errors)
    return values


def retention_days() -> int:
    """Days a closed request keeps its contact details (KRABUAN_DSR_RETENTION_DAYS, 730)."""
    raw = getattr(settings, "KRABUAN_DSR_RETENTION_DAYS", "") or DEFAULT_RETENTION_DAYS
    try:
        days = int(to_arabic_digits(str(raw)))
    except ValueError:
        raise ImproperlyConfigured("KRABUAN_DSR_RETENTION_DAYS must be a number of days") from None
    if days < 1:
        raise ImproperlyConfigured("KRABUAN_DSR_RETENTION_DAYS must be at least 1")
    return days
