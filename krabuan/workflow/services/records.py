"""Comments and file attachments of a case, and the upload rules shared with control evidence."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import PermissionDenied, field_error
from krabuan.core.thai import normalize_text
from krabuan.workflow.models import Case, CaseAttachment, CaseComment, CaseStatus, StepInstance
from krabuan.workflow.permissions import can_work_on_steps

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_COMMENT_CHARS = 5000
# Office documents and images only; what each must start with, so a renamed page or program
# is refused. Plain text has no signature and is checked for NUL bytes instead.
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ppt": (_OLE,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "pptx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
    "odp": (_ZIP,),
    "txt": (),
    "csv": (),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def content_type_for(name: str) -> str:
    """The type a stored file is served with, from its extension (never the uploader's claim)."""
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def upload_check(upload: Any, *, field: str) -> None:
    """An uploaded file is at most 20 MB, has a whitelisted extension and matching content."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    if not name:
        raise field_error(field, "กรุณาเลือกไฟล์", code="required")
    if size <= 0:
        raise field_error(field, "ไฟล์ว่างเปล่า")
    if size > MAX_UPLOAD_BYTES:
        raise field_error(field, "ไฟล์มีขนาดเกิน 20 MB", code="too_large")
    ext = extension_of(name)
    if ext not in SIGNATURES:
        allowed = ", ".join(ALLOWED_EXTENSIONS)
        raise field_error(field, f"ไม่รับไฟล์ชนิด .{ext or '?'} (รับเฉพาะ {allowed})", code="type")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[ext]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise field_error(field, f"เนื้อหาไฟล์ไม่ตรงกับชนิด .{ext}", code="type")
    if not signatures and b"\x00" in head:
        raise field_error(field, f"เนื้อหาไฟล์ไม่ใช่ข้อความ .{ext}", code="type")


def _require_worker(actor: Any) -> None:
    if not can_work_on_steps(actor):
        raise PermissionDenied("บทบาทของท่านอ่านได้อย่างเดียว")


@transaction.atomic
def comment_add(*, case: Case, actor: Any, body: str) -> CaseComment:
    """A comment on a case by a staff member who works on cases."""
    _require_worker(actor)
    body = normalize_text(body)
    if not body:
        raise field_error("body", "กรุณาพิมพ์ความเห็น", code="required")
    if len(body) > MAX_COMMENT_CHARS:
        raise field_error("body", f"ความเห็นยาวเกิน {MAX_COMMENT_CHARS:,} ตัวอักษร")
    comment = CaseComment.objects.create(case=case, author=actor, body=body)
    audit_record(actor=actor, action="case.comment", obj=case, changes={"comment": body})
    return comment


@transaction.atomic
def attachment_add(
    *, case: Case, actor: Any, upload: Any, step_instance: StepInstance | None = None
) -> CaseAttachment:
    """Attach a file to a case (optionally to one of its steps); cancelled cases take none."""
    _require_worker(actor)
    if case.status == CaseStatus.CANCELLED:
        raise field_error("file", "เรื่องนี้ถูกยกเลิกแล้ว แนบไฟล์ไม่ได้")
    if step_instance is not None and step_instance.case_id != case.pk:
        raise field_error("step_instance", "ขั้นตอนที่เลือกไม่ใช่ของเรื่องนี้")
    upload_check(upload, field="file")
    name = os.path.basename(upload.name)[:255]
    attachment = CaseAttachment(
        case=case,
        step_instance=step_instance,
        name=name,
        content_type=content_type_for(name),
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="case.attachment",
        obj=case,
        changes={"file": name, "size": upload.size, "step_instance": step_instance},
    )
    return attachment
