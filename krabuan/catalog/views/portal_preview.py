"""The first rows of an uploaded CSV or XLSX as a table for the resource page.

Only stored uploads are previewed (never a remote URL: the server must not fetch links for
anonymous visitors). CSV files come from Excel as often as from scripts, so the encoding is
guessed: UTF-8 (with or without BOM), UTF-16 with a BOM, then Windows Thai (cp874, a superset
of TIS-620). Only the head of a large file is read."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from krabuan.catalog.models import Resource

MAX_ROWS = 100
MAX_COLUMNS = 50
MAX_CELL = 200
# Enough for 100 rows of any sensible table, small enough to read on every page view.
CSV_HEAD_BYTES = 2 * 1024 * 1024
CSV_FORMATS = {"CSV", "TSV", "TXT"}
XLSX_FORMATS = {"XLSX", "XLSM"}
# An XLSX workbook's shared strings are parsed whole even to show ten rows: keep it bounded.
XLSX_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Preview:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    more: bool = False  # the file holds rows beyond those shown
    encoding: str = ""
    sheet: str = ""
    error: str = ""


def previewable(resource: Resource) -> bool:
    """An uploaded CSV or XLSX file."""
    if resource.url_type != "upload" or not resource.upload:
        return False
    return _kind(resource) != ""


def _kind(resource: Resource) -> str:
    fmt = (resource.format or "").strip().upper().lstrip(".")
    name = (resource.upload.name or "").lower()
    if fmt in CSV_FORMATS or name.endswith((".csv", ".tsv")):
        return "csv"
    if fmt in XLSX_FORMATS or name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return ""


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with; a cut multi-byte character at the end is dropped."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="ignore"), "UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="ignore"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        # A head cut inside a character fails only in its last three bytes.
        if exc.start >= len(raw) - 3:
            return raw[: exc.start].decode("utf-8"), "UTF-8"
    try:
        return raw.decode("cp874"), "TIS-620 (Windows-874)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _table(rows: list[list[object]], more: bool) -> Preview:
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        return Preview(error=_("ไฟล์ไม่มีข้อมูล"))
    width = min(max(len(r) for r in rows), MAX_COLUMNS)
    cells = [[_cell(c) for c in r[:width]] + [""] * (width - len(r[:width])) for r in rows]
    return Preview(header=cells[0], rows=cells[1 : MAX_ROWS + 1], more=more)


def _csv(raw: bytes, truncated: bool) -> Preview:
    text, encoding = decode(raw)
    lines = text.splitlines(keepends=True)
    if truncated and lines:
        lines = lines[:-1]  # the last line may be cut in the middle
    sample = "".join(lines[:20])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO("".join(lines)), dialect)
    rows: list[list[object]] = []
    more = truncated
    for row in reader:
        if len(rows) > MAX_ROWS:
            more = True
            break
        rows.append(list(row))
    preview = _table(rows, more)
    preview.encoding = encoding
    return preview


def _xlsx(handle: Any) -> Preview:
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[object]] = []
        more = False
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS:
                more = True
                break
            rows.append(list(row))
        preview = _table(rows, more)
        preview.sheet = sheet.title
        return preview
    finally:
        workbook.close()


def preview_resource(resource: Resource) -> Preview:
    """The first rows of the resource's file, or a Thai reason why there is no preview."""
    kind = _kind(resource)
    try:
        with resource.upload.open("rb") as handle:
            if kind == "csv":
                raw = handle.read(CSV_HEAD_BYTES + 1)
                return _csv(raw[:CSV_HEAD_BYTES], truncated=len(raw) > CSV_HEAD_BYTES)
            if (resource.size or handle.size or 0) > XLSX_MAX_BYTES:
                return Preview(error=_("ไฟล์ใหญ่เกินกว่าจะแสดงตัวอย่าง กรุณาดาวน์โหลดไฟล์"))
            # openpyxl seeks inside the zip; storages whose files cannot seek are read whole.
            return _xlsx(handle if handle.seekable() else io.BytesIO(handle.read()))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, csv.Error):
        return Preview(error=_("แสดงตัวอย่างข้อมูลไม่ได้: ไฟล์เสียหายหรือรูปแบบไม่ตรงกับนามสกุล"))
