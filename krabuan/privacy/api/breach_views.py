"""Breach API: report and list, one breach, its assessment, and the two notices.

Only the privacy team and the assigned staff see a breach (404 for everyone else, the same as a
missing one); every read of one breach is audited as "view". The services validate the bodies
and name each bad field in Thai."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES, ErrorSerializer
from krabuan.core.errors import ApplicationError, field_error
from krabuan.privacy.api.breach_serializers import (
    AssessmentRequestSerializer,
    AssessmentResultSerializer,
    BreachCreateSerializer,
    BreachDetailSerializer,
    BreachSerializer,
    NoticeRequestSerializer,
)
from krabuan.privacy.models import Breach, BreachAssessment, BreachChannel
from krabuan.privacy.selectors.breaches import breach_get_for_user, breach_list_for_user
from krabuan.privacy.services.breaches import (
    breach_assess,
    breach_notify_pdpc,
    breach_notify_subjects,
    breach_report,
)

BREACH_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id ของเหตุละเมิด")
ERRORS = {
    **ERROR_RESPONSES,
    409: OpenApiResponse(ErrorSerializer, description="the breach's state does not allow it"),
}


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ApplicationError("ข้อมูลที่ส่งต้องเป็น JSON object", code="invalid")
    return dict(request.data)


def _breach(request: Request, pk: int, *, log_view: bool) -> Breach:
    return breach_get_for_user(user=request.user, breach_id=pk, log_view=log_view)


class BreachListView(APIView):
    @extend_schema(
        operation_id="privacy_breaches_list",
        responses={200: BreachSerializer(many=True), **ERRORS},
        summary="Breaches the user may see (the privacy team: all; other staff: assigned ones)",
    )
    def get(self, request: Request) -> Response:
        breaches = breach_list_for_user(request.user)
        return Response(BreachSerializer(breaches, many=True).data)

    @extend_schema(
        operation_id="privacy_breaches_create",
        request=BreachCreateSerializer,
        responses={201: BreachSerializer, **ERRORS},
        summary="Report a breach; pdpc_deadline is exactly 72 hours after aware_at",
        description=(
            "`aware_at` must carry its offset (UTC or +07:00 give the same deadline). Staff roles "
            "(director, group head, officer, DPO, admin) and the privacy team report; others 403."
        ),
    )
    def post(self, request: Request) -> Response:
        data = _body(request)
        channel = data.get("channel") or BreachChannel.INTERNAL
        if channel not in (BreachChannel.INTERNAL, BreachChannel.PROCESSOR):
            raise field_error("channel", "ช่องทางต้องเป็น internal หรือ processor")
        breach = breach_report(
            actor=request.user,
            channel=channel,
            title=data.get("title"),
            aware_at=data.get("aware_at"),
            description=data.get("description"),
            data_types=data.get("data_types"),
            subjects_count=data.get("subjects_count"),
            records_count=data.get("records_count"),
            occurred_at=data.get("occurred_at"),
            systems_affected=data.get("systems_affected", ""),
        )
        return Response(BreachSerializer(breach).data, status=status.HTTP_201_CREATED)


class BreachDetailView(APIView):
    @extend_schema(
        operation_id="privacy_breaches_retrieve",
        parameters=[BREACH_ID],
        responses={200: BreachDetailSerializer, **ERRORS},
        summary="One breach with every assessment (the read is audited)",
    )
    def get(self, request: Request, pk: int) -> Response:
        breach = _breach(request, pk, log_view=True)
        breach = (
            Breach.objects.select_related("case")
            .prefetch_related(
                Prefetch("assessments", queryset=BreachAssessment.objects.order_by("-assessed_at"))
            )
            .get(pk=breach.pk)
        )
        return Response(BreachDetailSerializer(breach).data)


class BreachAssessmentView(APIView):
    @extend_schema(
        operation_id="privacy_breaches_assessment_create",
        parameters=[BREACH_ID],
        request=AssessmentRequestSerializer,
        responses={200: AssessmentResultSerializer, **ERRORS},
        summary="Assess the seven factors and choose the level; returns the obligations",
        description=(
            "A level lower than the suggested one needs `note`. `pdpc_deadline` is null when the "
            "PDPC Office need not be notified (level none). Privacy team only (403 otherwise)."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        breach = _breach(request, pk, log_view=False)
        data = _body(request)
        factors = data.get("factors") if isinstance(data.get("factors"), dict) else data
        assessment = breach_assess(
            actor=request.user,
            breach=breach,
            factors=factors,
            level=data.get("level"),
            note=data.get("note", ""),
            notes=data.get("notes"),
        )
        breach.refresh_from_db()
        body = {
            "assessment_id": assessment.pk,
            "level": assessment.level,
            "suggested_level": assessment.factors.get("_suggested", {}).get("value"),
            "notify_pdpc": assessment.notify_pdpc,
            "pdpc_deadline": breach.pdpc_deadline if assessment.notify_pdpc else None,
            "notify_subjects": assessment.notify_subjects,
        }
        return Response(AssessmentResultSerializer(body).data)


class _NoticeView(APIView):
    service: Any = None

    def post(self, request: Request, pk: int) -> Response:
        breach = _breach(request, pk, log_view=False)
        data = _body(request)
        kwargs = {"late_reason": data.get("late_reason", "")} if self.late else {}
        updated = type(self).service(
            actor=request.user, breach=breach, notified_at=data.get("notified_at"), **kwargs
        )
        return Response(BreachSerializer(updated).data)

    late = False


class BreachNotifyPdpcView(_NoticeView):
    service = staticmethod(breach_notify_pdpc)
    late = True

    @extend_schema(
        operation_id="privacy_breaches_notify_pdpc",
        parameters=[BREACH_ID],
        request=NoticeRequestSerializer,
        responses={200: BreachSerializer, **ERRORS},
        summary="Record the notice to the PDPC Office (after 72 hours: late_reason required)",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class BreachNotifySubjectsView(_NoticeView):
    service = staticmethod(breach_notify_subjects)

    @extend_schema(
        operation_id="privacy_breaches_notify_subjects",
        parameters=[BREACH_ID],
        request=NoticeRequestSerializer,
        responses={200: BreachSerializer, **ERRORS},
        summary="Record the notice to the data subjects",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)
