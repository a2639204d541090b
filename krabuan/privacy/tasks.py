"""Huey tasks of the privacy app (Huey autodiscovers only this module; each area has its own)."""

from krabuan.privacy.tasks_breach import *  # noqa: F403
from krabuan.privacy.tasks_records import *  # noqa: F403
from krabuan.privacy.tasks_requests import *  # noqa: F403
