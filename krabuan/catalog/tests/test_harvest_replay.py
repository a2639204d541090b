"""Replay of ckanext-harvest's CKANHarvester gather stage against a running Krabuan.

`_search_for_datasets` and the fq building below follow ckanext-harvest
(`ckanext/harvest/harvesters/ckanharvester.py`, catalog.md §e) step by step: GET
`/api/3/action/package_search` with rows=100, sort "id asc", `start` += 100 until a page comes
back empty, abort when two consecutive answers are byte-identical, drop ids already seen, and
for an incremental job add `metadata_modified:[<last gather_started − 1 h>Z TO *]`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
import time_machine
from rest_framework.authtoken.models import Token

from krabuan.catalog.models import Dataset, State
from krabuan.catalog.services.datasets import dataset_delete, dataset_patch
from krabuan.catalog.tests.ckan_support import make_dataset, make_draft
from krabuan.catalog.tests.core_factories import group_make, org_make

pytestmark = pytest.mark.django_db(transaction=True)

CREATED_AT = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)
FIRST_JOB_AT = dt.datetime(2024, 3, 2, 0, 0, 0, 123456, tzinfo=dt.UTC)
EDITED_AT = dt.datetime(2024, 3, 3, 9, 30, tzinfo=dt.UTC)
CKAN_TIMESTAMP_LEN = len("2024-01-19T03:12:45.123456")


class SearchError(Exception):
    """ckanext-harvest's SearchError: the gather stage gives up."""


class Harvester:
    """The gather stage of ckanext-harvest's CKANHarvester, against one remote CKAN."""

    action_api_version = 3

    def __init__(self, remote: str, config: dict[str, Any] | None = None) -> None:
        self.remote = remote.rstrip("/")
        self.config = config or {}
        self.requests_made: list[str] = []

    def _get_content(self, url: str) -> bytes:
        headers = {}
        if self.config.get("api_key"):
            headers["Authorization"] = self.config["api_key"]
        headers["User-Agent"] = self.config.get("user_agent", "ckanext-harvest/test")
        self.requests_made.append(url)
        response = requests.get(url, headers=headers, allow_redirects=False, timeout=30)
        if response.status_code != 200:
            raise SearchError(f"HTTP {response.status_code} for {url}: {response.text[:300]}")
        return response.content

    def _get_search_api_offset(self) -> str:
        return f"/api/{self.action_api_version}/action/package_search"

    def fq_terms(self) -> list[str]:
        terms: list[str] = []
        include = self.config.get("organizations_filter_include", [])
        exclude = self.config.get("organizations_filter_exclude", [])
        if include:
            terms.append(" OR ".join(f"organization:{name}" for name in include))
        elif exclude:
            terms.extend(f"-organization:{name}" for name in exclude)
        groups_include = self.config.get("groups_filter_include", [])
        groups_exclude = self.config.get("groups_filter_exclude", [])
        if groups_include:
            terms.append(" OR ".join(f"groups:{name}" for name in groups_include))
        elif groups_exclude:
            terms.extend(f"-groups:{name}" for name in groups_exclude)
        return terms

    def search_for_datasets(self, fq_terms: list[str] | None = None) -> list[dict[str, Any]]:
        base_search_url = self.remote + self._get_search_api_offset()
        params = {"rows": "100", "start": "0", "sort": "id asc"}
        if fq_terms:
            params["fq"] = " ".join(fq_terms)
        pkg_dicts: list[dict[str, Any]] = []
        pkg_ids: set[str] = set()
        previous_content = None
        while True:
            url = base_search_url + "?" + urlencode(params)
            content = self._get_content(url)
            if previous_content and content == previous_content:
                raise SearchError(f"The paging doesn't seem to work. URL: {url}")
            response_dict = json.loads(content)
            pkg_dicts_page = response_dict.get("result", {}).get("results", [])
            ids_in_page = {p["id"] for p in pkg_dicts_page}
            duplicate_ids = ids_in_page & pkg_ids
            if duplicate_ids:
                pkg_dicts_page = [p for p in pkg_dicts_page if p["id"] not in duplicate_ids]
            pkg_ids |= ids_in_page
            pkg_dicts.extend(pkg_dicts_page)
            if len(pkg_dicts_page) == 0:
                break
            params["start"] = str(int(params["start"]) + int(params["rows"]))
            # Upstream never reassigns previous_content, which leaves its check inert; keeping the
            # last page makes the replay hold the server to what the check means.
            previous_content = content
        return pkg_dicts

    def gather(self, last_gather_started: dt.datetime | None = None) -> list[dict[str, Any]]:
        """Full gather, or incremental since the last error-free job (None: full)."""
        fq_terms = self.fq_terms()
        if last_gather_started is not None and not self.config.get("force_all", False):
            since = (last_gather_started - dt.timedelta(hours=1)).isoformat()
            fq_since_last_time = f"metadata_modified:[{since}Z TO *]"
            try:
                return self.search_for_datasets([*fq_terms, fq_since_last_time])
            except SearchError:
                pass  # upstream falls back to a full search
        return self.search_for_datasets(fq_terms)


def _harvestable_ids() -> set[str]:
    rows = Dataset.objects.filter(state=State.ACTIVE, private=False, allow_harvest=True)
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


@pytest.fixture
def remote_catalog(officer):
    """120 harvestable datasets in two organizations plus every kind that must stay out."""
    with time_machine.travel(CREATED_AT, tick=False):
        org_make()
        org_make("rice", "กรมการข้าว")
        org_make("other", "หน่วยงานอื่น")
        group_make("category04", "ด้านเศรษฐกิจ")
        made: dict[str, Any] = {"ict": [], "rice": [], "other": []}
        for n in range(95):
            groups = [{"name": "category04"}] if n % 5 == 0 else []
            made["ict"].append(make_dataset(officer, name=f"ict-{n:03d}", groups=groups))
        for n in range(20):
            made["rice"].append(make_dataset(officer, name=f"rice-{n:03d}", org_name="rice"))
        for n in range(5):
            made["other"].append(make_dataset(officer, name=f"other-{n:03d}", org_name="other"))
        made["hidden"] = [
            make_dataset(officer, name="hidden-private", public=False),
            make_draft(officer, name="hidden-draft"),
            make_dataset(officer, name="hidden-no-consent", harvest=False),
            make_dataset(officer, name="hidden-deleted"),
        ]
        dataset_delete(actor=officer, dataset=made["hidden"][3])
    return made


def test_full_gather_gets_every_harvestable_dataset_exactly_once(live_server, remote_catalog):
    harvester = Harvester(live_server.url)
    gathered = harvester.gather()
    ids = [p["id"] for p in gathered]
    assert len(ids) == len(set(ids)) == 120
    assert set(ids) == _harvestable_ids()
    names = {p["name"] for p in gathered}
    assert not names & {"hidden-private", "hidden-draft", "hidden-no-consent", "hidden-deleted"}
    # Two full pages and the empty page that ends the loop, each with the upstream parameters.
    assert harvester.requests_made == [
        f"{live_server.url}/api/3/action/package_search?rows=100&start={start}&sort=id+asc"
        for start in (0, 100, 200)
    ]
    # fetch_stage is a no-op: each dict from package_search is imported as is, so it must be
    # complete (resources, organization, every thai_gdc field) and in CKAN's timestamp format.
    first = gathered[0]
    assert first["organization"]["name"] in ("ict", "rice", "other")
    assert first["resources"] and first["allow_harvest"] == "True"
    assert len(first["metadata_modified"]) == CKAN_TIMESTAMP_LEN
    shown = requests.get(
        f"{live_server.url}/api/3/action/package_show", params={"id": first["id"]}, timeout=30
    ).json()["result"]
    assert shown == first


def test_a_harvester_with_a_read_only_api_key_gets_the_same(live_server, remote_catalog, requester):
    key = Token.objects.create(user=requester).key
    gathered = Harvester(live_server.url, {"api_key": key}).gather()
    assert {p["id"] for p in gathered} == _harvestable_ids()


def test_organization_and_group_filters(live_server, remote_catalog):
    include = Harvester(live_server.url, {"organizations_filter_include": ["rice", "other"]})
    gathered = include.gather()
    assert {p["organization"]["name"] for p in gathered} == {"rice", "other"}
    assert len(gathered) == 25
    assert "fq=organization%3Arice+OR+organization%3Aother" in include.requests_made[0]
    exclude = Harvester(live_server.url, {"organizations_filter_exclude": ["ict", "other"]})
    assert {p["name"] for p in exclude.gather()} == {f"rice-{n:03d}" for n in range(20)}
    groups = Harvester(live_server.url, {"groups_filter_include": ["category04"]})
    assert {p["name"] for p in groups.gather()} == {f"ict-{n:03d}" for n in range(0, 95, 5)}


def test_incremental_gather_gets_exactly_the_changed_datasets(live_server, remote_catalog, officer):
    harvester = Harvester(live_server.url)
    with time_machine.travel(FIRST_JOB_AT, tick=False):
        gather_started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        first = {p["id"]: p for p in harvester.gather()}
    assert len(first) == 120

    with time_machine.travel(EDITED_AT, tick=True):
        ict, rice = remote_catalog["ict"], remote_catalog["rice"]
        edited = [ict[3], ict[50], rice[7]]
        for dataset in edited:
            dataset_patch(actor=officer, dataset=dataset, data={"notes": "ปรับปรุงข้อมูลรอบใหม่"})
        new = make_dataset(officer, name="new-after-first-job")
        # Changes the harvester must not be offered: a dataset made private, one deleted, and an
        # edit of a dataset without GD Catalog consent.
        dataset_patch(actor=officer, dataset=ict[10], data={"private": "True"})
        dataset_delete(actor=officer, dataset=ict[11])
        hidden = Dataset.objects.get(name="hidden-no-consent")
        dataset_patch(actor=officer, dataset=hidden, data={"notes": "แก้ไขแต่ไม่ยินยอม"})

    incremental = harvester.gather(last_gather_started=gather_started)
    since = (gather_started - dt.timedelta(hours=1)).isoformat()
    assert harvester.requests_made[-2] == (
        f"{live_server.url}/api/3/action/package_search?"
        + urlencode(
            {
                "rows": "100",
                "start": "0",
                "sort": "id asc",
                "fq": f"metadata_modified:[{since}Z TO *]",
            }
        )
    )
    assert sorted(p["name"] for p in incremental) == sorted([d.name for d in edited] + [new.name])
    # import_stage updates only when the remote metadata_modified is newer, compared as strings.
    for package in incremental:
        if package["id"] in first:
            assert package["metadata_modified"] > first[package["id"]]["metadata_modified"]
            assert package["notes"] == "ปรับปรุงข้อมูลรอบใหม่"


def test_incremental_gather_with_no_changes_is_empty(live_server, remote_catalog):
    harvester = Harvester(live_server.url, {"organizations_filter_include": ["rice"]})
    with time_machine.travel(EDITED_AT, tick=False):
        gather_started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert harvester.gather(last_gather_started=gather_started) == []
    assert len(harvester.requests_made) == 1
