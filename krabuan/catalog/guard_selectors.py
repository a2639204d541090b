"""Reads of the personal-data guard: guarded getters of resources and scans (NotFound for the
unentitled), the report rows, and the queue of current scans awaiting a decision."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from krabuan.catalog.models import Organization, PersonalDataScan, Resource, ScanStatus, State
from krabuan.catalog.permissions import can_edit_catalog, can_edit_dataset, is_data_steward
from krabuan.catalog.services.guard import (
    CATEGORY_LABELS,
    KIND_LABELS,
    findings_summary,
    scan_stale,
)
from krabuan.core.errors import NotFound

STATE_CHOICES = [
    ("awaiting", _("รอการตัดสินใจ")),
    ("decided", _("ตัดสินใจแล้ว")),
    ("all", _("ทั้งหมด")),
]
SORT_CHOICES = [
    ("-created", _("ตรวจล่าสุดก่อน")),
    ("created", _("ตรวจก่อนอยู่ก่อน")),
    ("dataset", _("ชื่อชุดข้อมูล")),
    ("-count", _("จำนวนที่พบมากก่อน")),
]
_ORDER = {
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "dataset": ["resource__dataset__title", "resource__position", "-id"],
    "-count": ["-created_at", "-id"],  # re-sorted by count in Python (the count is in JSON)
}


def can_see_scans(user: Any) -> bool:
    """Catalog editors and data stewards see scans (stewards must read what they decide on)."""
    return can_edit_catalog(user) or is_data_steward(user)


def guarded_resource(*, user: Any, resource_id: Any) -> Resource:
    """A resource whose scans the user may see: its dataset's editors and data stewards."""
    try:
        pk = resource_id if isinstance(resource_id, uuid.UUID) else uuid.UUID(str(resource_id))
    except (TypeError, ValueError):
        raise NotFound("ไม่พบทรัพยากร", code="resource_not_found") from None
    resource = (
        Resource.objects.select_related("dataset", "dataset__owner_org")
        .exclude(state=State.DELETED)
        .filter(pk=pk)
        .first()
    )
    if resource is None or not (can_edit_dataset(user, resource.dataset) or is_data_steward(user)):
        raise NotFound("ไม่พบทรัพยากร", code="resource_not_found")
    return resource


def guarded_scan(*, user: Any, scan_id: int) -> PersonalDataScan:
    """A scan of a resource the user may see (same rule as guarded_resource)."""
    scan = PersonalDataScan.objects.filter(pk=scan_id).only("pk", "resource_id").first()
    if scan is None:
        raise NotFound("ไม่พบผลการตรวจ", code="scan_not_found")
    resource = guarded_resource(user=user, resource_id=scan.resource_id)
    full = PersonalDataScan.objects.select_related("decision").get(pk=scan.pk)
    full.resource = resource
    return full


def finding_label(item: dict[str, Any]) -> str:
    label = str(KIND_LABELS.get(item.get("kind", ""), item.get("kind", "")))
    category = item.get("category")
    if category:
        label = f"{label}: {CATEGORY_LABELS.get(category, category)}"
    return label


def finding_rows(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as the report shows them: Thai kind label, column, count, rows, masked sample."""
    return [
        {
            "label": finding_label(item),
            "kind": item.get("kind", ""),
            "sheet": item.get("sheet", ""),
            "column": item.get("column", ""),
            "count": int(item.get("count", 0)),
            "rows": ", ".join(str(r) for r in item.get("rows", [])),
            "sample": item.get("sample", ""),
        }
        for item in findings
    ]


def scan_history(resource: Resource, *, exclude: PersonalDataScan | None) -> list[PersonalDataScan]:
    """Earlier scans of the resource (older file versions), newest first."""
    qs = resource.scans.select_related("decision", "decision__decided_by", "requested_by")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs[:20])


def can_restart(scan: PersonalDataScan | None) -> bool:
    return scan is None or scan.status == ScanStatus.FAILED or scan_stale(scan)


@dataclass
class QueueFilter:
    state: str = "awaiting"
    kind: str = ""
    org: str = ""
    q: str = ""
    sort: str = "-created"
    page: int = 1

    @classmethod
    def from_query(cls, query: QueryDict) -> QueueFilter:
        state = query.get("state", "awaiting")
        sort = query.get("sort", "-created")
        kind = query.get("kind", "")
        try:
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            state=state if state in dict(STATE_CHOICES) else "awaiting",
            kind=kind if kind in KIND_LABELS else "",
            org=query.get("org", "")[:100],
            q=query.get("q", "").strip()[:200],
            sort=sort if sort in _ORDER else "-created",
            page=page,
        )


def current_scans() -> QuerySet[PersonalDataScan]:
    """The latest scan of each live resource's current file (by sha256)."""
    newer = PersonalDataScan.objects.filter(
        resource=OuterRef("resource"), file_hash=OuterRef("file_hash"), pk__gt=OuterRef("pk")
    )
    return (
        PersonalDataScan.objects.filter(resource__url_type="upload", resource__hash=F("file_hash"))
        .exclude(resource__state=State.DELETED)
        .exclude(resource__dataset__state=State.DELETED)
        .filter(~Exists(newer))
    )


def scan_queue(*, user: Any, params: QueueFilter) -> list[PersonalDataScan]:
    """Current scans with findings or failures the user may see, filtered and sorted (one query)."""
    if not can_see_scans(user):
        return []
    qs = current_scans().filter(status__in=[ScanStatus.FINDINGS, ScanStatus.FAILED])
    if params.state == "awaiting":
        qs = qs.filter(decision__isnull=True)
    elif params.state == "decided":
        qs = qs.filter(decision__isnull=False)
    if params.org:
        qs = qs.filter(resource__dataset__owner_org__name=params.org)
    if params.q:
        qs = qs.filter(
            Q(resource__dataset__title__icontains=params.q)
            | Q(resource__dataset__name__icontains=params.q)
            | Q(resource__name__icontains=params.q)
        )
    qs = qs.select_related(
        "resource", "resource__dataset", "resource__dataset__owner_org", "requested_by"
    ).select_related("decision", "decision__decided_by")
    rows = list(qs.order_by(*_ORDER[params.sort]))
    if params.kind:
        # The kinds live in the findings JSON; filtering here works the same on every database.
        rows = [s for s in rows if any(f.get("kind") == params.kind for f in s.findings)]
    for scan in rows:
        scan.total = sum(int(f.get("count", 0)) for f in scan.findings)  # type: ignore[attr-defined]
        scan.summary = findings_summary(scan.findings)  # type: ignore[attr-defined]
    if params.sort == "-count":
        rows.sort(key=lambda s: -s.total)  # type: ignore[attr-defined]
    return rows


def queue_organizations() -> QuerySet[Organization]:
    return Organization.objects.exclude(state=State.DELETED).only("name", "title")
