"""The catalog's live KPI sources (registered from CatalogConfig.ready(); catalog never imports
the kpi app).

`catalog.kpi1_level`: the level of KPI 1 of the FY2566 agreement ("Data Catalog → Open Data")
reached by the catalog as it is now — 0, 50, 75 or 100 — with every deliverable met or not.
`catalog.metadata_quality`: the catalog's average metadata quality score (0–100).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from krabuan.catalog import schema
from krabuan.catalog.formats import is_open_format
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.quality import catalog_quality
from krabuan.core.errors import field_error
from krabuan.core.registry import LiveValue

KPI1_KEY = "catalog.kpi1_level"
KPI1_LABEL = "ระดับผลการดำเนินงานตัวชี้วัดบัญชีข้อมูล (Data Catalog) สู่ Open Data (ระบบบัญชีข้อมูล)"
QUALITY_KEY = "catalog.metadata_quality"
QUALITY_LABEL = "คะแนนคุณภาพคำอธิบายข้อมูลเฉลี่ยของบัญชีข้อมูล (0–100)"
PARAMS_HELP = "{} = ทั้งบัญชีข้อมูล (ไม่มีพารามิเตอร์)"
SOURCE = "ระบบบัญชีข้อมูลหน่วยงาน"
MIN_DATASETS = 5


def _no_params(params: Any) -> None:
    if params not in (None, {}) and not (isinstance(params, dict) and not params):
        raise field_error("live_params", "แหล่งข้อมูลนี้ไม่รับพารามิเตอร์ (ใช้ {})")


def _missing_items(dataset: Dataset) -> list[str]:
    missing = []
    for name in schema.MANDATORY_ITEMS:
        if name == "tag_string":
            filled = bool(dataset.tags.all())
        elif name == "owner_org":
            filled = dataset.owner_org_id is not None
        else:
            value = getattr(dataset, name)
            filled = bool(value.strip() if isinstance(value, str) else value)
        if not filled:
            missing.append(name)
    return missing


def _item(
    level: int, text: str, met: bool | None, note: str, keywords: list[str]
) -> dict[str, Any]:
    # `keywords` tie the check to the agreement's deliverable texts (kpi.scoring.live_deliverables)
    return {"level": level, "text": text, "met": met, "note": note, "keywords": keywords}


def kpi1_deliverables() -> list[dict[str, Any]]:
    """Each deliverable of KPI 1 checked against the catalog as it is now."""
    datasets = list(
        Dataset.objects.filter(state=State.ACTIVE).prefetch_related(
            "tags",
            Prefetch("resources", queryset=Resource.objects.exclude(state=State.DELETED)),
        )
    )
    open_sets = [d for d in datasets if not d.private]
    incomplete = [d.name for d in datasets if _missing_items(d)]
    valuable = [d for d in datasets if set(d.objective) - {"ไม่ทราบ"}]
    undescribed = [
        d.name
        for d in open_sets
        if not d.resources.all()
        or any(not (r.name.strip() and r.description.strip()) for r in d.resources.all())
    ]
    not_harvested = [d.name for d in open_sets if not d.allow_harvest]
    not_open_format = [
        d.name for d in open_sets if not any(is_open_format(r.format) for r in d.resources.all())
    ]
    n, n_open = len(datasets), len(open_sets)
    return [
        _item(
            50,
            "มีรายชื่อชุดข้อมูลที่มีคุณค่าสามารถนำไปใช้ตอบโจทย์การพัฒนาประเทศหรือการบริการประชาชน",
            bool(valuable),
            f"ชุดข้อมูลที่ระบุวัตถุประสงค์ {len(valuable)} ชุด",
            ["ชุดข้อมูลที่มีคุณค่า"],
        ),
        _item(
            50,
            "มีคำอธิบายชุดข้อมูล (Metadata) ครบ 14 รายการตามมาตรฐานที่ สพร. กำหนด ของทุกชุดข้อมูล",
            n > 0 and not incomplete,
            f"ยังไม่ครบ {len(incomplete)} จาก {n} ชุด"
            + (f": {', '.join(incomplete[:10])}" if incomplete else ""),
            ["14 รายการ"],
        ),
        _item(
            50,
            "มีคำอธิบายทรัพยากรข้อมูล (Resource) ของชุดข้อมูลเปิดทั้งหมด",
            n_open > 0 and not undescribed,
            f"ชุดข้อมูลเปิด {n_open} ชุด ยังอธิบายทรัพยากรไม่ครบ {len(undescribed)} ชุด",
            ["คำอธิบายทรัพยากรข้อมูล"],
        ),
        _item(
            50,
            f"หน่วยงานจัดทำชุดข้อมูลไม่น้อยกว่า {MIN_DATASETS} ชุดข้อมูล",
            n >= MIN_DATASETS,
            f"มี {n} ชุดข้อมูล",
            [f"ไม่น้อยกว่า {MIN_DATASETS} ชุดข้อมูล"],
        ),
        _item(
            75,
            "มีระบบบัญชีข้อมูลหน่วยงาน (Agency Data Catalog) ที่มีชุดข้อมูลและทรัพยากรของชุดข้อมูลเปิด",
            n_open > 0 and not undescribed,
            f"ชุดข้อมูลเปิดในระบบ {n_open} ชุด",
            ["Agency Data Catalog"],
        ),
        _item(
            75,
            "ชุดข้อมูลเปิดทั้งหมด ถูกนำมาลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ (GD Catalog)",
            n_open > 0 and not not_harvested,
            f"ยังไม่ยินยอมให้ GD Catalog นำไป {len(not_harvested)} จาก {n_open} ชุด",
            ["GD Catalog"],
        ),
        _item(
            100,
            "คุณภาพชุดข้อมูลเป็นไปตามมาตรฐานคุณลักษณะแบบเปิดที่ สพร. กำหนด",
            n_open > 0 and not not_open_format,
            f"ชุดข้อมูลเปิดที่ไม่มีไฟล์รูปแบบเปิด {len(not_open_format)} ชุด",
            ["มาตรฐานคุณลักษณะแบบเปิด"],
        ),
        _item(
            100,
            "นำข้อมูลเปิดไปใช้ประโยชน์ได้อย่างเป็นรูปธรรม อย่างน้อย 1 ชุดข้อมูล",
            None,
            "ตรวจจากระบบไม่ได้ ต้องแนบหลักฐานการใช้ประโยชน์",
            ["ใช้ประโยชน์"],
        ),
    ]


def kpi1_level(*, fiscal_year: int, round: str, params: dict[str, Any]) -> LiveValue:
    """0/50/75/100: a level counts when every checkable deliverable of it and below is met."""
    _no_params(params)
    items = kpi1_deliverables()
    level = 0
    for step in (50, 75, 100):
        if all(i["met"] is not False for i in items if i["level"] == step):
            level = step
        else:
            break
    return LiveValue(
        value=Decimal(level),
        source=f"{SOURCE}: ตัวชี้วัดที่ 1 (ตรวจ ณ ขณะนี้) ปีงบประมาณ {fiscal_year}",
        measured_at=timezone.now(),
        details={"deliverables": items},
    )


def metadata_quality(*, fiscal_year: int, round: str, params: dict[str, Any]) -> LiveValue:
    """The average quality score of the active datasets; None for an empty catalog."""
    _no_params(params)
    count = Dataset.objects.filter(state=State.ACTIVE).count()
    return LiveValue(
        value=catalog_quality(),
        source=f"{SOURCE}: คะแนนคุณภาพเฉลี่ย {count} ชุดข้อมูล",
        measured_at=timezone.now(),
        details={"datasets": count},
    )
