"""Shared builders of the records tests (no tests here): units, activities with items, complete
RoPA content, a RoPA taken through approval and publication, a catalog dataset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from krabuan.catalog.models import Dataset, Organization
from krabuan.org.models import Role, UnitKind
from krabuan.org.tests.factories import UnitFactory, UserFactory, membership_add
from krabuan.privacy.models import ProcessingActivity, Ropa, RopaKind, RopaVersion
from krabuan.privacy.services import inventory, ropa

CONTROLLER = {
    "name": "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์",
    "address": "3 ถนนราชดำเนินนอก กรุงเทพมหานคร",
    "contact": "02 000 0000",
    "dpo_name": "นางสาวคุ้มครอง ข้อมูล",
    "dpo_contact": "dpo@example.go.th",
}


def ict_unit():
    return UnitFactory(
        code="ict", name="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", short_name="ศทส.", kind=UnitKind.DIVISION
    )


def other_unit():
    return UnitFactory(code="other-unit", name="กองอื่น", kind=UnitKind.DIVISION)


def dpo_user(username: str = "t-dpo"):
    user = UserFactory(username=username, first_name="ดีพีโอ")
    membership_add(user=user, role=Role.DPO, unit=ict_unit())
    return user


def make_activity(
    actor: Any, *, unit=None, name: str = "ให้บริการศูนย์บริการ ICT", sensitive: bool = False
) -> ProcessingActivity:
    activity = inventory.processing_activity_create(
        actor=actor, unit=unit or ict_unit(), name=name, description="รับแจ้งปัญหา"
    )
    inventory.data_item_create(
        actor=actor,
        activity=activity,
        name="ชื่อ-นามสกุล",
        category="ข้อมูลระบุตัวตน",
        data_subjects="ผู้ขอรับบริการ",
        source="แบบฟอร์ม",
        storage="ฐานข้อมูลระบบแจ้งปัญหา",
        retention_months=24,
        collected_since=timezone.localdate() - dt.timedelta(days=100),
    )
    if sensitive:
        inventory.data_item_create(
            actor=actor,
            activity=activity,
            name="ข้อมูลสุขภาพ",
            sensitive=True,
            data_subjects="ผู้ขอรับบริการ",
            source="แบบฟอร์ม",
            storage="แฟ้มเอกสาร",
            retention_text="จนกว่าจะสิ้นสุดการให้บริการ",
        )
    return activity


def complete_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "data_collected": "ชื่อ-นามสกุล หมายเลขโทรศัพท์",
        "purposes": [{"data": "ชื่อ-นามสกุล", "purpose": "ติดต่อกลับผู้ขอรับบริการ"}],
        "controller": dict(CONTROLLER),
        "retention": "5 ปี",
        "access_rights": "เฉพาะเจ้าหน้าที่ผู้รับผิดชอบ",
        "exempt_disclosures": "ไม่มี",
        "refusals_note": "ไม่มี",
        "security_measures": "มาตรการเชิงองค์กร เทคนิค และกายภาพ",
        "lawful_bases": ["s24_4"],
        "recipients": "ผู้รับจ้างบำรุงรักษา",
        "transfers_abroad": "ไม่มี",
    }
    data.update(overrides)
    return data


def processor_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "processor_details": {
            "name": "ศทส.",
            "contact": "02 111 1111",
            "dpo_name": "",
            "dpo_contact": "",
        },
        "controllers": [{"name": "กรมตัวอย่าง", "address": "กรุงเทพ", "contact": "02 222 2222"}],
        "processing_nature": "ดูแลระบบฐานข้อมูลเกษตรกรแทนกรม",
        "transfers_abroad": "ไม่มี",
        "security_measures": "สำรองข้อมูลและเข้ารหัส",
    }
    data.update(overrides)
    return data


def approved_version(
    activity: ProcessingActivity, *, editor: Any, approver: Any, data: dict[str, Any] | None = None
) -> RopaVersion:
    record = ropa.ropa_create(actor=editor, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_draft_save(actor=editor, ropa=record, data=data or complete_data())
    version = ropa.ropa_submit(actor=editor, version=version)
    return ropa.ropa_approve(actor=approver, version=version, note="เห็นชอบ")


def published_version(
    activity: ProcessingActivity, *, editor: Any, approver: Any, data: dict[str, Any] | None = None
) -> RopaVersion:
    version = approved_version(activity, editor=editor, approver=approver, data=data)
    return ropa.ropa_publish(actor=approver, version=version)


def ropa_of(activity: ProcessingActivity, kind: str = RopaKind.CONTROLLER) -> Ropa:
    return Ropa.objects.get(activity=activity, kind=kind)


def make_dataset(title: str = "ชุดข้อมูลผู้ขอรับบริการ") -> Dataset:
    org, _ = Organization.objects.get_or_create(name="ict-org", defaults={"title": "ศทส."})
    now = timezone.now()
    return Dataset.objects.create(
        name=f"ds-{Dataset.objects.count() + 1}",
        title=title,
        owner_org=org,
        data_type="ข้อมูลระเบียน",
        maintainer="ศทส.",
        maintainer_email="ict@example.go.th",
        notes="ตัวอย่าง",
        update_frequency_unit="ปี",
        geo_coverage="ประเทศ",
        data_source="ศทส.",
        data_category="ข้อมูลสาธารณะ",
        license_id="Open Data Common",
        accessible_condition="-",
        metadata_created=now,
        metadata_modified=now,
    )
