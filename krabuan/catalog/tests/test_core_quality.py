"""Open-format check and the metadata quality score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from krabuan.catalog.formats import check_format, is_open_format
from krabuan.catalog.models import Dataset, Resource
from krabuan.catalog.quality import catalog_quality, dataset_quality, expected_days
from krabuan.catalog.services.datasets import dataset_create, dataset_patch
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize(
    "fmt",
    ["CSV", "csv", ".json", "GeoJSON", "xml", "RDF", "TTL", "JSON-LD", "KML", "GML", "ODS", "API"],
)
def test_open_formats(fmt):
    assert is_open_format(fmt)
    assert check_format(fmt).advice == ""


@pytest.mark.parametrize(
    ("fmt", "hint"),
    [
        ("XLSX", "CSV"),
        ("xls", "CSV"),
        ("PDF", "อ่านด้วยเครื่องไม่ได้"),
        ("DOCX", "Word"),
        ("png", "รูปภาพ"),
        ("", "ไม่ทราบรูปแบบ"),
    ],
)
def test_closed_formats_get_thai_advice(fmt, hint):
    check = check_format(fmt)
    assert not check.is_open and hint in check.advice


def _dataset(officer, **overrides):
    org_make()
    return dataset_create(actor=officer, data=dataset_data(**overrides))


def test_full_marks_for_a_complete_fresh_open_dataset(officer):
    ds = _dataset(
        officer,
        last_updated_date="2024-05-20",
        resources=[resource_data(), resource_data(format="JSON")],
    )
    Resource.objects.filter(dataset=ds).update(link_status=200)
    score, details = dataset_quality(ds, today=TODAY)
    assert score == 100
    assert details["completeness"]["missing_items"] == []
    assert details["timeliness"]["status"] == "fresh"


def test_each_dimension_loses_points(officer):
    ds = _dataset(
        officer,
        last_updated_date="2021-01-01",
        resources=[resource_data(format="PDF", description=""), resource_data(format="CSV")],
    )
    pdf, csv = ds.resources.order_by("position")
    Resource.objects.filter(pk=pdf.pk).update(link_status=404)
    score, details = dataset_quality(ds, today=TODAY)
    assert details["timeliness"]["status"] == "stale" and details["timeliness"]["score"] == 0
    assert details["machine_readable"]["score"] == 10.0
    assert details["machine_readable"]["not_open"][0]["format"] == "PDF"
    assert details["accessibility"]["broken"] == [pdf.name]
    assert details["accessibility"]["unchecked"] == [csv.name]
    assert details["accessibility"]["score"] == 3.8  # (0 + 0.5) / 2 × 15
    assert details["completeness"]["undescribed_resources"] == [pdf.name]
    assert details["completeness"]["score"] == 17.5  # items 15 + half of 5
    assert score == round(17.5 + 0 + 3.8 + 10 + 25)


def test_no_resources_scores_only_metadata(officer):
    ds = _dataset(officer, last_updated_date="2024-05-30")
    score, details = dataset_quality(ds, today=TODAY)
    assert details["validity"]["score"] == 10.0  # dataset fields valid, no resource
    assert score == 15 + 20 + 10


def test_validity_counts_resources_without_url_or_format(officer):
    ds = _dataset(officer, resources=[{"name": "ไม่มีลิงก์"}])
    _, details = dataset_quality(ds, today=TODAY)
    assert details["validity"]["score"] == 10.0
    assert any("URL" in p for p in details["validity"]["problems"])


def test_freshness_follows_the_declared_frequency(officer):
    ds = _dataset(officer, update_frequency_unit="เดือน", last_updated_date="2024-04-01")
    assert expected_days(ds) == 31
    _, details = dataset_quality(ds, today=TODAY)  # 61 days: late (between 1.5× and 3×)
    assert details["timeliness"]["status"] == "late" and details["timeliness"]["score"] == 10.0
    ds = dataset_patch(actor=officer, dataset=ds, data={"update_frequency_interval": "4"})
    assert expected_days(ds) == pytest.approx(31 / 4)
    static = _dataset(
        officer,
        update_frequency_unit="ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        last_updated_date="2001-01-01",
    )
    assert dataset_quality(static, today=TODAY)[1]["timeliness"]["status"] == "static"


def test_services_store_the_score_and_the_catalog_average(officer):
    with time_machine.travel(dt.datetime(2024, 6, 1, 5, tzinfo=dt.UTC)):
        a = _dataset(officer, last_updated_date="2024-05-30")
        b = _dataset(officer, last_updated_date="2024-05-30", resources=[resource_data()])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.quality_score == 45 and a.quality_details["completeness"]["max"] == 20
    assert b.quality_score > a.quality_score
    expected = (Decimal(a.quality_score + b.quality_score) / 2).quantize(Decimal("0.01"))
    assert catalog_quality() == expected
    Dataset.objects.update(state="deleted")
    assert catalog_quality() is None
