"""What the breach services share: who may do what, the 72-hour deadline, the audit snapshot,
and parsing of a report's facts.

The parsers add Thai messages to `errors` under the field's name instead of raising, so a form
or an API call hears about every bad field at once and nothing is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from krabuan.core.errors import Conflict
from krabuan.core.thai import BANGKOK, normalize_text, parse_int, to_arabic_digits
from krabuan.org.models import Role
from krabuan.org.permissions import has_role
from krabuan.privacy.models import Breach, BreachStatus
from krabuan.privacy.permissions import is_privacy_team

PDPC_HOURS = 72
LATE_GUIDANCE_DAYS = 15  # PDPC clarification: a late notice within 15 days, with reasons
REPORT_ROLES = {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO}
AUDIT_FIELDS = [
    "reference", "title", "description", "channel", "status", "occurred_at", "aware_at",
    "contained_at", "pdpc_deadline", "data_types", "subjects_count", "records_count",
    "systems_affected", "impact", "measures", "subject_advice", "risk_level", "notify_pdpc",
    "notify_subjects", "pdpc_notified_at", "subjects_notified_at", "late_reason",
    "assigned_to_id", "case_id", "closed_at",
]  # fmt: skip
LATE_REASON_MESSAGE = (
    "แจ้ง สคส. หลังครบกำหนด 72 ชั่วโมงนับแต่ทราบเหตุ ต้องระบุเหตุผลที่แจ้งล่าช้า "
    "(แนวทางของ สคส.: หากล่าช้าอย่างหลีกเลี่ยงไม่ได้ ให้แจ้งโดยเร็วภายใน 15 วันพร้อมชี้แจงเหตุผล)"
)
TITLE_MAX = 300
TEXT_MAX = 20_000
DATA_TYPE_MAX = 100
DATA_TYPES_MAX = 30
COUNT_MAX = 100_000_000
CONTACT_MAX = 300
# A client clock a little ahead of the server's is not "the future".
CLOCK_SKEW = dt.timedelta(minutes=5)
OLDEST = dt.timedelta(days=3 * 366)

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def text(
    errors: Errors, field: str, label: str, value: Any, *, required: bool, max_length: int
) -> str:
    if value is not None and not isinstance(value, str):
        add(errors, field, f"{label}ต้องเป็นข้อความ")
        return ""
    clean = normalize_text(value)
    if required and not clean:
        add(errors, field, f"กรุณาระบุ{label}")
    elif len(clean) > max_length:
        add(errors, field, f"{label}ยาวเกิน {max_length:,} ตัวอักษร")
    return clean


def count(errors: Errors, field: str, label: str, value: Any) -> int:
    """A whole number 0 … 100,000,000 (Thai or Arabic digits, commas allowed)."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        add(errors, field, f"{label}ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป")
        return 0
    try:
        number = parse_int(value) if isinstance(value, str | int) else parse_int(str(value))
    except ValueError:
        add(errors, field, f"{label}ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป")
        return 0
    if not 0 <= number <= COUNT_MAX:
        add(errors, field, f"{label}ต้องอยู่ระหว่าง 0 ถึง {COUNT_MAX:,}")
        return 0
    return number


def data_types(errors: Errors, value: Any, *, required: bool) -> list[str]:
    """A list of data types ('ชื่อ-นามสกุล', …); a string is split on commas and new lines."""
    field = "data_types"
    if value is None:
        items: list[Any] = []
    elif isinstance(value, str):
        items = [p for chunk in value.split("\n") for p in chunk.split(",")]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        add(errors, field, "ประเภทข้อมูลต้องเป็นรายการข้อความ")
        return []
    cleaned: list[str] = []
    for item in items:
        if not isinstance(item, str):
            add(errors, field, "ประเภทข้อมูลแต่ละรายการต้องเป็นข้อความ")
            return []
        clean = normalize_text(item)
        if len(clean) > DATA_TYPE_MAX:
            add(errors, field, f"ประเภทข้อมูลแต่ละรายการยาวไม่เกิน {DATA_TYPE_MAX} ตัวอักษร")
            return []
        if clean and clean not in cleaned:
            cleaned.append(clean)
    if len(cleaned) > DATA_TYPES_MAX:
        add(errors, field, f"ประเภทข้อมูลไม่เกิน {DATA_TYPES_MAX} รายการ")
    elif required and not cleaned:
        add(errors, field, "กรุณาระบุประเภทข้อมูลส่วนบุคคลที่เกี่ยวข้องอย่างน้อย 1 รายการ")
    return cleaned


def parse_moment(value: Any) -> dt.datetime | None:
    """An aware datetime from a datetime or an ISO 8601 string with an offset; None if neither.
    A naive value is refused: the 72-hour clock must not depend on the server's zone."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(to_arabic_digits(value.strip()))
        except ValueError:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        return None
    return moment.astimezone(dt.UTC)


def moment(
    errors: Errors,
    field: str,
    label: str,
    value: Any,
    *,
    required: bool,
    now: dt.datetime,
) -> dt.datetime | None:
    """A past instant with a time zone (Thai or Arabic digits)."""
    if value is None or value == "":
        if required:
            add(errors, field, f"กรุณาระบุ{label}")
        return None
    parsed = parse_moment(value)
    if parsed is None:
        add(
            errors,
            field,
            f"{label}ต้องเป็นวันและเวลาพร้อมเขตเวลา เช่น 2026-04-10T09:00:00+07:00",
        )
        return None
    if parsed > now + CLOCK_SKEW:
        add(errors, field, f"{label}ต้องไม่อยู่ในอนาคต")
        return None
    if parsed < now - OLDEST:
        add(errors, field, f"{label}ย้อนหลังได้ไม่เกิน 3 ปี")
        return None
    return parsed


# --- rules and helpers ---------------------------------------------------------------------


def can_report_breach(user: Any) -> bool:
    """Staff (not auditors or requesters) and the privacy team report breaches internally."""
    return has_role(user, REPORT_ROLES) or is_privacy_team(user)


def can_manage_breach(user: Any) -> bool:
    """Assessing, notifying, assigning and closing are the privacy team's decisions."""
    return is_privacy_team(user)


def can_work_on_breach(user: Any, breach: Breach) -> bool:
    """Updating the facts and measures: the privacy team and the assigned staff member."""
    return is_privacy_team(user) or (
        breach.assigned_to_id is not None and breach.assigned_to_id == getattr(user, "pk", None)
    )


def deadline_for(aware_at: dt.datetime) -> dt.datetime:
    """aware_at + 72 elapsed hours, on the UTC instant (never wall-clock arithmetic)."""
    return aware_at.astimezone(dt.UTC) + dt.timedelta(hours=PDPC_HOURS)


def snap(breach: Breach) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in AUDIT_FIELDS:
        value = getattr(breach, name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(BANGKOK)
        values[name] = value
    return values


def breach_link(breach: Breach) -> str:
    return reverse("privacy:breach_detail", args=[breach.pk])


def status_for(breach: Breach) -> str:
    """Where the breach stands from its facts: assessed? notices owed? closed stays closed."""
    if breach.status == BreachStatus.CLOSED:
        return BreachStatus.CLOSED
    if breach.risk_level is None:
        return breach.status
    owed_pdpc = bool(breach.notify_pdpc) and breach.pdpc_notified_at is None
    owed_subjects = bool(breach.notify_subjects) and breach.subjects_notified_at is None
    return BreachStatus.NOTIFYING if owed_pdpc or owed_subjects else BreachStatus.REMEDIATING


def lock_open(breach: Breach) -> Breach:
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if locked.status == BreachStatus.CLOSED:
        raise Conflict("เหตุนี้ปิดเรื่องแล้ว แก้ไขไม่ได้", code="breach_closed")
    return locked
