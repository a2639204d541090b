"""Fuzz every REST endpoint against its own OpenAPI schema: no 5xx, no response that breaks the
schema. Each later module's endpoints join this run automatically, since the schema lists them."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import ignored_auth

from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path
from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.services.demo import demo_org_load
from krabuan.org.tests.factories import UserFactory


@pytest.fixture
def api_schema(db):
    demo_org_load()
    manual_fixture_load(directory=FIXTURES_DIR / "fy2567")
    agreement_fixture_load(path=fixture_path(2566))
    raw = Client().get("/api/schema/?format=json").json()
    # Like Django's test client: keep the test's connection (and its transaction) open across
    # the WSGI requests schemathesis makes, instead of closing it at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.from_dict(raw, app=WSGIHandler())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def token(db):
    user = UserFactory(username="fuzzer")
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,  # the same examples on every CI run; raise max_examples to explore more
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_errors_and_matches_schema(case, token):
    # The token is passed explicitly, so schemathesis cannot tell it is genuine; its
    # "ignored auth" check is replaced by the anonymous call below.
    response = case.call_wsgi(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, excluded_checks=(ignored_auth,))
    anonymous = case.call_wsgi()
    if case.operation.definition.raw.get("x-public"):
        # Public by design (marked "x-public", e.g. a data subject's request): the anonymous
        # answer must still keep to the schema.
        case.validate_response(anonymous, excluded_checks=(ignored_auth,))
        return
    # Every other endpoint needs a signed-in user. Only a path no route matches may answer 404
    # first, and a query with a NUL character is refused (400) before anything else looks at it.
    expected = {401, 400} if _routed(case.formatted_path) else {404}
    assert anonymous.status_code in expected, case.as_curl_command()


def _routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
