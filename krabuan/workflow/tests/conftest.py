from __future__ import annotations

import pytest

from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory


@pytest.fixture
def fy2567(demo_org):
    return manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual


@pytest.fixture
def worker(fy2567):
    """An officer of the ICT Center's network group."""
    user = UserFactory(username="worker")
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="ict-network"), role=Role.OFFICER
    )
    return user


def process(manual, code):
    return manual.processes.get(code=code)
