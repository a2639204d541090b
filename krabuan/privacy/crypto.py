"""Encryption at rest for personal details of requesters and reporters (Fernet, key from the
environment). The database column only ever holds the token; reading needs the key."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("KRABUAN_FIELD_KEY is not set")
    return Fernet(key.encode())


def encrypt(value: str) -> str:
    """A Fernet token for `value` ("" stays "", so optional fields stay empty)."""
    if not value:
        return ""
    return _fernet(settings.KRABUAN_FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of a token; a token made with another key reads as "" (never a 500)."""
    if not token:
        return ""
    try:
        return _fernet(settings.KRABUAN_FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
