"""Shapes of the breach API. Requests are documented here but validated by the services, which
name every bad field in Thai; responses are plain serializers of the records."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from krabuan.privacy import risk
from krabuan.privacy.models import Breach, BreachAssessment, RiskLevel


class BreachCreateSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="ชื่อเหตุ (ไม่เกิน 300 ตัวอักษร)")
    aware_at = serializers.CharField(
        help_text="วันเวลาที่ทราบเหตุ ISO 8601 พร้อมเขตเวลา เช่น 2026-11-21T09:00:00+07:00"
    )
    description = serializers.CharField(help_text="รายละเอียดเหตุ")
    data_types = serializers.ListField(
        child=serializers.CharField(), help_text="ประเภทข้อมูลส่วนบุคคลที่เกี่ยวข้อง"
    )
    subjects_count = serializers.IntegerField(min_value=0, help_text="จำนวนเจ้าของข้อมูล")
    records_count = serializers.IntegerField(min_value=0, help_text="จำนวนรายการข้อมูล")
    occurred_at = serializers.CharField(required=False, help_text="วันเวลาที่เกิดเหตุ (ถ้าทราบ)")
    systems_affected = serializers.CharField(required=False)
    channel = serializers.CharField(
        required=False, help_text="internal (ค่าเริ่มต้น) หรือ processor (ผู้ประมวลผลข้อมูลแจ้ง)"
    )


def _factor_fields() -> dict[str, Any]:
    return {
        f.key: serializers.ChoiceField(
            choices=[c.value for c in f.choices], help_text=f"ปัจจัยข้อ {f.number}: {f.label}"
        )
        for f in risk.FACTORS
    }


AssessmentRequestSerializer = type(
    "BreachAssessmentRequest",
    (serializers.Serializer,),
    {
        **_factor_fields(),
        "level": serializers.ChoiceField(choices=RiskLevel.values),
        "note": serializers.CharField(
            required=False, help_text="เหตุผล (จำเป็นเมื่อเลือกระดับต่ำกว่าที่ระบบเสนอ)"
        ),
        "notes": serializers.DictField(
            child=serializers.CharField(), required=False, help_text="คำอธิบายรายปัจจัย"
        ),
    },
)


class AssessmentResultSerializer(serializers.Serializer):
    assessment_id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RiskLevel.values)
    suggested_level = serializers.ChoiceField(choices=RiskLevel.values)
    notify_pdpc = serializers.BooleanField()
    pdpc_deadline = serializers.DateTimeField(allow_null=True)
    notify_subjects = serializers.BooleanField()


class NoticeRequestSerializer(serializers.Serializer):
    notified_at = serializers.CharField(help_text="ISO 8601 พร้อมเขตเวลา")
    late_reason = serializers.CharField(
        required=False, help_text="จำเป็นเมื่อแจ้ง สคส. หลังครบ 72 ชั่วโมง"
    )


class BreachSerializer(serializers.ModelSerializer):
    risk_level = serializers.ChoiceField(choices=RiskLevel.values, allow_null=True)

    class Meta:
        model = Breach
        fields = [
            "id",
            "reference",
            "title",
            "channel",
            "status",
            "aware_at",
            "pdpc_deadline",
            "risk_level",
            "notify_pdpc",
            "notify_subjects",
            "pdpc_notified_at",
            "subjects_notified_at",
            "subjects_count",
            "records_count",
            "data_types",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = BreachAssessment
        fields = [
            "id",
            "level",
            "notify_pdpc",
            "notify_subjects",
            "factors",
            "note",
            "assessed_by",
            "assessed_at",
        ]


class BreachDetailSerializer(BreachSerializer):
    assessments = AssessmentSerializer(many=True, read_only=True)
    case_reference = serializers.CharField(source="case.reference", allow_null=True, default=None)

    class Meta(BreachSerializer.Meta):
        fields = [
            *BreachSerializer.Meta.fields,
            "description",
            "occurred_at",
            "contained_at",
            "systems_affected",
            "impact",
            "measures",
            "subject_advice",
            "late_reason",
            "escalation_level",
            "assigned_to",
            "case",
            "case_reference",
            "closed_at",
            "assessments",
        ]
