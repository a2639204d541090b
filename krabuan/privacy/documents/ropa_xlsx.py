"""Excel exports: the RoPA register (one row per activity and a column per item; controller and
processor records on their own sheets) and the personal-data inventory (one row per item)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from krabuan.core import documents as d
from krabuan.core.thai import format_date
from krabuan.privacy.documents.ropa_data import RopaDoc
from krabuan.privacy.models import ProcessingActivity, RopaKind
from krabuan.privacy.services.ropa import CONTROLLER_EXTRA, CONTROLLER_ITEMS, PROCESSOR_ITEMS

HEAD = ("หน่วยงาน", "กิจกรรมการประมวลผล", "ฉบับที่", "สถานะ", "ผู้อนุมัติ", "อนุมัติเมื่อ", "เผยแพร่เมื่อ")
HEAD_WIDTHS = (28, 34, 8, 14, 22, 20, 20)
INVENTORY_HEADERS = (
    "หน่วยงาน",
    "กิจกรรมการประมวลผล",
    "ผู้ประมวลผลแทนผู้อื่น",
    "ข้อมูลส่วนบุคคล",
    "หมวดข้อมูล",
    "ข้อมูลอ่อนไหว (มาตรา 26)",
    "เจ้าของข้อมูล",
    "แหล่งที่มา",
    "สถานที่/ระบบที่จัดเก็บ",
    "ระยะเวลาเก็บรักษา (เดือน)",
    "ระยะเวลาเก็บรักษา (ข้อความ)",
    "เริ่มเก็บเมื่อ",
    "ชุดข้อมูลในบัญชีข้อมูลที่เกี่ยวข้อง",
    "มี RoPA ที่เผยแพร่แล้ว",
)
INVENTORY_WIDTHS = (28, 34, 10, 28, 18, 12, 24, 24, 30, 12, 24, 16, 36, 12)


def _sheet(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    d.xlsx_header(sheet, 1, headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def register_xlsx(items: list[RopaDoc]) -> bytes:
    """One sheet per kind of record; each row a RoPA version, each item a column."""
    workbook = Workbook()
    first = True
    for kind, sheet_title in (
        (RopaKind.CONTROLLER, "ผู้ควบคุมข้อมูล (มาตรา 39)"),
        (RopaKind.PROCESSOR, "ผู้ประมวลผลข้อมูล"),
    ):
        rows = [item for item in items if item.kind == kind]
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = sheet_title[:31]
        labels = [label for label, _ in rows[0].items] if rows else _labels(kind)
        _sheet(sheet, [*HEAD, *labels], [*HEAD_WIDTHS, *([40] * len(labels))])
        for number, item in enumerate(rows, start=2):
            values: list[Any] = [
                item.unit_name,
                item.activity_name,
                item.number,
                item.status_label,
                item.approved_by,
                item.approved_at,
                item.published_at,
            ]
            values += ["\n".join(lines) for _, lines in item.items]
            d.xlsx_row(sheet, number, values)
    return d.xlsx_bytes(workbook)


def _labels(kind: str) -> list[str]:
    pairs = CONTROLLER_ITEMS + CONTROLLER_EXTRA if kind == RopaKind.CONTROLLER else PROCESSOR_ITEMS
    return [label for _, label in pairs]


def inventory_rows(activities: Iterable[ProcessingActivity]) -> list[list[Any]]:
    """One row per data item (an activity without items gets one row of its own)."""
    rows: list[list[Any]] = []
    for activity in activities:
        head = [activity.unit.name, activity.name, "ใช่" if activity.is_processor else ""]
        published = "ใช่" if getattr(activity, "has_published_ropa", False) else "ไม่"
        items = list(activity.data_items.all())
        if not items:
            rows.append([*head, *([""] * 10), published])
        for item in items:
            rows.append(
                [
                    *head,
                    item.name,
                    item.category,
                    "ใช่" if item.sensitive else "ไม่",
                    item.data_subjects,
                    item.source,
                    item.storage,
                    item.retention_months,
                    item.retention_text,
                    format_date(item.collected_since) if item.collected_since else "",
                    "; ".join(ds.title for ds in item.datasets.all()),
                    published,
                ]
            )
    return rows


def inventory_xlsx(activities: Iterable[ProcessingActivity]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "บัญชีข้อมูลส่วนบุคคล"
    _sheet(sheet, INVENTORY_HEADERS, INVENTORY_WIDTHS)
    for number, row in enumerate(inventory_rows(activities), start=2):
        d.xlsx_row(sheet, number, row)
    return d.xlsx_bytes(workbook)
