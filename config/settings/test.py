"""Settings for the test suite; DATABASE_URL still selects SQLite or PostgreSQL."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.base import HUEY

SECRET_KEY = "test-only-not-secret"  # noqa: S105
KRABUAN_FIELD_KEY = "dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTAxMjM0NTY="
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "krabuan.core.storage.ThaiInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
