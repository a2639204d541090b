"""The publication audit of process 15 step 9: scan everything the platform publishes for
personal data, with the catalog's own scanner, and record a decision on each finding.

What is scanned: the public pages as an anonymous visitor receives them (the privacy notices,
the public RoPA summary, every public catalog dataset page), rendered through Django's test
client so that exactly the served HTML is read; the text of every published notice version
(Thai and English); and every public catalog resource file stored on the platform. The run is
a background job (core.jobs) with progress; its report is an XLSX of the findings. Findings hold
masked samples only (the scanner never keeps a raw value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import Workbook

from krabuan.catalog.models import Resource, State
from krabuan.catalog.scanner import ScanError, scan_bytes, scan_text
from krabuan.catalog.selectors import visible_datasets
from krabuan.core.audit import audit_record
from krabuan.core.documents import XLSX_CONTENT_TYPE, xlsx_bytes, xlsx_header, xlsx_row
from krabuan.core.errors import Conflict, NotFound, PermissionDenied, field_error
from krabuan.core.jobs import JobResult, Progress, job_create, register
from krabuan.core.models import Job, JobStatus
from krabuan.core.thai import format_datetime, normalize_text
from krabuan.privacy.models import NoticeVersion, PrivacyNotice, PublicationAudit, VersionStatus
from krabuan.privacy.permissions import is_privacy_team

JOB_KIND = "privacy.publication_audit"
DECISIONS = {
    "removed": "นำข้อมูลส่วนบุคคลออกแล้ว",
    "masked": "ปกปิดข้อมูลแล้ว",
    "justified": "เผยแพร่ได้ (มีเหตุผล เช่น ข้อมูลติดต่อของหน่วยงาน)",
    "false_positive": "ไม่ใช่ข้อมูลส่วนบุคคล",
}
KIND_LABELS = {
    "thai_id": "เลขประจำตัวประชาชน",
    "phone": "หมายเลขโทรศัพท์",
    "email": "อีเมล",
    "bank_account": "เลขบัญชีธนาคาร",
    "column_name": "คอลัมน์ที่ชื่อบ่งว่าเป็นข้อมูลส่วนบุคคล",
}
MAX_NOTE = 2000
REPORT_HEADERS = [
    "รายการ",
    "ที่อยู่",
    "ชนิดข้อมูลที่พบ",
    "คอลัมน์",
    "จำนวน",
    "ตัวอย่าง (ปกปิด)",
    "การตัดสินใจ",
    "บันทึก",
]


@dataclass(frozen=True)
class Target:
    """One published thing to scan: `scan` returns its findings (ScanError when unreadable)."""

    target: str
    title: str
    url: str
    scan: Callable[[], list[dict[str, Any]]]


def _url(name: str, *args: Any, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _client() -> tuple[Client, bool]:
    # The site's own address, so ALLOWED_HOSTS accepts the request as it would a visitor's.
    site = urlsplit(getattr(settings, "KRABUAN_SITE_URL", "") or "http://localhost")
    return Client(HTTP_HOST=site.netloc or "localhost", raise_request_exception=False), (
        site.scheme == "https"
    )


def _page(path: str) -> Callable[[], list[dict[str, Any]]]:
    def scan() -> list[dict[str, Any]]:
        client, secure = _client()
        response = client.get(path, secure=secure)
        if response.status_code != 200:
            raise ScanError(f"เปิดหน้า {path} ไม่ได้ (HTTP {response.status_code})")
        charset = response.charset or "utf-8"
        return scan_text(response.content.decode(charset, errors="replace"))

    return scan


def _notice_text(version: NoticeVersion) -> Callable[[], list[dict[str, Any]]]:
    def scan() -> list[dict[str, Any]]:
        findings = scan_text(version.body_th)
        for item in scan_text(version.body_en):
            findings.append({**item, "column": "body_en"})
        return findings

    return scan


def _resource_file(resource: Resource) -> Callable[[], list[dict[str, Any]]]:
    def scan() -> list[dict[str, Any]]:
        try:
            with resource.upload.open("rb") as handle:
                content = handle.read()
        except (FileNotFoundError, OSError):
            raise ScanError("ไม่พบไฟล์ของทรัพยากรนี้ในที่เก็บไฟล์") from None
        name = (resource.upload.name or "file").rsplit("/", 1)[-1]
        return scan_bytes(content, filename=name).findings

    return scan


def publication_targets() -> Iterator[Target]:
    """Everything the platform serves to the public, in a stable order."""
    listing = _url("privacy:notice_public_list", fallback="/privacy/notices/")
    yield Target("page:" + listing, "หน้ารวมประกาศความเป็นส่วนตัว", listing, _page(listing))
    published = (
        NoticeVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("notice")
        .order_by("notice__slug", "number")
    )
    for version in published:
        notice: PrivacyNotice = version.notice
        path = _url(
            "privacy:notice_public", notice.slug, fallback=f"/privacy/notices/{notice.slug}/"
        )
        yield Target("page:" + path, f"หน้าประกาศ: {notice.title}", path, _page(path))
        yield Target(
            f"notice:{notice.slug}:v{version.number}",
            f"เนื้อหาประกาศ {notice.title} ฉบับที่ {version.number}",
            path,
            _notice_text(version),
        )
    summary = _url("privacy:ropa_summary", fallback="/privacy/ropa-summary/")
    yield Target("page:" + summary, "สรุปบันทึกกิจกรรมการประมวลผล (สาธารณะ)", summary, _page(summary))
    datasets = visible_datasets(AnonymousUser()).order_by("name")
    for dataset in datasets:
        path = _url("catalog:dataset", dataset.name, fallback=f"/dataset/{dataset.name}/")
        yield Target("page:" + path, f"ชุดข้อมูล: {dataset.title}", path, _page(path))
    resources = (
        Resource.objects.filter(dataset__in=datasets, state=State.ACTIVE, resource_private=False)
        .exclude(upload="")
        .select_related("dataset")
        .order_by("dataset__name", "position", "name")
    )
    for resource in resources:
        path = _url(
            "catalog:resource",
            resource.dataset.name,
            resource.pk,
            fallback=f"/dataset/{resource.dataset.name}/resource/{resource.pk}/",
        )
        yield Target(
            f"resource:{resource.pk}",
            f"ไฟล์: {resource.name or resource.upload.name} ({resource.dataset.title})",
            path,
            _resource_file(resource),
        )


# --- the job -----------------------------------------------------------------------------------


@transaction.atomic
def publication_audit_start(*, actor: Any) -> PublicationAudit:
    """Queue a run (the privacy team only; one run at a time)."""
    if not is_privacy_team(actor):
        raise PermissionDenied("เฉพาะ DPO และคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเท่านั้น")
    running = PublicationAudit.objects.filter(finished_at__isnull=True, job_id__isnull=False)
    busy = Job.objects.filter(
        pk__in=running.values("job_id"), status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    if busy.exists():
        raise Conflict("มีการตรวจสอบการเผยแพร่ที่กำลังทำงานอยู่ กรุณารอให้เสร็จก่อน", code="audit_running")
    audit = PublicationAudit.objects.create(started_by=actor)
    job = job_create(
        kind=JOB_KIND,
        title=f"ตรวจสอบการเผยแพร่ข้อมูลส่วนบุคคล ครั้งที่ {audit.pk}",
        params={"audit_id": audit.pk},
        user=actor,
    )
    audit.job_id = job.pk
    audit.save(update_fields=["job_id", "updated_at"])
    audit_record(actor=actor, action="privacy.publication_audit.start", obj=audit)
    return audit


def publication_audit_run(*, audit: PublicationAudit, progress: Progress | None = None) -> None:
    """Scan every target and store the items with findings (or that could not be read)."""
    targets = list(publication_targets())
    items: list[dict[str, Any]] = []
    for index, target in enumerate(targets):
        if progress:
            progress(int(index * 100 / max(len(targets), 1)), f"ตรวจ {target.title}"[:255])
        error = ""
        try:
            findings = target.scan()
        except ScanError as exc:
            findings, error = [], str(exc)
        if findings or error:
            items.append(
                {
                    "target": target.target,
                    "title": target.title,
                    "url": target.url,
                    "findings": findings,
                    "error": error,
                    "decision": "",
                    "note": "",
                    "decided_by": None,
                    "decided_at": None,
                }
            )
    audit.findings = items
    audit.items_scanned = len(targets)
    audit.finished_at = timezone.now()
    audit.save(update_fields=["findings", "items_scanned", "finished_at", "updated_at"])
    audit_record(
        actor=audit.started_by,
        action="privacy.publication_audit.finish",
        obj=audit,
        changes={"items_scanned": len(targets), "items_with_findings": len(items)},
    )


def report_xlsx(audit: PublicationAudit) -> bytes:
    """One row per finding (and per unreadable item), with the decision so far."""
    book = Workbook()
    sheet = book.active
    sheet.title = "ผลการตรวจสอบ"
    xlsx_header(
        sheet,
        1,
        ["รายการ", "ที่อยู่", "ชนิดข้อมูลที่พบ", "คอลัมน์", "จำนวน", "ตัวอย่าง (ปกปิด)", "การตัดสินใจ", "บันทึก"],
    )
    row = 2
    for item in audit.findings:
        decision = DECISIONS.get(item.get("decision", ""), "")
        lines = item["findings"] or [
            {"kind": "", "column": "", "count": "", "sample": item["error"]}
        ]
        for finding in lines:
            xlsx_row(
                sheet,
                row,
                [
                    item["title"],
                    item["url"],
                    KIND_LABELS.get(finding.get("kind", ""), finding.get("kind", "")),
                    finding.get("column", ""),
                    finding.get("count", ""),
                    finding.get("sample", ""),
                    decision,
                    item.get("note", ""),
                ],
            )
            row += 1
    return xlsx_bytes(book)


@register(JOB_KIND)
def _publication_audit_job(job: Job, progress: Progress) -> JobResult:
    audit = PublicationAudit.objects.get(pk=job.params["audit_id"])
    publication_audit_run(audit=audit, progress=progress)
    return JobResult(
        filename=f"publication-audit-{audit.pk}.xlsx",
        content=report_xlsx(audit),
        content_type=XLSX_CONTENT_TYPE,
    )


# --- decisions ---------------------------------------------------------------------------------


def publication_audit_get(*, user: Any, audit_id: Any) -> PublicationAudit:
    """An audit for the privacy team; NotFound for everyone else."""
    try:
        pk = int(audit_id)
    except (TypeError, ValueError):
        pk = 0
    audit = PublicationAudit.objects.filter(pk=pk).first() if 1 <= pk <= 2**31 - 1 else None
    if audit is None or not is_privacy_team(user):
        raise NotFound("ไม่พบผลการตรวจสอบการเผยแพร่", code="publication_audit_not_found")
    return audit


@transaction.atomic
def publication_audit_decide(
    *, actor: Any, audit: PublicationAudit, index: int, decision: str, note: str
) -> PublicationAudit:
    """Record what was done about one item's findings (the team only; audited)."""
    if not is_privacy_team(actor):
        raise PermissionDenied("เฉพาะ DPO และคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเท่านั้น")
    audit = PublicationAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.finished_at is None:
        raise Conflict("การตรวจสอบยังไม่เสร็จ", code="audit_not_finished")
    if not isinstance(index, int) or not 0 <= index < len(audit.findings):
        raise field_error("index", "ไม่พบรายการที่ตรวจพบนี้")
    if decision not in DECISIONS:
        raise field_error("decision", "กรุณาเลือกการตัดสินใจ: " + ", ".join(DECISIONS.values()))
    text = normalize_text(note) if isinstance(note, str) else ""
    if not text:
        raise field_error("note", "กรุณาบันทึกเหตุผลหรือสิ่งที่ดำเนินการ", code="required")
    if len(text) > MAX_NOTE:
        raise field_error("note", f"บันทึกต้องยาวไม่เกิน {MAX_NOTE} ตัวอักษร")
    items = list(audit.findings)
    item = dict(items[index])
    before = {"decision": item.get("decision", ""), "note": item.get("note", "")}
    item.update(
        decision=decision, note=text, decided_by=actor.pk, decided_at=timezone.now().isoformat()
    )
    items[index] = item
    audit.findings = items
    audit.save(update_fields=["findings", "updated_at"])
    audit_record(
        actor=actor,
        action="privacy.publication_audit.decide",
        obj=audit,
        changes={
            "index": index,
            "target": item["target"],
            "decision": [before["decision"], decision],
            "note": [before["note"], text],
        },
    )
    return audit


def decided_at_text(item: dict[str, Any]) -> str:
    raw = item.get("decided_at")
    return format_datetime(dt.datetime.fromisoformat(raw), short=True) if raw else ""
