"""Admin views of the catalog: read-only, because every change must go through the services
(validation, audit, metadata_modified, search index, personal-data guard)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from krabuan.catalog.models import (
    Dataset,
    Group,
    Organization,
    PersonalDataScan,
    Resource,
    ScanDecision,
    Tag,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "unit", "state"]
    search_fields = ["name", "title"]


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "category", "state"]
    search_fields = ["name", "title"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    search_fields = ["name"]


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "owner_org", "data_type", "state", "private", "quality_score"]
    list_filter = ["state", "private", "allow_harvest", "data_type", "data_category"]
    search_fields = ["name", "title"]
    list_select_related = ["owner_org"]


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "dataset", "format", "url_type", "state", "link_status"]
    list_filter = ["state", "format", "url_type"]
    search_fields = ["name", "dataset__name"]
    list_select_related = ["dataset"]


@admin.register(PersonalDataScan)
class PersonalDataScanAdmin(ReadOnlyAdmin):
    list_display = ["pk", "resource", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["resource"]


@admin.register(ScanDecision)
class ScanDecisionAdmin(ReadOnlyAdmin):
    list_display = ["scan", "kind", "decided_by", "decided_at"]
