"""Workflow API: start and read cases, work their steps, the process KPI and "my work".

Views parse, call one service or selector, and answer with the case; the services own the role
rules (403) and the flow rules (409), the guarded getters answer 404 for missing and hidden."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krabuan.core.api_schema import ERROR_RESPONSES, ErrorSerializer
from krabuan.core.errors import NotFound, field_error
from krabuan.core.thai import fiscal_year_of
from krabuan.manual.selectors import process_get
from krabuan.workflow import selectors, urgency
from krabuan.workflow.api.serializers import (
    MAX_ID,
    CasePageSerializer,
    CaseSerializer,
    CaseStartSerializer,
    ControlConfirmSerializer,
    KpiQuerySerializer,
    KpiSerializer,
    MyStepPageSerializer,
    MyStepsQuerySerializer,
    ReasonSerializer,
    RiskRecordSerializer,
    StepCompleteSerializer,
    control_points,
    risk_points,
)
from krabuan.workflow.api.serializers import CaseListQuerySerializer as CaseListQuery
from krabuan.workflow.models import StepInstance
from krabuan.workflow.services import cases as services

CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="refused by the flow, e.g. the step is not open; completing with "
        "unconfirmed control points lists them in `fields.controls`",
    )
}
CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id ของเรื่อง")
ORDER = OpenApiParameter("order", int, OpenApiParameter.PATH, description="ลำดับขั้นตอน")
CONTROL_N = OpenApiParameter(
    "n", int, OpenApiParameter.PATH, description="ลำดับ (เริ่มที่ 1) ของจุดควบคุมในขั้นตอน"
)
PROCESS_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id ของกระบวนงาน")


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _in_range(value: int, error: NotFound) -> int:
    # A path number past any id would overflow the database driver; it names nothing.
    if not 1 <= value <= MAX_ID:
        raise error
    return value


def _case_not_found() -> NotFound:
    return NotFound("ไม่พบเรื่อง", code="case_not_found")


def _instance(request: Request, pk: int, order: int) -> StepInstance:
    _in_range(pk, _case_not_found())
    _in_range(order, NotFound("ไม่พบขั้นตอน", code="step_not_found"))
    return selectors.step_instance_get(user=request.user, case_id=pk, order=order)


def _case_response(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    case = selectors.case_get(user=request.user, case_id=pk)
    return Response(CaseSerializer(case).data, status=code)


def _page(qs: QuerySet, params: dict[str, Any]) -> dict[str, Any]:
    limit, offset = params["limit"], params["offset"]
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "results": list(qs[offset : offset + limit]),
    }


class CaseListView(APIView):
    @extend_schema(
        operation_id="cases_list",
        parameters=[CaseListQuery],
        responses={200: CasePageSerializer, **ERROR_RESPONSES},
        summary="Cases visible to the user, newest first, filtered and paged",
        description="A requester sees only the cases they asked for; staff and auditors see all.",
    )
    def get(self, request: Request) -> Response:
        params = _valid(CaseListQuery, request.query_params)
        qs = selectors.case_list(
            user=request.user,
            status=params.get("status"),
            process_code=params.get("process"),
            fiscal_year=params.get("fiscal_year"),
            unit_code=params.get("unit"),
            late=params.get("late"),
            search=params.get("search"),
        )
        limit, offset = params["limit"], params["offset"]
        narrowed = any(
            params.get(f) is not None for f in ("status", "process", "fiscal_year", "unit", "late")
        )
        count = selectors.case_list_count(
            qs, user=request.user, search=params.get("search"), narrowed=narrowed
        )
        page = {
            "count": count,
            "limit": limit,
            "offset": offset,
            "results": selectors.case_list_page(qs, start=offset, stop=offset + limit),
        }
        return Response(CasePageSerializer(page).data)

    @extend_schema(
        operation_id="cases_create",
        request=CaseStartSerializer,
        responses={201: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Start a case of a process: the first step starts, the others wait",
        description="`started_at` back-dates the start, only for roles allowed to (403 otherwise).",
    )
    def post(self, request: Request) -> Response:
        data = _valid(CaseStartSerializer, request.data)
        case = services.case_start(
            process=process_get(user=request.user, process_id=data["process"]),
            title=data["title"],
            actor=request.user,
            priority=data["priority"],
            description=data.get("description", ""),
            started_at=data.get("started_at"),
            quantity=data.get("quantity"),
        )
        return _case_response(request, case.pk, status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="cases_retrieve",
        parameters=[CASE_ID],
        responses={200: CaseSerializer, **ERROR_RESPONSES},
        summary="One case with every step instance, its control points and outcomes",
    )
    def get(self, request: Request, pk: int) -> Response:
        return _case_response(request, pk)


class CaseCancelView(APIView):
    @extend_schema(
        operation_id="cases_cancel",
        parameters=[CASE_ID],
        request=ReasonSerializer,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Cancel an open case with a reason; its open and pending steps are cancelled",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ReasonSerializer, request.data)
        case = selectors.case_get(user=request.user, case_id=pk)
        services.case_cancel(case=case, actor=request.user, reason=data["reason"])
        return _case_response(request, pk)


class ControlConfirmView(APIView):
    @extend_schema(
        operation_id="cases_steps_controls_confirm",
        parameters=[CASE_ID, ORDER, CONTROL_N],
        request=ControlConfirmSerializer,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Confirm control point n (1-based, as listed in the step's `controls`)",
    )
    def post(self, request: Request, pk: int, order: int, n: int) -> Response:
        data = _valid(ControlConfirmSerializer, request.data)
        instance = _instance(request, pk, order)
        points = control_points(instance.step)
        if not 1 <= n <= len(points):
            raise NotFound(f"ขั้นตอนที่ {order} ไม่มีจุดควบคุมลำดับที่ {n}", code="control_not_found")
        services.control_confirm(
            instance=instance, control=points[n - 1], actor=request.user, note=data.get("note", "")
        )
        return _case_response(request, pk)


class StepCompleteView(APIView):
    @extend_schema(
        operation_id="cases_steps_complete",
        parameters=[CASE_ID, ORDER],
        request=StepCompleteSerializer,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Complete the open step; 409 while a control point is unconfirmed",
        description=(
            "An outcome that returns to an earlier step starts a new pass from there. "
            "`completed_at` back-dates, only for roles allowed to (403 otherwise)."
        ),
    )
    def post(self, request: Request, pk: int, order: int) -> Response:
        data = _valid(StepCompleteSerializer, request.data)
        instance = _instance(request, pk, order)
        services.step_complete(
            instance=instance,
            actor=request.user,
            outcome=data.get("outcome", ""),
            note=data.get("note", ""),
            quantity=data.get("quantity"),
            alternative=data.get("alternative"),
            completed_at=data.get("completed_at"),
        )
        return _case_response(request, pk)


class StepSkipView(APIView):
    @extend_schema(
        operation_id="cases_steps_skip",
        parameters=[CASE_ID, ORDER],
        request=ReasonSerializer,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Skip an optional or conditional step with a reason (409 for other steps)",
    )
    def post(self, request: Request, pk: int, order: int) -> Response:
        data = _valid(ReasonSerializer, request.data)
        instance = _instance(request, pk, order)
        services.step_skip(instance=instance, actor=request.user, reason=data["reason"])
        return _case_response(request, pk)


class StepPauseView(APIView):
    @extend_schema(
        operation_id="cases_steps_pause",
        parameters=[CASE_ID, ORDER],
        request=ReasonSerializer,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Wait for an outside party; the waiting time does not count against the deadline",
    )
    def post(self, request: Request, pk: int, order: int) -> Response:
        data = _valid(ReasonSerializer, request.data)
        instance = _instance(request, pk, order)
        services.step_pause(instance=instance, actor=request.user, reason=data["reason"])
        return _case_response(request, pk)


class StepResumeView(APIView):
    @extend_schema(
        operation_id="cases_steps_resume",
        parameters=[CASE_ID, ORDER],
        request=None,
        responses={200: CaseSerializer, **ERROR_RESPONSES, **CONFLICT},
        summary="Resume a paused step; its deadline moves by the time waited",
    )
    def post(self, request: Request, pk: int, order: int) -> Response:
        instance = _instance(request, pk, order)
        services.step_resume(instance=instance, actor=request.user)
        return _case_response(request, pk)


class RiskRecordView(APIView):
    @extend_schema(
        operation_id="cases_steps_risks_create",
        parameters=[CASE_ID, ORDER],
        request=RiskRecordSerializer,
        responses={201: CaseSerializer, **ERROR_RESPONSES},
        summary="Record that a risk happened at a step (`risk`: n of the step's `risks`)",
    )
    def post(self, request: Request, pk: int, order: int) -> Response:
        data = _valid(RiskRecordSerializer, request.data)
        instance = _instance(request, pk, order)
        risk = None
        if data.get("risk") is not None:
            risks = risk_points(instance.step)
            if data["risk"] > len(risks):
                raise field_error("risk", f"ขั้นตอนที่ {order} มีความเสี่ยง {len(risks)} รายการ")
            risk = risks[data["risk"] - 1]
        services.risk_record(instance=instance, actor=request.user, note=data["note"], risk=risk)
        return _case_response(request, pk, status.HTTP_201_CREATED)


class ProcessKpiView(APIView):
    @extend_schema(
        operation_id="processes_kpi_retrieve",
        parameters=[PROCESS_ID, KpiQuerySerializer],
        responses={200: KpiSerializer, **ERROR_RESPONSES},
        summary="Steps done within the set time in a fiscal year, against the manual's target",
        description=(
            "Counts step instances with a deadline of cases started in the fiscal year (the "
            "current one by default), skipped and cancelled steps excluded. `on_time_pct` is "
            "null while no step is completed."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        params = _valid(KpiQuerySerializer, request.query_params)
        process = process_get(user=request.user, process_id=pk)
        year = params.get("fiscal_year") or fiscal_year_of(timezone.now())
        kpi = selectors.process_kpi(process=process, fiscal_year=year)
        return Response(KpiSerializer(kpi).data)


class MyStepsView(APIView):
    @extend_schema(
        operation_id="my_steps_list",
        parameters=[MyStepsQuerySerializer],
        responses={200: MyStepPageSerializer, **ERROR_RESPONSES},
        summary="My open steps by deadline (a group head's group, a director's all)",
        description=(
            "`state`: overdue (past the deadline), due_soon (75% of the allowed time gone, or "
            "less than one working day left), on_time, or no_deadline (the duration gives no "
            "deadline; a paused step is judged as of its pause). A scope the user's role does "
            "not allow falls back to mine."
        ),
    )
    def get(self, request: Request) -> Response:
        params = _valid(MyStepsQuerySerializer, request.query_params)
        qs = selectors.my_steps(user=request.user, scope=params["scope"])
        clock = urgency.clock(timezone.now())
        page = MyStepPageSerializer(_page(qs, params), context={"clock": clock})
        return Response(page.data)
