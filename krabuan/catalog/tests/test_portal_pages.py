"""The public portal: search with facets, the dataset page, organizations and groups. Anonymous
visitors see public active datasets only; everything else answers 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset
from krabuan.catalog.services.datasets import dataset_delete
from krabuan.catalog.tests.core_factories import group_make, org_make
from krabuan.catalog.tests.ui_support import (
    disk_storage,  # noqa: F401
    make_dataset,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disk_storage")]


def _names(response) -> list[str]:
    html = response.content.decode()
    return [d.name for d in Dataset.objects.all() if f'data-name="{d.name}"' in html]


def test_anonymous_sees_only_public_active_datasets(client, officer):
    public = make_dataset(officer, public=True, title="ราคาข้าวหอมมะลิรายเดือน")
    private = make_dataset(officer, title="ทะเบียนเกษตรกรผู้ปลูกข้าว")
    deleted = make_dataset(officer, public=True, title="ผลผลิตข้าวนาปรัง")
    dataset_delete(actor=officer, dataset=deleted)

    response = client.get(reverse("catalog:portal_home"))

    assert response.status_code == 200
    assert _names(response) == [public.name]
    assert "พบ 1 ชุดข้อมูล" in response.content.decode()
    for hidden in (private, deleted):
        page = client.get(reverse("catalog:dataset", kwargs={"name": hidden.name}))
        assert page.status_code == 404


def test_catalog_editors_also_see_private_datasets_marked_as_such(client, officer):
    make_dataset(officer, public=True)
    private = make_dataset(officer)
    client.force_login(officer)

    response = client.get(reverse("catalog:portal_home"))

    assert private.name in _names(response)
    assert "ไม่เปิดเผย" in response.content.decode()
    page = client.get(reverse("catalog:dataset", kwargs={"name": private.name}))
    assert page.status_code == 200 and 'id="private-badge"' in page.content.decode()


def test_search_finds_thai_words_inside_titles(client, officer):
    rice = make_dataset(officer, public=True, title="ผลผลิตข้าวหอมมะลิรายจังหวัด")
    make_dataset(
        officer,
        public=True,
        title="ราคายางพาราแผ่นดิบ",
        notes="ราคายางรายวัน",
        tags=[{"name": "ยางพารา"}],
    )

    response = client.get(reverse("catalog:portal_home"), {"q": "ข้าว"})

    assert _names(response) == [rice.name]
    assert "สำหรับ “ข้าว”" in response.content.decode()


def test_facet_links_filter_by_tag_organization_and_data_type(client, officer):
    other_org = org_make(name="oae", title="สำนักงานเศรษฐกิจการเกษตร")
    rubber = make_dataset(
        officer,
        public=True,
        title="ราคายางพารา",
        notes="ราคายางรายวัน",
        tags=[{"name": "ยางพารา"}],
        owner_org="oae",
    )
    rice = make_dataset(officer, public=True, title="ผลผลิตข้าว")
    url = reverse("catalog:portal_home")

    by_tag = client.get(url, {"tags": "ยางพารา"})
    by_org = client.get(url, {"organization": other_org.name})
    by_type = client.get(url, {"data_type": schema.STAT})
    by_format = client.get(url, {"res_format": "CSV"})

    assert _names(by_tag) == [rubber.name]
    assert _names(by_org) == [rubber.name]
    assert sorted(_names(by_type)) == sorted([rubber.name, rice.name])
    assert sorted(_names(by_format)) == sorted([rubber.name, rice.name])
    html = by_tag.content.decode()
    # The chosen tag is shown as active and can be removed again.
    assert 'data-facet="tags" data-value="ยางพารา" aria-current="true"' in html
    assert "ล้างตัวกรองทั้งหมด" in html
    # Facet counts are those of the visible datasets.
    assert 'id="facet-organization"' in html and "สำนักงานเศรษฐกิจการเกษตร" in html


def test_bad_page_and_sort_values_never_fail(client, officer):
    make_dataset(officer, public=True)
    url = reverse("catalog:portal_home")
    for params in ({"page": "x"}, {"page": "-4"}, {"page": "๙๙๙๙๙"}, {"sort": "drop table"}):
        assert client.get(url, params).status_code == 200


def test_search_page_query_count_is_constant(client, officer):
    make_dataset(officer, public=True)
    url = reverse("catalog:portal_home")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        make_dataset(officer, public=True)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(url)
    assert len(_names(response)) == 7
    assert len(seven.captured_queries) == len(one.captured_queries)


def test_dataset_page_shows_metadata_of_its_data_type_with_thai_labels(client, officer):
    group = group_make()
    dataset = make_dataset(
        officer,
        public=True,
        unit_of_measure="ตัน",
        first_year_of_data="2560",
        last_updated_date="2024-04-10",
        groups=[{"name": group.name}],
    )

    response = client.get(reverse("catalog:dataset", kwargs={"name": dataset.name}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "หน่วยวัด" in html and "ตัน" in html  # a statistics field
    assert "ปีข้อมูลที่เริ่มต้นจัดทำ" in html and "2560" in html
    assert "10 เมษายน 2567" in html  # Buddhist-era date
    assert "ชุดข้อมูลที่มีคุณค่าสูง" not in html  # a record-type field is not shown
    assert "วัตถุประสงค์" in html and "พันธกิจหน่วยงาน" in html
    assert group.title in html and "ข้าว" in html  # groups and tags
    assert f'href="/dataset/{dataset.id}.ttl"' in html
    assert '<link rel="alternate" type="text/turtle"' in html
    assert 'id="quality-score"' in html


def test_dataset_page_counts_views_and_flags_closed_formats(client, officer):
    dataset = make_dataset(officer, public=True)
    from krabuan.catalog.services.resources import resource_create
    from krabuan.catalog.tests.core_factories import resource_data

    resource_create(
        actor=officer,
        dataset=dataset,
        data=resource_data(url="https://data.example.go.th/report.pdf", format="PDF"),
    )
    url = reverse("catalog:dataset", kwargs={"name": dataset.name})

    client.get(url)
    response = client.get(url)

    dataset.refresh_from_db()
    assert dataset.view_count == 2
    html = response.content.decode()
    assert "PDF อ่านด้วยเครื่องไม่ได้" in html
    assert "เข้าชม 2 ครั้ง" in html


def test_dataset_page_by_id_works_too(client, officer):
    dataset = make_dataset(officer, public=True)
    response = client.get(reverse("catalog:dataset", kwargs={"name": str(dataset.id)}))
    assert response.status_code == 200


def test_organization_and_group_pages_count_visible_datasets_only(client, officer):
    group = group_make()
    make_dataset(officer, public=True, groups=[{"name": group.name}])
    make_dataset(officer, groups=[{"name": group.name}])  # private

    orgs = client.get(reverse("catalog:organization_list"))
    groups = client.get(reverse("catalog:group_list"))
    org_page = client.get(reverse("catalog:organization", kwargs={"name": "ict"}))
    group_page = client.get(reverse("catalog:group", kwargs={"name": group.name}))

    assert "1 ชุดข้อมูล" in orgs.content.decode()
    assert "ด้านเศรษฐกิจ" in groups.content.decode() and "1 ชุดข้อมูล" in groups.content.decode()
    assert len(_names(org_page)) == 1 and len(_names(group_page)) == 1
    assert client.get(reverse("catalog:organization", kwargs={"name": "nope"})).status_code == 404
    assert client.get(reverse("catalog:group", kwargs={"name": "nope"})).status_code == 404


def test_organization_list_query_count_is_constant(client, officer):
    make_dataset(officer, public=True)
    url = reverse("catalog:organization_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        org_make(name=f"org-{n}", title=f"หน่วยงานทดสอบ {n}")
        make_dataset(officer, public=True, owner_org=f"org-{n}")
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)
    assert response.content.decode().count("organization-item") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_group_list_query_count_is_constant(client, officer):
    group_make()
    url = reverse("catalog:group_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for key, title in schema.GROUP_CATEGORIES[:5]:
        group_make(name=key, title=title)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_portal_pages_link_back_to_the_portal_home(client, officer):
    dataset = make_dataset(officer, public=True)
    for url in (
        reverse("catalog:portal_home"),
        reverse("catalog:dataset", kwargs={"name": dataset.name}),
        reverse("catalog:organization_list"),
        reverse("catalog:group_list"),
    ):
        html = client.get(url).content.decode()
        assert 'href="/dataset/" id="portal-home-link"' in html


def test_a_query_the_search_cannot_read_shows_a_thai_message(client, officer):
    make_dataset(officer, public=True)
    for params in ({"q": "title:("}, {"q": "metadata_modified:[x TO"}, {"tags": 'a"b\\'}):
        response = client.get(reverse("catalog:portal_home"), params)
        assert response.status_code == 200
    response = client.get(reverse("catalog:portal_home"), {"q": "title:("})
    html = response.content.decode()
    assert 'id="search-error"' in html and "พบ 0 ชุดข้อมูล" in html
