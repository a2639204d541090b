"""KPI API: the performance agreements, their KPIs' results and the agreement's score.

Views parse, call one selector or service and answer; the guarded getters answer 404 for
missing and hidden objects alike, result_record owns the validation of a result (400 by field)
and the role rule, which the view also applies up front so that a refused write is a 403
whatever the body or the id."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES
from krabuan.core.errors import NotFound
from krabuan.kpi import selectors
from krabuan.kpi.api.serializers import (
    MAX_ID,
    AgreementDetailSerializer,
    AgreementListItemSerializer,
    AgreementListQuerySerializer,
    ResultCreateSerializer,
    ResultSerializer,
    ResultUploadSerializer,
    ScoreQuerySerializer,
    ScoreSerializer,
)
from krabuan.kpi.models import Agreement, Milestone
from krabuan.kpi.permissions import ENTER_RESULTS
from krabuan.kpi.scoring import agreement_score
from krabuan.kpi.services.results import result_record
from krabuan.org.permissions import HasRole

AGREEMENT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id ของคำรับรอง (จาก GET /api/v1/agreements/)"
)
KPI_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id ของตัวชี้วัด (kpis[].id ของคำรับรอง)"
)


class ResultWritePermission(HasRole):
    """Reading needs a signed-in user; entering results needs a role that may (403 otherwise)."""

    message = "บทบาทของท่านบันทึกผลตัวชี้วัดไม่ได้"


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _agreement(request: Request, pk: int) -> Agreement:
    # A path number past any id would overflow the database driver; it names nothing.
    if not 1 <= pk <= MAX_ID:
        raise NotFound("ไม่พบคำรับรองการปฏิบัติราชการ", code="agreement_not_found")
    return selectors.agreement_get(user=request.user, agreement_id=pk)


def _kpi_id(pk: int) -> int:
    if not 1 <= pk <= MAX_ID:
        raise NotFound("ไม่พบตัวชี้วัด", code="kpi_not_found")
    return pk


class AgreementListView(APIView):
    @extend_schema(
        operation_id="agreements_list",
        parameters=[AgreementListQuerySerializer],
        responses={200: AgreementListItemSerializer(many=True), **ERROR_RESPONSES},
        summary="Performance agreements (newest year first) with their KPIs",
        description=(
            "Every year by default; `fiscal_year` (Thai or Arabic digits) keeps one year. A user "
            "whose role may not read agreements (a requester, or no role) gets an empty list."
        ),
    )
    def get(self, request: Request) -> Response:
        params = _valid(AgreementListQuerySerializer, request.query_params)
        agreements = selectors.agreement_list(
            fiscal_year=params.get("fiscal_year"), user=request.user
        )
        return Response(AgreementListItemSerializer(agreements, many=True).data)


class AgreementDetailView(APIView):
    @extend_schema(
        operation_id="agreements_retrieve",
        parameters=[AGREEMENT_ID],
        responses={200: AgreementDetailSerializer, **ERROR_RESPONSES},
        summary="One agreement: its groups, and each KPI with levels, milestones and deliverables",
    )
    def get(self, request: Request, pk: int) -> Response:
        agreement = _agreement(request, pk)
        # Everything the answer shows, in a fixed number of queries whatever the KPI count.
        prefetch_related_objects(
            [agreement],
            "kpis__baselines",
            "kpis__roadmap",
            "kpis__deliverables",
            Prefetch("kpis__milestones", queryset=Milestone.objects.prefetch_related("steps")),
        )
        return Response(AgreementDetailSerializer(agreement).data)


class AgreementScoreView(APIView):
    @extend_schema(
        operation_id="agreements_score_retrieve",
        parameters=[AGREEMENT_ID, ScoreQuerySerializer],
        responses={200: ScoreSerializer, **ERROR_RESPONSES},
        summary="The agreement's weighted score for a round, with each KPI's score",
        description=(
            "`total` = Σ score × weight / 100, each KPI's score after its milestone deduction; "
            "scores are rounded to 2 decimals (half up). A KPI without a result has `score` null "
            "and counts 0; its id is listed in `missing`."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        params = _valid(ScoreQuerySerializer, request.query_params)
        agreement = _agreement(request, pk)
        score = agreement_score(agreement, params["round"])
        return Response(ScoreSerializer(score).data)


class KpiResultsView(APIView):
    permission_classes = [ResultWritePermission]
    required_roles = ENTER_RESULTS

    @extend_schema(
        operation_id="kpis_results_list",
        parameters=[KPI_ID],
        responses={200: ResultSerializer(many=True), **ERROR_RESPONSES},
        summary="A KPI's results, in fiscal-year order (months, each round after its last month)",
    )
    def get(self, request: Request, pk: int) -> Response:
        kpi = selectors.kpi_get(user=request.user, kpi_id=_kpi_id(pk))
        return Response(ResultSerializer(selectors.result_list(kpi=kpi), many=True).data)

    @extend_schema(
        operation_id="kpis_results_create",
        parameters=[KPI_ID],
        request={
            "application/json": ResultCreateSerializer,
            "multipart/form-data": ResultUploadSerializer,
        },
        responses={
            201: OpenApiResponse(ResultSerializer, description="a new result of the round"),
            200: OpenApiResponse(ResultSerializer, description="the round's result, replaced"),
            **ERROR_RESPONSES,
        },
        summary="Enter a KPI's result for a round or a month (multipart to attach evidence)",
        description=(
            "One result per KPI and round: posting the same round again replaces its value "
            "(200), keeping the deliverables, steps, note and evidence that are not sent. A KPI "
            "that requires evidence refuses a first result without an `evidence` file "
            "(multipart/form-data). Every error names its field in `fields`; nothing is saved. "
            "Roles: director, group head, officer, DPO, administrator; others get 403."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ResultUploadSerializer, request.data)
        kpi = selectors.kpi_get(user=request.user, kpi_id=_kpi_id(pk))
        # The KPI comes with its results prefetched: the rounds already entered.
        entered = {r.round for r in kpi.results.all()}
        result = result_record(
            kpi=kpi,
            round=data["round"],
            value=data["value"],
            actor=request.user,
            deliverables=data.get("deliverables"),
            milestone_steps=data.get("milestone_steps"),
            note=data.get("note"),
            evidence=data.get("evidence"),
        )
        code = status.HTTP_200_OK if result.round in entered else status.HTTP_201_CREATED
        return Response(ResultSerializer(result).data, status=code)
