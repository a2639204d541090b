"""The public breach report form (no sign-in): what happened and how to reach the reporter, a
Thai arithmetic question and a honeypot (krabuan.privacy.challenge, no outside service), and at
most KRABUAN_BREACH_REPORT_LIMIT accepted reports per address per hour (5 by default). The
reporter's name and contact are stored encrypted; the 72-hour clock starts on arrival."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.errors import ApplicationError
from krabuan.org.forms import errors_from
from krabuan.org.login_throttle import client_ip
from krabuan.privacy import challenge
from krabuan.privacy.models import BreachChannel
from krabuan.privacy.services.breaches import breach_report
from krabuan.privacy.views.breach_forms import PublicBreachForm

DONE_SESSION_KEY = "privacy_breach_done"
RATE_SCOPE = "breach-report"
WINDOW_SECONDS = 60 * 60


def rate_limit() -> int:
    return int(getattr(settings, "KRABUAN_BREACH_REPORT_LIMIT", 5))


def _render(request: HttpRequest, form: PublicBreachForm, *, status: int = 200) -> HttpResponse:
    fresh = challenge.challenge_new()
    form.fresh_challenge(fresh.token)
    context = {"form": form, "question": fresh.question, "honeypot": challenge.HONEYPOT_FIELD}
    return render(request, "privacy/breach/public_report.html", context, status=status)


@require_http_methods(["GET", "POST"])
def breach_public_report(request: HttpRequest) -> HttpResponse:
    """GET: the form with a fresh question. POST: rate limit, honeypot, answer, then report."""
    if request.method == "GET":
        return _render(request, PublicBreachForm())
    form = PublicBreachForm(request.POST)
    form.is_valid()
    ip = client_ip(request)
    try:
        challenge.rate_limit_check(
            scope=RATE_SCOPE, ident=ip, limit=rate_limit(), window=WINDOW_SECONDS
        )
        challenge.honeypot_check(request.POST.get(challenge.HONEYPOT_FIELD, ""))
        challenge.challenge_check(
            request.POST.get(challenge.TOKEN_FIELD, ""),
            request.POST.get(challenge.ANSWER_FIELD, ""),
        )
        if form.errors:  # a date that does not parse
            raise ApplicationError("ข้อมูลการแจ้งเหตุไม่ถูกต้อง")
        data = form.cleaned_data
        breach = breach_report(
            actor=None,
            channel=BreachChannel.PUBLIC,
            title=data["title"],
            aware_at=None,
            description=data["description"],
            data_types=data["data_types"],
            subjects_count=data["subjects_count"],
            records_count=data.get("records_count") or 0,
            occurred_at=data["occurred_at"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
        )
    except ApplicationError as exc:
        if not form.errors or exc.fields or exc.status == 429:
            errors_from(form, exc)
        return _render(request, form, status=exc.status if exc.status >= 400 else 400)
    challenge.rate_limit_record(scope=RATE_SCOPE, ident=ip, window=WINDOW_SECONDS)
    request.session[DONE_SESSION_KEY] = breach.reference
    return redirect("privacy:breach_public_done")


@require_GET
def breach_public_done(request: HttpRequest) -> HttpResponse:
    """The thank-you page with the reference, shown once to the browser that reported."""
    reference = request.session.pop(DONE_SESSION_KEY, None)
    if not reference:
        return redirect("privacy:breach_public_report")
    return render(request, "privacy/breach/public_done.html", {"reference": reference})
