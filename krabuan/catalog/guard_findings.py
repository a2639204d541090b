"""The building blocks of a personal-data scan: the result and its errors, findings aggregated
per (kind, column) with a masked sample, what a column's name says, and a row scanned against
its columns. Pure Python: no models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from krabuan.catalog.guard_detect import (
    KINDS,
    column_category,
    find_values,
    is_account_column,
    looks_masked,
    mask_cell,
    mask_value,
)

Progress = Callable[[int, str], None]
ROW_SAMPLES = 5  # row numbers kept per finding
HEAD_BYTES = 1 << 20  # bytes read to choose the encoding and the CSV dialect

# What people type for "nothing here"; such a cell does not count as a value of a named column.
PLACEHOLDERS = {"-", "--", "–", "—", ".", "n/a", "na", "null", "none", "ไม่มี", "ไม่ระบุ"}


class ScanError(ValueError):
    """A file the scanner cannot read; the message is Thai and shown to the user."""


@dataclass
class ScanResult:
    findings: list[dict[str, Any]]
    rows: int
    format: str = ""
    columns: list[str] = field(default_factory=list)


# --- aggregation ------------------------------------------------------------------------------


class Findings:
    """Findings per (kind, sheet, column): count, first rows, one masked sample."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, Any], dict[str, Any]] = {}

    def add(
        self,
        kind: str,
        *,
        column: str,
        row: int,
        sample: str,
        key: Any = None,
        sheet: str = "",
        category: str = "",
    ) -> None:
        item_key = (kind, sheet, column if key is None else key)
        item = self._items.get(item_key)
        if item is None:
            item = {"kind": kind, "column": column, "count": 0, "rows": [], "sample": sample}
            if sheet:
                item["sheet"] = sheet
            if category:
                item["category"] = category
            self._items[item_key] = item
        item["count"] += 1
        if len(item["rows"]) < ROW_SAMPLES and row not in item["rows"]:
            item["rows"].append(row)

    def cell(
        self, text: str, *, column: str, row: int, key: Any = None, sheet: str = "", account=False
    ) -> None:
        for match in find_values(text, account_column=account):
            self.add(
                match.kind,
                column=column,
                row=row,
                sample=mask_value(match.kind, match.raw),
                key=key,
                sheet=sheet,
            )

    def result(self) -> list[dict[str, Any]]:
        order = {kind: i for i, kind in enumerate(KINDS)}
        items = list(self._items.items())
        items.sort(key=lambda kv: (order.get(kv[0][0], 99), kv[0][1], str(kv[0][2])))
        return [item for _, item in items]


@dataclass
class Column:
    """What the scanner knows about one column: its name, the personal data its name means, and
    whether digit runs in it are account numbers."""

    name: str
    category: str | None = None
    account: bool = False

    @classmethod
    def from_header(cls, name: str) -> Column:
        return cls(name, column_category(name), is_account_column(name))

    @classmethod
    def from_json_path(cls, path: list[str]) -> Column:
        if not path:
            return cls("")
        return cls(".".join(path), json_key_category(path), is_account_column(path[-1]))


def cell_text(value: Any) -> str:
    """A cell as text; integral floats without ".0" (Excel stores ID numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # Excel keeps ID numbers as floats
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def scan_row(
    findings: Findings, columns: list[Column], values: Iterable[Any], *, row: int, sheet: str = ""
) -> None:
    """Scan one row of a table whose columns are known."""
    for index, value in enumerate(values):
        text = cell_text(value).strip()
        if not text:
            continue
        column = (
            columns[index] if index < len(columns) else Column.from_header(f"คอลัมน์ {index + 1}")
        )
        if column.category and is_value(text):
            findings.add(
                "column_name",
                column=column.name,
                row=row,
                sample=mask_cell(text),
                key=index,
                sheet=sheet,
                category=column.category,
            )
        findings.cell(
            text, column=column.name, row=row, key=index, sheet=sheet, account=column.account
        )


def is_value(text: str) -> bool:
    """A non-empty cell that is neither a placeholder nor already masked."""
    return bool(text) and text.lower() not in PLACEHOLDERS and not looks_masked(text)


def blank(values: Iterable[Any]) -> bool:
    return not any(cell_text(v).strip() for v in values)


def header_is_data(values: list[Any]) -> bool:
    """A first row holding an ID, phone or e-mail, or only numbers, is data, not a header."""
    texts = [cell_text(v).strip() for v in values]
    cells = [t for t in texts if t]
    if not cells:
        return False
    if any(find_values(t) for t in cells):
        return True
    return all(t.replace(".", "", 1).replace(",", "").lstrip("-").isdigit() for t in cells)


def table_columns(header: list[Any] | None, width: int) -> list[Column]:
    names = [cell_text(v).strip() for v in header] if header else []
    names += [""] * max(0, width - len(names))
    return [Column.from_header(name or f"คอลัมน์ {i + 1}") for i, name in enumerate(names)]


class Ticker:
    """Calls the progress callback only when the whole percentage changes."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.last = progress, max(total, 1), -1

    def __call__(self, done: int, rows: int) -> None:
        if self.progress is None:
            return
        percent = min(99, int(done * 100 / self.total))
        if percent != self.last:
            self.last = percent
            self.progress(percent, f"ตรวจแล้ว {rows:,} แถว")


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the Thai Windows code page (TIS-620)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start < len(head) - 3 or exc.reason != "unexpected end of data":
            return "cp874"
    return "utf-8"


_PLURAL_PEOPLE = {"farmers", "owners", "members", "customers", "persons", "people", "employees"}
_PLURAL_PEOPLE |= {"students", "patients", "contacts", "users", "applicants", "citizens", "staff"}


def json_key_category(path: list[str]) -> str | None:
    """A key's category; a bare English "name" inside an object takes its meaning from the
    object's key (farmer.name is a person, province.name is a place)."""
    key = path[-1]
    category = column_category(key)
    if category == "name" and key.strip().lower() == "name" and len(path) > 1:
        parent = path[-2]
        if parent.endswith("[]"):
            # A list of records ("records", "data", "farmers"): each item is the thing named.
            return "name"
        if parent.lower() in _PLURAL_PEOPLE:
            return "name"
        return column_category(f"{parent}_name")
    return category
