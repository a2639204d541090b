"""Server-side SVG charts for the process dashboard (no JavaScript, no network).

Every text drawn is escaped, so the result can be put into a page as markup. Each chart has a
<title> and an aria-label, and the numbers are also in a table next to it on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from krabuan.core.display import thai_digits_enabled
from krabuan.core.thai import digits
from krabuan.workflow.display import format_seconds

GREEN = "#198754"
RED = "#dc3545"
AMBER = "#fd7e14"
GREY = "#adb5bd"
PLANNED = "#6c8ebf"
INK = "#212529"
FONT = "Sarabun, 'TH Sarabun New', Loma, Garuda, sans-serif"


@dataclass(frozen=True)
class KpiBar:
    label: str
    title: str
    value_pct: float | None
    target_pct: float


@dataclass(frozen=True)
class DurationBar:
    label: str
    title: str
    planned_seconds: float | None
    actual_seconds: float | None


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return digits(text, thai=thai_digits_enabled())


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    label = escape(title, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}" '
        f'font-family="{escape(FONT, quote=True)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def kpi_chart(bars: list[KpiBar], *, title: str) -> str:
    """Horizontal bars of % steps on time per process, green when at or above the process's
    target, red below it, grey without completed steps; the target is a dark tick on each row."""
    left, bar_width, right, row, top = 64, 520, 120, 26, 30
    width = left + bar_width + right
    height = top + row * max(len(bars), 1) + 24
    body = [_text(left, 16, _("ร้อยละของขั้นตอนที่เสร็จทันเวลา"), size=13, weight="bold")]
    for pct in (0, 25, 50, 75, 100):
        x = left + bar_width * pct / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        body.append(_text(x, height - 6, _num(pct) + "%", anchor="middle", size=10))
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(f"<g><title>{escape(bar.title)}</title>")
        body.append(_text(left - 6, y + 15, bar.label, anchor="end", size=12))
        if bar.value_pct is None:
            body.append(
                f'<rect x="{left}" y="{y + 4}" width="{bar_width}" height="14" fill="#f1f3f5"/>'
            )
            body.append(_text(left + 6, y + 15, _("ยังไม่มีขั้นตอนที่เสร็จ"), size=11, fill="#6c757d"))
        else:
            value = max(0.0, min(100.0, bar.value_pct))
            colour = GREEN if bar.value_pct >= bar.target_pct else RED
            body.append(
                f'<rect x="{left}" y="{y + 4}" width="{bar_width * value / 100:.1f}" '
                f'height="14" fill="{colour}" class="kpi-bar" data-meets="'
                f'{"1" if colour == GREEN else "0"}"/>'
            )
            body.append(_text(left + bar_width + 6, y + 15, _num(bar.value_pct) + "%", size=12))
        tx = left + bar_width * max(0.0, min(100.0, bar.target_pct)) / 100
        body.append(
            f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + 21}" stroke="{INK}" '
            f'stroke-width="2"/>'
        )
        body.append("</g>")
    body.append(_text(left + bar_width + 6, 16, _("│ = เป้าหมาย"), size=11))
    return _svg(width, height, title, body)


def duration_chart(bars: list[DurationBar], *, title: str) -> str:
    """Per step, the median planned time (blue) over the median actual time (green when within
    the plan, red when over it), on one scale."""
    left, bar_width, right, top = 64, 480, 150, 34
    pair = 34
    width = left + bar_width + right
    height = top + pair * max(len(bars), 1) + 10
    values = [
        v for b in bars for v in (b.planned_seconds, b.actual_seconds) if v is not None and v > 0
    ]
    scale = max(values) if values else 1.0
    body = [
        f'<rect x="{left}" y="6" width="12" height="10" fill="{PLANNED}"/>',
        _text(left + 16, 15, _("ค่ามัธยฐานเวลาที่กำหนด"), size=11),
        f'<rect x="{left + 190}" y="6" width="12" height="10" fill="{GREEN}"/>',
        _text(left + 206, 15, _("ค่ามัธยฐานเวลาที่ใช้จริง (แดง = เกินกำหนด)"), size=11),
    ]
    for i, bar in enumerate(bars):
        y = top + i * pair
        body.append(f"<g><title>{escape(bar.title)}</title>")
        body.append(_text(left - 6, y + 18, bar.label, anchor="end", size=12))
        for j, (value, kind) in enumerate(
            ((bar.planned_seconds, "planned"), (bar.actual_seconds, "actual"))
        ):
            yy = y + 2 + j * 14
            if value is None:
                body.append(_text(left + 4, yy + 10, "—", size=10, fill="#6c757d"))
                continue
            if kind == "planned":
                colour = PLANNED
            else:
                over = bar.planned_seconds is not None and value > bar.planned_seconds
                colour = RED if over else GREEN
            w = bar_width * max(value, 0) / scale
            body.append(
                f'<rect x="{left}" y="{yy}" width="{max(w, 1):.1f}" height="12" fill="{colour}" '
                f'class="bar-{kind}"/>'
            )
            body.append(_text(left + max(w, 1) + 4, yy + 10, format_seconds(value), size=10))
        body.append("</g>")
    return _svg(width, height, title, body)
