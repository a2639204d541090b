"""Read serializers of the manual API; shapes are part of the public contract."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krabuan.core.thai import parse_int
from krabuan.manual.models import Process, ProcessKind, Step


class ProcessListQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.CharField(
        required=False, help_text="ปีงบประมาณ พ.ศ. เช่น 2567 หรือ ๒๕๖๗"
    )
    kind = serializers.ChoiceField(choices=ProcessKind.choices, required=False)
    unit = serializers.CharField(required=False, max_length=40, help_text="รหัสกลุ่ม/ฝ่ายที่รับผิดชอบ")
    search = serializers.CharField(required=False, max_length=200)

    def validate_fiscal_year(self, value: str) -> int:
        try:
            year = parse_int(value)
        except ValueError:
            raise serializers.ValidationError("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2567") from None
        if not 2400 <= year <= 2800:
            raise serializers.ValidationError("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2567")
        return year


class ProcessListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ProcessKind.choices)
    name = serializers.CharField()
    fiscal_year = serializers.IntegerField(source="manual.fiscal_year")
    responsible_unit = serializers.SerializerMethodField()
    step_count = serializers.IntegerField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_responsible_unit(self, obj: Process) -> str | None:
        return obj.responsible_unit.name if obj.responsible_unit else None


class DurationSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    per_item = serializers.CharField(allow_null=True)
    recurrence = serializers.DictField(allow_null=True)
    window = serializers.DictField(allow_null=True)
    alternatives = serializers.ListField(child=serializers.DictField())
    open_ended = serializers.BooleanField()
    unit_missing = serializers.BooleanField()
    parsed = serializers.BooleanField()


class ControlSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("control", "control"), ("risk", "risk")])
    text = serializers.CharField()


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    group = serializers.CharField(allow_blank=True)
    activity = serializers.CharField()
    sub_items = serializers.ListField(child=serializers.CharField())
    duration = serializers.SerializerMethodField()
    units = serializers.CharField(source="units_text", allow_blank=True)
    related_units = serializers.SerializerMethodField()
    controls = ControlSerializer(many=True)
    output = serializers.CharField(allow_blank=True)
    optional = serializers.BooleanField(source="is_optional")
    condition = serializers.CharField(allow_blank=True)

    @extend_schema_field(DurationSerializer)
    def get_duration(self, obj: Step) -> dict[str, Any]:
        data = dict(obj.duration or {})
        defaults: dict[str, Any] = {
            "status": obj.duration_status,
            "min": None,
            "max": None,
            "unit": None,
            "per_item": None,
            "recurrence": None,
            "window": None,
            "alternatives": [],
            "open_ended": obj.duration_status == "open_ended",
            "unit_missing": obj.duration_status == "unit_missing",
            "parsed": obj.duration_status == "parsed",
        }
        out = {**defaults, **{k: v for k, v in data.items() if k in defaults}}
        out["text"] = obj.duration_text
        out["alternatives"] = list(out["alternatives"] or [])
        return out

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_related_units(self, obj: Step) -> list[str]:
        return [u.code for u in obj.related_units.all()]


class RequirementSerializer(serializers.Serializer):
    heading = serializers.CharField()
    heading_text = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    priority = serializers.IntegerField(allow_null=True)


class ValueChainSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    name = serializers.CharField(source="get_stage_display")
    activities = serializers.CharField(allow_blank=True)
    step_range = serializers.CharField(allow_blank=True)
    step_from = serializers.IntegerField(allow_null=True)
    step_to = serializers.IntegerField(allow_null=True)


class OwnerSerializer(serializers.Serializer):
    kind = serializers.CharField()
    position = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_position(self, obj: Any) -> str:
        return obj.position.title if obj.position else obj.title


class ProcessDetailSerializer(ProcessListItemSerializer):
    responsible_unit_code = serializers.SerializerMethodField()
    authority_number = serializers.IntegerField(allow_null=True)
    authority = serializers.CharField(allow_blank=True)
    customers = serializers.CharField(allow_blank=True)
    outputs = serializers.CharField(allow_blank=True)
    quality_standard = serializers.CharField(allow_blank=True)
    requirements = RequirementSerializer(many=True)
    value_chain = ValueChainSerializer(many=True)
    steps = StepSerializer(many=True)
    owners = OwnerSerializer(many=True)
    step_count = serializers.SerializerMethodField()  # type: ignore[assignment]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_responsible_unit_code(self, obj: Process) -> str | None:
        return obj.responsible_unit.code if obj.responsible_unit else None

    @extend_schema_field(serializers.IntegerField())
    def get_step_count(self, obj: Process) -> int:
        return len(obj.steps.all())
