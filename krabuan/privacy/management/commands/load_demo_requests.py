"""`krabuan load_demo_requests`: two demo data-subject requests made through the real services
(so deadlines, encryption and the audit trail are genuine): one open access request assigned to
the DPO, one rectification request answered. Needs the demo organisation (load_demo_org); run
after load_demo_privacy when there is one, so the requests point at a demo activity. Idempotent:
requests whose details start with the demo marker are not made twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from krabuan.org.models import Role
from krabuan.privacy.models import DataSubjectRequest, ProcessingActivity, RequestType
from krabuan.privacy.services import requests as services

DEMO_MARKER = "[ตัวอย่าง]"


def _dpo() -> Any:
    user = (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.DPO)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise CommandError("ไม่พบผู้ใช้บทบาท DPO: รัน `krabuan load_demo_org` ก่อน")
    return user


class Command(BaseCommand):
    help = "Load two demo data-subject requests (one open, one completed)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if DataSubjectRequest.objects.filter(details__startswith=DEMO_MARKER).exists():
            self.stdout.write("demo requests already loaded")
            return
        dpo = _dpo()
        activity = ProcessingActivity.objects.filter(active=True).order_by("pk").first()
        now = timezone.now()
        open_request = services.request_create(
            actor=dpo,
            type=RequestType.ACCESS,
            name="นางสาวสมใจ ตัวอย่าง",
            email="somjai@example.com",
            phone="0812345678",
            address="99 ถนนราชดำเนินนอก แขวงบ้านพานถม เขตพระนคร กรุงเทพมหานคร 10200",
            details=f"{DEMO_MARKER} ขอสำเนาข้อมูลส่วนบุคคลของข้าพเจ้าที่ใช้ในการลงทะเบียนอบรม",
            activity_id=activity.pk if activity else None,
            received_at=now - dt.timedelta(days=10),
        )
        services.request_assign(actor=dpo, request=open_request, assignee=dpo)
        done = services.request_create(
            actor=dpo,
            type=RequestType.RECTIFICATION,
            name="นายสมชาย ตัวอย่าง",
            email="somchai@example.com",
            phone="",
            address="",
            details=f"{DEMO_MARKER} ขอแก้ไขนามสกุลที่สะกดผิดในทะเบียนผู้ใช้บริการ",
            activity_id=activity.pk if activity else None,
            received_at=now - dt.timedelta(days=20),
        )
        services.request_verify_identity(
            actor=dpo, request=done, method="ตรวจสำเนาบัตรประจำตัวประชาชนที่ส่งทางอีเมล"
        )
        services.request_complete(
            actor=dpo,
            request=done,
            response="แก้ไขนามสกุลในทะเบียนผู้ใช้บริการให้ถูกต้องแล้ว และแจ้งหน่วยงานที่ได้รับข้อมูลให้แก้ไขตามแล้ว",
        )
        self.stdout.write(
            f"demo requests: {open_request.reference} (open), {done.reference} (completed)"
        )
