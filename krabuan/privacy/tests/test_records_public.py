"""Public pages, no sign-in: a notice at its stable address (latest published version, ?lang=en,
earlier published versions), its QR code pointing at that address, the list of notices, and the
RoPA summary — only published versions, nothing about individual people."""

from __future__ import annotations

import io

import pytest
import segno
from django.test import override_settings

from krabuan.privacy.models import RefusalSection, VersionStatus
from krabuan.privacy.services import notices, ropa
from krabuan.privacy.tests.test_records_helpers import (
    complete_data,
    dpo_user,
    ict_unit,
    make_activity,
    published_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(db):
    return dpo_user()


SITE = "https://krabuan.example.go.th"


def _notice(officer, group_head, *, publish: bool = True, body_th: str = "# หัวข้อ\nเนื้อหาฉบับแรก"):
    notice = notices.notice_create(
        actor=officer,
        slug="service-desk",
        title="ประกาศศูนย์บริการ",
        title_en="Service desk notice",
        unit=ict_unit(),
    )
    version = notices.notice_draft_save(
        actor=officer, notice=notice, body_th=body_th, body_en="# Heading\nFirst English text"
    )
    if publish:
        version = notices.notice_submit(actor=officer, version=version)
        version = notices.notice_approve(actor=group_head, version=version)
        notices.notice_publish(actor=group_head, version=version)
    return notice


def test_published_notice_is_public_in_thai_and_english(client, officer, group_head):
    _notice(officer, group_head)

    thai = client.get("/privacy/notices/service-desk/")
    english = client.get("/privacy/notices/service-desk/?lang=en")

    assert thai.status_code == 200
    assert "<h2>หัวข้อ</h2>" in thai.content.decode()
    assert "เนื้อหาฉบับแรก" in thai.content.decode()
    assert "First English text" in english.content.decode()
    assert "Service desk notice" in english.content.decode()


def test_draft_notice_is_not_public(client, officer, group_head):
    _notice(officer, group_head, publish=False)

    assert client.get("/privacy/notices/service-desk/").status_code == 404
    assert client.get("/privacy/notices/service-desk/qr.png").status_code == 404
    assert "ประกาศศูนย์บริการ" not in client.get("/privacy/notices/").content.decode()


def test_stable_url_shows_the_latest_published_version_and_lists_older_ones(
    client, officer, group_head
):
    notice = _notice(officer, group_head)
    second = notices.notice_draft_save(actor=officer, notice=notice, body_th="เนื้อหาฉบับที่สอง")
    # A draft after publication changes nothing on the public page.
    assert "เนื้อหาฉบับแรก" in client.get("/privacy/notices/service-desk/").content.decode()

    second = notices.notice_approve(
        actor=group_head, version=notices.notice_submit(actor=officer, version=second)
    )
    notices.notice_publish(actor=group_head, version=second)

    page = client.get("/privacy/notices/service-desk/").content.decode()
    assert "เนื้อหาฉบับที่สอง" in page and "เนื้อหาฉบับแรก" not in page
    assert "?version=1" in page  # the earlier published version is listed
    old = client.get("/privacy/notices/service-desk/?version=1").content.decode()
    assert "เนื้อหาฉบับแรก" in old and "ฉบับนี้เป็นฉบับก่อนหน้า" in old
    assert notice.versions.get(number=1).status == VersionStatus.SUPERSEDED


def test_never_published_version_cannot_be_read_by_number(client, officer, group_head):
    notice = _notice(officer, group_head)
    notices.notice_draft_save(actor=officer, notice=notice, body_th="ร่างลับ")

    assert client.get("/privacy/notices/service-desk/?version=2").status_code == 404
    assert client.get("/privacy/notices/service-desk/?version=abc").status_code == 404


@override_settings(KRABUAN_SITE_URL=SITE)
def test_qr_code_encodes_the_stable_absolute_url(client, officer, group_head):
    _notice(officer, group_head)
    expected = f"{SITE}/privacy/notices/service-desk/"

    png = client.get("/privacy/notices/service-desk/qr.png")
    page = client.get("/privacy/notices/service-desk/").content.decode()

    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    reference = io.BytesIO()
    segno.make(expected, error="m").save(reference, kind="png", scale=8, border=4)
    assert png.content == reference.getvalue()
    assert f"<title>{expected}</title>" in page  # the inline SVG names what it encodes
    assert segno.make(expected, error="m").svg_inline(scale=4, title=expected) in page


def test_notice_body_markup_is_escaped(client, officer, group_head):
    _notice(officer, group_head, body_th="<script>alert(1)</script> **ตัวหนา**\n- ข้อหนึ่ง")

    page = client.get("/privacy/notices/service-desk/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<strong>ตัวหนา</strong>" in page and "<li>ข้อหนึ่ง</li>" in page


def test_public_list_shows_published_notices(client, officer, group_head):
    _notice(officer, group_head)

    page = client.get("/privacy/notices/").content.decode()

    assert "/privacy/notices/service-desk/" in page


def test_ropa_summary_shows_only_published_versions_without_personal_details(
    client, officer, group_head, dpo
):
    published = make_activity(officer, name="กิจกรรมที่เผยแพร่")
    version = published_version(published, editor=officer, approver=group_head)
    ropa.ropa_record_refusal(
        ropa=version.ropa,
        request=None,
        section=RefusalSection.S30,
        reason="เหตุผลเฉพาะราย",
        actor=dpo,
    )
    draft = make_activity(officer, name="กิจกรรมร่าง")
    ropa.ropa_draft_save(
        actor=officer,
        ropa=ropa.ropa_create(actor=officer, activity=draft, kind="controller"),
        data=complete_data(),
    )
    # A newer draft of the published RoPA stays internal too.
    ropa.ropa_draft_save(actor=officer, ropa=version.ropa, data=complete_data(retention="ร่างใหม่"))

    response = client.get("/privacy/ropa-summary/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "กิจกรรมที่เผยแพร่" in page and "กิจกรรมร่าง" not in page
    assert "ร่างใหม่" not in page and "5 ปี" in page
    assert "เหตุผลเฉพาะราย" not in page  # refusals concern individuals
    assert "นางสาวคุ้มครอง ข้อมูล" not in page  # the DPO's name; the contact is shown
    assert "dpo@example.go.th" in page
    assert group_head.username not in page
