"""What every KPI page shares: the role guards, the guarded getters as 404s, and the round a page
is about."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.thai import BE_OFFSET, MONTHS_SHORT
from krabuan.kpi import selectors
from krabuan.kpi.models import Agreement, Kpi, Round
from krabuan.kpi.permissions import ENTER_RESULTS, READ_AGREEMENT
from krabuan.kpi.scoring import round_parse
from krabuan.org.permissions import role_required

# Pages: staff and the auditor read; a signed-in account without such a role gets 403.
readers = role_required(set(READ_AGREEMENT))
# Entering results: the auditor and the requester get 403 before anything is read or written.
enterers = role_required(set(ENTER_RESULTS))

ROUNDS = (Round.SIX.value, Round.NINE.value, Round.TWELVE.value)


def agreement_or_404(request: HttpRequest, agreement_id: int) -> Agreement:
    try:
        return selectors.agreement_get(user=request.user, agreement_id=agreement_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def kpi_or_404(request: HttpRequest, kpi_id: int) -> Kpi:
    try:
        return selectors.kpi_get(user=request.user, kpi_id=kpi_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def current_round(agreement: Agreement, today: dt.date | None = None) -> str:
    """The round an agreement is in today: 6 months until the end of its sixth month, then 9,
    then 12 (and 12 once the year is over)."""
    today = today or timezone.localdate()
    start = agreement.period_start
    months = (today.year - start.year) * 12 + today.month - start.month + 1
    if months <= 6:
        return Round.SIX.value
    if months <= 9:
        return Round.NINE.value
    return Round.TWELVE.value


def requested_round(request: HttpRequest, agreement: Agreement) -> tuple[str, str | None]:
    """The `round` query parameter as stored ("6m", "2566-03"), else the current round; the
    second item is a Thai warning when the parameter was given but not understood."""
    raw = request.GET.get("round")
    if not raw:
        return current_round(agreement), None
    try:
        return round_parse(raw, fiscal_year=agreement.fiscal_year), None
    except ApplicationError as exc:
        return current_round(agreement), _("รอบไม่ถูกต้อง: %(m)s แสดงรอบปัจจุบันแทน") % {"m": exc.message}


def month_choices(agreement: Agreement) -> list[tuple[str, str]]:
    """The twelve months of the fiscal year as stored rounds ("2565-10" … "2566-09")."""
    ce = agreement.fiscal_year - BE_OFFSET
    choices = []
    for offset in range(12):
        month = (9 + offset) % 12 + 1
        year_be = (ce - 1 if month >= 10 else ce) + BE_OFFSET
        choices.append((f"{year_be}-{month:02d}", f"{MONTHS_SHORT[month - 1]} {year_be}"))
    return choices
