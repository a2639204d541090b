"""Workflow API shapes: the request bodies and queries it accepts and the cases it answers with.

Shapes are part of the public contract (docs/api-workflow.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krabuan.core.thai import BANGKOK, parse_int
from krabuan.manual.models import ControlKind, Process, Step, StepControl
from krabuan.workflow import urgency
from krabuan.workflow.models import CaseStatus, Priority, StepInstance, StepStatus
from krabuan.workflow.services.cases import RECURRENCE_STOP

# Ids and counts fit a 32-bit column on every database; anything larger is refused as input
# instead of overflowing inside a query.
MAX_ID = 2_147_483_647
MAX_QUANTITY = 100_000
# Back-dated times before this are typing mistakes (and far-off years overflow date arithmetic).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=BANGKOK)


class PastDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime (a time without a zone is read as Asia/Bangkok), not before 2000."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        result: dt.datetime = super().to_internal_value(value)
        if result < EARLIEST:
            raise serializers.ValidationError("เวลาต้องไม่ก่อนปี พ.ศ. 2543 (ค.ศ. 2000)")
        return result


def fiscal_year_value(value: str) -> int:
    """A BE fiscal year typed with Thai or Arabic digits."""
    try:
        year = parse_int(value)
    except ValueError:
        raise serializers.ValidationError("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2567") from None
    if not 2400 <= year <= 2800:
        raise serializers.ValidationError("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2567")
    return year


# --- requests -------------------------------------------------------------------------------


class CaseStartSerializer(serializers.Serializer):
    process = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="id ของกระบวนงาน (จาก GET /api/v1/processes/)"
    )
    title = serializers.CharField(max_length=300)
    started_at = PastDateTimeField(
        required=False, help_text="เวลาเริ่มย้อนหลัง (เฉพาะบทบาทที่กำหนดเวลาย้อนหลังได้)"
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    quantity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text="จำนวนรายการของขั้นตอนแรก เมื่อระยะเวลาเป็นต่อรายการ (เช่น ๕ นาที/เรื่อง)",
    )

    def validate_process(self, value: int) -> int:
        # Checked here so a missing process is reported together with the other fields.
        if not Process.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"ไม่พบกระบวนงาน id {value}")
        return value


class ControlConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StepCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="หนึ่งใน outcomes ของขั้นตอน (เมื่อขั้นตอนมีให้เลือก)",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    quantity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_QUANTITY
    )
    alternative = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=200,
        help_text="วิธีที่เลือก เมื่อระยะเวลาขึ้นกับวิธี (หนึ่งใน alternatives ของขั้นตอน)",
    )
    completed_at = PastDateTimeField(
        required=False, help_text="เวลาเสร็จย้อนหลัง (เฉพาะบทบาทที่กำหนดเวลาย้อนหลังได้)"
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RiskRecordSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    risk = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="ลำดับ (เริ่มที่ 1) ของความเสี่ยงในรายการ risks ของขั้นตอน",
    )


# --- queries --------------------------------------------------------------------------------


class PageQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(min_value=0, max_value=1_000_000_000, default=0)


class CaseListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    process = serializers.CharField(required=False, max_length=20, help_text="รหัสกระบวนงาน เช่น C01")
    fiscal_year = serializers.CharField(
        required=False, help_text="ปีงบประมาณ พ.ศ. เช่น 2567 หรือ ๒๕๖๗"
    )
    unit = serializers.CharField(required=False, max_length=40, help_text="รหัสหน่วยงานที่รับผิดชอบเรื่อง")
    late = serializers.BooleanField(
        required=False, allow_null=True, help_text="true: มีขั้นตอนเกินกำหนด; false: ไม่มี"
    )
    search = serializers.CharField(
        required=False, max_length=200, help_text="ค้นในชื่อเรื่องและเลขที่เรื่อง"
    )

    def validate_fiscal_year(self, value: str) -> int:
        return fiscal_year_value(value)


class KpiQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.CharField(
        required=False, help_text="ปีงบประมาณ พ.ศ. (ค่าเริ่มต้น: ปีงบประมาณปัจจุบัน)"
    )

    def validate_fiscal_year(self, value: str) -> int:
        return fiscal_year_value(value)


class MyStepsQuerySerializer(PageQuerySerializer):
    scope = serializers.ChoiceField(
        choices=[("mine", "mine"), ("group", "group"), ("all", "all")],
        default="mine",
        help_text="mine: ของฉัน; group: ทั้งกลุ่ม (หัวหน้ากลุ่ม); all: ทั้งหมด (ผู้อำนวยการ)",
    )


# --- answers --------------------------------------------------------------------------------


class ControlStateSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    id = serializers.IntegerField()
    text = serializers.CharField()
    confirmed = serializers.BooleanField()
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class RiskSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    id = serializers.IntegerField()
    text = serializers.CharField()


class RiskOccurrenceSerializer(serializers.Serializer):
    risk = serializers.IntegerField(allow_null=True, help_text="n ของความเสี่ยง หรือ null")
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


def _points(step: Step, kind: str) -> list[StepControl]:
    # Filtered in Python so the prefetched controls serve every step without another query.
    return sorted(
        (c for c in step.controls.all() if c.kind == kind), key=lambda c: (c.sort_order, c.pk)
    )


def control_points(step: Step) -> list[StepControl]:
    """The step's control points in order; the API's `n` is the 1-based index in this list."""
    return _points(step, ControlKind.CONTROL)


def risk_points(step: Step) -> list[StepControl]:
    """The step's listed risks in order; `risk` in a request is the 1-based index here."""
    return _points(step, ControlKind.RISK)


class StepInstanceSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    pass_no = serializers.IntegerField()
    iteration = serializers.IntegerField()
    activity = serializers.CharField(source="step.activity")
    status = serializers.ChoiceField(choices=StepStatus.choices)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    assignee_unit = serializers.CharField(
        source="assignee_unit.code", allow_null=True, default=None
    )
    duration = serializers.CharField(source="step.duration_text", allow_blank=True)
    started_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    target_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    paused_seconds = serializers.IntegerField()
    pause_reason = serializers.CharField(allow_blank=True)
    on_time = serializers.BooleanField(allow_null=True)
    breached = serializers.BooleanField()
    needs_review = serializers.BooleanField()
    quantity = serializers.IntegerField(allow_null=True)
    alternative = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    skip_reason = serializers.CharField(allow_blank=True)
    skippable = serializers.SerializerMethodField()
    controls = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    alternatives = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()
    risk_occurrences = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_skippable(self, obj: StepInstance) -> bool:
        return bool(obj.step.is_optional or obj.step.condition)

    @extend_schema_field(ControlStateSerializer(many=True))
    def get_controls(self, obj: StepInstance) -> list[dict[str, Any]]:
        confirmed = {c.control_id: c for c in obj.confirmations.all()}
        out = []
        for n, control in enumerate(control_points(obj.step), start=1):
            done = confirmed.get(control.pk)
            out.append(
                {
                    "n": n,
                    "id": control.pk,
                    "text": control.text,
                    "confirmed": done is not None,
                    "confirmed_by": done.confirmed_by.username
                    if done is not None and done.confirmed_by is not None
                    else None,
                    "confirmed_at": done.confirmed_at if done is not None else None,
                    "note": done.note if done is not None else "",
                }
            )
        return ControlStateSerializer(out, many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_outcomes(self, obj: StepInstance) -> list[str]:
        labels = [str(o.get("label", "")) for o in obj.step.outcomes or [] if o.get("label")]
        if (obj.step.duration or {}).get("recurrence"):
            # A recurring step repeats until this outcome ends the repetition.
            labels.append(RECURRENCE_STOP)
        return labels

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_alternatives(self, obj: StepInstance) -> list[str]:
        alternatives = (obj.step.duration or {}).get("alternatives") or []
        return [str(a["label"]) for a in alternatives if a.get("label")]

    @extend_schema_field(RiskSerializer(many=True))
    def get_risks(self, obj: StepInstance) -> list[dict[str, Any]]:
        return [
            {"n": n, "id": r.pk, "text": r.text}
            for n, r in enumerate(risk_points(obj.step), start=1)
        ]

    @extend_schema_field(RiskOccurrenceSerializer(many=True))
    def get_risk_occurrences(self, obj: StepInstance) -> list[dict[str, Any]]:
        index = {r.pk: n for n, r in enumerate(risk_points(obj.step), start=1)}
        rows = sorted(obj.risk_occurrences.all(), key=lambda o: (o.recorded_at, o.pk))
        data = [
            {
                "risk": index.get(o.risk_id) if o.risk_id else None,
                "note": o.note,
                "recorded_at": o.recorded_at,
            }
            for o in rows
        ]
        return RiskOccurrenceSerializer(data, many=True).data  # type: ignore[return-value]


class CaseListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    process = serializers.IntegerField(source="process_id")
    process_code = serializers.CharField(source="process.code")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    fiscal_year = serializers.IntegerField()
    responsible_unit = serializers.CharField(source="responsible_unit.code")
    started_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class CaseListRowSerializer(CaseListItemSerializer):
    open_steps = serializers.IntegerField()
    late_steps = serializers.IntegerField()


class CaseSerializer(CaseListItemSerializer):
    description = serializers.CharField(allow_blank=True)
    steps = StepInstanceSerializer(many=True)


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = CaseListRowSerializer(many=True)


class KpiSerializer(serializers.Serializer):
    process = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    steps_total = serializers.IntegerField()
    steps_completed = serializers.IntegerField()
    steps_on_time = serializers.IntegerField()
    steps_late_open = serializers.IntegerField()
    on_time_pct = serializers.FloatField(allow_null=True)
    target_pct = serializers.FloatField()
    meets_target = serializers.BooleanField()


class MyStepSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    case_title = serializers.CharField(source="case.title")
    process_code = serializers.CharField(source="case.process.code")
    order = serializers.IntegerField()
    pass_no = serializers.IntegerField()
    iteration = serializers.IntegerField()
    activity = serializers.CharField(source="step.activity")
    status = serializers.ChoiceField(choices=StepStatus.choices)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    assignee_unit = serializers.CharField(
        source="assignee_unit.code", allow_null=True, default=None
    )
    started_at = serializers.DateTimeField(allow_null=True)
    target_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    state = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=[(s, s) for s in urgency.ORDER]))
    def get_state(self, obj: StepInstance) -> str:
        # The same rule as the colours of the "my work" page.
        return urgency.classify(
            status=obj.status,
            due_at=obj.due_at,
            planned_seconds=obj.planned_seconds,
            paused_at=obj.paused_at,
            at=self.context["clock"],
        )


class MyStepPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = MyStepSerializer(many=True)
