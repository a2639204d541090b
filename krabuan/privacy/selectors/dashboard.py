"""The deliverables of agreement KPIs 2 and 5, worked out from the privacy records, and the
RoPA coverage by unit. The same figures feed the dashboard and the KPI registry.

Like the catalog's source, the records are read as they are now: what is published counts if it
is published today, and what must happen during the year (an awareness activity, the inventory
review, the head's report) counts from the first day of the fiscal year up to now. A past year's
figure therefore includes later work. Levels are cumulative, as the agreement's method note
says: 75 needs the 50 deliverable, 100 needs both.

KPI 2 (the office): 50 = the PDPA guidance was explained (an awareness activity held since the
year began); 75 = a privacy notice of the office is published; 100 = the results were put to
the head of the office (the last step, "สรุป รายงานผล", of a process-15 case of the year or
later is done).
KPI 5 (each division with processing activities; the office's level is the lowest): 50 = its
inventory and retention review (every active activity has data items, every item a retention
period, the inventory touched since the year began, nothing overdue for destruction); 75 = a
published RoPA for every active activity; 100 = (1) a published privacy notice of the unit and
(2) PDPA content presented (an awareness activity the unit organised, e.g. the infographic).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from krabuan.core.errors import field_error
from krabuan.core.registry import LiveValue
from krabuan.core.thai import BANGKOK, fiscal_year_bounds
from krabuan.org.models import Unit
from krabuan.privacy.models import (
    AwarenessActivity,
    NoticeVersion,
    ProcessingActivity,
    RopaVersion,
    VersionStatus,
)
from krabuan.workflow.models import Case, StepInstance, StepStatus

PROCESS_CODE = "C15"
LEVELS = (50, 75, 100)
NO_UNITS = "ยังไม่มีหน่วยงานที่บันทึกกิจกรรมการประมวลผล"


@dataclass
class Deliverable:
    level: int
    text: str
    met: bool
    evidence: str
    # Words of the agreement's deliverable text this check stands for (kpi.scoring ticks the
    # agreement's deliverable of the same level whose text holds every keyword).
    keywords: tuple[str, ...] = ()


@dataclass
class UnitRow:
    unit: Unit
    activities: int = 0
    activities_with_ropa: int = 0
    items: int = 0
    items_without_retention: int = 0
    touched_in_year: bool = False
    overdue_destruction: int = 0
    notices: int = 0
    awareness: int = 0
    deliverables: list[Deliverable] = field(default_factory=list)

    @property
    def ropa_covered(self) -> bool:
        return self.activities > 0 and self.activities_with_ropa == self.activities

    @property
    def level(self) -> int:
        return level_of(self.deliverables)


@dataclass
class KpiStatus:
    number: int
    name: str
    fiscal_year: int
    cutoff: dt.datetime
    deliverables: list[Deliverable]
    units: list[UnitRow] = field(default_factory=list)

    @property
    def level(self) -> int:
        if self.units:
            return min(u.level for u in self.units)
        return level_of(self.deliverables)


def level_of(deliverables: list[Deliverable]) -> int:
    """The highest level whose deliverables, and every lower level's, are all met."""
    reached = 0
    for level in LEVELS:
        mine = [d for d in deliverables if d.level == level]
        if not mine or not all(d.met for d in mine):
            break
        reached = level
    return reached


def year_window(fiscal_year: int, *, now: dt.datetime | None = None) -> tuple[dt.date, dt.datetime]:
    """(first day of the fiscal year, the instant records are read at: now)."""
    first, _last = fiscal_year_bounds(fiscal_year)
    return first, now or timezone.now()


def _published_q(cutoff: dt.datetime) -> Q:
    """Versions published today (publishing supersedes the one before)."""
    return Q(status=VersionStatus.PUBLISHED, published_at__lte=cutoff)


def kpi2_status(*, fiscal_year: int, now: dt.datetime | None = None) -> KpiStatus:
    """KPI 2's three deliverables for the office."""
    first, cutoff = year_window(fiscal_year, now=now)
    last_day = cutoff.astimezone(BANGKOK).date()
    held = AwarenessActivity.objects.filter(held_on__gte=first, held_on__lte=last_day)
    activities = held.aggregate(n=Count("id", distinct=True), people=Count("attendances"))
    notices = (
        NoticeVersion.objects.filter(_published_q(cutoff)).values("notice_id").distinct().count()
    )
    report = _head_report(fiscal_year, cutoff)
    deliverables = [
        Deliverable(
            50,
            "ชี้แจงแนวทางการดำเนินการตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล (PDPA) ของ สป.กษ.",
            activities["n"] > 0,
            f"กิจกรรมสร้างความตระหนักรู้/ชี้แจง {activities['n']} ครั้ง ผู้เข้าร่วม {activities['people']} คน",
            ("ชี้แจงแนวทาง",),
        ),
        Deliverable(
            75,
            "จัดทำประกาศความเป็นส่วนตัว (Privacy Notice) ของข้อมูลส่วนบุคคลของ สป.กษ.",
            notices > 0,
            f"ประกาศความเป็นส่วนตัวที่เผยแพร่ {notices} ฉบับ",
            ("Privacy Notice",),
        ),
        Deliverable(
            100,
            "เสนอหัวหน้าหน่วยงานพิจารณาผลการดำเนินงานการคุ้มครองข้อมูลส่วนบุคคลของ สป.กษ.",
            report is not None,
            f"ขั้นตอน “สรุป รายงานผล” ของเรื่อง {report} เสร็จแล้ว"
            if report
            else "ยังไม่มีเรื่องของกระบวนงานที่ 15 ในปีงบประมาณนี้ที่ขั้นตอน “สรุป รายงานผล” เสร็จแล้ว",
            ("เสนอหัวหน้าหน่วยงาน",),
        ),
    ]
    return KpiStatus(
        2, "การขับเคลื่อนข้อมูลส่วนบุคคลตาม PDPA ของ สป.กษ.", fiscal_year, cutoff, deliverables
    )


def _head_report(fiscal_year: int, cutoff: dt.datetime) -> str | None:
    """The reference of a process-15 case of the year (or later) whose last step is done."""
    cases = Case.objects.filter(process__code=PROCESS_CODE, fiscal_year__gte=fiscal_year).annotate(
        last_order=Max("steps__order")
    )
    for case in cases.order_by("started_at", "id"):
        done = StepInstance.objects.filter(
            case=case,
            order=case.last_order,  # type: ignore[attr-defined]
            status=StepStatus.DONE,
            completed_at__lte=cutoff,
        ).exists()
        if done:
            return case.reference
    return None


def unit_rows(
    *, fiscal_year: int, unit_code: str | None = None, now: dt.datetime | None = None
) -> list[UnitRow]:
    """Per unit with active processing activities: the counts behind KPI 5 and the coverage."""
    from krabuan.privacy.selectors.records import retention_schedule  # the records' own rule

    first, cutoff = year_window(fiscal_year, now=now)
    last_day = cutoff.astimezone(BANGKOK).date()
    activities = ProcessingActivity.objects.filter(active=True).select_related("unit")
    if unit_code:
        activities = activities.filter(unit__code=unit_code)
    rows: dict[int, UnitRow] = {}
    for activity in activities.order_by("unit__sort_order", "unit__name"):
        row = rows.setdefault(activity.unit_id, UnitRow(unit=activity.unit))
        row.activities += 1
    if not rows:
        return []
    unit_ids = list(rows)
    with_ropa = (
        RopaVersion.objects.filter(_published_q(cutoff), ropa__activity__active=True)
        .filter(ropa__activity__unit_id__in=unit_ids)
        .values("ropa__activity__unit_id")
        .annotate(n=Count("ropa__activity", distinct=True))
    )
    for unit_id, n in with_ropa.values_list("ropa__activity__unit_id", "n"):
        rows[unit_id].activities_with_ropa = n
    _inventory(rows, first=first, cutoff=cutoff)
    for item_row in retention_schedule(today=last_day, horizon_days=0)[0]:
        unit_id = item_row.item.activity.unit_id
        if item_row.overdue and unit_id in rows and item_row.item.activity.active:
            rows[unit_id].overdue_destruction += 1
    notices = (
        NoticeVersion.objects.filter(_published_q(cutoff), notice__unit_id__in=unit_ids)
        .values("notice__unit_id")
        .annotate(n=Count("notice", distinct=True))
    )
    for unit_id, n in notices.values_list("notice__unit_id", "n"):
        rows[unit_id].notices = n
    awareness = (
        AwarenessActivity.objects.filter(
            unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last_day
        )
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    for unit_id, n in awareness.values_list("unit_id", "n"):
        rows[unit_id].awareness = n
    for row in rows.values():
        row.deliverables = _unit_deliverables(row)
    return list(rows.values())


def _inventory(rows: dict[int, UnitRow], *, first: dt.date, cutoff: dt.datetime) -> None:
    start = dt.datetime.combine(first, dt.time(), tzinfo=BANGKOK)
    empty_activities: dict[int, int] = defaultdict(int)
    per_activity = (
        ProcessingActivity.objects.filter(active=True, unit_id__in=list(rows))
        .annotate(
            n_items=Count("data_items"),
            n_bare=Count(
                "data_items",
                filter=Q(data_items__retention_months__isnull=True, data_items__retention_text=""),
            ),
            touched=Max("data_items__updated_at"),
        )
        .values("unit_id", "n_items", "n_bare", "touched", "updated_at")
    )
    for entry in per_activity:
        row = rows[entry["unit_id"]]
        row.items += entry["n_items"]
        row.items_without_retention += entry["n_bare"]
        if entry["n_items"] == 0:
            empty_activities[entry["unit_id"]] += 1
        for when in (entry["touched"], entry["updated_at"]):
            if when is not None and start <= when <= cutoff:
                row.touched_in_year = True
    for unit_id, count in empty_activities.items():
        # An activity without data items has not been reviewed: count it as an item lacking.
        rows[unit_id].items_without_retention += count


# KPI 5's deliverables for one unit: (level, text, keywords of the agreement's text).
UNIT_DELIVERABLES = (
    (
        50,
        "ทบทวนรายการข้อมูลส่วนบุคคล การเก็บรักษา และการทำลายข้อมูลส่วนบุคคล",
        ("ทบทวนรายการข้อมูลส่วนบุคคล",),
    ),
    (75, "จัดทำบันทึกกิจกรรมการประมวลผล (RoPA) ของหน่วยงาน", ("RoPA",)),
    (100, "(1) จัดทำประกาศความเป็นส่วนตัว (Privacy Notice) ของหน่วยงาน", ("Privacy Notice",)),
    (
        100,
        "(2) นำเสนอเนื้อหาการคุ้มครองข้อมูลส่วนบุคคลของหน่วยงาน (เช่น infographic)",
        ("infographic",),
    ),
)


def _unit_deliverables(row: UnitRow) -> list[Deliverable]:
    reviewed = row.items > 0 and row.items_without_retention == 0 and row.touched_in_year
    checks = [
        (
            reviewed and row.overdue_destruction == 0,
            f"ข้อมูล {row.items} รายการ ไม่ระบุระยะเวลาเก็บ/ยังไม่มีรายการ {row.items_without_retention}"
            f" · ทบทวนในปีนี้: {'ใช่' if row.touched_in_year else 'ไม่'}"
            f" · ครบกำหนดทำลายแต่ยังไม่ทำลาย {row.overdue_destruction} รายการ",
        ),
        (row.ropa_covered, f"RoPA ที่เผยแพร่ {row.activities_with_ropa}/{row.activities} กิจกรรม"),
        (row.notices > 0, f"ประกาศที่เผยแพร่ {row.notices} ฉบับ"),
        (row.awareness > 0, f"กิจกรรม/เนื้อหาที่หน่วยงานจัดในปีนี้ {row.awareness} รายการ"),
    ]
    return [
        Deliverable(level, text, met, evidence, keywords)
        for (level, text, keywords), (met, evidence) in zip(UNIT_DELIVERABLES, checks, strict=True)
    ]


def kpi5_status(
    *, fiscal_year: int, unit_code: str | None = None, now: dt.datetime | None = None
) -> KpiStatus:
    """KPI 5 for every unit with processing activities (or one unit); the level is the lowest."""
    _first, cutoff = year_window(fiscal_year, now=now)
    units = unit_rows(fiscal_year=fiscal_year, unit_code=unit_code, now=now)
    deliverables = []
    # The office meets a deliverable when every unit with activities meets it.
    for index, (level, text, keywords) in enumerate(UNIT_DELIVERABLES):
        met_units = [u for u in units if u.deliverables[index].met]
        deliverables.append(
            Deliverable(
                level,
                f"สำนัก/กอง: {text}",
                bool(units) and len(met_units) == len(units),
                f"ครบ {len(met_units)}/{len(units)} หน่วยงาน" if units else NO_UNITS,
                keywords,
            )
        )
    status = KpiStatus(
        5, "การดำเนินการตาม PDPA ของสำนัก/กอง", fiscal_year, cutoff, deliverables, units
    )
    return status


def kpi_details(status: KpiStatus) -> dict[str, Any]:
    """Plain JSON of a status for the KPI registry."""
    return {
        "fiscal_year": status.fiscal_year,
        "counted_at": status.cutoff.isoformat(),
        "deliverables": [
            {
                "level": d.level,
                "text": d.text,
                "met": d.met,
                "evidence": d.evidence,
                "keywords": list(d.keywords),
            }
            for d in status.deliverables
        ],
        "units": [
            {
                "code": u.unit.code,
                "name": u.unit.name,
                "level": u.level,
                "deliverables": [{"level": d.level, "met": d.met} for d in u.deliverables],
            }
            for u in status.units
        ],
    }


def ropa_coverage(rows: list[UnitRow]) -> tuple[int, int]:
    """(units whose every active activity has a published RoPA, units with activities)."""
    return sum(1 for r in rows if r.ropa_covered), len(rows)


# --- KPI registry (core.registry; bound from PrivacyConfig.ready) ------------------------------

KPI2_KEY = "privacy.kpi2_level"
KPI5_KEY = "privacy.kpi5_level"
KPI2_LABEL = "ระดับที่บรรลุของตัวชี้วัดที่ 2 การขับเคลื่อน PDPA (0/50/75/100) จากระบบคุ้มครองข้อมูลส่วนบุคคล"
KPI5_LABEL = "ระดับที่บรรลุของตัวชี้วัดที่ 5 การดำเนินการตาม PDPA ของสำนัก/กอง (0/50/75/100)"
KPI2_HELP = "{} (ไม่มีพารามิเตอร์); ผูกกับตัวชี้วัดที่ใช้วิธี “ผลการดำเนินงาน = คะแนน”"
KPI5_HELP = '{} = ทุกหน่วยงานที่มีกิจกรรมการประมวลผล (ระดับต่ำสุด); {"unit": "ict-data"} = หน่วยงานเดียว'


def _params(params: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise field_error("live_params", "พารามิเตอร์ต้องเป็นชุดข้อมูล JSON")
    unknown = sorted(set(params) - allowed)
    if unknown:
        accepted = ", ".join(sorted(allowed)) or "ไม่มี"
        raise field_error(
            "live_params", f"ไม่รู้จักพารามิเตอร์ {', '.join(unknown)} (รับเฉพาะ: {accepted})"
        )
    return params


def kpi2_live(*, fiscal_year: int, round: str, params: dict[str, Any]) -> LiveValue:
    """KPI 2's level reached (0/50/75/100) with each deliverable met or not."""
    _params(params, set())
    status = kpi2_status(fiscal_year=fiscal_year)
    return LiveValue(
        value=Decimal(status.level),
        source=f"ระบบคุ้มครองข้อมูลส่วนบุคคล: ตัวชี้วัดที่ 2 ปีงบประมาณ {fiscal_year}",
        measured_at=timezone.now(),
        details={"round": round, **kpi_details(status)},
    )


def kpi5_live(*, fiscal_year: int, round: str, params: dict[str, Any]) -> LiveValue:
    """KPI 5's level reached by every unit with activities (the lowest), or by one unit."""
    clean = _params(params, {"unit"})
    code = clean.get("unit")
    if code is not None:
        if not isinstance(code, str) or not Unit.objects.filter(code=code).exists():
            raise field_error("live_params", f"ไม่พบหน่วยงานรหัส {code}")
    status = kpi5_status(fiscal_year=fiscal_year, unit_code=code)
    scope = code or "ทุกหน่วยงานที่มีกิจกรรมการประมวลผล"
    return LiveValue(
        value=Decimal(status.level),
        source=f"ระบบคุ้มครองข้อมูลส่วนบุคคล: ตัวชี้วัดที่ 5 ({scope}) ปีงบประมาณ {fiscal_year}",
        measured_at=timezone.now(),
        details={"round": round, **kpi_details(status)},
    )
