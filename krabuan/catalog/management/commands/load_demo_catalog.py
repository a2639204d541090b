"""`krabuan load_demo_catalog`: the division's organizations (from the org tree), the seven area
groups and a dozen invented agricultural datasets with generated files, made through the real
services (validation, audit, personal-data scan, publishing). Idempotent: what exists is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from krabuan.catalog.demo_catalog import DATASETS, ORG_UNITS, DemoDataset, dataset_payload
from krabuan.catalog.models import Dataset, Group, Organization
from krabuan.catalog.permissions import can_edit_catalog
from krabuan.catalog.schema import GROUP_CATEGORIES
from krabuan.catalog.services.datasets import dataset_create, dataset_publish
from krabuan.catalog.services.orgs import group_create, organization_create
from krabuan.catalog.services.resources import resource_create
from krabuan.core.thai import BANGKOK
from krabuan.org.models import Unit

ACTORS = ["head.strategy", "director", "officer.strategy"]


def _actor() -> Any:
    users = get_user_model().objects.filter(username__in=ACTORS)
    for user in sorted(users, key=lambda u: ACTORS.index(u.username)):
        if can_edit_catalog(user):
            return user
    raise CommandError("load the demo organisation first (krabuan load_demo_org)")


def _organizations(actor: Any) -> int:
    created = 0
    for code in ORG_UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"unit {code} is missing: load the demo organisation first")
        if Organization.objects.filter(name=code).exists():
            continue
        organization_create(
            actor=actor,
            data={
                "name": code,
                "title": unit.name,
                "description": f"{unit.name} ({unit.short_name})",
                "unit": unit,
            },
        )
        created += 1
    return created


def _groups(actor: Any) -> int:
    created = 0
    for name, title in GROUP_CATEGORIES:
        if not Group.objects.filter(name=name).exists():
            group_create(actor=actor, data={"name": name, "title": title, "category": name})
            created += 1
    return created


@transaction.atomic
def _dataset(actor: Any, spec: DemoDataset, today: dt.date) -> None:
    # One transaction per dataset: a refused publish leaves no half-made demo dataset behind.
    data = dataset_payload(
        spec, org_name=spec.org, last_updated=(today - dt.timedelta(days=12)).isoformat()
    )
    dataset = dataset_create(actor=actor, data=data)
    for demo_file in spec.files:
        upload = SimpleUploadedFile(demo_file.filename, demo_file.content())
        resource_create(
            actor=actor,
            dataset=dataset,
            data={
                "name": demo_file.name,
                "description": demo_file.description,
                "resource_last_updated_date": data["last_updated_date"],
                **demo_file.fields,
            },
            upload=upload,
        )
    for link in spec.links:
        resource_create(actor=actor, dataset=dataset, data=link, upload=None)
    if spec.open:
        dataset_publish(actor=actor, dataset=dataset)


class Command(BaseCommand):
    help = "Load the demo data catalog (organizations, groups, datasets); safe to run again"

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor()
        orgs = _organizations(actor)
        groups = _groups(actor)
        today = timezone.now().astimezone(BANGKOK).date()
        made = 0
        for spec in DATASETS:
            if Dataset.objects.filter(name=spec.name).exists():
                continue
            _dataset(actor, spec, today)
            made += 1
        self.stdout.write(
            f"Demo catalog: {orgs} organizations, {groups} groups, {made} datasets created"
        )
