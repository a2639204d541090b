"""Thai text and date helpers used everywhere: BE display, Thai digits, parsing, normalisation."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from pythainlp.util import bahttext as _bahttext
from pythainlp.util import normalize as _thai_normalize

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(_THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)
# Invisible characters that Word and web forms leave behind; equal-looking text must compare equal.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")

MONTHS_LONG = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
MONTHS_SHORT = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
WEEKDAYS_LONG = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits with Arabic ones (for parsing)."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits with Thai ones (for display)."""
    return text.translate(_TO_THAI)


def digits(text: str, *, thai: bool) -> str:
    return to_thai_digits(text) if thai else text


def normalize_text(text: str | None) -> str:
    """NFC, no invisible characters, Thai marks in canonical order, single spaces per line."""
    if not text:
        return ""
    return _normalize(text)


@functools.lru_cache(maxsize=16384)
def _normalize(text: str) -> str:
    # Pure and called for every stored text (imports, fixtures): worth remembering.
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _thai_normalize(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(BANGKOK)
    return value


def format_date(
    value: dt.date | dt.datetime | None,
    *,
    short: bool = False,
    thai_digits: bool = False,
    weekday: bool = False,
) -> str:
    """Buddhist-era date: long '21 พฤศจิกายน 2569' or short '21 พ.ย. 69'."""
    if value is None:
        return ""
    local = _local(value)
    year = local.year + BE_OFFSET
    if short:
        text = f"{local.day} {MONTHS_SHORT[local.month - 1]} {year % 100:02d}"
    else:
        text = f"{local.day} {MONTHS_LONG[local.month - 1]} {year}"
        if weekday:
            text = f"วัน{WEEKDAYS_LONG[local.weekday()]}ที่ {text}"
    return digits(text, thai=thai_digits)


def format_datetime(
    value: dt.datetime | None, *, short: bool = False, thai_digits: bool = False
) -> str:
    """Buddhist-era date and Bangkok time: '21 พ.ย. 69 14:30 น.'."""
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, dt.datetime)
    text = f"{format_date(local, short=short)} {local:%H:%M} น."
    return digits(text, thai=thai_digits)


def bahttext(amount: Decimal | float | int) -> str:
    """Amount in Thai words, e.g. 21 → 'ยี่สิบเอ็ดบาทถ้วน'."""
    return str(_bahttext(float(amount)))


def parse_number(text: str | int | float | Decimal) -> Decimal:
    """A number typed with Thai or Arabic digits, commas allowed; ValueError otherwise."""
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    cleaned = to_arabic_digits(normalize_text(text)).replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' ไม่ใช่ตัวเลข") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' ไม่ใช่ตัวเลข")
    return value


def parse_int(text: str | int) -> int:
    value = parse_number(text)
    if value != value.to_integral_value():
        raise ValueError(f"'{text}' ไม่ใช่จำนวนเต็ม")
    return int(value)


def _year_to_ce(year: int) -> int:
    # Years past 2400 are Buddhist era; two-digit years are BE short years (69 → 2569).
    if year < 100:
        year += 2500
    if year > 2400:
        year -= BE_OFFSET
    return year


_MONTH_LOOKUP: dict[str, int] = {}
for _i, _name in enumerate(MONTHS_LONG, start=1):
    _MONTH_LOOKUP[_name] = _i
for _i, _name in enumerate(MONTHS_SHORT, start=1):
    _MONTH_LOOKUP[_name] = _i
    _MONTH_LOOKUP[_name.replace(".", "")] = _i

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_WORDS = re.compile(r"^(?:วัน\S*ที่\s*)?(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{2,4})$")


def parse_date(text: str) -> dt.date:
    """A date typed as ISO, d/m/yyyy (BE or CE), or '10 เม.ย. 2567', in Thai or Arabic digits."""
    raw = to_arabic_digits(normalize_text(text))
    parts = _date_parts(raw)
    try:
        return dt.date(*parts) if parts else _invalid_date(text)
    except ValueError:  # day or month out of range, e.g. 31/02/2567
        return _invalid_date(text)


def _date_parts(raw: str) -> tuple[int, int, int] | None:
    """(year CE, month, day) from the accepted shapes, unchecked; None when no shape fits."""
    if m := _ISO.match(raw):
        return _year_to_ce(int(m[1])), int(m[2]), int(m[3])
    if m := _SLASH.match(raw):
        return _year_to_ce(int(m[3])), int(m[2]), int(m[1])
    if m := _WORDS.match(raw):
        month = _MONTH_LOOKUP.get(m[2]) or _MONTH_LOOKUP.get(m[2].replace(".", ""))
        if month:
            return _year_to_ce(int(m[3])), month, int(m[1])
    return None


def _invalid_date(text: str) -> dt.date:
    raise ValueError(f"'{text}' ไม่ใช่วันที่ที่ถูกต้อง (เช่น 2024-04-10 หรือ 10/04/2567)")


def fiscal_year_of(day: dt.date | dt.datetime) -> int:
    """The BE fiscal year a day belongs to (1 Oct – 30 Sep, named by the year it ends in)."""
    local = _local(day)
    ce = local.year + (1 if local.month >= 10 else 0)
    return ce + BE_OFFSET


def fiscal_year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a BE fiscal year."""
    ce = year_be - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)
