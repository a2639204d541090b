"""The private token of a user's iCalendar feed: made on first use, replaced on request."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction

from krabuan.core.audit import audit_record
from krabuan.workflow.models import FeedToken


def _new_token() -> str:
    # 32 bytes of randomness: the token is the only secret guarding the feed.
    return secrets.token_urlsafe(32)


@transaction.atomic
def feed_token_get_or_create(*, user: Any) -> FeedToken:
    """The user's feed token, created the first time it is asked for."""
    existing = FeedToken.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            token = FeedToken.objects.create(user=user, token=_new_token())
    except IntegrityError:
        # Two requests of the same user raced; the other one made it.
        return FeedToken.objects.get(user=user)
    audit_record(actor=user, action="feed.create", obj=token)
    return token


@transaction.atomic
def feed_token_regenerate(*, user: Any) -> FeedToken:
    """Replace the user's feed token; the old private URL stops working at once."""
    token, _created = FeedToken.objects.select_for_update().get_or_create(
        user=user, defaults={"token": _new_token()}
    )
    if not _created:
        token.token = _new_token()
        token.save(update_fields=["token"])
    audit_record(actor=user, action="feed.regenerate", obj=token)
    return token
