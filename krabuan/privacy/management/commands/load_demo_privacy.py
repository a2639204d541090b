"""`krabuan load_demo_privacy`: the privacy records of the demo, made through the real services
(so approvals, publication and the audit trail are genuine): the working group and unit
representatives, an awareness activity, the inventory and a published RoPA for two units, a
published Thai/English privacy notice, an agreement that ends soon and one data item due for
destruction. Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from krabuan.catalog.models import Dataset, State
from krabuan.org.models import Membership, Preference, Role, Unit
from krabuan.org.services.demo import demo_org_load
from krabuan.privacy.models import (
    AwarenessActivity,
    DataItem,
    DataProcessingAgreement,
    DpaRole,
    GroupRole,
    PrivacyNotice,
    ProcessingActivity,
    RopaKind,
    VersionStatus,
    WorkingGroupMember,
)
from krabuan.privacy.services import dpas, inventory, members, notices, ropa

ORDER = "คำสั่ง สป.กษ. ที่ 123/2567 (ตัวอย่าง)"
CONTROLLER = {
    "name": "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์",
    "address": "3 ถนนราชดำเนินนอก แขวงบ้านพานถม เขตพระนคร กรุงเทพมหานคร 10200",
    "contact": "โทร 0 2281 5955 · saraban@opsmoac.go.th (ตัวอย่าง)",
    "dpo_name": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล สป.กษ.",
    "dpo_contact": "dpo@opsmoac.go.th (ตัวอย่าง)",
}
SECURITY = (
    "มาตรการเชิงองค์กร: นโยบายการคุ้มครองข้อมูลส่วนบุคคล กำหนดผู้รับผิดชอบและผู้มีสิทธิเข้าถึง\n"
    "มาตรการเชิงเทคนิค: ยืนยันตัวตนก่อนเข้าระบบ เข้ารหัสการรับส่ง (HTTPS) สำรองข้อมูลทุกวัน\n"
    "มาตรการทางกายภาพ: เครื่องแม่ข่ายอยู่ในห้องควบคุมการเข้าออก\n"
    "การควบคุมการเข้าถึง: ให้สิทธิเท่าที่จำเป็น ทบทวนสิทธิทุกปี เก็บบันทึกการเข้าถึง แก้ไข ลบ และโอนข้อมูล\n"
    "การสร้างความตระหนักและการทบทวน: อบรมเจ้าหน้าที่ปีละครั้ง ทบทวนมาตรการเมื่อเกิดเหตุละเมิด"
)

# (unit code, approver username, activity, description, items, purposes, bases, retention)
ACTIVITIES: list[dict[str, Any]] = [
    {
        "unit": "ict-network",
        "approver": "director",
        "name": "ให้บริการศูนย์บริการ ICT (ICT Service Center)",
        "description": "รับแจ้งปัญหาและคำขอใช้บริการด้านคอมพิวเตอร์และเครือข่ายของเจ้าหน้าที่ สป.กษ.",
        "items": [
            ("ชื่อ-นามสกุลผู้ขอรับบริการ", "ข้อมูลระบุตัวตน", False, 60, -365),
            ("หมายเลขโทรศัพท์และอีเมล", "ข้อมูลติดต่อ", False, 60, -365),
            ("บันทึกการเข้าใช้งานเครือข่าย (log)", "ข้อมูลจราจรทางคอมพิวเตอร์", False, 3, -120),
        ],
        "purposes": [
            ("ชื่อ-นามสกุล หมายเลขโทรศัพท์และอีเมล", "ติดต่อกลับและติดตามการให้บริการ"),
            ("บันทึกการเข้าใช้งานเครือข่าย", "ปฏิบัติตามพระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์"),
        ],
        "bases": ["s24_4", "s24_6"],
        "retention": "ข้อมูลคำขอบริการ 5 ปี บันทึกการเข้าใช้งานเครือข่าย 90 วัน",
        "recipients": "ผู้รับจ้างบำรุงรักษาระบบ (ตามข้อตกลงการประมวลผลข้อมูล)",
    },
    {
        "unit": "ict-strategy",
        "approver": "head.strategy",
        "name": "รับสมัครผู้เข้าอบรมหลักสูตรด้านดิจิทัล",
        "description": "รับสมัคร คัดเลือก และจัดอบรมหลักสูตรพัฒนาทักษะดิจิทัลให้บุคลากร",
        "items": [
            ("ชื่อ-นามสกุล ตำแหน่ง สังกัด", "ข้อมูลระบุตัวตน", False, 36, -200),
            ("ข้อจำกัดด้านอาหารและสุขภาพ", "ข้อมูลสุขภาพ", True, 12, -200),
        ],
        "purposes": [
            ("ชื่อ-นามสกุล ตำแหน่ง สังกัด", "คัดเลือกผู้เข้าอบรมและออกวุฒิบัตร"),
            ("ข้อจำกัดด้านอาหารและสุขภาพ", "จัดอาหารและดูแลความปลอดภัยระหว่างการอบรม"),
        ],
        "bases": ["s24_4", "explicit_consent"],
        "retention": "ข้อมูลผู้เข้าอบรม 3 ปี ข้อมูลสุขภาพทำลายภายใน 1 ปีหลังการอบรม",
        "recipients": "วิทยากรและผู้ประสานงานหลักสูตร",
    },
]


class Command(BaseCommand):
    help = (
        "Load the demo privacy records (working group, inventory, RoPA, notice, DPA). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Unit.objects.filter(code="ict").exists():
            demo_org_load()
        with transaction.atomic():
            users = _users()
            actor = users["dpo"]
            _group(users)
            _awareness(actor, users)
            created = [_activity(actor, users, spec) for spec in ACTIVITIES]
            _notice(actor, users, created[0])
            _dpa(actor, created[0])
        self.stdout.write(self.style.SUCCESS("โหลดข้อมูลตัวอย่างด้านการคุ้มครองข้อมูลส่วนบุคคลแล้ว"))


def _users() -> dict[str, Any]:
    User = get_user_model()
    wanted = ["director", "head.strategy", "officer.strategy", "officer.network", "dpo"]
    found = {u.username: u for u in User.objects.filter(username__in=wanted)}
    if "dpo" not in found:
        found["dpo"] = _dpo_user()
    missing = [name for name in wanted if name not in found]
    if missing:
        demo_org_load()
        found = {u.username: u for u in User.objects.filter(username__in=wanted)}
    return found


def _dpo_user() -> Any:
    """The demo DPO, made as the demo organisation makes its users."""
    User = get_user_model()
    password = os.environ.get("KRABUAN_DEMO_PASSWORD", "")
    user, created = User.objects.get_or_create(
        username="dpo",
        defaults={"first_name": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", "email": "dpo@example.org"},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code="ict"), role=Role.DPO)
    Preference.objects.get_or_create(user=user)
    return user


def _group(users: dict[str, Any]) -> None:
    appointed = timezone.localdate() - dt.timedelta(days=300)
    for username, unit_code, role in (
        ("director", "ict", GroupRole.CHAIR),
        ("dpo", "ict", GroupRole.MEMBER),
        ("officer.strategy", "ict-strategy", GroupRole.SECRETARY),
        ("head.strategy", "ict-strategy", GroupRole.REPRESENTATIVE),
        ("officer.network", "ict-network", GroupRole.REPRESENTATIVE),
    ):
        unit = Unit.objects.get(code=unit_code)
        if WorkingGroupMember.objects.filter(user=users[username], unit=unit, role=role).exists():
            continue
        members.member_appoint(
            actor=users["dpo"],
            user=users[username],
            unit=unit,
            role=role,
            appointed_on=appointed,
            order_reference=ORDER,
        )


def _awareness(actor: Any, users: dict[str, Any]) -> None:
    title = "อบรมการปฏิบัติตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 (ตัวอย่าง)"
    if AwarenessActivity.objects.filter(title=title).exists():
        return
    activity = members.awareness_create(
        actor=actor,
        title=title,
        held_on=timezone.localdate() - dt.timedelta(days=60),
        unit=Unit.objects.get(code="ict"),
        description="บรรยายหลักการ ฐานทางกฎหมาย สิทธิของเจ้าของข้อมูล และการแจ้งเหตุละเมิดภายใน 72 ชั่วโมง",
    )
    for username in ("head.strategy", "officer.strategy", "officer.network"):
        members.attendance_add(actor=actor, activity=activity, user=users[username])
    members.attendance_add(actor=actor, activity=activity, name="ผู้เข้าร่วมจากกองคลัง (ตัวอย่าง)")


def _activity(actor: Any, users: dict[str, Any], spec: dict[str, Any]) -> ProcessingActivity:
    unit = Unit.objects.get(code=spec["unit"])
    activity = ProcessingActivity.objects.filter(unit=unit, name=spec["name"]).first()
    if activity is None:
        activity = inventory.processing_activity_create(
            actor=actor, unit=unit, name=spec["name"], description=spec["description"]
        )
    today = timezone.localdate()
    dataset = Dataset.objects.exclude(state=State.DELETED).order_by("title").first()
    for name, category, sensitive, months, since in spec["items"]:
        if DataItem.objects.filter(activity=activity, name=name).exists():
            continue
        inventory.data_item_create(
            actor=actor,
            activity=activity,
            name=name,
            category=category,
            sensitive=sensitive,
            data_subjects="เจ้าหน้าที่ สป.กษ." if spec["unit"] == "ict-network" else "ผู้สมัครเข้าอบรม",
            source="แบบฟอร์มออนไลน์"
            if spec["unit"] == "ict-strategy"
            else "ระบบแจ้งปัญหาและอุปกรณ์เครือข่าย",
            storage="ฐานข้อมูลบนเครื่องแม่ข่ายของ ศทส.",
            retention_months=months,
            collected_since=today + dt.timedelta(days=since),
            datasets=[dataset] if dataset is not None and not sensitive else [],
        )
    _ropa(actor, users, activity, spec)
    return activity


def _ropa(
    actor: Any, users: dict[str, Any], activity: ProcessingActivity, spec: dict[str, Any]
) -> None:
    record = ropa.ropa_create(actor=actor, activity=activity, kind=RopaKind.CONTROLLER)
    if record.versions.filter(status=VersionStatus.PUBLISHED).exists():
        return
    items = list(activity.data_items.order_by("pk"))
    version = ropa.ropa_draft_save(
        actor=actor,
        ropa=record,
        data={
            "data_collected": "\n".join(
                f"{i.name} ({i.category})" + (" [ข้อมูลอ่อนไหว]" if i.sensitive else "") for i in items
            ),
            "purposes": [{"data": d, "purpose": p} for d, p in spec["purposes"]],
            "controller": CONTROLLER,
            "retention": spec["retention"],
            "access_rights": "เฉพาะเจ้าหน้าที่ผู้รับผิดชอบกิจกรรมตามสิทธิที่ได้รับมอบหมาย "
            "เจ้าของข้อมูลขอเข้าถึงได้ทางแบบฟอร์มคำขอใช้สิทธิ",
            "exempt_disclosures": "ไม่มี",
            "refusals_note": "ไม่มี",
            "security_measures": SECURITY,
            "lawful_bases": spec["bases"],
            "recipients": spec["recipients"],
            "transfers_abroad": "ไม่มี",
        },
    )
    if version.status == VersionStatus.DRAFT:
        version = ropa.ropa_submit(actor=actor, version=version)
    if version.status == VersionStatus.SUBMITTED:
        version = ropa.ropa_approve(
            actor=users[spec["approver"]], version=version, note="ตรวจสอบแล้ว ครบถ้วนตามมาตรา 39"
        )
    ropa.ropa_publish(actor=actor, version=version)


NOTICE_TH = "\n".join(
    [
        "# ประกาศความเป็นส่วนตัว ศูนย์บริการ ICT",
        "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์ (“สำนักงาน”) เก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคล"
        "ของผู้ขอรับบริการ ดังนี้",
        "",
        "## ข้อมูลที่เก็บรวบรวม",
        "- ชื่อ-นามสกุล หมายเลขโทรศัพท์ และอีเมลของผู้ขอรับบริการ",
        "- บันทึกการเข้าใช้งานเครือข่าย",
        "",
        "## วัตถุประสงค์และฐานทางกฎหมาย",
        "ติดต่อกลับและติดตามการให้บริการ ตามภารกิจของรัฐ (มาตรา 24 (4)) "
        "และเก็บบันทึกการเข้าใช้งานตามกฎหมาย (มาตรา 24 (6))",
        "",
        "## ระยะเวลาเก็บรักษา",
        "ข้อมูลคำขอบริการ **5 ปี** บันทึกการเข้าใช้งานเครือข่าย **90 วัน**",
        "",
        "## สิทธิของท่าน",
        "ท่านมีสิทธิขอเข้าถึง ขอรับสำเนา ขอแก้ไข ขอลบ ขอระงับการใช้ และคัดค้านการประมวลผลข้อมูลของท่าน "
        "โดยยื่นคำขอใช้สิทธิทางแบบฟอร์มออนไลน์",
        "",
        "## ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
        "dpo@opsmoac.go.th (ตัวอย่าง)",
    ]
)
NOTICE_EN = "\n".join(
    [
        "# Privacy notice: ICT Service Center",
        "The Office of the Permanent Secretary, Ministry of Agriculture and Cooperatives "
        "(“the Office”) collects, uses and discloses the personal data of people who request "
        "its ICT services as follows.",
        "",
        "## Data collected",
        "- Name, telephone number and e-mail address of the requester",
        "- Network access logs",
        "",
        "## Purposes and lawful bases",
        "To contact requesters and follow up their requests, as a public task (s.24 (4)); "
        "access logs are kept as the law requires (s.24 (6)).",
        "",
        "## Retention",
        "Service requests **5 years**; network access logs **90 days**.",
        "",
        "## Your rights",
        "You may ask to access, obtain a copy of, rectify, erase or restrict your data, and "
        "object to its processing, through the online request form.",
        "",
        "## Data protection officer",
        "dpo@opsmoac.go.th (example)",
    ]
)


def _notice(actor: Any, users: dict[str, Any], activity: ProcessingActivity) -> None:
    notice = PrivacyNotice.objects.filter(slug="ict-service-center").first()
    if notice is None:
        notice = notices.notice_create(
            actor=actor,
            slug="ict-service-center",
            title="ประกาศความเป็นส่วนตัว ศูนย์บริการ ICT",
            title_en="Privacy notice: ICT Service Center",
            unit=activity.unit,
            activity=activity,
        )
    if notice.versions.filter(status=VersionStatus.PUBLISHED).exists():
        return
    version = notices.notice_draft_save(
        actor=actor, notice=notice, body_th=NOTICE_TH, body_en=NOTICE_EN
    )
    if version.status == VersionStatus.DRAFT:
        version = notices.notice_submit(actor=actor, version=version)
    if version.status == VersionStatus.SUBMITTED:
        version = notices.notice_approve(actor=users["director"], version=version)
    notices.notice_publish(actor=actor, version=version)


def _dpa(actor: Any, activity: ProcessingActivity) -> None:
    counterpart = "บริษัท ตัวอย่างคลาวด์ จำกัด"
    if DataProcessingAgreement.objects.filter(counterpart=counterpart).exists():
        return
    today = timezone.localdate()
    dpas.dpa_create(
        actor=actor,
        counterpart=counterpart,
        role=DpaRole.WE_CONTROL,
        scope="ให้บริการระบบแจ้งปัญหาบนคลาวด์ และบำรุงรักษาฐานข้อมูลคำขอบริการของศูนย์บริการ ICT",
        unit=activity.unit,
        activity=activity,
        starts_on=today - dt.timedelta(days=345),
        ends_on=today + dt.timedelta(days=20),
        alert_days=30,
    )
