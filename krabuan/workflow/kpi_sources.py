"""The workflow engine's live KPI source: the share of steps done within their set time.

Registered from WorkflowConfig.ready() in the core registry, so that the kpi app can bind a KPI
to it without the engine knowing about KPIs (workflow never imports kpi).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from krabuan.core.errors import field_error
from krabuan.core.registry import LiveValue
from krabuan.core.thai import normalize_text, to_arabic_digits
from krabuan.manual.models import Process
from krabuan.workflow.selectors import process_kpi
from krabuan.workflow.services.schedules import newest_manual

KEY = "workflow.process_on_time_pct"
LABEL = "ร้อยละขั้นตอนที่แล้วเสร็จตามเวลา (ระบบติดตามกระบวนงาน)"
PARAMS_HELP = (
    '{"process_code": "C10"} = กระบวนงานเดียวตามรหัสในคู่มือฉบับล่าสุด; {} = ทุกกระบวนงานของคู่มือฉบับล่าสุด'
)
SOURCE_NAME = "ระบบติดตามกระบวนงาน"
_PARAMS = {"process_code"}


def _process_code(params: Any) -> str | None:
    if not isinstance(params, dict):
        raise field_error("live_params", 'พารามิเตอร์ต้องเป็นชุดข้อมูล เช่น {"process_code": "C10"}')
    unknown = sorted(set(params) - _PARAMS)
    if unknown:
        raise field_error(
            "live_params", f"ไม่รู้จักพารามิเตอร์ {', '.join(unknown)} (รับเฉพาะ process_code)"
        )
    raw = params.get("process_code")
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise field_error("live_params", "process_code ต้องเป็นข้อความ เช่น C10")
    return to_arabic_digits(normalize_text(raw)).upper()


def process_on_time_pct(*, fiscal_year: int, round: str, params: dict[str, Any]) -> LiveValue:
    """Steps completed on time / steps completed, over the cases of the fiscal year, for one
    process (by code in the newest manual) or all processes of the newest manual; measured now,
    so a past round shows today's figure for its fiscal year. None while nothing is completed."""
    code = _process_code(params)
    manual = newest_manual()
    measured_at = timezone.now()
    if manual is None:
        if code:
            raise field_error("live_params", "ยังไม่มีคู่มือกระบวนงานในระบบ")
        return LiveValue(None, f"{SOURCE_NAME}: ยังไม่มีคู่มือ", measured_at, {"processes": []})
    processes = (
        Process.objects.filter(manual=manual).select_related("manual").order_by("kind", "number")
    )
    if code:
        processes = processes.filter(code=code)
        if not processes:
            raise field_error(
                "live_params",
                f"ไม่พบกระบวนงานรหัส {code} ในคู่มือปีงบประมาณ พ.ศ. {manual.fiscal_year}",
            )
    rows = [process_kpi(process=p, fiscal_year=fiscal_year) | {"code": p.code} for p in processes]
    completed = sum(r["steps_completed"] for r in rows)
    on_time = sum(r["steps_on_time"] for r in rows)
    value = (
        (Decimal(on_time) * 100 / completed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if completed
        else None
    )
    scope = code or "ทุกกระบวนงาน"
    return LiveValue(
        value=value,
        source=f"{SOURCE_NAME}: {scope} ปีงบประมาณ {fiscal_year}",
        measured_at=measured_at,
        details={
            "round": round,
            "manual_fiscal_year": manual.fiscal_year,
            "steps_completed": completed,
            "steps_on_time": on_time,
            "steps_late_open": sum(r["steps_late_open"] for r in rows),
            "processes": [
                {
                    "code": r["code"],
                    "steps_completed": r["steps_completed"],
                    "steps_on_time": r["steps_on_time"],
                    "on_time_pct": r["on_time_pct"],
                    "target_pct": r["target_pct"],
                }
                for r in rows
            ],
        },
    )
