"""The masking export of a resource's file, and replacing the file with it.

The export is written to a temporary file (spooled to disk past a few megabytes), never held
as a table. Replacing goes through the resource service like any new upload, so the masked
file gets its own size, hash, audit entry and personal-data scan."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils.translation import gettext as _

from krabuan.catalog.masking import MaskResult, mask_stream, masked_filename
from krabuan.catalog.models import Resource
from krabuan.catalog.permissions import can_edit_dataset
from krabuan.catalog.scanner import ScanError
from krabuan.catalog.services.guard import has_file, open_file, stored_name
from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied

_SPOOL = 8 * 1024 * 1024


@dataclass
class MaskedFile:
    stream: IO[bytes]
    filename: str
    content_type: str
    result: MaskResult


def _name(resource: Resource) -> str:
    base = os.path.basename(stored_name(resource))
    stem = os.path.splitext(base)[0]
    return base if stem.endswith("-masked") else masked_filename(base)


def masked_export(*, resource: Resource) -> MaskedFile:
    """The resource's file with personal data masked (the caller closes `stream`)."""
    if not has_file(resource):
        raise Conflict(_("ทรัพยากรนี้ไม่มีไฟล์ที่อัปโหลด"), code="guard_no_file")
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    src = open_file(resource)
    try:
        result = mask_stream(src, out, filename=stored_name(resource))  # type: ignore[arg-type]
    except ScanError as exc:
        out.close()
        raise ApplicationError(str(exc), code="guard_mask_unsupported") from exc
    finally:
        src.close()
    out.seek(0)
    return MaskedFile(out, _name(resource), result.content_type, result)  # type: ignore[arg-type]


def resource_replace_with_masked(*, actor: Any, resource: Resource) -> Resource:
    """Store the masked export as the resource's file (through resource_update), which scans
    it again; the old file's findings and decisions no longer apply."""
    from krabuan.catalog.dictize import resource_dict
    from krabuan.catalog.services.resources import resource_update

    if not can_edit_dataset(actor, resource.dataset):
        raise PermissionDenied(_("ท่านแก้ไขชุดข้อมูลนี้ไม่ได้"), code="catalog_forbidden")
    masked = masked_export(resource=resource)
    upload = TemporaryUploadedFile(masked.filename, masked.content_type, 0, None)
    try:
        with masked.stream:
            for chunk in iter(lambda: masked.stream.read(1 << 20), b""):
                upload.write(chunk)
        upload.size = upload.tell()
        upload.seek(0)
        return resource_update(
            actor=actor, resource=resource, data=resource_dict(resource), upload=upload
        )
    finally:
        upload.close()
