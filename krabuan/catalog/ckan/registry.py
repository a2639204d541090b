"""The table of CKAN actions: name → function, and whether GET may call it.

Each action is `fn(ctx, data) -> result`; its docstring is what `help_show` returns, as in CKAN
where the public actions' docstrings are the API documentation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from krabuan.catalog.ckan.errors import NotAuthorized


@dataclass(frozen=True)
class ActionContext:
    """Who calls and how: the resolved user (token, session or anonymous) and the request."""

    request: HttpRequest
    user: AbstractBaseUser | AnonymousUser
    api_version: int = 3

    @property
    def is_anonymous(self) -> bool:
        return not self.user.is_authenticated

    def require_user(self, what: str) -> AbstractBaseUser:
        """The signed-in caller, or CKAN's Authorization Error for anonymous writes."""
        if not self.user.is_authenticated or not isinstance(self.user, AbstractBaseUser):
            raise NotAuthorized(f"ผู้ใช้ที่ไม่ได้ยืนยันตัวตนไม่มีสิทธิ์{what}")
        return self.user

    def site_url(self) -> str:
        """The public address of the site, as CKAN's `ckan.site_url`."""
        configured = getattr(settings, "KRABUAN_SITE_URL", "")
        return configured or self.request.build_absolute_uri("/").rstrip("/")


ActionFunction = Callable[[ActionContext, dict[str, Any]], Any]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    func: ActionFunction
    side_effect_free: bool

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


ACTIONS: dict[str, ActionSpec] = {}


def action(*, side_effect_free: bool) -> Callable[[ActionFunction], ActionFunction]:
    """Register a CKAN action under the function's name (read actions are side-effect free)."""

    def register(func: ActionFunction) -> ActionFunction:
        ACTIONS[func.__name__] = ActionSpec(func.__name__, func, side_effect_free)
        return func

    return register


def action_get(name: str) -> ActionSpec | None:
    """The registered action of that name (the action modules register on first use)."""
    # Importing the package registers every action module exactly once.
    import krabuan.catalog.ckan.actions  # noqa: F401

    return ACTIONS.get(name)
