"""Helpers and fixtures shared by the CKAN Action API tests (test_ckan_*, harvest, ckanapi)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from krabuan.catalog.models import Dataset, State
from krabuan.catalog.services.datasets import dataset_create, dataset_patch
from krabuan.catalog.tests.core_factories import dataset_data, org_make, resource_data


def call(
    client: Client,
    action: str,
    data: dict[str, Any] | None = None,
    *,
    method: str = "post",
    token: str | None = None,
    prefix: str = "/api/3/action/",
) -> Any:
    """Call one action the way ckanapi does (POST JSON) or as a browser (GET query string)."""
    headers = {"Authorization": token} if token else {}
    url = prefix + action
    if method == "get":
        return client.get(url, data or {}, headers=headers)
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", headers=headers
    )


def body(response: Any) -> Any:
    return json.loads(response.content.decode("utf-8"))


def result(response: Any) -> Any:
    """The result of a successful call (fails the test with the body otherwise)."""
    assert response.status_code == 200, response.content.decode("utf-8")
    payload = body(response)
    assert payload["success"] is True
    return payload["result"]


@pytest.fixture
def editor_token(officer: Any) -> str:
    return Token.objects.create(user=officer).key


@pytest.fixture
def reader_token(requester: Any) -> str:
    return Token.objects.create(user=requester).key


def make_dataset(
    actor: Any,
    *,
    public: bool = True,
    harvest: bool = True,
    resources: int = 1,
    org_name: str = "ict",
    **overrides: Any,
) -> Dataset:
    """A dataset made through the catalog service, public or private, with link resources."""
    org = org_make(org_name, f"หน่วยงาน {org_name}") if org_name != "ict" else org_make()
    data = dataset_data(
        org,
        private=not public,
        allow_harvest="True" if harvest else "False",
        resources=[resource_data() for _ in range(resources)],
        **overrides,
    )
    return dataset_create(actor=actor, data=data)


def make_draft(actor: Any, **overrides: Any) -> Dataset:
    data = dataset_data(org_make(), state=State.DRAFT, **overrides)
    return dataset_create(actor=actor, data=data)


def touch_dataset(actor: Any, dataset: Dataset, notes: str) -> Dataset:
    """An edit through the service (metadata_modified moves)."""
    return dataset_patch(actor=actor, dataset=dataset, data={"notes": notes})
