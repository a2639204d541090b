"""Reads of agreements, KPIs and results, and the guarded getters (missing = forbidden)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from krabuan.core.errors import NotFound
from krabuan.kpi.models import Agreement, Kpi, KpiResult, Milestone
from krabuan.kpi.permissions import can_read_agreements
from krabuan.kpi.scoring import round_key


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("unit").prefetch_related(
        "groups", Prefetch("kpis", queryset=Kpi.objects.select_related("group").order_by("number"))
    )


def agreement_list(*, fiscal_year: int | None = None, user: Any = None) -> QuerySet[Agreement]:
    """Agreements (newest year first) with their groups and KPIs; filtered by fiscal year; when
    a user is given, empty for one who may not read agreements."""
    qs = _agreements()
    if user is not None and not can_read_agreements(user):
        return qs.none()
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return qs.order_by("-fiscal_year", "unit__sort_order", "pk")


def agreement_years() -> list[int]:
    """The fiscal years that have an agreement, newest first."""
    return list(
        Agreement.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
    )


def agreement_get(*, user: Any, agreement_id: Any) -> Agreement:
    """One agreement for any signed-in staff member or auditor; NotFound for missing, for a
    requester and for the anonymous alike."""
    if not can_read_agreements(user):
        raise NotFound("ไม่พบคำรับรองการปฏิบัติราชการ", code="agreement_not_found")
    try:
        return _agreements().get(pk=agreement_id)
    except (Agreement.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("ไม่พบคำรับรองการปฏิบัติราชการ", code="agreement_not_found") from None


def kpi_get(*, user: Any, kpi_id: Any) -> Kpi:
    """One KPI with everything its page shows (baselines, roadmap, milestones and their steps,
    deliverables, results); same guard as agreement_get."""
    if not can_read_agreements(user):
        raise NotFound("ไม่พบตัวชี้วัด", code="kpi_not_found")
    try:
        return (
            Kpi.objects.select_related("agreement", "agreement__unit", "group")
            .prefetch_related(
                "baselines",
                "roadmap",
                "deliverables",
                Prefetch("milestones", queryset=Milestone.objects.prefetch_related("steps")),
                Prefetch("results", queryset=_results()),
            )
            .get(pk=kpi_id)
        )
    except (Kpi.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("ไม่พบตัวชี้วัด", code="kpi_not_found") from None


def _results() -> QuerySet[KpiResult]:
    return KpiResult.objects.select_related("entered_by").prefetch_related(
        "deliverables_done", "milestone_steps_done"
    )


def result_list(*, kpi: Kpi) -> list[KpiResult]:
    """A KPI's results in fiscal-year order (months, each round right after the month it
    closes)."""
    return sorted(_results().filter(kpi=kpi), key=lambda r: round_key(r.round))


def result_get(*, kpi: Kpi, round: str) -> KpiResult | None:
    """The result of a KPI for a stored round ("6m" or "2566-03"), if entered."""
    return _results().filter(kpi=kpi, round=round).first()


def agreement_results(*, agreement: Agreement) -> list[KpiResult]:
    """Every result of an agreement, by KPI number then fiscal-year order (for exports)."""
    rows = _results().select_related("kpi").filter(kpi__agreement=agreement)
    return sorted(rows, key=lambda r: (r.kpi.number, round_key(r.round)))
