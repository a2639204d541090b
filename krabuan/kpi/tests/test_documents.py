"""The agreement's documents, read back: the summary table (DOCX, PDF) with results and scores
in Thai digits, the 6- and 9-month round reports, and the workbook of KPIs and results."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from krabuan.kpi.models import Agreement, Kpi
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.kpi.services.results import result_record

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# Thai marks above and below the line (and SARA AM, drawn as NIKHAHIT + SARA AA): WeasyPrint's
# text layer maps some of their shaped glyphs to neighbouring code points, so PDF text is
# compared on the letters that carry the line.
_MARKS = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e\u0e32]")


def skeleton(text: str) -> str:
    return _MARKS.sub("", " ".join(text.split()))


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def fy2566(demo_org, officer) -> Agreement:
    """The FY2566 agreement with PMQA 420 and disbursement 98.5 for the year, and KPI 2's
    6-month round with two of its three steps done."""
    agreement = agreement_fixture_load(path=fixture_path(2566)).agreement
    result_record(
        kpi=kpi(agreement, 6), round="12m", value="420", actor=officer, evidence=evidence()
    )
    result_record(
        kpi=kpi(agreement, 3), round="12m", value="98.5", actor=officer, evidence=evidence()
    )
    pdpa = kpi(agreement, 2)
    steps = list(pdpa.milestones.get(round="6m").steps.all())
    result_record(
        kpi=pdpa,
        round="6m",
        value=None,
        deliverables=[pdpa.deliverables.get(level=50).pk],
        milestone_steps=[s.pk for s in steps[:2]],
        actor=officer,
        evidence=evidence(),
    )
    return agreement


def kpi(agreement: Agreement, number: int) -> Kpi:
    return agreement.kpis.get(number=number)


def download(client, user, url: str):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def docx_rows(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    (table,) = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_agreement_docx_is_the_summary_table_with_scores_in_thai_digits(
    client, officer, fy2566
):
    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/agreement.docx?round=12m")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment;" in response["Content-Disposition"]
    rows = docx_rows(response.content)
    assert rows[0][:3] == ["ตัวชี้วัด", "น้ำหนัก (ร้อยละ)", "ข้อมูลพื้นฐาน"]
    assert rows[1][2:9] == [
        "๒๕๖๒",
        "๒๕๖๓",
        "๒๕๖๔",
        "๒๕๖๕",
        "ขั้นต้น (๕๐ คะแนน)",
        "มาตรฐาน (๗๕ คะแนน)",
        "ขั้นสูง (๑๐๐ คะแนน)",
    ]
    assert rows[0][9:] == ["ผลการดำเนินงาน", "คะแนน", "คะแนนถ่วงน้ำหนัก"]
    assert rows[2][:2] == ["๑. การประเมินประสิทธิภาพการดำเนินงาน (Performance Base)", "๗๐"]
    disbursement = next(r for r in rows if r[0] == "๓. ร้อยละการเบิกจ่ายงบประมาณ")
    assert disbursement[1:] == [
        "๑๕",
        "๙๗.๕๕",
        "๙๗.๖๘",
        "๙๖.๖๒",
        "๙๙.๒๓",
        "ร้อยละ ๙๕",
        "ร้อยละ ๙๗.๕",
        "ร้อยละ ๑๐๐",
        "ร้อยละ ๙๘.๕",
        "๙๘.๕๐",
        "๑๔.๗๘",
    ]
    pmqa = next(r for r in rows if r[0].startswith("๖. การประเมินสถานะ"))
    assert pmqa[1:] == [
        "๑๕",
        "-",
        "๓๖๐.๗๖",
        "๔๑๔.๗๒",
        "๓๙๙.๐๓",
        "๓๕๐ คะแนน",
        "๓๙๙.๐๓ คะแนน",
        "๔๓๘.๙๓ คะแนน",
        "๔๒๐ คะแนน",
        "๘๘.๑๔",
        "๑๓.๒๒",
    ]
    # KPI 2: 50 for its basic level less 10 for each of the two rounds whose steps were not all
    # done = 30, weighted 6.00; with 13.22 and 14.78 the total is 34.00.
    pdpa = next(r for r in rows if r[0].startswith("๒. การขับเคลื่อนข้อมูลส่วนบุคคล"))
    assert pdpa[-2:] == ["๓๐.๐๐", "๖.๐๐"]
    assert rows[-1][0] == "รวม" and rows[-1][1] == "๑๐๐" and rows[-1][-1] == "๓๔.๐๐"
    text = "\n".join(cell for row in rows for cell in row)
    assert re.findall(r"[0-9]", text) == []


def test_the_agreement_docx_uses_the_thai_font_in_every_script(client, officer, fy2566):
    content = download(client, officer, f"/kpi/agreements/{fy2566.pk}/agreement.docx").content

    document = Document(io.BytesIO(content))

    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "TH Sarabun New"
    }
    section = document.sections[0]
    assert section.page_width > section.page_height
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == [
        "คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
        "ผลการดำเนินงานรอบ ๑๒ เดือน (ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖)",
    ]
    assert "ผู้รับคำรับรอง: ผู้ช่วยปลัดกระทรวงเกษตรและสหกรณ์ (ลงนาม ๒๗ ธันวาคม ๒๕๖๕)" in paragraphs
    assert "คะแนนรวมถ่วงน้ำหนัก ๓๔.๐๐ คะแนน (คาดการณ์สิ้นปี ๓๔.๐๐)" in paragraphs
    assert any(p.startswith("หมายเหตุ ตัวชี้วัดที่ ๓: ต้นฉบับระบุวิธีคิดคะแนนไว้ ๒ แบบ") for p in paragraphs)


def test_the_agreement_pdf_is_landscape_with_the_scores_in_thai_digits(client, officer, fy2566):
    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/agreement.pdf?round=12m")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height
    text = skeleton("\n".join(page.extract_text() for page in reader.pages))
    for expected in (
        "คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
        "ร้อยละการเบิกจ่ายงบประมาณ",
        "PMQA ๔.๐",
        "๔๒๐ คะแนน",
        "๘๘.๑๔",
        "๑๓.๒๒",
        "๙๘.๕๐",
        "๑๔.๗๘",
        "คะแนนรวมถ่วงน้ำหนัก ๓๔.๐๐ คะแนน",
    ):
        assert skeleton(expected) in text, expected
    assert re.findall(r"[0-9]", text) == []


def test_the_six_month_report_marks_each_step_done_or_not_with_the_deduction(
    client, officer, fy2566
):
    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/report-6m.docx")

    document = Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs][:3] == [
        "รายงานผลการดำเนินงานตามคำรับรองการปฏิบัติราชการ รอบ ๖ เดือน",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "(ต.ค. ๒๕๖๕ – มี.ค. ๒๕๖๖)",
    ]
    rows = docx_rows(response.content)
    assert rows[0] == [
        "ตัวชี้วัด",
        "เป้าหมายการดำเนินงานของรอบ",
        "ขั้นตอนการดำเนินงาน",
        "ดำเนินการแล้ว",
        "ผลการดำเนินงาน",
        "หักคะแนน",
        "คะแนน",
        "คะแนนถ่วงน้ำหนัก",
    ]
    pdpa = next(r for r in rows if r[0].startswith("๒. การขับเคลื่อนข้อมูลส่วนบุคคล"))
    steps = pdpa[2].split("\n")
    assert [s.rsplit(" — ", 1)[1] for s in steps] == [
        "ดำเนินการแล้ว",
        "ดำเนินการแล้ว",
        "ยังไม่ดำเนินการ",
    ]
    assert steps[0].startswith("๑) ชี้แจงแนวทางการดำเนินการตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล")
    assert pdpa[3:] == ["๒/๓", "ผลผลิต/เงื่อนไขที่ดำเนินการแล้ว ๑ จาก ๓ รายการ", "๑๐.๐๐", "๔๐.๐๐", "๘.๐๐"]
    # KPI 5 never deducts, whatever its steps.
    pdpa_office = next(r for r in rows if r[0].startswith("๕. การดำเนินการตามพระราชบัญญัติ"))
    assert pdpa_office[3] == "๐/๖" and pdpa_office[5] == "-"
    assert rows[-1][-1] == "๘.๐๐"


def test_the_nine_month_report_pdf_names_the_round_and_its_steps(client, officer, fy2566):
    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/report-9m.pdf")

    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = skeleton("\n".join(page.extract_text() for page in reader.pages))
    for expected in (
        "รายงานผลการดำเนินงานตามคำรับรองการปฏิบัติราชการ รอบ ๙ เดือน",
        "(ต.ค. ๒๕๖๕ – มิ.ย. ๒๕๖๖)",
        "สำนัก/กอง มีผลการเบิกจ่าย ไม่น้อยกว่า ร้อยละ ๗๕",
        "ยังไม่ดำเนินการ",
    ):
        assert skeleton(expected) in text, expected


@pytest.mark.parametrize("url", ["report-12m.pdf", "report-6m.txt", "agreement.odt"])
def test_documents_that_do_not_exist_are_404(client, officer, fy2566, url):
    client.force_login(officer)

    assert client.get(f"/kpi/agreements/{fy2566.pk}/{url}").status_code == 404


def test_documents_are_for_readers_only(client, requester, fy2566):
    client.force_login(requester)

    assert client.get(f"/kpi/agreements/{fy2566.pk}/agreement.pdf").status_code == 403
    assert client.get(f"/kpi/agreements/{fy2566.pk}/results.xlsx").status_code == 403


def test_the_workbook_lists_every_kpi_with_scores_and_every_result(client, officer, fy2566):
    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/results.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["ตัวชี้วัด", "ผลการดำเนินงาน"]
    kpis = workbook["ตัวชี้วัด"]
    headers = [c.value for c in kpis[2]]
    assert headers[:4] == ["ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "องค์ประกอบการประเมิน", "น้ำหนัก (ร้อยละ)"]
    rows = {row[0]: row for row in kpis.iter_rows(min_row=3, values_only=True) if row[0]}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    pmqa = dict(zip(headers, rows[6], strict=True))
    assert (pmqa["ขั้นต้น (50)"], pmqa["มาตรฐาน (75)"], pmqa["ขั้นสูง (100)"]) == (350, 399.03, 438.93)
    assert pmqa["ผล รอบ 12 เดือน"] == "420 คะแนน"
    assert pmqa["คะแนน รอบ 12 เดือน"] == 88.14
    assert pmqa["คะแนนถ่วงน้ำหนัก รอบ 12 เดือน"] == 13.22
    assert pmqa["ข้อมูลพื้นฐาน"] == "2563: 360.76; 2564: 414.72; 2565: 399.03"
    pdpa = dict(zip(headers, rows[2], strict=True))
    assert pdpa["คะแนน รอบ 6 เดือน"] == 40
    total = [c.value for c in kpis[kpis.max_row]]
    assert total[1] == "รวม" and total[3] == 100 and total[-2] == 34.0
    results = workbook["ผลการดำเนินงาน"]
    entered = [r for r in results.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[2], r[3]) for r in entered] == [
        (2, "รอบ ๖ เดือน", None),
        (3, "รอบ ๑๒ เดือน", 98.5),
        (6, "รอบ ๑๒ เดือน", 420),
    ]
    # The storage keeps every upload, renaming same-named files.
    assert all(re.fullmatch(r"evidence(_\w+)?\.pdf", r[7]) for r in entered)
    assert {r[8] for r in entered} == {officer.get_full_name()}


def test_workbook_text_cannot_run_as_a_formula(client, officer, fy2566):
    result_record(
        kpi=kpi(fy2566, 4),
        round="9m",
        value="91",
        note='=HYPERLINK("http://example.invalid")',
        actor=officer,
        evidence=evidence(),
    )

    response = download(client, officer, f"/kpi/agreements/{fy2566.pk}/results.xlsx")

    results = load_workbook(io.BytesIO(response.content))["ผลการดำเนินงาน"]
    notes = [r[6] for r in results.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://example.invalid")' in notes
