"""The publication audit (process 15 step 9): a background job that scans what the platform
publishes with the catalog's scanner, its report, and a decision on each finding."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from krabuan.core.errors import PermissionDenied
from krabuan.core.models import AuditEntry, Job, JobStatus
from krabuan.privacy.models import PublicationAudit
from krabuan.privacy.services.publication_audit import (
    publication_audit_decide,
    publication_audit_start,
    publication_targets,
)
from krabuan.privacy.tests.request_helpers import (
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
    public_dataset,
    published_notice,
    thai_id,
    uploaded_resource,
)

pytestmark = pytest.mark.django_db


def run(actor, django_capture_on_commit_callbacks) -> PublicationAudit:
    with django_capture_on_commit_callbacks(execute=True):
        audit = publication_audit_start(actor=actor)
    audit.refresh_from_db()
    return audit


def test_a_thai_id_planted_in_a_public_notice_is_found(django_capture_on_commit_callbacks):
    planted = thai_id()
    published_notice(f"ติดต่อผู้ประสานงาน เลขประจำตัวประชาชน {planted} ได้ที่ห้อง 301")
    published_notice("ประกาศนี้ไม่มีข้อมูลส่วนบุคคล", slug="clean")

    audit = run(dpo_user(), django_capture_on_commit_callbacks)

    assert audit.finished_at is not None
    job = Job.objects.get(pk=audit.job_id)
    assert job.status == JobStatus.DONE and job.progress == 100
    kinds = {
        (item["target"], finding["kind"]) for item in audit.findings for finding in item["findings"]
    }
    assert ("notice:training:v1", "thai_id") in kinds  # the published text
    assert ("page:/privacy/notices/training/", "thai_id") in kinds  # the page as served
    assert not any(target.startswith("notice:clean") for target, _kind in kinds)
    stored = str(audit.findings)
    assert planted not in stored  # samples are masked
    assert audit.items_scanned >= 5  # two notices (page and text), the list, the RoPA summary


def test_public_catalog_files_are_scanned_but_private_ones_are_not(
    django_capture_on_commit_callbacks,
):
    public = public_dataset(name="farmers")
    uploaded_resource(public, f"name,citizen_id\nสมชาย,{thai_id('310050012345')}\n".encode())
    hidden = public_dataset(name="hidden-farmers")
    hidden.private = True
    hidden.save()
    uploaded_resource(hidden, f"citizen_id\n{thai_id('310050012346')}\n".encode())

    audit = run(dpo_user(), django_capture_on_commit_callbacks)

    targets = [item["target"] for item in audit.findings]
    resource_targets = [t for t in targets if t.startswith("resource:")]
    assert len(resource_targets) == 1
    assert str(public.resources.get().pk) in resource_targets[0]
    scanned = [t.target for t in publication_targets()]
    assert any(t.endswith("/dataset/farmers/") for t in scanned)
    assert not any("hidden-farmers" in t for t in scanned)


def test_a_decision_is_recorded_per_finding_and_audited(django_capture_on_commit_callbacks):
    published_notice(f"เลขประจำตัว {thai_id()}")
    dpo = dpo_user()
    audit = run(dpo, django_capture_on_commit_callbacks)
    index = next(i for i, item in enumerate(audit.findings) if item["target"].startswith("notice:"))

    publication_audit_decide(
        actor=dpo, audit=audit, index=index, decision="removed", note="ลบเลขออกจากประกาศแล้ว"
    )

    audit.refresh_from_db()
    assert audit.findings[index]["decision"] == "removed"
    assert audit.findings[index]["decided_by"] == dpo.pk
    entry = AuditEntry.objects.get(action="privacy.publication_audit.decide")
    assert entry.changes["decision"] == ["", "removed"]


def test_only_the_privacy_team_runs_or_decides(officer, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        publication_audit_start(actor=officer)
    assert PublicationAudit.objects.count() == 0


def test_the_pages_run_it_show_the_report_and_take_decisions(
    client, officer, django_capture_on_commit_callbacks
):
    published_notice(f"เลขประจำตัว {thai_id()}")
    client.force_login(dpo_user())

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("privacy:publication_audit_list"))
    audit = PublicationAudit.objects.get()
    assert started.status_code == 302

    page = client.get(reverse("privacy:publication_audit_detail", args=[audit.pk]))
    assert page.status_code == 200
    assert "เลขประจำตัวประชาชน" in page.content.decode()

    index = next(i for i, item in enumerate(audit.findings) if item["target"].startswith("notice:"))
    url = reverse("privacy:publication_audit_decide", args=[audit.pk, index])
    refused = client.post(url, {"decision": "removed", "note": ""})
    assert refused.status_code == 400
    assert "กรุณา" in refused.content.decode()
    accepted = client.post(url, {"decision": "masked", "note": "ปกปิดเลขแล้ว"})
    assert accepted.status_code == 302

    report = client.get(reverse("privacy:publication_audit_report", args=[audit.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert any(
        row[2] == "เลขประจำตัวประชาชน" and (row[6] or "").startswith("ปกปิด") for row in values
    )

    client.force_login(officer)
    assert (
        client.get(reverse("privacy:publication_audit_detail", args=[audit.pk])).status_code == 404
    )
