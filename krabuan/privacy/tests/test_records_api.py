"""GET /api/v1/privacy/ropa/ and /api/v1/privacy/ropa/{id}/: staff of any unit read, the
anonymous get 401 and other roles 403, errors in the one JSON shape; the list's query count
does not grow with the register."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from krabuan.org.models import Role
from krabuan.org.tests.factories import UserFactory, membership_add
from krabuan.privacy.models import RefusalSection, RopaKind
from krabuan.privacy.services import ropa
from krabuan.privacy.tests.test_records_helpers import (
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


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def register(officer, group_head, dpo):
    first = published_version(make_activity(officer), editor=officer, approver=group_head)
    ropa.ropa_draft_save(actor=officer, ropa=first.ropa, data=complete_data(retention="ร่าง 2"))
    ropa.ropa_record_refusal(
        ropa=first.ropa, request=None, section=RefusalSection.S36, reason="ข้อมูลถูกต้องแล้ว", actor=dpo
    )
    processor = ropa.ropa_create(
        actor=officer,
        activity=make_activity(officer, name="ประมวลผลแทนกรม"),
        kind=RopaKind.PROCESSOR,
    )
    ropa.ropa_draft_save(actor=officer, ropa=processor, data=processor_data())
    return first.ropa, processor


def test_officer_of_another_unit_reads_the_register(api, register):
    controller, processor = register
    reader = UserFactory(username="reader-other")
    membership_add(user=reader, role=Role.OFFICER, unit=other_unit())
    api.force_authenticate(reader)

    response = api.get("/api/v1/privacy/ropa/")

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {controller.pk, processor.pk}
    assert rows[controller.pk]["published"]["number"] == 1
    assert rows[controller.pk]["latest"]["number"] == 2
    assert rows[controller.pk]["latest"]["status"] == "draft"
    assert rows[processor.pk]["published"] is None
    assert rows[processor.pk]["unit"]["code"] == "ict"


def test_list_filters_by_kind_and_unit(api, auditor, register):
    _controller, processor = register
    api.force_authenticate(auditor)

    assert [r["id"] for r in api.get("/api/v1/privacy/ropa/?kind=processor").json()] == [
        processor.pk
    ]
    assert len(api.get("/api/v1/privacy/ropa/?unit=ict").json()) == 2
    assert api.get(f"/api/v1/privacy/ropa/?unit={other_unit().code}").json() == []
    assert api.get("/api/v1/privacy/ropa/?unit=no-such-unit").json() == []
    bad = api.get("/api/v1/privacy/ropa/?kind=owner")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]


def test_detail_has_every_item_the_versions_and_the_refusals(api, officer, register):
    controller, _ = register
    api.force_authenticate(officer)

    body = api.get(f"/api/v1/privacy/ropa/{controller.pk}/").json()

    published = body["published"]
    assert published["number"] == 1 and published["status"] == "published"
    for key in (
        "data_collected",
        "purposes",
        "controller",
        "retention",
        "access_rights",
        "exempt_disclosures",
        "refusals_note",
        "security_measures",
        "lawful_bases",
        "recipients",
        "transfers_abroad",
    ):
        assert published[key], key
    assert published["controller"]["dpo_contact"] == "dpo@example.go.th"
    assert published["lawful_bases"][0]["code"] == "s24_4"
    assert published["missing"] == {}
    assert body["latest"]["retention"] == "ร่าง 2"
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["refusals"][0]["section"] == "s36"
    assert body["refusals"][0]["reason"] == "ข้อมูลถูกต้องแล้ว"


def test_anonymous_gets_401_and_other_roles_403(api, requester, register):
    controller, _ = register

    anonymous = api.get("/api/v1/privacy/ropa/")
    assert anonymous.status_code == 401
    assert set(anonymous.json()["error"]) == {"code", "message", "fields"}
    assert api.get(f"/api/v1/privacy/ropa/{controller.pk}/").status_code == 401

    api.force_authenticate(requester)
    assert api.get("/api/v1/privacy/ropa/").status_code == 403
    assert api.get(f"/api/v1/privacy/ropa/{controller.pk}/").status_code == 403


def test_unknown_id_is_404_in_the_error_shape(api, officer):
    api.force_authenticate(officer)

    for pk in (999999, 99999999999):
        response = api.get(f"/api/v1/privacy/ropa/{pk}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] in {"ropa_not_found", "not_found"}


def test_list_query_count_is_constant(api, officer, group_head):
    api.force_authenticate(officer)
    published_version(make_activity(officer, name="ก"), editor=officer, approver=group_head)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get("/api/v1/privacy/ropa/").json()) == 1
    for name in ("ข", "ค", "ง"):
        published_version(make_activity(officer, name=name), editor=officer, approver=group_head)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/privacy/ropa/").json()) == 4

    assert len(many) == len(few)
