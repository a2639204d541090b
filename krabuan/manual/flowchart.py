"""Flowcharts drawn from a process's steps (the seed's flowchart images were lost).

`render_flowchart_svg` draws the whole process for browsers and downloads. The printed form has
one shape per table row instead: `render_step_flow_svg` (PDF) and `render_step_flow_png` (DOCX,
which cannot embed SVG). WeasyPrint lays SVG text out one code point at a time, which breaks Thai
vowel and tone marks, so the per-step SVG carries only digits when its terminators are left to
the HTML around it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from pythainlp.tokenize import word_tokenize

from krabuan.manual.documents.text import thai
from krabuan.manual.models import ControlKind

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont, ImageFont

    from krabuan.manual.models import Process, Step

# An activity containing one of these words is somebody's decision: drawn as a diamond.
DECISION_WORDS = ("พิจารณา", "อนุมัติ", "เห็นชอบ", "ตรวจสอบ")

FONT_FAMILY = "Laksaman, 'TH Sarabun New', Sarabun, sans-serif"
START_LABEL = "เริ่มต้น"
END_LABEL = "สิ้นสุด"
YES_LABEL = "ผ่าน"
NO_LABEL = "ไม่ผ่าน"

STROKE = "#343a40"
BOX_FILL, BOX_STROKE = "#eef7f1", "#198754"
DECISION_FILL, DECISION_STROKE = "#fff6dd", "#a87400"
TERMINATOR_FILL = "#198754"
MARKER_FILL = "#dc3545"

# Layout of the whole-process chart, in px.
FONT_SIZE = 14
SMALL_FONT = 12
LINE_HEIGHT = 19
PAD = 10
MARGIN = 16
CENTER_X = 290
BOX_W = 300
DIAMOND_W = 340
TERMINATOR_W, TERMINATOR_H = 140, 36
GAP = 34
DURATION_X = CENTER_X + DIAMOND_W // 2 + 14
DURATION_W = 150
WIDTH = DURATION_X + DURATION_W + MARGIN
LOOP_LANES = (CENTER_X - DIAMOND_W // 2 - 52, CENTER_X - DIAMOND_W // 2 - 66)

# Advance widths in em, close to Laksaman/TH Sarabun New, so that wrapping needs no font file
# and the output is the same on every machine.
_NARROW = set("เโใไ.,:;'!|()[]/-ilIjt ")
_WIDE = set("ฌญฒณฬฑฆWMm@%")
# Punctuation that must not start a line, and an opening bracket that must not end one.
_NO_BREAK_BEFORE = set(".,:;)]%")


def is_decision(step: Step) -> bool:
    """A step whose activity is a consideration or approval (drawn as a diamond)."""
    return any(word in step.activity for word in DECISION_WORDS)


def has_control_point(step: Step) -> bool:
    """A step with at least one control point (risks alone do not count)."""
    return any(c.kind == ControlKind.CONTROL for c in step.controls.all())


def step_number(step: Step) -> str:
    """The step's number as printed: its source label, else its order, in Thai digits."""
    return thai(step.label or step.order)


def _char_width(char: str) -> float:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if char in _NARROW:
        return 0.34
    if char in _WIDE:
        return 0.82
    if "๐" <= char <= "๙":
        return 0.68
    return 0.6


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width of a line in px."""
    return sum(_char_width(c) for c in text) * font_size


def _fit(text: str, width: float, font_size: float) -> int:
    """How many characters of an over-long word fit on a line, never splitting a mark from its
    consonant nor a leading vowel from the consonant after it."""
    used, cut = 0.0, 0
    for i, char in enumerate(text):
        used += _char_width(char) * font_size
        if used > width:
            break
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt and unicodedata.category(nxt) == "Mn":
            continue
        if char in "เแโใไ":
            continue
        cut = i + 1
    return max(cut, 1)


def _words(text: str) -> list[str]:
    """newmm words and the spaces between them; a chunk with a full stop is an abbreviation
    ('ศทส.', 'สป.กษ.') that newmm would cut in two, so it stays whole."""
    words: list[str] = []
    for chunk in re.split(r"(\s+)", text):
        if not chunk:
            continue
        if chunk.isspace() or "." in chunk:
            words.append(chunk)
        else:
            words.extend(word_tokenize(chunk, engine="newmm", keep_whitespace=True))
    return words


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    glue_next = False
    for token in _words(text):
        if tokens and (glue_next or token[0] in _NO_BREAK_BEFORE):
            tokens[-1] += token
        else:
            tokens.append(token)
        glue_next = token.endswith("(")
    return tokens


def wrap_text(text: str, width: float, font_size: float = FONT_SIZE) -> list[str]:
    """Lines no wider than `width` px, broken between Thai words (newmm) and at spaces."""
    result: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph.strip()):
            if line and text_width((line + token).rstrip(), font_size) > width:
                result.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
            while text_width(line, font_size) > width:
                cut = _fit(line, width, font_size)
                result.append(line[:cut])
                line = line[cut:]
        if line.strip():
            result.append(line.strip())
    return result or [""]


# --- SVG primitives ---------------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(**attrs: object) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, float | int) else str(value)
        parts.append(f"{key.rstrip('_').replace('_', '-')}={quoteattr(shown)}")
    return " ".join(parts)


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = FONT_SIZE,
    anchor: str = "middle",
    fill: str = "#212529",
    weight: str | None = None,
) -> str:
    attrs = _attrs(x=x, y=y, font_size=size, text_anchor=anchor, fill=fill, font_weight=weight)
    return f"<text {attrs}>{escape(content)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, *, dashed: bool = False) -> str:
    attrs = _attrs(
        x1=x1,
        y1=y1,
        x2=x2,
        y2=y2,
        stroke=STROKE,
        stroke_width=1.5,
        stroke_dasharray="5 4" if dashed else None,
    )
    return f"<line {attrs}/>"


def _arrowhead(x: float, y: float, direction: str, size: float = 8) -> str:
    """A filled arrowhead whose tip is at (x, y); drawn as a polygon so that no marker ids
    clash when several charts sit in one HTML page."""
    half = size * 0.6
    points = {
        "down": [(x, y), (x - half, y - size), (x + half, y - size)],
        "right": [(x, y), (x - size, y - half), (x - size, y + half)],
    }[direction]
    shown = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
    return f"<polygon {_attrs(points=shown, fill=STROKE)}/>"


def _arrow_down(x: float, y1: float, y2: float) -> str:
    return _line(x, y1, x, y2 - 7) + _arrowhead(x, y2, "down")


def _terminator(
    cx: float, top: float, w: float, h: float, label: str | None, size: int = FONT_SIZE
) -> str:
    attrs = _attrs(x=cx - w / 2, y=top, width=w, height=h, rx=h / 2, fill=TERMINATOR_FILL)
    parts = [f"<rect {attrs}/>"]
    if label is not None:
        parts.append(
            _text(cx, top + h / 2 + size * 0.35, label, size=size, fill="#ffffff", weight="bold")
        )
    return "".join(parts)


def _diamond_points(cx: float, top: float, w: float, h: float) -> str:
    points = [(cx, top), (cx + w / 2, top + h / 2), (cx, top + h), (cx - w / 2, top + h / 2)]
    return " ".join(f"{_num(px)},{_num(py)}" for px, py in points)


def _marker(x: float, y: float, r: float = 7) -> str:
    circle = _attrs(cx=x, cy=y, r=r, fill=MARKER_FILL, stroke="#ffffff", stroke_width=1)
    mark = _text(x, y + r * 0.5, "!", size=round(r * 1.6), fill="#ffffff", weight="bold")
    return f'<g class="control-marker"><title>จุดควบคุม</title><circle {circle}/>{mark}</g>'


def _svg(width: float, height: float, body: str, *, title: str, css_class: str) -> str:
    attrs = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        width=width,
        height=height,
        viewBox=f"0 0 {_num(width)} {_num(height)}",
        font_family=FONT_FAMILY,
        class_=css_class,
        role="img",
    )
    return f"<svg {attrs}><title>{escape(title)}</title>{body}</svg>"


# --- The whole process ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    step: Step
    top: float
    height: float
    lines: list[str]
    decision: bool

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _node_lines(step: Step, decision: bool) -> list[str]:
    text = f"{step_number(step)}. {thai(step.activity).strip()}"
    width = DIAMOND_W / 2 - PAD if decision else BOX_W - 2 * PAD
    return wrap_text(text, width)


def _node_height(lines: list[str], decision: bool) -> float:
    text_h = len(lines) * LINE_HEIGHT
    # A diamond holds a centred text block w wide and h high when w/W + h/H <= 1; the text
    # uses half the width, so the diamond must be twice the text height.
    return 2 * text_h + 2 * PAD if decision else text_h + 2 * PAD


def _draw_node(node: _Node) -> str:
    step = node.step
    dashed = "6 4" if step.is_optional else None
    order = _num(step.order)
    parts = [
        f'<g class="step" data-order={quoteattr(order)}>',
        f"<title>{escape(f'ขั้นตอนที่ {step_number(step)}: {thai(step.activity)}')}</title>",
    ]
    if node.decision:
        points = _diamond_points(CENTER_X, node.top, DIAMOND_W, node.height)
        attrs = _attrs(
            points=points,
            fill=DECISION_FILL,
            stroke=DECISION_STROKE,
            stroke_width=1.5,
            stroke_dasharray=dashed,
        )
        parts.append(f"<polygon {attrs}/>")
        marker_x, marker_y = CENTER_X + DIAMOND_W / 4 + 6, node.top + node.height / 4 - 6
    else:
        attrs = _attrs(
            x=CENTER_X - BOX_W / 2,
            y=node.top,
            width=BOX_W,
            height=node.height,
            rx=4,
            fill=BOX_FILL,
            stroke=BOX_STROKE,
            stroke_width=1.5,
            stroke_dasharray=dashed,
        )
        parts.append(f"<rect {attrs}/>")
        marker_x, marker_y = CENTER_X + BOX_W / 2, node.top
    first_baseline = node.middle - len(node.lines) * LINE_HEIGHT / 2 + LINE_HEIGHT * 0.75
    for i, line in enumerate(node.lines):
        parts.append(_text(CENTER_X, first_baseline + i * LINE_HEIGHT, line))
    if has_control_point(step):
        parts.append(_marker(marker_x, marker_y))
    duration = thai(step.duration_text).strip()
    if duration:
        duration_lines = wrap_text(duration, DURATION_W, SMALL_FONT)
        line_h = SMALL_FONT + 4
        y = node.middle - len(duration_lines) * line_h / 2 + line_h * 0.75
        parts.append('<g class="duration">')
        for i, line in enumerate(duration_lines):
            parts.append(
                _text(
                    DURATION_X,
                    y + i * line_h,
                    line,
                    size=SMALL_FONT,
                    anchor="start",
                    fill="#495057",
                )
            )
        parts.append("</g>")
    parts.append("</g>")
    return "".join(parts)


def _loop_back(node: _Node, target_y: float, lane_x: float) -> str:
    """The 'not passed' branch of a decision: back up into the flow before the previous step."""
    left = CENTER_X - DIAMOND_W / 2
    return "".join(
        [
            '<g class="loop">',
            _line(left, node.middle, lane_x, node.middle, dashed=True),
            _line(lane_x, node.middle, lane_x, target_y, dashed=True),
            _line(lane_x, target_y, CENTER_X - 8, target_y, dashed=True),
            _arrowhead(CENTER_X - 1, target_y, "right"),
            _text((left + lane_x) / 2 + 4, node.middle - 5, NO_LABEL, size=SMALL_FONT),
            "</g>",
        ]
    )


def _legend(top: float, nodes: list[_Node]) -> tuple[str, float]:
    if not nodes:
        return "", top
    items: list[tuple[str, str]] = [("box", "ขั้นตอนการทำงาน")]
    if any(n.decision for n in nodes):
        items.append(("diamond", "การพิจารณา/ตัดสินใจ"))
    if any(has_control_point(n.step) for n in nodes):
        items.append(("marker", "มีจุดควบคุม"))
    if any(n.step.is_optional for n in nodes):
        items.append(("dashed", "ทำเมื่อมี (ถ้ามี)"))
    parts = ['<g class="legend">']
    x: float = MARGIN
    y = top + 10
    for kind, label in items:
        if kind == "box":
            attrs = _attrs(x=x, y=y, width=22, height=14, rx=2, fill=BOX_FILL, stroke=BOX_STROKE)
            parts.append(f"<rect {attrs}/>")
        elif kind == "diamond":
            attrs = _attrs(
                points=_diamond_points(x + 11, y - 2, 22, 18),
                fill=DECISION_FILL,
                stroke=DECISION_STROKE,
            )
            parts.append(f"<polygon {attrs}/>")
        elif kind == "marker":
            parts.append(_marker(x + 11, y + 7, 6))
        else:
            attrs = _attrs(
                x=x,
                y=y,
                width=22,
                height=14,
                rx=2,
                fill="#ffffff",
                stroke=STROKE,
                stroke_dasharray="4 3",
            )
            parts.append(f"<rect {attrs}/>")
        parts.append(_text(x + 28, y + 12, label, size=SMALL_FONT, anchor="start"))
        x += 28 + text_width(label, SMALL_FONT) + 24
    parts.append("</g>")
    return "".join(parts), top + 34


def render_flowchart_svg(process: Process) -> str:
    """The process as a top-down flowchart: start, one shape per step (diamond for decisions,
    red marker for control points, duration beside it), end. Same input, same bytes."""
    steps = sorted(process.steps.all(), key=lambda s: s.order)
    parts: list[str] = []
    y = float(MARGIN)
    start_top = y
    parts.append(_terminator(CENTER_X, start_top, TERMINATOR_W, TERMINATOR_H, START_LABEL))
    y += TERMINATOR_H
    nodes: list[_Node] = []
    for step in steps:
        decision = is_decision(step)
        node_lines = _node_lines(step, decision)
        top = y + GAP
        parts.append(_arrow_down(CENTER_X, y, top))
        if nodes and nodes[-1].decision:
            parts.append(_text(CENTER_X + 6, y + 15, YES_LABEL, size=SMALL_FONT, anchor="start"))
        node = _Node(step, top, _node_height(node_lines, decision), node_lines, decision)
        nodes.append(node)
        y = node.bottom
    end_top = y + GAP
    parts.append(_arrow_down(CENTER_X, y, end_top))
    if nodes and nodes[-1].decision:
        parts.append(_text(CENTER_X + 6, y + 15, YES_LABEL, size=SMALL_FONT, anchor="start"))
    parts.append(_terminator(CENTER_X, end_top, TERMINATOR_W, TERMINATOR_H, END_LABEL))
    y = end_top + TERMINATOR_H
    lane = 0
    for i, node in enumerate(nodes):
        if not node.decision or i == 0:
            lane = 0
            continue
        # Joins the arrow that enters the previous step, halfway along it.
        target = nodes[i - 1].top - GAP / 2
        parts.append(_loop_back(node, target, LOOP_LANES[lane]))
        lane = 1 - lane  # consecutive decisions' loops overlap vertically: alternate lanes
    parts.extend(_draw_node(node) for node in nodes)
    legend, y = _legend(y + 12, nodes)
    parts.append(legend)
    height = y + MARGIN
    title = f"ผังกระบวนงาน {thai(process.name)}"
    return _svg(WIDTH, height, "".join(parts), title=title, css_class="flowchart")


# --- One step, for a row of the printed form -------------------------------------------------

STEP_W = 96
STEP_BOX = (64, 30)
STEP_DIAMOND = (76, 42)
STEP_STUB = 14
STEP_PILL = (72, 24)
STEP_PILL_GAP = 16


@dataclass(frozen=True)
class _StepShape:
    """Geometry of a per-step shape, shared by the SVG and the PNG drawing."""

    decision: bool
    control: bool
    optional: bool
    number: str
    start: bool
    end: bool

    @property
    def shape_size(self) -> tuple[int, int]:
        return STEP_DIAMOND if self.decision else STEP_BOX

    @property
    def shape_top(self) -> float:
        return (STEP_PILL[1] + STEP_PILL_GAP if self.start else 0) + STEP_STUB

    @property
    def shape_bottom(self) -> float:
        return self.shape_top + self.shape_size[1]

    @property
    def height(self) -> float:
        return self.shape_bottom + STEP_STUB + (STEP_PILL_GAP + STEP_PILL[1] if self.end else 0)


def _step_shape(step: Step, *, first: bool, last: bool, terminators: bool) -> _StepShape:
    return _StepShape(
        decision=is_decision(step),
        control=has_control_point(step),
        optional=step.is_optional,
        number=step_number(step),
        start=first and terminators,
        end=last and terminators,
    )


def render_step_flow_svg(
    step: Step, *, first: bool = False, last: bool = False, terminators: bool = True
) -> str:
    """The step's shape for the form's flowchart column: an arrow in from the row above, the
    box or diamond with the step number, a line on to the row below. With `terminators` the
    first and last steps also carry the start and end ovals; without them the caller draws the
    ovals and the last step ends in an arrowhead pointing at them."""
    shape = _step_shape(step, first=first, last=last, terminators=terminators)
    cx = STEP_W / 2
    w, h = shape.shape_size
    top = shape.shape_top
    parts: list[str] = []
    if shape.start:
        parts.append(_terminator(cx, 0, STEP_PILL[0], STEP_PILL[1], START_LABEL, SMALL_FONT))
        parts.append(_line(cx, STEP_PILL[1], cx, STEP_PILL[1] + STEP_PILL_GAP))
    parts.append(_arrow_down(cx, top - STEP_STUB, top))
    dashed = "5 3" if shape.optional else None
    if shape.decision:
        attrs = _attrs(
            points=_diamond_points(cx, top, w, h),
            fill=DECISION_FILL,
            stroke=DECISION_STROKE,
            stroke_width=1.5,
            stroke_dasharray=dashed,
        )
        parts.append(f"<polygon {attrs}/>")
    else:
        attrs = _attrs(
            x=cx - w / 2,
            y=top,
            width=w,
            height=h,
            rx=3,
            fill=BOX_FILL,
            stroke=BOX_STROKE,
            stroke_width=1.5,
            stroke_dasharray=dashed,
        )
        parts.append(f"<rect {attrs}/>")
    parts.append(_text(cx, top + h / 2 + 5, shape.number, size=SMALL_FONT + 1, weight="bold"))
    if shape.control:
        parts.append(
            _marker(
                cx + w / 2 - (w / 4 if shape.decision else 0),
                top + (h / 4 if shape.decision else 0),
                6,
            )
        )
    bottom = shape.shape_bottom
    if shape.end:
        pill_top = bottom + STEP_STUB + STEP_PILL_GAP
        parts.append(_arrow_down(cx, bottom, pill_top))
        parts.append(_terminator(cx, pill_top, STEP_PILL[0], STEP_PILL[1], END_LABEL, SMALL_FONT))
    elif last:
        parts.append(_arrow_down(cx, bottom, bottom + STEP_STUB))
    else:
        parts.append(_line(cx, bottom, cx, bottom + STEP_STUB))
    title = f"ขั้นตอนที่ {shape.number}"
    return _svg(STEP_W, shape.height, "".join(parts), title=title, css_class="step-flow")


# --- The same shape as PNG, for DOCX -----------------------------------------------------------

PNG_SCALE = 4
_FONT_FILES = ("THSarabunNew.ttf", "Laksaman.ttf", "Sarabun-Regular.ttf")


@lru_cache(maxsize=8)
def _png_font(size: int) -> FreeTypeFont | ImageFont:
    from PIL import ImageFont

    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size)  # Pillow searches the system font folders
        except OSError:
            continue
    return ImageFont.load_default(size)


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@lru_cache(maxsize=256)
def _step_png(shape: _StepShape) -> bytes:
    from PIL import Image, ImageDraw

    s = PNG_SCALE
    width, height = STEP_W * s, round(shape.height * s)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ink, lw = _hex(STROKE), round(1.5 * s)
    cx = width / 2
    w, h = (v * s for v in shape.shape_size)
    top, bottom = shape.shape_top * s, shape.shape_bottom * s
    label_font = _png_font(13 * s)

    def arrow_down(y1: float, y2: float) -> None:
        draw.line([(cx, y1), (cx, y2 - 6 * s)], fill=ink, width=lw)
        draw.polygon([(cx, y2), (cx - 5 * s, y2 - 8 * s), (cx + 5 * s, y2 - 8 * s)], fill=ink)

    def pill(y: float, label: str) -> None:
        pw, ph = STEP_PILL[0] * s, STEP_PILL[1] * s
        draw.rounded_rectangle(
            [(cx - pw / 2, y), (cx + pw / 2, y + ph)], radius=ph / 2, fill=_hex(TERMINATOR_FILL)
        )
        draw.text(
            (cx, y + ph / 2), label, font=_png_font(12 * s), fill=(255, 255, 255), anchor="mm"
        )

    if shape.start:
        pill(0, START_LABEL)
        draw.line([(cx, STEP_PILL[1] * s), (cx, top - STEP_STUB * s)], fill=ink, width=lw)
    arrow_down(top - STEP_STUB * s, top)
    if shape.decision:
        outline = [(cx, top), (cx + w / 2, top + h / 2), (cx, bottom), (cx - w / 2, top + h / 2)]
        draw.polygon(outline, fill=_hex(DECISION_FILL), outline=_hex(DECISION_STROKE), width=lw)
    else:
        left, right = cx - w / 2, cx + w / 2
        outline = [(left, top), (right, top), (right, bottom), (left, bottom)]
        draw.rounded_rectangle(
            [(left, top), (right, bottom)],
            radius=3 * s,
            fill=_hex(BOX_FILL),
            outline=_hex(BOX_STROKE),
            width=lw,
        )
    if shape.optional:
        # Pillow draws no dashed outlines: cut gaps into the solid one with the fill colour.
        gap_fill = _hex(DECISION_FILL if shape.decision else BOX_FILL)
        for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=True):
            length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
            dash, gap = 5 * s, 3 * s
            t = dash
            while t + gap < length:
                a, b = t / length, (t + gap) / length
                draw.line(
                    [
                        (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                        (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                    ],
                    fill=gap_fill,
                    width=lw + 2,
                )
                t += dash + gap
    draw.text((cx, top + h / 2), shape.number, font=label_font, fill=_hex("#212529"), anchor="mm")
    if shape.control:
        mx = cx + w / 2 - (w / 4 if shape.decision else 0)
        my = top + (h / 4 if shape.decision else 0)
        r = 6 * s
        draw.ellipse([(mx - r, my - r), (mx + r, my + r)], fill=_hex(MARKER_FILL))
        draw.text((mx, my), "!", font=_png_font(10 * s), fill=(255, 255, 255), anchor="mm")
    if shape.end:
        pill_top = bottom + (STEP_STUB + STEP_PILL_GAP) * s
        arrow_down(bottom, pill_top)
        pill(pill_top, END_LABEL)
    else:
        draw.line([(cx, bottom), (cx, height)], fill=ink, width=lw)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def render_step_flow_png(step: Step, *, first: bool = False, last: bool = False) -> bytes:
    """The per-step shape of `render_step_flow_svg` (with its ovals) as a PNG for DOCX."""
    return _step_png(_step_shape(step, first=first, last=last, terminators=True))
