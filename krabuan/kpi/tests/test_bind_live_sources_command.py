"""`krabuan bind_live_sources`: binds by KPI number, idempotent, skips unknown sources."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from krabuan.kpi.models import Kpi
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path

pytestmark = pytest.mark.django_db


def test_binds_once_and_skips_what_it_cannot(demo_org, admin_user, capsys):
    agreement_fixture_load(path=fixture_path(2566), replace=False)

    call_command("bind_live_sources", "--year", "2566", "1=catalog.kpi1_level", "3=nowhere.x")
    call_command("bind_live_sources", "--year", "2566", "1=catalog.kpi1_level")

    out = capsys.readouterr().out
    assert "KPI 1: bound to catalog.kpi1_level" in out
    assert "KPI 3: skipped" in out
    assert "KPI 1: already bound to catalog.kpi1_level" in out
    assert Kpi.objects.get(agreement__fiscal_year=2566, number=1).live_source == (
        "catalog.kpi1_level"
    )
    assert Kpi.objects.get(agreement__fiscal_year=2566, number=3).live_source == ""


def test_needs_an_administrator_and_a_well_formed_binding(db, admin_user):
    with pytest.raises(CommandError, match="expected"):
        call_command("bind_live_sources", "one=catalog.kpi1_level")


def test_refuses_without_an_administrator(db):
    with pytest.raises(CommandError, match="ensure_admin"):
        call_command("bind_live_sources", "1=catalog.kpi1_level")
