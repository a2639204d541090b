"""Settings for `make run` on one machine."""

from __future__ import annotations

import os
import secrets

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR


def _secret_key() -> str:
    # Keep one generated key per checkout so sessions survive restarts, never in the repo.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _secret_key()


def _field_key() -> str:
    # The key for personal data at rest; generated once per checkout, never in the repo.
    from cryptography.fernet import Fernet

    path = VAR_DIR / "field_key"
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_text().strip()


KRABUAN_FIELD_KEY = os.environ.get("KRABUAN_FIELD_KEY") or _field_key()
if not os.environ.get("EMAIL_HOST"):
    # No mail server configured: write mails to files so password reset still works locally.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
