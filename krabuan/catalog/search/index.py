"""Keep a dataset's segmented search document, its full-text index entry, its facet keys and
totals (counting.py, totals.py) and its stored package_show dict in step with the dataset.
Services call `index_dataset` inside their transaction; `index_datasets` does many at once
(imports, the benchmark) and `reindex_all` rebuilds everything (`krabuan catalog_reindex`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from krabuan.catalog.dictize import public_dict_json
from krabuan.catalog.models import (
    Dataset,
    DatasetFacetKeys,
    DatasetListing,
    DatasetSearchDoc,
    State,
)
from krabuan.catalog.search import engine, totals
from krabuan.catalog.search.text import parts, terms
from krabuan.catalog.selectors import with_related

BATCH_SIZE = 500
DOC_FIELDS = ("name", "title", "tags", "groups", "organization", "notes")


@dataclass(frozen=True)
class Document:
    """The terms of each field of one dataset, and the inner words of its compounds."""

    fields: dict[str, list[str]]
    res_formats: str

    def doc_values(self) -> dict[str, str]:
        values = {f: " ".join(self.fields[f]) for f in DOC_FIELDS}
        values["res_formats"] = self.res_formats
        return values


def document_for(dataset: Dataset) -> Document:
    """The search document of a dataset (uses prefetched tags, groups and resources)."""
    org = dataset.owner_org
    fields = {
        "name": terms(dataset.name.replace("-", " ").replace("_", " ")),
        "title": terms(dataset.title),
        "tags": [t for tag in dataset.tags.all() for t in terms(tag.name)],
        "groups": [t for g in dataset.groups.all() for t in (*terms(g.title), *terms(g.name))],
        "organization": [*terms(org.title), *terms(org.name)],
        "notes": terms(dataset.notes),
    }
    inner: dict[str, None] = {}  # ordered set
    for column in DOC_FIELDS:
        for term in fields[column]:
            for part in parts(term):
                inner[part] = None
    fields["parts"] = list(inner)
    formats = sorted(
        {
            r.format.strip().upper()
            for r in dataset.resources.all()
            if r.format.strip() and r.state != State.DELETED
        }
    )
    return Document(fields=fields, res_formats=" ".join(formats))


def index_dataset(dataset: Dataset) -> None:
    """Rewrite the search document, the full-text entry, the facet keys and the stored dict of
    one dataset (read again with its relations: the caller's copy may hold stale ones)."""
    index_datasets([dataset.pk])


def _with_related(ids: list[uuid.UUID]) -> list[Dataset]:
    # The same loading as package_show's, so the stored dict is the dict it would build.
    return list(with_related(Dataset.objects.filter(pk__in=ids)).order_by())


def index_datasets(ids: Iterable[uuid.UUID]) -> int:
    """Index many datasets, a batch per transaction and a fixed number of queries per batch."""
    pending = list(ids)
    done = 0
    for start in range(0, len(pending), BATCH_SIZE):
        datasets = _with_related(pending[start : start + BATCH_SIZE])
        docs = [(d.pk, document_for(d)) for d in datasets]
        with transaction.atomic():
            keyed = totals.record(datasets)
            facets = {k.dataset_id: k.keys for k in keyed}
            DatasetSearchDoc.objects.bulk_create(
                [
                    DatasetSearchDoc(dataset_id=pk, facet_keys=facets[pk], **doc.doc_values())
                    for pk, doc in docs
                ],
                update_conflicts=True,
                unique_fields=["dataset"],
                update_fields=[*DOC_FIELDS, "res_formats", "facet_keys"],
            )
            DatasetFacetKeys.objects.bulk_create(
                keyed,
                update_conflicts=True,
                unique_fields=["dataset"],
                update_fields=["keys", "visibility", "counted"],
            )
            engine.write([(pk, doc.fields) for pk, doc in docs], facets)
            DatasetListing.objects.bulk_create(
                [
                    DatasetListing(dataset_id=d.pk, public_dict=public_dict_json(d))
                    for d in datasets
                ],
                update_conflicts=True,
                unique_fields=["dataset"],
                update_fields=["public_dict"],
            )
        done += len(docs)
    return done


def reindex_all(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the search documents and the full-text index of every dataset."""
    ids = list(Dataset.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        done += index_datasets(ids[start : start + BATCH_SIZE])
        if progress is not None:
            progress(done, len(ids))
    with transaction.atomic():
        engine.prune()
    totals.rebuild()
    engine.analyze()
    return done
