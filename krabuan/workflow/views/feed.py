"""The private iCalendar feed of a user's deadlines. No sign-in: the token in the URL is the
secret, so an unknown token answers 404 and the response is never cached by proxies."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from krabuan.core.thai import format_datetime
from krabuan.workflow import selectors
from krabuan.workflow.models import FeedToken
from krabuan.workflow.services.feeds import feed_token_regenerate

TOKEN_MAX = 64


def _summary(reference: str, label: str, activity: str) -> str:
    return _("[%(ref)s] ขั้นตอนที่ %(n)s: %(activity)s") % {
        "ref": reference,
        "n": label,
        "activity": " ".join(activity.split()),
    }


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """One VEVENT per open step of mine that has a deadline, at the deadline (UTC)."""
    if not token or len(token) > TOKEN_MAX:
        raise Http404
    row = FeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404
    user = row.user
    cal = Calendar()
    cal.add("prodid", "-//Krabuan//workflow deadlines//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("กำหนดเสร็จงานของ %(name)s") % {"name": user.get_username()})
    cal.add("x-wr-timezone", "Asia/Bangkok")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    steps = selectors.my_steps(user=user, scope="mine").filter(due_at__isnull=False)
    for step in steps:
        case = step.case
        due = step.due_at
        assert due is not None
        event = Event()
        event.add("uid", f"krabuan-step-{step.pk}@{request.get_host().split(':')[0]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due.astimezone(dt.UTC))
        event.add(
            "summary",
            _summary(case.reference, step.step.label or str(step.order), step.step.activity),
        )
        url = request.build_absolute_uri(
            reverse("workflow:case_detail", kwargs={"case_id": case.pk})
        )
        event.add("url", url)
        event.add(
            "description",
            _("%(process)s · กำหนดเสร็จ %(due)s\n%(url)s")
            % {"process": case.process.name, "due": format_datetime(due, short=True), "url": url},
        )
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="krabuan-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    """A new private URL for the calendar feed; the old one stops working."""
    feed_token_regenerate(user=request.user)
    messages.success(request, _("สร้างลิงก์ปฏิทินใหม่แล้ว ลิงก์เดิมใช้ไม่ได้อีก กรุณาเพิ่มลิงก์ใหม่ในโปรแกรมปฏิทิน"))
    return redirect(reverse("workflow:my_work") + "#feed")
