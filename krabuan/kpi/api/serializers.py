"""KPI API shapes: the queries and bodies it accepts, the agreements, results and scores it
answers with. Shapes are part of the public contract (docs/api-kpi.md)."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krabuan.core.thai import parse_int
from krabuan.kpi.models import (
    Agreement,
    AssessmentGroup,
    BelowFirstLevel,
    Direction,
    Kpi,
    KpiKind,
    KpiResult,
    Method,
)

# Ids fit a 32-bit column on every database; larger ones are refused instead of overflowing.
MAX_ID = 2_147_483_647
ROUND_HELP = "รอบ: 6m, 9m, 12m หรือเดือน YYYY-MM (ปี พ.ศ. หรือ ค.ศ. เช่น 2566-03) ในปีงบประมาณของคำรับรอง"


def fiscal_year_value(value: str) -> int:
    """A BE fiscal year typed with Thai or Arabic digits."""
    try:
        year = parse_int(value)
    except ValueError:
        raise serializers.ValidationError("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2566") from None
    if not 2400 <= year <= 2800:
        raise serializers.ValidationError("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2566")
    return year


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# --- requests -------------------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string"}],
        "nullable": True,
        "description": "ผลการดำเนินงาน: ตัวเลข หรือข้อความตัวเลขไทย/อารบิก หรือ null (ไม่มีค่า)",
    }
)
class ResultValueField(serializers.Field):
    """A JSON number, a text (parsed and checked by result_record) or null; "" is null, since a
    multipart form cannot send null."""

    default_error_messages = {"invalid": "ผลการดำเนินงานต้องเป็นตัวเลขหรือ null"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> int | float | str:
        # bool is an int in Python, but `true` is not a result; objects and lists are not either.
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class IdField(serializers.IntegerField):
    default_error_messages = {
        "invalid": "ต้องเป็น id (จำนวนเต็ม)",
        "null": "ต้องเป็น id (จำนวนเต็ม)",
        "min_value": "id ต้องมากกว่า 0",
        "max_value": "ไม่มี id นี้",
        "max_string_length": "ไม่มี id นี้",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdListField(serializers.ListField):
    """A list of ids; a wrong item is reported as one flat message naming its position."""

    child = IdField()

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError(
                [
                    f"รายการที่ {int(i) + 1}: {message}"
                    for i, messages in exc.detail.items()
                    for message in messages
                ]
            ) from None


class ResultCreateSerializer(serializers.Serializer):
    round = serializers.CharField(max_length=20, help_text=ROUND_HELP)
    value = ResultValueField(
        help_text="ตัวเลข (ร้อยละ 0–100 เมื่อหน่วยวัดเป็นร้อยละ) หรือ null สำหรับตัวชี้วัดแบบผลผลิต"
    )
    deliverables = IdListField(
        help_text="id ของผลผลิต (deliverables) ที่ทำได้แล้ว จาก GET /api/v1/agreements/{id}/; "
        "ไม่ส่ง = คงเดิม"
    )
    milestone_steps = IdListField(
        help_text="id ของขั้นตอนตามเป้าหมายรอบ (milestones[].steps) ที่ทำครบแล้ว; ไม่ส่ง = คงเดิม"
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="หมายเหตุ; ไม่ส่ง = คงเดิม"
    )


class ResultUploadSerializer(ResultCreateSerializer):
    # Empty files, types and sizes are checked by result_record, with Thai messages.
    evidence = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="ไฟล์หลักฐาน (PDF, รูปภาพ, เอกสาร Office ฯลฯ ไม่เกิน 20 MB)",
    )


class AgreementListQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.CharField(
        required=False, help_text="ปีงบประมาณ พ.ศ. เช่น 2566 หรือ ๒๕๖๖"
    )

    def validate_fiscal_year(self, value: str) -> int:
        return fiscal_year_value(value)


class ScoreQuerySerializer(serializers.Serializer):
    round = serializers.CharField(
        required=False, default="12m", max_length=20, help_text=f"{ROUND_HELP}; ค่าเริ่มต้น 12m"
    )


# --- answers --------------------------------------------------------------------------------


class KpiListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    group = serializers.CharField(source="group.code")
    method = serializers.ChoiceField(choices=Method.choices)


class AgreementListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    title = serializers.CharField()
    kpis = KpiListItemSerializer(many=True)


class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    text = serializers.CharField(allow_blank=True)


class MilestoneStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.CharField()
    target_text = serializers.CharField(allow_blank=True)
    target_value = serializers.FloatField(allow_null=True)
    steps = MilestoneStepSerializer(many=True)


class DeliverableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.IntegerField()
    text = serializers.CharField()
    points = serializers.FloatField(allow_null=True)


class LevelsSerializer(serializers.Serializer):
    basic = serializers.FloatField(allow_null=True, help_text="ขั้นต้น (50 คะแนน)")
    standard = serializers.FloatField(allow_null=True, help_text="มาตรฐาน (75 คะแนน)")
    advanced = serializers.FloatField(allow_null=True, help_text="ขั้นสูง (100 คะแนน)")


class KpiDetailSerializer(KpiListItemSerializer):
    kind = serializers.ChoiceField(choices=KpiKind.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    unit_label = serializers.CharField(allow_blank=True)
    definition = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)
    data_source = serializers.CharField(allow_blank=True)
    responsible = serializers.CharField(allow_blank=True)
    levels = serializers.SerializerMethodField()
    levels_text = serializers.CharField(allow_blank=True)
    method_note = serializers.CharField(allow_blank=True)
    alternative_rule = serializers.JSONField()
    best_of_rounds = serializers.BooleanField()
    deduction_points = serializers.FloatField()
    deduction_rule = serializers.CharField(allow_blank=True)
    evidence_required = serializers.BooleanField()
    live_source = serializers.CharField(allow_blank=True)
    baselines = YearValueSerializer(many=True)
    roadmap = YearValueSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    deliverables = DeliverableSerializer(many=True)

    @extend_schema_field(LevelsSerializer)
    def get_levels(self, obj: Kpi) -> dict[str, float | None]:
        return {
            "basic": _number(obj.level_basic),
            "standard": _number(obj.level_standard),
            "advanced": _number(obj.level_advanced),
        }


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    kpis = serializers.SerializerMethodField()

    @extend_schema_field(KpiDetailSerializer(many=True))
    def get_kpis(self, obj: AssessmentGroup) -> list[dict[str, Any]]:
        # The KPIs come from the agreement's prefetched list, not a query per group.
        kpis = self.context["kpis_by_group"].get(obj.pk, [])
        return KpiDetailSerializer(kpis, many=True).data  # type: ignore[return-value]


class AgreementDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    title = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    maker_position = serializers.CharField(allow_blank=True)
    maker_signed_on = serializers.DateField(allow_null=True)
    approver_position = serializers.CharField(allow_blank=True)
    approver_signed_on = serializers.DateField(allow_null=True)
    below_first_level = serializers.ChoiceField(choices=BelowFirstLevel.choices)
    notes = serializers.CharField(allow_blank=True)
    groups = serializers.SerializerMethodField()

    @extend_schema_field(GroupSerializer(many=True))
    def get_groups(self, obj: Agreement) -> list[dict[str, Any]]:
        by_group: dict[int, list[Kpi]] = {}
        for kpi in obj.kpis.all():
            by_group.setdefault(kpi.group_id, []).append(kpi)
        groups = GroupSerializer(obj.groups.all(), many=True, context={"kpis_by_group": by_group})
        return groups.data  # type: ignore[return-value]


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kpi = serializers.IntegerField(source="kpi_id")
    round = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    deliverables = serializers.SerializerMethodField()
    milestone_steps = serializers.SerializerMethodField()
    note = serializers.CharField(allow_blank=True)
    evidence = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    entered_by = serializers.CharField(source="entered_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_deliverables(self, obj: KpiResult) -> list[int]:
        return sorted(d.pk for d in obj.deliverables_done.all())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_milestone_steps(self, obj: KpiResult) -> list[int]:
        return sorted(s.pk for s in obj.milestone_steps_done.all())

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="ชื่อไฟล์หลักฐาน"))
    def get_evidence(self, obj: KpiResult) -> str | None:
        return os.path.basename(obj.evidence.name or "") or None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="หน้าดาวน์โหลดไฟล์หลักฐาน (เปิดในเบราว์เซอร์ที่เข้าสู่ระบบแล้ว)"
        )
    )
    def get_evidence_url(self, obj: KpiResult) -> str | None:
        if not obj.evidence:
            return None
        return reverse("kpi:evidence_download", kwargs={"kpi_id": obj.kpi_id, "result_id": obj.pk})


class KpiScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.CharField(help_text="code ของกลุ่ม (groups[].code)")
    method = serializers.ChoiceField(choices=Method.choices)
    weight = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text="ผลที่ใช้คิดคะแนนของรอบ")
    score = serializers.FloatField(allow_null=True, help_text="คะแนน 0–100 หลังหักคะแนน")
    deduction = serializers.FloatField(help_text="คะแนนที่ถูกหักเพราะขั้นตอนตามรอบไม่ครบ")
    weighted = serializers.FloatField(allow_null=True, help_text="score × weight / 100")
    source = serializers.CharField(help_text="ที่มาของผล")  # type: ignore[assignment]
    measured_at = serializers.DateTimeField(allow_null=True)
    projected_score = serializers.FloatField(allow_null=True)
    projected_weighted = serializers.FloatField(allow_null=True)


class GroupScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    kpi_weight = serializers.FloatField(help_text="ผลรวมน้ำหนักของตัวชี้วัดในกลุ่ม")
    total = serializers.FloatField()
    projected_total = serializers.FloatField()


class ScoreSerializer(serializers.Serializer):
    agreement = serializers.IntegerField()
    round = serializers.CharField()
    total = serializers.FloatField(help_text="Σ score × weight / 100")
    projected_total = serializers.FloatField()
    projection_rule = serializers.CharField()
    kpis = serializers.SerializerMethodField()
    groups = GroupScoreSerializer(many=True)
    missing = serializers.ListField(
        child=serializers.IntegerField(), help_text="id ของตัวชี้วัดที่ยังไม่มีผล (นับเป็น 0)"
    )

    @extend_schema_field(KpiScoreSerializer(many=True))
    def get_kpis(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        # agreement_score names a KPI's group by id; the API names groups by code everywhere.
        codes = {g["id"]: g["code"] for g in obj["groups"]}
        rows = [{**row, "group": codes.get(row["group"], "")} for row in obj["kpis"]]
        return KpiScoreSerializer(rows, many=True).data  # type: ignore[return-value]
