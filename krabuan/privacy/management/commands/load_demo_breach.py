"""`krabuan load_demo_breach`: one breach in progress so the demo shows a running 72-hour
countdown — aware 20 hours ago, assessed as "risk", the PDPC Office not yet notified — worked
through the real services (so the deadline, the process-16 case and the audit trail are genuine).

Idempotent: a second run keeps the demo breach while its clock runs; once its deadline has
passed (a demo started days later), the demo breach's clock is restarted 20 hours back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from krabuan.core.audit import audit_record
from krabuan.org.models import Role
from krabuan.privacy.models import Breach, BreachChannel
from krabuan.privacy.services.breach_common import deadline_for
from krabuan.privacy.services.breaches import breach_assess, breach_report, breach_update

DEMO_TITLE = "[ตัวอย่าง] ส่งไฟล์รายชื่อเกษตรกรผู้ขอรับความช่วยเหลือไปยังผู้รับภายนอกโดยผิดพลาด"
AWARE_HOURS_AGO = 20
FACTORS = {
    "breach_type": "confidentiality",
    "data_nature": "general",
    "subject_status": "general",
    "harm_severity": "limited",
    "wide_impact": "limited",
    "storage_security": "standard",
    "controller_status": "public_agency",
}


def _dpo() -> Any:
    users = get_user_model().objects.filter(is_active=True)
    found = (
        users.filter(username="dpo").first()
        or users.filter(memberships__role=Role.DPO).order_by("pk").first()
    )
    if found is None:
        raise CommandError("ไม่พบผู้ใช้บทบาท DPO: เรียก `krabuan load_demo_org` ก่อน")
    return found


class Command(BaseCommand):
    help = "Load one demo personal-data breach with a running 72-hour countdown (idempotent)"

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        existing = Breach.objects.filter(title=DEMO_TITLE).first()
        if existing is not None and existing.pdpc_deadline > now + dt.timedelta(hours=1):
            self.stdout.write(f"Demo breach {existing.reference} already running")
            return
        aware_at = now - dt.timedelta(hours=AWARE_HOURS_AGO)
        if existing is not None:
            before = existing.aware_at
            Breach.objects.filter(pk=existing.pk).update(
                aware_at=aware_at, pdpc_deadline=deadline_for(aware_at), escalation_level=0
            )
            audit_record(
                actor=None,
                action="breach.demo_restart",
                obj=existing,
                changes={"aware_at": [before, aware_at]},
            )
            self.stdout.write(f"Demo breach {existing.reference}: clock restarted")
            return
        dpo = _dpo()
        breach = breach_report(
            actor=dpo,
            channel=BreachChannel.INTERNAL,
            title=DEMO_TITLE,
            aware_at=aware_at,
            occurred_at=aware_at - dt.timedelta(hours=3),
            description=(
                "เจ้าหน้าที่แนบไฟล์รายชื่อเกษตรกรผู้ขอรับความช่วยเหลือ (ชื่อ ที่อยู่ เบอร์โทรศัพท์) "
                "ไปกับอีเมลตอบผู้ประสานงานภายนอกโดยผิดพลาด ผู้รับแจ้งกลับว่าได้รับไฟล์"
            ),
            data_types=["ชื่อ-นามสกุล", "ที่อยู่", "เบอร์โทรศัพท์"],
            subjects_count=356,
            records_count=356,
            systems_affected="ระบบอีเมลของสำนักงาน",
        )
        breach_update(
            actor=dpo,
            breach=breach,
            data={
                "contained_at": aware_at + dt.timedelta(hours=2),
                "impact": "เจ้าของข้อมูลอาจได้รับการติดต่อที่ไม่พึงประสงค์หรือถูกแอบอ้าง",
                "measures": (
                    "ขอให้ผู้รับลบไฟล์และยืนยันเป็นลายลักษณ์อักษร เปิดการเข้ารหัสไฟล์แนบ "
                    "และทบทวนขั้นตอนการส่งข้อมูลออกนอกหน่วยงาน"
                ),
            },
        )
        breach_assess(actor=dpo, breach=breach, factors=FACTORS, level="risk")
        self.stdout.write(
            f"Demo breach {breach.reference}: PDPC deadline {breach.pdpc_deadline.isoformat()}"
        )
