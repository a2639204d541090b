"""Reads of data-subject requests and their guarded getter.

A request is a personal record: only the privacy team (DPO, working group chair/members/
secretary, administrators) and the staff assigned to it see it; everyone else gets "not found".
Every read of one request writes an audit entry with action "view". Lists never decrypt the
requester's contact details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from krabuan.core.audit import audit_record
from krabuan.core.errors import NotFound
from krabuan.core.models import AuditEntry
from krabuan.core.thai import BANGKOK, normalize_text, to_arabic_digits
from krabuan.org.models import Role
from krabuan.privacy.crypto import decrypt
from krabuan.privacy.models import DataSubjectRequest, RequestStatus, WorkingGroupMember
from krabuan.privacy.permissions import CORE_GROUP_ROLES, can_see_case_record, is_privacy_team

MAX_ID = 2**31 - 1
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.VERIFYING, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.CANCELLED)
SORTS = {
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
    "reference": ("reference", "id"),
    "-reference": ("-reference", "-id"),
}
DEFAULT_SORT = "-received"


@dataclass(frozen=True)
class RequestContact:
    """The requester's contact details, decrypted for an entitled reader."""

    name: str
    email: str
    phone: str
    address: str


def _base() -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("assigned_to", "activity__unit", "case")


def request_get_for_user(
    *, user: Any, request_id: Any, log_view: bool = True, via: str = ""
) -> DataSubjectRequest:
    """One request the user may see (NotFound otherwise); the read is audited as "view"."""
    try:
        pk = int(to_arabic_digits(str(request_id)))
    except (TypeError, ValueError):
        pk = 0
    found = _base().filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
    if found is None or not can_see_case_record(user, assigned_to_id=found.assigned_to_id):
        raise NotFound("ไม่พบคำขอใช้สิทธิ", code="request_not_found")
    if log_view:
        audit_record(actor=user, action="view", obj=found, changes={"via": via} if via else None)
    return found


def request_contact(request: DataSubjectRequest) -> RequestContact:
    """Decrypt the contact details; callers have passed the guarded getter."""
    return RequestContact(
        name=decrypt(request.name_enc),
        email=decrypt(request.email_enc),
        phone=decrypt(request.phone_enc),
        address=decrypt(request.address_enc),
    )


def visible_requests(user: Any) -> QuerySet[DataSubjectRequest]:
    """All requests for the privacy team; only those assigned to them for other staff."""
    if not getattr(user, "is_authenticated", False):
        return DataSubjectRequest.objects.none()
    if is_privacy_team(user):
        return _base()
    return _base().filter(assigned_to=user)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(BANGKOK).date()


def days_left(request: DataSubjectRequest, *, today: dt.date | None = None) -> int:
    """Calendar days from today (Bangkok) to the due date; negative once overdue."""
    today = today or local_today()
    return (request.due_at.astimezone(BANGKOK).date() - today).days


def is_overdue(request: DataSubjectRequest, *, now: dt.datetime | None = None) -> bool:
    return request.status in OPEN_STATUSES and request.due_at < (now or timezone.now())


def request_list_for_user(
    *,
    user: Any,
    status: str | None = None,
    type: str | None = None,
    overdue: bool | None = None,
    search: str | None = None,
    sort: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[DataSubjectRequest]:
    """Visible requests, filtered by status ("open" = every open status), type, overdue and a
    reference search, sorted by one of SORTS (newest received first by default)."""
    now = now or timezone.now()
    qs = visible_requests(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    if search:
        text = to_arabic_digits(normalize_text(search))[:100]
        qs = qs.filter(Q(reference__icontains=text) | Q(details__icontains=text))
    return qs.order_by(*SORTS.get(sort or "", SORTS[DEFAULT_SORT]))


def open_requests_for_user(*, user: Any) -> list[DataSubjectRequest]:
    """Open requests the user may see, soonest due first, with `days_left` set on each."""
    today = local_today()
    rows = list(visible_requests(user).filter(status__in=OPEN_STATUSES).order_by("due_at", "id"))
    for row in rows:
        annotate_days(row, today=today)
    return rows


def annotate_days(row: DataSubjectRequest, *, today: dt.date | None = None) -> None:
    """Set `days_left` and `days_overdue` on a row for the templates."""
    row.days_left = days_left(row, today=today)  # type: ignore[attr-defined]
    row.days_overdue = max(0, -row.days_left)  # type: ignore[attr-defined]


def request_audit_trail(request: DataSubjectRequest) -> QuerySet[AuditEntry]:
    """Every audit row of the request (changes and reads), newest first."""
    return AuditEntry.objects.filter(
        object_type=request._meta.label_lower, object_id=str(request.pk)
    ).select_related("actor")


def privacy_team_users() -> QuerySet[Any]:
    """Active DPOs and active chair/members/secretary of the working group (who are told)."""
    user_model = get_user_model()
    group = WorkingGroupMember.objects.filter(active=True, role__in=CORE_GROUP_ROLES).values(
        "user_id"
    )
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(memberships__role=Role.DPO) | Q(pk__in=group))
        .distinct()
        .order_by("pk")
    )


def assignable_users() -> QuerySet[Any]:
    """Staff who may handle a request: the team and anyone who works on steps."""
    user_model = get_user_model()
    roles = [Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO]
    group = WorkingGroupMember.objects.filter(active=True).values("user_id")
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(memberships__role__in=roles) | Q(pk__in=group) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "username")
    )
