"""The staff list of datasets: filters, sort, CSV export and a constant query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset
from krabuan.catalog.services.datasets import dataset_delete
from krabuan.catalog.tests.core_factories import org_make
from krabuan.catalog.tests.ui_support import (
    add_upload,
    disk_storage,  # noqa: F401
    make_dataset,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disk_storage")]

ID_CSV = "ชื่อ,เลขประจำตัวประชาชน\nสมชาย,1101700230705\nสมหญิง,3100600214569\n".encode()


def _rows(response) -> list[str]:
    html = response.content.decode()
    return sorted(d.name for d in Dataset.objects.all() if f'id="row-{d.name}"' in html)


def test_lists_every_dataset_but_deleted_ones_by_default(client, officer):
    public = make_dataset(officer, public=True)
    private = make_dataset(officer)
    deleted = make_dataset(officer)
    dataset_delete(actor=officer, dataset=deleted)
    client.force_login(officer)
    url = reverse("catalog:staff_home")

    assert _rows(client.get(url)) == sorted([public.name, private.name])
    assert _rows(client.get(url, {"state": "deleted"})) == [deleted.name]
    assert _rows(client.get(url, {"visibility": "public"})) == [public.name]
    assert _rows(client.get(url, {"visibility": "private"})) == [private.name]


def test_filters_by_org_type_quality_and_findings(client, officer):
    org_make(name="oae", title="สำนักงานเศรษฐกิจการเกษตร")
    stat = make_dataset(officer)
    record = make_dataset(officer, data_type=schema.RECORD, owner_org="oae")
    flagged = make_dataset(officer)
    add_upload(officer, flagged, content=ID_CSV, filename="farmers.csv")
    Dataset.objects.filter(pk=stat.pk).update(quality_score=30)
    Dataset.objects.filter(pk__in=[record.pk, flagged.pk]).update(quality_score=90)
    client.force_login(officer)
    url = reverse("catalog:staff_home")

    assert _rows(client.get(url, {"organization": "oae"})) == [record.name]
    assert _rows(client.get(url, {"data_type": schema.RECORD})) == [record.name]
    assert _rows(client.get(url, {"quality_below": "๕๐"})) == [stat.name]
    assert _rows(client.get(url, {"findings": "1"})) == [flagged.name]
    assert _rows(client.get(url, {"findings": "0"})) == sorted([stat.name, record.name])
    html = client.get(url).content.decode()
    assert html.count("findings-badge") == 1


def test_bad_filter_values_are_reported_in_thai_and_ignored(client, officer):
    dataset = make_dataset(officer)
    client.force_login(officer)

    response = client.get(reverse("catalog:staff_home"), {"quality_below": "200", "sort": "x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "คะแนนคุณภาพต่ำกว่าต้องเป็นจำนวนเต็ม 0–100" in html
    assert _rows(response) == [dataset.name]


def test_sort_by_quality(client, officer):
    low, high = make_dataset(officer), make_dataset(officer)
    Dataset.objects.filter(pk=low.pk).update(quality_score=10)
    Dataset.objects.filter(pk=high.pk).update(quality_score=95)
    client.force_login(officer)

    html = client.get(reverse("catalog:staff_home"), {"sort": "-quality"}).content.decode()

    assert html.index(f'id="row-{high.name}"') < html.index(f'id="row-{low.name}"')


def test_csv_export_of_the_filtered_list(client, officer):
    public = make_dataset(officer, public=True, title="=ราคาข้าว")
    make_dataset(officer)
    client.force_login(officer)

    response = client.get(reverse("catalog:staff_home"), {"visibility": "public", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["รหัสชุดข้อมูล", "ชื่อชุดข้อมูล", "หน่วยงาน"]
    assert len(rows) == 2
    assert rows[1][0] == public.name
    assert rows[1][1] == "'=ราคาข้าว"  # spreadsheet formulas are neutralised
    assert rows[1][6] == "เปิดเผย"


def test_list_query_count_is_constant(client, officer):
    make_dataset(officer)
    client.force_login(officer)
    url = reverse("catalog:staff_home")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        dataset = make_dataset(officer)
        add_upload(officer, dataset)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(url)
    assert len(_rows(response)) == 7
    assert len(seven.captured_queries) == len(one.captured_queries)
