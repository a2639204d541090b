"""One KPI's page (definition, data source, levels, baselines, roadmap, milestones and their
steps, deliverables, deduction rule, results with their evidence) and the guarded evidence
download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.registry import live_source
from krabuan.kpi.documents.data import (
    LEVEL_HEADERS,
    deliverable_text,
    level_cells,
    plain_number,
    score_number,
    value_text,
)
from krabuan.kpi.models import KpiResult
from krabuan.kpi.permissions import can_edit_agreement, can_enter_results
from krabuan.kpi.scoring import kpi_score, round_key, round_label
from krabuan.kpi.views.common import current_round, kpi_or_404, readers
from krabuan.workflow.services.records import content_type_for


@readers
@require_GET
def kpi_detail(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """Everything the agreement says about one KPI, its score now and its results history."""
    kpi = kpi_or_404(request, kpi_id)
    agreement = kpi.agreement
    round = current_round(agreement)
    now = kpi_score(kpi, round)
    results = sorted(kpi.results.all(), key=lambda r: round_key(r.round))
    history = [
        {
            "result": r,
            "label": round_label(r.round),
            "value": value_text(kpi, r.value) if r.value is not None else "",
            "evidence_name": (r.evidence.name or "").rsplit("/", 1)[-1],
            "entered_by": (r.entered_by.get_full_name() or r.entered_by.username)
            if r.entered_by
            else "",
        }
        for r in results
    ]
    deliverables = list(kpi.deliverables.all())
    source = live_source(kpi.live_source) if kpi.live_source else None
    context = {
        "can_edit": can_edit_agreement(request.user),
        "kpi": kpi,
        "agreement": agreement,
        "round": round,
        "round_label": round_label(round),
        "score": score_number(now.score),
        "weighted": score_number(now.weighted),
        "deduction": score_number(now.deduction) if now.deduction else "",
        "value": value_text(kpi, now.value) if now.value is not None else "",
        "source": now.source,
        "measured_at": now.details.get("measured_at"),
        "live_label": source.label if source else kpi.live_source,
        "levels": list(zip(LEVEL_HEADERS, level_cells(kpi), strict=True)),
        "baselines": [
            {"year": b.year, "text": plain_number(b.value) if b.value is not None else b.text}
            for b in kpi.baselines.all()
        ],
        "roadmap": [
            {"year": r.year, "text": r.text or value_text(kpi, r.value)} for r in kpi.roadmap.all()
        ],
        "milestones": list(kpi.milestones.all()),
        "deliverables": [
            {"level": d.level, "text": deliverable_text(d.text, d.points)} for d in deliverables
        ],
        "history": history,
        "weight": plain_number(kpi.weight),
        "deduction_points": plain_number(kpi.deduction_points),
        "can_enter": can_enter_results(request.user),
    }
    return render(request, "kpi/kpi_detail.html", context)


# role_required is typed for HttpResponse views; a FileResponse streams, and passes through it.
@readers  # type: ignore[arg-type]
@require_GET
def evidence_download(request: HttpRequest, kpi_id: int, result_id: int) -> FileResponse:
    """A result's evidence file, only through its KPI's guard; always downloaded, never inline."""
    kpi = kpi_or_404(request, kpi_id)
    result = KpiResult.objects.filter(kpi=kpi, pk=result_id).exclude(evidence="").first()
    if result is None:
        raise Http404(_("ไม่พบไฟล์หลักฐาน"))
    name = (result.evidence.name or "evidence").rsplit("/", 1)[-1]
    try:
        handle = result.evidence.open("rb")
    except OSError:
        raise Http404(_("ไม่พบไฟล์หลักฐาน")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type_for(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
