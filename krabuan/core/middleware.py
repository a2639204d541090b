"""Per-request display settings taken from the signed-in user's preferences."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation

from krabuan.core import display


class UserLanguageMiddleware:
    """Thai first: the signed-in user's chosen language, else the language cookie set by the
    language switch, else Thai — never the browser's Accept-Language. Also the digit style."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefs = self._prefs(request)
        language = prefs.language if prefs is not None else self._cookie_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        token = display.set_thai_digits(bool(prefs and prefs.thai_digits))
        try:
            response = self.get_response(request)
        finally:
            display.reset_thai_digits(token)
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _cookie_language(request: HttpRequest) -> str:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

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
