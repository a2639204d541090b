"""Import DGA Templates 2 and 3 (the thai_gdc importer's rules, catalog.md §c) through the same
services as the editor. Every row is validated; one invalid row anywhere rejects the whole file
and nothing is imported. The report lists every row with what happened or what is wrong."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, Organization, Resource, State
from krabuan.catalog.xlsx_templates import layout
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import normalize_text, parse_date, to_arabic_digits

MAX_ROWS = 5000
_SPECS = {spec.name: spec for spec in (*schema.DATASET_FIELDS, *schema.RESOURCE_FIELDS)}


@dataclass
class RowReport:
    sheet: str
    row: int
    key: str
    action: str = ""  # "สร้างใหม่" | "ปรับปรุง"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and all(not r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors) + (1 if self.file_error else 0)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value)).strip()


def _date(value: Any) -> str:
    """Dates in the sheets are Buddhist era; core.thai.parse_date turns BE years into CE."""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return (day.replace(year=day.year - 543) if day.year > 2400 else day).isoformat()
    text = _text(value)
    return parse_date(text).isoformat() if text else ""


def _bool(text: str) -> str:
    """thai_gdc: Thai yes/no text containing "ไม่" is False, anything else True."""
    lowered = text.lower()
    return "False" if "ไม่" in text or lowered in ("false", "no", "0", "n") else "True"


def _choice(spec: schema.FieldSpec, text: str, data: dict[str, Any]) -> str:
    """A value outside the list becomes อื่นๆ with the text in the *_other field."""
    if text in spec.choices or not spec.other_field:
        return text
    data[spec.other_field] = text
    return spec.other_value


def _value(name: str, raw: Any, data: dict[str, Any]) -> Any:
    spec = _SPECS.get(name)
    if name in layout.DATE_FIELDS:
        return _date(raw)
    text = _text(raw)
    if name in layout.BOOL_FIELDS:
        return _bool(text) if text else ""
    if spec is None:
        return text
    if spec.kind == "multi":
        items = [i.strip() for i in text.split(",") if i.strip()]
        return [_choice(spec, item, data) for item in items]
    if spec.kind == "choice" and text:
        return _choice(spec, text, data)
    if spec.kind in ("number", "year"):
        return to_arabic_digits(text)
    return text


def _rows(sheet: Any) -> list[tuple[int, dict[str, Any]]]:
    header = [_text(c) for c in next(sheet.iter_rows(min_row=4, max_row=4, values_only=True), ())]
    rows = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=layout.FIRST_DATA_ROW, values_only=True),
        start=layout.FIRST_DATA_ROW,
    ):
        if all(v in (None, "") for v in values):
            continue
        rows.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return rows


def _org_name(value: str) -> str:
    match = Organization.objects.filter(title=value).values_list("name", flat=True).first()
    return match or value


def _dataset_data(suffix: str, raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in layout.meta_columns(suffix):
        if name in ("d_type", "data_type_other", "name", "owner_org", "tag_string"):
            continue
        if name in raw:
            data[name] = _value(name, raw[name], data)
    data["name"] = "-".join(_text(raw.get("name")).lower().split())
    data["data_type"] = layout.SHEET_TYPES[suffix]
    if suffix == "Other":
        data["data_type_other"] = _text(raw.get("data_type_other"))
    data["owner_org"] = _org_name(_text(raw.get("owner_org")))
    tags = [t.strip() for t in _text(raw.get("tag_string")).split(",") if t.strip()]
    data["tags"] = [{"name": t} for t in tags]
    return {k: v for k, v in data.items() if v not in ("", None) or k in ("tags",)}


def _resource_data(suffix: str, raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": _text(raw.get("resource_name")),
        "url": _text(raw.get("resource_url")),
        "description": _text(raw.get("description")),
        "format": _text(raw.get("format")).upper(),
    }
    for name in layout.resource_columns(suffix)[4:]:
        if name != "format" and name in raw:
            data[name] = _value(name, raw[name], data)
    return {k: v for k, v in data.items() if v not in ("", None, [])}


def _messages(exc: ApplicationError) -> list[str]:
    if exc.fields:
        return [m for messages in exc.fields.values() for m in messages]
    return [exc.message]


def _load(content: bytes) -> Any:
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ApplicationError(
            "ไฟล์: ไม่ใช่ไฟล์ Excel (.xlsx) ที่อ่านได้", fields={"file": [str(exc)[:200]]}
        ) from exc


def import_templates(*, actor: Any, content: bytes) -> ImportReport:
    """Import the Temp2_Meta_* and Temp3_Resource_* sheets of one workbook, all or nothing."""
    from krabuan.catalog.services import datasets as dataset_services
    from krabuan.catalog.services import resources as resource_services

    report = ImportReport()
    workbook = _load(content)
    meta = [s for s in workbook.sheetnames if s.startswith("Temp2_Meta_")]
    res = [s for s in workbook.sheetnames if s.startswith("Temp3_Resource_")]
    known = {f"Temp2_Meta_{x}" for x in layout.SHEET_TYPES} | {
        f"Temp3_Resource_{x}" for x in layout.SHEET_TYPES
    }
    if not meta and not res:
        report.file_error = "ไม่พบชีต Temp2_Meta_* หรือ Temp3_Resource_* ในไฟล์"
        return report
    unknown = [s for s in meta + res if s not in known]
    if unknown:
        report.file_error = f"ชื่อชีตไม่ตรงกับแบบฟอร์ม: {', '.join(unknown)}"
        return report
    total = sum(max(0, (workbook[s].max_row or 0) - layout.EXAMPLE_ROW) for s in meta + res)
    if total > MAX_ROWS:
        report.file_error = f"ไฟล์มีมากกว่า {MAX_ROWS:,} แถว กรุณาแบ่งไฟล์"
        return report

    with transaction.atomic():
        for sheet_name in meta:
            suffix = sheet_name.removeprefix("Temp2_Meta_")
            for number, raw in _rows(workbook[sheet_name]):
                entry = RowReport(sheet=sheet_name, row=number, key=_text(raw.get("name")))
                report.rows.append(entry)
                try:
                    with transaction.atomic():
                        data = _dataset_data(suffix, raw)
                        existing = Dataset.objects.filter(name=data.get("name")).first()
                        if existing and existing.state != State.DELETED:
                            data["private"] = existing.private
                            data["allow_harvest"] = existing.allow_harvest
                            dataset_services.dataset_update(
                                actor=actor, dataset=existing, data=data
                            )
                            entry.action = "ปรับปรุง"
                        else:
                            # thai_gdc: imported datasets start private, not harvested.
                            data.update(private=True, allow_harvest="False")
                            dataset_services.dataset_create(actor=actor, data=data)
                            entry.action = "สร้างใหม่"
                except ApplicationError as exc:
                    entry.errors = _messages(exc)
                except ValueError as exc:
                    entry.errors = [str(exc)]
        for sheet_name in res:
            suffix = sheet_name.removeprefix("Temp3_Resource_")
            for number, raw in _rows(workbook[sheet_name]):
                key = f"{_text(raw.get('dataset_name'))} / {_text(raw.get('resource_name'))}"
                entry = RowReport(sheet=sheet_name, row=number, key=key)
                report.rows.append(entry)
                try:
                    with transaction.atomic():
                        _import_resource(actor, suffix, raw, entry, resource_services)
                except ApplicationError as exc:
                    entry.errors = _messages(exc)
                except ValueError as exc:
                    entry.errors = [str(exc)]
        if not report.ok:
            transaction.set_rollback(True)
    return report


def _import_resource(
    actor: Any, suffix: str, raw: dict[str, Any], entry: RowReport, services: Any
) -> None:
    name = "-".join(_text(raw.get("dataset_name")).lower().split())
    dataset = Dataset.objects.exclude(state=State.DELETED).filter(name=name).first()
    if dataset is None:
        raise ApplicationError(
            f"dataset_name: ไม่พบชุดข้อมูล '{name}' (ต้องอยู่ในแบบฟอร์มที่ 2 หรือมีในระบบแล้ว)"
        )
    data = _resource_data(suffix, raw)
    existing = (
        Resource.objects.filter(dataset=dataset, name=data.get("name", ""))
        .exclude(state=State.DELETED)
        .first()
    )
    if existing:
        services.resource_update(actor=actor, resource=existing, data=data)
        entry.action = "ปรับปรุง"
    else:
        services.resource_create(actor=actor, dataset=dataset, data=data, upload=None)
        entry.action = "สร้างใหม่"
