"""Shared setup of the request and dashboard tests: the privacy team, an activity with its RoPA,
a valid public submission, and a clean cache (rate limits and used challenges live there)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from krabuan.catalog.models import Dataset, Organization, Resource
from krabuan.org.models import Role, Unit, UnitKind
from krabuan.org.tests.factories import UserFactory, membership_add
from krabuan.privacy.models import (
    DataSubjectRequest,
    GroupRole,
    NoticeVersion,
    PrivacyNotice,
    ProcessingActivity,
    Ropa,
    RopaKind,
    VersionStatus,
    WorkingGroupMember,
)
from krabuan.privacy.services.requests import request_submit_public

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def clear_cache() -> Any:
    """Each test starts with no rate-limit history and no spent challenges."""
    cache.clear()
    yield
    cache.clear()


def unit(code: str = "ict-data", name: str = "กลุ่มบริหารข้อมูลการเกษตร") -> Unit:
    found, _created = Unit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": UnitKind.GROUP}
    )
    return found


def dpo_user(username: str = "t-dpo") -> Any:
    user = UserFactory(username=username, first_name="ดีพีโอ")
    membership_add(user=user, role=Role.DPO)
    return user


def group_member(user: Any, role: str = GroupRole.MEMBER) -> WorkingGroupMember:
    return WorkingGroupMember.objects.create(
        user=user, unit=unit(), role=role, appointed_on=dt.date(2024, 1, 1)
    )


def activity(name: str = "ลงทะเบียนผู้เข้าอบรม", *, owner: Unit | None = None) -> ProcessingActivity:
    return ProcessingActivity.objects.create(unit=owner or unit(), name=name)


def ropa_for(target: ProcessingActivity) -> Ropa:
    return Ropa.objects.create(activity=target, kind=RopaKind.CONTROLLER)


def submit(**overrides: Any) -> DataSubjectRequest:
    """A valid public submission; keyword arguments replace fields."""
    values: dict[str, Any] = {
        "type": "access",
        "name": "นางสาวสมใจ ใจดี",
        "email": "somjai@example.com",
        "phone": "081-234-5678",
        "address": "99 ถนนราชดำเนินนอก กรุงเทพฯ 10200",
        "details": "ขอสำเนาข้อมูลการลงทะเบียนอบรมของข้าพเจ้า",
        "activity_id": None,
        "ip": "203.0.113.7",
    }
    values.update(overrides)
    return request_submit_public(**values)


def thai_id(first12: str = "110170023070") -> str:
    """A Thai national ID with a valid check digit."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def published_notice(
    body_th: str, *, slug: str = "training", owner: Unit | None = None
) -> PrivacyNotice:
    notice = PrivacyNotice.objects.create(
        slug=slug, title="ประกาศความเป็นส่วนตัว การอบรม", unit=owner or unit()
    )
    NoticeVersion.objects.create(
        notice=notice,
        number=1,
        status=VersionStatus.PUBLISHED,
        body_th=body_th,
        published_at=timezone.now(),
    )
    return notice


def public_dataset(*, name: str | None = None, title: str = "สถิติการเกษตร") -> Dataset:
    """A public, active dataset with the DGA items filled in."""
    serial = next(_serial)
    org, _created = Organization.objects.get_or_create(
        name="opsmoac", defaults={"title": "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์"}
    )
    now = timezone.now()
    return Dataset.objects.create(
        name=name or f"privacy-ds-{serial}",
        title=title,
        owner_org=org,
        private=False,
        data_type="ข้อมูลสถิติ",
        maintainer="กลุ่มสารสนเทศ",
        maintainer_email="data@example.go.th",
        notes="ชุดข้อมูลทดสอบ",
        objective=["พันธกิจหน่วยงาน"],
        update_frequency_unit="ปี",
        update_frequency_interval="1",
        geo_coverage="ประเทศ",
        data_source="สำนักงานปลัดกระทรวงเกษตรและสหกรณ์",
        data_format=["CSV"],
        data_category="ข้อมูลสาธารณะ",
        data_classification="เปิดเผย",
        license_id="Open Data Common",
        accessible_condition="ไม่มี",
        metadata_created=now,
        metadata_modified=now,
    )


def uploaded_resource(dataset: Dataset, content: bytes, filename: str = "people.csv") -> Resource:
    from django.core.files.base import ContentFile

    now = timezone.now()
    resource = Resource(
        dataset=dataset,
        name=filename,
        format="CSV",
        url_type="upload",
        created=now,
        metadata_modified=now,
    )
    resource.upload.save(filename, ContentFile(content), save=False)
    resource.save()
    return resource
