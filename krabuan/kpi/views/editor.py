"""Editing the agreement: copy it to a later fiscal year, change a KPI's fields, bind a KPI to a
live source. The agreement's editors only (admin, director, group heads; others 403, the
anonymous to the login page). Each view parses a form, calls one service of
kpi.services.agreements and redirects, or re-renders with the service's Thai messages next to
the field they name. An agreement copied to a later year is shown read-only with the reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from krabuan.core import errors
from krabuan.core.errors import ApplicationError
from krabuan.core.registry import live_source, live_sources
from krabuan.kpi import selectors
from krabuan.kpi.documents.data import score_number, value_text
from krabuan.kpi.forms_editor import (
    AgreementCopyForm,
    KpiEditForm,
    LiveSourceForm,
    kpi_initial,
    live_source_initial,
)
from krabuan.kpi.models import Agreement, Kpi, Method
from krabuan.kpi.permissions import EDIT_AGREEMENT
from krabuan.kpi.scoring import kpi_score, round_label
from krabuan.kpi.services.agreements import (
    READ_ONLY_MESSAGE,
    agreement_copy_to_year,
    kpi_bind_live_source,
    kpi_update,
)
from krabuan.kpi.views.common import agreement_or_404, current_round, kpi_or_404
from krabuan.manual.forms import apply_error
from krabuan.manual.selectors import process_list
from krabuan.org.permissions import role_required
from krabuan.workflow.kpi_sources import KEY as WORKFLOW_ON_TIME
from krabuan.workflow.services.schedules import newest_manual

editors = role_required(set(EDIT_AGREEMENT))


def _forbidden(error: errors.PermissionDenied) -> PermissionDenied:
    return PermissionDenied(error.message)


def _newer(request: HttpRequest, agreement: Agreement) -> Agreement | None:
    """The unit's next agreement after this one, if any. While one exists the services refuse
    every change to this one (it is the record of what was signed); the page says so up front
    and points to the newer copy instead of offering a form that can only fail."""
    return (
        selectors.agreement_list(user=request.user)
        .filter(unit_id=agreement.unit_id, fiscal_year__gt=agreement.fiscal_year)
        .order_by("fiscal_year", "pk")
        .first()
    )


def _newer_context(newer: Agreement | None, kpi: Kpi, url_name: str) -> dict[str, Any]:
    """The newer agreement and its KPI of the same number (where the edit belongs now)."""
    same = None
    if newer is not None:
        same = next((k for k in newer.kpis.all() if k.number == kpi.number), None)
    url = reverse(url_name, kwargs={"kpi_id": same.pk}) if same is not None else ""
    return {"newer": newer, "newer_kpi": same, "newer_url": url}


def _dashboard_url(agreement: Agreement, anchor: str = "") -> str:
    url = reverse("kpi:agreement_detail", kwargs={"agreement_id": agreement.pk})
    url = f"{url}?round={current_round(agreement)}"
    return f"{url}#{anchor}" if anchor else url


# Copy to a later fiscal year ---------------------------------------------------------------


def _copy_page(
    request: HttpRequest, agreement: Agreement, form: AgreementCopyForm, status: int = 200
) -> HttpResponse:
    later = (
        selectors.agreement_list(user=request.user)
        .filter(unit_id=agreement.unit_id, fiscal_year__gt=agreement.fiscal_year)
        .order_by("fiscal_year", "pk")
    )
    context = {"agreement": agreement, "form": form, "later": list(later)}
    return render(request, "kpi/editor_copy.html", context, status=status)


@editors
def agreement_copy(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """GET: the form (next fiscal year by default). POST: copy the whole agreement, unsigned and
    without results, to the year typed; the source stays as it is."""
    agreement = agreement_or_404(request, agreement_id)
    if request.method != "POST":
        form = AgreementCopyForm(initial={"fiscal_year": str(agreement.fiscal_year + 1)})
        return _copy_page(request, agreement, form)
    form = AgreementCopyForm(request.POST)
    if form.is_valid():
        try:
            copy = agreement_copy_to_year(
                agreement=agreement,
                fiscal_year=form.cleaned_data["fiscal_year"],
                actor=request.user,
            )
        except errors.PermissionDenied as error:
            raise _forbidden(error) from None
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "คัดลอกคำรับรองปีงบประมาณ %(src)s เป็นปีงบประมาณ %(dst)s แล้ว "
                    "(ยังไม่ลงนาม ไม่มีผลการดำเนินงาน) ฉบับปี %(src)s แก้ไขไม่ได้อีกต่อไป"
                )
                % {"src": agreement.fiscal_year, "dst": copy.fiscal_year},
            )
            return redirect("kpi:agreement_detail", agreement_id=copy.pk)
    return _copy_page(request, agreement, form, status=400)


# A KPI's fields ----------------------------------------------------------------------------


def _kpi_page(
    request: HttpRequest,
    kpi: Kpi,
    form: KpiEditForm,
    *,
    read_only: str = "",
    newer: Agreement | None = None,
    status: int = 200,
) -> HttpResponse:
    if read_only:
        form.make_read_only()
    context = {
        "kpi": kpi,
        "agreement": kpi.agreement,
        "form": form,
        "read_only": read_only,
        **_newer_context(newer, kpi, "kpi:kpi_edit"),
        "level_fields": [form["level_basic"], form["level_standard"], form["level_advanced"]],
        "text_fields": [
            form[name] for name in ("definition", "notes", "data_source", "responsible")
        ],
    }
    return render(request, "kpi/editor_kpi.html", context, status=status)


def _kpi_form(kpi: Kpi, *args: Any, **kwargs: Any) -> KpiEditForm:
    return KpiEditForm(*args, kpi=kpi, groups=kpi.agreement.groups.all(), **kwargs)


@editors
def kpi_edit(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """GET: the KPI's editable fields. POST: save what changed, all or nothing, audited by the
    service; its refusals are shown next to their fields."""
    kpi = kpi_or_404(request, kpi_id)
    newer = _newer(request, kpi.agreement)
    if newer is not None:
        form = _kpi_form(kpi, initial=kpi_initial(kpi))
        status = 409 if request.method == "POST" else 200
        return _kpi_page(
            request, kpi, form, read_only=READ_ONLY_MESSAGE, newer=newer, status=status
        )
    if request.method != "POST":
        return _kpi_page(request, kpi, _kpi_form(kpi, initial=kpi_initial(kpi)))

    form = _kpi_form(kpi, request.POST, initial=kpi_initial(kpi))
    if form.is_valid():
        data = form.service_data()
        if not data:
            messages.info(request, _("ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึก"))
            return redirect("kpi:kpi_detail", kpi_id=kpi.pk)
        try:
            kpi_update(kpi=kpi, actor=request.user, data=data)
        except errors.PermissionDenied as error:
            raise _forbidden(error) from None
        except ApplicationError as error:
            if error.code != "agreement_read_only":
                apply_error(form, error)
            else:  # copied forward between opening the page and saving it
                form = _kpi_form(kpi, initial=kpi_initial(kpi))
                newer = _newer(request, kpi.agreement)
                return _kpi_page(
                    request, kpi, form, read_only=error.message, newer=newer, status=409
                )
        else:
            messages.success(
                request,
                _("บันทึกตัวชี้วัดที่ %(n)s แล้ว (แก้ไข: %(fields)s)")
                % {"n": kpi.number, "fields": ", ".join(form.changed_labels(data))},
            )
            return redirect("kpi:kpi_detail", kpi_id=kpi.pk)
    kpi = kpi_or_404(request, kpi_id)  # as stored: a refused save changed nothing
    return _kpi_page(request, kpi, form, status=400)


# A live binding ----------------------------------------------------------------------------


def _process_choices(kpi: Kpi, request: HttpRequest) -> list[tuple[str, str]]:
    """The newest manual's processes (the one the workflow source measures), by code; a bound
    code that is no longer there stays listed, marked, so the page shows the stored binding."""
    manual = newest_manual()
    choices: list[tuple[str, str]] = []
    if manual is not None:
        processes = process_list(user=request.user, fiscal_year=manual.fiscal_year).filter(
            manual=manual
        )
        choices = [(p.code, f"{p.code} {p.name}") for p in processes if p.code]
    bound = (kpi.live_params or {}).get("process_code")
    if kpi.live_source == WORKFLOW_ON_TIME and isinstance(bound, str) and bound:
        if bound not in {code for code, _label in choices}:
            choices.append((bound, _("%(code)s (ไม่พบในคู่มือฉบับล่าสุด)") % {"code": bound}))
    return choices


def _live_form(kpi: Kpi, request: HttpRequest, *args: Any, **kwargs: Any) -> LiveSourceForm:
    return LiveSourceForm(
        *args, sources=live_sources(), processes=_process_choices(kpi, request), **kwargs
    )


def _live_page(
    request: HttpRequest,
    kpi: Kpi,
    form: LiveSourceForm,
    *,
    read_only: str = "",
    newer: Agreement | None = None,
    status: int = 200,
) -> HttpResponse:
    if read_only:
        form.make_read_only()
    agreement = kpi.agreement
    round = current_round(agreement)
    now = kpi_score(kpi, round) if kpi.live_source else None
    source = live_source(kpi.live_source) if kpi.live_source else None
    context = {
        "kpi": kpi,
        "agreement": agreement,
        "form": form,
        "sources": live_sources(),
        "workflow_key": WORKFLOW_ON_TIME,
        "bound_label": source.label if source else kpi.live_source,
        # Pairs, not the dict: a parameter named "items" must not shadow dict.items in a template.
        "bound_params": sorted((kpi.live_params or {}).items()),
        "round_label": round_label(round),
        "now": now,
        "now_value": value_text(kpi, now.value) if now and now.value is not None else "",
        "now_score": score_number(now.score) if now else "",
        "now_error": (now.details.get("error") or "") if now else "",
        "deliverables": kpi.method == Method.DELIVERABLES,
        "read_only": read_only,
        **_newer_context(newer, kpi, "kpi:kpi_live_source"),
    }
    return render(request, "kpi/editor_live_source.html", context, status=status)


@editors
def kpi_live_source(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """GET: the registered sources and the KPI's binding. POST: bind (the source is asked once
    to check the parameters) or, with action=unbind, go back to results entered by hand."""
    kpi = kpi_or_404(request, kpi_id)
    newer = _newer(request, kpi.agreement)
    initial = live_source_initial(kpi)
    if newer is not None:
        form = _live_form(kpi, request, initial=initial)
        status = 409 if request.method == "POST" else 200
        return _live_page(
            request, kpi, form, read_only=READ_ONLY_MESSAGE, newer=newer, status=status
        )
    if request.method != "POST":
        return _live_page(request, kpi, _live_form(kpi, request, initial=initial))

    unbind = request.POST.get("action") == "unbind"
    form = _live_form(kpi, request, request.POST, initial=initial)
    if unbind and not kpi.live_source:
        messages.info(request, _("ตัวชี้วัดนี้ไม่ได้ผูกกับแหล่งข้อมูลอัตโนมัติอยู่แล้ว"))
        return redirect("kpi:kpi_live_source", kpi_id=kpi.pk)
    if unbind or form.is_valid():
        key = "" if unbind else form.cleaned_data["live_source"]
        params = None if unbind else form.cleaned_data["params"]
        try:
            kpi_bind_live_source(kpi=kpi, key=key, params=params, actor=request.user)
        except errors.PermissionDenied as error:
            raise _forbidden(error) from None
        except ApplicationError as error:
            if error.code != "agreement_read_only":
                form.apply_service_error(error)
            else:  # copied forward between opening the page and saving it
                form = _live_form(kpi, request, initial=initial)
                newer = _newer(request, kpi.agreement)
                return _live_page(
                    request, kpi, form, read_only=error.message, newer=newer, status=409
                )
        else:
            if key:
                source = live_source(key)
                text = _("ผูกตัวชี้วัดที่ %(n)s กับแหล่งข้อมูลอัตโนมัติ “%(label)s” แล้ว") % {
                    "n": kpi.number,
                    "label": source.label if source else key,
                }
            else:
                text = _("เลิกผูกตัวชี้วัดที่ %(n)s กับแหล่งข้อมูลอัตโนมัติแล้ว กลับไปบันทึกผลเอง") % {"n": kpi.number}
            messages.success(request, text)
            return redirect(_dashboard_url(kpi.agreement, f"card-{kpi.pk}"))
    kpi = kpi_or_404(request, kpi_id)  # as stored: a refused binding changed nothing
    return _live_page(request, kpi, form, status=400)
