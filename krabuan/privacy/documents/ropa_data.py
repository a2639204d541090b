"""What a printed RoPA shows, worked out once for the DOCX, PDF and XLSX writers: each item of
s.39 (or of the processor notification) as its label and lines of text, with BE dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from krabuan.core.thai import format_date, format_datetime
from krabuan.privacy.models import Ropa, RopaKind, RopaRefusal, RopaVersion, VersionStatus
from krabuan.privacy.services.ropa import (
    CONTROLLER_EXTRA,
    CONTROLLER_ITEMS,
    LAWFUL_BASIS_LABELS,
    PROCESSOR_ITEMS,
)

NONE_TEXT = "-"
CONTACT_LABELS = {
    "name": "ชื่อ",
    "address": "ที่อยู่",
    "contact": "ช่องทางติดต่อ",
    "dpo_name": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
    "dpo_contact": "ช่องทางติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
}


@dataclass
class RopaDoc:
    title: str
    unit_name: str
    activity_name: str
    kind: str
    kind_label: str
    number: int
    status_label: str
    approved_by: str
    approved_at: str
    published_at: str
    items: list[tuple[str, list[str]]] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()] or [NONE_TEXT]


def _contact(values: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    lines = [f"{CONTACT_LABELS[k]}: {values[k]}" for k in keys if values.get(k)]
    return lines or [NONE_TEXT]


def refusal_line(refusal: RopaRefusal) -> str:
    reference = (
        f" (คำขอ {refusal.request.reference})" if refusal.request_id and refusal.request else ""
    )
    return (
        f"{format_date(refusal.recorded_at)} {refusal.get_section_display()}{reference}: "
        f"{refusal.reason}"
    )


def user_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def item_lines(version: RopaVersion, refusals: list[RopaRefusal]) -> dict[str, list[str]]:
    """Every item of the version's record as lines of text, keyed by item field."""
    out: dict[str, list[str]] = {
        "data_collected": _lines(version.data_collected),
        "purposes": [f"{r['data']}: {r['purpose']}" for r in version.purposes or []] or [NONE_TEXT],
        "controller": _contact(version.controller or {}, tuple(CONTACT_LABELS)),
        "retention": _lines(version.retention),
        "access_rights": _lines(version.access_rights),
        "exempt_disclosures": _lines(version.exempt_disclosures),
        "security_measures": _lines(version.security_measures),
        "lawful_bases": [LAWFUL_BASIS_LABELS.get(c, c) for c in version.lawful_bases or []]
        or [NONE_TEXT],
        "recipients": _lines(version.recipients),
        "transfers_abroad": _lines(version.transfers_abroad),
        "processor": _contact(version.processor_details or {}, ("name", "address", "contact")),
        "controllers": [
            " · ".join(v for v in (r.get("name"), r.get("address"), r.get("contact")) if v)
            for r in version.controllers or []
        ]
        or [NONE_TEXT],
        "processor_dpo": _contact(version.processor_details or {}, ("dpo_name", "dpo_contact")),
        "processing_nature": _lines(version.processing_nature),
    }
    refusal_lines = [line for line in (version.refusals_note or "").splitlines() if line.strip()]
    refusal_lines += [refusal_line(r) for r in refusals]
    out["refusals"] = refusal_lines or [NONE_TEXT]
    return out


def ropa_doc(ropa: Ropa, version: RopaVersion, refusals: list[RopaRefusal]) -> RopaDoc:
    """One RoPA version ready to print."""
    lines = item_lines(version, refusals)
    labels = (
        CONTROLLER_ITEMS + CONTROLLER_EXTRA if ropa.kind == RopaKind.CONTROLLER else PROCESSOR_ITEMS
    )
    return RopaDoc(
        title=f"บันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล: {ropa.activity.name}",
        unit_name=ropa.activity.unit.name,
        activity_name=ropa.activity.name,
        kind=ropa.kind,
        kind_label=ropa.get_kind_display(),
        number=version.number,
        status_label=version.get_status_display(),
        approved_by=user_name(version.approved_by),
        approved_at=format_datetime(version.approved_at) if version.approved_at else "",
        published_at=format_datetime(version.published_at) if version.published_at else "",
        items=[(label, lines[key]) for key, label in labels],
    )


def register_title(*, published_only: bool) -> str:
    what = "ฉบับที่เผยแพร่" if published_only else "ฉบับล่าสุด"
    return f"ทะเบียนบันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล ({what})"


def register_docs(ropas: Any, *, published_only: bool) -> list[RopaDoc]:
    """The register: each RoPA's published version (or its newest version), skipping RoPAs
    without one. `ropas` come from selectors.records.ropa_register (versions and refusals
    prefetched)."""
    docs = []
    for ropa in ropas:
        versions = list(ropa.versions.all())
        if published_only:
            version = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        else:
            version = versions[0] if versions else None
        if version is not None:
            docs.append(ropa_doc(ropa, version, list(ropa.refusals.all())))
    return docs
