"""What the records pages share: the role guards, guarded getters as 404s, service calls that
put refusals on the form, downloads and CSV, and query-string filters."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from krabuan.core import errors
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import parse_int
from krabuan.manual.forms import apply_error
from krabuan.privacy.permissions import can_edit_records, can_view_records

T = TypeVar("T")


# Spreadsheet programs run cells that start with these as formulas; prefix them to keep text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guard(
    allowed: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Pages: every staff role reads (the auditor included); sign in first, others get 403.
readers = _guard(can_view_records)
# Forms: the privacy team, representatives, officers, group heads and the director.
editors = _guard(can_edit_records)


def or_404(getter: Callable[..., T], **kwargs: Any) -> T:
    """A guarded getter's object, or 404 for missing and forbidden alike."""
    try:
        return getter(**kwargs)
    except errors.NotFound as exc:
        raise Http404(exc.message) from None


def call(form: forms.Form | None, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Run a service; a refusal goes onto the form (or is re-raised as 403 when it is about
    the role), and None is returned."""
    try:
        return service(**kwargs)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except ApplicationError as exc:
        if form is None:
            raise
        apply_error(form, exc)
        return None


def act(request: HttpRequest, service: Callable[..., Any], success: str, /, **kwargs: Any) -> Any:
    """Run a one-button action; its refusal is shown as a message (a role refusal is a 403).
    Positional-only, so the service may take a `request` keyword of its own."""
    try:
        result = service(**kwargs)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except ApplicationError as exc:
        details = [m for msgs in exc.fields.values() for m in msgs]
        messages.error(request, " ".join([exc.message, *details]))
        return None
    messages.success(request, success)
    return result


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    # The byte-order mark makes Excel read the file as UTF-8, so Thai shows correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response


def int_param(
    request: HttpRequest, name: str, *, low: int = 1, high: int = 2_147_483_647
) -> int | None:
    """A whole number from the query string (Thai or Arabic digits); None when absent or bad."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = parse_int(raw[:20])
    except ValueError:
        return None
    return value if low <= value <= high else None


def yes_no_param(request: HttpRequest, name: str) -> bool | None:
    return {"yes": True, "no": False}.get(request.GET.get(name, ""))
