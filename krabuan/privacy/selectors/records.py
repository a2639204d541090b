"""Reads of the privacy records (working group, inventory, RoPA, notices, DPAs, retention) and
their guarded getters: staff roles read every unit's records; missing and forbidden both answer
NotFound. Public reads (published notices and RoPA) need no user."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from krabuan.core.errors import NotFound
from krabuan.org.models import Membership, Role, Unit, UnitKind
from krabuan.org.permissions import has_role
from krabuan.privacy.models import (
    Attendance,
    AwarenessActivity,
    DataItem,
    DataProcessingAgreement,
    DestructionRecord,
    GroupRole,
    NoticeVersion,
    PrivacyNotice,
    ProcessingActivity,
    Ropa,
    RopaKind,
    RopaRefusal,
    RopaVersion,
    VersionStatus,
    WorkingGroupMember,
)
from krabuan.privacy.permissions import (
    CORE_GROUP_ROLES,
    can_edit_records,
    can_view_records,
    is_privacy_team,
)

# Ids fit a 32-bit column on every database; larger ones name nothing.
MAX_ID = 2_147_483_647
# What the retention schedule looks ahead: items due within this many days are listed.
RETENTION_HORIZON_DAYS = 30
WORKING_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED)


def _id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 1 <= number <= MAX_ID else None


# --- who may edit which unit ---------------------------------------------------------------


def user_unit_ids(user: Any) -> set[int]:
    """Units a user belongs to or represents, with every unit below them."""
    if not getattr(user, "is_authenticated", False):
        return set()
    mine = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    mine |= set(
        WorkingGroupMember.objects.filter(user=user, active=True).values_list("unit_id", flat=True)
    )
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    todo = list(mine)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in mine:
                mine.add(child)
                todo.append(child)
    return mine


def can_edit_unit(user: Any, unit_id: int) -> bool:
    """The privacy team, the director and the administrator edit every unit's records; other
    editors (representatives, officers, group heads) their own units and those below."""
    if not can_edit_records(user):
        return False
    if is_privacy_team(user) or has_role(user, {Role.DIRECTOR}):
        return True
    return unit_id in user_unit_ids(user)


def can_manage_group(user: Any) -> bool:
    """Appointing and ending working-group members: the privacy team, the director, the admin."""
    return is_privacy_team(user) or has_role(user, {Role.DIRECTOR})


def owning_units() -> QuerySet[Unit]:
    """Units that may own records: the office's own, active units (no outside bodies)."""
    return Unit.objects.exclude(kind=UnitKind.EXTERNAL).filter(is_active=True)


def alert_recipients(*, unit_id: int) -> list[Any]:
    """Who hears of expiring agreements and data due for destruction: the DPO(s), the active
    core working group and the head of the unit (its group heads, else its directors)."""
    User = get_user_model()
    heads = list(
        User.objects.filter(
            is_active=True, memberships__unit_id=unit_id, memberships__role=Role.GROUP_HEAD
        )
    ) or list(
        User.objects.filter(
            is_active=True, memberships__unit_id=unit_id, memberships__role=Role.DIRECTOR
        )
    )
    team = User.objects.filter(is_active=True).filter(
        Q(memberships__role=Role.DPO)
        | Q(privacy_roles__active=True, privacy_roles__role__in=CORE_GROUP_ROLES)
    )
    seen: dict[int, Any] = {}
    for user in [*team.distinct().order_by("pk"), *heads]:
        seen.setdefault(user.pk, user)
    return list(seen.values())


# --- working group and awareness -------------------------------------------------------------


def member_list(
    *, active: bool | None = True, unit_id: int | None = None, role: str = ""
) -> list[WorkingGroupMember]:
    """Working-group members and representatives: chair, members, secretary, then the
    representatives by unit."""
    qs = WorkingGroupMember.objects.select_related("user", "unit")
    if active is not None:
        qs = qs.filter(active=active)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if role:
        qs = qs.filter(role=role)
    order = {GroupRole.CHAIR.value: 0, GroupRole.MEMBER.value: 1, GroupRole.SECRETARY.value: 2}
    return sorted(
        qs, key=lambda m: (order.get(m.role, 3), m.unit.sort_order, m.user.username, m.pk)
    )


def member_get(*, user: Any, member_id: Any) -> WorkingGroupMember:
    pk = _id(member_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบสมาชิกคณะทำงาน", code="member_not_found")
    try:
        return WorkingGroupMember.objects.select_related("user", "unit").get(pk=pk)
    except WorkingGroupMember.DoesNotExist:
        raise NotFound("ไม่พบสมาชิกคณะทำงาน", code="member_not_found") from None


def awareness_list() -> QuerySet[AwarenessActivity]:
    """Awareness activities, newest first, with their attendance counts."""
    return (
        AwarenessActivity.objects.select_related("unit")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-pk")
    )


def awareness_get(*, user: Any, activity_id: Any) -> AwarenessActivity:
    pk = _id(activity_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบกิจกรรมสร้างความตระหนัก", code="awareness_not_found")
    try:
        return (
            AwarenessActivity.objects.select_related("unit")
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("unit", "user").order_by("pk"),
                )
            )
            .get(pk=pk)
        )
    except AwarenessActivity.DoesNotExist:
        raise NotFound("ไม่พบกิจกรรมสร้างความตระหนัก", code="awareness_not_found") from None


# --- inventory -----------------------------------------------------------------------------


def _published_exists() -> Exists:
    return Exists(
        RopaVersion.objects.filter(ropa__activity=OuterRef("pk"), status=VersionStatus.PUBLISHED)
    )


def inventory_list(
    *,
    unit_id: int | None = None,
    sensitive: bool | None = None,
    has_ropa: bool | None = None,
    q: str = "",
    sort: str = "",
) -> QuerySet[ProcessingActivity]:
    """Processing activities with their data items and datasets, filtered by unit, by whether
    they hold sensitive (s.26) data, and by whether a RoPA version is published."""
    qs = (
        ProcessingActivity.objects.select_related("unit")
        .annotate(
            has_published_ropa=_published_exists(),
            has_sensitive=Exists(DataItem.objects.filter(activity=OuterRef("pk"), sensitive=True)),
        )
        .prefetch_related(
            Prefetch(
                "data_items",
                queryset=DataItem.objects.prefetch_related("datasets").order_by("name", "pk"),
            )
        )
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if sensitive is not None:
        qs = qs.filter(has_sensitive=sensitive)
    if has_ropa is not None:
        qs = qs.filter(has_published_ropa=has_ropa)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(data_items__name__icontains=q)).distinct()
    if sort in {"name", "-name", "unit", "-updated_at"}:
        key = {"unit": "unit__sort_order"}.get(sort, sort)
        return qs.order_by(key, "name", "pk")
    return qs.order_by("unit__sort_order", "name", "pk")


def processing_activity_get(*, user: Any, activity_id: Any) -> ProcessingActivity:
    """One activity with its items, RoPAs and notices; staff roles only."""
    pk = _id(activity_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบกิจกรรมการประมวลผล", code="activity_not_found")
    try:
        return (
            ProcessingActivity.objects.select_related("unit")
            .prefetch_related(
                Prefetch(
                    "data_items",
                    queryset=DataItem.objects.prefetch_related("datasets").order_by("name", "pk"),
                ),
                Prefetch("ropas", queryset=Ropa.objects.prefetch_related("versions")),
            )
            .get(pk=pk)
        )
    except ProcessingActivity.DoesNotExist:
        raise NotFound("ไม่พบกิจกรรมการประมวลผล", code="activity_not_found") from None


def data_item_get(*, user: Any, item_id: Any) -> DataItem:
    pk = _id(item_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบรายการข้อมูลส่วนบุคคล", code="item_not_found")
    try:
        return (
            DataItem.objects.select_related("activity", "activity__unit")
            .prefetch_related("datasets")
            .get(pk=pk)
        )
    except DataItem.DoesNotExist:
        raise NotFound("ไม่พบรายการข้อมูลส่วนบุคคล", code="item_not_found") from None


def activity_sensitive(activity: ProcessingActivity) -> bool:
    """Whether any of the activity's data items is sensitive (s.26)."""
    return DataItem.objects.filter(activity=activity, sensitive=True).exists()


# --- RoPA ----------------------------------------------------------------------------------


def _ropas() -> QuerySet[Ropa]:
    return Ropa.objects.select_related("activity", "activity__unit").prefetch_related(
        Prefetch(
            "versions",
            queryset=RopaVersion.objects.select_related("approved_by").order_by("-number"),
        )
    )


def ropa_versions(ropa: Ropa) -> list[RopaVersion]:
    """The versions of a RoPA, newest first (prefetched by the selectors)."""
    return list(ropa.versions.all())


def ropa_published(ropa: Ropa) -> RopaVersion | None:
    return next((v for v in ropa_versions(ropa) if v.status == VersionStatus.PUBLISHED), None)


def ropa_latest(ropa: Ropa) -> RopaVersion | None:
    versions = ropa_versions(ropa)
    return versions[0] if versions else None


def ropa_working(ropa: Ropa) -> RopaVersion | None:
    """The version being prepared (draft, submitted or approved, not yet published)."""
    return next((v for v in ropa_versions(ropa) if v.status in WORKING_STATUSES), None)


def ropa_register(
    *,
    unit_id: int | None = None,
    kind: str = "",
    published_only: bool = False,
    q: str = "",
) -> QuerySet[Ropa]:
    """Every RoPA with its versions and refusals prefetched, by unit then activity."""
    qs = _ropas().prefetch_related(ropa_refusals_prefetch())
    if unit_id:
        qs = qs.filter(activity__unit_id=unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    if published_only:
        qs = qs.filter(versions__status=VersionStatus.PUBLISHED).distinct()
    if q:
        qs = qs.filter(activity__name__icontains=q)
    return qs.order_by("activity__unit__sort_order", "activity__name", "kind", "pk")


def ropa_get(*, user: Any, ropa_id: Any) -> Ropa:
    """One RoPA with its versions and refusals; staff roles only."""
    pk = _id(ropa_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบบันทึกรายการกิจกรรมการประมวลผล", code="ropa_not_found")
    try:
        return _ropas().prefetch_related(ropa_refusals_prefetch()).get(pk=pk)
    except Ropa.DoesNotExist:
        raise NotFound("ไม่พบบันทึกรายการกิจกรรมการประมวลผล", code="ropa_not_found") from None


def ropa_refusals_prefetch() -> Prefetch:
    return Prefetch(
        "refusals",
        queryset=RopaRefusal.objects.select_related("request", "recorded_by").order_by(
            "recorded_at", "pk"
        ),
    )


def ropa_version_get(*, ropa: Ropa, number: Any) -> RopaVersion:
    """A version of a RoPA already reached through ropa_get."""
    wanted = _id(number)
    version = next((v for v in ropa_versions(ropa) if v.number == wanted), None)
    if version is None:
        raise NotFound("ไม่พบฉบับที่ระบุ", code="version_not_found")
    return version


def ropa_public_summary() -> list[tuple[Ropa, RopaVersion]]:
    """Published RoPA versions, by unit and activity, for the public summary."""
    versions = (
        RopaVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("ropa", "ropa__activity", "ropa__activity__unit")
        .order_by("ropa__activity__unit__sort_order", "ropa__activity__name", "ropa__kind")
    )
    return [(v.ropa, v) for v in versions]


# --- notices -------------------------------------------------------------------------------


def _notices() -> QuerySet[PrivacyNotice]:
    return PrivacyNotice.objects.select_related("unit", "activity").prefetch_related(
        Prefetch(
            "versions",
            queryset=NoticeVersion.objects.select_related("approved_by").order_by("-number"),
        )
    )


def notice_list(*, unit_id: int | None = None, q: str = "") -> QuerySet[PrivacyNotice]:
    qs = _notices()
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(slug__icontains=q))
    return qs.order_by("unit__sort_order", "title", "pk")


def notice_get(*, user: Any, notice_id: Any) -> PrivacyNotice:
    pk = _id(notice_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบประกาศความเป็นส่วนตัว", code="notice_not_found")
    try:
        return _notices().get(pk=pk)
    except PrivacyNotice.DoesNotExist:
        raise NotFound("ไม่พบประกาศความเป็นส่วนตัว", code="notice_not_found") from None


def notice_versions(notice: PrivacyNotice) -> list[NoticeVersion]:
    return list(notice.versions.all())


def notice_published(notice: PrivacyNotice) -> NoticeVersion | None:
    return next((v for v in notice_versions(notice) if v.status == VersionStatus.PUBLISHED), None)


def notice_working(notice: PrivacyNotice) -> NoticeVersion | None:
    return next((v for v in notice_versions(notice) if v.status in WORKING_STATUSES), None)


def notice_public_list() -> list[tuple[PrivacyNotice, NoticeVersion]]:
    """Notices with a published version, with that version (public, no login)."""
    versions = (
        NoticeVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("notice", "notice__unit")
        .order_by("notice__unit__sort_order", "notice__title")
    )
    return [(v.notice, v) for v in versions]


def notice_public_get(*, slug: str, number: Any = None) -> tuple[PrivacyNotice, NoticeVersion]:
    """A notice's current published version, or an earlier version that was once published."""
    notice = PrivacyNotice.objects.select_related("unit").filter(slug=slug[:80]).first()
    if notice is None:
        raise NotFound("ไม่พบประกาศความเป็นส่วนตัว", code="notice_not_found")
    once_published = notice.versions.filter(published_at__isnull=False)
    if number is None:
        version = once_published.filter(status=VersionStatus.PUBLISHED).first()
    else:
        wanted = _id(number)
        version = once_published.filter(number=wanted).first() if wanted else None
    if version is None:
        raise NotFound("ไม่พบประกาศความเป็นส่วนตัว", code="notice_not_found")
    return notice, version


def notice_public_history(notice: PrivacyNotice) -> list[NoticeVersion]:
    """Every version ever published, newest first."""
    return list(notice.versions.filter(published_at__isnull=False).order_by("-number"))


# --- DPAs ----------------------------------------------------------------------------------


def dpa_list(
    *,
    today: dt.date,
    unit_id: int | None = None,
    role: str = "",
    expires_within: int | None = None,
    q: str = "",
    sort: str = "",
) -> QuerySet[DataProcessingAgreement]:
    """Agreements; `expires_within` keeps those ending between today and today + N days."""
    qs = DataProcessingAgreement.objects.select_related("unit", "activity")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if role:
        qs = qs.filter(role=role)
    if expires_within is not None:
        qs = qs.filter(ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=expires_within))
    if q:
        qs = qs.filter(Q(counterpart__icontains=q) | Q(scope__icontains=q))
    if sort in {"counterpart", "-starts_on", "unit"}:
        key = {"unit": "unit__sort_order"}.get(sort, sort)
        return qs.order_by(key, "pk")
    return qs.order_by("ends_on", "counterpart", "pk")


def dpa_get(*, user: Any, dpa_id: Any) -> DataProcessingAgreement:
    pk = _id(dpa_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบข้อตกลงการประมวลผลข้อมูล", code="dpa_not_found")
    try:
        return DataProcessingAgreement.objects.select_related("unit", "activity").get(pk=pk)
    except DataProcessingAgreement.DoesNotExist:
        raise NotFound("ไม่พบข้อตกลงการประมวลผลข้อมูล", code="dpa_not_found") from None


# --- retention -----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ScheduleRow:
    item: DataItem
    base: dt.date  # the start of the data still held: last destruction, else collected_since
    base_kind: str  # "destruction" | "collected"
    due_on: dt.date
    overdue: bool


def _base_of(item: DataItem) -> tuple[dt.date, str] | None:
    last = item.last_destruction  # type: ignore[attr-defined]
    if last:
        return (last[0].period_end or last[0].destroyed_on), "destruction"
    if item.collected_since:
        return item.collected_since, "collected"
    return None


def retention_items(*, unit_id: int | None = None) -> QuerySet[DataItem]:
    """Data items with their activity and last destruction (for the schedule)."""
    qs = DataItem.objects.select_related("activity", "activity__unit").prefetch_related(
        Prefetch(
            "destructions",
            queryset=DestructionRecord.objects.order_by("-destroyed_on", "-pk"),
            to_attr="last_destruction",
        )
    )
    if unit_id:
        qs = qs.filter(activity__unit_id=unit_id)
    return qs.order_by("activity__unit__sort_order", "activity__name", "name", "pk")


def retention_schedule(
    *, today: dt.date, unit_id: int | None = None, horizon_days: int = RETENTION_HORIZON_DAYS
) -> tuple[list[ScheduleRow], list[DataItem]]:
    """(items due for destruction by today + horizon, earliest first; items whose due date
    cannot be worked out: no retention in months or no start date)."""
    due: list[ScheduleRow] = []
    unknown: list[DataItem] = []
    limit = today + dt.timedelta(days=horizon_days)
    for item in retention_items(unit_id=unit_id):
        base = _base_of(item)
        if item.retention_months is None or base is None:
            unknown.append(item)
            continue
        due_on = add_months(base[0], item.retention_months)
        if due_on <= limit:
            due.append(ScheduleRow(item, base[0], base[1], due_on, due_on < today))
    due.sort(key=lambda row: (row.due_on, row.item.pk))
    return due, unknown


def destruction_list(*, unit_id: int | None = None) -> QuerySet[DestructionRecord]:
    qs = DestructionRecord.objects.select_related(
        "item", "item__activity", "item__activity__unit", "approved_by", "recorded_by"
    )
    if unit_id:
        qs = qs.filter(item__activity__unit_id=unit_id)
    return qs.order_by("-destroyed_on", "-pk")


def destruction_get(*, user: Any, record_id: Any) -> DestructionRecord:
    pk = _id(record_id)
    if pk is None or not can_view_records(user):
        raise NotFound("ไม่พบบันทึกการทำลายข้อมูล", code="destruction_not_found")
    try:
        return DestructionRecord.objects.select_related("item", "item__activity").get(pk=pk)
    except DestructionRecord.DoesNotExist:
        raise NotFound("ไม่พบบันทึกการทำลายข้อมูล", code="destruction_not_found") from None


def approver_choices(*, unit_id: int) -> list[Any]:
    """Who may approve a destruction for a unit: its head(s), the director(s) and the DPO."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__unit_id=unit_id, memberships__role=Role.GROUP_HEAD)
            | Q(memberships__role__in=[Role.DIRECTOR, Role.DPO])
        )
        .distinct()
        .order_by("first_name", "username")
    )


def kind_label(kind: str) -> str:
    return str(dict(RopaKind.choices).get(kind, kind))
