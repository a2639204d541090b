"""RoPA API: the register and one RoPA with every item, for staff roles (the auditor included).
Anonymous callers get 401, signed-in users without a staff role 403; an unknown id is 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES
from krabuan.core.errors import NotFound
from krabuan.core.thai import to_arabic_digits
from krabuan.org.models import Unit
from krabuan.privacy.api.records_serializers import (
    RopaDetailSerializer,
    RopaListItemSerializer,
    RopaListQuerySerializer,
)
from krabuan.privacy.permissions import can_view_records
from krabuan.privacy.selectors import records as sel

ROPA_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id ของ RoPA")


class CanViewRecords(BasePermission):
    """Signed in (401 otherwise) with a staff role (403 otherwise)."""

    message = "บทบาทของท่านดูบันทึกรายการกิจกรรมการประมวลผลไม่ได้"

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and can_view_records(request.user)
        )


def _unit_id(value: str | None) -> int | None:
    """A unit given by code or id; an unknown unit matches nothing (-1)."""
    if not value:
        return None
    text = to_arabic_digits(value.strip())
    unit = Unit.objects.filter(code=text).values_list("pk", flat=True).first()
    if unit is None and text.isdigit() and len(text) < 10:
        unit = Unit.objects.filter(pk=int(text)).values_list("pk", flat=True).first()
    return unit if unit is not None else -1


class RopaListView(APIView):
    permission_classes = [CanViewRecords]

    @extend_schema(
        operation_id="privacy_ropa_list",
        parameters=[RopaListQuerySerializer],
        responses={200: RopaListItemSerializer(many=True), **ERROR_RESPONSES},
        summary="The RoPA register: each RoPA with its published and latest version",
        description=(
            "Every RoPA by unit and activity; `unit` (code or id) and `kind` (controller / "
            "processor) filter. `published` is null until a version is published; `latest` is "
            "the newest version whatever its status. Staff roles only (401 anonymous, 403 other "
            "roles)."
        ),
    )
    def get(self, request: Request) -> Response:
        query = RopaListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        ropas = sel.ropa_register(unit_id=_unit_id(params.get("unit")), kind=params.get("kind", ""))
        return Response(RopaListItemSerializer(ropas, many=True).data)


class RopaDetailView(APIView):
    permission_classes = [CanViewRecords]

    @extend_schema(
        operation_id="privacy_ropa_retrieve",
        parameters=[ROPA_ID],
        responses={200: RopaDetailSerializer, **ERROR_RESPONSES},
        summary="One RoPA: every item of its published and latest versions, and its refusals",
        description=(
            "`published` and `latest` carry every item of the record (s.39 (1)–(8) with lawful "
            "bases, recipients and transfers; or the six processor items), `missing` lists what "
            "the completeness check still asks for, `refusals` the refused requests and "
            "objections written into the record (s.39 (7))."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        if not 1 <= pk <= sel.MAX_ID:
            raise NotFound("ไม่พบบันทึกรายการกิจกรรมการประมวลผล", code="ropa_not_found")
        ropa = sel.ropa_get(user=request.user, ropa_id=pk)
        return Response(RopaDetailSerializer(ropa).data)
