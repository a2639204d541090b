"""DCAT (DCAT-AP style) RDF for the public catalog, mapped as ckanext-dcat maps CKAN fields, with
the thai_gdc fields mapped as `catalog.md` §f suggests. Built with rdflib; serialised as Turtle,
RDF/XML, N3 or JSON-LD. Only public, active datasets and non-private resources appear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from krabuan.catalog.models import Dataset, Resource, State

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATUS = Namespace("http://resources.data.gov/ontology/dcat-us#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
THGDC = Namespace("https://gdcatalog.go.th/ns/thai_gdc#")

PER_PAGE = 100

# Media types per format suffix, as ckanext-dcat serves them (rdf is an alias of xml).
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "xml": ("xml", "application/rdf+xml; charset=utf-8"),
    "n3": ("n3", "text/n3; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}

# update_frequency_unit → EU frequency vocabulary (catalog.md §f).
FREQUENCIES = {
    "ปี": "ANNUAL",
    "ครึ่งปี": "ANNUAL_2",
    "ไตรมาส": "QUARTERLY",
    "เดือน": "MONTHLY",
    "สัปดาห์": "WEEKLY",
    "วัน": "DAILY",
    "วันทำการ": "DAILY",
    "ชั่วโมง": "HOURLY",
    "ตามเวลาจริง": "CONT",
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": "NEVER",
    "ไม่ทราบ": "UNKNOWN",
}
LANGUAGES = {
    "ไทย": "tha",
    "อังกฤษ": "eng",
    "จีน": "zho",
    "มลายู": "msa",
    "พม่า": "mya",
    "ลาว": "lao",
    "เขมร": "khm",
    "ญี่ปุ่น": "jpn",
    "เกาหลี": "kor",
    "ฝรั่งเศส": "fra",
    "เยอรมัน": "deu",
    "อารบิก": "ara",
}


def base_uri() -> str:
    return str(getattr(settings, "KRABUAN_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def public_datasets() -> QuerySet[Dataset]:
    """Public, active datasets with what the graph needs, in a fixed number of queries."""
    return (
        Dataset.objects.filter(state=State.ACTIVE, private=False)
        .select_related("owner_org")
        .prefetch_related(
            "tags",
            Prefetch(
                "resources",
                queryset=Resource.objects.filter(state=State.ACTIVE, resource_private=False),
            ),
        )
        .order_by("id")
    )


def dataset_uri(dataset: Dataset) -> URIRef:
    return URIRef(f"{base_uri()}/dataset/{dataset.id}")


def _date(value: dt.date | dt.datetime | None) -> Literal | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def _add(graph: Graph, subject: URIRef | BNode, predicate: URIRef, value: object) -> None:
    if value in (None, "", []):
        return
    graph.add(
        (subject, predicate, value if isinstance(value, URIRef | Literal) else Literal(value))
    )


def _choice(value: str, other: str) -> str:
    return other if value == "อื่นๆ" and other else value


def _distribution(graph: Graph, dataset: Dataset, resource: Resource) -> URIRef:
    uri = URIRef(f"{base_uri()}/dataset/{dataset.id}/resource/{resource.id}")
    graph.add((uri, RDF.type, DCAT.Distribution))
    _add(graph, uri, DCTERMS.title, resource.name)
    _add(graph, uri, DCTERMS.description, resource.description)
    url = resource.url if "://" in resource.url else f"{base_uri()}{resource.url}"
    if resource.url:
        _add(graph, uri, DCAT.accessURL, URIRef(url))
        if resource.url_type == "upload":
            _add(graph, uri, DCAT.downloadURL, URIRef(url))
    _add(graph, uri, DCTERMS["format"], resource.format)
    _add(graph, uri, DCAT.mediaType, resource.mimetype)
    if resource.size is not None:
        _add(graph, uri, DCAT.byteSize, Literal(resource.size, datatype=XSD.decimal))
    _add(graph, uri, DCTERMS.issued, _date(resource.created))
    _add(graph, uri, DCTERMS.modified, _date(resource.last_modified or resource.metadata_modified))
    _add(graph, uri, DCTERMS.license, dataset.license_id)
    _add(graph, uri, DCTERMS.rights, resource.type_fields.get("resource_accessible_condition"))
    return uri


def add_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    """The dcat:Dataset of one dataset, with its publisher, contact point and distributions."""
    uri = dataset_uri(dataset)
    graph.add((uri, RDF.type, DCAT.Dataset))
    _add(graph, uri, DCTERMS.title, dataset.title)
    _add(graph, uri, DCTERMS.description, dataset.notes)
    _add(graph, uri, DCTERMS.identifier, str(dataset.id))
    _add(graph, uri, ADMS.identifier, dataset.name)
    _add(graph, uri, DCTERMS.issued, _date(dataset.metadata_created))
    _add(graph, uri, DCTERMS.modified, _date(dataset.metadata_modified))
    _add(graph, uri, OWL.versionInfo, dataset.version)
    if dataset.url:
        _add(graph, uri, DCAT.landingPage, URIRef(dataset.url))
    for tag in dataset.tags.all():
        graph.add((uri, DCAT.keyword, Literal(tag.name)))
    frequency = FREQUENCIES.get(dataset.update_frequency_unit)
    if frequency:
        graph.add((uri, DCTERMS.accrualPeriodicity, FREQ[frequency]))
    _add(graph, uri, DCTERMS.spatial, _choice(dataset.geo_coverage, dataset.geo_coverage_other))
    _add(graph, uri, DCTERMS.accessRights, dataset.data_category)
    _add(graph, uri, DCTERMS.accessRights, dataset.data_classification)
    _add(graph, uri, DCTERMS.source, dataset.data_source)
    _add(graph, uri, DCTERMS.provenance, dataset.data_source)
    _add(graph, uri, DCTERMS.type, _choice(dataset.data_type, dataset.data_type_other))
    _add(graph, uri, DCTERMS.license, dataset.license_id)
    _add(graph, uri, DCTERMS.rights, dataset.accessible_condition)
    for purpose in dataset.objective or []:
        _add(graph, uri, DCATUS.purpose, purpose)
    for language in dataset.type_fields.get("data_language") or []:
        code = LANGUAGES.get(language)
        if code:
            graph.add((uri, DCTERMS.language, Literal(code)))
    # thai_gdc items DCAT has no term for, kept under their own names.
    _add(graph, uri, THGDC.data_category, dataset.data_category)
    _add(graph, uri, THGDC.allow_harvest, "True" if dataset.allow_harvest else "False")
    _add(graph, uri, THGDC.update_frequency_interval, dataset.update_frequency_interval)

    org = dataset.owner_org
    publisher = URIRef(f"{base_uri()}/organization/{org.name}")
    graph.add((uri, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(org.title)))

    contact = BNode()
    graph.add((uri, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    _add(graph, contact, VCARD.fn, dataset.maintainer)
    if dataset.maintainer_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.maintainer_email}")))

    for resource in dataset.resources.all():
        graph.add((uri, DCAT.distribution, _distribution(graph, dataset, resource)))
    return uri


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("hydra", HYDRA),
        ("adms", ADMS),
        ("owl", OWL),
        ("thgdc", THGDC),
        ("dcatus", DCATUS),
    ):
        graph.bind(prefix, namespace)
    return graph


def dataset_graph(dataset: Dataset) -> Graph:
    graph = _graph()
    add_dataset(graph, dataset)
    return graph


@dataclass(frozen=True)
class CatalogPage:
    graph: Graph
    page: int
    last_page: int
    total: int


def catalog_graph(
    *, page: int = 1, modified_since: dt.datetime | None = None, base_query: str = ""
) -> CatalogPage:
    """One page (100 datasets) of the catalog with Hydra paging, as ckanext-dcat pages it."""
    datasets = public_datasets()
    if modified_since is not None:
        datasets = datasets.filter(metadata_modified__gte=modified_since)
    total = datasets.count()
    last_page = max(1, -(-total // PER_PAGE))
    graph = _graph()
    catalog = URIRef(base_uri())
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("บัญชีข้อมูลหน่วยงาน ศทส. สป.กษ.")))
    graph.add((catalog, DCTERMS.description, Literal("Agency Data Catalog (Krabuan)")))
    graph.add((catalog, FOAF.homepage, URIRef(f"{base_uri()}/dataset/")))
    graph.add((catalog, DCTERMS.language, Literal("th")))
    start = (page - 1) * PER_PAGE
    for dataset in _page(datasets, start):
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset)))
    collection = URIRef(f"{base_uri()}/catalog.ttl?page={page}{base_query}")
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(PER_PAGE, datatype=XSD.integer)))

    def link(number: int) -> Literal:
        return Literal(f"{base_uri()}/catalog.ttl?page={number}{base_query}")

    graph.add((collection, HYDRA.firstPage, link(1)))
    graph.add((collection, HYDRA.lastPage, link(last_page)))
    if page < last_page:
        graph.add((collection, HYDRA.nextPage, link(page + 1)))
    if page > 1:
        graph.add((collection, HYDRA.previousPage, link(page - 1)))
    return CatalogPage(graph=graph, page=page, last_page=last_page, total=total)


def _page(datasets: QuerySet[Dataset], start: int) -> Iterable[Dataset]:
    return datasets[start : start + PER_PAGE]


def serialize(graph: Graph, fmt: str) -> tuple[bytes, str]:
    """The graph in one of FORMATS, and its content type."""
    rdflib_format, content_type = FORMATS[fmt]
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    return data, content_type
