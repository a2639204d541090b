"""The records pages end to end through the URLs: who may open them, the forms (Thai messages,
Thai digits and BE dates accepted, nothing saved on refusal), the RoPA and notice approval
buttons, attendance and its CSV, agreements with files, destructions with evidence, and a
constant query count on every list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.org.models import Membership, Role
from krabuan.org.tests.factories import UserFactory, membership_add
from krabuan.privacy.models import (
    Attendance,
    AwarenessActivity,
    DataItem,
    DataProcessingAgreement,
    DestructionRecord,
    GroupRole,
    PrivacyNotice,
    ProcessingActivity,
    RopaVersion,
    VersionStatus,
    WorkingGroupMember,
)
from krabuan.privacy.services import dpas, members, notices, ropa
from krabuan.privacy.tests.test_records_helpers import (
    CONTROLLER,
    complete_data,
    dpo_user,
    ict_unit,
    make_activity,
    make_dataset,
    published_version,
    ropa_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(db):
    return dpo_user()


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_pages_need_a_staff_role(client, requester):
    assert client.get("/privacy/inventory/").status_code == 302  # to the sign-in page
    client.force_login(requester)
    for url in ("/privacy/records/", "/privacy/inventory/", "/privacy/ropa/", "/privacy/dpas/"):
        assert client.get(url).status_code == 403, url


def test_auditor_reads_but_cannot_open_forms(client, auditor, officer):
    activity = make_activity(officer)
    client.force_login(auditor)

    assert client.get(f"/privacy/inventory/{activity.pk}/").status_code == 200
    assert client.get("/privacy/inventory/new/").status_code == 403
    response = client.post(f"/privacy/inventory/{activity.pk}/items/new/", {"name": "x"})
    assert response.status_code == 403
    assert activity.data_items.count() == 1


def test_activity_and_item_through_the_forms(client, officer):
    dataset = make_dataset()
    client.force_login(officer)

    response = client.post(
        "/privacy/inventory/new/", {"unit": ict_unit().pk, "name": "  รับเรื่องร้องเรียน  "}
    )
    activity = ProcessingActivity.objects.get()
    assert response.status_code == 302 and activity.name == "รับเรื่องร้องเรียน"
    response = client.post(
        f"/privacy/inventory/{activity.pk}/items/new/",
        {
            "name": "เลขประจำตัวประชาชน",
            "category": "ข้อมูลระบุตัวตน",
            "sensitive": "",
            "data_subjects": "ผู้ร้องเรียน",
            "source": "หนังสือร้องเรียน",
            "storage": "ระบบสารบรรณ",
            "retention_months": "๒๔",
            "collected_since": "1/10/2566",
            "datasets": [str(dataset.pk)],
        },
    )

    assert response.status_code == 302
    item = DataItem.objects.get(activity=activity)
    assert item.retention_months == 24
    assert item.collected_since == dt.date(2023, 10, 1)
    assert list(item.datasets.all()) == [dataset]


def test_item_form_refusal_names_the_field_and_saves_nothing(client, officer):
    activity = make_activity(officer)
    client.force_login(officer)

    response = client.post(
        f"/privacy/inventory/{activity.pk}/items/new/",
        {"name": "ที่อยู่", "data_subjects": "ประชาชน", "source": "แบบฟอร์ม", "storage": "ระบบ"},
    )

    assert response.status_code == 400
    assert "กรุณาระบุระยะเวลาเก็บรักษาเป็นจำนวนเดือน" in response.content.decode()
    assert activity.data_items.count() == 1
    response = client.post(
        f"/privacy/inventory/{activity.pk}/items/new/",
        {"name": "ที่อยู่", "retention_months": "สองปี"},
    )
    assert response.status_code == 400
    assert "ระยะเวลาเก็บรักษา (เดือน)ต้องเป็นตัวเลขจำนวนเต็ม" in response.content.decode()


def _ropa_post() -> dict[str, Any]:
    return {
        "data_collected": "ชื่อ-นามสกุล",
        "purpose-0-data": "ชื่อ-นามสกุล",
        "purpose-0-purpose": "ติดต่อกลับ",
        "purpose-1-data": "",
        "purpose-1-purpose": "",
        "controller_name": CONTROLLER["name"],
        "controller_address": CONTROLLER["address"],
        "controller_contact": CONTROLLER["contact"],
        "dpo_name": CONTROLLER["dpo_name"],
        "dpo_contact": CONTROLLER["dpo_contact"],
        "retention": "2 ปี",
        "access_rights": "เจ้าหน้าที่ผู้รับผิดชอบ",
        "exempt_disclosures": "ไม่มี",
        "refusals_note": "ไม่มี",
        "security_measures": "ควบคุมสิทธิ",
        "lawful_bases": ["s24_4", "s24_6"],
        "recipients": "",
        "transfers_abroad": "ไม่มี",
    }


def test_ropa_through_the_pages_from_draft_to_published(client, officer, group_head):
    activity = make_activity(officer)
    client.force_login(officer)

    response = client.post(f"/privacy/inventory/{activity.pk}/ropa/new/", {"kind": "controller"})
    record = ropa_of(activity)
    assert (
        response.status_code == 302 and response["Location"] == f"/privacy/ropa/{record.pk}/edit/"
    )
    assert "ชื่อ-นามสกุล (ข้อมูลระบุตัวตน)" in client.get(response["Location"]).content.decode()
    assert client.post(f"/privacy/ropa/{record.pk}/edit/", _ropa_post()).status_code == 302
    version = RopaVersion.objects.get(ropa=record)
    assert version.purposes == [{"data": "ชื่อ-นามสกุล", "purpose": "ติดต่อกลับ"}]
    assert version.lawful_bases == ["s24_4", "s24_6"]

    client.post(f"/privacy/ropa/{record.pk}/v/1/submit/")
    assert client.post(f"/privacy/ropa/{record.pk}/v/1/approve/").status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED

    client.force_login(group_head)
    client.post(f"/privacy/ropa/{record.pk}/v/1/approve/", {"note": "อนุมัติ"})
    client.post(f"/privacy/ropa/{record.pk}/v/1/publish/")
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.approval_note == "อนุมัติ"
    assert "ติดต่อกลับ" in client.get("/privacy/ropa-summary/").content.decode()


def test_submit_button_refuses_an_incomplete_draft_with_the_missing_items(client, officer):
    activity = make_activity(officer)
    client.force_login(officer)
    client.post(f"/privacy/inventory/{activity.pk}/ropa/new/", {"kind": "controller"})
    record = ropa_of(activity)
    client.post(f"/privacy/ropa/{record.pk}/edit/", {**_ropa_post(), "retention": ""})

    page = client.get(f"/privacy/ropa/{record.pk}/").content.decode()
    assert "ยังไม่ได้ระบุระยะเวลาการเก็บรักษา (ข้อ 4)" in page
    response = client.post(f"/privacy/ropa/{record.pk}/v/1/submit/", follow=True)
    assert "ส่งขออนุมัติไม่ได้" in response.content.decode()
    assert RopaVersion.objects.get(ropa=record).status == VersionStatus.DRAFT


def test_team_records_a_refusal_from_the_ropa_page(client, officer, group_head, dpo):
    version = published_version(make_activity(officer), editor=officer, approver=group_head)
    client.force_login(officer)
    assert (
        client.post(
            f"/privacy/ropa/{version.ropa_id}/refusals/", {"section": "s30", "reason": "x"}
        ).status_code
        == 403
    )

    client.force_login(dpo)
    client.post(
        f"/privacy/ropa/{version.ropa_id}/refusals/", {"section": "s31", "reason": "ทำไม่ได้ทางเทคนิค"}
    )

    page = client.get(f"/privacy/ropa/{version.ropa_id}/").content.decode()
    assert "ทำไม่ได้ทางเทคนิค" in page


def test_members_appointed_and_ended_by_the_team(client, officer, dpo):
    client.force_login(officer)
    assert client.get("/privacy/group/appoint/").status_code == 403

    client.force_login(dpo)
    response = client.post(
        "/privacy/group/appoint/",
        {
            "user": officer.pk,
            "unit": ict_unit().pk,
            "role": GroupRole.REPRESENTATIVE,
            "appointed_on": "๑ ต.ค. ๒๕๖๘",
            "order_reference": "คำสั่ง ศทส. ที่ 5/2568",
        },
    )
    member = WorkingGroupMember.objects.get()
    assert response.status_code == 302 and member.appointed_on == dt.date(2025, 10, 1)
    again = client.post(
        "/privacy/group/appoint/",
        {
            "user": officer.pk,
            "unit": ict_unit().pk,
            "role": GroupRole.REPRESENTATIVE,
            "appointed_on": "2025-10-02",
            "order_reference": "x",
        },
    )
    assert again.status_code == 400 and "ดำรงบทบาทนี้" in again.content.decode()

    client.post(f"/privacy/group/{member.pk}/end/", {"note": "ย้ายสังกัด"})
    member.refresh_from_db()
    assert member.active is False
    assert "คำสั่ง ศทส. ที่ 5/2568" in client.get("/privacy/group/?all=1&format=csv").content.decode(
        "utf-8-sig"
    )


def test_attendance_from_users_and_free_names_with_csv(client, officer, group_head):
    client.force_login(officer)
    client.post(
        "/privacy/awareness/new/",
        {"title": "อบรม PDPA", "held_on": "15/01/2569", "unit": ict_unit().pk},
    )
    # Look the id up: PostgreSQL does not reset sequences between tests.
    activity_url = f"/privacy/awareness/{AwarenessActivity.objects.get().pk}/"
    client.post(activity_url, {"user": group_head.pk})
    client.post(activity_url, {"name": "นายภายนอก ทดสอบ"})
    refused = client.post(activity_url, {"user": group_head.pk})

    assert refused.status_code == 400
    assert Attendance.objects.count() == 2
    csv = client.get(f"{activity_url}?format=csv").content.decode("utf-8-sig")
    assert "นายภายนอก ทดสอบ" in csv and group_head.username in csv
    assert "15 มกราคม 2569" in csv


def test_dpa_with_file_and_expiry_filter(client, officer):
    client.force_login(officer)
    response = client.post(
        "/privacy/dpas/new/",
        {
            "counterpart": "บริษัท ก จำกัด",
            "role": "controller",
            "scope": "ดูแลระบบ",
            "unit": ict_unit().pk,
            "starts_on": "2025-01-01",
            "ends_on": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
            "alert_days": "๓๐",
            "file": SimpleUploadedFile("ข้อตกลง.pdf", PDF, content_type="application/pdf"),
        },
    )
    dpa = DataProcessingAgreement.objects.get()
    assert response.status_code == 302 and dpa.alert_days == 30

    download = client.get(f"/privacy/dpas/{dpa.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "บริษัท ก จำกัด" in client.get("/privacy/dpas/?expires_within=15").content.decode()
    assert "บริษัท ก จำกัด" not in client.get("/privacy/dpas/?expires_within=5").content.decode()
    bad = client.post(
        "/privacy/dpas/new/",
        {
            "counterpart": "ข",
            "role": "controller",
            "scope": "x",
            "unit": ict_unit().pk,
            "starts_on": "2025-01-01",
            "file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
        },
    )
    assert bad.status_code == 400 and DataProcessingAgreement.objects.count() == 1


def test_destruction_with_evidence_through_the_page(client, officer, group_head):
    activity = make_activity(officer)
    item = activity.data_items.get()
    client.force_login(officer)

    response = client.post(
        f"/privacy/retention/items/{item.pk}/destroy/",
        {
            "method": "ลบข้อมูล",
            "destroyed_on": "2/3/2569",
            "approved_by": group_head.pk,
            "evidence": SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf"),
        },
    )

    record = DestructionRecord.objects.get()
    assert response.status_code == 302 and record.approved_by == group_head
    assert record.destroyed_on == dt.date(2026, 3, 2)
    assert client.get(f"/privacy/retention/destructions/{record.pk}/evidence/").status_code == 200
    refused = client.post(
        f"/privacy/retention/items/{item.pk}/destroy/",
        {"method": "ลบ", "destroyed_on": "2/3/2569", "approved_by": officer.pk},
    )
    assert refused.status_code == 400 and DestructionRecord.objects.count() == 1


def test_notice_through_the_pages(client, officer, group_head):
    client.force_login(officer)
    client.post(
        "/privacy/notice-admin/new/",
        {"slug": "complaints", "title": "ประกาศรับเรื่องร้องเรียน", "unit": ict_unit().pk},
    )
    notice = PrivacyNotice.objects.get()
    client.post(f"/privacy/notice-admin/{notice.pk}/body/", {"body_th": "เนื้อหา", "body_en": "Body"})
    client.post(f"/privacy/notice-admin/{notice.pk}/v/1/submit/")
    client.force_login(group_head)
    client.post(f"/privacy/notice-admin/{notice.pk}/v/1/approve/")
    client.post(f"/privacy/notice-admin/{notice.pk}/v/1/publish/")

    assert notice.versions.get().status == VersionStatus.PUBLISHED
    page = client.get(f"/privacy/notice-admin/{notice.pk}/").content.decode()
    assert "http://testserver" not in page and "/privacy/notices/complaints/" in page
    bad = client.post(
        "/privacy/notice-admin/new/", {"slug": "มีภาษาไทย", "title": "x", "unit": ict_unit().pk}
    )
    assert bad.status_code == 400 and "ชื่อ URL ใช้ได้เฉพาะ" in bad.content.decode()


# --- query counts --------------------------------------------------------------------------


def _grow_inventory(officer, group_head, n: int) -> None:
    dataset = make_dataset(f"ชุดข้อมูล {n}")
    activity = make_activity(officer, name=f"กิจกรรม {n}", sensitive=True)
    activity.data_items.get(sensitive=False).datasets.add(dataset)
    bases = complete_data(lawful_bases=["s24_4", "explicit_consent"])
    published_version(activity, editor=officer, approver=group_head, data=bases)
    notice = notices.notice_create(
        actor=officer, slug=f"notice-{n}", title=f"ประกาศ {n}", unit=ict_unit()
    )
    notices.notice_draft_save(actor=officer, notice=notice, body_th="เนื้อหา")
    dpas.dpa_create(
        actor=officer,
        counterpart=f"บริษัท {n}",
        role="controller",
        scope="x",
        unit=ict_unit(),
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2030, 1, 1),
    )
    user = UserFactory(username=f"member-{n}")
    membership_add(user=user, role=Role.OFFICER, unit=ict_unit())
    members.member_appoint(
        actor=_director(),
        user=user,
        unit=ict_unit(),
        role=GroupRole.REPRESENTATIVE,
        appointed_on=dt.date(2025, 1, 1),
        order_reference="คำสั่ง",
    )
    awareness = members.awareness_create(
        actor=officer, title=f"อบรม {n}", held_on=dt.date(2025, 1, 1), unit=ict_unit()
    )
    members.attendance_add(actor=officer, activity=awareness, user=user)
    activity.data_items.filter(sensitive=False).update(collected_since=dt.date(2020, 1, 1))
    ropa.ropa_draft_save(actor=officer, ropa=ropa_of(activity), data={"retention": "ร่าง"})


def _director() -> Any:
    user: Any = UserFactory(username="q-director")
    Membership.objects.get_or_create(user=user, unit=ict_unit(), role=Role.DIRECTOR)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/privacy/inventory/",
        "/privacy/inventory/?format=xlsx",
        "/privacy/ropa/",
        "/privacy/ropa/?state=latest",
        "/privacy/notice-admin/",
        "/privacy/dpas/",
        "/privacy/group/",
        "/privacy/awareness/",
        "/privacy/awareness/?format=csv",
        "/privacy/notice-admin/?format=csv",
        "/privacy/dpas/?format=csv",
        "/privacy/retention/",
        "/privacy/notices/",
        "/privacy/ropa-summary/",
    ],
)
def test_list_query_count_is_constant(client, officer, group_head, url):
    _grow_inventory(officer, group_head, 1)
    client.force_login(officer)
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in (2, 3, 4):
        _grow_inventory(officer, group_head, n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few), url
