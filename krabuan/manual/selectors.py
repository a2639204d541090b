"""Reads of the manual and the guarded getters views and the API use."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from krabuan.core.errors import NotFound
from krabuan.core.thai import normalize_text, to_arabic_digits
from krabuan.manual.models import Manual, Process, Step, StepControl


def manual_years() -> list[int]:
    """Fiscal years that have a manual, newest first."""
    return list(
        Manual.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
    )


def manual_get(*, fiscal_year: int, unit_code: str | None = None) -> Manual:
    """The manual of a fiscal year (of the given unit, else the first one); NotFound otherwise."""
    qs = Manual.objects.select_related("unit").filter(fiscal_year=fiscal_year)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    manual = qs.order_by("unit__sort_order").first()
    if manual is None:
        raise NotFound(f"ไม่พบคู่มือกระบวนงานปีงบประมาณ {fiscal_year}", code="manual_not_found")
    return manual


def process_list(
    *,
    user: Any,
    fiscal_year: int | None = None,
    kind: str | None = None,
    unit_code: str | None = None,
    search: str | None = None,
    ordering: str | None = None,
) -> QuerySet[Process]:
    """Processes visible to a signed-in user, filtered; each row carries `step_count`."""
    if not getattr(user, "is_authenticated", False):
        return Process.objects.none()
    qs = Process.objects.select_related("manual", "manual__unit", "responsible_unit").annotate(
        step_count=Count("steps", distinct=True)
    )
    if fiscal_year is not None:
        qs = qs.filter(manual__fiscal_year=fiscal_year)
    if kind:
        qs = qs.filter(kind=kind)
    if unit_code:
        qs = qs.filter(responsible_unit__code=unit_code)
    if search:
        term = normalize_text(search)
        arabic = to_arabic_digits(term)
        q = Q()
        for t in {term, arabic}:
            q |= Q(name__icontains=t) | Q(code__icontains=t) | Q(steps__activity__icontains=t)
            if t.isdigit():
                q |= Q(number=int(t))
        qs = qs.filter(q).distinct()
    allowed = {"number", "-number", "name", "-name", "code", "-code", "step_count", "-step_count"}
    order = [ordering] if ordering in allowed else []
    return qs.order_by("manual__fiscal_year", "kind", *order, "number")


def _detail_queryset() -> QuerySet[Process]:
    steps = Step.objects.order_by("order").prefetch_related(
        Prefetch("controls", queryset=StepControl.objects.order_by("kind", "sort_order")),
        "related_units",
    )
    return Process.objects.select_related(
        "manual", "manual__unit", "responsible_unit"
    ).prefetch_related(
        Prefetch("steps", queryset=steps),
        "requirements",
        "value_chain",
        "owners__position__unit",
    )


def process_get(*, user: Any, process_id: int) -> Process:
    """One process with every section loaded; missing and forbidden both answer NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("ไม่พบกระบวนงาน", code="process_not_found")
    try:
        return _detail_queryset().get(pk=process_id)
    except (Process.DoesNotExist, ValueError, OverflowError):
        raise NotFound("ไม่พบกระบวนงาน", code="process_not_found") from None


def manual_processes_full(*, manual: Manual) -> QuerySet[Process]:
    """Every process of a manual with all sections, in the form's order (for documents)."""
    return _detail_queryset().filter(manual=manual).order_by("kind", "number")
