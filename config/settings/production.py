"""Production settings: PostgreSQL + Redis, secrets from the environment only."""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = os.environ.get("KRABUAN_INSECURE_COOKIES", "") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "krabuan.core.storage.ThaiFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Personal data at rest (privacy requests, breach reporters) is encrypted with this key.
KRABUAN_FIELD_KEY = os.environ["KRABUAN_FIELD_KEY"]
