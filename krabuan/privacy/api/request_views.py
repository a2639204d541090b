"""Requests API: the public submission (no sign-in) and the reads for entitled staff.

POST is open to anyone: it is throttled per address (DRF, 30 calls an hour) and the service
accepts at most 5 requests per address per hour, with the same validation as the public form.
The form's arithmetic question is not asked here (an API client is a program by design); the
honeypot field `website` must stay empty. A signed-in member of the privacy team posting here
records a staff entry instead (channel "staff", `received_at` may be back-dated)."""

from __future__ import annotations

from typing import Any, NoReturn

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES, ErrorSerializer
from krabuan.org.login_throttle import client_ip
from krabuan.privacy import challenge
from krabuan.privacy.api.request_serializers import (
    MAX_ID,
    RequestCreatedSerializer,
    RequestDetailSerializer,
    RequestListQuerySerializer,
    RequestPageSerializer,
    RequestSubmitSerializer,
)
from krabuan.privacy.permissions import is_privacy_team
from krabuan.privacy.selectors import requests as selectors
from krabuan.privacy.services.requests import request_create, request_submit_public

REQUEST_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id ของคำขอ")
TOO_MANY = {
    429: OpenApiResponse(
        ErrorSerializer, description="more than 5 requests an hour from one address"
    )
}


class PublicSubmitThrottle(SimpleRateThrottle):
    """Calls to the public submission per address, valid or not, signed in or not (the service
    counts only accepted requests)."""

    scope = "privacy_request"
    rate = "30/hour"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RequestListView(APIView):
    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [PublicSubmitThrottle()] if self.request.method == "POST" else []

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        minutes = max(1, int(-(-(wait or 60) // 60)))
        raise exceptions.Throttled(wait, detail=f"ส่งคำขอถี่เกินไป กรุณาลองใหม่ในอีก {minutes} นาที")

    @extend_schema(
        operation_id="privacy_requests_list",
        parameters=[RequestListQuerySerializer],
        responses={200: RequestPageSerializer, **ERROR_RESPONSES},
        summary="Data-subject requests the user may see (privacy team: all; staff: assigned)",
        description="No contact details in the list; `days_left` counts calendar days to the "
        "due date.",
    )
    def get(self, request: Request) -> Response:
        params = _valid(RequestListQuerySerializer, request.query_params)
        qs = selectors.request_list_for_user(
            user=request.user,
            status=params.get("status"),
            type=params.get("type"),
            overdue=params.get("overdue"),
            search=params.get("search"),
            sort=params.get("sort"),
        )
        limit, offset = params["limit"], params["offset"]
        page = {
            "count": qs.count(),
            "limit": limit,
            "offset": offset,
            "results": list(qs[offset : offset + limit]),
        }
        return Response(RequestPageSerializer(page).data)

    @extend_schema(
        operation_id="privacy_requests_create",
        request=RequestSubmitSerializer,
        responses={201: RequestCreatedSerializer, **ERROR_RESPONSES, **TOO_MANY},
        auth=[],
        extensions={"x-public": True},  # no sign-in: the schema fuzz run checks it as public
        summary="Submit a data-subject request (public, no sign-in)",
        description=(
            "Due date: received + 30 calendar days (erasure 90; KRABUAN_DSR_DAYS). At least one "
            "contact (email, phone or address) is required. At most 5 accepted requests per "
            "address per hour (429). The privacy team's calls are staff entries."
        ),
    )
    def post(self, request: Request) -> Response:
        data = _valid(RequestSubmitSerializer, request.data)
        challenge.honeypot_check(data.get("website"))
        fields = {
            "type": data["type"],
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "address": data["address"],
            "details": data["details"],
            "activity_id": data.get("activity"),
        }
        if is_privacy_team(request.user):
            created = request_create(
                actor=request.user, received_at=data.get("received_at"), **fields
            )
        else:
            created = request_submit_public(**fields, ip=client_ip(request._request))
        body = RequestCreatedSerializer(created).data
        return Response(body, status=status.HTTP_201_CREATED)


class RequestDetailView(APIView):
    @extend_schema(
        operation_id="privacy_requests_retrieve",
        parameters=[REQUEST_ID],
        responses={200: RequestDetailSerializer, **ERROR_RESPONSES},
        summary="One request with the requester's contact details (the read is audited)",
        description="404 for anyone but the privacy team and the assigned staff member.",
    )
    def get(self, request: Request, pk: int) -> Response:
        found = selectors.request_get_for_user(
            user=request.user, request_id=pk if 1 <= pk <= MAX_ID else 0, via="api"
        )
        context = {"contact": selectors.request_contact(found)}
        return Response(RequestDetailSerializer(found, context=context).data)
