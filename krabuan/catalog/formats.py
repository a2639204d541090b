"""Is a resource's format open? Open = non-proprietary and machine readable (the open-data
standard's 3-star level and up); other formats get Thai advice on what to publish instead."""

from __future__ import annotations

from dataclasses import dataclass

# Open, machine-readable formats (upper-case, as resources store them).
OPEN_FORMATS = frozenset(
    {
        "CSV",
        "TSV",
        "JSON",
        "JSONL",
        "GEOJSON",
        "XML",
        "RDF",
        "TTL",
        "TURTLE",
        "N3",
        "NT",
        "JSON-LD",
        "JSONLD",
        "KML",
        "KMZ",
        "GML",
        "GPX",
        "ODS",
        "API",
        "WMS",
        "WFS",
        "SPARQL",
        "SHP",
        "SHAPEFILE",
        "GEOTIFF",
        "PARQUET",
    }
)
# Machine readable but proprietary: publish an open copy beside it.
_ADVICE = {
    "XLS": "ไฟล์ Excel เป็นรูปแบบเฉพาะของผู้ผลิต ควรเผยแพร่เป็น CSV (หรือ ODS) คู่กัน",
    "XLSX": "ไฟล์ Excel เป็นรูปแบบเฉพาะของผู้ผลิต ควรเผยแพร่เป็น CSV (หรือ ODS) คู่กัน",
    "PDF": "PDF อ่านด้วยเครื่องไม่ได้ ควรเผยแพร่ตารางข้อมูลเป็น CSV หรือ JSON",
    "DOC": "เอกสาร Word ไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลเป็น CSV หรือ JSON",
    "DOCX": "เอกสาร Word ไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลเป็น CSV หรือ JSON",
    "PNG": "รูปภาพไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลต้นฉบับเป็น CSV หรือ JSON",
    "JPG": "รูปภาพไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลต้นฉบับเป็น CSV หรือ JSON",
    "JPEG": "รูปภาพไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลต้นฉบับเป็น CSV หรือ JSON",
    "GIF": "รูปภาพไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลต้นฉบับเป็น CSV หรือ JSON",
    "ZIP": "ไฟล์บีบอัดต้องแตกก่อนใช้ ควรระบุรูปแบบของไฟล์ข้างใน หรือเผยแพร่ CSV/JSON โดยตรง",
    "TXT": "ข้อความธรรมดาไม่มีโครงสร้าง ควรเผยแพร่เป็น CSV หรือ JSON",
    "HTML": "หน้าเว็บไม่ใช่ข้อมูลที่เครื่องอ่านได้ ควรเผยแพร่ข้อมูลเป็น CSV, JSON หรือ API",
}
_UNKNOWN = "ไม่ทราบรูปแบบไฟล์ ควรระบุนามสกุลของไฟล์ และเผยแพร่เป็นรูปแบบเปิด เช่น CSV หรือ JSON"
_ALIASES = {
    "JSON LD": "JSON-LD",
    "GEO JSON": "GEOJSON",
    "TEXT/CSV": "CSV",
    "APPLICATION/JSON": "JSON",
}


@dataclass(frozen=True)
class FormatCheck:
    format: str
    is_open: bool
    advice: str  # empty when open


def normalize_format(value: str | None) -> str:
    """Upper-case without a leading dot, with common aliases folded ("json ld" → JSON-LD)."""
    text = (value or "").strip().lstrip(".").upper()
    return _ALIASES.get(text, text)


def check_format(value: str | None) -> FormatCheck:
    """Open or not, with advice in Thai for formats that are not."""
    fmt = normalize_format(value)
    if fmt in OPEN_FORMATS:
        return FormatCheck(fmt, True, "")
    return FormatCheck(fmt, False, _ADVICE.get(fmt, _UNKNOWN))


def is_open_format(value: str | None) -> bool:
    return check_format(value).is_open
