"""The masking export: same format, detected values masked, flagged columns hidden, nothing raw
left, and a rescan of the masked file finds nothing."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from krabuan.catalog.masking import mask_bytes, masked_filename
from krabuan.catalog.scanner import ScanError, scan_bytes
from krabuan.catalog.tests.test_guard_scanner import (
    CLEAN_CSV,
    PEOPLE_CSV,
    VALID,
    VALID2,
    dashed,
    xlsx,
)

RAW = (VALID, VALID2, dashed(VALID2), "081-234-5678", "somchai@", "สมชาย", "รักดี")


def assert_no_raw(text: str) -> None:
    for raw in RAW:
        assert raw not in text


def test_csv_masked_in_the_same_encoding_and_delimiter():
    source = PEOPLE_CSV.replace(",", ";").encode("cp874")
    masked, result = mask_bytes(source, filename="people.csv")
    text = masked.decode("cp874")

    assert result.format == "csv" and result.rows == 3
    lines = text.splitlines()
    assert lines[0] == "ชื่อ-สกุล;เลขประจำตัวประชาชน;จังหวัด;โทรศัพท์;อีเมล"
    assert lines[1] == "***;1-1017-xxxxx-xx-x;เชียงใหม่;08x-xxx-5678;s***@example.com"
    # An ID with a wrong checksum is not detected, but its column is an ID column: hidden.
    assert lines[3].split(";")[:3] == ["***", "***", "น่าน"]
    assert lines[2].split(";")[3] == "-"  # placeholders stay
    assert_no_raw(text)
    assert scan_bytes(masked, filename="people-masked.csv").findings == []


def test_csv_with_bom_keeps_it_and_clean_files_are_unchanged():
    masked, result = mask_bytes(("\ufeff" + PEOPLE_CSV).encode(), filename="people.csv")
    assert masked.startswith(b"\xef\xbb\xbf")
    assert_no_raw(masked.decode("utf-8-sig"))
    clean, result = mask_bytes(CLEAN_CSV.encode(), filename="rice.csv")
    assert result.masked == 0
    assert clean.decode().replace("\r\n", "\n") == CLEAN_CSV


def test_values_in_unflagged_columns_are_masked_in_place():
    source = f"หมายเหตุ,จังหวัด\nติดต่อ 0812345678 หรือ {VALID},ลำปาง\n".encode()
    masked, result = mask_bytes(source, filename="notes.csv")
    assert masked.decode().splitlines()[1] == "ติดต่อ 08x-xxx-5678 หรือ 1-1017-xxxxx-xx-x,ลำปาง"
    assert result.masked == 1


def test_xlsx_masked_sheet_by_sheet():
    source = xlsx(
        {
            "ผลผลิต": [["จังหวัด", "ผลผลิต"], ["เชียงใหม่", 120500]],
            "เกษตรกร": [
                ["ชื่อเกษตรกร", "เลขบัตรประชาชน", "ที่อยู่", "หมายเหตุ"],
                ["สมชาย ใจดี", int(VALID), "1 หมู่ 2 ต.สันทราย", "โทร 081-234-5678"],
            ],
        }
    )
    masked, result = mask_bytes(source, filename="farmers.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(masked))
    assert book.sheetnames == ["ผลผลิต", "เกษตรกร"]
    assert [list(r) for r in book["ผลผลิต"].iter_rows(values_only=True)] == [
        ["จังหวัด", "ผลผลิต"],
        ["เชียงใหม่", 120500],
    ]
    rows = [list(r) for r in book["เกษตรกร"].iter_rows(values_only=True)]
    assert rows[1] == ["***", "1-1017-xxxxx-xx-x", "***", "โทร 08x-xxx-5678"]
    assert result.format == "xlsx" and result.masked == 4
    assert scan_bytes(masked, filename="farmers-masked.xlsx").findings == []


def test_json_masked_keeps_its_shape():
    records = {
        "result": {
            "records": [
                {"name": "สมชาย ใจดี", "citizen_id": VALID, "province": {"name": "ลำปาง"}},
                {"name": "สมหญิง รักดี", "contact": {"email": "somchai@example.com"}},
            ]
        }
    }
    source = json.dumps(records, ensure_ascii=False, indent=2).encode()
    masked, _ = mask_bytes(source, filename="people.json")
    data = json.loads(masked)
    first, second = data["result"]["records"]
    assert first == {
        "name": "***",
        "citizen_id": "1-1017-xxxxx-xx-x",
        "province": {"name": "ลำปาง"},
    }
    assert second["contact"]["email"] == "s***@example.com"
    assert_no_raw(masked.decode())
    assert scan_bytes(masked, filename="people-masked.json").findings == []


def test_text_and_html_are_masked_in_place():
    page = f'<p data-tel="0812345678">บัตร {dashed(VALID)}</p>\n'.encode()
    masked, _ = mask_bytes(page, filename="page.html")
    assert masked.decode() == '<p data-tel="08x-xxx-5678">บัตร 1-1017-xxxxx-xx-x</p>\n'


def test_unsupported_formats_are_refused():
    with pytest.raises(ScanError):
        mask_bytes(b"%PDF-1.7\x00", filename="x.pdf")


def test_masked_filename():
    assert masked_filename("catalog/2026/05/people.csv") == "people-masked.csv"
    assert masked_filename("ข้อมูล.xlsx") == "ข้อมูล-masked.xlsx"
