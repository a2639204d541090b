"""notify(): which rows it writes, for which channels, and that a repeat writes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from krabuan.notify.models import Channel, Notification, Status
from krabuan.notify.services import notify
from krabuan.notify.tests.conftest import LINE_USER
from krabuan.org.models import Preference
from krabuan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(user, key="case-1:step-2:due", **kwargs):
    return notify(
        user=user,
        subject="งานใกล้ครบกำหนด",
        body="ขั้นตอนที่ ๒ ครบกำหนดพรุ่งนี้",
        link="/work/cases/1/",
        dedupe_key=key,
        **kwargs,
    )


def _channels(user):
    return sorted(Notification.objects.filter(user=user).values_list("channel", flat=True))


def test_a_user_without_preferences_gets_in_app_and_email(mail_user):
    rows = _send(mail_user, kind="step_due")

    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.IN_APP]
    email_row = Notification.objects.get(user=mail_user, channel=Channel.EMAIL)
    assert email_row.recipient == "somsri@ict.example.go.th"
    assert email_row.status == Status.PENDING
    assert email_row.kind == "step_due"
    assert email_row.subject == "งานใกล้ครบกำหนด"
    assert email_row.link == "/work/cases/1/"


def test_the_in_app_row_is_in_the_inbox_at_once(mail_user):
    _send(mail_user)

    row = Notification.objects.get(user=mail_user, channel=Channel.IN_APP)
    assert row.status == Status.SENT
    assert row.sent_at is not None
    assert row.read_at is None
    assert row.recipient == ""


def test_line_is_used_only_when_chosen_and_linked(line_user):
    rows = _send(line_user)

    assert sorted(r.channel for r in rows) == [Channel.IN_APP, Channel.LINE]
    line_row = Notification.objects.get(user=line_user, channel=Channel.LINE)
    assert line_row.recipient == LINE_USER
    assert line_row.status == Status.PENDING


def test_line_chosen_but_not_linked_sends_no_line(db):
    user = UserFactory(username="nolink")
    Preference.objects.create(user=user, notify_line=True, line_user_id="")

    _send(user)

    assert _channels(user) == [Channel.EMAIL, Channel.IN_APP]


def test_a_linked_line_id_is_not_used_when_line_is_not_chosen(db):
    user = UserFactory(username="linked-off")
    Preference.objects.create(user=user, notify_line=False, line_user_id=LINE_USER)

    _send(user)

    assert _channels(user) == [Channel.EMAIL, Channel.IN_APP]


def test_every_channel_can_be_turned_off(db):
    user = UserFactory(username="quiet")
    Preference.objects.create(user=user, notify_in_app=False, notify_email=False)

    assert _send(user) == []
    assert _channels(user) == []


def test_email_is_skipped_for_a_user_without_an_address(db):
    user = UserFactory(username="noaddress", email="")

    _send(user)

    assert _channels(user) == [Channel.IN_APP]


def test_an_inactive_user_is_not_notified(mail_user):
    mail_user.is_active = False
    mail_user.save()

    assert _send(mail_user) == []
    assert _channels(mail_user) == []


def test_the_same_dedupe_key_twice_gives_one_row_per_channel(line_user):
    first = _send(line_user)
    second = _send(line_user)

    assert len(first) == 2
    assert second == []
    assert _channels(line_user) == [Channel.IN_APP, Channel.LINE]


def test_the_dedupe_key_is_per_user_and_a_new_key_is_a_new_message(mail_user, line_user):
    _send(mail_user, key="k1")
    _send(line_user, key="k1")
    _send(mail_user, key="k2")

    assert Notification.objects.filter(user=mail_user).count() == 4
    assert Notification.objects.filter(user=line_user).count() == 2


def test_a_repeat_inside_the_callers_transaction_leaves_it_usable(mail_user):
    with transaction.atomic():
        _send(mail_user)
        _send(mail_user)
        # The caller goes on writing in the same transaction after the duplicate.
        get_user_model().objects.filter(pk=mail_user.pk).update(first_name="สมศรี")

    mail_user.refresh_from_db()
    assert mail_user.first_name == "สมศรี"
    assert Notification.objects.filter(user=mail_user).count() == 2


def test_rows_roll_back_with_the_callers_transaction(mail_user):
    class Refused(Exception):
        """The caller's own failure, after notify() queued its rows."""

    with pytest.raises(Refused), transaction.atomic():
        _send(mail_user)
        raise Refused

    assert Notification.objects.count() == 0


def test_delivery_is_queued_after_commit_only_for_outside_channels(
    mail_user, django_capture_on_commit_callbacks
):
    in_app_only = UserFactory(username="inapp")
    Preference.objects.create(user=in_app_only, notify_email=False)

    with django_capture_on_commit_callbacks() as none:
        _send(in_app_only)
    with django_capture_on_commit_callbacks() as one:
        _send(mail_user)
    with django_capture_on_commit_callbacks() as repeat:
        _send(mail_user)

    assert len(none) == 0
    assert len(one) == 1
    assert len(repeat) == 0


def test_line_breaks_in_the_subject_are_folded_and_it_is_cut_to_255(mail_user):
    notify(user=mail_user, subject="บรรทัด ๑\nบรรทัด ๒", body="", dedupe_key="fold")
    notify(user=mail_user, subject="ก" * 300, body="", dedupe_key="long")

    assert Notification.objects.filter(dedupe_key="fold").first().subject == "บรรทัด ๑ บรรทัด ๒"
    assert len(Notification.objects.filter(dedupe_key="long").first().subject) == 255


def test_a_missing_or_too_long_dedupe_key_is_a_programming_error(mail_user):
    with pytest.raises(ValueError, match="dedupe_key is required"):
        notify(user=mail_user, subject="x", body="", dedupe_key="")
    with pytest.raises(ValueError, match="longer than 200"):
        notify(user=mail_user, subject="x", body="", dedupe_key="k" * 201)
    assert Notification.objects.count() == 0
