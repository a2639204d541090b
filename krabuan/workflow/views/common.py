"""Helpers the workflow views share: the guarded case getter, CSV responses."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from krabuan.core.errors import NotFound
from krabuan.workflow import selectors
from krabuan.workflow.models import Case

# Spreadsheet programs run cells that start with these as formulas; prefix them to keep them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def case_or_404(request: HttpRequest, case_id: int) -> Case:
    """The case with its steps, when the user may see it; 404 for missing and forbidden alike."""
    try:
        return selectors.case_get(user=request.user, case_id=case_id)
    except NotFound:
        raise Http404(_("ไม่พบเรื่อง")) from None


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte-order mark makes Excel read the file as UTF-8, so Thai shows correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
