"""Datasets for the search tests, made directly with the models (valid thai_gdc values) and
indexed with `index_dataset`, as the services do after every change."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from krabuan.catalog.models import Dataset, Group, Organization, Resource, Tag
from krabuan.catalog.search.index import index_dataset

_serial = itertools.count(1)
BASE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def organization(name: str = "oae", title: str = "สำนักงานเศรษฐกิจการเกษตร") -> Organization:
    org, _created = Organization.objects.get_or_create(name=name, defaults={"title": title})
    return org


def group(name: str, title: str) -> Group:
    found, _created = Group.objects.get_or_create(name=name, defaults={"title": title})
    return found


def dataset(
    title: str,
    *,
    name: str | None = None,
    org: Organization | None = None,
    tags: tuple[str, ...] = (),
    groups: tuple[Group, ...] = (),
    formats: tuple[str, ...] = ("CSV",),
    notes: str = "ชุดข้อมูลทดสอบ",
    modified: dt.datetime | None = None,
    **fields: Any,
) -> Dataset:
    """One dataset (public and active unless told otherwise), indexed."""
    serial = next(_serial)
    modified = modified or BASE_TIME + dt.timedelta(hours=serial)
    values: dict[str, Any] = {
        "name": name or f"ds-{serial:05d}",
        "title": title,
        "owner_org": org or organization(),
        "private": False,
        "data_type": "ข้อมูลสถิติ",
        "maintainer": "กลุ่มสารสนเทศ",
        "maintainer_email": "data@example.go.th",
        "notes": notes,
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_source": "สำนักงานเศรษฐกิจการเกษตร",
        "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "allow_harvest": True,
        "metadata_created": modified - dt.timedelta(days=1),
        "metadata_modified": modified,
    }
    values.update(fields)
    created = Dataset.objects.create(**values)
    created.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    created.groups.set(groups)
    now = timezone.now()
    for position, fmt in enumerate(formats):
        Resource.objects.create(
            dataset=created,
            position=position,
            name=f"ไฟล์ {fmt}",
            url=f"https://data.example.go.th/{created.name}.{fmt.lower()}",
            format=fmt,
            created=now,
            metadata_modified=now,
        )
    index_dataset(created)
    return created
