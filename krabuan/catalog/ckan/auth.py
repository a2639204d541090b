"""Who is calling the Action API: an API token (as CKAN clients send it) or the browser session.

Tokens are the REST API's (DRF authtoken, made by `krabuan token create USER`). CKAN clients put
the raw key in `Authorization` (ckanapi also sends `X-CKAN-API-Key`); "Token <key>" and
"Bearer <key>" are accepted too. A token that matches no active user is refused with CKAN's
Authorization Error rather than silently treated as anonymous, so a misconfigured harvester
learns why it sees less than expected."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from rest_framework.authtoken.models import Token

from krabuan.catalog.ckan.errors import NotAuthorized


def _token_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _, rest = header.partition(" ")
        if rest and scheme.lower() in ("token", "bearer"):
            return rest.strip()
        return header
    api_key = request.headers.get("X-CKAN-API-Key", "").strip()
    return api_key or None


def _csrf_ok(request: HttpRequest) -> bool:
    # The API views are CSRF-exempt for token clients; a cookie-authenticated write must still
    # prove it comes from our own pages, as DRF's SessionAuthentication does.
    def _no_response(req: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
        return HttpResponse()

    check = CsrfViewMiddleware(_no_response)
    check.process_request(request)
    return check.process_view(request, _no_response, (), {}) is None


def request_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    """The caller: token first, then the session (POST only with a valid CSRF token)."""
    key = _token_key(request)
    if key is not None:
        # Keys are 40 characters; anything longer names no token and need not reach the database.
        token = (
            Token.objects.select_related("user").filter(key=key).first() if len(key) <= 40 else None
        )
        if token is None or not token.user.is_active:
            raise NotAuthorized("API token ไม่ถูกต้องหรือถูกยกเลิกแล้ว")
        return token.user
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return AnonymousUser()
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok(request):
        return AnonymousUser()
    return user
