from __future__ import annotations

import pytest

from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load


@pytest.fixture
def fy2567(demo_org):
    """The real FY2567 manual loaded from its fixtures."""
    return manual_fixture_load(directory=FIXTURES_DIR / "fy2567").manual
