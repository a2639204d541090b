"""The periodic link checker (outbound HTTP mocked) and the quality recompute."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from krabuan.catalog import tasks
from krabuan.catalog.models import Dataset, Resource
from krabuan.catalog.services.datasets import dataset_create
from krabuan.catalog.services.resources import resource_create
from krabuan.catalog.tasks import check_links, due_resources, quality_recompute
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data

pytestmark = pytest.mark.django_db


def _transport(calls):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.method, str(request.url)))
        path = request.url.path
        if path == "/ok.csv":
            return httpx.Response(200)
        if path == "/no-head.csv":
            return httpx.Response(405) if request.method == "HEAD" else httpx.Response(200)
        if path == "/moved.csv":
            return httpx.Response(301, headers={"Location": "https://data.example/ok.csv"})
        if path == "/gone.csv":
            return httpx.Response(404)
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.MockTransport(handler)


def _links(officer, *paths):
    org_make()
    ds = dataset_create(
        actor=officer,
        data=dataset_data(
            resources=[resource_data(url=f"https://data.example{p}", format="CSV") for p in paths]
        ),
    )
    return ds, {r.url.rsplit("/", 1)[-1]: r for r in ds.resources.all()}


def test_statuses_are_recorded_head_then_get(officer):
    ds, res = _links(officer, "/ok.csv", "/no-head.csv", "/moved.csv", "/gone.csv", "/down.csv")
    before = Dataset.objects.get(pk=ds.pk).metadata_modified
    calls: list[tuple[str, str]] = []
    result = check_links(transport=_transport(calls))
    assert result == {"checked": 5, "broken": 2}
    got = {
        r.url.rsplit("/", 1)[-1]: (r.link_status, r.link_error)
        for r in Resource.objects.filter(dataset=ds)
    }
    assert got["ok.csv"] == (200, "")
    assert got["no-head.csv"] == (200, "")
    assert got["moved.csv"] == (200, "")
    assert got["gone.csv"] == (404, "HTTP 404")
    assert got["down.csv"][0] == 0 and got["down.csv"][1].startswith("ConnectError")
    assert ("GET", "https://data.example/no-head.csv") in calls
    assert ("GET", "https://data.example/ok.csv") not in calls
    ds.refresh_from_db()
    assert ds.metadata_modified == before  # link health is not metadata
    assert set(ds.quality_details["accessibility"]["broken"]) == {
        res["gone.csv"].name,
        res["down.csv"].name,
    }


def test_checked_links_wait_and_batches_are_limited(officer):
    _links(officer, "/ok.csv", "/ok.csv", "/ok.csv")
    calls: list[tuple[str, str]] = []
    assert check_links(batch_size=2, transport=_transport(calls))["checked"] == 2
    assert check_links(batch_size=2, transport=_transport(calls))["checked"] == 1
    assert check_links(batch_size=2, transport=_transport(calls))["checked"] == 0
    later = timezone.now() + dt.timedelta(days=1)
    assert due_resources(now=later).count() == 3


def test_uploads_and_non_http_links_are_never_fetched(officer):
    org_make()
    ds = dataset_create(
        actor=officer, data=dataset_data(resources=[resource_data(url="ftp://files.example/a.csv")])
    )
    resource_create(
        actor=officer,
        dataset=ds,
        data={"name": "ไฟล์"},
        upload=SimpleUploadedFile("a.csv", "ปี,ค่า\n2567,1\n".encode()),
    )
    calls: list[tuple[str, str]] = []
    assert check_links(transport=_transport(calls)) == {"checked": 0, "broken": 0}
    assert calls == []


def test_quality_recompute_rescores_every_live_dataset(officer):
    org_make()
    ds = dataset_create(actor=officer, data=dataset_data())
    Dataset.objects.filter(pk=ds.pk).update(quality_score=0, quality_details={})
    assert quality_recompute() == 1
    ds.refresh_from_db()
    assert ds.quality_score > 0 and "timeliness" in ds.quality_details


def test_links_inside_the_network_are_never_requested(officer, monkeypatch):
    ds, _res = _links(officer, "/ok.csv")
    inside = [
        "http://127.0.0.1:8000/admin/",
        "http://10.1.2.3/data.csv",
        "http://[::1]/data.csv",
        "http://169.254.169.254/latest/meta-data/",
        "https://intranet.moac.example/data.csv",
    ]
    for url in inside:
        resource_create(actor=officer, dataset=ds, data=resource_data(url=url, format="CSV"))
    monkeypatch.setattr(
        tasks, "_resolve", lambda host: ["192.168.4.20"] if host == "intranet.moac.example" else []
    )
    calls: list[tuple[str, str]] = []

    result = check_links(transport=_transport(calls))

    assert calls == [("HEAD", "https://data.example/ok.csv")]
    assert result == {"checked": 6, "broken": 0}
    for url in inside:
        resource = Resource.objects.get(url=url)
        assert resource.link_status is None
        assert "ภายในเครือข่าย" in resource.link_error
        assert resource.link_checked_at is not None


def test_a_redirect_into_the_network_is_not_followed(officer):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.method, str(request.url)))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    calls: list[tuple[str, str]] = []
    _ds, res = _links(officer, "/jump.csv")
    check_links(transport=httpx.MockTransport(handler))
    assert calls == [("HEAD", "https://data.example/jump.csv")]
    res["jump.csv"].refresh_from_db()
    assert res["jump.csv"].link_status is None
    assert "169.254.169.254" in res["jump.csv"].link_error


def test_allowed_intranet_networks_are_checked(officer, settings):
    settings.KRABUAN_LINKCHECK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    org_make()
    ds = dataset_create(
        actor=officer,
        data=dataset_data(resources=[resource_data(url="http://10.20.1.5/ok.csv", format="CSV")]),
    )
    calls: list[tuple[str, str]] = []
    check_links(transport=_transport(calls))
    assert calls == [("HEAD", "http://10.20.1.5/ok.csv")]
    assert ds.resources.get().link_status == 200
