"""Settings shared by every environment; secrets and addresses come from the environment."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KRABUAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "bootstrap",
    "huey.contrib.djhuey",
    "krabuan.core",
    "krabuan.org",
    "krabuan.notify",
    "krabuan.manual",
    "krabuan.workflow",
    "krabuan.kpi",
    "krabuan.catalog",
    "krabuan.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "krabuan.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "krabuan.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "krabuan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "krabuan.core.context_processors.krabuan",
                "krabuan.notify.context_processors.notifications",
            ],
            "builtins": ["krabuan.core.templatetags.thai"],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        db: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    else:
        db = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "krabuan.sqlite3"),
        }
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the worker and the web process read while the other writes.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "krabuan" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "krabuan.core.storage.ThaiFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_ENGINE = "krabuan.core.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "krabuan@localhost")
# Notifications: absolute links in mail and LINE messages, and the LINE Messaging API channel
# (the token is a secret from the LINE Developers console; unset means no LINE delivery).
KRABUAN_SITE_URL = os.environ.get("KRABUAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "krabuan.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": None,
    "DEFAULT_THROTTLE_RATES": {"login": "10/min", "anon": "120/min"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Krabuan API",
    "DESCRIPTION": "REST API of Krabuan (กระบวน)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "krabuan.workflow.models.CaseStatus",
        "StepStatusEnum": "krabuan.workflow.models.StepStatus",
        "ProcessKindEnum": "krabuan.manual.models.ProcessKind",
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache holds the sign-in throttle counts, so every web process must share it.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "krabuan_cache",
        }
    }
# Behind a proxy, the header that carries the client's address (e.g. HTTP_X_REAL_IP).
KRABUAN_CLIENT_IP_HEADER = os.environ.get("KRABUAN_CLIENT_IP_HEADER", "REMOTE_ADDR")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "krabuan",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "krabuan",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# Office hours for the working-day calendar (Asia/Bangkok local time).
KRABUAN_OFFICE_START = os.environ.get("KRABUAN_OFFICE_START", "08:30")
KRABUAN_OFFICE_END = os.environ.get("KRABUAN_OFFICE_END", "16:30")

# Escalation thresholds as % of a step's allowed time → who is told (assignee, group head,
# director). "75,100,150" by default; KRABUAN_ESCALATION="80,100,200" changes them.
KRABUAN_ESCALATION_THRESHOLDS = [
    int(x) for x in os.environ.get("KRABUAN_ESCALATION", "75,100,150").split(",") if x.strip()
]

# Key for personal data encrypted at rest (Fernet, urlsafe base64 of 32 bytes). Production must
# set it; `make run` keeps a generated one in var/ (see local.py).
KRABUAN_FIELD_KEY = os.environ.get("KRABUAN_FIELD_KEY", "")

# Data-subject requests: calendar days to answer. Default 30 for every type and 90 for erasure
# (PDPC notification 2024); "45" sets every type, "access=30,erasure=90" named types. Contact
# details of closed requests are erased after KRABUAN_DSR_RETENTION_DAYS (default 730).
KRABUAN_DSR_DAYS = os.environ.get("KRABUAN_DSR_DAYS", "")
KRABUAN_DSR_RETENTION_DAYS = os.environ.get("KRABUAN_DSR_RETENTION_DAYS", "730")

# Catalog uploads: largest file accepted and the formats (extensions) allowed.
# Networks inside the ministry the catalog's link checker may request (comma-separated CIDR,
# e.g. "10.20.0.0/16"); every other loopback, private or reserved address is refused.
KRABUAN_LINKCHECK_ALLOWED_NETWORKS = [
    n.strip()
    for n in os.environ.get("KRABUAN_LINKCHECK_ALLOWED_NETWORKS", "").split(",")
    if n.strip()
]
for _network in KRABUAN_LINKCHECK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"KRABUAN_LINKCHECK_ALLOWED_NETWORKS: {_network!r} is not a network (CIDR)"
        ) from _exc
KRABUAN_CATALOG_MAX_UPLOAD = int(
    os.environ.get("KRABUAN_CATALOG_MAX_UPLOAD", str(100 * 1024 * 1024))
)
# CKAN Action API: callers who may not edit the catalog (anonymous, a harvester's read-only token)
# see only the datasets consented for GD Catalog (allow_harvest). KRABUAN_CKAN_HARVEST_ONLY=0
# offers every public dataset instead (docs/api-ckan.md).
KRABUAN_CKAN_HARVEST_ONLY = os.environ.get("KRABUAN_CKAN_HARVEST_ONLY", "1") != "0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
