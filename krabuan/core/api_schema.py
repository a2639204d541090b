"""OpenAPI pieces shared by every endpoint: the one error shape."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
            },
        )
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="bad input; `fields` names each field"),
    401: OpenApiResponse(ErrorSerializer, description="not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="not found"),
}
