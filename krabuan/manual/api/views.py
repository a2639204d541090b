"""Manual API: the process registry of a fiscal year and one whole process."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES
from krabuan.manual import selectors
from krabuan.manual.api.serializers import (
    ProcessDetailSerializer,
    ProcessListItemSerializer,
    ProcessListQuerySerializer,
)
from krabuan.manual.models import Manual


class ProcessListView(APIView):
    @extend_schema(
        operation_id="processes_list",
        parameters=[ProcessListQuerySerializer],
        responses={200: ProcessListItemSerializer(many=True), **ERROR_RESPONSES},
        summary="Processes of a fiscal year's manual (latest year by default)",
    )
    def get(self, request: Request) -> Response:
        query = ProcessListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = params.get("fiscal_year")
        if year is None:
            years = selectors.manual_years()
            year = years[0] if years else None
        elif not Manual.objects.filter(fiscal_year=year).exists():
            raise ValidationError({"fiscal_year": [f"ไม่มีคู่มือกระบวนงานของปีงบประมาณ {year}"]})
        processes = selectors.process_list(
            user=request.user,
            fiscal_year=year,
            kind=params.get("kind"),
            unit_code=params.get("unit"),
            search=params.get("search"),
        )
        return Response(ProcessListItemSerializer(processes, many=True).data)


class ProcessDetailView(APIView):
    @extend_schema(
        operation_id="processes_retrieve",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: ProcessDetailSerializer, **ERROR_RESPONSES},
        summary="One process with every section of the form",
    )
    def get(self, request: Request, pk: int) -> Response:
        process = selectors.process_get(user=request.user, process_id=pk)
        return Response(ProcessDetailSerializer(process).data)
