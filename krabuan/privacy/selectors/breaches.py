"""Reads of the breach register and its guarded getter.

A breach is a personal record: only the privacy team (DPO, working group chair/members/
secretary, administrators) and the staff assigned to it see it; everyone else gets "not found".
Every read of one breach writes an audit entry with action "view"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from krabuan.core.audit import audit_record
from krabuan.core.errors import NotFound
from krabuan.core.models import AuditEntry
from krabuan.core.thai import normalize_text, to_arabic_digits
from krabuan.org.models import Role
from krabuan.org.permissions import has_role
from krabuan.privacy.models import (
    Breach,
    BreachAssessment,
    BreachStatus,
    RiskLevel,
    WorkingGroupMember,
)
from krabuan.privacy.permissions import CORE_GROUP_ROLES, can_see_case_record, is_privacy_team

MAX_ID = 2**31 - 1
UNASSESSED = "unassessed"
SORTS = {
    "deadline": ("pdpc_deadline", "id"),
    "-deadline": ("-pdpc_deadline", "-id"),
    "aware": ("aware_at", "id"),
    "-aware": ("-aware_at", "-id"),
    "reference": ("reference", "id"),
    "-reference": ("-reference", "-id"),
}
DEFAULT_SORT = "-aware"


def _base() -> QuerySet[Breach]:
    return Breach.objects.select_related("case", "reported_by", "assigned_to")


def breach_get_for_user(*, user: Any, breach_id: Any, log_view: bool = True) -> Breach:
    """One breach the user may see (NotFound otherwise); the read is audited as "view"."""
    try:
        pk = int(breach_id)
    except (TypeError, ValueError):
        pk = 0
    breach = _base().filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
    if breach is None or not can_see_case_record(user, assigned_to_id=breach.assigned_to_id):
        raise NotFound("ไม่พบเหตุละเมิดข้อมูลส่วนบุคคล", code="breach_not_found")
    if log_view:
        audit_record(actor=user, action="view", obj=breach)
    return breach


def visible_breaches(user: Any) -> QuerySet[Breach]:
    """All breaches for the privacy team; only those assigned to them for other staff."""
    if not getattr(user, "is_authenticated", False):
        return Breach.objects.none()
    if is_privacy_team(user):
        return _base()
    return _base().filter(assigned_to=user)


def overdue_q(now: dt.datetime) -> Q:
    """Open breaches past the 72 hours without a PDPC notice, unless assessed as no risk."""
    return (
        Q(pdpc_notified_at__isnull=True, pdpc_deadline__lt=now)
        & ~Q(risk_level=RiskLevel.NONE)
        & ~Q(status=BreachStatus.CLOSED)
    )


def breach_list_for_user(
    user: Any,
    *,
    status: str | None = None,
    level: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    sort: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Breach]:
    """The breaches the user may see, filtered (status, level or "unassessed", overdue, text)."""
    qs = visible_breaches(user)
    if status in BreachStatus.values:
        qs = qs.filter(status=status)
    if level == UNASSESSED:
        qs = qs.filter(risk_level__isnull=True)
    elif level in RiskLevel.values:
        qs = qs.filter(risk_level=level)
    if overdue:
        qs = qs.filter(overdue_q(now or timezone.now()))
    term = to_arabic_digits(normalize_text(search or ""))[:200]
    if term:
        qs = qs.filter(Q(reference__icontains=term) | Q(title__icontains=term))
    return qs.order_by(*SORTS.get(sort or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def breach_assessments(breach: Breach) -> QuerySet[BreachAssessment]:
    """Every assessment of a breach, newest first (kept as evidence)."""
    return breach.assessments.select_related("assessed_by").order_by("-assessed_at", "-id")


def breach_latest_assessment(breach: Breach) -> BreachAssessment | None:
    return breach_assessments(breach).first()


def breach_audit_trail(breach: Breach, *, limit: int = 200) -> QuerySet[AuditEntry]:
    """The audit entries of a breach (changes and reads), newest first."""
    return AuditEntry.objects.filter(
        object_type=Breach._meta.label_lower, object_id=str(breach.pk)
    ).select_related("actor")[:limit]


def privacy_team_users() -> list[Any]:
    """Active DPOs and active chair/members/secretary of the working group (no duplicates)."""
    user_model = get_user_model()
    return list(
        user_model.objects.filter(is_active=True)
        .filter(
            Q(memberships__role=Role.DPO)
            | Q(
                privacy_roles__active=True,
                privacy_roles__role__in=[str(r) for r in CORE_GROUP_ROLES],
            )
        )
        .distinct()
        .order_by("pk")
    )


def directors() -> list[Any]:
    """Active users holding the director role anywhere."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.DIRECTOR)
        .distinct()
        .order_by("pk")
    )


def dpo_user() -> Any | None:
    """The DPO named in notices: the first active DPO, else the working group's chair."""
    user_model = get_user_model()
    found = (
        user_model.objects.filter(is_active=True, memberships__role=Role.DPO).order_by("pk").first()
    )
    if found is not None:
        return found
    chair = (
        WorkingGroupMember.objects.filter(active=True, role="chair", user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return chair.user if chair else None


def can_be_assigned(user: Any) -> bool:
    """Staff who work on records (not auditors or requesters) may be assigned a breach."""
    return bool(getattr(user, "is_active", False)) and has_role(
        user, {Role.ADMIN, Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO}
    )


def assignable_users() -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=[Role.DIRECTOR, Role.GROUP_HEAD, Role.OFFICER, Role.DPO],
        )
        .distinct()
        .order_by("first_name", "username")
    )
