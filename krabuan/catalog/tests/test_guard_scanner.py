"""The personal-data scanner and its detectors: Thai IDs (checksum, dashes, Thai digits), phones,
e-mails, bank accounts, column names (and their false positives), CSV/XLSX/JSON/text files."""

from __future__ import annotations

import io
import json
import random
import zipfile

import openpyxl
import pytest

from krabuan.catalog.guard_detect import (
    column_category,
    find_values,
    is_account_column,
    mask_text,
    thai_id_valid,
)
from krabuan.catalog.scanner import ScanError, ScanResult, scan_bytes, scan_text
from krabuan.core.thai import to_thai_digits


def thai_id(first12: str) -> str:
    """A 13-digit ID with the right check digit."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def wrong_check(number: str) -> str:
    return number[:12] + str((int(number[12]) + 1) % 10)


VALID = thai_id("110170023070")  # 1101700230708
VALID2 = thai_id("310060021456")  # 3100600214561


def dashed(number: str, sep: str = "-") -> str:
    return sep.join([number[0], number[1:5], number[5:10], number[10:12], number[12]])


def kinds(text: str, **kwargs) -> list[str]:
    return [m.kind for m in find_values(text, **kwargs)]


# --- Thai national ID -------------------------------------------------------------------------


def test_checksum_of_known_numbers():
    assert VALID == "1101700230708"
    assert thai_id_valid(VALID)
    assert thai_id_valid(VALID2)
    assert not thai_id_valid(wrong_check(VALID))
    assert not thai_id_valid("110170023070")  # 12 digits
    assert not thai_id_valid("0" + VALID[1:12] + "0")  # juristic numbers start with 0


def test_random_valid_ids_are_found_and_every_wrong_check_digit_is_rejected():
    rng = random.Random(5)
    for _ in range(300):
        number = thai_id(
            str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(11))
        )
        assert kinds(number) == ["thai_id"], number
        for digit in "0123456789":
            if digit != number[12]:
                assert "thai_id" not in kinds(number[:12] + digit), number[:12] + digit


@pytest.mark.parametrize(
    "text",
    [
        VALID,
        dashed(VALID),
        dashed(VALID, " "),
        f"เลขบัตร {dashed(VALID)} ของผู้ขอ",
        to_thai_digits(VALID),
        to_thai_digits(dashed(VALID)),
        f"{VALID}.0",  # Excel float written as text
        f"ID:{VALID2},",
    ],
)
def test_thai_id_positives(text):
    assert kinds(text) == ["thai_id"]


@pytest.mark.parametrize(
    "text",
    [
        wrong_check(VALID),
        dashed(wrong_check(VALID)),
        to_thai_digits(wrong_check(VALID)),
        "0105536000012",  # a company registration number
        "9" + VALID[1:],
        VALID + "1",  # part of a longer number
        "5" + VALID,
        f"{VALID[:1]}-{VALID[1:5]} {VALID[5:10]}-{VALID[10:12]}-{VALID[12]}",  # mixed separators
        f"0.{VALID}",
        "1234567890123",
    ],
)
def test_thai_id_negatives(text):
    assert "thai_id" not in kinds(text)


# --- phones, e-mails, bank accounts -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0812345678",
        "081-234-5678",
        "08-1234-5678",
        "081 234 5678",
        "091.234.5678",
        "0612345678",
        "02-123-4567",
        "021234567",
        "053-123456",
        "053 123 456",
        "+66 81 234 5678",
        "+66812345678",
        "+66-2-123-4567",
        "+66 (0) 81 234 5678",
        "โทร ๐๘๑-๒๓๔-๕๖๗๘ (คุณสมชาย)",
    ],
)
def test_phone_positives(text):
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "12345678",
        "0012345678",
        "1081234567",
        "08123",
        "0812345678901",
        "2566-09-30",
        "0.0812345678",
        "10,000,000",
        "0112345678",  # 01 is not a Thai prefix
        "+6581234567",  # Singapore
        "ผลผลิต 3,245.50 ตัน",
    ],
)
def test_phone_negatives(text):
    assert "phone" not in kinds(text)


@pytest.mark.parametrize(
    "text", ["somchai@example.com", "a.b+c@moac.go.th", "ติดต่อ dpo@ops.moac.go.th ครับ"]
)
def test_email_positives(text):
    assert kinds(text) == ["email"]


@pytest.mark.parametrize(
    "text", ["a@b", "@example.com", "s***@example.com", "ราคา @ 20 บาท", "user@localhost"]
)
def test_email_negatives(text):
    assert "email" not in kinds(text)


def test_bank_accounts_by_pattern_and_in_account_columns():
    assert kinds("123-4-56789-0") == ["bank_account"]
    assert kinds("1234567890") == []  # a bare number is nothing outside an account column
    assert kinds("1234567890", account_column=True) == ["bank_account"]
    assert kinds("123456789012", account_column=True) == ["bank_account"]
    assert kinds("123456789", account_column=True) == []
    assert kinds("1234567890123", account_column=True) == []


def test_an_id_is_not_also_reported_as_a_phone_or_account():
    assert kinds(f"{VALID} 0812345678 x@y.co", account_column=True) == [
        "thai_id",
        "bank_account",
        "email",
    ]
    assert kinds(f"{VALID} 0812345678 x@y.co") == ["thai_id", "phone", "email"]


def test_masks_keep_only_what_the_issue_allows():
    text = f"{dashed(VALID)} / 0812345678 / somchai@example.com / 123-4-56789-0"
    masked, count = mask_text(text)
    assert count == 4
    assert masked == "1-1017-xxxxx-xx-x / 08x-xxx-5678 / s***@example.com / xxx-x-xx789-0"
    assert find_values(masked) == []


# --- column names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "category"),
    [
        ("ชื่อ", "name"),
        ("ชื่อ-สกุล", "name"),
        ("ชื่อ - นามสกุล", "name"),
        ("นามสกุล", "name"),
        ("คำนำหน้าชื่อ", "name"),
        ("ชื่อเกษตรกร", "name"),
        ("ชื่อผู้ติดต่อ", "name"),
        ("ที่อยู่", "address"),
        ("ที่อยู่ตามทะเบียนบ้าน", "address"),
        ("บ้านเลขที่", "address"),
        ("เลขประจำตัวประชาชน", "id"),
        ("เลขบัตรประชาชน", "id"),
        ("หมายเลขหนังสือเดินทาง", "id"),
        ("โทรศัพท์", "phone"),
        ("เบอร์โทร", "phone"),
        ("โทร.", "phone"),
        ("อีเมล", "email"),
        ("อีเมล์", "email"),
        ("วันเกิด", "birth_date"),
        ("วัน/เดือน/ปีเกิด", "birth_date"),
        ("เลขที่บัญชี", "bank_account"),
        ("name", "name"),
        ("Name", "name"),
        ("first_name", "name"),
        ("firstName", "name"),
        ("LAST NAME", "name"),
        ("surname", "name"),
        ("farmer_name", "name"),
        ("address", "address"),
        ("home_address", "address"),
        ("citizen_id", "id"),
        ("national_id", "id"),
        ("ID card no", "id"),
        ("phone", "phone"),
        ("mobile_no", "phone"),
        ("Tel", "phone"),
        ("email", "email"),
        ("E-mail", "email"),
        ("dob", "birth_date"),
        ("date_of_birth", "birth_date"),
        ("bank_account", "bank_account"),
        ("account_no", "bank_account"),
    ],
)
def test_column_names_that_mean_personal_data(header, category):
    assert column_category(header) == category


@pytest.mark.parametrize(
    "header",
    [
        "ชื่อชุดข้อมูล",
        "ชื่อจังหวัด",
        "ชื่ออำเภอ",
        "ชื่อตำบล",
        "ชื่อพืช",
        "ชื่อสินค้า",
        "ชื่อหน่วยงาน",
        "ชื่อโครงการ",
        "ชื่อตัวชี้วัด",
        "จำนวนผู้มีที่อยู่อาศัย",
        "ประเภทที่อยู่อาศัย",
        "ร้อยละของครัวเรือนที่มีโทรศัพท์",
        "สถานีโทรทัศน์",
        "บัญชีข้อมูล",
        "province_name",
        "dataset_name",
        "name_th",
        "crop_name",
        "id",
        "dataset_id",
        "ip_address",
        "hotel",
        "number_of_phones",
        "phone_count",
        "birth_rate",
        "จังหวัด",
        "ปริมาณผลผลิต (ตัน)",
        "",
    ],
)
def test_column_names_that_do_not(header):
    assert column_category(header) is None


def test_account_columns():
    assert is_account_column("เลขที่บัญชีธนาคาร")
    assert is_account_column("bank_acct")
    assert not is_account_column("จังหวัด")


# --- files ------------------------------------------------------------------------------------

PEOPLE_CSV = (
    "ชื่อ-สกุล,เลขประจำตัวประชาชน,จังหวัด,โทรศัพท์,อีเมล\n"
    f"สมชาย ใจดี,{VALID},เชียงใหม่,081-234-5678,somchai@example.com\n"
    f"สมหญิง รักดี,{dashed(VALID2)},ลำปาง,-,\n"
    f"สมศักดิ์ มีสุข,{wrong_check(VALID)},น่าน,,\n"
)
CLEAN_CSV = "จังหวัด,ปี,ผลผลิต (ตัน),ราคา\nเชียงใหม่,2566,120500,15.50\nลำปาง,2566,80100,14.75\n"


def by_kind(result: ScanResult) -> dict[tuple[str, str], dict]:
    return {(f["kind"], f["column"]): f for f in result.findings}


def test_csv_findings_are_aggregated_masked_and_numbered_by_row():
    result = scan_bytes(PEOPLE_CSV.encode(), filename="people.csv")

    found = by_kind(result)
    assert result.rows == 3
    assert found[("thai_id", "เลขประจำตัวประชาชน")]["count"] == 2  # the wrong checksum is not
    assert found[("thai_id", "เลขประจำตัวประชาชน")]["rows"] == [2, 3]
    assert found[("thai_id", "เลขประจำตัวประชาชน")]["sample"] == "1-1017-xxxxx-xx-x"
    assert found[("phone", "โทรศัพท์")]["sample"] == "08x-xxx-5678"
    assert found[("email", "อีเมล")]["sample"] == "s***@example.com"
    assert found[("column_name", "ชื่อ-สกุล")]["category"] == "name"
    assert found[("column_name", "ชื่อ-สกุล")]["count"] == 3
    assert found[("column_name", "โทรศัพท์")]["count"] == 1  # "-" and empty cells do not count
    assert ("column_name", "จังหวัด") not in found
    stored = json.dumps(result.findings, ensure_ascii=False)
    for raw in (VALID, VALID2, "5678901", "somchai@", "สมชาย", "234-5678"):
        assert raw not in stored


def test_a_clean_csv_has_no_findings():
    assert scan_bytes(CLEAN_CSV.encode(), filename="rice.csv").findings == []


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: ("\ufeff" + t).encode("utf-8"),
        lambda t: t.encode("cp874"),
        lambda t: t.encode("tis-620"),
        lambda t: t.replace(",", ";").encode("utf-8"),
        lambda t: t.replace(",", "\t").encode("cp874"),
        lambda t: t.replace(",", "|").replace("\n", "\r\n").encode("utf-8"),
    ],
)
def test_csv_encodings_and_delimiters(encode):
    result = scan_bytes(encode(PEOPLE_CSV), filename="people.csv")
    found = by_kind(result)
    assert found[("thai_id", "เลขประจำตัวประชาชน")]["count"] == 2
    assert ("column_name", "ชื่อ-สกุล") in found


def test_csv_without_a_header_row_and_rows_sample_capped():
    lines = "\n".join(f"{thai_id(f'3{i:011d}')},x" for i in range(1, 10))
    result = scan_bytes(lines.encode(), filename="ids.csv")
    (item,) = result.findings
    assert item["column"] == "คอลัมน์ 1"
    assert item["count"] == 9
    assert item["rows"] == [1, 2, 3, 4, 5]


def test_progress_is_reported_up_to_100():
    body = CLEAN_CSV + "".join(f"จังหวัด{i},2566,{i},1.0\n" for i in range(20000))
    seen: list[int] = []
    result = scan_bytes(body.encode(), filename="big.csv", progress=lambda p, m: seen.append(p))
    assert result.rows == 20002
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(set(seen)) > 10


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_every_sheet_and_numeric_ids():
    content = xlsx(
        {
            "ผลผลิต": [["จังหวัด", "ผลผลิต"], ["เชียงใหม่", 120500]],
            "เกษตรกร": [
                ["ชื่อเกษตรกร", "เลขบัตรประชาชน", "มือถือ"],
                ["สมชาย", int(VALID), "0812345678"],
                [None, None, None],
                ["สมหญิง", float(VALID2), None],
            ],
        }
    )
    result = scan_bytes(content, filename="farmers.xlsx")
    found = {(f["kind"], f.get("sheet"), f["column"]): f for f in result.findings}
    assert found[("thai_id", "เกษตรกร", "เลขบัตรประชาชน")]["rows"] == [2, 4]
    assert found[("phone", "เกษตรกร", "มือถือ")]["count"] == 1
    assert found[("column_name", "เกษตรกร", "ชื่อเกษตรกร")]["count"] == 2
    assert not [f for f in result.findings if f.get("sheet") == "ผลผลิต"]
    assert result.rows == 3


def test_a_broken_xlsx_is_a_scan_error():
    with pytest.raises(ScanError, match="XLSX"):
        scan_bytes(b"PK\x03\x04 not really", filename="x.xlsx")


def test_json_records_list_nested_objects_and_geojson():
    records = [
        {"farmer": {"name": "สมชาย", "phone": "0812345678"}, "province": {"name": "ลำปาง"}},
        {"farmer": {"name": "สมหญิง", "citizen_id": VALID}, "province": {"name": "น่าน"}},
    ]
    found = by_kind(scan_bytes(json.dumps(records).encode(), filename="x.json"))
    assert found[("column_name", "farmer.name")]["count"] == 2
    assert found[("thai_id", "farmer.citizen_id")]["rows"] == [2]
    assert found[("phone", "farmer.phone")]["rows"] == [1]
    assert ("column_name", "province.name") not in found

    ckan = {"success": True, "result": {"records": records, "total": 2}}
    found = by_kind(scan_bytes(json.dumps(ckan).encode("utf-8"), filename="datastore.json"))
    assert found[("thai_id", "farmer.citizen_id")]["rows"] == [2]

    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "แปลง 1", "owner_phone": "0898765432"}}
        ],
    }
    found = by_kind(scan_bytes(json.dumps(geo).encode(), filename="plots.geojson"))
    assert set(found) == {
        ("phone", "properties.owner_phone"),
        ("column_name", "properties.owner_phone"),
    }


def test_broken_json_is_a_scan_error():
    with pytest.raises(ScanError, match="JSON"):
        scan_bytes(b'{"a": ', filename="x.json")


def test_scan_text_strips_tags_and_scripts():
    page = (
        "<html><head><script>var tel = '0812345678';</script></head><body>"
        "<p>ติดต่อเจ้าหน้าที่ dpo@moac.go.th</p><p>โทร ๐๒-๑๒๓-๔๕๖๗</p>"
        f"<p>เลขที่ {wrong_check(VALID)} ไม่ใช่เลขบัตร</p></body></html>"
    )
    findings = scan_text(page)
    assert [(f["kind"], f["sample"]) for f in findings] == [
        ("phone", "02-xxx-4567"),
        ("email", "d***@moac.go.th"),
    ]
    assert scan_text("ไม่มีข้อมูลส่วนบุคคล &amp; ตัวเลข 2566") == []


def test_docx_text_is_scanned_and_binary_files_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f"<w:document><w:body><w:p><w:t>บัตร {VALID}</w:t></w:p></w:body></w:document>",
        )
    result = scan_bytes(out.getvalue(), filename="letter.docx")
    assert [f["kind"] for f in result.findings] == ["thai_id"]
    with pytest.raises(ScanError, match="ตรวจไฟล์ชนิดนี้โดยอัตโนมัติไม่ได้"):
        scan_bytes(b"%PDF-1.7\x00\x01", filename="report.pdf")
