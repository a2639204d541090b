"""The personal-data guard: scan uploaded files, tell what blocks publishing, record a data
steward's decision.

A scan belongs to one file version, keyed by the file's sha256: a new upload gets a new scan
and old decisions no longer apply. Files up to 2 MB are scanned inline (the uploader sees the
result at once); larger ones by the Huey worker, which saves its progress on the scan row.

Decisions: "justify" clears that exact file for publishing, with the steward's reason.
"remove" and "mask" are the steward's instruction that this file must not go out as it is: the
file stays blocked until it is replaced — by a new upload, or by the masked export
(`resource_replace_with_masked`) — and the new file's own scan decides."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from typing import IO, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krabuan.catalog import scanner
from krabuan.catalog.models import (
    Dataset,
    DecisionKind,
    PersonalDataScan,
    Resource,
    ScanDecision,
    ScanStatus,
    State,
)
from krabuan.catalog.permissions import is_data_steward
from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, PermissionDenied, field_error
from krabuan.core.thai import normalize_text

logger = logging.getLogger(__name__)

INLINE_LIMIT = 2 * 1024 * 1024  # bytes scanned inside the request
STALE_AFTER = dt.timedelta(minutes=30)  # a queued/running scan this old may be restarted
_SHA256 = re.compile(r"[0-9a-f]{64}")

KIND_LABELS = {
    "thai_id": gettext_lazy("เลขประจำตัวประชาชน"),
    "phone": gettext_lazy("หมายเลขโทรศัพท์"),
    "email": gettext_lazy("อีเมล"),
    "bank_account": gettext_lazy("เลขที่บัญชีธนาคาร"),
    "column_name": gettext_lazy("คอลัมน์ที่ชื่อบ่งชี้ข้อมูลส่วนบุคคล"),
}
CATEGORY_LABELS = {
    "name": gettext_lazy("ชื่อ-นามสกุล"),
    "address": gettext_lazy("ที่อยู่"),
    "id": gettext_lazy("เลขประจำตัว"),
    "phone": gettext_lazy("โทรศัพท์"),
    "email": gettext_lazy("อีเมล"),
    "birth_date": gettext_lazy("วันเกิด"),
    "bank_account": gettext_lazy("บัญชีธนาคาร"),
}


# --- the file and its current scan -----------------------------------------------------------


def has_file(resource: Resource) -> bool:
    """An active resource with a stored upload (links are not scanned: the file is elsewhere)."""
    return (
        resource.state != State.DELETED
        and resource.url_type == "upload"
        and bool(resource.upload and resource.upload.name)
    )


def stored_name(resource: Resource) -> str:
    """The storage name of the resource's upload ("" when there is none)."""
    return (resource.upload.name or "") if resource.upload else ""


def open_file(resource: Resource) -> IO[bytes]:
    """The stored upload as a seekable binary stream (close it after use)."""
    stored = resource.upload.storage.open(stored_name(resource), "rb")
    raw = getattr(stored, "file", stored)
    if isinstance(raw, io.BytesIO):
        # In-memory storages hand out their one buffer: scan a copy, so closing it is harmless.
        return io.BytesIO(raw.getvalue())
    if not (hasattr(raw, "seek") and raw.seekable()):
        return io.BytesIO(stored.read())
    return raw  # type: ignore[no-any-return]


def file_hash(resource: Resource) -> str:
    """The sha256 of the stored file (the resource service records it at upload)."""
    if _SHA256.fullmatch(resource.hash or ""):
        return resource.hash
    digest = hashlib.sha256()
    stream = open_file(resource)
    try:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    finally:
        stream.close()
    return digest.hexdigest()


def _file_size(resource: Resource) -> int:
    if resource.size is not None:
        return resource.size
    return int(resource.upload.storage.size(stored_name(resource)))


def current_scan(resource: Resource) -> PersonalDataScan | None:
    """The latest scan of the file the resource holds now, or None."""
    if not has_file(resource):
        return None
    return (
        PersonalDataScan.objects.filter(resource=resource, file_hash=file_hash(resource))
        .select_related("decision", "decision__decided_by")
        .first()
    )


def scan_stale(scan: PersonalDataScan) -> bool:
    return scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING) and (
        timezone.now() - scan.created_at > STALE_AFTER
    )


# --- scanning ---------------------------------------------------------------------------------


def scan_resource(*, resource: Resource, actor: Any) -> PersonalDataScan | None:
    """Scan the resource's file unless this exact file already has a scan (queued, running or
    finished, with its decision). None for a resource without an uploaded file."""
    if not has_file(resource):
        return None
    digest = file_hash(resource)
    existing = PersonalDataScan.objects.filter(resource=resource, file_hash=digest).first()
    if existing is not None and existing.status != ScanStatus.FAILED and not scan_stale(existing):
        return existing
    return _scan_start(resource=resource, actor=actor, digest=digest)


def scan_restart(*, actor: Any, resource: Resource) -> PersonalDataScan:
    """Scan the current file again: allowed when its last scan failed or is stuck."""
    scan = current_scan(resource)
    if not has_file(resource):
        raise Conflict(_("ทรัพยากรนี้ไม่มีไฟล์ที่อัปโหลดให้ตรวจ"), code="guard_no_file")
    if scan is not None and scan.status != ScanStatus.FAILED and not scan_stale(scan):
        raise Conflict(_("ผลการตรวจไฟล์นี้เป็นปัจจุบันแล้ว ไม่ต้องตรวจใหม่"), code="guard_scan_current")
    return _scan_start(resource=resource, actor=actor, digest=file_hash(resource))


def _scan_start(*, resource: Resource, actor: Any, digest: str) -> PersonalDataScan:
    with transaction.atomic():
        scan = PersonalDataScan.objects.create(
            resource=resource,
            file_hash=digest,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="catalog.personal_data_scan",
            obj=scan,
            changes={"resource": str(resource.pk), "file_hash": digest},
        )
        if _file_size(resource) <= INLINE_LIMIT:
            scan_run(scan_id=scan.pk)
            scan.refresh_from_db()
        else:
            from krabuan.catalog.guard_tasks import guard_scan_task

            scan_id = scan.pk
            transaction.on_commit(lambda: guard_scan_task(scan_id))
    return scan


def scan_run(*, scan_id: int, background: bool = False) -> None:
    """Run one queued scan (inline or in the worker); a scan already taken is left alone. A
    background scan that finds something tells the uploader (an inline one shows it at once)."""
    claimed = PersonalDataScan.objects.filter(pk=scan_id, status=ScanStatus.QUEUED).update(
        status=ScanStatus.RUNNING, progress=0
    )
    if not claimed:
        return
    scan = PersonalDataScan.objects.select_related("resource").get(pk=scan_id)
    resource = scan.resource

    def save_progress(percent: int, message: str) -> None:
        PersonalDataScan.objects.filter(pk=scan_id).update(progress=max(0, min(percent, 100)))

    try:
        if not has_file(resource) or file_hash(resource) != scan.file_hash:
            raise scanner.ScanError(_("ไฟล์ถูกแทนที่หรือลบก่อนตรวจ ผลการตรวจของไฟล์ใหม่แสดงแยกต่างหาก"))
        stream = open_file(resource)
        try:
            result = scanner.scan_stream(
                stream, filename=stored_name(resource), progress=save_progress
            )
        finally:
            stream.close()
    except scanner.ScanError as exc:
        _scan_finish(scan_id, ScanStatus.FAILED, error=str(exc))
        return
    except Exception:  # the scan is shown as failed and may be restarted; the worker goes on
        logger.exception("personal-data scan %s failed", scan_id)
        _scan_finish(
            scan_id, ScanStatus.FAILED, error=_("ตรวจไฟล์ไม่สำเร็จเพราะระบบขัดข้อง กรุณาสั่งตรวจใหม่")
        )
        return
    status = ScanStatus.FINDINGS if result.findings else ScanStatus.CLEAN
    _scan_finish(scan_id, status, findings=result.findings, rows=result.rows)
    if status == ScanStatus.FINDINGS and background:
        _tell_requester(scan_id)
    if status == ScanStatus.CLEAN:
        from krabuan.catalog.services.resources import resource_publish_after_scan

        resource_publish_after_scan(scan_id=scan_id)


def _scan_finish(
    scan_id: int,
    status: str,
    *,
    findings: list[dict[str, Any]] | None = None,
    rows: int = 0,
    error: str = "",
) -> None:
    PersonalDataScan.objects.filter(pk=scan_id).update(
        status=status,
        findings=findings or [],
        rows_scanned=rows,
        progress=100,
        error=error[:2000],
        finished_at=timezone.now(),
    )


def _tell_requester(scan_id: int) -> None:
    from krabuan.notify.services import notify

    scan = PersonalDataScan.objects.select_related("resource", "requested_by").get(pk=scan_id)
    if scan.requested_by is None:
        return
    notify(
        user=scan.requested_by,
        subject=_("พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคลในไฟล์ %(name)s") % {"name": scan.resource.name},
        body=_("ชุดข้อมูลนี้จะเผยแพร่ได้เมื่อผู้ดูแลข้อมูลบันทึกการตัดสินใจ: %(summary)s")
        % {"summary": findings_summary(scan.findings)},
        link=reverse("catalog:guard_scan", args=[scan.resource_id]),
        dedupe_key=f"catalog-guard-scan-{scan_id}",
        kind="catalog_guard",
    )


# --- what blocks publishing -------------------------------------------------------------------


def findings_summary(findings: list[dict[str, Any]]) -> str:
    """ "เลขประจำตัวประชาชน 3 รายการ, อีเมล 1 รายการ" (counts per kind)."""
    counts: dict[str, int] = {}
    for item in findings:
        counts[item["kind"]] = counts.get(item["kind"], 0) + int(item.get("count", 0))
    return ", ".join(
        _("%(kind)s %(n)s รายการ") % {"kind": KIND_LABELS.get(k, k), "n": f"{n:,}"}
        for k, n in counts.items()
    )


def scan_blocker(resource: Resource, scan: PersonalDataScan | None) -> str | None:
    """Why this file may not go public yet (Thai), or None when it may."""
    name = resource.name
    if scan is None:
        return _("ไฟล์ของทรัพยากร «%(name)s» ยังไม่ได้ตรวจหาข้อมูลส่วนบุคคล") % {"name": name}
    decision = getattr(scan, "decision", None)
    if scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING):
        return _("กำลังตรวจหาข้อมูลส่วนบุคคลในไฟล์ของทรัพยากร «%(name)s» (%(p)s%%)") % {
            "name": name,
            "p": scan.progress,
        }
    if scan.status == ScanStatus.CLEAN:
        return None
    if decision is not None and decision.kind == DecisionKind.JUSTIFY:
        return None
    if decision is not None:
        return _(
            "ผู้ดูแลข้อมูลให้%(kind)sในไฟล์ของทรัพยากร «%(name)s» ต้องอัปโหลดไฟล์ใหม่"
            "หรือแทนที่ด้วยไฟล์ที่ปกปิดข้อมูลแล้วก่อนเผยแพร่"
        ) % {
            "kind": _("นำข้อมูลส่วนบุคคลออก")
            if decision.kind == DecisionKind.REMOVE
            else _("ปกปิดข้อมูล"),
            "name": name,
        }
    if scan.status == ScanStatus.FAILED:
        return _(
            "ตรวจไฟล์ของทรัพยากร «%(name)s» ไม่สำเร็จ (%(error)s) และยังไม่มีการตัดสินใจของผู้ดูแลข้อมูล"
        ) % {
            "name": name,
            "error": scan.error,
        }
    return _(
        "ไฟล์ของทรัพยากร «%(name)s» มีข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล (%(summary)s) "
        "และยังไม่มีการตัดสินใจของผู้ดูแลข้อมูล"
    ) % {"name": name, "summary": findings_summary(scan.findings)}


def resource_publish_blockers(resource: Resource) -> list[str]:
    """Reasons this resource's file may not be public (empty for links and cleared files)."""
    if not has_file(resource):
        return []
    blocker = scan_blocker(resource, current_scan(resource))
    return [blocker] if blocker else []


def publish_blockers(dataset: Dataset) -> list[str]:
    """Reasons the dataset may not go public: one per resource that would be shown (resources
    kept private with resource_private do not go out, so they do not block)."""
    blockers: list[str] = []
    resources = dataset.resources.exclude(state=State.DELETED).filter(
        url_type="upload", resource_private=False
    )
    for resource in resources.order_by("position", "created"):
        blockers += resource_publish_blockers(resource)
    return blockers


# --- decisions --------------------------------------------------------------------------------


@transaction.atomic
def decision_record(*, actor: Any, scan: PersonalDataScan, kind: str, note: str) -> ScanDecision:
    """A data steward decides on a scan with findings (or one that failed): remove, mask or
    justify, always with a note. A later decision on the same scan replaces it (audited)."""
    if not is_data_steward(actor):
        raise PermissionDenied(
            _("เฉพาะผู้ดูแลข้อมูล (DPO หัวหน้ากลุ่ม ผู้อำนวยการ) บันทึกการตัดสินใจได้"),
            code="guard_not_steward",
        )
    if kind not in DecisionKind.values:
        raise field_error("kind", _("การตัดสินใจ: กรุณาเลือก นำออก ปกปิด หรือเผยแพร่พร้อมเหตุผล"))
    note = normalize_text(note or "").strip()
    if not note:
        raise field_error("note", _("เหตุผล/บันทึก: กรุณาระบุเหตุผลของการตัดสินใจ"), code="required")
    if len(note) > 4000:
        raise field_error("note", _("เหตุผล/บันทึก: ยาวได้ไม่เกิน 4,000 ตัวอักษร"))
    scan = PersonalDataScan.objects.select_for_update().select_related("resource").get(pk=scan.pk)
    if scan.status not in (ScanStatus.FINDINGS, ScanStatus.FAILED):
        raise Conflict(_("ผลการตรวจนี้ไม่มีสิ่งที่ต้องตัดสินใจ"), code="guard_nothing_to_decide")
    current = current_scan(scan.resource)
    if current is None or current.pk != scan.pk:
        raise Conflict(
            _("ผลการตรวจนี้เป็นของไฟล์ฉบับเก่า กรุณาตัดสินใจจากผลการตรวจไฟล์ปัจจุบัน"),
            code="guard_scan_outdated",
        )
    decision = ScanDecision.objects.filter(scan=scan).first()
    before = snapshot(decision, ["kind", "note", "decided_by_id"]) if decision else {}
    if decision is None:
        decision = ScanDecision(scan=scan)
    decision.kind = kind
    decision.note = note
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.save()
    after = snapshot(decision, ["kind", "note", "decided_by_id"])
    audit_record(
        actor=actor,
        action="catalog.personal_data_decision",
        obj=decision,
        changes={
            **diff(before, after),
            "scan": scan.pk,
            "resource": str(scan.resource_id),
            "file_hash": scan.file_hash,
        },
    )
    return decision
