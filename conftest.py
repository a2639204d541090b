"""Shared pytest fixtures: users with roles, and the demo organisation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from krabuan.org.models import Role
from krabuan.org.tests.factories import UserFactory, membership_add


@pytest.fixture(autouse=True)
def _thai_by_default():
    """Every test starts in Thai, the default language. A request in English leaves English
    active in the thread after it (LocaleMiddleware activates, nothing deactivates), and code
    that formats Thai outside a request would then read English in the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_org(db):
    from krabuan.org.services.demo import demo_org_load

    demo_org_load()


def _user_with(role: str, **kwargs):
    user = UserFactory(**kwargs)
    membership_add(user=user, role=role)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def director(db):
    return _user_with(Role.DIRECTOR, username="t-director")


@pytest.fixture
def group_head(db):
    return _user_with(Role.GROUP_HEAD, username="t-head")


@pytest.fixture
def officer(db):
    return _user_with(Role.OFFICER, username="t-officer")


@pytest.fixture
def auditor(db):
    return _user_with(Role.AUDITOR, username="t-auditor")


@pytest.fixture
def requester(db):
    return _user_with(Role.REQUESTER, username="t-requester")
