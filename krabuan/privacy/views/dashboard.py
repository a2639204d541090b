"""The PDPA dashboard (privacy:home): KPI 2 and 5 deliverables from the records, RoPA coverage
by unit, open data-subject requests with days left and open breaches with hours left (each
only those the viewer may see), and the latest publication audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.thai import fiscal_year_of, parse_int
from krabuan.privacy.models import Breach, BreachStatus, PublicationAudit, RiskLevel
from krabuan.privacy.permissions import can_view_records, is_privacy_team
from krabuan.privacy.selectors.dashboard import kpi2_status, kpi5_status, ropa_coverage
from krabuan.privacy.selectors.requests import OPEN_STATUSES, open_requests_for_user


def open_breaches(user: Any, *, now: dt.datetime | None = None) -> list[Breach]:
    """Open breaches the user may see, with `hours_left` to the PDPC deadline (None when no
    notice is due: assessed as no risk, or already notified)."""
    now = now or timezone.now()
    qs = Breach.objects.exclude(status=BreachStatus.CLOSED)
    if not is_privacy_team(user):
        qs = qs.filter(assigned_to=user)
    rows = list(qs.order_by("pdpc_deadline", "id"))
    for row in rows:
        due = row.pdpc_notified_at is None and row.risk_level != RiskLevel.NONE
        hours = (row.pdpc_deadline - now).total_seconds() / 3600 if due else None
        row.hours_left = None if hours is None else int(hours // 1)  # type: ignore[attr-defined]
        row.hours_over = None if hours is None else int(-hours // 1)  # type: ignore[attr-defined]
    return rows


def _year(request: HttpRequest) -> int:
    current = fiscal_year_of(timezone.now())
    raw = request.GET.get("year", "")
    try:
        year = parse_int(raw) if raw else current
    except (ValueError, ArithmeticError):
        return current
    return year if 2560 <= year <= current + 1 else current


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_records(user):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่เท่านั้น"))
    year = _year(request)
    kpi2 = kpi2_status(fiscal_year=year)
    kpi5 = kpi5_status(fiscal_year=year)
    covered, total = ropa_coverage(kpi5.units)
    team = is_privacy_team(user)
    context = {
        "year": year,
        "years": list(range(fiscal_year_of(timezone.now()), 2565, -1)),
        "kpi2": kpi2,
        "kpi5": kpi5,
        "covered": covered,
        "total_units": total,
        "coverage_pct": round(covered * 100 / total) if total else None,
        "requests": open_requests_for_user(user=user),
        "open_statuses": OPEN_STATUSES,
        "breaches": open_breaches(user),
        "is_team": team,
        "last_audit": PublicationAudit.objects.order_by("-created_at", "-id").first()
        if team
        else None,
    }
    return render(request, "privacy/dashboard/home.html", context)
