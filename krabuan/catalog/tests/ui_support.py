"""Test data for the portal and staff-editor tests (cat-ui): datasets made through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krabuan.catalog.models import Dataset, Resource
from krabuan.catalog.services.datasets import dataset_create, dataset_publish
from krabuan.catalog.services.resources import resource_create
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data

RICE_CSV = (
    "จังหวัด,พันธุ์ข้าว,ผลผลิต (ตัน)\n"
    "สุรินทร์,ข้าวหอมมะลิ 105,120000\n"
    "บุรีรัมย์,ข้าวหอมมะลิ 105,98000\n"
    "ศรีสะเกษ,กข15,87500\n"
).encode()


def make_dataset(actor: Any, *, public: bool = False, **overrides: Any) -> Dataset:
    """A complete statistics dataset (private unless `public`) with one link resource."""
    org_make()
    data = dataset_data(resources=[resource_data()], **overrides)
    dataset = dataset_create(actor=actor, data=data)
    if public:
        dataset = dataset_publish(actor=actor, dataset=dataset)
    return dataset


def add_upload(
    actor: Any,
    dataset: Dataset,
    *,
    content: bytes = RICE_CSV,
    filename: str = "ผลผลิตข้าว.csv",
    **data: Any,
) -> Resource:
    """An uploaded file resource (scanned inline by the guard)."""
    upload = SimpleUploadedFile(filename, content, content_type="application/octet-stream")
    fields = {"name": data.pop("name", "ตารางผลผลิต"), "description": "ข้อมูลรายจังหวัด", **data}
    return resource_create(actor=actor, dataset=dataset, data=fields, upload=upload)


@pytest.fixture
def disk_storage(settings: Any, tmp_path: Any) -> None:
    """Uploads on disk, as in production: Django's in-memory test storage hands out one shared
    file object per name, so a file closed once (after a scan or a download) cannot be read
    again, which no real storage does."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "krabuan.core.storage.ThaiFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
