"""Query and response shapes of the calendar API; the query serializers parse Thai input."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krabuan.core.thai import BE_OFFSET, normalize_text, parse_date, to_arabic_digits
from krabuan.org import calendar
from krabuan.org.calendar import MAX_AMOUNT, SOURCES, UNITS, CalendarError

_DATETIME_T = re.compile(r"\dT\d", re.IGNORECASE)
_AMOUNT = re.compile(r"^-?\d{1,12}(?:\.\d{1,6})?$")


def _text(value: str) -> str:
    return to_arabic_digits(normalize_text(value)).replace(" ", "")


class StrictQuerySerializer(serializers.Serializer):
    """Refuses query parameters it does not know, so a typo (`yaer`) is not silently ignored."""

    # DRF's own content-negotiation parameter (?format=json) stays allowed.
    allowed_extra = frozenset({"format"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for name in sorted(set(self.initial_data) - set(self.fields) - self.allowed_extra):
            errors[name] = [f"ไม่รู้จักพารามิเตอร์ '{name}' (ใช้ได้: {', '.join(self.fields)})"]
        # DRF treats an optional parameter sent empty (?year=) as left out; the schema says a
        # given value is not empty, so refuse it.
        for name, field in self.fields.items():
            value = self.initial_data.get(name)
            if value is not None and not str(value).strip() and name not in attrs:
                errors[name] = [str(field.error_messages["blank"])]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class HolidayListQuerySerializer(StrictQuerySerializer):
    year = serializers.CharField(
        required=False,
        max_length=16,
        help_text="ปี ค.ศ. หรือ พ.ศ. เช่น 2024, 2567 หรือ ๒๕๖๗ (ไม่ระบุ = ปีปัจจุบัน)",
        error_messages={
            "blank": "กรุณาระบุปี เช่น 2567",
            "max_length": "ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567",
            "invalid": "ปีต้องเป็นตัวเลข ค.ศ. หรือ พ.ศ. เช่น 2024 หรือ 2567",
        },
    )

    def validate_year(self, value: str) -> int:
        try:
            return calendar.year_from_text(value)
        except CalendarError as exc:
            raise serializers.ValidationError(exc.message) from None


class CalendarAddQuerySerializer(StrictQuerySerializer):
    start = serializers.CharField(
        max_length=64,
        help_text=(
            "วันเริ่ม: วันที่ (2024-04-10, 10/04/2567, ๑๐ เม.ย. ๒๕๖๗) หรือวันเวลา ISO 8601 "
            "(2024-04-12T16:00, ไม่ระบุเขตเวลา = Asia/Bangkok)"
        ),
        error_messages={
            "required": "กรุณาระบุวันเริ่ม (start)",
            "blank": "กรุณาระบุวันเริ่ม (start)",
            "max_length": "วันเริ่มยาวเกินไป",
            "invalid": "วันเริ่มไม่ถูกต้อง",
        },
    )
    amount = serializers.CharField(
        max_length=32,
        help_text=f"จำนวน 0–{MAX_AMOUNT} (เลขไทยหรือเลขอารบิก; ทศนิยมได้เฉพาะ minute/hour)",
        error_messages={
            "required": "กรุณาระบุจำนวน (amount)",
            "blank": "กรุณาระบุจำนวน (amount)",
            "max_length": "จำนวนต้องเป็นตัวเลข",
            "invalid": "จำนวนต้องเป็นตัวเลข",
        },
    )
    unit = serializers.ChoiceField(
        choices=[(unit, unit) for unit in UNITS],
        help_text="minute, hour (เวลาราชการ), day, week, month (ตามปฏิทิน), working_day (วันทำการ)",
        error_messages={
            "required": "กรุณาระบุหน่วย (unit)",
            "invalid_choice": "หน่วยต้องเป็นหนึ่งใน " + ", ".join(UNITS),
        },
    )

    def validate_start(self, value: str) -> dt.date:
        text = _text(value)
        if ":" in text or _DATETIME_T.search(text):
            try:
                moment = parse_datetime(text)
            except ValueError:
                moment = None
            if moment is None:
                raise serializers.ValidationError(
                    "วันเวลาเริ่มไม่ถูกต้อง ใช้รูปแบบ ISO 8601 เช่น 2024-04-12T16:00"
                )
            if moment.year > 2400:  # typed in the Buddhist era
                try:
                    moment = moment.replace(year=moment.year - BE_OFFSET)
                except ValueError:
                    raise serializers.ValidationError("วันเวลาเริ่มไม่ถูกต้อง") from None
            return moment
        try:
            return parse_date(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_amount(self, value: str) -> Decimal:
        text = _text(value).replace(",", "")
        if not _AMOUNT.match(text):
            raise serializers.ValidationError("จำนวนต้องเป็นตัวเลข เช่น 5 หรือ ๕")
        amount = Decimal(text)
        if amount < 0:
            raise serializers.ValidationError("จำนวนต้องไม่ติดลบ")
        if amount > MAX_AMOUNT:
            raise serializers.ValidationError(f"จำนวนต้องไม่เกิน {MAX_AMOUNT:,}")
        return amount


class DayOffSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()
    # The stubs type Field.source as str; DRF's metaclass takes declared fields off the class.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(source, source) for source in SOURCES],
        help_text="public = วันหยุดราชการ/นักขัตฤกษ์, government = วันหยุดเฉพาะข้าราชการ, "
        "admin = ผู้ดูแลกำหนดเพิ่ม",
    )


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
)
class DateOrDateTimeField(serializers.Field):
    """An ISO date, or an ISO datetime in Asia/Bangkok."""

    def __init__(self, **kwargs: Any) -> None:
        # Output only: the API never reads this field from a request.
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: dt.date) -> str:
        return value.isoformat()


@extend_schema_field(OpenApiTypes.NUMBER)
class AmountField(serializers.Field):
    """A whole amount as an integer, a fraction as a number."""

    def __init__(self, **kwargs: Any) -> None:
        # Output only: the API never reads this field from a request.
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> int | float:
        if value == value.to_integral_value():
            return int(value)
        return float(value)


class CalendarAddResultSerializer(serializers.Serializer):
    start = DateOrDateTimeField()
    amount = AmountField()
    unit = serializers.ChoiceField(choices=[(unit, unit) for unit in UNITS])
    result = DateOrDateTimeField(
        help_text="วันที่ (หน่วย day/week/month/working_day กับวันเริ่มที่เป็นวันที่) "
        "หรือวันเวลา Asia/Bangkok (minute/hour หรือวันเริ่มที่เป็นวันเวลา)"
    )
