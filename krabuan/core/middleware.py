"""Per-request display settings taken from the signed-in user's preferences."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation

from krabuan.core import display


class UserLanguageMiddleware:
    """Use the signed-in user's chosen language and digit style (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefs = self._prefs(request)
        if prefs is not None:
            translation.activate(prefs.language)
            request.LANGUAGE_CODE = prefs.language
        token = display.set_thai_digits(bool(prefs and prefs.thai_digits))
        try:
            response = self.get_response(request)
        finally:
            display.reset_thai_digits(token)
        return response

    @staticmethod
    def _prefs(request: HttpRequest):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return getattr(user, "preference", None)


class RejectNulMiddleware:
    """Answer 400 to any query string with a NUL character: no field may hold one, and
    PostgreSQL refuses them with an error deep inside a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.GET.urlencode() or any(
            "\x00" in k or "\x00" in v for k, values in request.GET.lists() for v in values
        ):
            message = "ข้อมูลในคำขอมีอักขระที่ไม่อนุญาต (NUL)"
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"code": "invalid", "message": message, "fields": {}}}, status=400
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)
