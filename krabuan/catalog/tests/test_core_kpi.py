"""The catalog's live KPI sources and the organization/group services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.catalog.kpi_sources import KPI1_KEY, QUALITY_KEY, kpi1_level, metadata_quality
from krabuan.catalog.models import Dataset
from krabuan.catalog.services.datasets import dataset_create, dataset_patch, dataset_publish
from krabuan.catalog.services.orgs import (
    group_create,
    group_update,
    organization_create,
    organization_update,
)
from krabuan.catalog.services.resources import resource_create
from krabuan.catalog.tests.core_factories import dataset_data, org_make
from krabuan.core.errors import ApplicationError, PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.core.registry import live_source
from krabuan.org.models import Unit

pytestmark = pytest.mark.django_db
CSV = "ปี,ผลผลิต\n2566,100\n2567,120\n".encode()


def _met(result, text):
    (item,) = [i for i in result.details["deliverables"] if i["text"].startswith(text)]
    return item["met"]


def _open_dataset(officer, **overrides):
    ds = dataset_create(actor=officer, data=dataset_data(allow_harvest=True, **overrides))
    resource_create(
        actor=officer,
        dataset=ds,
        data={"name": "ผลผลิตรายปี", "description": "ตาราง CSV"},
        upload=SimpleUploadedFile("yield.csv", CSV),
    )
    return dataset_publish(actor=officer, dataset=ds)


def test_sources_are_registered():
    kpi1, quality = live_source(KPI1_KEY), live_source(QUALITY_KEY)
    assert kpi1 is not None and kpi1.func is kpi1_level
    assert quality is not None and quality.func is metadata_quality


def test_empty_catalog_is_level_zero():
    result = kpi1_level(fiscal_year=2566, round="12m", params={})
    assert result.value == Decimal(0)
    assert not any(i["met"] for i in result.details["deliverables"])


def test_four_datasets_are_not_enough_five_reach_100(officer):
    org_make()
    for _ in range(4):
        _open_dataset(officer)
    assert kpi1_level(fiscal_year=2566, round="12m", params={}).value == 0
    _open_dataset(officer)
    result = kpi1_level(fiscal_year=2566, round="12m", params={})
    assert result.value == 100
    usage = [i for i in result.details["deliverables"] if i["met"] is None]
    assert len(usage) == 1 and "หลักฐาน" in usage[0]["note"]


def test_levels_drop_with_each_missing_deliverable(officer):
    org_make()
    sets = [_open_dataset(officer) for _ in range(5)]
    # Not consented to GD Catalog: level 50 only.
    dataset_patch(actor=officer, dataset=sets[0], data={"allow_harvest": "False"})
    assert kpi1_level(fiscal_year=2566, round="12m", params={}).value == 50
    dataset_patch(actor=officer, dataset=sets[0], data={"allow_harvest": "True"})
    # An open dataset with only a PDF: standard met, quality per open standard not.
    pdf = dataset_create(actor=officer, data=dataset_data(allow_harvest=True))
    resource_create(
        actor=officer,
        dataset=pdf,
        data={"name": "รายงาน", "description": "PDF", "url": "https://x.example/r.pdf"},
    )
    dataset_publish(actor=officer, dataset=pdf)
    assert kpi1_level(fiscal_year=2566, round="12m", params={}).value == 75
    # An undescribed resource of an open dataset: back to 0.
    resource_create(
        actor=officer, dataset=pdf, data={"name": "ไม่มีคำอธิบาย", "url": "https://x.example/a.csv"}
    )
    result = kpi1_level(fiscal_year=2566, round="12m", params={})
    assert result.value == 0
    assert _met(result, "มีคำอธิบายทรัพยากรข้อมูล (Resource)") is False
    assert _met(result, "หน่วยงานจัดทำชุดข้อมูล") is True


def test_params_are_refused():
    with pytest.raises(ApplicationError) as exc:
        kpi1_level(fiscal_year=2566, round="12m", params={"org": "ict"})
    assert "live_params" in exc.value.fields


def test_metadata_quality_is_the_catalog_average(officer):
    assert metadata_quality(fiscal_year=2566, round="12m", params={}).value is None
    org_make()
    a = _open_dataset(officer)
    b = dataset_create(actor=officer, data=dataset_data())
    scores = Dataset.objects.filter(pk__in=[a.pk, b.pk]).values_list("quality_score", flat=True)
    result = metadata_quality(fiscal_year=2566, round="12m", params={})
    assert result.value == (Decimal(sum(scores)) / 2).quantize(Decimal("0.01"))
    assert result.details == {"datasets": 2}


def test_organization_and_group_services(officer, requester, demo_org):
    org = organization_create(
        actor=officer,
        data={"name": "ict-data", "title": "กลุ่มบริหารข้อมูลการเกษตร", "unit": "ict-data"},
    )
    assert org.unit_id == Unit.objects.get(code="ict-data").pk
    org = organization_update(actor=officer, organization=org, data={"title": "กบข."})
    assert org.title == "กบข."
    group = group_create(
        actor=officer, data={"name": "category04", "title": "ด้านเศรษฐกิจ", "category": "category04"}
    )
    group_update(actor=officer, group=group, data={"description": "กลุ่มเศรษฐกิจ"})
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "catalog.organization_create",
        "catalog.organization_update",
        "catalog.group_create",
        "catalog.group_update",
    ]
    with pytest.raises(ApplicationError) as exc:
        organization_create(actor=officer, data={"name": "ict-data", "title": ""})
    assert exc.value.fields["name"] == ["ชื่อ URL: “ict-data” มีผู้ใช้แล้ว"]
    assert exc.value.fields["title"] == ["ชื่อ: ต้องระบุ"]
    with pytest.raises(ApplicationError) as exc:
        group_create(actor=officer, data={"name": "x1", "title": "ก", "category": "category99"})
    assert "category" in exc.value.fields
    with pytest.raises(PermissionDenied):
        group_create(actor=requester, data={"name": "x2", "title": "ข"})
