"""The demo catalog command: real services, idempotent, at least five open datasets."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from krabuan.catalog.demo_catalog import DEMO_NOTE, DEMO_SUFFIX
from krabuan.catalog.kpi_sources import kpi1_level
from krabuan.catalog.models import (
    Dataset,
    Group,
    Organization,
    PersonalDataScan,
    Resource,
    ScanStatus,
    State,
)
from krabuan.core.models import AuditEntry
from krabuan.org.models import Unit

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organization.objects.count(),
        Group.objects.count(),
        Dataset.objects.count(),
        Resource.objects.count(),
        AuditEntry.objects.filter(action__startswith="catalog.").count(),
    )


def test_demo_catalog_twice_gives_the_same_counts(demo_org):
    call_command("load_demo_catalog")
    first = _counts()
    call_command("load_demo_catalog")
    assert _counts() == first
    orgs, groups, datasets, resources, _ = first
    assert (orgs, groups) == (6, 7)
    assert datasets == 12 and resources >= 12
    assert Organization.objects.get(name="ict").unit_id == Unit.objects.get(code="ict").pk


def test_demo_datasets_are_marked_mixed_and_five_are_open_and_clean(demo_org):
    call_command("load_demo_catalog")
    all_sets = Dataset.objects.all()
    assert all(d.title.endswith(DEMO_SUFFIX) and d.notes.startswith(DEMO_NOTE) for d in all_sets)
    assert len({d.data_type for d in all_sets}) == 5
    open_sets = all_sets.filter(state=State.ACTIVE, private=False, allow_harvest=True)
    assert open_sets.count() >= 5
    assert all_sets.filter(private=True).count() >= 3
    for ds in open_sets:
        formats = {r.format for r in ds.resources.all()}
        assert formats & {"CSV", "JSON", "GEOJSON"}
        assert all(r.url_type == "upload" and r.description for r in ds.resources.all())
    scans = PersonalDataScan.objects.filter(resource__dataset__in=open_sets)
    assert scans.exists() and set(scans.values_list("status", flat=True)) == {ScanStatus.CLEAN}
    tags = set(Dataset.objects.values_list("tags__name", flat=True))
    assert {"ข้าว", "ข้าวหอมมะลิ", "สถิติการเกษตร"} <= tags


def test_demo_catalog_reaches_kpi1_level_100(demo_org):
    call_command("load_demo_catalog")
    result = kpi1_level(fiscal_year=2567, round="12m", params={})
    # Every checkable deliverable is met; the draft without resources is private, so it does
    # not count against the open-data items.
    assert result.value == 100, result.details
