"""Database sessions that refuse malformed keys before they reach the database.

A cookie like `sessionid=\\x00…` would otherwise make PostgreSQL raise DataError (text cannot
hold NUL), turning a forged cookie into a server error."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


class SessionStore(DbSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        # Django makes keys of 32 lowercase letters and digits.
        return (
            bool(key)
            and 8 <= len(key or "") <= 40
            and (key or "").isascii()
            and (key or "").isalnum()
        )
