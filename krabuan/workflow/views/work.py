"""“My work”: the open steps of the signed-in user by deadline, coloured by urgency, with tabs
for a group head's group and a director's whole office, a CSV export and the private calendar
feed link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krabuan.core.thai import format_datetime
from krabuan.org.models import Role
from krabuan.org.permissions import user_roles
from krabuan.workflow import selectors, urgency
from krabuan.workflow.display import format_seconds
from krabuan.workflow.models import StepInstance
from krabuan.workflow.permissions import can_work_on_steps
from krabuan.workflow.services.feeds import feed_token_get_or_create
from krabuan.workflow.views.common import csv_response

PAGE_SIZE = 50
GROUP_SCOPE_ROLES = {Role.GROUP_HEAD, Role.DIRECTOR, Role.ADMIN}
ALL_SCOPE_ROLES = {Role.DIRECTOR, Role.ADMIN}


@dataclass
class WorkRow:
    instance: StepInstance
    urgency: str

    @property
    def colour(self) -> str:
        return urgency.COLOURS[self.urgency]

    @property
    def label(self) -> str:
        return str(urgency.LABELS[self.urgency])

    def time_left(self, now: Any) -> str:
        due = self.instance.due_at
        if due is None:
            return ""
        at = self.instance.paused_at if self.instance.paused_at else now
        seconds = (due - at).total_seconds()
        if seconds < 0:
            return _("เกินมา %(t)s") % {"t": format_seconds(seconds)}
        return _("เหลือ %(t)s") % {"t": format_seconds(seconds)}


def scopes_for(user: Any) -> list[tuple[str, str]]:
    """The tabs a user has: mine; the group for group heads; everything for directors."""
    roles = user_roles(user)
    tabs = [("mine", _("งานของฉัน"))]
    if roles & {str(r) for r in GROUP_SCOPE_ROLES}:
        tabs.append(("group", _("งานของกลุ่ม")))
    if roles & {str(r) for r in ALL_SCOPE_ROLES}:
        tabs.append(("all", _("งานทั้งหมด")))
    return tabs


class _CountedPaginator(Paginator):
    """A paginator given its count (the urgency counts already hold it), saving a COUNT."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _csv(rows: list[WorkRow], now: Any, scope: str) -> HttpResponse:
    header = [
        _("เลขที่เรื่อง"),
        _("ชื่อเรื่อง"),
        _("กระบวนงาน"),
        _("ขั้นตอนที่"),
        _("ขั้นตอนการทำงาน"),
        _("สถานะ"),
        _("เริ่มเมื่อ"),
        _("กำหนดเสร็จ"),
        _("ความเร่งด่วน"),
        _("เวลาที่เหลือ"),
        _("ผู้รับผิดชอบ"),
        _("หน่วยงาน"),
    ]
    body = (
        [
            r.instance.case.reference,
            r.instance.case.title,
            r.instance.case.process.code,
            r.instance.step.label or r.instance.order,
            r.instance.step.activity,
            r.instance.get_status_display(),
            format_datetime(r.instance.started_at, short=True),
            format_datetime(r.instance.due_at, short=True),
            r.label,
            r.time_left(now),
            r.instance.assignee.get_full_name() or r.instance.assignee.username
            if r.instance.assignee
            else "",
            r.instance.assignee_unit.name if r.instance.assignee_unit else "",
        ]
        for r in rows
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(f"my-work-{scope}-{stamp}.csv", header, body)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """Open steps by deadline; ?scope=mine|group|all, ?urgency=…, ?format=csv."""
    user = request.user
    if not can_work_on_steps(user):
        return render(request, "workflow/my_work.html", {"can_work": False})
    tabs = scopes_for(user)
    allowed = {key for key, _label in tabs}
    scope = request.GET.get("scope", "mine")
    scope = scope if scope in allowed else "mine"
    wanted = request.GET.get("urgency", "")
    wanted = wanted if wanted in urgency.ORDER else ""
    now = timezone.now()
    at = urgency.clock(now)
    qs = selectors.my_steps(user=user, scope=scope)  # by deadline (see my_steps)
    # Urgency in SQL: one grouped count for the colour badges and one page of rows, however
    # many open steps the scope has (a director's "all" is the whole office).
    level = urgency.level_expression(at)
    qs = qs.annotate(level=level)
    by_scope = selectors.my_steps_counts(user=user, scopes=sorted(allowed), by=level)
    counts = {key: by_scope[scope].get(key, 0) for key in urgency.ORDER}
    total = sum(counts.values())
    tab_counts = {key: sum(by_scope[key].values()) for key in allowed}
    chosen = qs.filter(level=wanted) if wanted else qs
    if request.GET.get("format") == "csv":
        return _csv([WorkRow(i, i.level) for i in chosen], now, scope)
    paginator = _CountedPaginator(chosen, PAGE_SIZE, count=counts[wanted] if wanted else total)
    page = paginator.get_page(request.GET.get("page"))
    # The page's ids first, sorted on narrow rows; then those rows with their relations.
    page_qs: Any = page.object_list
    page_pks = list(page_qs.values_list("pk", flat=True))
    by_pk = qs.order_by().in_bulk(page_pks)
    rows = [WorkRow(by_pk[pk], by_pk[pk].level) for pk in page_pks if pk in by_pk]
    token = feed_token_get_or_create(user=user)
    feed_url = request.build_absolute_uri(reverse("workflow:feed", args=[token.token]))
    context = {
        "can_work": True,
        "tabs": [(key, label, tab_counts[key]) for key, label in tabs],
        "scope": scope,
        "wanted": wanted,
        "levels": [
            (key, str(urgency.LABELS[key]), urgency.COLOURS[key], counts[key])
            for key in urgency.ORDER
        ],
        "total": total,
        "page": page,
        "rows": [(r, r.time_left(now)) for r in rows],
        "feed_url": feed_url,
        "now": now,
    }
    return render(request, "workflow/my_work.html", context)
