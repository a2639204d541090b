"""`krabuan ensure_admin`: the `admin` account. Its password comes from KRABUAN_ADMIN_PASSWORD;
without it a password is generated and printed once, when the account is first created."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from krabuan.org.models import Preference


class Command(BaseCommand):
    help = "Create the administrator account `admin` if it does not exist"

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        from_env = os.environ.get("KRABUAN_ADMIN_PASSWORD", "")
        user, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_superuser": True, "is_staff": True, "first_name": "ผู้ดูแลระบบ"},
        )
        Preference.objects.get_or_create(user=user)
        if from_env:
            user.set_password(from_env)
            user.save(update_fields=["password"])
            self.stdout.write("Administrator 'admin': password set from KRABUAN_ADMIN_PASSWORD")
        elif created:
            generated = secrets.token_urlsafe(12)
            user.set_password(generated)
            user.save(update_fields=["password"])
            self.stdout.write(
                self.style.WARNING(
                    f"Administrator 'admin' created. Password (shown only once): {generated}"
                )
            )
        else:
            self.stdout.write("Administrator 'admin' exists; password unchanged")
