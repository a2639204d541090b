"""Entering a KPI's result for a round or a month. The form collects, the result service checks
and saves in one transaction; its Thai messages are shown next to the field they name. With
HTMX the form is swapped in place and the agreement's total card updates after a save."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from krabuan.core import errors
from krabuan.core.errors import ApplicationError
from krabuan.kpi import selectors
from krabuan.kpi.documents.data import score_number
from krabuan.kpi.forms import ResultForm, result_initial
from krabuan.kpi.models import Agreement, Kpi
from krabuan.kpi.scoring import agreement_score, round_key, round_label
from krabuan.kpi.services.results import result_record
from krabuan.kpi.views.agreements import round_options
from krabuan.kpi.views.common import ROUNDS, current_round, enterers, kpi_or_404, requested_round


def _earlier(kpi: Kpi, round: str) -> tuple[set[int], set[int]]:
    """Deliverables and milestone steps marked done in results before this round (they count
    already; the form says so)."""
    try:
        key = round_key(round)
    except ValueError:
        return set(), set()
    deliverables: set[int] = set()
    steps: set[int] = set()
    for result in kpi.results.all():
        if result.round != round and round_key(result.round) < key:
            deliverables.update(d.pk for d in result.deliverables_done.all())
            steps.update(s.pk for s in result.milestone_steps_done.all())
    return deliverables, steps


def _form(kpi: Kpi, round: str, *args: Any, **kwargs: Any) -> ResultForm:
    earlier_d, earlier_s = _earlier(kpi, round)
    return ResultForm(
        *args,
        kpi=kpi,
        round=round,
        round_choices=round_options(kpi.agreement),
        earlier_deliverables=earlier_d,
        earlier_steps=earlier_s,
        **kwargs,
    )


def _score_card(request: HttpRequest, agreement: Agreement, kpi: Kpi, round: str) -> dict[str, Any]:
    """The agreement's total (re-read, so it includes what was just saved) for a round; for a
    month, the round that month belongs to."""
    if round not in ROUNDS:
        round = current_round(agreement)
    fresh = selectors.agreement_get(user=request.user, agreement_id=agreement.pk)
    score = agreement_score(fresh, round)
    mine = next(row for row in score["kpis"] if row["id"] == kpi.pk)
    return {
        "card_round": round,
        "card_round_label": round_label(round),
        "card_total": score_number(score["total"]),
        "card_projected": score_number(score["projected_total"]),
        "card_kpi_score": score_number(mine["score"]),
        "card_kpi_weighted": score_number(mine["weighted"]),
        "card_kpi_deduction": score_number(mine["deduction"]) if mine["deduction"] else "",
    }


def _context(
    request: HttpRequest, kpi: Kpi, form: ResultForm, round: str, **extra: Any
) -> dict[str, Any]:
    existing = selectors.result_get(kpi=kpi, round=round) if round else None
    return {
        "kpi": kpi,
        "agreement": kpi.agreement,
        "form": form,
        "round": round,
        "existing": existing,
        "evidence_name": (existing.evidence.name or "").rsplit("/", 1)[-1] if existing else "",
        **_score_card(request, kpi.agreement, kpi, round),
        **extra,
    }


@enterers
def result_entry(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """GET: the form for a round (?round=, prefilled with what is stored). POST: save it."""
    kpi = kpi_or_404(request, kpi_id)
    agreement = kpi.agreement
    htmx = bool(getattr(request, "htmx", False))
    template = "kpi/_result_form.html" if htmx else "kpi/result_form.html"
    if request.method != "POST":
        round, warning = requested_round(request, agreement)
        if warning:
            messages.warning(request, warning)
        existing = selectors.result_get(kpi=kpi, round=round)
        form = _form(kpi, round, initial=result_initial(existing, round))
        return render(request, template, _context(request, kpi, form, round))

    raw_round = str(request.POST.get("round", ""))[:20]
    form = _form(kpi, raw_round, request.POST, request.FILES)
    saved = None
    if form.is_valid():
        try:
            saved = result_record(kpi=kpi, actor=request.user, **form.service_arguments())
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            form.apply_error(exc)
    if saved is None:
        round = raw_round if raw_round in ROUNDS else ""
        context = _context(request, kpi, form, round, failed=True)
        # HTMX swaps only successful answers; a plain form post says 400.
        return render(request, template, context, status=200 if htmx else 400)

    text = _("บันทึกผล%(round)s ของตัวชี้วัดที่ %(n)s แล้ว") % {
        "round": round_label(saved.round),
        "n": kpi.number,
    }
    if not htmx:
        messages.success(request, text)
        target = saved.round if saved.round in ROUNDS else current_round(agreement)
        url = reverse("kpi:agreement_detail", kwargs={"agreement_id": agreement.pk})
        return redirect(f"{url}?round={target}#kpi-{kpi.pk}")
    kpi = kpi_or_404(request, kpi.pk)  # re-read with the saved result
    existing = selectors.result_get(kpi=kpi, round=saved.round)
    form = _form(kpi, saved.round, initial=result_initial(existing, saved.round))
    context = _context(request, kpi, form, saved.round, saved_message=text, oob=True)
    return render(request, template, context)
