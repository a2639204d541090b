"""The record of processing activities (RoPA): the controller record with the eight s.39 items
and the processor record with the six items of the 2022 notification, kept in versions.

A version moves draft → submitted → approved → published. Editing changes the working version
(a draft, or an approved version that has not been published, which goes back to draft); when
there is none a new draft is opened. A version cannot be submitted while an item is missing.
The unit head approves (the control point of process 15 step 4); only an approved version is
published, and publishing supersedes the one published before. Refused requests and objections
(s.39(7)) are appended to the RoPA itself by `ropa_record_refusal`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from krabuan.core.audit import audit_record, diff, snapshot
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied, field_error
from krabuan.core.thai import normalize_text
from krabuan.privacy.models import (
    DataSubjectRequest,
    ProcessingActivity,
    RefusalSection,
    Ropa,
    RopaKind,
    RopaRefusal,
    RopaVersion,
    VersionStatus,
)
from krabuan.privacy.permissions import can_approve_for_unit, is_privacy_team
from krabuan.privacy.selectors.records import activity_sensitive
from krabuan.privacy.services.inventory import require_unit_editor

# Lawful bases (s.24 for general data, s.26 for sensitive data, consent under s.19).
LAWFUL_BASES: list[tuple[str, str]] = [
    ("consent", "ความยินยอม (มาตรา 19)"),
    ("s24_1", "มาตรา 24 (1) จดหมายเหตุ วิจัย หรือสถิติ"),
    ("s24_2", "มาตรา 24 (2) ป้องกันหรือระงับอันตรายต่อชีวิต ร่างกาย หรือสุขภาพ"),
    ("s24_3", "มาตรา 24 (3) จำเป็นเพื่อการปฏิบัติตามสัญญา"),
    ("s24_4", "มาตรา 24 (4) ภารกิจเพื่อประโยชน์สาธารณะหรือการใช้อำนาจรัฐ"),
    ("s24_5", "มาตรา 24 (5) ประโยชน์โดยชอบด้วยกฎหมาย"),
    ("s24_6", "มาตรา 24 (6) ปฏิบัติตามกฎหมาย"),
    ("explicit_consent", "ความยินยอมโดยชัดแจ้ง (มาตรา 26)"),
    ("s26_1", "มาตรา 26 (1) ป้องกันอันตรายต่อชีวิต ร่างกาย สุขภาพ เมื่อขอความยินยอมไม่ได้"),
    ("s26_2", "มาตรา 26 (2) กิจกรรมของมูลนิธิ สมาคม หรือองค์กรไม่แสวงหากำไร"),
    ("s26_3", "มาตรา 26 (3) ข้อมูลที่เปิดเผยต่อสาธารณะด้วยความยินยอมโดยชัดแจ้ง"),
    ("s26_4", "มาตรา 26 (4) ก่อตั้ง ปฏิบัติตาม ใช้ หรือยกขึ้นต่อสู้สิทธิเรียกร้องตามกฎหมาย"),
    ("s26_5a", "มาตรา 26 (5) (ก) เวชศาสตร์ป้องกัน อาชีวเวชศาสตร์ การรักษาพยาบาล"),
    ("s26_5b", "มาตรา 26 (5) (ข) ประโยชน์สาธารณะด้านการสาธารณสุข"),
    ("s26_5c", "มาตรา 26 (5) (ค) การคุ้มครองแรงงาน ประกันสังคม สวัสดิการ"),
    ("s26_5d", "มาตรา 26 (5) (ง) การศึกษาวิจัยทางวิทยาศาสตร์ ประวัติศาสตร์ หรือสถิติ"),
    ("s26_5e", "มาตรา 26 (5) (จ) ประโยชน์สาธารณะที่สำคัญ"),
]
LAWFUL_BASIS_LABELS = dict(LAWFUL_BASES)
SENSITIVE_BASES = {
    code for code, _ in LAWFUL_BASES if code.startswith("s26") or code == "explicit_consent"
}

# The items of each record, in the order of the law: (field, label).
CONTROLLER_ITEMS: list[tuple[str, str]] = [
    ("data_collected", "(1) ข้อมูลส่วนบุคคลที่เก็บรวบรวม"),
    ("purposes", "(2) วัตถุประสงค์ของการเก็บรวบรวมแยกตามประเภทข้อมูล"),
    ("controller", "(3) ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล รวมถึงเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล"),
    ("retention", "(4) ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล"),
    ("access_rights", "(5) สิทธิและวิธีการเข้าถึงข้อมูลส่วนบุคคล รวมถึงเงื่อนไขเกี่ยวกับบุคคลที่มีสิทธิเข้าถึง"),
    ("exempt_disclosures", "(6) การใช้หรือเปิดเผยข้อมูลส่วนบุคคลตามมาตรา 27 วรรคสาม"),
    (
        "refusals",
        "(7) การปฏิเสธคำขอหรือการคัดค้านตามมาตรา 30 วรรคสาม มาตรา 31 วรรคสาม "
        "มาตรา 32 วรรคสาม และมาตรา 36 วรรคหนึ่ง",
    ),
    ("security_measures", "(8) คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัย"),
]
CONTROLLER_EXTRA: list[tuple[str, str]] = [
    ("lawful_bases", "ฐานทางกฎหมายในการประมวลผล (มาตรา 24 / มาตรา 26)"),
    ("recipients", "ผู้รับข้อมูล"),
    ("transfers_abroad", "การส่งหรือโอนข้อมูลไปต่างประเทศ"),
]
PROCESSOR_ITEMS: list[tuple[str, str]] = [
    ("processor", "(1) ชื่อและรายละเอียดของผู้ประมวลผลข้อมูลส่วนบุคคล"),
    ("controllers", "(2) ชื่อและรายละเอียดของผู้ควบคุมข้อมูลส่วนบุคคลที่ประมวลผลแทน"),
    ("processor_dpo", "(3) ชื่อและรายละเอียดของเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (ถ้ามี)"),
    ("processing_nature", "(4) ประเภทหรือลักษณะของการประมวลผลข้อมูลส่วนบุคคล"),
    ("transfers_abroad", "(5) ประเภทของผู้รับข้อมูลในกรณีส่งหรือโอนข้อมูลไปต่างประเทศ"),
    ("security_measures", "(6) คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัย"),
]
CONTACT_KEYS = ("name", "address", "contact", "dpo_name", "dpo_contact")
CONTROLLER_ROW_KEYS = ("name", "address", "contact")
TEXT_FIELDS = (
    "data_collected",
    "retention",
    "access_rights",
    "exempt_disclosures",
    "refusals_note",
    "security_measures",
    "recipients",
    "transfers_abroad",
    "processing_nature",
)
MAX_TEXT = 20000
MAX_ROWS = 100


def items_for(kind: str) -> list[tuple[str, str]]:
    return CONTROLLER_ITEMS if kind == RopaKind.CONTROLLER else PROCESSOR_ITEMS


# --- content -----------------------------------------------------------------------------


def _clean_text(data: dict[str, Any], key: str) -> str:
    text = normalize_text(str(data.get(key) or ""))
    if len(text) > MAX_TEXT:
        raise field_error(key, f"ข้อความยาวเกิน {MAX_TEXT:,} ตัวอักษร", code="max_length")
    return text


def _clean_dict(value: Any, *, field: str, keys: tuple[str, ...]) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise field_error(field, "รูปแบบข้อมูลไม่ถูกต้อง")
    out = {}
    for key in keys:
        text = normalize_text(str(value.get(key) or ""))
        if len(text) > 1000:
            raise field_error(field, "ข้อความยาวเกิน 1,000 ตัวอักษร", code="max_length")
        out[key] = text
    return out


def _clean_rows(
    value: Any, *, field: str, keys: tuple[str, ...], need: tuple[str, ...]
) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise field_error(field, "รูปแบบข้อมูลไม่ถูกต้อง")
    rows = []
    for number, raw in enumerate(value, start=1):
        row = _clean_dict(raw, field=field, keys=keys)
        if not any(row.values()):
            continue  # an empty line of the form
        missing = [k for k in need if not row[k]]
        if missing:
            raise field_error(field, f"แถวที่ {number}: กรอกไม่ครบ ({', '.join(missing)})")
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise field_error(field, f"ไม่เกิน {MAX_ROWS} แถว")
    return rows


def clean_content(*, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a version from what was typed: texts normalised, structured items checked
    for shape (a draft may leave items empty; completeness is checked on submit)."""
    content: dict[str, Any] = {key: _clean_text(data, key) for key in TEXT_FIELDS}
    bases = data.get("lawful_bases") or []
    if not isinstance(bases, list | tuple) or any(b not in LAWFUL_BASIS_LABELS for b in bases):
        raise field_error("lawful_bases", "ฐานทางกฎหมายที่เลือกไม่ถูกต้อง")
    content["lawful_bases"] = [code for code, _ in LAWFUL_BASES if code in set(bases)]
    content["purposes"] = _clean_rows(
        data.get("purposes"), field="purposes", keys=("data", "purpose"), need=("data", "purpose")
    )
    content["controller"] = _clean_dict(
        data.get("controller"), field="controller", keys=CONTACT_KEYS
    )
    content["processor_details"] = _clean_dict(
        data.get("processor_details"), field="processor_details", keys=CONTACT_KEYS
    )
    content["controllers"] = _clean_rows(
        data.get("controllers"), field="controllers", keys=CONTROLLER_ROW_KEYS, need=("name",)
    )
    if kind == RopaKind.PROCESSOR:
        # The processor record has no s.39 controller items; keep them empty, not stale.
        for key in (
            "data_collected",
            "retention",
            "access_rights",
            "exempt_disclosures",
            "refusals_note",
            "recipients",
        ):
            content[key] = ""
        content["purposes"], content["controller"], content["lawful_bases"] = [], {}, []
    else:
        content["processor_details"], content["controllers"], content["processing_nature"] = (
            {},
            [],
            "",
        )
    return content


def ropa_missing_items(*, version: RopaVersion) -> dict[str, list[str]]:
    """The items a version still lacks, {field: [Thai message]}; empty when complete."""
    missing: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        missing.setdefault(field, []).append(message)

    ropa = version.ropa
    if ropa.kind == RopaKind.PROCESSOR:
        details = version.processor_details or {}
        if not (details.get("name") and details.get("contact")):
            need("processor_details", "ยังไม่ได้กรอกชื่อและช่องทางติดต่อของผู้ประมวลผล (ข้อ 1)")
        if not any(row.get("name") and row.get("contact") for row in version.controllers or []):
            need("controllers", "ยังไม่ได้ระบุผู้ควบคุมข้อมูลที่ประมวลผลแทนพร้อมช่องทางติดต่อ (ข้อ 2)")
        if not version.processing_nature:
            need("processing_nature", "ยังไม่ได้ระบุประเภทหรือลักษณะของการประมวลผล (ข้อ 4)")
        if not version.transfers_abroad:
            need("transfers_abroad", "ยังไม่ได้ระบุการส่งหรือโอนไปต่างประเทศ (ข้อ 5; ถ้าไม่มีให้ระบุว่า “ไม่มี”)")
        if not version.security_measures:
            need("security_measures", "ยังไม่ได้อธิบายมาตรการรักษาความมั่นคงปลอดภัย (ข้อ 6)")
        return missing
    if not version.data_collected:
        need("data_collected", "ยังไม่ได้ระบุข้อมูลส่วนบุคคลที่เก็บรวบรวม (ข้อ 1)")
    if not any(row.get("data") and row.get("purpose") for row in version.purposes or []):
        need("purposes", "ยังไม่ได้ระบุวัตถุประสงค์แยกตามประเภทข้อมูล (ข้อ 2)")
    controller = version.controller or {}
    absent = [k for k in CONTACT_KEYS if not controller.get(k)]
    if absent:
        need("controller", "ข้อมูลผู้ควบคุมข้อมูลและเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลยังไม่ครบ (ข้อ 3)")
    if not version.retention:
        need("retention", "ยังไม่ได้ระบุระยะเวลาการเก็บรักษา (ข้อ 4)")
    if not version.access_rights:
        need("access_rights", "ยังไม่ได้ระบุสิทธิและวิธีการเข้าถึง (ข้อ 5)")
    if not version.exempt_disclosures:
        need(
            "exempt_disclosures",
            "ยังไม่ได้ระบุการใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม (ข้อ 6; ถ้าไม่มีให้ระบุว่า “ไม่มี”)",
        )
    if not version.refusals_note and not ropa.refusals.exists():
        need("refusals_note", "ยังไม่ได้บันทึกการปฏิเสธคำขอหรือการคัดค้าน (ข้อ 7; ถ้าไม่มีให้ระบุว่า “ไม่มี”)")
    if not version.security_measures:
        need("security_measures", "ยังไม่ได้อธิบายมาตรการรักษาความมั่นคงปลอดภัย (ข้อ 8)")
    if not version.lawful_bases:
        need("lawful_bases", "ยังไม่ได้เลือกฐานทางกฎหมายในการประมวลผล")
    elif activity_sensitive(ropa.activity) and not SENSITIVE_BASES & set(version.lawful_bases):
        need("lawful_bases", "กิจกรรมนี้มีข้อมูลอ่อนไหว ต้องมีฐานตามมาตรา 26 หรือความยินยอมโดยชัดแจ้ง")
    return missing


# --- versions ---------------------------------------------------------------------------------


@transaction.atomic
def ropa_create(*, actor: Any, activity: ProcessingActivity, kind: str) -> Ropa:
    """The RoPA of an activity for a kind (controller or processor); an existing one is
    returned as it is."""
    require_unit_editor(actor, activity.unit_id)
    if kind not in RopaKind.values:
        raise field_error("kind", "ประเภทบันทึกไม่ถูกต้อง")
    ropa, created = Ropa.objects.get_or_create(activity=activity, kind=kind)
    if created:
        audit_record(actor=actor, action="privacy.ropa_create", obj=ropa, changes=snapshot(ropa))
    return ropa


def _locked_ropa(ropa: Ropa) -> Ropa:
    return Ropa.objects.select_for_update().select_related("activity").get(pk=ropa.pk)


@transaction.atomic
def ropa_draft_save(*, actor: Any, ropa: Ropa, data: dict[str, Any]) -> RopaVersion:
    """Save the working version: update the draft, reopen an unpublished approved version as a
    draft (its approval no longer holds), or open a new draft after the published one."""
    ropa = _locked_ropa(ropa)
    require_unit_editor(actor, ropa.activity.unit_id)
    content = clean_content(kind=ropa.kind, data=data)
    working = (
        ropa.versions.filter(
            status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]
        )
        .order_by("-number")
        .first()
    )
    if working is not None and working.status == VersionStatus.SUBMITTED:
        raise Conflict(
            f"ฉบับที่ {working.number} รออนุมัติอยู่ แก้ไขไม่ได้ ให้หัวหน้าหน่วยงานอนุมัติหรือส่งกลับก่อน",
            code="version_submitted",
        )
    if working is None:
        number = (ropa.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = RopaVersion.objects.create(ropa=ropa, number=number, created_by=actor, **content)
        audit_record(
            actor=actor,
            action="privacy.ropa_version_create",
            obj=version,
            changes=snapshot(version),
        )
        return version
    before = snapshot(working)
    for key, value in content.items():
        setattr(working, key, value)
    action = "privacy.ropa_version_update"
    if working.status == VersionStatus.APPROVED:
        action = "privacy.ropa_version_reopen"
        working.status = VersionStatus.DRAFT
        working.approved_by, working.approved_at, working.approval_note = None, None, ""
        working.submitted_at = None
    working.save()
    audit_record(actor=actor, action=action, obj=working, changes=diff(before, snapshot(working)))
    return working


def _locked_version(version: RopaVersion) -> RopaVersion:
    return (
        RopaVersion.objects.select_for_update()
        .select_related("ropa", "ropa__activity")
        .get(pk=version.pk)
    )


def _transition(
    *, actor: Any, version: RopaVersion, to: str, action: str, **fields: Any
) -> RopaVersion:
    before = snapshot(version)
    version.status = to
    for key, value in fields.items():
        setattr(version, key, value)
    version.save()
    audit_record(actor=actor, action=action, obj=version, changes=diff(before, snapshot(version)))
    return version


@transaction.atomic
def ropa_submit(*, actor: Any, version: RopaVersion) -> RopaVersion:
    """Send a complete draft to the unit head for approval."""
    version = _locked_version(version)
    require_unit_editor(actor, version.ropa.activity.unit_id)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("ส่งขออนุมัติได้เฉพาะฉบับร่าง", code="not_draft")
    missing = ropa_missing_items(version=version)
    if missing:
        raise ApplicationError(
            "บันทึกยังไม่ครบทุกรายการ ส่งขออนุมัติไม่ได้", code="incomplete", fields=missing
        )
    return _transition(
        actor=actor,
        version=version,
        to=VersionStatus.SUBMITTED,
        action="privacy.ropa_submit",
        submitted_at=timezone.now(),
    )


def _require_approver(actor: Any, unit_id: int) -> None:
    if not can_approve_for_unit(actor, unit_id):
        raise PermissionDenied("เฉพาะหัวหน้าหน่วยงานเจ้าของกิจกรรม (หรือผู้อำนวยการ) อนุมัติได้")


def _note(note: str) -> str:
    text = normalize_text(note)
    if len(text) > 2000:
        raise field_error("note", "หมายเหตุยาวเกิน 2,000 ตัวอักษร", code="max_length")
    return text


@transaction.atomic
def ropa_approve(*, actor: Any, version: RopaVersion, note: str = "") -> RopaVersion:
    """The unit head approves a submitted version (control point of process 15 step 4)."""
    version = _locked_version(version)
    _require_approver(actor, version.ropa.activity.unit_id)
    if version.status != VersionStatus.SUBMITTED:
        raise Conflict("อนุมัติได้เฉพาะฉบับที่ส่งขออนุมัติแล้ว", code="not_submitted")
    missing = ropa_missing_items(version=version)
    if missing:  # a refusal note could not have vanished, but the activity may have changed
        raise ApplicationError("บันทึกยังไม่ครบทุกรายการ อนุมัติไม่ได้", code="incomplete", fields=missing)
    return _transition(
        actor=actor,
        version=version,
        to=VersionStatus.APPROVED,
        action="privacy.ropa_approve",
        approved_by=actor,
        approved_at=timezone.now(),
        approval_note=_note(note),
    )


@transaction.atomic
def ropa_return(*, actor: Any, version: RopaVersion, note: str) -> RopaVersion:
    """The unit head sends a submitted version back to draft, saying why."""
    version = _locked_version(version)
    _require_approver(actor, version.ropa.activity.unit_id)
    if version.status != VersionStatus.SUBMITTED:
        raise Conflict("ส่งกลับได้เฉพาะฉบับที่รออนุมัติ", code="not_submitted")
    reason = _note(note)
    if not reason:
        raise field_error("note", "กรุณาระบุเหตุผลที่ส่งกลับแก้ไข", code="required")
    return _transition(
        actor=actor,
        version=version,
        to=VersionStatus.DRAFT,
        action="privacy.ropa_return",
        approval_note=reason,
        submitted_at=None,
    )


def can_publish(user: Any, unit_id: int) -> bool:
    return can_approve_for_unit(user, unit_id) or is_privacy_team(user)


@transaction.atomic
def ropa_publish(*, actor: Any, version: RopaVersion) -> RopaVersion:
    """Publish an approved version; the version published before it becomes superseded."""
    version = _locked_version(version)
    if not can_publish(actor, version.ropa.activity.unit_id):
        raise PermissionDenied("เฉพาะหัวหน้าหน่วยงานหรือคณะทำงานคุ้มครองข้อมูลส่วนบุคคลเผยแพร่ได้")
    if version.status != VersionStatus.APPROVED:
        raise Conflict("เผยแพร่ได้เฉพาะฉบับที่อนุมัติแล้ว", code="not_approved")
    for old in RopaVersion.objects.select_for_update().filter(
        ropa_id=version.ropa_id, status=VersionStatus.PUBLISHED
    ):
        _transition(
            actor=actor, version=old, to=VersionStatus.SUPERSEDED, action="privacy.ropa_supersede"
        )
    return _transition(
        actor=actor,
        version=version,
        to=VersionStatus.PUBLISHED,
        action="privacy.ropa_publish",
        published_at=timezone.now(),
    )


@transaction.atomic
def ropa_record_refusal(
    *,
    ropa: Ropa,
    request: DataSubjectRequest | None,
    section: str,
    reason: str,
    actor: Any,
) -> RopaRefusal:
    """s.39(7) / s.30 para 3: write a refused request or objection into the RoPA with its
    reason. The caller (the request workflow, or the RoPA page for refusals received outside
    the platform) has already checked that the actor may refuse."""
    if section not in RefusalSection.values:
        raise field_error("section", "มาตราที่อ้างในการปฏิเสธไม่ถูกต้อง")
    text = normalize_text(reason)
    if not text:
        raise field_error("reason", "กรุณาระบุเหตุผลการปฏิเสธ", code="required")
    if len(text) > 5000:
        raise field_error("reason", "เหตุผลยาวเกิน 5,000 ตัวอักษร", code="max_length")
    ropa = _locked_ropa(ropa)
    if request is not None and request.activity_id not in (None, ropa.activity_id):
        raise field_error("ropa", "คำขอนี้เป็นของกิจกรรมอื่น ไม่ใช่กิจกรรมของบันทึกนี้")
    refusal = RopaRefusal.objects.create(
        ropa=ropa,
        request=request,
        section=section,
        reason=text,
        recorded_at=timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="privacy.ropa_refusal_record",
        obj=ropa,
        changes={
            "refusal_id": refusal.pk,
            "request_id": request.pk if request is not None else None,
            "section": section,
            "reason": text,
        },
    )
    return refusal
