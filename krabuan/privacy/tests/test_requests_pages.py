"""Staff pages and API reads of requests: who may see them (404 for others), every read
audited, the list (filters, days left, CSV without contact details, constant queries), the
actions, and the response letter."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from krabuan.core.models import AuditEntry
from krabuan.core.thai import normalize_text, to_thai_digits
from krabuan.privacy.models import DataSubjectRequest, RequestStatus, RopaRefusal
from krabuan.privacy.services import requests as services
from krabuan.privacy.tests.request_helpers import (
    activity,
    clear_cache,  # noqa: F401 (autouse fixture)
    dpo_user,
    group_member,
    ropa_for,
    submit,
)

pytestmark = pytest.mark.django_db


def views_of(request: DataSubjectRequest) -> int:
    return AuditEntry.objects.filter(
        action="view", object_type="privacy.datasubjectrequest", object_id=str(request.pk)
    ).count()


# --- access rules ------------------------------------------------------------------------------


def test_an_officer_outside_the_privacy_group_gets_not_found(client, officer):
    request = submit()
    client.force_login(officer)

    page = client.get(reverse("privacy:request_detail", args=[request.pk]))
    api = client.get(f"/api/v1/privacy/requests/{request.pk}/")
    letter = client.get(reverse("privacy:request_letter", args=[request.pk, "pdf"]))
    action = client.post(
        reverse("privacy:request_verify", args=[request.pk]), {"method": "บัตรประชาชน"}
    )

    assert page.status_code == api.status_code == letter.status_code == action.status_code == 404
    assert "นางสาวสมใจ" not in page.content.decode()
    assert views_of(request) == 0
    request.refresh_from_db()
    assert request.identity_verified_at is None


def test_the_auditor_and_a_group_head_get_not_found_too(client, auditor, group_head):
    request = submit()
    for user in (auditor, group_head):
        client.force_login(user)
        assert client.get(reverse("privacy:request_detail", args=[request.pk])).status_code == 404


def test_the_dpo_sees_the_decrypted_contact_and_the_read_is_audited(client):
    dpo = dpo_user()
    request = submit(email="somjai@example.com")
    client.force_login(dpo)

    response = client.get(reverse("privacy:request_detail", args=[request.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "นางสาวสมใจ ใจดี" in page
    assert "somjai@example.com" in page
    entry = AuditEntry.objects.get(action="view", object_id=str(request.pk))
    assert entry.actor == dpo


def test_a_working_group_member_and_the_assigned_officer_may_see_it(client, officer):
    member = dpo_user("t-member")
    member.memberships.all().delete()  # not a DPO: only the working group makes them team
    group_member(member)
    request = submit()
    services.request_assign(actor=member, request=request, assignee=officer)

    for user in (member, officer):
        client.force_login(user)
        assert client.get(reverse("privacy:request_detail", args=[request.pk])).status_code == 200
    assert views_of(request) == 2


def test_every_api_read_is_audited(client):
    dpo = dpo_user()
    request = submit()
    client.force_login(dpo)

    first = client.get(f"/api/v1/privacy/requests/{request.pk}/")
    client.get(f"/api/v1/privacy/requests/{request.pk}/")

    assert first.status_code == 200
    assert first.json()["contact"]["email"] == "somjai@example.com"
    assert views_of(request) == 2


def test_the_api_list_needs_sign_in_and_shows_officers_only_their_own(client, officer):
    mine, other = submit(), submit(ip="203.0.113.99")
    services.request_assign(actor=dpo_user(), request=mine, assignee=officer)

    assert client.get("/api/v1/privacy/requests/").status_code in (401, 403)
    client.force_login(officer)
    body = client.get("/api/v1/privacy/requests/").json()

    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert "contact" not in body["results"][0]
    assert other.pk not in [r["id"] for r in body["results"]]


# --- list --------------------------------------------------------------------------------------


def test_the_list_filters_and_shows_days_left(client):
    dpo = dpo_user()
    late = submit(type="access")
    DataSubjectRequest.objects.filter(pk=late.pk).update(
        received_at=timezone.now() - dt.timedelta(days=40),
        due_at=timezone.now() - dt.timedelta(days=10),
    )
    fresh = submit(type="erasure", ip="203.0.113.50")
    client.force_login(dpo)

    everything = client.get(reverse("privacy:request_list")).content.decode()
    overdue = client.get(reverse("privacy:request_list"), {"overdue": "1"}).content.decode()
    erasure = client.get(reverse("privacy:request_list"), {"type": "erasure"}).content.decode()

    assert late.reference in everything and fresh.reference in everything
    assert "เกินกำหนด 10 วัน" in everything
    assert "เหลือ 90 วัน" in everything
    assert late.reference in overdue and fresh.reference not in overdue
    assert fresh.reference in erasure and late.reference not in erasure
    assert "นางสาวสมใจ" not in everything  # the list decrypts nothing


def test_the_list_runs_a_constant_number_of_queries(client, officer):
    dpo = dpo_user()
    target = activity()
    for n in range(3):
        request = submit(ip=f"203.0.113.{n}", activity_id=target.pk)
        services.request_assign(actor=dpo, request=request, assignee=officer)
    client.force_login(dpo)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("privacy:request_list"))
    for n in range(3, 9):
        request = submit(ip=f"203.0.113.{n}", activity_id=target.pk)
        services.request_assign(actor=dpo, request=request, assignee=officer)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("privacy:request_list"))

    assert len(many) == len(few)


def test_the_csv_export_has_no_contact_details(client):
    dpo = dpo_user()
    request = submit(name="นายลับมาก", email="hidden@example.com", phone="0899999999")
    client.force_login(dpo)

    response = client.get(reverse("privacy:request_list"), {"format": "csv"})

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert request.reference in text
    for secret in ("นายลับมาก", "hidden@example.com", "0899999999"):
        assert secret not in text


# --- actions through the pages -----------------------------------------------------------------


def test_refusing_on_the_page_without_an_activity_asks_for_it(client):
    dpo = dpo_user()
    request = submit()
    client.force_login(dpo)

    response = client.post(
        reverse("privacy:request_refuse", args=[request.pk]),
        {"section": "s30", "reason": "กระทบสิทธิผู้อื่น", "activity": ""},
    )

    assert response.status_code == 400
    assert "กรุณาเลือกกิจกรรมการประมวลผล" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


def test_refusing_on_the_page_writes_the_ropa(client):
    dpo = dpo_user()
    target = activity()
    ropa = ropa_for(target)
    request = submit()
    client.force_login(dpo)

    response = client.post(
        reverse("privacy:request_refuse", args=[request.pk]),
        {"section": "s30", "reason": "กระทบสิทธิผู้อื่น", "activity": str(target.pk)},
    )

    assert response.status_code == 302
    assert RopaRefusal.objects.get(request=request).ropa == ropa


def test_verify_then_answer_on_the_page(client):
    dpo = dpo_user()
    request = submit()
    client.force_login(dpo)

    client.post(reverse("privacy:request_verify", args=[request.pk]), {"method": "ตรวจบัตร"})
    response = client.post(
        reverse("privacy:request_complete", args=[request.pk]), {"response": "ส่งสำเนาแล้ว"}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_staff_entry_page(client):
    dpo = dpo_user()
    client.force_login(dpo)
    day = (timezone.now() - dt.timedelta(days=2)).date()
    be = f"{day.day:02d}/{day.month:02d}/{day.year + 543}"

    response = client.post(
        reverse("privacy:request_create"),
        {
            "type": "objection",
            "name": "นายสมชาย",
            "email": "",
            "phone": "02-123-4567",
            "address": "",
            "details": "คัดค้านการส่งข้อมูลให้หน่วยงานอื่น",
            "activity": "",
            "received_date": to_thai_digits(be),
            "received_time": "10:15",
        },
    )

    assert response.status_code == 302
    request = DataSubjectRequest.objects.get()
    assert request.received_at.date() == day or request.received_at.astimezone().date() == day
    assert request.due_at - request.received_at == dt.timedelta(days=30)


def test_staff_entry_is_for_the_team_only(client, officer):
    client.force_login(officer)

    assert client.get(reverse("privacy:request_create")).status_code == 403


# --- the response letter -----------------------------------------------------------------------


def _completed() -> DataSubjectRequest:
    dpo = dpo_user()
    request = submit(name="นางสาวสมใจ ใจดี", address="99 ถนนราชดำเนินนอก\nกรุงเทพมหานคร 10200")
    services.request_verify_identity(actor=dpo, request=request, method="ตรวจบัตร")
    return services.request_complete(
        actor=dpo, request=request, response="ส่งสำเนาข้อมูลการลงทะเบียนทางอีเมลแล้ว"
    )


def test_the_letter_is_addressed_to_the_requester_with_the_decision_and_legal_basis(client):
    request = _completed()
    client.force_login(dpo_user("t-dpo2"))

    response = client.get(reverse("privacy:request_letter", args=[request.pk, "docx"]))

    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "เรียน  นางสาวสมใจ ใจดี" in text
    assert "ถนนราชดำเนินนอก" in text
    assert to_thai_digits(request.reference) in text
    assert "ดำเนินการตามคำขอแล้ว" in text
    assert "ส่งสำเนาข้อมูลการลงทะเบียนทางอีเมลแล้ว" in text
    assert "มาตรา ๓๐" in text  # the right of access
    assert "มาตรา ๗๓" in text  # the complaint
    assert views_of(request) == 1


def test_the_refusal_letter_cites_the_refusal_section(client):
    dpo = dpo_user()
    target = activity()
    ropa_for(target)
    request = submit(activity_id=target.pk)
    services.request_refuse(actor=dpo, request=request, section="s30", reason="กระทบสิทธิผู้อื่น")
    client.force_login(dpo)

    response = client.get(reverse("privacy:request_letter", args=[request.pk, "pdf"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    # The PDF's font draws sara aa and sara am from one glyph: compare with them folded.
    def fold(value: str) -> str:
        folded = normalize_text(value).replace("\u0e33", "\u0e32").replace("\u0e4d", "")
        return folded.replace(" ", "").replace("\n", "")

    compact = fold(text)
    for expected in ("ปฏิเสธคำขอ", "มาตรา๓๐วรรคสาม", "กระทบสิทธิผู้อื่น", "นางสาวสมใจใจดี"):
        assert fold(expected) in compact


def test_no_letter_while_the_request_is_open(client):
    request = submit()
    client.force_login(dpo_user())

    response = client.get(reverse("privacy:request_letter", args=[request.pk, "docx"]))

    assert response.status_code == 302
