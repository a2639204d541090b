"""dataset_search: sort and paging, the rows cap, facets, who sees private datasets, query counts
and the reindex command."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krabuan.catalog.models import Dataset, DatasetSearchDoc, State
from krabuan.catalog.search.facets import FacetItem
from krabuan.catalog.search.query import ROWS_MAX, dataset_search
from krabuan.catalog.tests import search_factories as f

pytestmark = pytest.mark.django_db


def _bulk(count: int, **fields) -> list[Dataset]:
    """Many public datasets at once, not indexed (for searches without words)."""
    org = f.organization()
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    common = {
        "owner_org": org,
        "private": False,
        "data_type": "ข้อมูลสถิติ",
        "maintainer": "กลุ่มสารสนเทศ",
        "maintainer_email": "data@example.go.th",
        "notes": "ทดสอบ",
        "update_frequency_unit": "ปี",
        "geo_coverage": "ประเทศ",
        "data_source": "ทดสอบ",
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "metadata_created": t0,
    }
    rows = [
        Dataset(
            **{
                "name": f"bulk-{i:05d}",
                "title": f"ชุดข้อมูล {i}",
                "metadata_modified": t0 + dt.timedelta(minutes=i),
                **common,
                **fields,
            }
        )
        for i in range(count)
    ]
    return Dataset.objects.bulk_create(rows)


def test_default_sort_without_words_is_newest_first():
    old = f.dataset("เก่า", modified=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    new = f.dataset("ใหม่", modified=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))

    result = dataset_search(user=None)

    assert result.ids == [new.pk, old.pk]
    assert result.sort == "score desc, metadata_modified desc"


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("id asc", lambda d: str(d.pk), False),
        ("id desc", lambda d: str(d.pk), True),
        ("name asc", lambda d: d.name, False),
        ("name desc", lambda d: d.name, True),
        ("title_string asc", lambda d: d.title, False),
        ("metadata_modified asc", lambda d: d.metadata_modified, False),
        ("metadata_created desc", lambda d: d.metadata_created, True),
    ],
)
def test_sorts(sort, key, reverse):
    made = [
        f.dataset("ข", name="b-set", modified=dt.datetime(2024, 3, 1, tzinfo=dt.UTC)),
        f.dataset("ก", name="c-set", modified=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
        f.dataset("ค", name="a-set", modified=dt.datetime(2024, 2, 1, tzinfo=dt.UTC)),
    ]

    result = dataset_search(user=None, sort=sort)

    assert result.ids == [d.pk for d in sorted(made, key=key, reverse=reverse)]
    assert result.sort == sort


def test_combined_sort_breaks_ties_in_order():
    same = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    a = f.dataset("ก", name="zz", modified=same)
    b = f.dataset("ข", name="aa", modified=same)
    c = f.dataset("ค", name="mm", modified=same + dt.timedelta(days=1))

    result = dataset_search(user=None, sort="metadata_modified desc,name asc")

    assert result.ids == [c.pk, b.pk, a.pk]
    assert result.sort == "metadata_modified desc, name asc"


def test_score_sort_with_words_then_other_keys():
    same = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    older = f.dataset("ข้อมูลข้าวโพด", modified=same)
    newer = f.dataset("ข้อมูลข้าวโพด ", name="newer", modified=same + dt.timedelta(days=1))

    result = dataset_search(user=None, q="ข้าวโพด", sort="score desc, metadata_modified desc")

    assert result.ids == [newer.pk, older.pk]


def test_harvester_paging_by_id_is_stable_and_ends_empty():
    made = {d.pk for d in _bulk(23)}
    seen: list[uuid.UUID] = []
    start = 0
    while True:
        page = dataset_search(user=None, sort="id asc", rows=5, start=start)
        if not page.ids:
            break
        assert page.count == 23
        seen.extend(page.ids)
        start += 5

    assert seen == sorted(made, key=str)
    assert len(seen) == len(set(seen)) == 23
    assert dataset_search(user=None, sort="id asc", rows=5, start=500).ids == []


def test_rows_are_capped_at_1000():
    _bulk(ROWS_MAX + 5)

    result = dataset_search(user=None, rows=5000, sort="name asc")

    assert result.count == ROWS_MAX + 5
    assert len(result.ids) == ROWS_MAX
    assert dataset_search(user=None, rows=0).ids == []
    assert dataset_search(user=None, rows=0).count == ROWS_MAX + 5


@pytest.fixture
def faceted():
    oae = f.organization("oae", "สำนักงานเศรษฐกิจการเกษตร")
    rid = f.organization("rid", "กรมชลประทาน")
    economy = f.group("category04", "ด้านเศรษฐกิจ")
    f.dataset("ราคาข้าว", org=oae, tags=("ข้าว", "ราคา"), groups=(economy,), formats=("CSV", "csv"))
    f.dataset("ผลผลิตข้าว", org=oae, tags=("ข้าว",), formats=("XLSX", "CSV"))
    f.dataset("น้ำในเขื่อน", org=rid, tags=("น้ำ",), formats=("JSON",), data_type="ข้อมูลระเบียน")
    f.dataset("ลับเฉพาะ", org=rid, tags=("ข้าว",), private=True)


def test_facet_counts(faceted):
    result = dataset_search(
        user=None,
        facet_fields=["organization", "tags", "res_format", "groups", "data_type", "private"],
    )

    assert result.facets["organization"] == [
        FacetItem("oae", "สำนักงานเศรษฐกิจการเกษตร", 2),
        FacetItem("rid", "กรมชลประทาน", 1),
    ]
    assert result.facets["tags"] == [
        FacetItem("ข้าว", "ข้าว", 2),
        FacetItem("น้ำ", "น้ำ", 1),
        FacetItem("ราคา", "ราคา", 1),
    ]
    # Each dataset counts once per format, whatever the case of the resource's format.
    assert result.facets["res_format"] == [
        FacetItem("CSV", "CSV", 2),
        FacetItem("JSON", "JSON", 1),
        FacetItem("XLSX", "XLSX", 1),
    ]
    assert result.facets["groups"] == [FacetItem("category04", "ด้านเศรษฐกิจ", 1)]
    assert result.facets["data_type"] == [
        FacetItem("ข้อมูลสถิติ", "ข้อมูลสถิติ", 2),
        FacetItem("ข้อมูลระเบียน", "ข้อมูลระเบียน", 1),
    ]
    assert [(i.name, i.count) for i in result.facets["private"]] == [("false", 3)]


def test_facets_follow_the_query_and_filters(faceted):
    result = dataset_search(user=None, q="ข้าว", fq="res_format:XLSX", facet_fields=["tags"])

    assert result.count == 1
    assert result.facets["tags"] == [FacetItem("ข้าว", "ข้าว", 1)]


def test_facet_limit_and_mincount(faceted):
    limited = dataset_search(user=None, facet_fields=["tags"], facet_limit=1)
    unlimited = dataset_search(user=None, facet_fields=["tags"], facet_limit=-1)
    frequent = dataset_search(user=None, facet_fields=["tags"], facet_mincount=2)

    assert limited.facets["tags"] == [FacetItem("ข้าว", "ข้าว", 2)]
    assert len(unlimited.facets["tags"]) == 3
    assert frequent.facets["tags"] == [FacetItem("ข้าว", "ข้าว", 2)]


def test_private_datasets_only_for_editors_with_include_private(faceted, officer, requester):
    secret = Dataset.objects.get(title="ลับเฉพาะ")

    assert secret.pk not in dataset_search(user=None, include_private=True, rows=50).ids
    assert secret.pk not in dataset_search(user=requester, include_private=True, rows=50).ids
    assert secret.pk not in dataset_search(user=officer, rows=50).ids
    mine = dataset_search(user=officer, include_private=True, rows=50, facet_fields=["private"])
    assert secret.pk in mine.ids
    assert mine.count == 4
    assert [(i.name, i.count) for i in mine.facets["private"]] == [("false", 3), ("true", 1)]
    # Not even words or an explicit filter bring it out for others.
    assert dataset_search(user=requester, q="ลับเฉพาะ", fq="capacity:private").ids == []


def test_drafts_only_with_include_drafts_and_only_for_editors(officer):
    draft = f.dataset("ฉบับร่างข้าว", state=State.DRAFT)

    assert dataset_search(user=officer, q="ฉบับร่าง").ids == []
    assert dataset_search(user=None, q="ฉบับร่าง", include_drafts=True).ids == []
    assert dataset_search(user=officer, q="ฉบับร่าง", include_drafts=True).ids == [draft.pk]


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        dataset_search(user=None, **kwargs)
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_catalog():
    facets = ["organization", "groups", "tags", "res_format", "license_id"]
    for i in range(3):
        f.dataset(f"ข้าวพันธุ์ที่ {i}", tags=("ข้าว",))
    small = [
        _queries(q="ข้าว", facet_fields=facets, rows=50),
        _queries(fq="tags:ข้าว", facet_fields=facets, rows=50, sort="id asc"),
    ]
    for i in range(30):
        f.dataset(f"ข้าวสายพันธุ์ใหม่ {i}", tags=("ข้าว", f"แท็ก{i}"), formats=("CSV", "JSON"))
    large = [
        _queries(q="ข้าว", facet_fields=facets, rows=50),
        _queries(fq="tags:ข้าว", facet_fields=facets, rows=50, sort="id asc"),
    ]

    # The matches' facet rows in one statement, one name lookup per facet of organizations and
    # tags (no dataset here has a group, so no lookup for them), then the page.
    assert small == large == [4, 4]


def test_reindex_command_indexes_what_was_never_indexed():
    made = _bulk(3, title="สถิติประมงน้ำจืด")  # bulk_create: no service, no index
    assert dataset_search(user=None, q="ประมง").ids == []

    call_command("catalog_reindex", verbosity=0)

    assert set(dataset_search(user=None, q="ประมง").ids) == {d.pk for d in made}
    assert DatasetSearchDoc.objects.count() == 3
