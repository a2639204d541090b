"""Shapes of the requests API. Input fields are plain text on purpose: the service checks them
all at once and answers in Thai naming each field (docs/privacy-requests.md)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from krabuan.privacy.models import DataSubjectRequest, RequestStatus, RequestType
from krabuan.privacy.selectors.requests import OPEN_STATUSES, days_left

MAX_ID = 2_147_483_647


def _text(label: str, max_length: int) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length,
        trim_whitespace=True,
        error_messages={
            "invalid": f"{label}ต้องเป็นข้อความ",
            "max_length": f"{label}ต้องยาวไม่เกิน {max_length} ตัวอักษร",
            "null": f"{label}ต้องเป็นข้อความ",
        },
    )


class RequestSubmitSerializer(serializers.Serializer):
    type = _text("ประเภทคำขอ", 20)
    type.help_text = "access, copy, rectification, erasure, restriction, objection, withdrawal"
    name = _text("ชื่อ-นามสกุล", 300)
    email = _text("อีเมล", 300)
    phone = _text("โทรศัพท์", 50)
    address = _text("ที่อยู่", 2000)
    details = _text("รายละเอียดคำขอ", 6000)
    activity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="id ของกิจกรรมการประมวลผลที่เกี่ยวข้อง (ถ้าทราบ)",
        error_messages={"invalid": "กิจกรรมการประมวลผลต้องเป็นเลข id"},
    )
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="เฉพาะทีมคุ้มครองข้อมูล: วันเวลาที่รับคำขอ (ISO 8601 พร้อมเขตเวลา ย้อนหลังได้ไม่เกิน 365 วัน)",
        error_messages={"invalid": "วันที่รับคำขอต้องเป็นวันเวลา ISO 8601 เช่น 2025-04-10T09:00:00+07:00"},
    )
    website = _text("website", 200)
    website.help_text = "ต้องเว้นว่าง (กับดักโปรแกรมอัตโนมัติ)"


class RequestCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    type = serializers.ChoiceField(choices=RequestType.choices)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()


class RequestListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", "ยังไม่ปิด"), *RequestStatus.choices], required=False
    )
    type = serializers.ChoiceField(choices=RequestType.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, max_length=100)
    sort = serializers.ChoiceField(
        choices=["due", "-due", "received", "-received", "reference", "-reference"], required=False
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_ID, default=0)


class RequestSummarySerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display")
    status_display = serializers.CharField(source="get_status_display")
    days_left = serializers.SerializerMethodField()
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    activity = serializers.IntegerField(source="activity_id", allow_null=True)

    class Meta:
        model = DataSubjectRequest
        fields = [
            "id",
            "reference",
            "type",
            "type_display",
            "channel",
            "status",
            "status_display",
            "received_at",
            "due_at",
            "days_left",
            "assigned_to",
            "activity",
            "responded_at",
        ]

    def get_days_left(self, obj: DataSubjectRequest) -> int | None:
        """Calendar days to the due date (negative when overdue); null once closed."""
        return days_left(obj) if obj.status in OPEN_STATUSES else None


class RequestPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = RequestSummarySerializer(many=True)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class RequestDetailSerializer(RequestSummarySerializer):
    contact = serializers.SerializerMethodField()
    case = serializers.CharField(source="case.reference", allow_null=True, default=None)

    class Meta(RequestSummarySerializer.Meta):
        fields = [
            *RequestSummarySerializer.Meta.fields,
            "details",
            "contact",
            "identity_method",
            "identity_verified_at",
            "response",
            "refusal_section",
            "refusal_reason",
            "case",
        ]

    def get_contact(self, obj: DataSubjectRequest) -> dict[str, Any]:
        """Decrypted for the entitled reader (the getter has checked and logged the read)."""
        contact = self.context["contact"]
        return ContactSerializer(contact).data
