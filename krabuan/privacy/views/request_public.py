"""The public request form (no sign-in): the fields, a Thai arithmetic question, a honeypot, and
at most five accepted requests per address per hour; then a thank-you page with the reference
and the due date in the Buddhist era. Every refusal shows a new question."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods

from krabuan.core.errors import ApplicationError
from krabuan.org.forms import errors_from
from krabuan.org.login_throttle import client_ip
from krabuan.privacy import challenge
from krabuan.privacy.services.request_rules import due_days_table
from krabuan.privacy.services.requests import request_submit_public
from krabuan.privacy.views.request_forms import PublicRequestForm

DONE_SESSION_KEY = "privacy_request_done"


def _render(request: HttpRequest, form: PublicRequestForm, *, status: int = 200) -> HttpResponse:
    fresh = challenge.challenge_new()
    form.fresh_challenge(fresh.question, fresh.token)
    context = {
        "form": form,
        "question": fresh.question,
        "days": due_days_table(),
        "honeypot": challenge.HONEYPOT_FIELD,
    }
    return render(request, "privacy/requests/public_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def request_public_new(request: HttpRequest) -> HttpResponse:
    """GET: the form with a fresh question. POST: check the honeypot and the answer, then
    submit; the thank-you page follows (POST/redirect/GET)."""
    if request.method == "GET":
        return _render(request, PublicRequestForm())
    form = PublicRequestForm(request.POST)
    try:
        challenge.honeypot_check(request.POST.get(challenge.HONEYPOT_FIELD, ""))
        challenge.challenge_check(
            request.POST.get(challenge.TOKEN_FIELD, ""),
            request.POST.get(challenge.ANSWER_FIELD, ""),
        )
    except ApplicationError as exc:
        if not form.is_valid():
            form.add_service_errors()
        errors_from(form, exc)
        return _render(request, form, status=400)
    if not form.is_valid():
        form.add_service_errors()
        return _render(request, form, status=400)
    data = form.cleaned_data
    try:
        created = request_submit_public(
            type=data["type"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
            details=data["details"],
            activity_id=data.get("activity") or None,
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        errors_from(form, exc)
        return _render(request, form, status=exc.status if exc.status >= 400 else 400)
    request.session[DONE_SESSION_KEY] = {
        "reference": created.reference,
        "type": created.get_type_display(),
        "received_at": created.received_at.isoformat(),
        "due_at": created.due_at.isoformat(),
    }
    return redirect("privacy:request_public_done")


@require_GET
def request_public_done(request: HttpRequest) -> HttpResponse:
    """The thank-you page: shown once, from the session of the browser that submitted."""
    done: dict[str, Any] | None = request.session.pop(DONE_SESSION_KEY, None)
    if not done:
        return redirect("privacy:request_public_new")
    context = {
        "reference": done["reference"],
        "type": done["type"],
        "received_at": parse_datetime(done["received_at"]),
        "due_at": parse_datetime(done["due_at"]),
    }
    return render(request, "privacy/requests/public_done.html", context)
