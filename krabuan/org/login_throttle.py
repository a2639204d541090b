"""Sign-in throttling: too many failed attempts for one username or one address lock it for a while.

Failures are kept in Django's cache as a list of timestamps per key, so the rule is exactly
"N failures within the window" (a sliding window). In production the cache must be shared by all
web processes (Redis or the database cache); the per-process local-memory cache is fine on one
process and in tests.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PREFIX = "krabuan:login-failures"


def _limit(kind: str) -> int:
    if kind == "ip":
        return int(getattr(settings, "KRABUAN_LOGIN_IP_FAILURE_LIMIT", 5))
    return int(getattr(settings, "KRABUAN_LOGIN_FAILURE_LIMIT", 5))


def window_seconds() -> int:
    """How long failures count, and so the longest a lock lasts (15 minutes unless configured)."""
    return int(getattr(settings, "KRABUAN_LOGIN_WINDOW_SECONDS", 15 * 60))


def _now() -> float:
    return time.time()


def _key(kind: str, value: str) -> str:
    # Hash so that any username (spaces, Thai letters, 150 characters) makes a valid cache key.
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return f"{_PREFIX}:{kind}:{digest}"


def _keys(*, username: str | None, ip: str | None) -> list[tuple[str, str]]:
    keys = []
    if username:
        # "Admin" and "admin" are guesses at the same account.
        keys.append(("user", _key("user", username.strip().casefold())))
    if ip:
        keys.append(("ip", _key("ip", ip)))
    return keys


def _recent(key: str, now: float) -> list[float]:
    stamps = cache.get(key) or []
    return [s for s in stamps if now - s < window_seconds()]


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address: REMOTE_ADDR, or the header a trusted proxy sets when configured."""
    if request is None:
        return None
    header = getattr(settings, "KRABUAN_CLIENT_IP_HEADER", "REMOTE_ADDR")
    value = request.META.get(header) or request.META.get("REMOTE_ADDR") or ""
    # X-Forwarded-For style headers list the client first.
    return value.split(",")[0].strip() or None


def locked_seconds(*, username: str | None, ip: str | None) -> int:
    """Seconds until sign-in is allowed again for this username or address; 0 when not locked."""
    now = _now()
    wait = 0.0
    for kind, key in _keys(username=username, ip=ip):
        stamps = _recent(key, now)
        limit = _limit(kind)
        if len(stamps) >= limit:
            # Allowed again when enough old failures fall out of the window.
            oldest_that_counts = sorted(stamps)[-limit]
            wait = max(wait, oldest_that_counts + window_seconds() - now)
    return math.ceil(wait) if wait > 0 else 0


def failure_record(*, username: str | None, ip: str | None) -> None:
    """Count one failed sign-in against the username and the address."""
    now = _now()
    for _kind, key in _keys(username=username, ip=ip):
        stamps = [*_recent(key, now), now]
        cache.set(key, stamps, timeout=window_seconds())


def failure_count(*, username: str | None = None, ip: str | None = None) -> int:
    """Failures counted now for one username or one address (the larger of the two)."""
    now = _now()
    return max((len(_recent(key, now)) for _k, key in _keys(username=username, ip=ip)), default=0)


def success_record(*, username: str | None) -> None:
    """A correct sign-in clears the username's failures; the address keeps its count, so one
    valid account cannot be used to reset the counter between guesses at others."""
    for _kind, key in _keys(username=username, ip=None):
        cache.delete(key)
