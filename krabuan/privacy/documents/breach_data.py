"""What the four breach documents say, built once and printed as DOCX or PDF.

- the notice to the PDPC Office (สคส.; s.37(4) and the 2022 notification): the four items —
  a brief of the breach (type, data, numbers), the DPO's name, place and contact, the likely
  impact, and the measures taken or planned;
- the notice to the data subjects (high risk): the same four and what they can do;
- the report to executives (process 16 step 7) and the summary to the DPO (step 9), with the
  assessment, the obligations and the timeline.

The DPO's details come from the DPO user (else the working group's chair) and settings:
KRABUAN_PRIVACY_CONTROLLER_NAME, KRABUAN_PRIVACY_DPO_PLACE, KRABUAN_PRIVACY_DPO_PHONE,
KRABUAN_PRIVACY_DPO_EMAIL (each optional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from krabuan.core.thai import format_date, format_datetime
from krabuan.org.models import Unit, UnitKind
from krabuan.privacy import risk
from krabuan.privacy.models import Breach, BreachAssessment, RiskLevel
from krabuan.privacy.selectors.breaches import breach_assessments, dpo_user

PDPC_NAME = "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.)"
ITEM_HEADINGS = (
    "1. ข้อมูลโดยสังเขปเกี่ยวกับลักษณะและประเภทของการละเมิด ข้อมูลส่วนบุคคลที่ถูกละเมิด "
    "และจำนวนเจ้าของข้อมูลหรือรายการที่ถูกละเมิด",
    "2. ชื่อ สถานที่ติดต่อ และวิธีการติดต่อของเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
    "3. ผลกระทบที่อาจเกิดขึ้นจากการละเมิด",
    "4. มาตรการที่ใช้หรือจะใช้เพื่อป้องกัน ระงับ หรือแก้ไขเหตุการละเมิด หรือเยียวยาความเสียหาย",
)
ADVICE_HEADING = "5. สิ่งที่เจ้าของข้อมูลส่วนบุคคลควรดำเนินการเพื่อป้องกันตนเองหรือขอรับการเยียวยา"
DEFAULT_ADVICE = (
    "เปลี่ยนรหัสผ่านของบัญชีที่เกี่ยวข้อง ระวังอีเมล ข้อความ หรือโทรศัพท์ที่แอบอ้างเป็นหน่วยงาน "
    "ตรวจสอบธุรกรรมที่ผิดปกติ และติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลตามช่องทางข้างต้น"
)
PENDING = "อยู่ระหว่างการตรวจสอบ จะแจ้งข้อมูลเพิ่มเติมเมื่อได้ข้อเท็จจริง"


@dataclass
class Section:
    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class BreachDocument:
    kind: str
    title: str
    controller: str
    reference: str
    date: str
    subject: str
    recipient: str
    intro: str
    sections: list[Section]
    closing: list[str]
    signature: list[str]


@dataclass(frozen=True)
class DpoContact:
    name: str
    place: str
    phone: str
    email: str


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


def controller_name() -> str:
    """The controller (the office): KRABUAN_PRIVACY_CONTROLLER_NAME, else the top office unit."""
    configured = _setting("KRABUAN_PRIVACY_CONTROLLER_NAME")
    if configured:
        return configured
    office = (
        Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True).order_by("sort_order").first()
    )
    return office.name if office else "ผู้ควบคุมข้อมูลส่วนบุคคล"


def dpo_contact() -> DpoContact:
    user = dpo_user()
    name = (user.get_full_name() or user.get_username()) if user else ""
    unit = ""
    if user is not None:
        membership = user.memberships.select_related("unit").order_by("pk").first()
        unit = membership.unit.name if membership else ""
    place = _setting("KRABUAN_PRIVACY_DPO_PLACE") or " ".join(
        part for part in (unit, controller_name()) if part
    )
    return DpoContact(
        name=name or "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
        place=place,
        phone=_setting("KRABUAN_PRIVACY_DPO_PHONE") or "-",
        email=_setting("KRABUAN_PRIVACY_DPO_EMAIL") or (user.email if user and user.email else "-"),
    )


def _or(value: str, fallback: str = "-") -> str:
    return value.strip() if value and value.strip() else fallback


def _breach_type(assessment: BreachAssessment | None) -> str:
    if assessment is None:
        return "ยังไม่ได้ประเมิน"
    value = (assessment.factors.get("breach_type") or {}).get("value", "")
    return risk.choice_label("breach_type", value) or "-"


def _brief(breach: Breach, assessment: BreachAssessment | None) -> Section:
    return Section(
        ITEM_HEADINGS[0],
        rows=[
            ("เลขที่เหตุ", breach.reference),
            ("ชื่อเหตุ", breach.title),
            ("ลักษณะและประเภทของการละเมิด", _breach_type(assessment)),
            ("รายละเอียด", breach.description),
            ("ประเภทข้อมูลส่วนบุคคลที่เกี่ยวข้อง", _or(", ".join(breach.data_types))),
            ("จำนวนเจ้าของข้อมูลส่วนบุคคล", f"{breach.subjects_count:,} ราย"),
            ("จำนวนรายการข้อมูล", f"{breach.records_count:,} รายการ"),
            ("วันเวลาที่เกิดเหตุ", _or(format_datetime(breach.occurred_at), "ยังไม่ทราบ")),
            ("วันเวลาที่ทราบเหตุ", format_datetime(breach.aware_at)),
            ("วันเวลาที่ระงับเหตุ", _or(format_datetime(breach.contained_at), "ยังไม่ได้ระงับ")),
            ("ระบบที่ได้รับผลกระทบ", _or(breach.systems_affected)),
        ],
    )


def _dpo(contact: DpoContact) -> Section:
    return Section(
        ITEM_HEADINGS[1],
        rows=[
            ("ชื่อ", contact.name),
            ("สถานที่ติดต่อ", _or(contact.place)),
            ("โทรศัพท์", contact.phone),
            ("อีเมล", contact.email),
        ],
    )


def _four_items(breach: Breach, assessment: BreachAssessment | None) -> list[Section]:
    return [
        _brief(breach, assessment),
        _dpo(dpo_contact()),
        Section(ITEM_HEADINGS[2], paragraphs=[_or(breach.impact, PENDING)]),
        Section(ITEM_HEADINGS[3], paragraphs=[_or(breach.measures, PENDING)]),
    ]


def _signature() -> list[str]:
    contact = dpo_contact()
    return [f"({contact.name})", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", controller_name()]


def _level(breach: Breach) -> str:
    return str(RiskLevel(breach.risk_level).label) if breach.risk_level else "ยังไม่ได้ประเมิน"


def _base(breach: Breach, kind: str, title: str, subject: str, recipient: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title,
        "controller": controller_name(),
        "reference": breach.reference,
        "date": format_date(timezone.now()),
        "subject": subject,
        "recipient": recipient,
        "signature": _signature(),
    }


def pdpc_notice(breach: Breach) -> BreachDocument:
    """The notice to the PDPC Office with the four items (and the reason, when late)."""
    assessment = breach_assessments(breach).first()
    sections = _four_items(breach, assessment)
    late = breach.pdpc_deadline < (breach.pdpc_notified_at or timezone.now())
    if late or breach.late_reason:
        sections.append(
            Section(
                "เหตุผลที่แจ้งเกินกำหนด 72 ชั่วโมง",
                paragraphs=[_or(breach.late_reason, "(ยังไม่ได้ระบุ)")],
            )
        )
    return BreachDocument(
        **_base(
            breach,
            "pdpc-notice",
            "หนังสือแจ้งเหตุการละเมิดข้อมูลส่วนบุคคล",
            "แจ้งเหตุการละเมิดข้อมูลส่วนบุคคล",
            "เลขาธิการสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล",
        ),
        intro=(
            f"ด้วย{controller_name()} ในฐานะผู้ควบคุมข้อมูลส่วนบุคคล ได้ทราบเหตุการละเมิดข้อมูลส่วนบุคคล "
            f"เมื่อ{format_datetime(breach.aware_at)} และประเมินแล้วว่าเหตุดังกล่าวมีระดับความเสี่ยง: "
            f"{_level(breach)} จึงขอแจ้งเหตุตามมาตรา 37 (4) แห่งพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล "
            "พ.ศ. 2562 และประกาศคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล เรื่อง หลักเกณฑ์และวิธีการในการแจ้งเหตุ"
            "การละเมิดข้อมูลส่วนบุคคล พ.ศ. 2565 ดังนี้"
        ),
        sections=sections,
        closing=["จึงเรียนมาเพื่อโปรดทราบ"],
    )


def subjects_notice(breach: Breach) -> BreachDocument:
    """The notice to the data subjects: the four items and what they can do."""
    sections = _four_items(breach, breach_assessments(breach).first())
    sections.append(
        Section(ADVICE_HEADING, paragraphs=[_or(breach.subject_advice, DEFAULT_ADVICE)])
    )
    return BreachDocument(
        **_base(
            breach,
            "subjects-notice",
            "หนังสือแจ้งเหตุการละเมิดข้อมูลส่วนบุคคลถึงเจ้าของข้อมูลส่วนบุคคล",
            "แจ้งเหตุการละเมิดข้อมูลส่วนบุคคลและแนวทางการเยียวยา",
            "เจ้าของข้อมูลส่วนบุคคลที่ได้รับผลกระทบ",
        ),
        intro=(
            f"{controller_name()} ขอแจ้งให้ท่านทราบว่า เมื่อ{format_datetime(breach.aware_at)} "
            "ได้ทราบเหตุการละเมิดข้อมูลส่วนบุคคลที่อาจกระทบต่อข้อมูลของท่าน ตามมาตรา 37 (4) "
            "แห่งพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 จึงขอแจ้งรายละเอียดดังนี้"
        ),
        sections=sections,
        closing=["ขออภัยในเหตุที่เกิดขึ้น และขอบคุณที่ท่านให้ความร่วมมือ"],
    )


def _assessment_section(breach: Breach) -> Section:
    latest = breach_assessments(breach).first()
    if latest is None:
        return Section("ผลการประเมินความเสี่ยง", paragraphs=["ยังไม่ได้ประเมินความเสี่ยง"])
    rows = []
    for f in risk.FACTORS:
        answer = latest.factors.get(f.key) or {}
        text = risk.choice_label(f.key, answer.get("value", "")) or "-"
        if answer.get("note"):
            text += f" ({answer['note']})"
        rows.append((f"{f.number}. {f.label}", text))
    suggested = (latest.factors.get(risk.SUGGESTED_KEY) or {}).get("value")
    rows.append(("ระดับที่ระบบเสนอ", str(RiskLevel(suggested).label) if suggested else "-"))
    rows.append(("ระดับที่ผู้ประเมินเลือก", str(RiskLevel(latest.level).label)))
    who = latest.assessed_by.get_full_name() or latest.assessed_by.get_username()
    rows.append(("ผู้ประเมิน", f"{who} เมื่อ{format_datetime(latest.assessed_at)}"))
    if latest.note:
        rows.append(("เหตุผลประกอบ", latest.note))
    duty = risk.obligations(latest.level)
    return Section(
        "ผลการประเมินความเสี่ยง (ปัจจัยตามประกาศฯ ข้อ 12)",
        rows=rows,
        paragraphs=[f"หน้าที่ตามระดับความเสี่ยง: {'; '.join(str(x) for x in duty.lines)}"],
    )


def _notices_section(breach: Breach) -> Section:
    def when(value: Any, owed: bool | None) -> str:
        if value:
            return format_datetime(value)
        return "ยังไม่ได้แจ้ง" if owed else "ไม่ต้องแจ้ง"

    rows = [
        ("กำหนดแจ้ง สคส. (72 ชั่วโมงนับแต่ทราบเหตุ)", format_datetime(breach.pdpc_deadline)),
        ("แจ้ง สคส. เมื่อ", when(breach.pdpc_notified_at, breach.notify_pdpc is not False)),
        ("แจ้งเจ้าของข้อมูลเมื่อ", when(breach.subjects_notified_at, breach.notify_subjects)),
    ]
    if breach.late_reason:
        rows.append(("เหตุผลที่แจ้งล่าช้า", breach.late_reason))
    if breach.case_id:
        rows.append(("เรื่องตามกระบวนงานที่ 16", breach.case.reference if breach.case else "-"))
    return Section("การแจ้งเหตุ", rows=rows)


def executive_report(breach: Breach) -> BreachDocument:
    """Process 16 step 7: the report of the breach to the executives."""
    assessment = breach_assessments(breach).first()
    return BreachDocument(
        **_base(
            breach,
            "executive-report",
            "รายงานผลการเกิดเหตุละเมิดข้อมูลส่วนบุคคล",
            f"รายงานผลการเกิดเหตุละเมิดข้อมูลส่วนบุคคล {breach.reference}",
            "ผู้บริหารสำนัก/กอง/ศูนย์",
        ),
        intro=f"ขอรายงานผลการเกิดเหตุละเมิดข้อมูลส่วนบุคคล ระดับความเสี่ยง: {_level(breach)} ดังนี้",
        sections=[
            *_four_items(breach, assessment),
            _assessment_section(breach),
            _notices_section(breach),
        ],
        closing=["จึงเรียนมาเพื่อโปรดทราบและพิจารณา"],
    )


def dpo_summary(breach: Breach) -> BreachDocument:
    """Process 16 step 9: the summary to the DPO, with every assessment kept as evidence."""
    history = [
        (
            format_datetime(a.assessed_at),
            f"{RiskLevel(a.level).label} โดย {a.assessed_by.get_full_name() or a.assessed_by}"
            + (f" — {a.note}" if a.note else ""),
        )
        for a in breach_assessments(breach)
    ]
    return BreachDocument(
        **_base(
            breach,
            "dpo-summary",
            "สรุปรายงานผลการเกิดเหตุละเมิดข้อมูลส่วนบุคคล",
            f"สรุปรายงานผลการเกิดเหตุละเมิดข้อมูลส่วนบุคคล {breach.reference}",
            "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)",
        ),
        intro=f"สรุปผลการดำเนินการต่อเหตุละเมิดข้อมูลส่วนบุคคล สถานะ: {breach.get_status_display()}",
        sections=[
            _brief(breach, breach_assessments(breach).first()),
            Section(ITEM_HEADINGS[2], paragraphs=[_or(breach.impact, PENDING)]),
            Section(ITEM_HEADINGS[3], paragraphs=[_or(breach.measures, PENDING)]),
            _assessment_section(breach),
            Section("ประวัติการประเมินความเสี่ยง (เก็บไว้เป็นหลักฐาน)", rows=history)
            if history
            else Section("ประวัติการประเมินความเสี่ยง", paragraphs=["ยังไม่ได้ประเมิน"]),
            _notices_section(breach),
            Section("ข้อสังเกต", paragraphs=[str(risk.PDPC_NOTE), str(risk.CONTROLLER_NOTE)]),
        ],
        closing=["จึงเรียนมาเพื่อโปรดทราบ"],
    )


DOCUMENTS = {
    "pdpc-notice": pdpc_notice,
    "subjects-notice": subjects_notice,
    "executive-report": executive_report,
    "dpo-summary": dpo_summary,
}
DOCUMENT_LABELS = {
    "pdpc-notice": "หนังสือแจ้ง สคส.",
    "subjects-notice": "หนังสือแจ้งเจ้าของข้อมูล",
    "executive-report": "รายงานเสนอผู้บริหาร",
    "dpo-summary": "สรุปรายงานเสนอ DPO",
}
