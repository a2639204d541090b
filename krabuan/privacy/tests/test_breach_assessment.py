"""The risk assessment: the seven factors of clause 12, the suggested level, the level the
assessor chooses (higher allowed, lower only with a reason), the obligations each level brings,
and every assessment kept as evidence."""

from __future__ import annotations

import pytest

from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.privacy import risk
from krabuan.privacy.models import BreachAssessment, BreachStatus
from krabuan.privacy.services.breaches import breach_assess
from krabuan.privacy.tests.breach_helpers import (
    FACTORS_HIGH,
    FACTORS_NONE,
    FACTORS_RISK,
    dpo_user,
    load_breach_process,
    report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(demo_org):
    return dpo_user()


def test_the_seven_factors_follow_the_notification_with_the_controller_note():
    assert [f.key for f in risk.FACTORS] == [
        "breach_type",
        "data_nature",
        "subject_status",
        "harm_severity",
        "wide_impact",
        "storage_security",
        "controller_status",
    ]
    assert str(risk.factor("controller_status").label) == "สถานะทางกฎหมายของผู้ควบคุมข้อมูลส่วนบุคคล"
    assert "ผู้ควบคุมข้อมูลส่วนบุคคล" in str(risk.CONTROLLER_NOTE)
    assert "เจ้าของข้อมูล" in str(risk.CONTROLLER_NOTE)
    assert [c.value for c in risk.factor("breach_type").choices] == [
        "availability",
        "integrity",
        "confidentiality",
        "combined",
    ]


@pytest.mark.parametrize(
    ("factors", "level"),
    [
        (FACTORS_NONE, "none"),
        (FACTORS_RISK, "risk"),
        (FACTORS_HIGH, "high"),
        ({**FACTORS_RISK, "harm_severity": "severe"}, "high"),
        ({**FACTORS_RISK, "harm_severity": "significant", "subject_status": "vulnerable"}, "high"),
        # Unlikely harm, but minors' data: not "no risk".
        ({**FACTORS_NONE, "subject_status": "vulnerable"}, "risk"),
    ],
)
def test_suggested_level(factors, level):
    assert risk.suggest(factors).level == level


@pytest.mark.parametrize(
    ("level", "pdpc", "subjects", "status"),
    [
        ("none", False, False, BreachStatus.REMEDIATING),
        ("risk", True, False, BreachStatus.NOTIFYING),
        ("high", True, True, BreachStatus.NOTIFYING),
    ],
)
def test_level_sets_the_obligations(dpo, level, pdpc, subjects, status):
    factors = {"none": FACTORS_NONE, "risk": FACTORS_RISK, "high": FACTORS_HIGH}[level]
    breach = report(dpo)
    assessment = breach_assess(actor=dpo, breach=breach, factors=factors, level=level)
    breach.refresh_from_db()
    assert (breach.risk_level, breach.notify_pdpc, breach.notify_subjects) == (
        level,
        pdpc,
        subjects,
    )
    assert breach.status == status
    assert (assessment.notify_pdpc, assessment.notify_subjects) == (pdpc, subjects)
    assert assessment.factors["harm_severity"]["value"] == factors["harm_severity"]
    assert assessment.factors["_suggested"]["value"] == level


def test_higher_than_suggested_is_allowed_lower_needs_a_reason(dpo):
    breach = report(dpo)
    breach_assess(actor=dpo, breach=breach, factors=FACTORS_RISK, level="high")
    with pytest.raises(ApplicationError) as caught:
        breach_assess(actor=dpo, breach=breach, factors=FACTORS_HIGH, level="none")
    assert caught.value.fields["note"] == ["เลือกระดับต่ำกว่าที่ระบบเสนอ (มีความเสี่ยงสูง) ต้องระบุเหตุผล"]
    breach.refresh_from_db()
    assert breach.risk_level == "high"
    breach_assess(
        actor=dpo,
        breach=breach,
        factors=FACTORS_HIGH,
        level="risk",
        note="ข้อมูลถูกลบจากกล่องจดหมายผู้รับแล้ว มีหลักฐานยืนยัน",
    )
    breach.refresh_from_db()
    assert (breach.risk_level, breach.notify_subjects) == ("risk", False)
    # Every assessment is kept as evidence, newest first.
    assert list(BreachAssessment.objects.filter(breach=breach).values_list("level", flat=True)) == [
        "risk",
        "high",
    ]
    assert AuditEntry.objects.filter(action="breach.assess", object_id=str(breach.pk)).count() == 2


def test_missing_and_unknown_factors_are_named_in_thai(dpo):
    breach = report(dpo)
    factors = {**FACTORS_RISK, "breach_type": "leak"}
    del factors["harm_severity"]
    with pytest.raises(ApplicationError) as caught:
        breach_assess(actor=dpo, breach=breach, factors=factors, level="extreme")
    fields = caught.value.fields
    assert fields["harm_severity"] == [
        "กรุณาเลือก “ความร้ายแรงของผลกระทบและความเสียหาย และประสิทธิผลของมาตรการป้องกันหรือแก้ไข” (ปัจจัยข้อ 4)"
    ]
    assert fields["breach_type"][0].startswith("“ลักษณะและประเภทของการละเมิด” ต้องเป็นค่าใดค่าหนึ่ง")
    assert "ระดับความเสี่ยงต้องเป็น" in fields["level"][0]
    assert BreachAssessment.objects.count() == 0


def test_only_the_privacy_team_assesses(dpo, officer):
    breach = report(dpo)
    with pytest.raises(PermissionDenied):
        breach_assess(actor=officer, breach=breach, factors=FACTORS_HIGH, level="high")
    assert BreachAssessment.objects.count() == 0


def test_assessing_a_public_report_starts_its_case(dpo, tmp_path):
    load_breach_process(tmp_path)
    breach = report(None, channel="public", reporter_contact="somchai@example.org")
    assert breach.case is None
    breach_assess(actor=dpo, breach=breach, factors=FACTORS_RISK, level="risk")
    breach.refresh_from_db()
    assert breach.case is not None and breach.case.process.number == 16
