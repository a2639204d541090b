"""`krabuan load_demo_requests`: one open and one completed request, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from krabuan.privacy.crypto import decrypt
from krabuan.privacy.models import DataSubjectRequest, RequestStatus
from krabuan.privacy.tests.request_helpers import clear_cache  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def test_demo_requests_load_once():
    call_command("load_demo_org", verbosity=0)

    call_command("load_demo_requests")
    call_command("load_demo_requests")

    statuses = sorted(DataSubjectRequest.objects.values_list("status", flat=True))
    assert statuses == [RequestStatus.COMPLETED, RequestStatus.VERIFYING]
    for request in DataSubjectRequest.objects.all():
        assert decrypt(request.name_enc).endswith("ตัวอย่าง")
        assert "ตัวอย่าง" not in request.name_enc
    assert DataSubjectRequest.objects.get(status=RequestStatus.VERIFYING).assigned_to is not None


def test_demo_requests_need_the_demo_organisation():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo_requests")
