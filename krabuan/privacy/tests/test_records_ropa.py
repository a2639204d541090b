"""RoPA versions: the completeness check blocks submit, only the unit head approves, only an
approved version is published and publishing supersedes the previous one, editing reopens or
opens a draft, refusals are appended (s.39(7)), and every change is audited."""

from __future__ import annotations

import pytest

from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.org.models import Role
from krabuan.org.tests.factories import UserFactory, membership_add
from krabuan.privacy.models import RefusalSection, RopaKind, RopaRefusal, RopaVersion, VersionStatus
from krabuan.privacy.services import ropa
from krabuan.privacy.tests.test_records_helpers import (
    approved_version,
    complete_data,
    dpo_user,
    make_activity,
    other_unit,
    processor_data,
    published_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(db):
    return dpo_user()


def test_incomplete_draft_cannot_be_submitted_and_names_the_missing_items(officer):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    data = complete_data(retention="", exempt_disclosures="", refusals_note="", lawful_bases=[])
    version = ropa.ropa_draft_save(actor=officer, ropa=record, data=data)

    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_submit(actor=officer, version=version)

    assert exc.value.code == "incomplete"
    assert set(exc.value.fields) == {
        "retention",
        "exempt_disclosures",
        "refusals_note",
        "lawful_bases",
    }
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert version.submitted_at is None


def test_complete_draft_submits(officer):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data())

    assert ropa.ropa_missing_items(version=version) == {}
    submitted = ropa.ropa_submit(actor=officer, version=version)

    assert submitted.status == VersionStatus.SUBMITTED
    assert submitted.submitted_at is not None


def test_sensitive_data_needs_a_section_26_basis(officer):
    activity = make_activity(officer, sensitive=True)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data())

    assert "lawful_bases" in ropa.ropa_missing_items(version=version)
    version = ropa.ropa_draft_save(
        actor=officer, ropa=record, data=complete_data(lawful_bases=["s24_4", "s26_5c"])
    )
    assert ropa.ropa_missing_items(version=version) == {}


def test_a_refusal_on_record_satisfies_item_7(officer, dpo):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data(refusals_note=""))
    assert "refusals_note" in ropa.ropa_missing_items(version=version)

    ropa.ropa_record_refusal(
        ropa=record, request=None, section=RefusalSection.S30, reason="คำสั่งศาล", actor=dpo
    )

    assert ropa.ropa_missing_items(version=version) == {}


def test_officer_cannot_approve_but_the_unit_head_can(officer, group_head):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_submit(
        actor=officer,
        version=ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data()),
    )

    with pytest.raises(PermissionDenied):
        ropa.ropa_approve(actor=officer, version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED
    assert version.approved_by is None

    approved = ropa.ropa_approve(actor=group_head, version=version, note="ถูกต้อง")
    assert approved.status == VersionStatus.APPROVED
    assert approved.approved_by == group_head
    assert approved.approval_note == "ถูกต้อง"


def test_head_of_another_unit_cannot_approve(officer):
    activity = make_activity(officer)
    outsider = UserFactory(username="head-other")
    membership_add(user=outsider, role=Role.GROUP_HEAD, unit=other_unit())
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_submit(
        actor=officer,
        version=ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data()),
    )

    with pytest.raises(PermissionDenied):
        ropa.ropa_approve(actor=outsider, version=version)


def test_only_approved_versions_publish_and_publishing_supersedes(officer, group_head):
    activity = make_activity(officer)
    first = published_version(activity, editor=officer, approver=group_head)
    assert first.status == VersionStatus.PUBLISHED
    assert first.published_at is not None

    record = first.ropa
    second = ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data(retention="10 ปี"))
    assert second.number == 2
    with pytest.raises(Conflict):
        ropa.ropa_publish(actor=group_head, version=second)

    second = ropa.ropa_approve(
        actor=group_head, version=ropa.ropa_submit(actor=officer, version=second)
    )
    ropa.ropa_publish(actor=group_head, version=second)

    statuses = dict(RopaVersion.objects.filter(ropa=record).values_list("number", "status"))
    assert statuses == {1: VersionStatus.SUPERSEDED, 2: VersionStatus.PUBLISHED}
    assert (
        AuditEntry.objects.filter(action="privacy.ropa_supersede", object_id=str(first.pk)).count()
        == 1
    )


def test_officer_cannot_publish(officer, group_head):
    version = approved_version(make_activity(officer), editor=officer, approver=group_head)

    with pytest.raises(PermissionDenied):
        ropa.ropa_publish(actor=officer, version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED


def test_editing_an_approved_version_sends_it_back_to_draft(officer, group_head):
    version = approved_version(make_activity(officer), editor=officer, approver=group_head)

    again = ropa.ropa_draft_save(
        actor=officer, ropa=version.ropa, data=complete_data(retention="1 ปี")
    )

    assert again.pk == version.pk
    assert again.status == VersionStatus.DRAFT
    assert again.approved_by is None
    assert again.retention == "1 ปี"
    assert AuditEntry.objects.filter(
        action="privacy.ropa_version_reopen", object_id=str(version.pk)
    ).exists()


def test_a_submitted_version_cannot_be_edited(officer):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_submit(
        actor=officer,
        version=ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data()),
    )

    with pytest.raises(Conflict):
        ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data(retention="ใหม่"))
    version.refresh_from_db()
    assert version.retention == "5 ปี"


def test_return_needs_a_reason_and_goes_back_to_draft(officer, group_head):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)
    version = ropa.ropa_submit(
        actor=officer,
        version=ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data()),
    )

    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_return(actor=group_head, version=version, note="  ")
    assert "note" in exc.value.fields

    returned = ropa.ropa_return(actor=group_head, version=version, note="เพิ่มมาตรการ")
    assert returned.status == VersionStatus.DRAFT
    assert returned.approval_note == "เพิ่มมาตรการ"


def test_officer_of_another_unit_cannot_edit(officer):
    activity = make_activity(officer)
    stranger = UserFactory(username="officer-other")
    membership_add(user=stranger, role=Role.OFFICER, unit=other_unit())
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.CONTROLLER)

    with pytest.raises(PermissionDenied):
        ropa.ropa_draft_save(actor=stranger, ropa=record, data=complete_data())
    assert not RopaVersion.objects.filter(ropa=record).exists()


def test_bad_lawful_basis_and_half_filled_purpose_rows_are_refused(officer):
    record = ropa.ropa_create(
        actor=officer, activity=make_activity(officer), kind=RopaKind.CONTROLLER
    )

    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_draft_save(actor=officer, ropa=record, data=complete_data(lawful_bases=["s99"]))
    assert "lawful_bases" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_draft_save(
            actor=officer, ropa=record, data=complete_data(purposes=[{"data": "ชื่อ", "purpose": ""}])
        )
    assert "purposes" in exc.value.fields
    assert not RopaVersion.objects.filter(ropa=record).exists()


def test_processor_record_checks_the_six_items(officer, group_head):
    activity = make_activity(officer)
    record = ropa.ropa_create(actor=officer, activity=activity, kind=RopaKind.PROCESSOR)
    version = ropa.ropa_draft_save(
        actor=officer, ropa=record, data=processor_data(controllers=[], processing_nature="")
    )
    assert set(ropa.ropa_missing_items(version=version)) == {"controllers", "processing_nature"}

    version = ropa.ropa_draft_save(actor=officer, ropa=record, data=processor_data())
    assert ropa.ropa_missing_items(version=version) == {}
    # The controller items are not kept on a processor record.
    assert version.data_collected == "" and version.lawful_bases == []
    version = ropa.ropa_approve(
        actor=group_head, version=ropa.ropa_submit(actor=officer, version=version)
    )
    assert version.status == VersionStatus.APPROVED


def test_refusal_is_appended_to_the_ropa_and_audited(officer, dpo):
    record = ropa.ropa_create(
        actor=officer, activity=make_activity(officer), kind=RopaKind.CONTROLLER
    )

    refusal = ropa.ropa_record_refusal(
        ropa=record,
        request=None,
        section=RefusalSection.S32,
        reason="การประมวลผลเป็นไปตามภารกิจเพื่อประโยชน์สาธารณะ",
        actor=dpo,
    )

    assert list(record.refusals.all()) == [refusal]
    assert refusal.recorded_by == dpo and refusal.recorded_at is not None
    entry = AuditEntry.objects.get(action="privacy.ropa_refusal_record")
    assert entry.object_id == str(record.pk)
    assert entry.changes["section"] == "s32"


def test_refusal_needs_a_reason_and_a_known_section(officer, dpo):
    record = ropa.ropa_create(
        actor=officer, activity=make_activity(officer), kind=RopaKind.CONTROLLER
    )

    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_record_refusal(ropa=record, request=None, section="s30", reason=" ", actor=dpo)
    assert "reason" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        ropa.ropa_record_refusal(ropa=record, request=None, section="s99", reason="x", actor=dpo)
    assert "section" in exc.value.fields
    assert not RopaRefusal.objects.exists()


def test_every_step_is_audited(officer, group_head):
    version = published_version(make_activity(officer), editor=officer, approver=group_head)

    actions = set(
        AuditEntry.objects.filter(
            object_type="privacy.ropaversion", object_id=str(version.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {
        "privacy.ropa_version_create",
        "privacy.ropa_submit",
        "privacy.ropa_approve",
        "privacy.ropa_publish",
    }
