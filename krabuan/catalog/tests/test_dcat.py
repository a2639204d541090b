"""DCAT output parses with rdflib and carries the mapped fields; private datasets never appear."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from krabuan.catalog.models import Dataset, Organization, Resource, State, Tag

pytestmark = pytest.mark.django_db
HYDRA = "http://www.w3.org/ns/hydra/core#"


def _dataset(org: Organization, name: str, *, private: bool = False, **extra) -> Dataset:
    now = timezone.now()
    fields = {
        "name": name,
        "title": f"ชุดข้อมูล {name}",
        "owner_org": org,
        "private": private,
        "data_type": "ข้อมูลสถิติ",
        "maintainer": "กลุ่มข้อมูล",
        "maintainer_email": "data@example.go.th",
        "notes": "ราคาข้าวหอมมะลิรายเดือน",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_source": "ศทส.",
        "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "allow_harvest": True,
        "metadata_created": now,
        "metadata_modified": now,
        "type_fields": {"data_language": ["ไทย", "อังกฤษ"]},
    }
    fields.update(extra)
    return Dataset.objects.create(**fields)


@pytest.fixture
def org(db) -> Organization:
    return Organization.objects.create(name="ict", title="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")


def test_dataset_turtle_maps_core_and_thai_fields(client, org):
    dataset = _dataset(org, "rice-price")
    dataset.tags.add(Tag.objects.create(name="ข้าว"))
    now = timezone.now()
    Resource.objects.create(
        dataset=dataset,
        name="ราคา CSV",
        url="https://example.go.th/rice.csv",
        format="CSV",
        created=now,
        metadata_modified=now,
    )
    Resource.objects.create(
        dataset=dataset,
        name="ภายใน",
        url="https://example.go.th/x.csv",
        format="CSV",
        resource_private=True,
        created=now,
        metadata_modified=now,
    )

    response = client.get(f"/dataset/{dataset.name}.ttl")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    uri = URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}")
    assert (uri, RDF.type, DCAT.Dataset) in graph
    assert (uri, DCTERMS.title, Literal("ชุดข้อมูล rice-price")) in graph
    assert (uri, DCAT.keyword, Literal("ข้าว")) in graph
    assert (uri, DCTERMS.identifier, Literal(str(dataset.id))) in graph
    freq = URIRef("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    assert (uri, DCTERMS.accrualPeriodicity, freq) in graph
    assert (uri, DCTERMS.language, Literal("tha")) in graph
    distributions = list(graph.objects(uri, DCAT.distribution))
    assert len(distributions) == 1  # the private resource is left out
    assert (distributions[0], DCTERMS.title, Literal("ราคา CSV")) in graph


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "content_type"),
    [
        ("rdf", "xml", "application/rdf+xml"),
        ("xml", "xml", "application/rdf+xml"),
        ("jsonld", "json-ld", "application/ld+json"),
        ("n3", "n3", "text/n3"),
    ],
)
def test_every_format_parses(client, org, fmt, rdflib_format, content_type):
    dataset = _dataset(org, "fmt-check")

    response = client.get(f"/dataset/{dataset.id}.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}"), RDF.type, DCAT.Dataset) in graph
    if fmt == "jsonld":
        json.loads(response.content)


def test_private_draft_and_deleted_datasets_are_not_found(client, org):
    private = _dataset(org, "secret", private=True)
    draft = _dataset(org, "draft-one", state=State.DRAFT)
    deleted = _dataset(org, "gone", state=State.DELETED)

    for dataset in (private, draft, deleted):
        assert client.get(f"/dataset/{dataset.name}.ttl").status_code == 404
    graph = Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 0


def test_catalog_pages_by_100_with_hydra_links(client, org):
    for number in range(205):
        _dataset(org, f"ds-{number:03d}")

    first = Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    third = Graph().parse(data=client.get("/catalog.ttl?page=3").content, format="turtle")

    assert len(list(first.subjects(RDF.type, DCAT.Dataset))) == 100
    assert len(list(third.subjects(RDF.type, DCAT.Dataset))) == 5
    total = next(first.objects(None, URIRef(HYDRA + "totalItems")))
    assert int(total) == 205
    assert list(first.objects(None, URIRef(HYDRA + "nextPage")))
    assert not list(third.objects(None, URIRef(HYDRA + "nextPage")))
    assert str(next(third.objects(None, URIRef(HYDRA + "lastPage")))).endswith("page=3")


def test_catalog_modified_since_filters(client, org):
    old = _dataset(org, "old-one")
    Dataset.objects.filter(pk=old.pk).update(
        metadata_modified=timezone.now() - dt.timedelta(days=30)
    )
    _dataset(org, "new-one")
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()

    graph = Graph().parse(
        data=client.get(f"/catalog.ttl?modified_since={since}").content, format="turtle"
    )

    titles = {str(t) for t in graph.objects(None, DCTERMS.title)}
    assert "ชุดข้อมูล new-one" in titles
    assert "ชุดข้อมูล old-one" not in titles


@pytest.mark.parametrize("query", ["page=0", "page=abc", "modified_since=yesterday"])
def test_bad_paging_parameters_are_clear_400s(client, org, query):
    response = client.get(f"/catalog.ttl?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()
