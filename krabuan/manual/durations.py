"""Step durations of the manual ("๑-๒ วัน", "๕ นาที/เรื่อง", "๑ ครั้ง/เดือน", …) as structured values.

`parse_duration` never raises: whatever it cannot read honestly comes back as status "unparsed"
with the text kept, so an editor can fix it. It never guesses a unit or drops a number: a number
it cannot place makes the whole text "unparsed".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from krabuan.core.thai import (
    MONTHS_LONG,
    MONTHS_SHORT,
    normalize_text,
    to_arabic_digits,
    to_thai_digits,
)

UNITS = ("minute", "hour", "day", "working_day", "week", "month", "year")
RECURRENCE_PERIODS = ("day", "week", "month", "quarter", "year", "fiscal_year")

# The values of krabuan.manual.models.DurationStatus (kept here so this module needs no Django).
PARSED = "parsed"
OPEN_ENDED = "open_ended"
UNSPECIFIED = "unspecified"
UNIT_MISSING = "unit_missing"
UNPARSED = "unparsed"
STATUSES = (PARSED, OPEN_ENDED, UNSPECIFIED, UNIT_MISSING, UNPARSED)

UNIT_LABELS = {
    "minute": "นาที",
    "hour": "ชั่วโมง",
    "day": "วัน",
    "working_day": "วันทำการ",
    "week": "สัปดาห์",
    "month": "เดือน",
    "year": "ปี",
}
PERIOD_LABELS = {
    "day": "วัน",
    "week": "สัปดาห์",
    "month": "เดือน",
    "quarter": "ไตรมาส",
    "year": "ปี",
    "fiscal_year": "ปีงบประมาณ",
}

# Longest spelling first: "วันทำการ" must win over "วัน", "ปีงบประมาณ" over "ปี".
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("วันทำการ", "working_day"),
    ("วันราชการ", "working_day"),
    ("working days", "working_day"),
    ("working day", "working_day"),
    ("ชั่วโมง", "hour"),
    ("ชม.", "hour"),
    ("ชม", "hour"),
    ("hours", "hour"),
    ("hour", "hour"),
    ("hrs", "hour"),
    ("hr", "hour"),
    ("นาที", "minute"),
    ("minutes", "minute"),
    ("minute", "minute"),
    ("mins", "minute"),
    ("min", "minute"),
    ("สัปดาห์", "week"),
    ("อาทิตย์", "week"),
    ("weeks", "week"),
    ("week", "week"),
    ("เดือน", "month"),
    ("months", "month"),
    ("month", "month"),
    ("ปีงบประมาณ", "year"),
    ("ปี", "year"),
    ("years", "year"),
    ("year", "year"),
    ("วัน", "day"),
    ("days", "day"),
    ("day", "day"),
)
_UNIT_BY_WORD = {word.lower(): unit for word, unit in _UNIT_WORDS}


def _word_alternation(words: list[str]) -> str:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        # English words need boundaries; Thai is written without spaces between words.
        parts.append(rf"\b{escaped}\b" if word.isascii() else escaped)
    return "|".join(parts)


_UNIT_RE = _word_alternation([word for word, _ in _UNIT_WORDS])
_NUM = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_RANGE_SEP = r"(?:-|ถึง|\bto\b)"
_THAI_WORD = r"[\u0E01-\u0E3A\u0E40-\u0E4E]+"
_AMOUNT_RE = re.compile(
    rf"(?P<a>{_NUM}|ครึ่ง)\s*(?:(?P<ua>{_UNIT_RE})\s*)?"
    rf"(?:{_RANGE_SEP}\s*(?P<b>{_NUM})\s*)?"
    rf"(?P<u>{_UNIT_RE})(?P<half>\s*ครึ่ง)?"
    rf"(?:\s*(?:/|ต่อ(?!เนื่อง))\s*(?P<item>{_THAI_WORD}|[A-Za-z]+))?",
    re.IGNORECASE,
)
_BARE_RE = re.compile(rf"(?P<a>{_NUM})\s*(?:{_RANGE_SEP}\s*(?P<b>{_NUM}))?")

_PERIOD_WORDS: dict[str, str] = {
    "ปีงบประมาณ": "fiscal_year",
    "ไตรมาส": "quarter",
    "สัปดาห์": "week",
    "อาทิตย์": "week",
    "เดือน": "month",
    "วัน": "day",
    "ปี": "year",
}
_PERIOD_RE = "|".join(sorted(_PERIOD_WORDS, key=len, reverse=True))
_RECURRENCE_RES = (
    # "๑ ครั้ง/เดือน", "๒ ครั้งต่อปี", "๑ ครั้ง/ ๖ เดือน"
    re.compile(rf"(?P<count>[0-9]+)\s*ครั้ง\s*(?:/|ต่อ)\s*(?P<every>[0-9]+)?\s*(?P<per>{_PERIOD_RE})"),
    # "เดือนละ ๑ ครั้ง"
    re.compile(rf"(?P<per>{_PERIOD_RE})\s*ละ\s*(?P<count>[0-9]+)\s*ครั้ง"),
    # "ทุกเดือน", "ทุก ๆ ๖ เดือน"
    re.compile(rf"ทุก\s*(?:ๆ\s*)?(?P<every>[0-9]+)?\s*(?P<per>{_PERIOD_RE})"),
)

_MONTH_SPELLINGS: dict[str, int] = {name: i for i, name in enumerate(MONTHS_LONG, start=1)}
_MONTH_SPELLINGS["กรกฏาคม"] = 7  # common misspelling
_MONTH_SHORT_RES = [
    # "ส.ค." also written "ส.ค" or "ส. ค."
    (re.escape(short[:-1]).replace(r"\.", r"\.\s?") + r"\.?", i)
    for i, short in enumerate(MONTHS_SHORT, start=1)
]
_MONTH_TOKEN = "|".join(
    [re.escape(n) for n in sorted(_MONTH_SPELLINGS, key=len, reverse=True)]
    + [pattern for pattern, _ in _MONTH_SHORT_RES]
)
_MONTH_SEP = r"\s*(?:-|ถึง|และ|หรือ|,|/)\s*"
_MONTH_LIST = rf"(?:เดือน\s*)?(?:{_MONTH_TOKEN})(?:{_MONTH_SEP}(?:เดือน\s*)?(?:{_MONTH_TOKEN}))*"
_WINDOW_DAY_RE = re.compile(
    rf"(?:(?:ภายใน|ก่อน|ไม่เกิน)\s*)?วันที่\s*(?P<day>[0-9]{{1,2}})\s*(?:ของ\s*)?"
    rf"(?:(?P<every>ทุก\s*(?:ๆ\s*)?เดือน)|(?P<months>{_MONTH_LIST}))"
)
_WINDOW_MONTH_RE = re.compile(
    rf"(?:(?:ช่วง|ภายใน|ระหว่าง)\s*(?:เดือน\s*)?|เดือน\s*)(?P<months>{_MONTH_LIST})"
)
_WINDOW_ONLY_RE = re.compile(rf"(?P<months>{_MONTH_LIST})")
_MONTH_TOKEN_RE = re.compile(rf"(?:{_MONTH_TOKEN})")

_UNSPECIFIED_WORDS = {"", "ไม่ระบุ", "ไม่ได้ระบุ", "ไม่กำหนด", "ไม่มี", "n/a", "na", "none"}
# Phrases (compared without spaces) that mean the step has no end the manual can state.
_OPEN_ENDED_MARKERS = (
    "ตลอด",
    "ขึ้นอยู่กับ",
    "ขึ้นกับ",
    "ตามระยะเวลาที่กำหนด",
    "ตามที่กำหนด",
    "ตามกำหนด",
    "ตั้งแต่",
    "ณใช้งาน",
    "เมื่อใช้งาน",
    "เมื่อมี",
    "เมื่อต้องการ",
    "ตามความต้องการ",
    "ตามความจำเป็น",
    "ตามความเหมาะสม",
    "ต่อเนื่อง",
    "จนกว่า",
    "ตามแผน",
)
_HTML_TAG_RE = re.compile(r"<[^<>]*>")
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASHES = str.maketrans(dict.fromkeys(_DASH_CHARS, "-"))
_REMARK_RE = re.compile(r"\(([^()]*)\)")
_EDGE_PUNCT_RE = re.compile(r"^[\s\-•·*,;:/()\[\].]+|[\s\-•·*,;:/()\[\]]+$")
_EDGE_WORDS_RE = re.compile(r"^(?:หรือ|และ)\s*|\s*(?:หรือ|และ)$")
_DIGIT_RE = re.compile(r"\d")
# A calendar-day length for ordering alternatives written in different units.
_APPROX_DAYS = {
    "minute": Decimal(1) / 1440,
    "hour": Decimal(1) / 24,
    "day": Decimal(1),
    "working_day": Decimal(7) / 5,
    "week": Decimal(7),
    "month": Decimal(30),
    "year": Decimal(365),
}
_MAX_AMOUNT = Decimal(99_999)
# Step.duration_text holds 500 characters; longer input is not a duration and only costs time.
_MAX_TEXT = 500
_MAX_DECIMALS = 3
# Exact conversions only, for a range written with two units ("๓๐ นาที - ๑ ชั่วโมง").
_EXACT = {
    ("hour", "minute"): 60,
    ("day", "hour"): 24,
    ("week", "day"): 7,
    ("year", "month"): 12,
}


@dataclass(frozen=True)
class Duration:
    """A step duration: the original text and what it means."""

    text: str
    status: str
    min: Decimal | None = None
    max: Decimal | None = None
    unit: str | None = None
    per_item: str | None = None
    recurrence: dict[str, Any] | None = field(default=None, hash=False)
    window: dict[str, Any] | None = field(default=None, hash=False)
    alternatives: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    note: str = ""

    @property
    def parsed(self) -> bool:
        return self.status == PARSED

    @property
    def open_ended(self) -> bool:
        return self.status == OPEN_ENDED

    @property
    def unit_missing(self) -> bool:
        return self.status == UNIT_MISSING

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; numbers are int when whole, float otherwise."""
        return {
            "text": self.text,
            "status": self.status,
            "min": _json_number(self.min),
            "max": _json_number(self.max),
            "unit": self.unit,
            "per_item": self.per_item,
            "recurrence": dict(self.recurrence) if self.recurrence is not None else None,
            "window": (
                {k: list(v) if isinstance(v, list) else v for k, v in self.window.items()}
                if self.window is not None
                else None
            ),
            "alternatives": [
                {**alt, "min": _json_number(alt.get("min")), "max": _json_number(alt.get("max"))}
                for alt in self.alternatives
            ],
            "open_ended": self.open_ended,
            "parsed": self.parsed,
            "unit_missing": self.unit_missing,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Duration:
        """Rebuild from `to_dict` output; ValueError (Thai message) on an unknown status or unit."""
        status = data.get("status") or UNSPECIFIED
        if status not in STATUSES:
            raise ValueError(f"สถานะระยะเวลา '{status}' ไม่ถูกต้อง")
        unit = data.get("unit")
        if unit is not None and unit not in UNITS:
            raise ValueError(f"หน่วยเวลา '{unit}' ไม่ถูกต้อง")
        alternatives = []
        for alt in data.get("alternatives") or ():
            if not isinstance(alt, dict):
                raise ValueError("รายการวิธี/กรณีของระยะเวลาไม่ถูกต้อง")
            if alt.get("unit") is not None and alt["unit"] not in UNITS:
                raise ValueError(f"หน่วยเวลา '{alt['unit']}' ไม่ถูกต้อง")
            alternatives.append(
                {
                    **alt,
                    "min": _decimal_or_none(alt.get("min")),
                    "max": _decimal_or_none(alt.get("max")),
                }
            )
        recurrence = data.get("recurrence")
        window = data.get("window")
        return cls(
            text=str(data.get("text") or ""),
            status=status,
            min=_decimal_or_none(data.get("min")),
            max=_decimal_or_none(data.get("max")),
            unit=unit,
            per_item=data.get("per_item") or None,
            recurrence=dict(recurrence) if recurrence else None,
            window=dict(window) if window else None,
            alternatives=tuple(alternatives),
            note=str(data.get("note") or ""),
        )


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"'{value}' ไม่ใช่ตัวเลข") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' ไม่ใช่ตัวเลข")
    return number


def _sensible(value: Decimal) -> bool:
    # Keeps amounts exact through JSON floats, and a six-digit duration is a typing slip anyway.
    exponent = value.as_tuple().exponent
    return value <= _MAX_AMOUNT and isinstance(exponent, int) and exponent >= -_MAX_DECIMALS


def _number(text: str) -> Decimal:
    return Decimal("0.5") if text == "ครึ่ง" else Decimal(text.replace(",", ""))


def _clean(text: str) -> str:
    text = _HTML_TAG_RE.sub(" ", text)
    text = html.unescape(text)
    text = to_arabic_digits(normalize_text(text)).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def _strip_edges(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _EDGE_WORDS_RE.sub("", _EDGE_PUNCT_RE.sub("", text)).strip()
    return text


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _split_remarks(text: str) -> tuple[str, list[str]]:
    """Take out parenthesised remarks that hold no number; they only explain the duration."""
    remarks: list[str] = []

    def take(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _DIGIT_RE.search(inner):
            return match.group(0)
        if inner:
            remarks.append(inner)
        return " "

    core = re.sub(r"\s+", " ", _REMARK_RE.sub(take, text)).strip()
    return core, remarks


def _is_open_ended(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    return any(marker in compact for marker in _OPEN_ENDED_MARKERS)


def _months_of(text: str) -> list[int] | None:
    """Month numbers of a list like "ต.ค.-ธ.ค." or "เมษายนและเดือนตุลาคม", in written order."""
    tokens = list(_MONTH_TOKEN_RE.finditer(text))
    months: list[int] = []
    previous_end = 0
    previous: int | None = None
    for token in tokens:
        month = _month_number(token.group(0))
        if month is None:
            return None
        separator = text[previous_end : token.start()]
        if previous is not None and re.search(r"-|ถึง", separator):
            step = previous
            while step != month:
                step = step % 12 + 1
                if step not in months:
                    months.append(step)
        elif month not in months:
            months.append(month)
        previous, previous_end = month, token.end()
    return months or None


def _month_number(token: str) -> int | None:
    if token in _MONTH_SPELLINGS:
        return _MONTH_SPELLINGS[token]
    for pattern, number in _MONTH_SHORT_RES:
        if re.fullmatch(pattern, token):
            return number
    return None


def _cut(text: str, match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", f"{text[: match.start()]} {text[match.end() :]}").strip()


def _find_window(text: str) -> tuple[dict[str, Any] | None, str]:
    """A calendar window in the text and the text left around it."""
    match = _WINDOW_DAY_RE.search(text)
    if match:
        day = int(match.group("day"))
        months = list(range(1, 13)) if match.group("every") else _months_of(match.group("months"))
        if 1 <= day <= 31 and months:
            return {"months": months, "by_day": day}, _cut(text, match)
    match = _WINDOW_MONTH_RE.search(text)
    if match:
        months = _months_of(match.group("months"))
        if months:
            return {"months": months}, _cut(text, match)
    match = _WINDOW_ONLY_RE.fullmatch(text)
    if match:
        months = _months_of(text)
        if months:
            return {"months": months}, ""
    return None, text


def _find_recurrence(text: str) -> dict[str, Any] | None:
    core = _strip_edges(text)
    for regex in _RECURRENCE_RES:
        match = regex.fullmatch(core)
        if not match:
            continue
        count = int(match.group("count")) if "count" in regex.groupindex else 1
        every = match.group("every") if "every" in regex.groupindex else None
        if count < 1 or (every is not None and int(every) < 1):
            return None
        recurrence: dict[str, Any] = {"count": count, "per": _PERIOD_WORDS[match.group("per")]}
        if every is not None and int(every) != 1:
            recurrence["every"] = int(every)
        return recurrence
    return None


@dataclass
class _Amount:
    min: Decimal
    max: Decimal
    unit: str
    per_item: str | None
    start: int
    end: int


def _amount_of(match: re.Match[str]) -> _Amount | None:
    """One duration expression; None when it is not a sound amount (reversed range, …)."""
    unit = _UNIT_BY_WORD[match.group("u").lower()]
    low = _number(match.group("a"))
    high = _number(match.group("b")) if match.group("b") else low
    if match.group("ua") and match.group("b"):
        first_unit = _UNIT_BY_WORD[match.group("ua").lower()]
        if first_unit != unit:
            # Convert to the smaller unit, and only where the conversion is exact.
            if (first_unit, unit) in _EXACT:
                low = low * _EXACT[(first_unit, unit)]
            elif (unit, first_unit) in _EXACT:
                high, unit = high * _EXACT[(unit, first_unit)], first_unit
            else:
                return None
    elif match.group("ua"):
        return None  # "๑ วัน ๒ ชั่วโมง"-like text without a range: two amounts, not one
    if match.group("half"):
        if match.group("b"):
            return None
        low = high = low + Decimal("0.5")
    if low > high or not (_sensible(low) and _sensible(high)):
        return None
    return _Amount(
        min=low,
        max=high,
        unit=unit,
        per_item=match.group("item"),
        start=match.start(),
        end=match.end(),
    )


def _approx(value: Decimal, unit: str) -> Decimal:
    return value * _APPROX_DAYS[unit]


def _quote(text: str) -> str:
    return f"«{text}»"


def parse_duration(text: str | None) -> Duration:
    """Read a step's duration text; never raises. Unknown text → status "unparsed", text kept."""
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    clean = _clean(raw)
    if len(clean) > _MAX_TEXT:
        return Duration(text=raw, status=UNPARSED, note="ข้อความระยะเวลายาวเกินไป ต้องแก้ไข")
    if not _has_words(clean):
        return Duration(text=raw, status=UNSPECIFIED)
    core, remarks = _split_remarks(clean)
    notes = [f"หมายเหตุ {_quote(r)}" for r in remarks]
    bare_core = _strip_edges(core)
    if bare_core.lower() in _UNSPECIFIED_WORDS or not _has_words(bare_core):
        if any(_is_open_ended(r) for r in remarks):
            return Duration(text=raw, status=OPEN_ENDED, note="; ".join(notes))
        return Duration(text=raw, status=UNSPECIFIED, note="; ".join(notes))

    recurrence = _find_recurrence(core)
    if recurrence is not None:
        return Duration(text=raw, status=PARSED, recurrence=recurrence, note="; ".join(notes))

    window, rest = _find_window(core)
    matches = list(_AMOUNT_RE.finditer(rest))
    if not matches:
        leftover = _strip_edges(rest)
        if window is not None and not _DIGIT_RE.search(leftover):
            if leftover:
                notes.append(f"ไม่ได้ใช้ข้อความ {_quote(leftover)}")
            return Duration(text=raw, status=PARSED, window=window, note="; ".join(notes))
        bare = _BARE_RE.fullmatch(bare_core)
        if window is None and bare:
            low = _number(bare.group("a"))
            high = _number(bare.group("b")) if bare.group("b") else low
            if low <= high and _sensible(low) and _sensible(high):
                notes.append("ไม่ระบุหน่วยเวลา")
                return Duration(
                    text=raw, status=UNIT_MISSING, min=low, max=high, note="; ".join(notes)
                )
        if window is None and _is_open_ended(clean):
            return Duration(text=raw, status=OPEN_ENDED, note="; ".join(notes))
        return Duration(text=raw, status=UNPARSED, note="อ่านระยะเวลาไม่ได้ ต้องแก้ไข")

    amounts = [_amount_of(m) for m in matches]
    if any(a is None for a in amounts):
        return Duration(text=raw, status=UNPARSED, note="ช่วงหรือจำนวนของระยะเวลาไม่ถูกต้อง ต้องแก้ไข")
    found = [a for a in amounts if a is not None]
    # The text before each amount; the text after the last one.
    segments = [
        rest[prev.end if prev else 0 : a.start]
        for prev, a in zip([None, *found[:-1]], found, strict=True)
    ]
    tail = _strip_edges(rest[found[-1].end :])
    labels = [_strip_edges(s) for s in segments]
    if any(_DIGIT_RE.search(s) for s in [*labels, tail]):
        return Duration(text=raw, status=UNPARSED, note="มีตัวเลขที่ไม่ใช่ระยะเวลา ต้องแก้ไข")
    if any(re.search(r"ทุก\s*ๆ?$", s.strip()) for s in segments):
        return Duration(text=raw, status=UNPARSED, note="เป็นความถี่ (ทุก…) ไม่ใช่ระยะเวลา ต้องแก้ไข")

    if len(found) == 1:
        amount = found[0]
        for extra in (labels[0], tail):
            if extra:
                notes.append(f"ไม่ได้ใช้ข้อความ {_quote(extra)}")
        return Duration(
            text=raw,
            status=PARSED,
            min=amount.min,
            max=amount.max,
            unit=amount.unit,
            per_item=amount.per_item,
            window=window,
            note="; ".join(notes),
        )

    if window is not None or not all(labels):
        return Duration(text=raw, status=UNPARSED, note="พบหลายระยะเวลาโดยไม่ระบุวิธี/กรณี ต้องแก้ไข")
    if tail:
        notes.append(f"ไม่ได้ใช้ข้อความ {_quote(tail)}")
    return _with_alternatives(raw, labels, found, notes)


def _with_alternatives(
    raw: str, labels: list[str], found: list[_Amount], notes: list[str]
) -> Duration:
    """Method-dependent durations: overall min/max across the methods."""
    alternatives = tuple(
        {
            "label": label,
            "min": a.min,
            "max": a.max,
            "unit": a.unit,
            **({"per_item": a.per_item} if a.per_item else {}),
        }
        for label, a in zip(labels, found, strict=True)
    )
    units = {a.unit for a in found}
    shortest = min(found, key=lambda a: _approx(a.min, a.unit))
    longest = max(found, key=lambda a: _approx(a.max, a.unit))
    low: Decimal | None
    high: Decimal | None
    if len(units) == 1:
        low, high, unit = shortest.min, longest.max, found[0].unit
    elif shortest.unit == longest.unit:
        # Mixed units, but the shortest and the longest method share one: the bounds stay exact.
        low, high, unit = shortest.min, longest.max, shortest.unit
        notes.append("หน่วยเวลาต่างกันตามวิธี ใช้ค่าต่ำสุด/สูงสุดจากวิธีที่สั้นที่สุด/ยาวที่สุด")
    else:
        low = high = None
        unit = None
        notes.append("หน่วยเวลาต่างกันตามวิธี ต้องเลือกวิธีก่อนคำนวณกำหนดเวลา")
    return Duration(
        text=raw,
        status=PARSED,
        min=low,
        max=high,
        unit=unit,
        alternatives=alternatives,
        note="; ".join(notes),
    )


def _format_number(value: Decimal | int | float) -> str:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _format_amount(
    low: Decimal | int | float | None,
    high: Decimal | int | float | None,
    unit: str | None,
    per_item: str | None = None,
) -> str:
    if low is None or high is None:
        return ""
    number = _format_number(low) if low == high else f"{_format_number(low)}–{_format_number(high)}"
    text = f"{number} {UNIT_LABELS[unit]}" if unit in UNIT_LABELS else number
    return f"{text}/{per_item}" if per_item else text


def _format_alternative(alt: dict[str, Any]) -> str:
    amount = _format_amount(alt.get("min"), alt.get("max"), alt.get("unit"), alt.get("per_item"))
    return f"{alt.get('label', '')} {amount}".strip()


def _format_months(months: list[int]) -> str:
    names = [MONTHS_LONG[m - 1] for m in months if 1 <= m <= 12]
    if len(names) <= 1:
        return "".join(names)
    joiner = "และ" if len(names) == 2 else " และ"
    return " ".join(names[:-1]) + joiner + names[-1]


def _format_window(window: dict[str, Any]) -> str:
    months = [int(m) for m in window.get("months", [])]
    if window.get("by_day"):
        where = "ทุกเดือน" if months == list(range(1, 13)) else f"เดือน{_format_months(months)}"
        return f"ภายในวันที่ {window['by_day']} ของ{where}"
    return f"ช่วงเดือน{_format_months(months)}"


def _format_recurrence(recurrence: dict[str, Any]) -> str:
    per = PERIOD_LABELS.get(str(recurrence.get("per")), str(recurrence.get("per")))
    every = recurrence.get("every")
    period = f"{every} {per}" if every else per
    return f"{recurrence.get('count', 1)} ครั้ง/{period}"


def format_duration(d: Duration, *, thai_digits: bool = True) -> str:
    """Thai rendering of the structured value, e.g. "๑–๒ วันทำการ"; unreadable text as written."""
    if d.status == UNSPECIFIED:
        text = "ไม่ระบุ"
    elif d.status in (OPEN_ENDED, UNPARSED):
        text = _clean(d.text)
    elif d.status == UNIT_MISSING:
        text = f"{_format_amount(d.min, d.max, None)} (ไม่ระบุหน่วยเวลา)"
    else:
        parts = []
        if d.window:
            parts.append(_format_window(d.window))
        if d.recurrence:
            parts.append(_format_recurrence(d.recurrence))
        if d.alternatives:
            parts.append("; ".join(_format_alternative(alt) for alt in d.alternatives))
        else:
            amount = _format_amount(d.min, d.max, d.unit, d.per_item)
            if amount:
                parts.append(amount)
        text = " ".join(parts)
    return to_thai_digits(text) if thai_digits else text
