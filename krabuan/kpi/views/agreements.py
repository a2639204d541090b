"""The agreements of a fiscal year, and one agreement's dashboard: the weighted total now and
projected, each KPI's value, score, deduction and weighted score (table and chart), milestone
progress, the trend against the baseline, and what is still missing for the next level."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.registry import live_source
from krabuan.core.thai import parse_int
from krabuan.kpi import charts, selectors
from krabuan.kpi.documents.data import (
    deliverable_text,
    plain_number,
    result_text,
    score_number,
    value_text,
)
from krabuan.kpi.models import Agreement, Direction, Kpi, Method, Round
from krabuan.kpi.permissions import can_edit_agreement, can_enter_results
from krabuan.kpi.scoring import agreement_score, round_key, round_label
from krabuan.kpi.views.common import (
    ROUNDS,
    agreement_or_404,
    current_round,
    month_choices,
    readers,
    requested_round,
)


@dataclass
class MilestoneCell:
    round: str
    label: str
    done: int
    total: int
    current: bool

    @property
    def complete(self) -> bool:
        return self.done >= self.total


@dataclass
class Missing:
    """What the KPI still needs: a sentence, and the open items (deliverables, steps)."""

    text: str
    items: list[str] = field(default_factory=list)
    reached: bool = False


@dataclass
class KpiRow:
    kpi: Kpi
    value: str
    score: str
    deduction: str
    weighted: str
    projected_score: str
    projected_weighted: str
    score_raw: Decimal | None
    milestones: list[MilestoneCell]
    missed_rounds: list[str]
    trend: SafeString | None
    missing: Missing
    live: bool
    live_label: str
    source: str
    measured_at: Any
    error: str


def _levels(kpi: Kpi) -> tuple[Decimal, Decimal, Decimal] | None:
    if None in (kpi.level_basic, kpi.level_standard, kpi.level_advanced):
        return None
    return kpi.level_basic, kpi.level_standard, kpi.level_advanced  # type: ignore[return-value]


def _missing_deliverables(kpi: Kpi, details: dict[str, Any]) -> Missing:
    done = set(details.get("deliverables_done") or [])
    items = list(kpi.deliverables.all())
    for level in sorted({d.level for d in items}):
        open_items = [d for d in items if d.level == level and d.pk not in done]
        if open_items:
            return Missing(
                _("ระดับ %(level)s คะแนน ยังขาด:") % {"level": level},
                [deliverable_text(d.text, d.points) for d in open_items],
            )
    if not items:
        return Missing(_("ยังไม่ได้กำหนดผลผลิตของแต่ละระดับ"))
    return Missing(_("ดำเนินการครบทุกผลผลิตแล้ว"), reached=True)


def _missing_value(kpi: Kpi, value: Decimal | None, details: dict[str, Any]) -> Missing:
    levels = _levels(kpi)
    falling = kpi.direction == Direction.FALLING
    if levels is None:
        # Direct percentage: the result is the score.
        if value is None:
            return Missing(_("ยังไม่มีผลการดำเนินงาน ผลร้อยละเท่าใดได้คะแนนเท่านั้น (สูงสุด 100)"))
        if value >= 100:
            return Missing(_("ได้คะแนนเต็ม 100 แล้ว"), reached=True)
        return Missing(
            _("ขาดอีก %(gap)s เพื่อให้ได้ 100 คะแนน") % {"gap": plain_number(Decimal(100) - value)}
        )
    if value is None:
        target = value_text(kpi, levels[0])
        if falling:
            return Missing(_("ยังไม่มีผล ต้องไม่เกิน %(t)s จึงได้ 50 คะแนน") % {"t": target})
        return Missing(_("ยังไม่มีผล ต้องได้อย่างน้อย %(t)s จึงได้ 50 คะแนน") % {"t": target})
    upcoming = details.get("next_level")
    if not upcoming:
        return Missing(_("ถึงเป้าหมายขั้นสูง (100 คะแนน) แล้ว"), reached=True)
    params = {
        "t": value_text(kpi, upcoming["threshold"]),
        "gap": plain_number(upcoming["gap"]),
        "level": upcoming["level"],
    }
    if falling:
        return Missing(_("ต้องลดลงเหลือไม่เกิน %(t)s (อีก %(gap)s) จึงถึง %(level)s คะแนน") % params)
    return Missing(_("ต้องได้ %(t)s (ขาดอีก %(gap)s) จึงถึง %(level)s คะแนน") % params)


def _missing(kpi: Kpi, row: dict[str, Any], round: str) -> Missing:
    details = row["details"]
    if details.get("error"):
        return Missing(details["error"])
    if kpi.method == Method.DELIVERABLES:
        missing = _missing_deliverables(kpi, details)
    else:
        missing = _missing_value(kpi, row["value"], details)
    # Steps of the round still open cost the deduction when the round closes.
    progress = (details.get("milestones") or {}).get(round)
    if progress and progress["steps_done"] < progress["steps_total"] and kpi.deduction_points:
        missing.items.append(
            _("ขั้นตอน%(round)s ยังไม่ครบ %(open)s ขั้นตอน (ถูกหัก %(points)s คะแนน)")
            % {
                "round": round_label(round),
                "open": progress["steps_total"] - progress["steps_done"],
                "points": plain_number(kpi.deduction_points),
            }
        )
        missing.reached = False
    return missing


def _trend(kpi: Kpi, value: Decimal | None, fiscal_year: int) -> SafeString | None:
    points = [
        charts.TrendPoint(b.year, float(b.value))
        for b in kpi.baselines.all()
        if b.value is not None
    ]
    if not points:
        return None
    if value is not None and kpi.method != Method.DELIVERABLES:
        points.append(charts.TrendPoint(fiscal_year, float(value), current=True))
    target = kpi.level_standard
    if target is None:
        target = next(
            (r.value for r in kpi.roadmap.all() if r.year == fiscal_year and r.value is not None),
            None,
        )
    svg = charts.trend_chart(
        points,
        title=_("แนวโน้มตัวชี้วัดที่ %(n)s เทียบข้อมูลพื้นฐาน") % {"n": kpi.number},
        target=float(target) if target is not None else None,
    )
    # The chart escapes every text it draws.
    return mark_safe(svg)  # noqa: S308


def _milestones(details: dict[str, Any], round: str) -> list[MilestoneCell]:
    key = round_key(round)
    cells = []
    for r in ROUNDS:
        progress = (details.get("milestones") or {}).get(r)
        if progress is None or not progress["steps_total"] or round_key(r) > key:
            continue
        cells.append(
            MilestoneCell(
                round=r,
                label=round_label(r),
                done=progress["steps_done"],
                total=progress["steps_total"],
                current=r == round,
            )
        )
    return cells


def dashboard_rows(agreement: Agreement, score: dict[str, Any]) -> list[KpiRow]:
    """One row per KPI from the agreement's score (KPIs, results, baselines and roadmap are
    prefetched, so the count of queries does not grow with the KPIs)."""
    prefetch_related_objects([agreement], "kpis__baselines", "kpis__roadmap")
    by_id = {row["id"]: row for row in score["kpis"]}
    round = score["round"]
    rows = []
    for kpi in agreement.kpis.all():
        row = by_id[kpi.pk]
        details = row["details"]
        live = details.get("kind") == "live"
        source = live_source(kpi.live_source) if kpi.live_source else None
        rows.append(
            KpiRow(
                kpi=kpi,
                value=result_text(kpi, row),
                score=score_number(row["score"]),
                deduction=score_number(row["deduction"]) if row["deduction"] else "",
                weighted=score_number(row["weighted"]),
                projected_score=score_number(row["projected_score"]),
                projected_weighted=score_number(row["projected_weighted"]),
                score_raw=row["score"],
                milestones=_milestones(details, round),
                missed_rounds=[round_label(r) for r in details.get("missed_rounds") or []],
                trend=_trend(kpi, row["value"], agreement.fiscal_year),
                missing=_missing(kpi, row, round),
                live=live,
                live_label=source.label if source else kpi.live_source,
                source=row["source"],
                measured_at=row["measured_at"],
                error=details.get("error", ""),
            )
        )
    return rows


def score_chart(rows: list[KpiRow], score: dict[str, Any]) -> SafeString:
    by_id = {row["id"]: row for row in score["kpis"]}
    bars = [
        charts.ScoreBar(
            label=_("ตัวชี้วัดที่ %(n)s") % {"n": r.kpi.number},
            title=f"{r.kpi.number}. {r.kpi.name}",
            score=float(r.score_raw) if r.score_raw is not None else None,
            projected=(
                float(by_id[r.kpi.pk]["projected_score"])
                if by_id[r.kpi.pk]["projected_score"] is not None
                else None
            ),
            weighted=(
                float(by_id[r.kpi.pk]["weighted"])
                if by_id[r.kpi.pk]["weighted"] is not None
                else None
            ),
        )
        for r in rows
    ]
    svg = charts.score_chart(bars, title=_("คะแนนรายตัวชี้วัด"))
    return mark_safe(svg)  # noqa: S308


def round_options(agreement: Agreement) -> list[tuple[str, str]]:
    return [(r, round_label(r)) for r in ROUNDS] + month_choices(agreement)


def groups_of(score: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **g,
            "total_text": score_number(g["total"]),
            "projected_text": score_number(g["projected_total"]),
            "weight_text": plain_number(g["weight"]),
        }
        for g in score["groups"]
    ]


@readers
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements of a fiscal year (newest by default) with their current totals."""
    years = selectors.agreement_years()
    year = years[0] if years else None
    wanted = request.GET.get("fiscal_year")
    if wanted:
        try:
            asked = parse_int(wanted)
        except ValueError:
            asked = None
        if asked in years:
            year = asked
        else:
            messages.warning(
                request,
                _("ไม่พบคำรับรองปีงบประมาณ %(y)s แสดงปีล่าสุดแทน") % {"y": wanted[:10]},
            )
    entries = []
    if year is not None:
        for agreement in selectors.agreement_list(fiscal_year=year, user=request.user):
            round = current_round(agreement)
            score = agreement_score(agreement, round)
            entries.append(
                {
                    "agreement": agreement,
                    "round_label": round_label(round),
                    "total": score_number(score["total"]),
                    "projected": score_number(score["projected_total"]),
                    "kpi_count": len(agreement.kpis.all()),
                    "missing": len(score["missing"]),
                }
            )
    return render(
        request, "kpi/agreement_list.html", {"years": years, "year": year, "entries": entries}
    )


@readers
@require_GET
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The agreement's dashboard for a round (?round=6m|9m|12m or a month; default: today's)."""
    agreement = agreement_or_404(request, agreement_id)
    round, warning = requested_round(request, agreement)
    if warning:
        messages.warning(request, warning)
    score = agreement_score(agreement, round)
    rows = dashboard_rows(agreement, score)
    method_notes = [
        r.kpi
        for r in rows
        if r.kpi.method_note and (r.kpi.alternative_rule or r.kpi.best_of_rounds)
    ]
    context = {
        "can_edit": can_edit_agreement(request.user),
        "agreement": agreement,
        "round": round,
        "round_label": round_label(round),
        "rounds": round_options(agreement),
        "report_rounds": (Round.SIX.value, Round.NINE.value),
        "score": score,
        "total": score_number(score["total"]),
        "projected_total": score_number(score["projected_total"]),
        "groups": groups_of(score),
        "rows": rows,
        "chart": score_chart(rows, score),
        "method_notes": method_notes,
        "missing_count": len(score["missing"]),
        "can_enter": can_enter_results(request.user),
    }
    return render(request, "kpi/agreement_detail.html", context)
