"""Export DGA Templates 1, 2 and 3 from the catalog (Buddhist-era dates, header on row 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.xlsx_templates import layout
from krabuan.core.documents import xlsx_bytes, xlsx_header, xlsx_row, xlsx_value
from krabuan.core.thai import BE_OFFSET

TITLES = {
    1: "แบบฟอร์มที่ 1 รายชื่อชุดข้อมูล",
    2: "แบบฟอร์มที่ 2 คำอธิบายชุดข้อมูล (Metadata)",
    3: "แบบฟอร์มที่ 3 คำอธิบายทรัพยากรข้อมูล (Resource Metadata)",
}


def be_date(value: Any) -> str:
    """'2567-04-10' for 10 April 2024; the DGA sheets use Buddhist-era years."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year + BE_OFFSET:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, str) and value:
        try:
            return be_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return ""


def _cell(name: str, value: Any, other: str = "") -> Any:
    if name in layout.DATE_FIELDS:
        return be_date(value)
    if name in layout.BOOL_FIELDS or isinstance(value, bool):
        if value in (None, ""):
            return ""
        return "ใช่" if value in (True, "True", "true") else "ไม่ใช่"
    if isinstance(value, list):
        return ",".join(other if v == "อื่นๆ" and other else str(v) for v in value)
    if value == "อื่นๆ" and other:
        return other  # the importer turns an unknown value back into อื่นๆ + *_other
    return "" if value is None else value


def _dataset_value(dataset: Dataset, name: str) -> Any:
    if name == "d_type":
        return dataset.data_type
    if name == "data_type_other":
        return dataset.data_type_other or dataset.data_type
    if name == "owner_org":
        return dataset.owner_org.name
    if name == "tag_string":
        return ",".join(t.name for t in dataset.tags.all())
    if hasattr(Dataset, name) and name not in ("type_fields",):
        value = getattr(dataset, name)
    else:
        value = dataset.type_fields.get(name, "")
    other = getattr(dataset, f"{name}_other", "") or dataset.type_fields.get(f"{name}_other", "")
    return _cell(name, value, other)


def _resource_value(resource: Resource, name: str) -> Any:
    direct = {
        "dataset_name": resource.dataset.name,
        "resource_name": resource.name,
        "resource_url": resource.url,
        "description": resource.description,
        "format": resource.format,
    }
    if name in direct:
        return direct[name]
    other = resource.type_fields.get(f"{name}_other", "")
    return _cell(name, resource.type_fields.get(name, ""), other)


def _sheet(workbook: Workbook, title: str, caption: str, columns: list[str]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.cell(row=1, column=1, value=xlsx_value(caption))
    sheet.cell(row=2, column=1, value="สร้างจากระบบกระบวน (Krabuan)")
    xlsx_header(sheet, layout.HEADER_ROW, columns)
    # Row 5 is the example/description row that the thai_gdc importer skips.
    xlsx_row(sheet, layout.EXAMPLE_ROW, ["(ตัวอย่าง/คำอธิบาย)"] + [""] * (len(columns) - 1))
    return sheet


def _datasets(datasets: QuerySet[Dataset]) -> list[Dataset]:
    return list(
        datasets.exclude(state=State.DELETED)
        .select_related("owner_org")
        .prefetch_related(
            "tags",
            Prefetch(
                "resources",
                queryset=Resource.objects.filter(state=State.ACTIVE).select_related("dataset"),
            ),
        )
        .order_by("name")
    )


def template1(datasets: QuerySet[Dataset]) -> bytes:
    """Template 1: the list of dataset names sent to the DGA."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, "Temp1_Dataset_List", TITLES[1], layout.TEMPLATE1_COLUMNS)
    for number, dataset in enumerate(_datasets(datasets), start=1):
        state = "ไม่เปิดเผย" if dataset.private else "เปิดเผย"
        values = [number, dataset.name, dataset.title, dataset.owner_org.name, dataset.data_type]
        xlsx_row(sheet, layout.EXAMPLE_ROW + number, [*values, dataset.data_category, state])
    return xlsx_bytes(workbook)


def _by_type(datasets: Iterable[Dataset]) -> dict[str, list[Dataset]]:
    groups: dict[str, list[Dataset]] = {suffix: [] for suffix in layout.SHEET_TYPES}
    for dataset in datasets:
        groups[layout.TYPE_SHEETS.get(dataset.data_type, "Other")].append(dataset)
    return groups


def template2(datasets: QuerySet[Dataset]) -> bytes:
    """Template 2: one Temp2_Meta_<type> sheet per data type, the thai_gdc column order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for suffix, rows in _by_type(_datasets(datasets)).items():
        columns = layout.meta_columns(suffix)
        sheet = _sheet(workbook, f"Temp2_Meta_{suffix}", TITLES[2], columns)
        for offset, dataset in enumerate(rows, start=1):
            values = [_dataset_value(dataset, name) for name in columns]
            xlsx_row(sheet, layout.EXAMPLE_ROW + offset, values)
    return xlsx_bytes(workbook)


def template3(datasets: QuerySet[Dataset]) -> bytes:
    """Template 3: one Temp3_Resource_<type> sheet per data type, joined by dataset_name."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for suffix, rows in _by_type(_datasets(datasets)).items():
        columns = layout.resource_columns(suffix)
        sheet = _sheet(workbook, f"Temp3_Resource_{suffix}", TITLES[3], columns)
        row = layout.EXAMPLE_ROW
        for dataset in rows:
            for resource in dataset.resources.all():
                row += 1
                xlsx_row(sheet, row, [_resource_value(resource, name) for name in columns])
    return xlsx_bytes(workbook)
