"""Keep a dataset's segmented search document in step with the dataset (services call this)."""

from __future__ import annotations

from pythainlp.tokenize import word_tokenize

from krabuan.catalog.models import Dataset, DatasetSearchDoc
from krabuan.core.thai import normalize_text, to_arabic_digits


def segment(text: str) -> str:
    """Thai-aware tokens joined by spaces (newmm), lower-cased, Thai digits as Arabic."""
    clean = to_arabic_digits(normalize_text(text or "")).lower()
    tokens = word_tokenize(clean, engine="newmm", keep_whitespace=False)
    return " ".join(t for t in (tok.strip() for tok in tokens) if t)


def index_dataset(dataset: Dataset) -> None:
    """Rewrite the search document of one dataset."""
    org = dataset.owner_org
    DatasetSearchDoc.objects.update_or_create(
        dataset=dataset,
        defaults={
            "name": segment(dataset.name.replace("-", " ").replace("_", " ")),
            "title": segment(dataset.title),
            "tags": " ".join(segment(t.name) for t in dataset.tags.all()),
            "groups": " ".join(segment(g.title) + " " + g.name for g in dataset.groups.all()),
            "organization": segment(org.title) + " " + org.name,
            "notes": segment(dataset.notes),
            "res_formats": " ".join(
                sorted({r.format.upper() for r in dataset.resources.all() if r.format})
            ),
        },
    )
