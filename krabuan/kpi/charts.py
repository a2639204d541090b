"""Server-side SVG charts of the agreement dashboard (no JavaScript, no network).

Every text drawn is escaped, so a chart can be put into a page as markup. Each chart carries a
<title> and an aria-label, and its numbers are also in the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from krabuan.core.display import thai_digits_enabled
from krabuan.core.thai import digits

INK = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
TOP = "#146c43"  # 100: advanced level reached
GOOD = "#198754"  # 75–99.99: standard level reached
FAIR = "#fd7e14"  # 50–74.99: basic level reached
POOR = "#dc3545"  # below the basic level
BASELINE = "#6c8ebf"
FONT = "Sarabun, 'TH Sarabun New', Laksaman, Loma, Garuda, sans-serif"


@dataclass(frozen=True)
class ScoreBar:
    """One KPI on the score chart: its score now (None before any result) and projected."""

    label: str
    title: str
    score: float | None
    projected: float | None
    weighted: float | None


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float
    current: bool = False


def number(value: float, places: int = 2) -> str:
    """A number with up to `places` decimals, in the reader's digit style."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".") if places else f"{value:.0f}"
    return digits(text, thai=thai_digits_enabled())


def score_colour(score: float) -> str:
    """Colour of a score by the level it reaches (100 / 75 / 50 / below)."""
    if score >= 100:
        return TOP
    if score >= 75:
        return GOOD
    if score >= 50:
        return FAIR
    return POOR


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    css: str = "",
) -> str:
    klass = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}"{klass}>{escape(content)}</text>'
    )


def _svg(width: int, height: int, title: str, body: list[str], *, css: str = "") -> str:
    label = escape(title, quote=True)
    klass = f' class="{css}"' if css else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}"{klass} '
        f'font-family="{escape(FONT, quote=True)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def score_chart(bars: list[ScoreBar], *, title: str) -> str:
    """Horizontal bars of each KPI's score on a 0–100 scale, coloured by the level reached,
    with the projected score as an outlined bar behind it and the level lines 50/75/100."""
    left, bar_width, right, row, top = 96, 460, 190, 30, 34
    width = left + bar_width + right
    height = top + row * max(len(bars), 1) + 26
    body = [_text(left, 16, _("คะแนนรายตัวชี้วัด (เต็ม ๑๐๐)"), size=13, weight="bold")]
    for mark in (0, 50, 75, 100):
        x = left + bar_width * mark / 100
        dash = ' stroke-dasharray="4 3"' if mark in (50, 75) else ""
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 22}" '
            f'stroke="{GRID if mark == 0 else MUTED}" stroke-width="1"{dash}/>'
        )
        body.append(_text(x, height - 8, number(mark), anchor="middle", size=10, fill=MUTED))
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(f'<g class="kpi-score-row"><title>{escape(bar.title)}</title>')
        body.append(_text(left - 8, y + 16, bar.label, anchor="end", size=12))
        if bar.projected is not None:
            projected = max(0.0, min(100.0, bar.projected))
            body.append(
                f'<rect x="{left}" y="{y + 3}" width="{bar_width * projected / 100:.1f}" '
                f'height="18" fill="none" stroke="{MUTED}" stroke-dasharray="3 2" '
                f'class="projected-bar"/>'
            )
        if bar.score is None:
            body.append(_text(left + 6, y + 16, _("ยังไม่มีผล"), size=11, fill=MUTED))
            body.append("</g>")
            continue
        score = max(0.0, min(100.0, bar.score))
        body.append(
            f'<rect x="{left}" y="{y + 6}" width="{bar_width * score / 100:.1f}" height="12" '
            f'fill="{score_colour(bar.score)}" class="score-bar"/>'
        )
        summary = number(bar.score)
        if bar.weighted is not None:
            summary += " → " + number(bar.weighted)
        body.append(_text(left + bar_width + 8, y + 16, summary, size=12, css="score-label"))
        body.append("</g>")
    body.append(_text(left + bar_width + 8, 16, _("คะแนน → คะแนนถ่วงน้ำหนัก"), size=11, fill=MUTED))
    return _svg(width, height, title, body, css="kpi-score-chart")


def trend_chart(
    points: list[TrendPoint],
    *,
    title: str,
    target: float | None = None,
    width: int = 240,
    height: int = 72,
) -> str:
    """A small line of the baseline years with this year's result as a green dot; the
    standard level, when given, as a dashed line."""
    if not points:
        empty = [_text(width / 2, height / 2 + 4, _("ไม่มีข้อมูลพื้นฐาน"), anchor="middle", size=11)]
        return _svg(width, height, title, empty, css="kpi-trend")
    pad_x, pad_top, pad_bottom = 22, 16, 16
    values = [p.value for p in points] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    span_x = width - 2 * pad_x
    span_y = height - pad_top - pad_bottom

    def xy(index: int, value: float) -> tuple[float, float]:
        x = pad_x + (span_x * index / (len(points) - 1) if len(points) > 1 else span_x / 2)
        y = pad_top + span_y * (high - value) / (high - low)
        return x, y

    body: list[str] = []
    if target is not None:
        ty = xy(0, target)[1]
        body.append(
            f'<line x1="{pad_x}" y1="{ty:.1f}" x2="{width - pad_x}" y2="{ty:.1f}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3" class="target-line"/>'
        )
    coords = [xy(i, p.value) for i, p in enumerate(points)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BASELINE}" stroke-width="2"/>')
    for (x, y), point in zip(coords, points, strict=True):
        colour = GOOD if point.current else BASELINE
        radius = 4.5 if point.current else 3
        css = "current-point" if point.current else "baseline-point"
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" class="{css}">'
            f"<title>{escape(number(point.year, 0))}: {escape(number(point.value))}</title>"
            "</circle>"
        )
    first, last = points[0], points[-1]
    body.append(_text(coords[0][0], height - 3, number(first.year, 0), anchor="middle", size=10))
    if len(points) > 1:
        body.append(
            _text(coords[-1][0], height - 3, number(last.year, 0), anchor="middle", size=10)
        )
    lx, ly = coords[-1]
    body.append(
        _text(
            min(lx, width - 4),
            max(ly - 7, 11),
            number(last.value),
            anchor="end" if lx > width - 40 else "middle",
            size=10,
            fill=GOOD if last.current else INK,
            weight="bold" if last.current else "normal",
        )
    )
    return _svg(width, height, title, body, css="kpi-trend")
