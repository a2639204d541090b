"""The working-day calendar page: a year's days off, the admin override table, CSV export.

One URL (org:calendar) serves everything: GET shows the page (``?format=csv`` downloads the
year's days off), POST with ``action`` = add / update / delete edits the override table and is
open to calendar managers only.
"""

from __future__ import annotations

import csv
import datetime as dt
from calendar import Calendar
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from krabuan.core.display import thai_digits_enabled
from krabuan.core.errors import ApplicationError
from krabuan.core.thai import BE_OFFSET, MONTHS_LONG, digits, format_date, parse_date
from krabuan.org import calendar
from krabuan.org.calendar import SOURCE_ADMIN, SOURCE_GOVERNMENT, SOURCE_PUBLIC, CalendarError
from krabuan.org.models import CalendarOverride, OverrideKind
from krabuan.org.permissions import can_manage_calendar
from krabuan.org.services.calendar import (
    NAME_MAX_LENGTH,
    calendar_override_add,
    calendar_override_delete,
    calendar_override_update,
)

SOURCE_LABELS = {
    SOURCE_PUBLIC: gettext_lazy("วันหยุดนักขัตฤกษ์"),
    SOURCE_GOVERNMENT: gettext_lazy("หยุดเฉพาะส่วนราชการ"),
    SOURCE_ADMIN: gettext_lazy("ผู้ดูแลกำหนดเพิ่ม"),
}
WEEKDAY_HEADERS = ["อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส."]  # Sunday first, as Thai calendars


class CalendarOverrideForm(forms.Form):
    date = forms.CharField(
        label=gettext_lazy("วันที่"),
        max_length=40,
        help_text=gettext_lazy("เช่น 13/05/2569 หรือ ๑๓ พ.ค. ๒๕๖๙"),
        error_messages={"required": gettext_lazy("กรุณาระบุวันที่")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("ประเภท"),
        choices=OverrideKind.choices,
        error_messages={
            "required": gettext_lazy("กรุณาเลือกประเภท"),
            "invalid_choice": gettext_lazy("ประเภทไม่ถูกต้อง"),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("ชื่อวัน/เหตุผล"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("กรุณาระบุชื่อวัน/เหตุผล"),
            "max_length": gettext_lazy("ชื่อวัน/เหตุผลยาวเกินกำหนด"),
        },
    )

    def clean_date(self) -> dt.date:
        try:
            return parse_date(self.cleaned_data["date"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def _typed_date(day: dt.date) -> str:
    """How the form shows a date back: d/m/BE year."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def _page_url(year: int) -> str:
    return f"{reverse('org:calendar')}?year={year + BE_OFFSET}"


def _month_grids(
    year: int, days: dict[dt.date, calendar.DayOff], working: dict[dt.date, CalendarOverride]
) -> list[dict[str, Any]]:
    thai = thai_digits_enabled()
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in Calendar(firstweekday=6).monthdatescalendar(year, month):
            cells: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                off = days.get(day)
                if off is not None:
                    kind, name = off.source, off.name
                elif day in working:
                    kind, name = "working", working[day].name
                elif day.weekday() >= 5:
                    kind, name = "weekend", ""
                else:
                    kind, name = "", ""
                cells.append({"day": digits(str(day.day), thai=thai), "kind": kind, "name": name})
            weeks.append(cells)
        grids.append(
            {
                "name": f"{MONTHS_LONG[month - 1]} {digits(str(year + BE_OFFSET), thai=thai)}",
                "weeks": weeks,
            }
        )
    return grids


def _render(
    request: HttpRequest,
    *,
    year: int,
    form: CalendarOverrideForm | None = None,
    editing: CalendarOverride | None = None,
    year_error: str = "",
    status: int = 200,
) -> HttpResponse:
    work = calendar.WorkCalendar.load(since=dt.date(year, 1, 1), until=dt.date(year, 12, 31))
    days = work.days_off(year)
    table = calendar.overrides(year)
    working = {row.date: row for row in table if row.kind == OverrideKind.WORKING_DAY}
    thai = thai_digits_enabled()
    weekday_off = sum(1 for day in days if day.date.weekday() < 5)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total_days = (last - first).days + 1
    working_days = sum(
        1 for n in range(total_days) if not work.is_day_off(first + dt.timedelta(days=n))
    )
    manager = can_manage_calendar(request.user)
    if manager and form is None:
        if editing is not None:
            form = CalendarOverrideForm(
                initial={
                    "date": _typed_date(editing.date),
                    "kind": editing.kind,
                    "name": editing.name,
                }
            )
        else:
            form = CalendarOverrideForm(initial={"kind": OverrideKind.DAY_OFF})
    opens, closes = calendar.office_hours()
    context = {
        "year": year,
        "year_be": year + BE_OFFSET,
        "prev_year": year - 1 + BE_OFFSET if calendar.year_supported(year - 1) else None,
        "next_year": year + 1 + BE_OFFSET if calendar.year_supported(year + 1) else None,
        "year_error": year_error,
        "days": [
            {
                "date": day.date,
                "label": format_date(day.date, weekday=True, thai_digits=thai),
                "name": day.name,
                "source": day.source,
                "source_label": SOURCE_LABELS[day.source],
            }
            for day in days
        ],
        "months": _month_grids(year, {day.date: day for day in days}, working),
        "weekday_headers": WEEKDAY_HEADERS,
        "overrides": [
            {"row": row, "label": format_date(row.date, weekday=True, thai_digits=thai)}
            for row in table
        ],
        "weekday_off": weekday_off,
        "working_days": working_days,
        "office_opens": opens,
        "office_closes": closes,
        "can_manage_calendar": manager,
        "form": form,
        "editing": editing,
        "source_labels": SOURCE_LABELS,
        "year_range": calendar.year_range_text(),
    }
    return render(request, "org/calendar.html", context, status=status)


def _export_csv(year: int) -> HttpResponse:
    days = calendar.days_off(year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="days-off-{year + BE_OFFSET}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Thai text correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow([_("วันที่ (ISO)"), _("วันที่"), _("ชื่อวันหยุด"), _("ที่มา"), "source"])
    for day in days:
        writer.writerow(
            [
                day.date.isoformat(),
                format_date(day.date, weekday=True),
                _csv_safe(day.name),
                str(SOURCE_LABELS[day.source]),
                day.source,
            ]
        )
    return response


def _csv_safe(text: str) -> str:
    # Admin-typed names must not run as spreadsheet formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _post(request: HttpRequest) -> HttpResponse:
    if not can_manage_calendar(request.user):
        raise PermissionDenied
    page_year = _year_or_none(request.POST.get("year", "")) or timezone.localdate().year
    action = request.POST.get("action", "")
    if action == "delete":
        try:
            calendar_override_delete(
                actor=request.user, override_id=_id(request.POST.get("override_id", ""))
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("ลบรายการแล้ว"))
        return redirect(_page_url(page_year))
    if action not in ("add", "update"):
        messages.error(request, _("คำสั่งไม่ถูกต้อง"))
        return _render(request, year=page_year, status=400)
    editing = None
    if action == "update":
        editing = CalendarOverride.objects.filter(
            pk=_id(request.POST.get("override_id", ""))
        ).first()
        if editing is None:
            messages.error(request, _("ไม่พบรายการวันหยุดที่กำหนดเพิ่ม/ยกเลิก"))
            return redirect(_page_url(page_year))
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if editing is not None:
                saved = calendar_override_update(
                    actor=request.user,
                    override_id=editing.pk,
                    date=data["date"],
                    kind=data["kind"],
                    name=data["name"],
                )
            else:
                saved = calendar_override_add(
                    actor=request.user, date=data["date"], kind=data["kind"], name=data["name"]
                )
        except ApplicationError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("บันทึก %(name)s วันที่ %(date)s แล้ว")
                % {"name": saved.name, "date": format_date(saved.date)},
            )
            return redirect(_page_url(saved.date.year))
    return _render(request, year=page_year, form=form, editing=editing, status=400)


def _id(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def _year_or_none(text: str) -> int | None:
    try:
        return calendar.year_from_text(text) if text else None
    except CalendarError:
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The year's days off for everyone signed in; the override table editable by managers."""
    if request.method == "POST":
        return _post(request)
    year_text = request.GET.get("year", "")
    try:
        year = calendar.year_from_text(year_text) if year_text else timezone.localdate().year
    except CalendarError as exc:
        return _render(
            request,
            year=timezone.localdate().year,
            year_error=_("ปี: %(message)s") % {"message": exc.message},
            status=400,
        )
    if request.GET.get("format") == "csv":
        return _export_csv(year)
    editing = None
    if can_manage_calendar(request.user) and request.GET.get("edit"):
        editing = CalendarOverride.objects.filter(pk=_id(request.GET["edit"])).first()
    return _render(request, year=year, editing=editing)
