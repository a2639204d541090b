"""Receiving and handling data-subject requests: deadlines, numbering, encryption at rest,
validation, the case of process 15, refusal into the RoPA, retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from krabuan.core.errors import ApplicationError, Conflict, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK
from krabuan.manual.models import Process
from krabuan.privacy.crypto import decrypt
from krabuan.privacy.models import (
    DataSubjectRequest,
    RequestChannel,
    RequestStatus,
    RopaRefusal,
)
from krabuan.privacy.selectors.requests import request_contact
from krabuan.privacy.services import requests as services
from krabuan.privacy.services.request_rules import due_days_table
from krabuan.privacy.tests.request_helpers import (
    activity,
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
    ropa_for,
    submit,
)
from krabuan.workflow.models import CaseLink
from krabuan.workflow.services.cases import case_start

pytestmark = pytest.mark.django_db


# --- deadlines ---------------------------------------------------------------------------------


def test_access_request_is_due_30_calendar_days_after_receipt():
    request = submit(type="access")

    assert request.due_at - request.received_at == dt.timedelta(days=30)
    assert request.status == RequestStatus.RECEIVED
    assert request.channel == RequestChannel.PUBLIC


def test_erasure_request_is_due_90_days_after_receipt_per_the_2024_notification():
    request = submit(type="erasure")

    assert request.due_at - request.received_at == dt.timedelta(days=90)


def test_staff_entry_back_dated_counts_from_the_day_received():
    dpo = dpo_user()
    received = (timezone.now() - dt.timedelta(days=10)).replace(microsecond=0)

    request = services.request_create(
        actor=dpo,
        type="rectification",
        name="นายสมชาย",
        email="somchai@example.com",
        details="ขอแก้ไขชื่อสกุล",
        received_at=received,
    )

    assert request.received_at == received
    assert request.due_at == received + dt.timedelta(days=30)
    assert request.channel == RequestChannel.STAFF


@pytest.mark.parametrize(
    ("received", "message"),
    [(dt.timedelta(days=-2), "อนาคต"), (dt.timedelta(days=400), "365")],
)
def test_staff_back_dating_has_limits(received, message):
    with pytest.raises(ApplicationError) as caught:
        services.request_create(
            actor=dpo_user(),
            type="access",
            name="นายสมชาย",
            email="a@example.com",
            details="ขอสำเนา",
            received_at=timezone.now() - received,
        )

    assert message in caught.value.fields["received_at"][0]
    assert DataSubjectRequest.objects.count() == 0


def test_only_the_privacy_team_enters_requests(officer):
    with pytest.raises(PermissionDenied):
        services.request_create(
            actor=officer, type="access", name="ก", email="a@example.com", details="ข"
        )


@override_settings(KRABUAN_DSR_DAYS="access=15,erasure=60")
def test_days_per_type_come_from_the_setting():
    table = due_days_table()

    assert table["access"] == 15
    assert table["erasure"] == 60
    assert table["objection"] == 30
    assert submit(type="access").due_at - timezone.now() < dt.timedelta(days=15, minutes=1)


@override_settings(KRABUAN_DSR_DAYS="45")
def test_a_bare_number_sets_every_type():
    assert set(due_days_table().values()) == {45}


@pytest.mark.parametrize("value", ["access=abc", "nosuchtype=30", "access=0", "access=400"])
def test_a_bad_setting_is_a_configuration_error(value):
    with override_settings(KRABUAN_DSR_DAYS=value), pytest.raises(ImproperlyConfigured):
        due_days_table()


def test_references_count_up_within_the_buddhist_year():
    first, second = submit(), submit(ip="203.0.113.8")
    year = first.received_at.astimezone(BANGKOK).year + 543

    assert first.reference == f"DSR-{year}-0001"
    assert second.reference == f"DSR-{year}-0002"


# --- encryption at rest ------------------------------------------------------------------------


def test_contact_details_are_encrypted_at_rest():
    request = submit(
        name="นางสาวลับเฉพาะ ทดสอบ",
        email="secret.person@example.com",
        phone="0812345678",
        address="เลขที่ 123 ซอยลับ",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_enc, email_enc, phone_enc, address_enc FROM privacy_datasubjectrequest "
            "WHERE id = %s",
            [request.pk],
        )
        raw = cursor.fetchone()

    stored = " ".join(raw)
    for plain in ("ลับเฉพาะ", "secret.person", "example.com", "0812345678", "ซอยลับ"):
        assert plain not in stored
    assert all(value.startswith("gAAAA") for value in raw)  # Fernet tokens
    contact = request_contact(DataSubjectRequest.objects.get(pk=request.pk))
    assert contact.name == "นางสาวลับเฉพาะ ทดสอบ"
    assert contact.email == "secret.person@example.com"
    assert contact.phone == "0812345678"


def test_the_audit_trail_names_the_contact_fields_but_never_their_values():
    request = submit(email="hidden@example.com", phone="")
    entry = AuditEntry.objects.get(action="privacy.request.create", object_id=str(request.pk))

    assert entry.changes["contact_given"] == ["name", "email", "address"]
    assert "hidden@example.com" not in str(entry.changes)


# --- validation --------------------------------------------------------------------------------


def test_every_bad_field_is_named_in_thai_and_nothing_is_saved():
    with pytest.raises(ApplicationError) as caught:
        submit(type="nonsense", name="", email="not-an-email", phone="12ab", details="")

    fields = caught.value.fields
    assert set(fields) == {"type", "name", "email", "phone", "details"}
    assert "อีเมล" in fields["email"][0]
    assert "โทรศัพท์" in fields["phone"][0]
    assert "ประเภทคำขอ" in fields["type"][0]
    assert DataSubjectRequest.objects.count() == 0


def test_a_way_to_reply_is_required():
    with pytest.raises(ApplicationError) as caught:
        submit(email="", phone="", address="")

    assert "ช่องทางติดต่อ" in caught.value.fields["email"][0]


def test_thai_digits_in_the_phone_number_are_accepted():
    request = submit(phone="๐๘๑-๒๓๔-๕๖๗๘")

    assert decrypt(request.phone_enc) == "0812345678"


def test_an_unknown_activity_is_refused():
    with pytest.raises(ApplicationError) as caught:
        submit(activity_id=999999)

    assert "activity" in caught.value.fields


# --- case of process 15 ------------------------------------------------------------------------


def test_without_an_open_case_of_process_15_the_request_has_no_case():
    request = submit()

    assert request.case is None
    entry = AuditEntry.objects.get(action="privacy.request.create", object_id=str(request.pk))
    assert "กระบวนงานที่ 15" in entry.changes["case_note"]


def test_the_request_joins_the_open_case_of_process_15(director):
    call_command("load_demo_org", verbosity=0)
    call_command("load_manual", year=2567, verbosity=0)
    process = Process.objects.get(manual__fiscal_year=2567, code="C15")
    case = case_start(process=process, title="คุ้มครองข้อมูลส่วนบุคคลประจำปี", actor=director)

    request = submit()

    assert request.case_id == case.pk
    assert CaseLink.objects.filter(case=case, object_id=str(request.pk)).exists()


# --- handling ----------------------------------------------------------------------------------


def test_identity_then_answer_completes_the_request():
    dpo = dpo_user()
    request = submit()

    services.request_verify_identity(actor=dpo, request=request, method="ตรวจบัตรประชาชน")
    done = services.request_complete(actor=dpo, request=request, response="ส่งสำเนาข้อมูลแล้ว")

    assert done.status == RequestStatus.COMPLETED
    assert done.responded_at is not None
    assert done.identity_verified_by == dpo
    actions = set(
        AuditEntry.objects.filter(object_id=str(request.pk)).values_list("action", flat=True)
    )
    assert {"privacy.request.verify", "privacy.request.complete"} <= actions


def test_an_answer_needs_identity_verified_first():
    dpo = dpo_user()
    request = submit()

    with pytest.raises(Conflict):
        services.request_complete(actor=dpo, request=request, response="ส่งสำเนาแล้ว")
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


def test_an_officer_outside_the_team_cannot_act(officer):
    request = submit()

    with pytest.raises(PermissionDenied):
        services.request_verify_identity(actor=officer, request=request, method="บัตร")
    with pytest.raises(PermissionDenied):
        services.request_assign(actor=officer, request=request, assignee=officer)


def test_the_assigned_officer_may_handle_it(officer):
    dpo = dpo_user()
    request = submit()

    services.request_assign(actor=dpo, request=request, assignee=officer)
    request.refresh_from_db()
    services.request_verify_identity(actor=officer, request=request, method="บัตร")

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.assigned_to == officer


def test_a_refusal_is_written_into_the_ropa_of_the_activity():
    dpo = dpo_user()
    target = activity()
    ropa = ropa_for(target)
    request = submit(activity_id=target.pk)

    services.request_refuse(
        actor=dpo, request=request, section="s30", reason="การเปิดเผยจะกระทบสิทธิของผู้อื่น"
    )

    refusal = RopaRefusal.objects.get(request=request)
    assert refusal.ropa == ropa
    assert refusal.section == "s30"
    assert refusal.reason == "การเปิดเผยจะกระทบสิทธิของผู้อื่น"
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert request.refusal_section == "s30"


def test_a_refusal_without_an_activity_asks_for_the_activity_and_changes_nothing():
    dpo = dpo_user()
    request = submit()

    with pytest.raises(ApplicationError) as caught:
        services.request_refuse(actor=dpo, request=request, section="s30", reason="เหตุผล")

    assert "กิจกรรม" in caught.value.fields["activity"][0]
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED
    assert RopaRefusal.objects.count() == 0


def test_the_activity_can_be_chosen_when_refusing():
    dpo = dpo_user()
    target = activity()
    ropa_for(target)
    request = submit()

    services.request_refuse(
        actor=dpo, request=request, section="other", reason="ไม่พบข้อมูล", activity=target
    )

    request.refresh_from_db()
    assert request.activity == target
    assert RopaRefusal.objects.filter(request=request).count() == 1


def test_the_section_must_fit_the_type_of_request():
    dpo = dpo_user()
    target = activity()
    ropa_for(target)
    request = submit(type="access", activity_id=target.pk)

    with pytest.raises(ApplicationError) as caught:
        services.request_refuse(actor=dpo, request=request, section="s32", reason="เหตุผล")

    assert "section" in caught.value.fields
    assert RopaRefusal.objects.count() == 0


def test_a_closed_request_cannot_be_refused_again():
    dpo = dpo_user()
    request = submit()
    services.request_cancel(actor=dpo, request=request, reason="ผู้ยื่นขอถอนคำขอ")

    with pytest.raises(Conflict):
        services.request_verify_identity(actor=dpo, request=request, method="บัตร")


# --- retention ---------------------------------------------------------------------------------


def test_contact_details_are_purged_after_the_retention_period():
    dpo = dpo_user()
    request = submit()
    services.request_cancel(actor=dpo, request=request, reason="ซ้ำกับคำขออื่น")
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        responded_at=timezone.now() - dt.timedelta(days=800)
    )
    kept = submit(ip="203.0.113.9")

    assert services.request_purge_expired() == 1
    assert services.request_purge_expired() == 0

    request.refresh_from_db()
    assert request.name_enc == request.email_enc == request.phone_enc == ""
    assert request.reference.startswith("DSR-")
    kept.refresh_from_db()
    assert decrypt(kept.name_enc) == "นางสาวสมใจ ใจดี"
