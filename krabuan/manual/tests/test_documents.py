"""The printed manual: DOCX and PDF in the form's layout, Thai digits throughout, and the
improvement summary as DOCX and XLSX."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from krabuan.manual import selectors
from krabuan.manual.documents import docx as word
from krabuan.manual.documents import improvements as summary
from krabuan.manual.documents import pdf
from krabuan.manual.models import ProcessKind
from krabuan.manual.tests.document_data import (
    CONTROL_TEXT,
    MAIN_POSITION,
    PROCESS_NAME,
    RISK_TEXT,
    STEP_ACTIVITIES,
    SUPPORTING_POSITION,
    full_process,
    improvement_entries,
)

pytestmark = pytest.mark.django_db

SUPPORT_NAME = "การจัดการด้านสารบรรณ"


def _loaded(process):
    return selectors.manual_processes_full(manual=process.manual).get(pk=process.pk)


def _manual_with_two_processes():
    first = full_process()
    full_process(number=1, kind=ProcessKind.SUPPORT, name=SUPPORT_NAME, manual=first.manual)
    return first.manual


def _docx_text(document) -> str:
    """Every paragraph of the body and of every table cell, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _instructions(document) -> list[str]:
    return [el.text.strip() for el in document.element.body.iter(qn("w:instrText"))]


# --- DOCX -------------------------------------------------------------------------------------


def test_process_docx_holds_every_section_in_thai_digits():
    process = _loaded(full_process())

    document = Document(io.BytesIO(word.process_docx(process)))

    text = _docx_text(document)
    assert f"กระบวนงานหลักที่ ๑ : {PROCESS_NAME}" in text
    for number, activity in zip("๑๒๓๔", STEP_ACTIVITIES, strict=True):
        assert f"{number}. {activity}" in text
    assert "- รวบรวมข้อมูลปีงบประมาณ ๒๕๖๖" in text
    assert f"จุดควบคุม : {CONTROL_TEXT}" in text
    assert f"ความเสี่ยง : {RISK_TEXT}" in text
    assert "(ระบุขั้นตอนที่ ๑)" in text and "(ระบุขั้นตอนที่ -)" in text
    assert "๑. มติคณะรัฐมนตรี เมื่อวันที่ ๒๖ พฤศจิกายน ๒๕๖๑\n๒. แผนพัฒนารัฐบาลดิจิทัล" in text
    assert "ร้อยละ ๙๐" in text
    assert f"ผู้รับผิดชอบหลัก : {MAIN_POSITION}" in text
    assert f"ผู้สนับสนุนการปฏิบัติงาน : {SUPPORTING_POSITION}" in text
    assert re.findall(r"[0-9]", text) == []


def test_process_docx_step_table_has_the_form_columns_and_a_flow_image_per_step():
    process = _loaded(full_process())

    document = Document(io.BytesIO(word.process_docx(process)))

    steps = document.tables[2]
    assert [c.text for c in steps.rows[0].cells] == [
        "ขั้นตอนการทำงาน (Work Flow)",
        "ผังงาน (Flow Chart)",
        "ระยะเวลา",
        "หน่วยงานที่เกี่ยวข้อง",
        "จุดควบคุม/ความเสี่ยง",
    ]
    assert [row.cells[2].text for row in steps.rows[1:]] == [
        "๑ วัน",
        "๗ วัน",
        "๑-๒ วันทำการ",
        "๓ วัน",
    ]
    assert len(document.inline_shapes) == 4
    value_chain = document.tables[1]
    assert [c.text for c in value_chain.rows[0].cells] == [
        "วิเคราะห์ปัจจัยนำเข้า",
        "วางแผนและออกแบบ",
        "บริหารจัดการกระบวนงาน/การบริการ",
        "ติดตาม รายงาน ควบคุมและประเมินผล",
        "สรุปผลการดำเนินการและปรับปรุงแก้ไข",
    ]


def test_docx_sets_th_sarabun_new_16pt_for_complex_script_too():
    process = _loaded(full_process())

    document = Document(io.BytesIO(word.process_docx(process)))

    rpr = document.styles["Normal"].element.rPr
    fonts = rpr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "TH Sarabun New"
    }
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    section = document.sections[0]
    assert section.page_width > section.page_height  # the form is landscape
    assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "thaiNumbers"


def test_manual_docx_has_cover_contents_with_page_fields_and_every_part():
    manual = _manual_with_two_processes()
    processes = list(selectors.manual_processes_full(manual=manual))
    entries = improvement_entries(manual)

    document = Document(
        io.BytesIO(word.manual_docx(manual=manual, processes=processes, improvements=entries))
    )

    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == [
        "คู่มือกระบวนงานของศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗",
        "สารบัญ",
    ]
    assert paragraphs[3:10] == [
        "แบบฟอร์มที่ ๑ กระบวนงานหลักของศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร\t…",
        "กระบวนงานสนับสนุนของศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร\t…",
        "กระบวนงานหลัก",
        f"๑. {PROCESS_NAME}\t…",
        "กระบวนงานสนับสนุน",
        f"๑. {SUPPORT_NAME}\t…",
        "สรุปภาพรวมของการปรับปรุงกระบวนงานในระดับสำนัก/กอง ปีงบประมาณ พ.ศ. ๒๕๖๗\t…",
    ]
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    refs = [i for i in _instructions(document) if i.startswith("PAGEREF")]
    assert len(refs) == 5
    assert {r.split()[1] for r in refs} == bookmarks
    assert all(r.endswith("\\h \\* THAIARABIC") for r in refs)
    cover, forms = document.sections
    assert cover.different_first_page_header_footer is True  # no number on the cover
    assert forms.different_first_page_header_footer is False
    assert [el.text.strip() for el in forms.footer._element.iter(qn("w:instrText"))] == [
        "PAGE \\* THAIARABIC"
    ]
    text = _docx_text(document)
    assert f"กระบวนงานสนับสนุนที่ ๑ : {SUPPORT_NAME}" in text
    assert "๑. การพัฒนาระบบสารสนเทศ" in text
    assert re.findall(r"[0-9]", text) == []


# --- PDF --------------------------------------------------------------------------------------


def test_manual_pdf_has_extractable_thai_and_a_contents_page_with_thai_page_numbers():
    manual = _manual_with_two_processes()
    processes = list(selectors.manual_processes_full(manual=manual))

    reader = PdfReader(
        io.BytesIO(
            pdf.manual_pdf(
                manual=manual, processes=processes, improvements=improvement_entries(manual)
            )
        )
    )

    pages = [page.extract_text() for page in reader.pages]
    heading = f"กระบวนงานหลักที่ ๑ : {PROCESS_NAME}"
    process_page = next(i for i, text in enumerate(pages, start=1) if heading in text.splitlines())
    contents = pages[1]
    thai_page = str(process_page).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert re.search(rf"๑\. {PROCESS_NAME}\s*\.+\s*{thai_page}$", contents, re.M)
    assert re.search(rf"๑\. {SUPPORT_NAME}\s*\.+\s*[๐-๙]+$", contents, re.M)
    assert re.findall(r"[0-9]", contents) == []
    assert "๒. วิเคราะห์ปัญหา/อุปสรรค" in "\n".join(pages)
    # The page number in the footer is in Thai digits too.
    assert pages[process_page - 1].rstrip().endswith(thai_page)


def test_process_pdf_is_one_landscape_form_with_the_process_name():
    process = _loaded(full_process())

    reader = PdfReader(io.BytesIO(pdf.process_pdf(process)))

    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height
    assert f"กระบวนงานหลักที่ ๑ : {PROCESS_NAME}" in first.extract_text()
    assert reader.metadata.title == f"กระบวนงานหลักที่ ๑ : {PROCESS_NAME}"


# --- improvement summary ----------------------------------------------------------------------


def test_improvements_xlsx_lists_rows_with_checks_and_thai_digits():
    manual = full_process().manual
    entries = improvement_entries(manual)

    workbook = load_workbook(io.BytesIO(summary.improvements_xlsx(manual=manual, entries=entries)))

    sheet = workbook["สรุปการปรับปรุง"]
    assert sheet["A1"].value == ("สรุปภาพรวมของการปรับปรุงกระบวนงานในระดับสำนัก/กอง ปีงบประมาณ พ.ศ. ๒๕๖๗")
    assert [c.value for c in sheet[5]][1:5] == [
        "ปรับปรุงรายละเอียด",
        "เพิ่มเทคโนโลยี/นวัตกรรม",
        "เพิ่มกระบวนงาน",
        "ตัดกระบวนงาน",
    ]
    assert [c.value for c in sheet[6]] == [
        "๑. การพัฒนาระบบสารสนเทศ",
        "✓",
        "-",
        "-",
        "-",
        "เพิ่ม พรบ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒",
        "กลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ",
    ]
    assert [c.value for c in sheet[7]][:5] == [
        "๒. การคุ้มครองข้อมูลส่วนบุคคล ของ สป.กษ.",
        "-",
        "✓",
        "✓",
        "-",
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"B4:E4", "A4:A5", "F4:F5", "G4:G5"}
    assert sheet["A6"].font.name == "TH Sarabun New"


def test_improvements_docx_has_the_two_row_header_and_one_row_per_entry():
    manual = full_process().manual
    entries = improvement_entries(manual)

    document = Document(io.BytesIO(summary.improvements_docx(manual=manual, entries=entries)))

    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][1:5] == [
        "ปรับปรุงรายละเอียด",
        "เพิ่มเทคโนโลยี/นวัตกรรม",
        "เพิ่มกระบวนงาน",
        "ตัดกระบวนงาน",
    ]
    assert table.rows[0].cells[1].text == "การปรับปรุง (✓)"
    assert [c.text for c in table.rows[2].cells] == [
        "๑. การพัฒนาระบบสารสนเทศ",
        "✓",
        "-",
        "-",
        "-",
        "เพิ่ม พรบ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒",
        "กลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ",
    ]
    assert len(table.rows) == 4
