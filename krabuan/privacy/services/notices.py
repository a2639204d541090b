"""Privacy notices (s.23) per activity or service: a stable slug, versions with Thai and English
bodies, approval by the head of the owning unit, and publication at /privacy/notices/<slug>/.
The versions follow the RoPA's rules: draft → submitted → approved → published, and publishing
supersedes the version published before."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import Conflict, PermissionDenied, field_error
from krabuan.core.thai import normalize_text
from krabuan.org.models import Unit
from krabuan.privacy.models import (
    NoticeVersion,
    PrivacyNotice,
    ProcessingActivity,
    VersionStatus,
)
from krabuan.privacy.permissions import can_approve_for_unit
from krabuan.privacy.services.inventory import require_unit_editor
from krabuan.privacy.services.members import clean_text, clean_unit
from krabuan.privacy.services.ropa import can_publish

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,78}[a-z0-9])$")
MAX_BODY = 100_000


def _slug(value: str) -> str:
    slug = normalize_text(value).lower()
    if not slug:
        raise field_error("slug", "กรุณากรอกชื่อ URL", code="required")
    if not SLUG.match(slug) or "--" in slug:
        raise field_error(
            "slug",
            "ชื่อ URL ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) ยาว 3–80 ตัว เช่น service-desk",
        )
    return slug


def _activity(activity: ProcessingActivity | None, unit: Unit) -> ProcessingActivity | None:
    if activity is not None and activity.unit_id != unit.pk:
        raise field_error("activity", "กิจกรรมที่เลือกไม่ใช่ของหน่วยงานนี้")
    return activity


@transaction.atomic
def notice_create(
    *,
    actor: Any,
    slug: str,
    title: str,
    unit: Unit | None,
    title_en: str = "",
    activity: ProcessingActivity | None = None,
) -> PrivacyNotice:
    """A new notice; its slug is the stable public address and never changes."""
    owner = clean_unit(unit)
    require_unit_editor(actor, owner.pk)
    clean_slug = _slug(slug)
    if PrivacyNotice.objects.filter(slug=clean_slug).exists():
        raise Conflict("ชื่อ URL นี้มีผู้ใช้แล้ว", fields={"slug": ["ชื่อ URL นี้มีผู้ใช้แล้ว"]})
    notice = PrivacyNotice.objects.create(
        slug=clean_slug,
        title=clean_text(title, field="title", label="ชื่อประกาศ", limit=300, required=True),
        title_en=clean_text(
            title_en, field="title_en", label="ชื่อภาษาอังกฤษ", limit=300, required=False
        ),
        unit=owner,
        activity=_activity(activity, owner),
    )
    audit_record(actor=actor, action="privacy.notice_create", obj=notice, changes=snapshot(notice))
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: Any,
    notice: PrivacyNotice,
    title: str,
    unit: Unit | None,
    title_en: str = "",
    activity: ProcessingActivity | None = None,
) -> PrivacyNotice:
    """Change a notice's titles, unit or activity (not its slug: the public URL is stable)."""
    require_unit_editor(actor, notice.unit_id)
    owner = clean_unit(unit)
    require_unit_editor(actor, owner.pk)
    notice = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
    before = snapshot(notice)
    notice.title = clean_text(title, field="title", label="ชื่อประกาศ", limit=300, required=True)
    notice.title_en = clean_text(
        title_en, field="title_en", label="ชื่อภาษาอังกฤษ", limit=300, required=False
    )
    notice.unit, notice.activity = owner, _activity(activity, owner)
    notice.save()
    audit_record(
        actor=actor,
        action="privacy.notice_update",
        obj=notice,
        changes=diff(before, snapshot(notice)),
    )
    return notice


def _body(value: str, *, field: str, label: str, required: bool) -> str:
    text = normalize_text(value)
    if required and not text:
        raise field_error(field, f"กรุณากรอก{label}", code="required")
    if len(text) > MAX_BODY:
        raise field_error(field, f"{label}ยาวเกิน {MAX_BODY:,} ตัวอักษร", code="max_length")
    return text


@transaction.atomic
def notice_draft_save(
    *, actor: Any, notice: PrivacyNotice, body_th: str, body_en: str = ""
) -> NoticeVersion:
    """Save the working version (update a draft, reopen an unpublished approved version, or
    open a new draft); a version waiting for approval cannot change."""
    notice = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
    require_unit_editor(actor, notice.unit_id)
    content = {
        "body_th": _body(body_th, field="body_th", label="เนื้อหาภาษาไทย", required=True),
        "body_en": _body(body_en, field="body_en", label="เนื้อหาภาษาอังกฤษ", required=False),
    }
    working = (
        notice.versions.filter(
            status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]
        )
        .order_by("-number")
        .first()
    )
    if working is not None and working.status == VersionStatus.SUBMITTED:
        raise Conflict(f"ฉบับที่ {working.number} รออนุมัติอยู่ แก้ไขไม่ได้", code="version_submitted")
    if working is None:
        number = (notice.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = NoticeVersion.objects.create(
            notice=notice, number=number, created_by=actor, **content
        )
        audit_record(
            actor=actor,
            action="privacy.notice_version_create",
            obj=version,
            changes=snapshot(version),
        )
        return version
    before = snapshot(working)
    working.body_th, working.body_en = content["body_th"], content["body_en"]
    action = "privacy.notice_version_update"
    if working.status == VersionStatus.APPROVED:
        action = "privacy.notice_version_reopen"
        working.status, working.approved_by, working.approved_at = VersionStatus.DRAFT, None, None
    working.save()
    audit_record(actor=actor, action=action, obj=working, changes=diff(before, snapshot(working)))
    return working


def _locked(version: NoticeVersion) -> NoticeVersion:
    return NoticeVersion.objects.select_for_update().select_related("notice").get(pk=version.pk)


def _move(
    *, actor: Any, version: NoticeVersion, to: str, action: str, note: str = "", **fields: Any
) -> NoticeVersion:
    before = snapshot(version)
    version.status = to
    for key, value in fields.items():
        setattr(version, key, value)
    version.save()
    changes = diff(before, snapshot(version))
    if note:
        changes["note"] = note
    audit_record(actor=actor, action=action, obj=version, changes=changes)
    return version


@transaction.atomic
def notice_submit(*, actor: Any, version: NoticeVersion) -> NoticeVersion:
    version = _locked(version)
    require_unit_editor(actor, version.notice.unit_id)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("ส่งขออนุมัติได้เฉพาะฉบับร่าง", code="not_draft")
    if not version.body_th:
        raise field_error("body_th", "กรุณากรอกเนื้อหาภาษาไทย", code="required")
    return _move(
        actor=actor, version=version, to=VersionStatus.SUBMITTED, action="privacy.notice_submit"
    )


@transaction.atomic
def notice_approve(*, actor: Any, version: NoticeVersion, note: str = "") -> NoticeVersion:
    """The head of the notice's unit approves a submitted version."""
    version = _locked(version)
    if not can_approve_for_unit(actor, version.notice.unit_id):
        raise PermissionDenied("เฉพาะหัวหน้าหน่วยงานเจ้าของประกาศ (หรือผู้อำนวยการ) อนุมัติได้")
    if version.status != VersionStatus.SUBMITTED:
        raise Conflict("อนุมัติได้เฉพาะฉบับที่ส่งขออนุมัติแล้ว", code="not_submitted")
    return _move(
        actor=actor,
        version=version,
        to=VersionStatus.APPROVED,
        action="privacy.notice_approve",
        note=normalize_text(note)[:2000],
        approved_by=actor,
        approved_at=timezone.now(),
    )


@transaction.atomic
def notice_return(*, actor: Any, version: NoticeVersion, note: str) -> NoticeVersion:
    version = _locked(version)
    if not can_approve_for_unit(actor, version.notice.unit_id):
        raise PermissionDenied("เฉพาะหัวหน้าหน่วยงานเจ้าของประกาศ (หรือผู้อำนวยการ) ส่งกลับได้")
    if version.status != VersionStatus.SUBMITTED:
        raise Conflict("ส่งกลับได้เฉพาะฉบับที่รออนุมัติ", code="not_submitted")
    reason = normalize_text(note)[:2000]
    if not reason:
        raise field_error("note", "กรุณาระบุเหตุผลที่ส่งกลับแก้ไข", code="required")
    return _move(
        actor=actor,
        version=version,
        to=VersionStatus.DRAFT,
        action="privacy.notice_return",
        note=reason,
    )


@transaction.atomic
def notice_publish(*, actor: Any, version: NoticeVersion) -> NoticeVersion:
    """Publish an approved version at the notice's stable URL; the earlier one is superseded
    (and stays readable in the public history)."""
    version = _locked(version)
    if not can_publish(actor, version.notice.unit_id):
        raise PermissionDenied("เฉพาะหัวหน้าหน่วยงานหรือคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเผยแพร่ได้")
    if version.status != VersionStatus.APPROVED:
        raise Conflict("เผยแพร่ได้เฉพาะฉบับที่อนุมัติแล้ว", code="not_approved")
    for old in NoticeVersion.objects.select_for_update().filter(
        notice_id=version.notice_id, status=VersionStatus.PUBLISHED
    ):
        _move(
            actor=actor, version=old, to=VersionStatus.SUPERSEDED, action="privacy.notice_supersede"
        )
    return _move(
        actor=actor,
        version=version,
        to=VersionStatus.PUBLISHED,
        action="privacy.notice_publish",
        published_at=timezone.now(),
    )
