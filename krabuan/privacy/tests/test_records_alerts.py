"""Agreements ending soon and data due for destruction: who is told, once per threshold; the
destruction schedule (collected_since / last destruction + retention ≤ today + 30 days); and
recording a destruction with its approver and evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.core.errors import ApplicationError
from krabuan.core.models import AuditEntry
from krabuan.notify.models import Channel, Notification
from krabuan.privacy.models import DataItem, DestructionRecord, DpaRole, GroupRole
from krabuan.privacy.selectors.records import add_months, retention_schedule
from krabuan.privacy.services import dpas, inventory, members, retention
from krabuan.privacy.tasks_records import dpa_expiry_periodic, retention_due_periodic
from krabuan.privacy.tests.test_records_helpers import (
    dpo_user,
    ict_unit,
    make_activity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(db):
    return dpo_user()


TODAY = dt.date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _dpa(actor, *, ends_on: dt.date, alert_days: int = 30):
    return dpas.dpa_create(
        actor=actor,
        counterpart="บริษัท คลาวด์ จำกัด",
        role=DpaRole.WE_CONTROL,
        scope="ดูแลระบบ",
        unit=ict_unit(),
        starts_on=ends_on - dt.timedelta(days=365),
        ends_on=ends_on,
        alert_days=alert_days,
    )


def _in_app(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by("pk"))


def test_dpa_alert_goes_once_to_the_team_and_the_unit_head(officer, group_head, dpo):
    dpa = _dpa(officer, ends_on=TODAY + dt.timedelta(days=20))

    dpas.dpa_alerts_send(today=TODAY)
    dpas.dpa_alerts_send(today=TODAY)
    dpas.dpa_alerts_send(today=TODAY + dt.timedelta(days=1))

    for user in (dpo, group_head):
        rows = _in_app(user)
        assert len(rows) == 1
        assert rows[0].dedupe_key == f"privacy-dpa-{dpa.pk}-{dpa.ends_on.isoformat()}-30"
        assert "บริษัท คลาวด์ จำกัด" in rows[0].subject
    assert _in_app(officer) == []  # not the team, not the head
    dpa.refresh_from_db()
    assert dpa.alerted_at is not None


def test_dpa_alert_fires_again_at_the_next_threshold_only(officer, group_head, dpo):
    dpa = _dpa(officer, ends_on=TODAY + dt.timedelta(days=20))
    dpas.dpa_alerts_send(today=TODAY)

    dpas.dpa_alerts_send(today=dpa.ends_on - dt.timedelta(days=7))
    dpas.dpa_alerts_send(today=dpa.ends_on - dt.timedelta(days=6))

    keys = [n.dedupe_key.rsplit("-", 1)[-1] for n in _in_app(dpo)]
    assert keys == ["30", "7"]


def test_no_alert_before_the_window_or_after_the_end(officer, dpo):
    _dpa(officer, ends_on=TODAY + dt.timedelta(days=31))
    _dpa(officer, ends_on=TODAY - dt.timedelta(days=1))

    assert dpas.dpa_alerts_send(today=TODAY) == 0
    assert _in_app(dpo) == []


def test_a_new_end_date_rearms_the_alerts(officer, dpo):
    dpa = _dpa(officer, ends_on=TODAY + dt.timedelta(days=10))
    dpas.dpa_alerts_send(today=TODAY)
    dpas.dpa_update(
        actor=officer,
        dpa=dpa,
        counterpart=dpa.counterpart,
        role=dpa.role,
        scope=dpa.scope,
        unit=dpa.unit,
        starts_on=dpa.starts_on,
        ends_on=TODAY + dt.timedelta(days=25),
        alert_days=30,
    )

    dpas.dpa_alerts_send(today=TODAY)

    assert len(_in_app(dpo)) == 2


def test_working_group_members_hear_of_expiring_agreements(officer, director):
    member = members.member_appoint(
        actor=director,
        user=officer,
        unit=ict_unit(),
        role=GroupRole.SECRETARY,
        appointed_on=TODAY,
        order_reference="คำสั่งที่ 1/2569",
    )
    _dpa(officer, ends_on=TODAY + dt.timedelta(days=3))

    dpas.dpa_alerts_send(today=TODAY)

    assert len(_in_app(officer)) == 1
    members.member_end(actor=director, member=member)
    _dpa(officer, ends_on=TODAY + dt.timedelta(days=4))
    dpas.dpa_alerts_send(today=TODAY)
    assert len(_in_app(officer)) == 1


def test_dpa_validation_names_the_field(officer):
    with pytest.raises(ApplicationError) as exc:
        _dpa(officer, ends_on=TODAY, alert_days=400)
    assert "alert_days" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        dpas.dpa_create(
            actor=officer,
            counterpart="x",
            role=DpaRole.JOINT,
            scope="y",
            unit=ict_unit(),
            starts_on=TODAY,
            ends_on=TODAY - dt.timedelta(days=1),
        )
    assert "ends_on" in exc.value.fields


def test_periodic_task_runs_the_alerts(officer, dpo, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    _dpa(officer, ends_on=dt.date(2026, 3, 12))

    assert dpa_expiry_periodic.call_local() == 2  # in-app and e-mail for the DPO
    assert dpa_expiry_periodic.call_local() == 0


# --- retention ---------------------------------------------------------------------------------


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 15), 14) == dt.date(2025, 1, 15)


def _item(officer, *, name: str, months: int | None, since: dt.date | None, text: str = ""):
    activity = make_activity(officer, name=f"กิจกรรม {name}")
    return inventory.data_item_create(
        actor=officer,
        activity=activity,
        name=name,
        data_subjects="ประชาชน",
        source="แบบฟอร์ม",
        storage="ระบบ",
        retention_months=months,
        retention_text=text,
        collected_since=since,
    )


def test_schedule_lists_what_is_due_within_30_days(officer, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC))
    _item(officer, name="เลยกำหนด", months=12, since=dt.date(2025, 2, 1))
    _item(officer, name="ใกล้ครบ", months=12, since=dt.date(2025, 3, 30))
    _item(officer, name="ยังไม่ถึง", months=12, since=dt.date(2025, 4, 2))
    unknown = _item(officer, name="ไม่ทราบ", months=None, since=None, text="ตลอดไป")
    DataItem.objects.filter(name="ชื่อ-นามสกุล").delete()  # make_activity's own item

    due, cannot = retention_schedule(today=TODAY)

    assert [(r.item.name, r.due_on, r.overdue) for r in due] == [
        ("เลยกำหนด", dt.date(2026, 2, 1), True),
        ("ใกล้ครบ", dt.date(2026, 3, 30), False),
    ]
    assert unknown in cannot


def test_destruction_moves_the_next_due_date(officer, group_head, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC))
    item = _item(officer, name="เลยกำหนด", months=12, since=dt.date(2025, 1, 1))
    DataItem.objects.exclude(pk=item.pk).delete()

    record = retention.destruction_record(
        actor=officer,
        item=item,
        method="ลบจากฐานข้อมูลและข้อมูลสำรอง",
        destroyed_on=dt.date(2026, 3, 1),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 2, 28),
        approved_by=group_head,
        evidence=SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf"),
    )

    due, _ = retention_schedule(today=TODAY)
    assert [r.due_on for r in due] == [dt.date(2026, 2, 28)]  # data after the destroyed period
    assert due[0].base_kind == "destruction"
    assert (record.evidence.name or "").endswith(".pdf")
    entry = AuditEntry.objects.get(action="privacy.destruction_record")
    assert entry.changes["evidence"] == record.evidence.name


def test_destruction_approver_must_be_head_or_dpo(officer, group_head, dpo):
    item = _item(officer, name="ข้อมูล", months=12, since=dt.date(2025, 1, 1))

    with pytest.raises(ApplicationError) as exc:
        retention.destruction_record(
            actor=officer, item=item, method="ลบ", destroyed_on=TODAY, approved_by=officer
        )
    assert "approved_by" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        retention.destruction_record(
            actor=officer,
            item=item,
            method="ลบ",
            destroyed_on=dt.date(2099, 1, 1),
            approved_by=group_head,
        )
    assert "destroyed_on" in exc.value.fields
    assert not DestructionRecord.objects.exists()
    assert (
        retention.destruction_record(
            actor=officer, item=item, method="ลบ", destroyed_on=dt.date(2025, 6, 1), approved_by=dpo
        ).approved_by
        == dpo
    )


def test_retention_alert_is_sent_once_per_item_and_due_date(officer, group_head, dpo, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC))
    item = _item(officer, name="เลยกำหนด", months=12, since=dt.date(2025, 2, 1))
    DataItem.objects.exclude(pk=item.pk).delete()

    retention.retention_alerts_send(today=TODAY)
    retention_due_periodic.call_local()

    rows = _in_app(dpo)
    assert len(rows) == 1
    assert rows[0].dedupe_key == f"privacy-retention-{item.pk}-2026-02-01"
    assert "เลยกำหนด" in rows[0].subject
    assert len(_in_app(group_head)) == 1
