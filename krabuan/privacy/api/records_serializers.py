"""RoPA API shapes: the register's list items, one RoPA with every item of its versions, and
the query it accepts. Shapes are part of the public contract (docs/privacy-records.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from krabuan.privacy.models import Ropa, RopaKind, RopaRefusal, RopaVersion
from krabuan.privacy.selectors.records import ropa_latest, ropa_published
from krabuan.privacy.services.ropa import LAWFUL_BASIS_LABELS, ropa_missing_items


class RopaListQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=40, help_text="รหัสหน่วยงาน (เช่น ict-data) หรือ id ของหน่วยงาน"
    )
    kind = serializers.ChoiceField(
        required=False, choices=RopaKind.choices, help_text="controller หรือ processor"
    )


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    approved_by = serializers.SerializerMethodField()
    approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_approved_by(self, version: RopaVersion) -> str | None:
        user = version.approved_by
        return (user.get_full_name() or user.username) if user else None


# Field names that clash with Serializer attributes (label, data) are declared inline.
LawfulBasisSerializer = inline_serializer(
    name="RopaLawfulBasis",
    fields={"code": serializers.CharField(), "label": serializers.CharField()},
)
PurposeSerializer = inline_serializer(
    name="RopaPurpose",
    fields={"data": serializers.CharField(), "purpose": serializers.CharField()},
)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    contact = serializers.CharField(required=False)
    dpo_name = serializers.CharField(required=False)
    dpo_contact = serializers.CharField(required=False)


class ControllerRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField(required=False)
    contact = serializers.CharField(required=False)


class VersionDetailSerializer(VersionSummarySerializer):
    """Every item: the eight s.39 items for a controller record, the six notification items
    for a processor record (the other kind's fields are empty)."""

    data_collected = serializers.CharField()
    purposes = serializers.SerializerMethodField()
    controller = ContactSerializer()
    retention = serializers.CharField()
    access_rights = serializers.CharField()
    exempt_disclosures = serializers.CharField()
    refusals_note = serializers.CharField()
    security_measures = serializers.CharField()
    lawful_bases = serializers.SerializerMethodField()
    recipients = serializers.CharField()
    transfers_abroad = serializers.CharField()
    processor_details = ContactSerializer()
    controllers = ControllerRowSerializer(many=True)
    processing_nature = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approval_note = serializers.CharField()
    missing = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=PurposeSerializer))
    def get_purposes(self, version: RopaVersion) -> list[dict[str, str]]:
        return [
            {"data": r.get("data", ""), "purpose": r.get("purpose", "")}
            for r in version.purposes or []
        ]

    @extend_schema_field(serializers.ListField(child=LawfulBasisSerializer))
    def get_lawful_bases(self, version: RopaVersion) -> list[dict[str, str]]:
        return [
            {"code": c, "label": LAWFUL_BASIS_LABELS.get(c, c)} for c in version.lawful_bases or []
        ]

    @extend_schema_field(
        serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_missing(self, version: RopaVersion) -> dict[str, list[str]]:
        return ropa_missing_items(version=version)


class RefusalSerializer(serializers.ModelSerializer):
    section_label = serializers.CharField(source="get_section_display")
    request_reference = serializers.SerializerMethodField()

    class Meta:
        model = RopaRefusal
        fields = ["id", "section", "section_label", "reason", "recorded_at", "request_reference"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_request_reference(self, refusal: RopaRefusal) -> str | None:
        return refusal.request.reference if refusal.request_id and refusal.request else None


class _RopaBase(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    activity = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            name="RopaActivity",
            fields={"id": serializers.IntegerField(), "name": serializers.CharField()},
        )
    )
    def get_activity(self, ropa: Ropa) -> dict[str, Any]:
        return {"id": ropa.activity_id, "name": ropa.activity.name}

    @extend_schema_field(
        inline_serializer(
            name="RopaUnit",
            fields={
                "id": serializers.IntegerField(),
                "code": serializers.CharField(),
                "name": serializers.CharField(),
            },
        )
    )
    def get_unit(self, ropa: Ropa) -> dict[str, Any]:
        unit = ropa.activity.unit
        return {"id": unit.pk, "code": unit.code, "name": unit.name}


class RopaListItemSerializer(_RopaBase):
    published = serializers.SerializerMethodField()
    latest = serializers.SerializerMethodField()

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_published(self, ropa: Ropa) -> dict[str, Any] | None:
        version = ropa_published(ropa)
        return VersionSummarySerializer(version).data if version else None

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_latest(self, ropa: Ropa) -> dict[str, Any] | None:
        version = ropa_latest(ropa)
        return VersionSummarySerializer(version).data if version else None


class RopaDetailSerializer(_RopaBase):
    published = serializers.SerializerMethodField()
    latest = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    refusals = RefusalSerializer(many=True)

    @extend_schema_field(VersionDetailSerializer(allow_null=True))
    def get_published(self, ropa: Ropa) -> dict[str, Any] | None:
        version = ropa_published(ropa)
        return VersionDetailSerializer(version).data if version else None

    @extend_schema_field(VersionDetailSerializer(allow_null=True))
    def get_latest(self, ropa: Ropa) -> dict[str, Any] | None:
        version = ropa_latest(ropa)
        return VersionDetailSerializer(version).data if version else None

    @extend_schema_field(VersionSummarySerializer(many=True))
    def get_versions(self, ropa: Ropa) -> list[Any]:
        return list(VersionSummarySerializer(list(ropa.versions.all()), many=True).data)
