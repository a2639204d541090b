"""`krabuan load_demo_privacy` builds what the demo promises and can be run again safely."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from krabuan.org.models import Role
from krabuan.privacy.models import (
    AwarenessActivity,
    DataItem,
    DataProcessingAgreement,
    GroupRole,
    NoticeVersion,
    RopaVersion,
    VersionStatus,
    WorkingGroupMember,
)
from krabuan.privacy.selectors.records import retention_schedule

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        WorkingGroupMember.objects.count(),
        AwarenessActivity.objects.count(),
        DataItem.objects.count(),
        RopaVersion.objects.count(),
        NoticeVersion.objects.count(),
        DataProcessingAgreement.objects.count(),
    )


def test_demo_privacy_is_complete_and_idempotent(demo_org):
    call_command("load_demo_privacy")
    first = _counts()
    call_command("load_demo_privacy")

    assert _counts() == first
    dpo = get_user_model().objects.get(username="dpo")
    assert dpo.memberships.filter(role=Role.DPO).exists()
    assert WorkingGroupMember.objects.filter(role=GroupRole.CHAIR, active=True).count() == 1
    assert WorkingGroupMember.objects.filter(role=GroupRole.REPRESENTATIVE).count() == 2
    published = RopaVersion.objects.filter(status=VersionStatus.PUBLISHED)
    assert published.count() == 2
    assert {v.ropa.activity.unit.code for v in published} == {"ict-network", "ict-strategy"}
    assert all(v.approved_by is not None for v in published)
    notice = NoticeVersion.objects.get(status=VersionStatus.PUBLISHED)
    assert notice.body_th and notice.body_en
    dpa = DataProcessingAgreement.objects.get()
    assert dpa.ends_on is not None
    assert 0 <= (dpa.ends_on - timezone.localdate()).days <= dpa.alert_days
    due, _ = retention_schedule(today=timezone.localdate())
    assert [row.item.name for row in due] == ["บันทึกการเข้าใช้งานเครือข่าย (log)"]


def test_demo_privacy_creates_the_dpo_when_missing(demo_org):
    get_user_model().objects.filter(username="dpo").delete()

    call_command("load_demo_privacy")

    dpo = get_user_model().objects.get(username="dpo")
    assert dpo.memberships.filter(role=Role.DPO, unit__code="ict").exists()
    assert WorkingGroupMember.objects.filter(user=dpo, role=GroupRole.MEMBER, active=True).exists()
    assert RopaVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2
