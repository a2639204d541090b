"""The `token` management command (`krabuan token create|revoke USER`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from krabuan.core.models import AuditEntry
from krabuan.org.tests.factories import UserFactory


def _run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_only_the_key_and_the_same_key_again(db):
    user = UserFactory(username="robot")
    first = _run("create", "robot")
    key = Token.objects.get(user=user).key
    assert first == f"{key}\n"
    assert len(key) == 40
    assert _run("create", "robot") == f"{key}\n"
    assert Token.objects.filter(user=user).count() == 1
    entry = AuditEntry.objects.get(action="token.create")
    assert entry.object_id == str(user.pk)
    assert key not in str(entry.changes)


def test_the_printed_key_is_what_the_api_accepts(db):
    user = UserFactory(username="robot")
    key = _run("create", "robot").strip()
    authenticated, token = TokenAuthentication().authenticate_credentials(key)
    assert authenticated == user
    assert token.key == key


def test_revoke_deletes_the_token(db):
    user = UserFactory(username="robot")
    Token.objects.create(user=user)
    assert _run("revoke", "robot") == "Token of 'robot' revoked.\n"
    assert not Token.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1
    assert _run("revoke", "robot") == "User 'robot' had no token.\n"
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"User 'ghost' does not exist\."):
        _run("create", "ghost")
    assert not Token.objects.exists()


def test_a_suspended_user_gets_no_token(db):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match=r"User 'gone' is inactive; no token issued\."):
        _run("create", "gone")
    assert not Token.objects.exists()


def test_an_unknown_action_is_refused(db):
    UserFactory(username="robot")
    with pytest.raises(CommandError, match="invalid choice: 'show'"):
        _run("show", "robot")
    assert not Token.objects.exists()
