"""The personal-data scan of an uploaded file (CSV, XLSX, JSON, office or text) and of a web page.

Files are read row by row, so a large upload is never held as a table in memory; a progress
callback hears how far the scan is. Findings are aggregated per (kind, column) with a count, the
first row numbers and a masked sample: the raw value is never kept. Pure Python: no models.
The building blocks are in `guard_findings`, the JSON and text readers in `guard_formats`."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from krabuan.catalog.guard_findings import (
    HEAD_BYTES,
    PLACEHOLDERS,
    Column,
    Findings,
    Progress,
    ScanError,
    ScanResult,
    Ticker,
    blank,
    cell_text,
    detect_encoding,
    header_is_data,
    is_account_column,
    is_value,
    json_key_category,
    scan_row,
    table_columns,
)
from krabuan.catalog.guard_formats import (
    json_records,
    load_json,
    scan_json,
    scan_office,
    scan_plain,
    scan_text,
    strip_tags,
)

__all__ = [
    "HEAD_BYTES",
    "PLACEHOLDERS",
    "Column",
    "Findings",
    "Progress",
    "ScanError",
    "ScanResult",
    "blank",
    "cell_text",
    "detect_encoding",
    "file_format",
    "header_is_data",
    "is_account_column",
    "is_value",
    "json_key_category",
    "json_records",
    "load_json",
    "open_csv",
    "open_workbook",
    "scan_bytes",
    "scan_stream",
    "scan_text",
    "strip_tags",
    "table_columns",
]

_CSV_EXT = {".csv", ".tsv"}
_XLSX_EXT = {".xlsx", ".xlsm"}
_JSON_EXT = {".json", ".geojson"}
_TEXT_EXT = {".txt", ".html", ".htm", ".xml", ".md", ".rdf", ".ttl", ".kml"}
_OFFICE_EXT = {".docx", ".pptx", ".odt", ".ods", ".odp"}
# Binary formats without a reader here (old Excel, PDF, images, archives, shapefiles).
_OPAQUE_EXT = {".xls", ".pdf", ".doc", ".ppt", ".zip", ".shp", ".png", ".jpg", ".jpeg", ".gif"}


@dataclass
class CsvSource:
    encoding: str
    dialect: Any
    rows: Iterator[list[str]]
    text: io.TextIOWrapper


def open_csv(stream: IO[bytes]) -> CsvSource:
    """A CSV reader over a binary stream, with the encoding and the delimiter sniffed."""
    csv.field_size_limit(16 * 1024 * 1024)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="ignore")[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")  # type: ignore[type-var]
    return CsvSource(encoding, dialect, csv.reader(text, dialect), text)


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _scan_csv(stream: IO[bytes], progress: Progress | None) -> ScanResult:
    tick = Ticker(progress, _size(stream))
    source = open_csv(stream)
    findings, columns, rows = Findings(), None, 0
    try:
        for number, values in enumerate(source.rows, start=1):
            if blank(values):
                continue
            if columns is None:
                if not header_is_data(values):
                    columns = table_columns(values, len(values))
                    continue
                columns = table_columns(None, len(values))
            rows += 1
            scan_row(findings, columns, values, row=number)
            if rows % 200 == 0:
                tick(stream.tell(), rows)
    except csv.Error as exc:
        raise ScanError(f"อ่านไฟล์ CSV ไม่ได้: {exc}") from exc
    finally:
        source.text.detach()
    return ScanResult(findings.result(), rows, "csv", [c.name for c in columns or []])


def open_workbook(stream: IO[bytes]) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ScanError("อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหายหรือไม่ใช่ไฟล์ Excel (.xlsx)") from exc


def _scan_xlsx(stream: IO[bytes], progress: Progress | None) -> ScanResult:
    workbook = open_workbook(stream)
    try:
        sheets = list(workbook.worksheets)
        tick = Ticker(progress, sum(ws.max_row or 0 for ws in sheets))
        findings, rows, done, names = Findings(), 0, 0, []
        for ws in sheets:
            columns: list[Column] | None = None
            sheet = ws.title if len(sheets) > 1 else ""
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                done += 1
                if blank(values):
                    continue
                if columns is None:
                    if not header_is_data(list(values)):
                        columns = table_columns(list(values), len(values))
                        names += [c.name for c in columns]
                        continue
                    columns = table_columns(None, len(values))
                rows += 1
                scan_row(findings, columns, values, row=number, sheet=sheet)
                if rows % 200 == 0:
                    tick(done, rows)
    finally:
        workbook.close()
    return ScanResult(findings.result(), rows, "xlsx", names)


def file_format(filename: str, head: bytes) -> str:
    """csv, xlsx, json, office or text, from the extension first and the first bytes second."""
    ext = os.path.splitext(filename.lower())[1]
    if ext in _CSV_EXT:
        return "csv"
    if ext in _XLSX_EXT:
        return "xlsx"
    if ext in _JSON_EXT:
        return "json"
    if ext in _TEXT_EXT:
        return "text"
    if ext in _OFFICE_EXT:
        return "office"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head.startswith(b"PK\x03\x04") and ext in {"", ".bin", ".zip"}:
        return "xlsx"
    if start in (b"{", b"["):
        return "json"
    if b"\x00" in head[:4096] or ext in _OPAQUE_EXT:
        raise ScanError(
            "ตรวจไฟล์ชนิดนี้โดยอัตโนมัติไม่ได้ (ตรวจได้เฉพาะ CSV, XLSX, JSON, DOCX, ODS/ODT "
            "และไฟล์ข้อความ) ผู้ดูแลข้อมูลต้องเปิดตรวจเองแล้วบันทึกการตัดสินใจ"
        )
    return "csv"


def scan_stream(
    stream: IO[bytes], *, filename: str, progress: Progress | None = None
) -> ScanResult:
    """Scan a seekable binary stream (an open storage file) row by row."""
    head = stream.read(8192)
    stream.seek(0)
    kind = file_format(filename, head)
    if progress:
        progress(0, "เริ่มตรวจไฟล์")
    if kind == "csv":
        result = _scan_csv(stream, progress)
    elif kind == "xlsx":
        result = _scan_xlsx(stream, progress)
    elif kind == "json":
        result = scan_json(stream, progress)
    elif kind == "office":
        result = scan_office(stream)
    else:
        result = scan_plain(stream, filename, progress)
    if progress:
        progress(100, f"ตรวจเสร็จ {result.rows:,} แถว")
    return result


def scan_bytes(content: bytes, *, filename: str, progress: Progress | None = None) -> ScanResult:
    """Scan an uploaded file held in memory."""
    return scan_stream(io.BytesIO(content), filename=filename, progress=progress)
