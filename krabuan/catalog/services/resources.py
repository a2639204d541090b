"""Resource writes (CKAN resource_create/update/delete) and stored uploads.

Uploads go through Django storage, get size, mimetype and a sha256 hash, and are scanned by the
personal-data guard. On a public dataset a new file the guard does not clear is kept private
(resource_private) until a data steward decides; making a resource public again is refused while
the guard has reasons against it. A file held back only because its scan runs in the background
goes public by itself when that scan finds nothing (resource_publish_after_scan), unless an
editor changed the resource in the meantime.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from krabuan.catalog.dictize import upload_path
from krabuan.catalog.models import Dataset, PersonalDataScan, Resource, ScanStatus, State
from krabuan.catalog.services.catalog_common import (
    RESOURCE_AUDIT_FIELDS,
    after_change,
    next_timestamp,
    plain_snapshot,
    require_editor,
    touch,
)
from krabuan.catalog.validation import clean_resource
from krabuan.core.audit import audit_record, diff
from krabuan.core.errors import Conflict


def resource_apply(*, resource: Resource, cleaned: dict[str, Any]) -> None:
    """Copy cleaned fields onto a resource and save it (no audit: callers audit)."""
    resource.name = cleaned["name"]
    resource.description = cleaned.get("description", "")
    resource.format = cleaned.get("format", "")
    resource.resource_private = bool(cleaned.get("resource_private"))
    resource.type_fields = cleaned.get("type_fields", {})
    if cleaned.get("url_type") != "upload":
        resource.url_type = ""  # a link replaces a stored file
    if resource.url_type != "upload":
        if cleaned.get("url") != resource.url:
            resource.last_modified = timezone.now()
        resource.url = cleaned.get("url", "")
        resource.url_type = ""
    if resource.created is None:
        resource.created = timezone.now()
    resource.metadata_modified = next_timestamp(resource.metadata_modified)
    resource.save()


def resource_tombstone(*, actor: Any, resource: Resource) -> None:
    """Mark one resource deleted (kept for the record; the file stays in storage)."""
    resource.state = State.DELETED
    resource.metadata_modified = next_timestamp(resource.metadata_modified)
    resource.save(update_fields=["state", "metadata_modified"])
    audit_record(
        actor=actor,
        action="catalog.resource_delete",
        obj=resource,
        changes={"state": [State.ACTIVE, State.DELETED], "dataset": str(resource.dataset_id)},
    )


def _store_upload(resource: Resource, upload: UploadedFile, dataset: Dataset) -> None:
    """Save the file through storage and record size, mimetype, sha256 and the download URL."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    filename = os.path.basename(upload.name or "file")
    resource.upload.save(filename, upload, save=False)
    resource.size = upload.size
    resource.hash = digest.hexdigest()
    resource.mimetype = (
        mimetypes.guess_type(filename)[0] or upload.content_type or "application/octet-stream"
    )
    resource.url_type = "upload"
    resource.url = upload_path(resource, dataset.name)
    resource.last_modified = timezone.now()


def _guard_upload(*, actor: Any, resource: Resource, dataset: Dataset) -> None:
    """Scan a new file; on a public dataset keep it private unless the guard clears it."""
    from krabuan.catalog.services import guard

    scan = guard.scan_resource(resource=resource, actor=actor)
    public = dataset.state == State.ACTIVE and not dataset.private
    if public and not resource.resource_private and guard.resource_publish_blockers(resource):
        resource.resource_private = True
        resource.save(update_fields=["resource_private"])
        if scan is not None and scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING):
            PersonalDataScan.objects.filter(pk=scan.pk).update(publish_when_clean=True)


def _check_resource_publish(resource: Resource, dataset: Dataset, was_visible: bool) -> None:
    visible = (
        dataset.state == State.ACTIVE and not dataset.private and not resource.resource_private
    )
    if visible and not was_visible:
        from krabuan.catalog.services import guard

        blockers = guard.resource_publish_blockers(resource)
        if blockers:
            raise Conflict(
                "เปิดเผยทรัพยากรนี้ไม่ได้: " + "; ".join(blockers),
                code="publish_blocked",
                fields={"resource_private": [f"ไม่เปิดเผยทรัพยากรนี้: {b}" for b in blockers]},
            )


def _finish(*, actor: Any, dataset: Dataset) -> None:
    touch(dataset)
    dataset.save(update_fields=["metadata_modified"])
    after_change(dataset)


def _cleanup_on_error(resource: Resource, had_file: str) -> None:
    # The storage write is not part of the transaction: remove a file the rollback orphaned.
    if resource.upload and resource.upload.name and resource.upload.name != had_file:
        resource.upload.storage.delete(resource.upload.name)


@transaction.atomic
def resource_create(
    *, actor: Any, dataset: Dataset, data: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    """Add a link or an uploaded file to a dataset (appended last)."""
    require_editor(actor)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.state == State.DELETED:
        raise Conflict("ชุดข้อมูลนี้ถูกลบแล้ว เพิ่มทรัพยากรไม่ได้", code="dataset_deleted")
    cleaned = clean_resource(data, dataset=dataset, instance=None, upload=upload)
    last = dataset.resources.order_by("-position").values_list("position", flat=True).first()
    resource = Resource(dataset=dataset, created=timezone.now(), position=(last or 0) + 1)
    if last is None:
        resource.position = 0
    try:
        if upload is not None:
            _store_upload(resource, upload, dataset)
        resource_apply(resource=resource, cleaned=cleaned)
        if upload is not None:
            _guard_upload(actor=actor, resource=resource, dataset=dataset)
        else:
            _check_resource_publish(resource, dataset, was_visible=False)
        audit_record(
            actor=actor,
            action="catalog.resource_create",
            obj=resource,
            changes=plain_snapshot(resource, RESOURCE_AUDIT_FIELDS),
        )
        _finish(actor=actor, dataset=dataset)
    except Exception:
        _cleanup_on_error(resource, "")
        raise
    return resource


@transaction.atomic
def resource_update(
    *, actor: Any, resource: Resource, data: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    """Replace a resource's fields (like resource_update); a new upload replaces the file."""
    require_editor(actor)
    resource = Resource.objects.select_for_update().select_related("dataset").get(pk=resource.pk)
    dataset = resource.dataset
    if resource.state == State.DELETED or dataset.state == State.DELETED:
        raise Conflict("ทรัพยากรนี้ถูกลบแล้ว แก้ไขไม่ได้", code="resource_deleted")
    cleaned = clean_resource(data, dataset=dataset, instance=resource, upload=upload)
    before = plain_snapshot(resource, RESOURCE_AUDIT_FIELDS)
    was_visible = (
        dataset.state == State.ACTIVE and not dataset.private and not resource.resource_private
    )
    old_file = (resource.upload.name or "") if resource.upload else ""
    # The editor decides from now on: a scan still running will not publish the file.
    PersonalDataScan.objects.filter(resource=resource, publish_when_clean=True).update(
        publish_when_clean=False
    )
    try:
        if upload is not None:
            _store_upload(resource, upload, dataset)
        resource_apply(resource=resource, cleaned=cleaned)
        if upload is not None:
            _guard_upload(actor=actor, resource=resource, dataset=dataset)
        else:
            _check_resource_publish(resource, dataset, was_visible=was_visible)
        audit_record(
            actor=actor,
            action="catalog.resource_update",
            obj=resource,
            changes=diff(before, plain_snapshot(resource, RESOURCE_AUDIT_FIELDS)),
        )
        _finish(actor=actor, dataset=dataset)
    except Exception:
        _cleanup_on_error(resource, old_file)
        raise
    return resource


@transaction.atomic
def resource_delete(*, actor: Any, resource: Resource) -> None:
    """Mark a resource deleted; its dataset's metadata_modified moves."""
    require_editor(actor)
    resource = Resource.objects.select_for_update().select_related("dataset").get(pk=resource.pk)
    if resource.state == State.DELETED:
        return
    resource_tombstone(actor=actor, resource=resource)
    dataset = Dataset.objects.select_for_update().get(pk=resource.dataset_id)
    _finish(actor=actor, dataset=dataset)


@transaction.atomic
def resource_publish_after_scan(*, scan_id: int) -> bool:
    """Publish the file a clean background scan cleared, when its uploader wanted it public
    (PersonalDataScan.publish_when_clean) and it is still the same, private, live file with
    nothing against it; audited as the system's change. True when it was published."""
    from krabuan.catalog.services import guard

    scan = PersonalDataScan.objects.select_related("requested_by").get(pk=scan_id)
    if not scan.publish_when_clean or scan.status != ScanStatus.CLEAN:
        return False
    PersonalDataScan.objects.filter(pk=scan_id).update(publish_when_clean=False)
    resource = (
        Resource.objects.select_for_update().select_related("dataset").get(pk=scan.resource_id)
    )
    dataset = resource.dataset
    current = guard.current_scan(resource)
    if (
        resource.state == State.DELETED
        or dataset.state == State.DELETED
        or not resource.resource_private
        or current is None
        or current.pk != scan.pk
        or guard.resource_publish_blockers(resource)
    ):
        return False
    resource.resource_private = False
    resource.metadata_modified = next_timestamp(resource.metadata_modified)
    resource.save(update_fields=["resource_private", "metadata_modified"])
    audit_record(
        actor=None,
        action="catalog.resource_publish_after_scan",
        obj=resource,
        changes={"resource_private": [True, False], "scan": scan_id},
    )
    _finish(actor=None, dataset=dataset)
    if scan.requested_by is not None:
        from django.urls import reverse

        from krabuan.notify.services import notify

        notify(
            user=scan.requested_by,
            subject=f"ไฟล์ {resource.name} ผ่านการตรวจข้อมูลส่วนบุคคลและเผยแพร่แล้ว",
            body="ไม่พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล ระบบจึงเผยแพร่ไฟล์ตามที่ท่านเลือกไว้",
            link=reverse("catalog:guard_scan", args=[resource.pk]),
            dedupe_key=f"catalog-guard-published-{scan_id}",
            kind="catalog_guard",
        )
    return True
