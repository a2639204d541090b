"""The masking export: the same file (CSV, XLSX, JSON or text) with every value the scanner
detects replaced by its mask, and every cell of a column whose name means name, address, ID,
phone, e-mail, birth date or bank account replaced by "***". Written row by row."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from krabuan.catalog.guard_detect import mask_text
from krabuan.catalog.scanner import (
    HEAD_BYTES,
    Column,
    Progress,
    ScanError,
    blank,
    cell_text,
    detect_encoding,
    file_format,
    header_is_data,
    is_value,
    json_records,
    load_json,
    open_csv,
    open_workbook,
    table_columns,
)

HIDDEN = "***"
_PATTERN_COLUMNS = {"id", "phone", "email", "bank_account"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
}


@dataclass
class MaskResult:
    rows: int
    masked: int  # cells changed
    format: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def masked_filename(filename: str) -> str:
    """report.csv → report-masked.csv (the name the download and the replaced file get)."""
    stem, ext = os.path.splitext(os.path.basename(filename) or "file")
    return f"{stem}-masked{ext}"


class _Counter:
    def __init__(self) -> None:
        self.masked = 0

    def value(self, value: Any, column: Column | None) -> Any:
        """A cell's masked value: "***" in a flagged column, detected values masked elsewhere."""
        text = cell_text(value).strip()
        if not text:
            return value
        if column is not None and column.category:
            if not is_value(text):
                return value
            self.masked += 1
            if column.category not in _PATTERN_COLUMNS:
                return HIDDEN
            # An ID, phone, e-mail or account column keeps the pattern mask when every part of
            # the cell is a detected value; anything else in it is hidden whole.
            new, count = mask_text(cell_text(value), account_column=column.account)
            return new if count and not is_value(new.strip()) else HIDDEN
        new, count = mask_text(cell_text(value), account_column=bool(column and column.account))
        if not count:
            return value
        self.masked += 1
        return new


def _tick(progress: Progress | None, percent: int, rows: int) -> None:
    if progress is not None:
        progress(min(99, percent), f"ปกปิดแล้ว {rows:,} แถว")


def _mask_csv(src: IO[bytes], dst: IO[bytes], progress: Progress | None) -> MaskResult:
    import csv

    source = open_csv(src)
    out = io.TextIOWrapper(dst, encoding=source.encoding, errors="replace", newline="")  # type: ignore[type-var]
    writer = csv.writer(out, source.dialect)
    counter, columns, rows = _Counter(), None, 0
    try:
        for values in source.rows:
            if columns is None and not blank(values):
                if not header_is_data(values):
                    columns = table_columns(values, len(values))
                    writer.writerow(values)
                    continue
                columns = table_columns(None, len(values))
            if not blank(values):
                rows += 1
            cols = columns or []
            writer.writerow(
                [counter.value(v, cols[i] if i < len(cols) else None) for i, v in enumerate(values)]
            )
            if rows % 1000 == 0:
                _tick(progress, int(src.tell() * 100 / max(1, _len(src))), rows)
    except csv.Error as exc:
        raise ScanError(f"อ่านไฟล์ CSV ไม่ได้: {exc}") from exc
    finally:
        out.flush()
        out.detach()
        source.text.detach()
    return MaskResult(rows, counter.masked, "csv")


def _len(stream: IO[bytes]) -> int:
    here = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(here)
    return size


def _mask_xlsx(src: IO[bytes], dst: IO[bytes], progress: Progress | None) -> MaskResult:
    from openpyxl import Workbook

    source = open_workbook(src)
    target = Workbook(write_only=True)
    counter, rows = _Counter(), 0
    try:
        sheets = list(source.worksheets)
        total = max(1, sum(ws.max_row or 0 for ws in sheets))
        for ws in sheets:
            sheet = target.create_sheet(title=ws.title)
            columns: list[Column] | None = None
            for values in ws.iter_rows(values_only=True):
                if columns is None and not blank(values):
                    if not header_is_data(list(values)):
                        columns = table_columns(list(values), len(values))
                        sheet.append(list(values))
                        continue
                    columns = table_columns(None, len(values))
                if not blank(values):
                    rows += 1
                cols = columns or []
                sheet.append(
                    [
                        counter.value(v, cols[i] if i < len(cols) else None)
                        for i, v in enumerate(values)
                    ]
                )
                if rows % 1000 == 0:
                    _tick(progress, rows * 100 // total, rows)
    finally:
        source.close()
    target.save(dst)
    return MaskResult(rows, counter.masked, "xlsx")


def _mask_json(src: IO[bytes], dst: IO[bytes], progress: Progress | None) -> MaskResult:
    src.seek(0)
    head = src.read(4096)
    src.seek(0)
    data = load_json(src)
    counter = _Counter()
    columns: dict[str, Column] = {}

    def column_for(path: list[str]) -> Column:
        key = ".".join(path)
        if key not in columns:
            columns[key] = Column.from_json_path(path)
        return columns[key]

    def walk(value: Any, path: list[str]) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, [*path, str(k)]) for k, v in value.items()}
        if isinstance(value, list):
            item_path = [*path[:-1], f"{path[-1]}[]"] if path else ["[]"]
            return [walk(v, item_path) for v in value]
        if value is None or isinstance(value, bool):
            return value
        return counter.value(value, column_for(path) if path else None)

    masked = walk(data, [])
    rows = len(json_records(data))
    indent = 2 if b"\n" in head.strip() else None
    text = json.dumps(masked, ensure_ascii=False, indent=indent)
    dst.write(text.encode("utf-8"))
    _tick(progress, 99, rows)
    return MaskResult(rows, counter.masked, "json")


def _mask_text(
    src: IO[bytes], dst: IO[bytes], filename: str, progress: Progress | None
) -> MaskResult:
    raw = src.read()
    encoding = detect_encoding(raw[:HEAD_BYTES])
    # Markup (HTML, XML, KML) is masked in place: values sit in text and attributes alike.
    text = raw.decode(encoding, errors="replace")
    counter, lines = _Counter(), text.splitlines(keepends=True)
    out = [counter.value(line, None) if line.strip() else line for line in lines]
    dst.write("".join(str(line) for line in out).encode(encoding, errors="replace"))
    return MaskResult(len(lines), counter.masked, "text")


def mask_stream(
    src: IO[bytes], dst: IO[bytes], *, filename: str, progress: Progress | None = None
) -> MaskResult:
    """Write the masked copy of `src` (a seekable binary stream) to `dst`."""
    head = src.read(8192)
    src.seek(0)
    kind = file_format(filename, head)
    handlers: dict[str, Callable[..., MaskResult]] = {
        "csv": _mask_csv,
        "xlsx": _mask_xlsx,
        "json": _mask_json,
    }
    if kind == "office":
        raise ScanError("ปกปิดข้อมูลได้เฉพาะไฟล์ CSV, XLSX, JSON และไฟล์ข้อความ")
    if kind in handlers:
        result = handlers[kind](src, dst, progress)
    else:
        result = _mask_text(src, dst, filename, progress)
    if progress:
        progress(100, f"ปกปิดเสร็จ {result.rows:,} แถว")
    return result


def mask_bytes(content: bytes, *, filename: str) -> tuple[bytes, MaskResult]:
    """The masked copy of a file held in memory."""
    out = io.BytesIO()
    result = mask_stream(io.BytesIO(content), out, filename=filename)
    return out.getvalue(), result
