"""The breach risk assessment: the seven factors of clause 12 of the PDPC notification on breach
notification (B.E. 2565), a suggested level computed from them, and what each level obliges.

Each choice carries a score (0 none … 3 high). The suggestion is deliberately simple and
explainable, because the assessor decides and the reasons are kept as evidence:

- no risk   when harm to the data subjects is unlikely and neither the data (s.26 sensitive or
            large volume) nor the subjects (minors, vulnerable people) aggravate it;
- high risk when the harm is severe, or significant together with identifying/sensitive data,
            vulnerable subjects or a wide impact;
- risk      otherwise.

The assessor may choose a higher level than suggested; a lower one needs a written reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from krabuan.core.thai import normalize_text
from krabuan.privacy.models import RiskLevel

NOTE_MAX = 2000
LEVEL_RANK = {RiskLevel.NONE: 0, RiskLevel.RISK: 1, RiskLevel.HIGH: 2}
SUGGESTED_KEY = "_suggested"  # stored beside the seven factors in BreachAssessment.factors


@dataclass(frozen=True)
class Choice:
    value: str
    label: StrPromise
    score: int


@dataclass(frozen=True)
class Factor:
    key: str
    number: int
    label: StrPromise
    help: StrPromise
    choices: tuple[Choice, ...]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


FACTORS: tuple[Factor, ...] = (
    Factor(
        "breach_type",
        1,
        _("ลักษณะและประเภทของการละเมิด"),
        _("การรักษาความลับ (C) ความถูกต้องครบถ้วน (I) หรือสภาพพร้อมใช้งาน (A) ของข้อมูล"),
        (
            Choice(
                "availability",
                _("สภาพพร้อมใช้งาน (Availability): ข้อมูลสูญหายหรือเข้าถึงไม่ได้"),
                1,
            ),
            Choice(
                "integrity",
                _("ความถูกต้องครบถ้วน (Integrity): ข้อมูลถูกแก้ไขโดยไม่ได้รับอนุญาต"),
                2,
            ),
            Choice(
                "confidentiality",
                _("การรักษาความลับ (Confidentiality): ข้อมูลถูกเข้าถึงหรือเปิดเผยโดยไม่ได้รับอนุญาต"),
                2,
            ),
            Choice("combined", _("หลายลักษณะรวมกัน"), 3),
        ),
    ),
    Factor(
        "data_nature",
        2,
        _("ลักษณะ ประเภท และปริมาณของข้อมูลส่วนบุคคลที่ถูกละเมิด"),
        _("รวมถึงข้อมูลอ่อนไหวตามมาตรา 26 และจำนวนข้อมูล"),
        (
            Choice("minimal", _("ข้อมูลทั่วไปที่มีผลกระทบน้อย (เช่น ชื่อ อีเมลที่ทำงาน) จำนวนน้อย"), 0),
            Choice("general", _("ข้อมูลส่วนบุคคลทั่วไป (เช่น ชื่อ ที่อยู่ เบอร์โทรศัพท์)"), 1),
            Choice(
                "identifying",
                _("ข้อมูลที่ใช้ยืนยันตัวตนหรือข้อมูลทางการเงิน (เช่น เลขประจำตัวประชาชน เลขบัญชี รหัสผ่าน)"),
                2,
            ),
            Choice("sensitive", _("ข้อมูลอ่อนไหวตามมาตรา 26 หรือข้อมูลจำนวนมาก"), 3),
        ),
    ),
    Factor(
        "subject_status",
        3,
        _("ลักษณะ ประเภท และสถานะของเจ้าของข้อมูลที่ได้รับผลกระทบ"),
        _("เช่น ผู้เยาว์ คนพิการ หรือกลุ่มเปราะบาง"),
        (
            Choice("general", _("บุคคลทั่วไปหรือบุคลากรของหน่วยงาน"), 1),
            Choice("unknown", _("ยังไม่ทราบแน่ชัด"), 2),
            Choice("vulnerable", _("มีผู้เยาว์ คนพิการ ผู้สูงอายุ หรือกลุ่มเปราะบางอื่น"), 3),
        ),
    ),
    Factor(
        "harm_severity",
        4,
        _("ความร้ายแรงของผลกระทบและความเสียหาย และประสิทธิผลของมาตรการป้องกันหรือแก้ไข"),
        _("ผลกระทบต่อสิทธิและเสรีภาพของเจ้าของข้อมูล หลังคำนึงถึงมาตรการที่ใช้แล้ว"),
        (
            Choice(
                "unlikely",
                _("ไม่น่าจะเกิดผลกระทบ (เช่น ข้อมูลเข้ารหัส กู้คืนได้ครบ หรือระงับได้ก่อนมีผู้เข้าถึง)"),
                0,
            ),
            Choice("limited", _("ผลกระทบเล็กน้อย แก้ไขได้ และมาตรการที่ใช้ได้ผล"), 1),
            Choice(
                "significant",
                _("ผลกระทบมีนัยสำคัญ (เช่น ความเสียหายทางการเงิน การถูกแอบอ้าง) มาตรการได้ผลบางส่วน"),
                2,
            ),
            Choice("severe", _("ผลกระทบร้ายแรง แก้ไขไม่ได้ หรือมาตรการยังไม่ได้ผล"), 3),
        ),
    ),
    Factor(
        "wide_impact",
        5,
        _("ผลกระทบในวงกว้างต่อการดำเนินงานของผู้ควบคุมข้อมูลหรือต่อสาธารณะ"),
        _("ต่อการให้บริการ ภารกิจ หรือความเชื่อมั่นของประชาชน"),
        (
            Choice("none", _("ไม่มีผลกระทบในวงกว้าง"), 0),
            Choice("limited", _("กระทบการดำเนินงานบางส่วน"), 1),
            Choice("wide", _("กระทบในวงกว้างต่อการให้บริการหรือต่อสาธารณะ"), 2),
        ),
    ),
    Factor(
        "storage_security",
        6,
        _("ลักษณะของระบบจัดเก็บข้อมูลและมาตรการรักษาความมั่นคงปลอดภัย"),
        _("มาตรการเชิงองค์กร เชิงเทคนิค และทางกายภาพของระบบที่เกี่ยวข้อง"),
        (
            Choice("strong", _("ข้อมูลเข้ารหัสหรือมีมาตรการที่ทำให้ข้อมูลอ่านไม่ได้"), 0),
            Choice("standard", _("มีมาตรการตามมาตรฐาน แต่ข้อมูลไม่ได้เข้ารหัส"), 1),
            Choice("weak", _("มาตรการไม่เพียงพอ หรือเป็นเอกสาร/ไฟล์ที่ไม่มีการป้องกัน"), 2),
        ),
    ),
    Factor(
        "controller_status",
        7,
        _("สถานะทางกฎหมายของผู้ควบคุมข้อมูลส่วนบุคคล"),
        _("บุคคลธรรมดาหรือนิติบุคคล ขนาดและประเภทของกิจการ"),
        (
            Choice("public_agency", _("หน่วยงานของรัฐที่ให้บริการประชาชนเป็นวงกว้าง"), 1),
            Choice("internal_agency", _("หน่วยงานของรัฐ เฉพาะข้อมูลที่ใช้ภายในหน่วยงาน"), 0),
        ),
    ),
)
FACTOR_KEYS = tuple(f.key for f in FACTORS)
_BY_KEY = {f.key: f for f in FACTORS}

# The seed manual (process 16, step 3) lists the legal status of the data *subjects*; clause 12
# of the notification names the data *controller* (the subjects are factor 3). We follow the law.
CONTROLLER_NOTE = _(
    "หมายเหตุ: คู่มือกระบวนงานที่ 16 ขั้นตอนที่ 3 ระบุปัจจัย “สถานะทางกฎหมายของเจ้าของข้อมูล” "
    "แต่ประกาศคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล เรื่อง หลักเกณฑ์และวิธีการในการแจ้งเหตุการละเมิด"
    "ข้อมูลส่วนบุคคล พ.ศ. 2565 ข้อ 12 กำหนดให้พิจารณาสถานะทางกฎหมายของ “ผู้ควบคุมข้อมูลส่วนบุคคล” "
    "(สถานะของเจ้าของข้อมูลเป็นปัจจัยข้อ 3 แยกต่างหาก) ระบบนี้ใช้ตามประกาศฯ"
)
# Step 8 of the seed sends the report to สดช.; s.37(4) of the PDPA names the PDPC Office (สคส.).
PDPC_NOTE = _(
    "หมายเหตุ: คู่มือกระบวนงานที่ 16 ขั้นตอนที่ 8 ระบุให้เสนอรายงานต่อ สดช. แต่พระราชบัญญัติ"
    "คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 มาตรา 37 (4) กำหนดให้แจ้งสำนักงานคณะกรรมการคุ้มครอง"
    "ข้อมูลส่วนบุคคล (สคส.) ระบบนี้จัดทำหนังสือแจ้ง สคส. ตามกฎหมาย"
)


@dataclass(frozen=True)
class Obligations:
    level: str
    notify_pdpc: bool
    notify_subjects: bool
    lines: tuple[StrPromise, ...]


_KEEP = _("เก็บผลการประเมิน เอกสาร และหลักฐานทั้งหมดไว้เป็นหลักฐาน")
OBLIGATIONS: dict[str, Obligations] = {
    RiskLevel.NONE: Obligations(
        RiskLevel.NONE,
        False,
        False,
        (
            _("ไม่ต้องแจ้งสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.)"),
            _("ไม่ต้องแจ้งเจ้าของข้อมูลส่วนบุคคล"),
            _KEEP,
        ),
    ),
    RiskLevel.RISK: Obligations(
        RiskLevel.RISK,
        True,
        False,
        (
            _("แจ้ง สคส. โดยไม่ชักช้าภายใน 72 ชั่วโมงนับแต่ทราบเหตุ"),
            _("ไม่ต้องแจ้งเจ้าของข้อมูลส่วนบุคคล"),
            _KEEP,
        ),
    ),
    RiskLevel.HIGH: Obligations(
        RiskLevel.HIGH,
        True,
        True,
        (
            _("แจ้ง สคส. โดยไม่ชักช้าภายใน 72 ชั่วโมงนับแต่ทราบเหตุ"),
            _("แจ้งเจ้าของข้อมูลส่วนบุคคลโดยไม่ชักช้า พร้อมแนวทางการเยียวยา"),
            _KEEP,
        ),
    ),
}


@dataclass(frozen=True)
class Suggestion:
    level: str
    reasons: tuple[str, ...]


def factor(key: str) -> Factor:
    return _BY_KEY[key]


def _raw_value(raw: Any) -> tuple[str, str]:
    """(value, note) from 'value' or {'value': …, 'note': …}."""
    if isinstance(raw, dict):
        value, note = raw.get("value", ""), raw.get("note", "")
    else:
        value, note = raw, ""
    value = normalize_text(value) if isinstance(value, str) else ""
    note = normalize_text(note) if isinstance(note, str) else ""
    return value, note


def clean_factors(
    raw: Any, *, notes: Any = None
) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """({key: {"value", "note"}} for the seven factors, errors by factor key in Thai)."""
    data = raw if isinstance(raw, dict) else {}
    extra_notes = notes if isinstance(notes, dict) else {}
    cleaned: dict[str, dict[str, str]] = {}
    errors: dict[str, list[str]] = {}
    for f in FACTORS:
        value, note = _raw_value(data.get(f.key))
        extra = extra_notes.get(f.key)
        if not note and isinstance(extra, str):
            note = normalize_text(extra)
        if not value:
            errors[f.key] = [str(_("กรุณาเลือก “%(label)s” (ปัจจัยข้อ %(n)s)") % _args(f))]
        elif f.choice(value) is None:
            allowed = ", ".join(c.value for c in f.choices)
            errors[f.key] = [
                str(
                    _("“%(label)s” ต้องเป็นค่าใดค่าหนึ่ง: %(allowed)s") % {**_args(f), "allowed": allowed}
                )
            ]
        elif len(note) > NOTE_MAX:
            errors[f.key] = [str(_("คำอธิบายของ “%(label)s” ยาวเกิน 2000 ตัวอักษร") % _args(f))]
        else:
            cleaned[f.key] = {"value": value, "note": note}
    return cleaned, errors


def _args(f: Factor) -> dict[str, Any]:
    return {"label": f.label, "n": f.number}


def scores(values: dict[str, Any]) -> dict[str, int]:
    """Score of each answered factor (unknown values are skipped)."""
    out: dict[str, int] = {}
    for f in FACTORS:
        value, _note = _raw_value(values.get(f.key))
        choice = f.choice(value)
        if choice is not None:
            out[f.key] = choice.score
    return out


def suggest(values: dict[str, Any]) -> Suggestion:
    """The suggested level and the reasons for it (see the module docstring)."""
    s = scores(values)
    harm = s.get("harm_severity", 2)  # not answered yet: do not suggest "no risk"
    data = s.get("data_nature", 0)
    subjects = s.get("subject_status", 0)
    wide = s.get("wide_impact", 0)
    reasons: list[str] = []
    if harm == 3:
        reasons.append(str(_("ผลกระทบต่อเจ้าของข้อมูลร้ายแรง")))
        return Suggestion(RiskLevel.HIGH, tuple(reasons))
    if harm == 2:
        if data >= 2:
            reasons.append(str(_("ผลกระทบมีนัยสำคัญ และเป็นข้อมูลยืนยันตัวตน/การเงิน/ข้อมูลอ่อนไหว")))
        if subjects == 3:
            reasons.append(str(_("ผลกระทบมีนัยสำคัญ และมีเจ้าของข้อมูลกลุ่มเปราะบาง")))
        if wide >= 2:
            reasons.append(str(_("ผลกระทบมีนัยสำคัญ และกระทบในวงกว้าง")))
        if reasons:
            return Suggestion(RiskLevel.HIGH, tuple(reasons))
    if harm == 0 and data < 3 and subjects < 3:
        reasons.append(str(_("ไม่น่าจะเกิดผลกระทบต่อสิทธิและเสรีภาพของเจ้าของข้อมูล")))
        return Suggestion(RiskLevel.NONE, tuple(reasons))
    if harm == 0:
        reasons.append(str(_("แม้ผลกระทบไม่น่าจะเกิด แต่เป็นข้อมูลอ่อนไหวหรือเจ้าของข้อมูลกลุ่มเปราะบาง")))
    else:
        reasons.append(str(_("อาจมีความเสี่ยงต่อสิทธิและเสรีภาพของเจ้าของข้อมูล")))
    return Suggestion(RiskLevel.RISK, tuple(reasons))


def obligations(level: str) -> Obligations:
    return OBLIGATIONS[level]


def is_lower(level: str, than: str) -> bool:
    return LEVEL_RANK[RiskLevel(level)] < LEVEL_RANK[RiskLevel(than)]


def choice_label(key: str, value: str) -> str:
    """The Thai label of a factor's stored value ('' when unknown)."""
    f = _BY_KEY.get(key)
    choice = f.choice(value) if f else None
    return str(choice.label) if choice else ""
