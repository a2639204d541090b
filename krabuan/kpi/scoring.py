"""The agreement's scoring rules as pure functions over rows already loaded; nothing here writes.

Rules (see the FY2566 agreement, seeds/002, and reference/thai-rules.md §4):

- interpolation: ขั้นต้น → 50, มาตรฐาน → 75, ขั้นสูง → 100, linear between, 100 above the top;
  below ขั้นต้น 0, or (agreement setting) continued along the first segment, never below 0;
  "falling" KPIs mirror it (lower is better). Rounded to 2 decimals (half up) at the end only.
- direct: the result is the score ("ร้อยละผลการเบิกจ่ายที่ดำเนินการได้ = คะแนนที่ได้"), 0–100.
- deliverables: level by level, a level counts when every condition of it (a deliverable
  without points) is done and every lower level counted; a counted level adds the points of its
  done deliverables (a level made only of conditions is worth the level itself); capped at 100.
- shared: the office-wide value (the best of the rounds when the KPI says so), then scored on
  the KPI's levels (PMQA); without levels the shared value is the score.
- deduction: "ในแต่ละรอบการประเมิน หากไม่สามารถดำเนินการได้ครบทุกขั้นตอนจะถูกหัก 10 คะแนน" is a
  deduction per assessment round: the 6- and 9-month scores lose the points when that round's
  milestone steps are not all done by then; the year-end (12m) score loses them once for every
  round missed. A step counts as done for a round when a result of that round or an earlier
  one (including monthly results) marks it. Months are progress reports, never deducted.
- the value of a round is its own result, else the newest monthly result inside the round (the
  months after the previous round); a month's value is its own result only.
- projected (year-end) total: the 12-month score if nothing more were entered: each KPI's
  newest value of any round carried forward, with the deductions of the rounds missed so far
  and still open; a KPI with no value at all counts 0 and is listed in `missing`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from krabuan.core.errors import ApplicationError, field_error
from krabuan.core.registry import LiveValue, live_source
from krabuan.core.thai import BE_OFFSET, MONTHS_SHORT, normalize_text, to_arabic_digits
from krabuan.kpi.models import (
    Agreement,
    BelowFirstLevel,
    Deliverable,
    Direction,
    Kpi,
    KpiResult,
    Method,
    Milestone,
    Round,
)

logger = logging.getLogger(__name__)

Number = Decimal | int | float | str

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
LEVELS = (50, 75, 100)
ROUNDS: tuple[str, ...] = (Round.SIX.value, Round.NINE.value, Round.TWELVE.value)
ROUND_END_MONTH = {Round.SIX.value: 6, Round.NINE.value: 9, Round.TWELVE.value: 12}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
ROUND_HELP = 'รอบต้องเป็น "6m", "9m", "12m" หรือเดือนในรูป ปปปป-ดด เช่น 2566-03'
PROJECTION_RULE = (
    "คะแนนคาดการณ์สิ้นปี = คะแนนรอบ ๑๒ เดือนหากไม่มีการบันทึกผลเพิ่ม: ใช้ผลล่าสุดของแต่ละตัวชี้วัด"
    " หักคะแนนตามรอบที่ยังไม่ครบขั้นตอน ตัวชี้วัดที่ยังไม่มีผลนับเป็น 0"
)


def q2(value: Decimal) -> Decimal:
    """Two decimals, half up: the agreement's own rounding."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _dec(value: Number) -> Decimal:
    # Floats go through str so 98.5 stays 98.5 and not its binary neighbour.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), HUNDRED)


# Rounds -----------------------------------------------------------------------------------


def round_parse(text: Any, *, fiscal_year: int) -> str:
    """A round "6m"/"9m"/"12m", or a month "YYYY-MM" (BE or CE year, Thai or Arabic digits)
    inside the fiscal year, returned as stored: "6m" or a BE month "2566-03"."""
    raw = to_arabic_digits(normalize_text(str(text if text is not None else ""))).lower()
    raw = raw.replace(" ", "")
    if raw in ROUNDS:
        return raw
    match = _MONTH.match(raw)
    if match is None:
        raise field_error("round", ROUND_HELP)
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise field_error("round", f"เดือนต้องอยู่ระหว่าง 01–12 ({ROUND_HELP})")
    year_be = year if year > 2400 else year + BE_OFFSET
    if year_be + (1 if month >= 10 else 0) != fiscal_year:
        raise field_error(
            "round",
            f"เดือน {MONTHS_SHORT[month - 1]} {year_be} อยู่นอกปีงบประมาณ พ.ศ. {fiscal_year}"
            f" (ต.ค. {fiscal_year - 1} – ก.ย. {fiscal_year})",
        )
    return f"{year_be}-{month:02d}"


def is_month(round: str) -> bool:
    return _MONTH.match(round) is not None


def round_key(round: str) -> tuple[int, int]:
    """Order of rounds and months in the fiscal year: Oct = 1 … Sep = 12; a round sorts just
    after the month it closes ("2566-03" < "6m" < "2566-04")."""
    if round in ROUND_END_MONTH:
        return ROUND_END_MONTH[round], 1
    match = _MONTH.match(round)
    if match is None:
        raise ValueError(f"unknown round {round!r}")
    return (int(match[2]) - 10) % 12 + 1, 0


def round_label(round: str) -> str:
    """ "รอบ ๖ เดือน" for a round, "มี.ค. 2566" for a month."""
    if round in ROUND_END_MONTH:
        return str(Round(round).label)
    match = _MONTH.match(round)
    if match is None:
        return round
    return f"{MONTHS_SHORT[int(match[2]) - 1]} {match[1]}"


# Methods ----------------------------------------------------------------------------------


def score_interpolation(
    value: Number,
    basic: Number,
    standard: Number,
    advanced: Number,
    *,
    direction: str = Direction.RISING,
    below: str = BelowFirstLevel.ZERO,
) -> Decimal:
    """Piecewise linear: basic → 50, standard → 75, advanced → 100, 100 above the top; below
    basic 0, or along the first segment (not below 0) with below="extrapolate"."""
    v, b, s, a = (_dec(x) for x in (value, basic, standard, advanced))
    if direction == Direction.FALLING:
        # Lower is better: the mirror image of the rising rule.
        v, b, s, a = -v, -b, -s, -a
    elif direction != Direction.RISING:
        raise ValueError(f"unknown direction {direction!r}")
    if below not in BelowFirstLevel.values:
        raise ValueError(f"unknown below-first-level rule {below!r}")
    if not b <= s <= a:
        raise ValueError("levels are not in the KPI's direction")
    # Equal thresholds: each test below is reached only when its segment has a width.
    if v >= a:
        raw = HUNDRED
    elif v >= s:
        raw = 75 + 25 * (v - s) / (a - s)
    elif v >= b:
        raw = 50 + 25 * (v - b) / (s - b)
    elif below == BelowFirstLevel.ZERO:
        raw = ZERO
    elif s > b:
        raw = max(50 - 25 * (b - v) / (s - b), ZERO)
    elif a > b:
        # basic == standard: the first segment is a point; continue along basic → advanced.
        raw = max(50 - 50 * (b - v) / (a - b), ZERO)
    else:
        raw = ZERO  # all three levels equal: there is no slope to continue along
    return q2(raw)


def score_direct(value: Number) -> Decimal:
    """The result is the score, capped to 0–100."""
    return q2(_clamp(_dec(value)))


@dataclass(frozen=True)
class DeliverablesProgress:
    score: Decimal
    # Levels whose conditions hold (their points count) and, of those, the ones fully done.
    levels_counted: list[int]
    levels_complete: list[int]
    # The first level whose conditions do not hold yet, and those conditions.
    blocked_level: int | None = None
    open_conditions: list[int] = field(default_factory=list)


def deliverables_progress(kpi: Kpi, done_deliverable_ids: Iterable[int]) -> DeliverablesProgress:
    """The deliverables score with the levels counted and what blocks the next one."""
    done = set(done_deliverable_ids)
    items: Sequence[Deliverable] = list(kpi.deliverables.all())
    total = ZERO
    counted: list[int] = []
    complete: list[int] = []
    for level in sorted({d.level for d in items}):
        at_level = [d for d in items if d.level == level]
        open_conditions = [d.pk for d in at_level if d.points is None and d.pk not in done]
        if open_conditions:
            score = q2(min(total, HUNDRED))
            return DeliverablesProgress(score, counted, complete, level, open_conditions)
        pointed = [(d.pk, d.points) for d in at_level if d.points is not None]
        if pointed:
            total += sum((_dec(points) for pk, points in pointed if pk in done), ZERO)
        else:
            total = max(total, Decimal(level))
        counted.append(level)
        if len(complete) == len(counted) - 1 and all(d.pk in done for d in at_level):
            complete.append(level)
    return DeliverablesProgress(q2(min(total, HUNDRED)), counted, complete)


def score_deliverables(kpi: Kpi, done_deliverable_ids: Iterable[int]) -> Decimal:
    """Sum of the done deliverables' points, a level counting only when its conditions hold and
    every lower level counted; capped at 100."""
    return deliverables_progress(kpi, done_deliverable_ids).score


def shared_value(
    values_by_round: Mapping[str, Decimal | None],
    best_of_rounds: bool,
    *,
    direction: str = Direction.RISING,
) -> Decimal | None:
    """The office-wide value: the best of the rounds (highest, or lowest when falling) when
    the KPI says so, else the newest round's."""
    reported = [(round_key(r), v) for r, v in values_by_round.items() if v is not None]
    if not reported:
        return None
    if best_of_rounds:
        values = [v for _, v in reported]
        return min(values) if direction == Direction.FALLING else max(values)
    return max(reported, key=lambda item: item[0])[1]


def score_shared(
    values_by_round: Mapping[str, Decimal | None],
    best_of_rounds: bool,
    *,
    basic: Number | None = None,
    standard: Number | None = None,
    advanced: Number | None = None,
    direction: str = Direction.RISING,
    below: str = BelowFirstLevel.ZERO,
) -> tuple[Decimal | None, Decimal | None]:
    """(value, score): the shared value scored on the levels, or taken as the score (0–100)
    when the KPI has no levels."""
    value = shared_value(values_by_round, best_of_rounds, direction=direction)
    if value is None:
        return None, None
    if basic is None or standard is None or advanced is None:
        return value, score_direct(value)
    return value, score_interpolation(
        value, basic, standard, advanced, direction=direction, below=below
    )


# One KPI ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiScore:
    value: Decimal | None
    score: Decimal | None  # after deduction, 2 decimals; None when there is nothing to score
    deduction: Decimal
    weighted: Decimal | None  # score × weight / 100, 2 decimals
    source: str  # where the value came from, in Thai
    details: dict[str, Any] = field(default_factory=dict)


def _levels(kpi: Kpi) -> tuple[Decimal, Decimal, Decimal] | None:
    if kpi.level_basic is None or kpi.level_standard is None or kpi.level_advanced is None:
        return None
    return kpi.level_basic, kpi.level_standard, kpi.level_advanced


def next_level(kpi: Kpi, value: Decimal | None) -> dict[str, Any] | None:
    """The next threshold above the value and how far it is (for "what is missing")."""
    levels = _levels(kpi)
    if value is None or levels is None:
        return None
    falling = kpi.direction == Direction.FALLING
    for level, threshold in zip(LEVELS, levels, strict=True):
        reached = value <= threshold if falling else value >= threshold
        if not reached:
            return {"level": level, "threshold": threshold, "gap": abs(threshold - value)}
    return None


def _milestones(
    kpi: Kpi, results: Sequence[KpiResult]
) -> tuple[dict[str, dict[str, Any]], dict[str, bool]]:
    """Per milestone round: its steps done by then, and whether it was missed."""
    progress: dict[str, dict[str, Any]] = {}
    missed: dict[str, bool] = {}
    milestones: list[Milestone] = list(kpi.milestones.all())
    for milestone in milestones:
        steps = list(milestone.steps.all())
        by_then = round_key(milestone.round)
        done: set[int] = set()
        for result in results:
            if round_key(result.round) <= by_then:
                done.update(s.pk for s in result.milestone_steps_done.all())
        done_here = [s.pk for s in steps if s.pk in done]
        progress[milestone.round] = {
            "round": milestone.round,
            "steps_total": len(steps),
            "steps_done": len(done_here),
            "steps_done_ids": done_here,
            "target_text": milestone.target_text,
            "target_value": milestone.target_value,
        }
        missed[milestone.round] = bool(steps) and len(done_here) < len(steps)
    return progress, missed


def _deduction(kpi: Kpi, round: str, missed: Mapping[str, bool]) -> tuple[Decimal, list[str]]:
    if round == Round.TWELVE:
        rounds = list(ROUNDS)  # the year's score carries every round's deduction
    elif round in ROUND_END_MONTH:
        rounds = [round]
    else:
        rounds = []  # a month is a progress report, not an assessment round
    missed_rounds = [r for r in rounds if missed.get(r)]
    points = _dec(kpi.deduction_points or 0)
    if points <= 0:
        return ZERO, missed_rounds
    return q2(points * len(missed_rounds)), missed_rounds


def _pick(results: Sequence[KpiResult], round: str, *, carry_forward: bool) -> KpiResult | None:
    """The result whose value stands for the round: its own; else (carry_forward) the newest
    value of any round or month; else, for a round, the newest month inside it (the months
    after the previous round)."""
    with_value = [r for r in results if r.value is not None]
    own = next((r for r in with_value if r.round == round), None)
    if own is not None:
        return own
    if carry_forward:
        return max(with_value, key=lambda r: round_key(r.round), default=None)
    if round not in ROUND_END_MONTH:
        return None
    end = ROUND_END_MONTH[round]
    start = max((m for m in ROUND_END_MONTH.values() if m < end), default=0)
    inside = [r for r in with_value if is_month(r.round) and start < round_key(r.round)[0] <= end]
    return max(inside, key=lambda r: round_key(r.round), default=None)


def _result_source(result: KpiResult) -> str:
    user = result.entered_by
    who = (user.get_full_name() or user.username) if user is not None else ""
    text = f"บันทึกผลการดำเนินงาน {round_label(result.round)}"
    return f"{text} โดย {who}" if who else text


def _live(kpi: Kpi, *, fiscal_year: int, round: str) -> tuple[LiveValue | None, str | None]:
    source = live_source(kpi.live_source)
    if source is None:
        return None, f"ไม่พบแหล่งข้อมูลอัตโนมัติ {kpi.live_source}"
    try:
        return source.func(fiscal_year=fiscal_year, round=round, params=dict(kpi.live_params)), None
    except ApplicationError as exc:
        return None, exc.message
    except Exception:
        # A module's failure must not take the whole agreement page down with it.
        logger.exception("live source %s failed for KPI %s", kpi.live_source, kpi.pk)
        return None, f"แหล่งข้อมูลอัตโนมัติ {kpi.live_source} ขัดข้อง"


def live_deliverables(kpi: Kpi, live_details: Mapping[str, Any]) -> tuple[set[int], set[int]]:
    """Deliverables a live source decides: (met, not met) ids. A source lists checks as
    `{"level", "keywords": [...], "met": True|False|None}`; a deliverable of the same level whose
    text holds every keyword follows the check (None = the system cannot tell: left to hand)."""
    met: set[int] = set()
    unmet: set[int] = set()
    checks = [c for c in live_details.get("deliverables", []) if c.get("keywords")]
    for deliverable in kpi.deliverables.all():
        text = to_arabic_digits(normalize_text(deliverable.text)).lower()
        for check in checks:
            if check.get("level") != deliverable.level or check.get("met") is None:
                continue
            words = [to_arabic_digits(normalize_text(str(w))).lower() for w in check["keywords"]]
            if all(w in text for w in words):
                (met if check["met"] else unmet).add(deliverable.pk)
    return met, unmet - met


def kpi_score(
    kpi: Kpi,
    round: str,
    results: Iterable[KpiResult] | None = None,
    *,
    below: str | None = None,
    fiscal_year: int | None = None,
    carry_forward: bool = False,
) -> KpiScore:
    """Score one KPI for a round (as stored, see round_parse) by its method: the live source's
    value when the KPI is bound to one, else the entered results; then the round's deduction,
    not below 0."""
    if below is None:
        below = kpi.agreement.below_first_level
    if fiscal_year is None:
        fiscal_year = kpi.agreement.fiscal_year
    all_results = list(kpi.results.all() if results is None else results)
    key = round_key(round)
    # What was reported by the round (everything, when carrying the newest values forward).
    upto = sorted(
        (r for r in all_results if carry_forward or round_key(r.round) <= key),
        key=lambda r: round_key(r.round),
    )

    details: dict[str, Any] = {"round": round, "method": kpi.method}
    value: Decimal | None = None
    raw: Decimal | None = None
    source = "ยังไม่มีผลการดำเนินงาน"
    details["kind"] = "none"
    error: str | None = None
    levels = _levels(kpi)

    if kpi.live_source and kpi.method != Method.DELIVERABLES:
        live, error = _live(kpi, fiscal_year=fiscal_year, round=round)
        details["kind"] = "live"
        details["live_source"] = kpi.live_source
        if live is not None:
            value, source = live.value, live.source
            details["measured_at"] = live.measured_at
            details["live"] = live.details
    elif kpi.method == Method.DELIVERABLES:
        done: set[int] = set()
        for result in upto:
            done.update(d.pk for d in result.deliverables_done.all())
        live = None
        if kpi.live_source:
            # A module checks what it can see; the rest stays ticked by hand with evidence.
            live, error = _live(kpi, fiscal_year=fiscal_year, round=round)
            details["live_source"] = kpi.live_source
        if live is not None:
            met, unmet = live_deliverables(kpi, live.details)
            done = (done - unmet) | met
            details.update(live=live.details, live_met=sorted(met), live_unmet=sorted(unmet))
        if upto or live is not None:
            progress = deliverables_progress(kpi, done)
            value = raw = progress.score
            if live is not None:
                source, measured_at = live.source, live.measured_at
                details.update(kind="live", result_round=upto[-1].round if upto else None)
            else:
                source, measured_at = _result_source(upto[-1]), upto[-1].updated_at
                details.update(kind="result", result_round=upto[-1].round)
            details.update(
                measured_at=measured_at,
                deliverables_done=sorted(done),
                levels_counted=progress.levels_counted,
                levels_complete=progress.levels_complete,
                blocked_level=progress.blocked_level,
                open_conditions=progress.open_conditions,
            )
    elif kpi.method == Method.SHARED and kpi.best_of_rounds:
        reported = [r for r in upto if r.value is not None]
        value = shared_value({r.round: r.value for r in reported}, True, direction=kpi.direction)
        if reported:
            best = next(r for r in reported if r.value == value)
            source = _result_source(best)
            details.update(
                kind="result",
                result_round=best.round,
                measured_at=best.updated_at,
                rounds={r.round: r.value for r in reported},
            )
    else:
        picked = _pick(upto, round, carry_forward=carry_forward)
        if picked is not None:
            value = picked.value
            source = _result_source(picked)
            details.update(kind="result", result_round=picked.round, measured_at=picked.updated_at)

    if value is not None and raw is None:
        try:
            if kpi.method == Method.DIRECT:
                raw = score_direct(value)
            elif kpi.method in (Method.INTERPOLATION, Method.SHARED) and levels is not None:
                raw = score_interpolation(value, *levels, direction=kpi.direction, below=below)
            elif kpi.method == Method.SHARED:
                raw = score_direct(value)
            elif kpi.method == Method.INTERPOLATION:
                error = "ยังไม่ได้กำหนดค่าเป้าหมาย ๓ ระดับ"
            else:
                error = "ตัวชี้วัดแบบผลผลิตไม่ใช้ค่าตัวเลข"
        except ValueError:
            error = "ค่าเป้าหมาย ๓ ระดับไม่เรียงตามทิศทางของตัวชี้วัด"

    progress_by_round, missed = _milestones(kpi, upto)
    deduction, missed_rounds = _deduction(kpi, round, missed)
    score = None if raw is None else q2(max(raw - deduction, ZERO))
    weighted = None if score is None else q2(score * _dec(kpi.weight) / HUNDRED)
    details.update(
        score_before_deduction=raw,
        missed_rounds=missed_rounds,
        milestones=progress_by_round,
        next_level=next_level(kpi, value) if kpi.method != Method.DELIVERABLES else None,
    )
    if error:
        details["error"] = error
    return KpiScore(value, score, deduction, weighted, source, details)


# The agreement ----------------------------------------------------------------------------


def scoring_prefetch() -> list[Prefetch | str]:
    """What agreement_score reads, as prefetch lookups on an Agreement (a fixed query count)."""
    return [
        "groups",
        Prefetch("kpis", queryset=Kpi.objects.select_related("group").order_by("number")),
        Prefetch(
            "kpis__results",
            queryset=KpiResult.objects.select_related("entered_by").prefetch_related(
                "deliverables_done", "milestone_steps_done"
            ),
        ),
        "kpis__deliverables",
        Prefetch("kpis__milestones", queryset=Milestone.objects.prefetch_related("steps")),
    ]


def agreement_score(agreement: Agreement, round: str) -> dict[str, Any]:
    """Σ score × weight / 100 over the KPIs for a round, per group and in total, with the
    projected year-end total (see PROJECTION_RULE); missing results count 0 and are listed."""
    round = round_parse(round, fiscal_year=agreement.fiscal_year)
    prefetch_related_objects([agreement], *scoring_prefetch())
    rows: list[dict[str, Any]] = []
    missing: list[int] = []
    total = projected_total = ZERO
    by_group: dict[int, dict[str, Decimal]] = {}
    for kpi in agreement.kpis.all():
        results = list(kpi.results.all())
        below, year = agreement.below_first_level, agreement.fiscal_year
        now = kpi_score(kpi, round, results, below=below, fiscal_year=year)
        ahead = kpi_score(
            kpi, Round.TWELVE, results, below=below, fiscal_year=year, carry_forward=True
        )
        if now.score is None:
            missing.append(kpi.pk)
        weighted = now.weighted or ZERO
        projected = ahead.weighted or ZERO
        total += weighted
        projected_total += projected
        group = by_group.setdefault(
            kpi.group_id, {"kpi_weight": ZERO, "total": ZERO, "projected_total": ZERO}
        )
        group["kpi_weight"] += _dec(kpi.weight)
        group["total"] += weighted
        group["projected_total"] += projected
        rows.append(
            {
                "id": kpi.pk,
                "number": kpi.number,
                "name": kpi.name,
                "group": kpi.group_id,
                "method": kpi.method,
                "weight": kpi.weight,
                "value": now.value,
                "score": now.score,
                "deduction": now.deduction,
                "weighted": now.weighted,
                "source": now.source,
                "measured_at": now.details.get("measured_at"),
                "projected_score": ahead.score,
                "projected_weighted": ahead.weighted,
                "details": now.details,
            }
        )
    groups = [
        {
            "id": g.pk,
            "code": g.code,
            "name": g.name,
            "weight": g.weight,
            **{
                k: q2(v)
                for k, v in by_group.get(
                    g.pk, {"kpi_weight": ZERO, "total": ZERO, "projected_total": ZERO}
                ).items()
            },
        }
        for g in agreement.groups.all()
    ]
    return {
        "agreement": agreement.pk,
        "round": round,
        "total": q2(total),
        "projected_total": q2(projected_total),
        "projection_rule": PROJECTION_RULE,
        "kpis": rows,
        "groups": groups,
        "missing": missing,
    }
