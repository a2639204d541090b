"""The generated flowcharts: valid SVG, one shape per step, decisions and control points marked,
Thai text wrapped between words, everything escaped, same bytes every time."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from krabuan.manual import selectors
from krabuan.manual.flowchart import (
    END_LABEL,
    START_LABEL,
    render_flowchart_svg,
    render_step_flow_png,
    render_step_flow_svg,
    wrap_text,
)
from krabuan.manual.tests.document_data import full_process
from krabuan.manual.tests.factories import ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}


def _loaded(process):
    return selectors.manual_processes_full(manual=process.manual).get(pk=process.pk)


def _texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{{{NS['svg']}}}text")]


def _steps(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='step']", NS)


def test_flowchart_has_start_one_shape_per_step_and_end():
    process = _loaded(full_process())

    root = ET.fromstring(render_flowchart_svg(process))

    steps = _steps(root)
    assert [g.get("data-order") for g in steps] == ["1", "2", "3", "4"]
    shapes = [("polygon" if g.find("svg:polygon", NS) is not None else "rect") for g in steps]
    # Step 3 asks the director to consider and approve: a decision diamond.
    assert shapes == ["rect", "rect", "polygon", "rect"]
    texts = _texts(root)
    assert texts[0] == START_LABEL
    assert END_LABEL in texts
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_flowchart_boxes_carry_thai_numbers_activity_words_and_durations():
    process = _loaded(full_process())

    root = ET.fromstring(render_flowchart_svg(process))

    first, _, third, fourth = _steps(root)
    assert "".join(_texts(first)).startswith("๑. ประชุมชี้แจง")
    assert " ".join(_texts(fourth)) == "๔. สรุปและประเมินผลการดำเนินงาน ๓ วัน"
    # Durations typed with Arabic digits are printed with Thai ones.
    assert _texts(first)[-1] == "๑ วัน"
    assert _texts(third)[-1] == "๑-๒ วันทำการ"


def test_flowchart_marks_control_points_and_loops_decisions_back():
    process = _loaded(full_process())

    root = ET.fromstring(render_flowchart_svg(process))

    marked = [
        g.get("data-order")
        for g in _steps(root)
        if g.find("svg:g[@class='control-marker']", NS) is not None
    ]
    assert marked == ["2", "3"]  # step 3's risk alone would not count; it has a control too
    loops = root.findall(".//svg:g[@class='loop']", NS)
    assert len(loops) == 1
    assert _texts(loops[0]) == ["ไม่ผ่าน"]


def test_flowchart_escapes_text_and_drops_characters_xml_forbids():
    process = ProcessFactory(name='ระบบ <script>alert("x")</script> & "ข้อมูล"')
    StepFactory(
        process=process, order=1, activity="ส่ง <b>หนังสือ</b> & แจ้ง\x0bเวียน", duration_text="๑ วัน"
    )

    svg = render_flowchart_svg(_loaded(process))
    root = ET.fromstring(svg)

    assert "<script>" not in svg and "<b>" not in svg
    assert (
        root.find("svg:title", NS).text == 'ผังกระบวนงาน ระบบ <script>alert("x")</script> & "ข้อมูล"'
    )
    assert "".join(_texts(_steps(root)[0])).startswith("๑. ส่ง <b>หนังสือ</b> & แจ้งเวียน")


def test_flowchart_is_deterministic():
    process = full_process()

    assert render_flowchart_svg(_loaded(process)) == render_flowchart_svg(_loaded(process))


def test_flowchart_of_a_process_without_steps_goes_from_start_to_end():
    process = ProcessFactory()

    root = ET.fromstring(render_flowchart_svg(_loaded(process)))

    assert _steps(root) == []
    assert _texts(root) == [START_LABEL, END_LABEL]


def test_wrap_breaks_thai_between_words_and_keeps_abbreviations_whole():
    assert wrap_text("ประชุมชี้แจง ทำความเข้าใจ การทบทวนแผนปฏิบัติการดิจิทัล", 150) == [
        "ประชุมชี้แจง",
        "ทำความเข้าใจ",
        "การทบทวนแผน",
        "ปฏิบัติการดิจิทัล",
    ]
    assert wrap_text("สรุปผล (ICT01) ศทส. สป.กษ.", 60) == ["สรุปผล", "(ICT01)", "ศทส.", "สป.กษ."]


def test_wrap_cuts_an_over_long_word_without_separating_its_marks():
    lines = wrap_text("กี่" * 20, 50)

    assert "".join(lines) == "กี่" * 20
    assert all(line.startswith("ก") for line in lines)


def test_step_flow_svg_draws_the_row_shape_with_or_without_ovals():
    process = _loaded(full_process())
    steps = list(process.steps.all())

    first = ET.fromstring(render_step_flow_svg(steps[0], first=True))
    bare_first = ET.fromstring(render_step_flow_svg(steps[0], first=True, terminators=False))
    decision = ET.fromstring(render_step_flow_svg(steps[2]))
    last = ET.fromstring(render_step_flow_svg(steps[3], last=True))

    assert _texts(first) == [START_LABEL, "๑"]
    assert _texts(bare_first) == ["๑"]
    assert _texts(decision) == ["๓", "!"]
    assert _texts(last) == ["๔", END_LABEL]
    assert float(first.get("height")) > float(bare_first.get("height"))


def test_step_flow_png_is_a_transparent_png_four_times_the_svg_size():
    process = _loaded(full_process())
    step = process.steps.all()[0]

    png = render_step_flow_png(step, first=True)

    image = Image.open(io.BytesIO(png))
    svg = ET.fromstring(render_step_flow_svg(step, first=True))
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.size == (int(svg.get("width")) * 4, round(float(svg.get("height")) * 4))
