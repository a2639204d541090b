"""“My work”: the open steps of the signed-in user by deadline, coloured by urgency, with tabs
for a group head's group and a director's whole office, a CSV export and the private calendar
feed link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
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


def _classified(qs: Any, at: urgency.Clock) -> list[tuple[int, str]]:
    """(pk, urgency) of every open step of the scope, in deadline order, from one light query."""
    rows = qs.values_list("pk", "status", "due_at", "planned_seconds", "paused_at")
    return [
        (
            pk,
            urgency.classify(
                status=status, due_at=due, planned_seconds=planned, paused_at=paused, at=at
            ),
        )
        for pk, status, due, planned, paused in rows
    ]


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
    # Steps without a deadline last (SQLite would put NULLs first).
    qs = selectors.my_steps(user=user, scope=scope).order_by(
        F("due_at").asc(nulls_last=True), "case__started_at", "id"
    )
    classified = _classified(qs, at)
    counts = {key: 0 for key in urgency.ORDER}
    for _pk, level in classified:
        counts[level] += 1
    tab_counts = {
        key: len(classified) if key == scope else selectors.my_steps(user=user, scope=key).count()
        for key in allowed
    }
    chosen = [(pk, level) for pk, level in classified if not wanted or level == wanted]
    levels = dict(chosen)
    if request.GET.get("format") == "csv":
        by_pk = qs.in_bulk([pk for pk, _level in chosen])
        rows = [WorkRow(by_pk[pk], level) for pk, level in chosen if pk in by_pk]
        return _csv(rows, now, scope)
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    page_pks = [pk for pk, _level in page.object_list]
    by_pk = qs.in_bulk(page_pks)
    rows = [WorkRow(by_pk[pk], levels[pk]) for pk in page_pks if pk in by_pk]
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
        "total": len(classified),
        "page": page,
        "rows": [(r, r.time_left(now)) for r in rows],
        "feed_url": feed_url,
        "now": now,
    }
    return render(request, "workflow/my_work.html", context)
