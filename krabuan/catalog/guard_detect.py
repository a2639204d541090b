"""Detectors of personal data in one value or one column header, and the masks that replace a
detected value. Pure functions: the scanner and the masking export both use them, so what the
scan reports is exactly what the masked file hides."""

from __future__ import annotations

import re
from dataclasses import dataclass

from krabuan.core.thai import normalize_text, to_arabic_digits

KINDS = ("thai_id", "phone", "email", "bank_account", "column_name")
# Column categories reported with kind "column_name".
CATEGORIES = ("name", "address", "id", "phone", "email", "birth_date", "bank_account")

# Thai national ID: 1-4-5-2-1 digits, all together or with one kind of separator throughout.
# The first digit is the person type 1–8; 13-digit numbers starting with 0 are juristic-person
# (company) numbers with the same checksum, which are not personal data.
_THAI_ID = re.compile(
    r"(?<!\d)(?<!\d[-.])([1-8])([- ]?)(\d{4})\2(\d{5})\2(\d{2})\2(\d)(?!\d)(?!-\d)"
)
# xxx-x-xxxxx-x: the way Thai banks print a 10-digit account number.
_BANK = re.compile(r"(?<!\d)(?<!\d-)\d{3}-\d-\d{5}-\d(?!\d)(?!-\d)")
# A 10–12 digit run (with dashes or spaces) counts as an account only in an account column.
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[- ]?\d){9,11}(?!\d)(?![- ]\d)")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_S = r"[-. ]?"
_MOBILE = rf"[689](?:\d{_S}\d{{3}}|{_S}\d{{4}}){_S}\d{{4}}"
_BANGKOK = rf"2{_S}\d{{3}}{_S}\d{{4}}"
_PROVINCE = rf"[3-7]\d{_S}\d{{3}}{_S}\d{{3}}"
# Mobile 06/08/09 + 8 digits, Bangkok 02 + 7 digits, provincial 03x–07x + 6 digits; or +66 forms.
_PHONE = re.compile(
    rf"(?<![\d+])(?<!\d[-.])"
    rf"(?:0(?:{_MOBILE}|{_BANGKOK}|{_PROVINCE})"
    rf"|\+66{_S}(?:\(0\){_S})?(?:{_MOBILE}|{_BANGKOK}|{_PROVINCE}))"
    rf"(?!\d)(?![-.]\d)"
)
_HAS_SIGNAL = re.compile(r"[0-9๐-๙@]")
_MASKED = re.compile(r"[0-9xX\-. +()]*x{2,}[0-9xX\-. +()]*")


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int
    raw: str


def thai_id_valid(number: str) -> bool:
    """13 digits whose last one is the mod-11 check digit of the first twelve."""
    number = to_arabic_digits(number)
    if len(number) != 13 or not number.isdigit() or number[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(number[:12]))
    return (11 - total % 11) % 10 == int(number[12])


def _digits(text: str) -> str:
    return "".join(c for c in to_arabic_digits(text) if c.isdigit())


def find_values(text: str, *, account_column: bool = False) -> list[Match]:
    """Personal values in a text: Thai IDs first, then bank accounts, e-mails and phones; a
    span claimed by an earlier kind is not reported again (an ID is not also a phone)."""
    if not text or not _HAS_SIGNAL.search(text):
        return []
    plain = to_arabic_digits(text)  # same length, so positions map back to the original
    found: list[Match] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Match(kind, start, end, text[start:end]))

    for m in _THAI_ID.finditer(plain):
        if thai_id_valid(_digits(m.group(0))):
            add("thai_id", m.start(), m.end())
    for m in _BANK.finditer(plain):
        add("bank_account", m.start(), m.end())
    if account_column:
        for m in _DIGIT_RUN.finditer(plain):
            add("bank_account", m.start(), m.end())
    if "@" in plain:
        for m in _EMAIL.finditer(plain):
            add("email", m.start(), m.end())
    for m in _PHONE.finditer(plain):
        add("phone", m.start(), m.end())
    found.sort(key=lambda m: m.start)
    return found


def mask_value(kind: str, raw: str) -> str:
    """The masked form shown in reports and written to masked files."""
    if kind == "thai_id":
        d = _digits(raw)
        return f"{d[0]}-{d[1:5]}-xxxxx-xx-x"
    if kind == "phone":
        d = _digits(raw)
        if raw.lstrip().startswith("+"):
            d = "0" + d[2:]  # +66 8x… → 08x…
        if len(d) == 10:
            return f"{d[:2]}x-xxx-{d[-4:]}"
        return f"{d[:2]}-xxx-{d[-4:]}"
    if kind == "email":
        local, _, domain = raw.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == "bank_account":
        # Keep the last four digits (how banks print them), hide the rest, keep the separators.
        total = sum(c.isdigit() for c in to_arabic_digits(raw))
        out, seen = [], 0
        for c in to_arabic_digits(raw):
            if c.isdigit():
                seen += 1
                out.append(c if seen > total - 4 else "x")
            else:
                out.append(c)
        return "".join(out)
    return mask_cell(raw)


def mask_cell(value: str) -> str:
    """A sample of a value in a flagged column: its first character only."""
    value = value.strip()
    return f"{value[:1]}***" if value else ""


def mask_text(text: str, *, account_column: bool = False) -> tuple[str, int]:
    """The text with every detected value replaced by its mask, and how many were replaced."""
    matches = find_values(text, account_column=account_column)
    if not matches:
        return text, 0
    parts, last = [], 0
    for m in matches:
        parts.append(text[last : m.start])
        parts.append(mask_value(m.kind, m.raw))
        last = m.end
    parts.append(text[last:])
    return "".join(parts), len(matches)


def looks_masked(value: str) -> bool:
    """True for values a masking export wrote ("***", "1-2345-xxxxx-xx-x", "08x-xxx-1234")."""
    value = value.strip()
    return "***" in value or bool(_MASKED.fullmatch(value))


# --- column headers -------------------------------------------------------------------------

_TH_STRIP = re.compile(r"[\s\-_./():,]+")
_EN_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_EN_SPLIT = re.compile(r"[^a-z0-9]+")

# Headers about counts, shares or types describe aggregates, not persons.
_AGGREGATE_TH = ("จำนวน", "ร้อยละ", "ประเภท", "สัดส่วน", "เฉลี่ย", "ยอดรวม")
_AGGREGATE_EN = {"count", "total", "percent", "pct", "avg", "mean", "sum", "ratio", "type", "rate"}

_TH_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("อีเมล", "อีเมล์", "อีเมย์", "ไปรษณีย์อิเล็กทรอนิกส์")),
    (
        "id",
        (
            "ประจำตัวประชาชน",
            "บัตรประชาชน",
            "เลขประชาชน",
            "ประจำตัวผู้เสียภาษี",
            "หนังสือเดินทาง",
            "เลขบัตรประจำตัว",
        ),
    ),
    ("phone", ("โทรศัพท์", "เบอร์โทร", "มือถือ", "หมายเลขโทร", "เบอร์ติดต่อ")),
    ("birth_date", ("วันเกิด", "วันเดือนปีเกิด", "ปีเกิด", "เกิดวันที่", "วดปเกิด")),
    ("bank_account", ("เลขที่บัญชี", "เลขบัญชี", "บัญชีธนาคาร", "บัญชีเงินฝาก", "หมายเลขบัญชี")),
    ("address", ("ที่อยู่", "บ้านเลขที่", "ที่พักอาศัย")),
    ("name", ("นามสกุล", "คำนำหน้าชื่อ", "ชื่อสกุล")),
)
# "ชื่อ" alone is a person's name; "ชื่อ" + these words is a person's name too. Everything else
# (ชื่อชุดข้อมูล, ชื่อจังหวัด, ชื่ออำเภอ, ชื่อพืช, ชื่อหน่วยงาน…) names a thing, not a person.
_TH_PERSON_AFTER_NAME = (
    "ผู้",
    "เกษตรกร",
    "เจ้าของ",
    "ลูกค้า",
    "บุคคล",
    "สมาชิก",
    "พนักงาน",
    "เจ้าหน้าที่",
    "ข้าราชการ",
    "ลูกจ้าง",
    "นักเรียน",
    "นักศึกษา",
    "ผู้ป่วย",
    "บิดา",
    "มารดา",
    "คู่สมรส",
    "ชาวนา",
    "ชาวประมง",
)
_TH_NAME_EXACT = {"ชื่อ", "ชื่อจริง", "ชื่อต้น", "ชื่อตัว", "ชื่อเล่น", "ชื่อและสกุล", "ชื่อและนามสกุล"}

_EN_SINGLE = {
    "email": {"email", "emailaddress", "mail"},
    "phone": {
        "phone",
        "telephone",
        "tel",
        "mobile",
        "cellphone",
        "msisdn",
        "phoneno",
        "phonenumber",
        "mobileno",
        "telno",
    },
    "birth_date": {"dob", "birthday", "birthdate", "birth", "bday"},
    "id": {"cid", "pid", "ssn", "nid", "passport", "passportno", "citizenid", "nationalid"},
    "name": {
        "firstname",
        "lastname",
        "surname",
        "fullname",
        "givenname",
        "familyname",
        "middlename",
        "fname",
        "lname",
        "nickname",
        "forename",
        "username",
        "maidenname",
    },
    "address": {"address", "addr", "street", "residence", "homeaddress"},
    "bank_account": {"accountno", "accountnumber", "bankaccount", "acctno", "iban"},
}
_EN_PERSON = {
    "first",
    "last",
    "given",
    "family",
    "middle",
    "full",
    "person",
    "farmer",
    "contact",
    "owner",
    "customer",
    "patient",
    "student",
    "member",
    "employee",
    "staff",
    "user",
    "applicant",
    "citizen",
    "maiden",
    "nick",
    "sur",
    "fore",
    "holder",
    "recipient",
    "beneficiary",
    "th",
    "en",
    "thai",
    "eng",
}
_EN_LANG = {"th", "en", "thai", "eng"}
_NOT_POSTAL = {"ip", "mac", "web", "url", "email", "mail", "ipv4", "ipv6", "server"}


def _en_tokens(header: str) -> list[str]:
    spaced = _EN_CAMEL.sub(r"\1_\2", header).lower()
    return [t for t in _EN_SPLIT.split(spaced) if t]


def _thai_category(text: str) -> str | None:
    if any(word in text for word in _AGGREGATE_TH):
        return None
    if "โทรทัศน์" in text or "เว็บ" in text:
        return None
    for category, words in _TH_RULES:
        if any(word in text for word in words):
            return category
    if text == "โทร":
        return "phone"
    if text in _TH_NAME_EXACT:
        return "name"
    if text.startswith("ชื่อ") and text[4:].startswith(_TH_PERSON_AFTER_NAME):
        return "name"
    return None


def _english_category(tokens: list[str]) -> str | None:
    if not tokens or _AGGREGATE_EN & set(tokens) or tokens[:2] in (["number", "of"], ["no", "of"]):
        return None
    compact = "".join(tokens)
    for category, names in _EN_SINGLE.items():
        if compact in names or (category != "address" and any(t in names for t in tokens)):
            if category == "address" and _NOT_POSTAL & set(tokens):
                continue
            return category
    words = set(tokens)
    if "email" in words or ("e" in words and "mail" in words):
        return "email"
    if "birth" in words:
        return "birth_date"
    if "citizen" in words or "passport" in words or ("national" in words and "id" in words):
        return "id"
    if "id" in words and "card" in words:
        return "id"
    if "address" in words or "addr" in words:
        return None if _NOT_POSTAL & words else "address"
    if "house" in words and words & {"no", "number", "num"}:
        return "address"
    if "account" in words and (words & {"bank", "no", "number", "num"}):
        return "bank_account"
    if "name" in words:
        others = words - {"name"}
        if tokens == ["name"] or (others and others <= _EN_PERSON and others - _EN_LANG):
            return "name"
    return None


def column_category(header: str) -> str | None:
    """What personal data a column holds judging by its name (Thai or English), or None."""
    text = normalize_text(str(header or "")).strip()
    if not text:
        return None
    thai = _TH_STRIP.sub("", text)
    if re.search("[\u0e00-\u0e7f]", thai):
        found = _thai_category(thai)
        if found:
            return found
    return _english_category(_en_tokens(text))


def is_account_column(header: str) -> bool:
    """Loose test for bank-account columns: digit runs there count as account numbers."""
    text = normalize_text(str(header or "")).lower()
    if "บัญชี" in text:
        return True
    tokens = _en_tokens(str(header or ""))
    return bool(set(tokens) & {"account", "acct", "bank", "iban"}) or "".join(tokens) in {
        "accountno",
        "accountnumber",
        "bankaccount",
        "acctno",
    }
