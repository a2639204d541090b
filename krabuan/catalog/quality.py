"""Metadata quality score per dataset (0–100) and for the catalog.

Weights follow the NSO data-catalog quality check: completeness 20 (the 14 items and resource
descriptions), timeliness 20 (freshness against the declared update frequency), accessibility 15
(working links), machine readable 20 (open formats), validity 25 (required resource fields
present and parseable, choice values still in the schema). The services store the score on every
write; a periodic task recomputes it because freshness and links change with time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg
from django.utils import timezone

from krabuan.catalog import schema
from krabuan.catalog.formats import check_format
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.validation import parse_iso_date
from krabuan.core.thai import BANGKOK

WEIGHTS = {
    "completeness": 20,
    "timeliness": 20,
    "accessibility": 15,
    "machine_readable": 20,
    "validity": 25,
}
# Days between updates per unit of update_frequency_unit (before dividing by the interval).
_UNIT_DAYS = {
    "ปี": 365,
    "ครึ่งปี": 183,
    "ไตรมาส": 92,
    "เดือน": 31,
    "สัปดาห์": 7,
    "วัน": 1,
    "วันทำการ": 3,  # a weekend may sit between two working-day updates
    "ชั่วโมง": 1,  # dates have day precision: a day is the finest check
    "นาที": 1,
    "ตามเวลาจริง": 1,
}
_NEVER_UPDATED = "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"
_GRACE = 1.5  # fresh until 1.5 × the period, half credit until 2 ×


def _today() -> dt.date:
    return timezone.now().astimezone(BANGKOK).date()


def _item_filled(dataset: Dataset, name: str, tag_count: int) -> bool:
    if name == "tag_string":
        return tag_count > 0
    if name == "owner_org":
        return dataset.owner_org_id is not None
    value = getattr(dataset, name)
    return bool(value.strip() if isinstance(value, str) else value)


def _completeness(dataset: Dataset, resources: list[Resource], tag_count: int) -> dict[str, Any]:
    missing = [
        schema.label(n) for n in schema.MANDATORY_ITEMS if not _item_filled(dataset, n, tag_count)
    ]
    items = (len(schema.MANDATORY_ITEMS) - len(missing)) / len(schema.MANDATORY_ITEMS)
    described = [r for r in resources if r.name.strip() and r.description.strip()]
    res_share = len(described) / len(resources) if resources else 0.0
    undescribed = [r.name for r in resources if r not in described]
    return {
        "share": 0.75 * items + 0.25 * res_share,
        "missing_items": missing,
        "undescribed_resources": undescribed,
    }


def reference_date(dataset: Dataset, resources: list[Resource]) -> dt.date | None:
    """The latest "data updated" date: the dataset's, its resources', or an upload's."""
    dates: list[dt.date] = []
    if dataset.last_updated_date:
        dates.append(dataset.last_updated_date)
    for r in resources:
        raw = (r.type_fields or {}).get("resource_last_updated_date")
        if raw:
            with contextlib.suppress(ValueError):  # a bad date is reported by validity
                dates.append(parse_iso_date(raw))
        if r.last_modified and r.url_type == "upload":  # a new file is new data; a link is not
            dates.append(r.last_modified.astimezone(BANGKOK).date())
    return max(dates) if dates else None


def expected_days(dataset: Dataset) -> float | None:
    """Days allowed between updates, from unit ÷ interval; None when not a regular schedule."""
    days = _UNIT_DAYS.get(dataset.update_frequency_unit)
    if days is None:
        return None
    try:
        interval = float(dataset.update_frequency_interval or 1)
    except ValueError:
        interval = 1.0
    return days / max(interval, 1.0)


def _timeliness(dataset: Dataset, resources: list[Resource], today: dt.date) -> dict[str, Any]:
    ref = reference_date(dataset, resources)
    period = expected_days(dataset)
    out: dict[str, Any] = {"reference_date": ref.isoformat() if ref else None}
    out["expected_days"] = period
    if ref is None:
        return out | {"share": 0.0, "status": "no_date"}
    age = (today - ref).days
    out["age_days"] = age
    if dataset.update_frequency_unit == _NEVER_UPDATED:
        return out | {"share": 1.0, "status": "static"}
    if period is None:  # ไม่ทราบ / อื่นๆ: a date but no promise to measure against
        return out | {"share": 0.5, "status": "unknown_frequency"}
    if age <= period * _GRACE:
        return out | {"share": 1.0, "status": "fresh"}
    if age <= period * 2 * _GRACE:
        return out | {"share": 0.5, "status": "late"}
    return out | {"share": 0.0, "status": "stale"}


def link_ok(resource: Resource) -> bool | None:
    """True for files we serve and links that answered 2xx/3xx, False for broken, None unchecked."""
    if resource.url_type == "upload":
        return True
    if resource.link_status is None:
        return None
    return 200 <= resource.link_status < 400


def _accessibility(resources: list[Resource]) -> dict[str, Any]:
    if not resources:
        return {"share": 0.0, "broken": [], "unchecked": []}
    states = [(r, link_ok(r)) for r in resources]
    points = sum(1.0 if ok else 0.5 if ok is None else 0.0 for _, ok in states)
    return {
        "share": points / len(resources),
        "broken": [r.name for r, ok in states if ok is False],
        "unchecked": [r.name for r, ok in states if ok is None],
    }


def _machine_readable(resources: list[Resource]) -> dict[str, Any]:
    if not resources:
        return {"share": 0.0, "not_open": []}
    checks = [(r, check_format(r.format)) for r in resources]
    not_open = [
        {"name": r.name, "format": c.format, "advice": c.advice} for r, c in checks if not c.is_open
    ]
    return {"share": (len(resources) - len(not_open)) / len(resources), "not_open": not_open}


def _resource_problems(resource: Resource) -> list[str]:
    problems = [
        f"{resource.name or '-'}: {schema.label(f)}"
        for f in ("name", "url", "format")
        if not (getattr(resource, f) or "").strip()
    ]
    for spec in schema.RESOURCE_FIELDS:
        raw = (resource.type_fields or {}).get(spec.name)
        if raw and spec.kind == "date":
            try:
                parse_iso_date(raw)
            except ValueError:
                problems.append(f"{resource.name}: {spec.label}")
    return problems


def _dataset_problems(dataset: Dataset) -> list[str]:
    problems = []
    for spec in schema.DATASET_FIELDS:
        if not spec.column or spec.kind not in ("choice", "multi"):
            continue
        value = getattr(dataset, spec.name)
        values = value if isinstance(value, list) else [value] if value else []
        if any(v not in spec.choices for v in values):
            problems.append(spec.label)
    return problems


def _validity(dataset: Dataset, resources: list[Resource]) -> dict[str, Any]:
    dataset_problems = _dataset_problems(dataset)
    resource_problems = {r.pk: _resource_problems(r) for r in resources}
    res_share = (
        sum(1 for p in resource_problems.values() if not p) / len(resources) if resources else 0.0
    )
    return {
        "share": 0.4 * (0.0 if dataset_problems else 1.0) + 0.6 * res_share,
        "problems": dataset_problems + [p for ps in resource_problems.values() for p in ps],
    }


def dataset_quality(
    dataset: Dataset, *, today: dt.date | None = None
) -> tuple[int, dict[str, Any]]:
    """(score 0–100, details per dimension) of one dataset."""
    today = today or _today()
    resources = list(dataset.resources.exclude(state=State.DELETED))
    tag_count = dataset.tags.count()
    parts = {
        "completeness": _completeness(dataset, resources, tag_count),
        "timeliness": _timeliness(dataset, resources, today),
        "accessibility": _accessibility(resources),
        "machine_readable": _machine_readable(resources),
        "validity": _validity(dataset, resources),
    }
    total = Decimal(0)
    details: dict[str, Any] = {}
    for key, part in parts.items():
        points = (Decimal(str(part["share"])) * WEIGHTS[key]).quantize(Decimal("0.1"))
        total += points
        details[key] = {k: v for k, v in part.items() if k != "share"} | {
            "score": float(points),
            "max": WEIGHTS[key],
        }
    score = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    details["computed_on"] = today.isoformat()
    return score, details


def quality_apply(dataset: Dataset) -> int:
    """Compute and store a dataset's score (does not move metadata_modified)."""
    score, details = dataset_quality(dataset)
    dataset.quality_score = score
    dataset.quality_details = details
    Dataset.objects.filter(pk=dataset.pk).update(quality_score=score, quality_details=details)
    return score


def catalog_quality() -> Decimal | None:
    """Average score of the active datasets (None for an empty catalog)."""
    avg = Dataset.objects.filter(state=State.ACTIVE).aggregate(a=Avg("quality_score"))["a"]
    return None if avg is None else Decimal(str(avg)).quantize(Decimal("0.01"), ROUND_HALF_UP)
