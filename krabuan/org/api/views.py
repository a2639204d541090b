"""Calendar API: the year's days off, and date arithmetic on the working-day calendar."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES
from krabuan.core.thai import BANGKOK
from krabuan.org import calendar
from krabuan.org.api.serializers import (
    CalendarAddQuerySerializer,
    CalendarAddResultSerializer,
    DayOffSerializer,
    HolidayListQuerySerializer,
)

# Both endpoints only read: bad input, not signed in, and (for a token without rights) forbidden.
_ERRORS = {status: response for status, response in ERROR_RESPONSES.items() if status != 404}


class HolidayListView(APIView):
    @extend_schema(
        operation_id="calendar_holidays_list",
        parameters=[HolidayListQuerySerializer],
        responses={200: DayOffSerializer(many=True), **_ERRORS},
        summary="Days off of a year: public and government holidays and the admin's days",
        description=(
            "Sorted by date. Weekends are not listed unless a holiday falls on them. An admin "
            "`working_day` override removes a day; an admin `day_off` adds one (source `admin`)."
        ),
        examples=[
            OpenApiExample(
                "Songkran 2024",
                value=[{"date": "2024-04-13", "name": "วันสงกรานต์", "source": "public"}],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = HolidayListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        days = calendar.days_off(year)
        return Response(DayOffSerializer(days, many=True).data)


class CalendarAddView(APIView):
    @extend_schema(
        operation_id="calendar_add_retrieve",
        parameters=[CalendarAddQuerySerializer],
        responses={200: CalendarAddResultSerializer, **_ERRORS},
        summary="Add minutes/hours (office time), days, working days, weeks or months to a start",
        description=(
            "working_day: the n-th working day after start (start not counted). minute/hour: "
            "office time from the start instant (a date means its office opening), skipping "
            "days off; the result is an Asia/Bangkok datetime. day/week/month: calendar "
            "arithmetic (month clamps to the end of a shorter month)."
        ),
        examples=[
            OpenApiExample(
                "Songkran 2024",
                value={
                    "start": "2024-04-10",
                    "amount": 5,
                    "unit": "working_day",
                    "result": "2024-04-22",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = CalendarAddQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        start: dt.date = params["start"]
        if isinstance(start, dt.datetime):
            start = start.replace(tzinfo=BANGKOK) if start.tzinfo is None else start
        result = calendar.add(start, params["amount"], params["unit"])
        # Echo the start as the calendar understood it: Bangkok wall time.
        shown = start.astimezone(BANGKOK) if isinstance(start, dt.datetime) else start
        body = {
            "start": shown,
            "amount": params["amount"],
            "unit": params["unit"],
            "result": result,
        }
        return Response(CalendarAddResultSerializer(body).data)
