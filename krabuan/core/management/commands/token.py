"""API tokens from the console: `krabuan token create USER` prints the key, `revoke` deletes it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from krabuan.core.audit import audit_record


class Command(BaseCommand):
    help = (
        "Manage REST API tokens. `token create USER` prints the user's token (creating it when "
        "missing; only the key goes to stdout). `token revoke USER` deletes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke"], help="create or revoke")
        parser.add_argument("username", help="the user's username")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"User '{username}' does not exist.") from None
        if options["action"] == "create":
            self._create(user)
        else:
            self._revoke(user)

    @transaction.atomic
    def _create(self, user: Any) -> None:
        if not user.is_active:
            # A suspended account's token would be refused anyway; say so instead of printing it.
            raise CommandError(f"User '{user.get_username()}' is inactive; no token issued.")
        token, created = Token.objects.get_or_create(user=user)
        if created:
            # The key itself is a credential and never goes into the audit log.
            audit_record(
                actor=None, action="token.create", obj=user, changes={"api_token": "created"}
            )
        self.stdout.write(token.key)

    @transaction.atomic
    def _revoke(self, user: Any) -> None:
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                actor=None, action="token.revoke", obj=user, changes={"api_token": "revoked"}
            )
            self.stdout.write(f"Token of '{user.get_username()}' revoked.")
        else:
            self.stdout.write(f"User '{user.get_username()}' had no token.")
