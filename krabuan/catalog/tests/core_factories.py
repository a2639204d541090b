"""Test data for the catalog: organizations, groups and complete package dicts."""

from __future__ import annotations

import itertools
from typing import Any

from krabuan.catalog import schema
from krabuan.catalog.models import Group, Organization

_seq = itertools.count(1)


def org_make(name: str = "ict", title: str = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร") -> Organization:
    org, _ = Organization.objects.get_or_create(name=name, defaults={"title": title})
    return org


def group_make(name: str = "category04", title: str = "ด้านเศรษฐกิจ") -> Group:
    group, _ = Group.objects.get_or_create(
        name=name,
        defaults={"title": title, "category": name if name.startswith("category") else ""},
    )
    return group


def dataset_data(org: Organization | None = None, **overrides: Any) -> dict[str, Any]:
    """A complete, valid package dict (ข้อมูลสถิติ, private) with unique name and title."""
    n = next(_seq)
    org = org or org_make()
    data: dict[str, Any] = {
        "name": f"test-dataset-{n}",
        "title": f"สถิติการผลิตข้าว ชุดที่ {n}",
        "owner_org": org.name,
        "data_type": schema.STAT,
        "maintainer": "กลุ่มบริหารข้อมูลการเกษตร",
        "maintainer_email": "data@example.go.th",
        "tags": [{"name": "ข้าว"}, {"name": "สถิติการเกษตร"}],
        "notes": "ปริมาณการผลิตข้าวรายจังหวัด",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "data_source": "สำนักงานเศรษฐกิจการเกษตร",
        "data_format": ["CSV"],
        "data_category": schema.PUBLIC_CATEGORY,
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มี",
        "private": True,
    }
    data.update(overrides)
    return data


def resource_data(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    data: dict[str, Any] = {
        "name": f"ข้อมูลรายปี {n}",
        "description": "ตารางข้อมูลรายจังหวัด",
        "url": f"https://data.example.go.th/files/rice-{n}.csv",
        "format": "CSV",
    }
    data.update(overrides)
    return data
