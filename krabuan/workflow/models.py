"""Cases: runs of a process version, with one row per step instance so the KPI is an aggregate.

A case points at the Process row of the manual version it started from; copying the manual to
a new year makes new rows, so editing next year's manual never changes a running case.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krabuan.core.models import TimeStampedModel
from krabuan.manual.models import Process, Step, StepControl
from krabuan.org.models import Unit


class CaseStatus(models.TextChoices):
    OPEN = "open", _("กำลังดำเนินการ")
    WAITING = "waiting", _("รอหน่วยงานภายนอก")
    DONE = "done", _("เสร็จสิ้น")
    CANCELLED = "cancelled", _("ยกเลิก")


class Priority(models.TextChoices):
    LOW = "low", _("ต่ำ")
    NORMAL = "normal", _("ปกติ")
    HIGH = "high", _("สูง")
    URGENT = "urgent", _("ด่วนที่สุด")


class Case(TimeStampedModel):
    """One run of one process version."""

    reference = models.CharField(_("เลขที่เรื่อง"), max_length=40, unique=True)
    process = models.ForeignKey(
        Process, verbose_name=_("กระบวนงาน"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("ชื่อเรื่อง"), max_length=300)
    description = models.TextField(_("รายละเอียด"), blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ขอ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_cases",
    )
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงานที่รับผิดชอบ"), on_delete=models.PROTECT, related_name="cases"
    )
    priority = models.CharField(
        _("ความสำคัญ"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("สถานะ"),
        max_length=10,
        choices=CaseStatus.choices,
        default=CaseStatus.OPEN,
        db_index=True,
    )
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), db_index=True)
    # Some step of the case breached its deadline. Set with the step's flag (which never clears)
    # by the services, so the case list's "late" filter is a column, not a semi-join over
    # every breached step row (hundreds of thousands at ministry scale).
    late = models.BooleanField(_("มีขั้นตอนเกินกำหนด"), default=False)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"))
    closed_at = models.DateTimeField(_("ปิดเมื่อ"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    schedule = models.ForeignKey(
        "Schedule", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("เรื่อง")
        verbose_name_plural = _("เรื่อง")
        indexes = [
            models.Index(fields=["process", "fiscal_year", "status"]),
            # The case list (newest first, as `ordering`), whole or by year or by status: the
            # database walks one of these in order and stops after the page, so the per-row
            # step counts are computed for the page's rows only, and the count is index-only.
            models.Index(fields=["started_at", "id"]),
            models.Index(fields=["fiscal_year", "started_at", "id"]),
            models.Index(fields=["status", "started_at", "id"]),
            # The list of one process version: an index range in the list's order.
            models.Index(fields=["process", "started_at", "id"]),
            # The late cases, whole or by year, in the list's order.
            models.Index(
                fields=["started_at", "id"], condition=Q(late=True), name="workflow_case_late_idx"
            ),
            models.Index(
                fields=["fiscal_year", "started_at", "id"],
                condition=Q(late=True),
                name="workflow_case_late_year_idx",
            ),
            # The dashboard's cases per process of a year, counted from the index alone (the id
            # is in every SQLite index already; PostgreSQL needs it included to join on it).
            models.Index(
                fields=["fiscal_year", "process", "status"],
                include=["id"],
                name="workflow_case_year_process_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CaseSearch(models.Model):
    """The search terms of a case's title and reference (krabuan/workflow/search.py), written
    when the case starts. The full-text index is built over them: an FTS5 table kept in step
    by triggers on SQLite; on PostgreSQL two generated tsvector columns with GIN indexes
    (migration 0004)."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="search"
    )
    title_terms = models.TextField(blank=True)
    reference_terms = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search:{self.case_id}"


class CaseLink(models.Model):
    """A domain record attached to a case (a letter, a ticket, a breach…), by generic relation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "content_type", "object_id"], name="case_link_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.content_type_id}:{self.object_id}"


class StepStatus(models.TextChoices):
    PENDING = "pending", _("รอเริ่ม")
    ACTIVE = "active", _("กำลังดำเนินการ")
    PAUSED = "paused", _("รอหน่วยงานภายนอก")
    DONE = "done", _("เสร็จแล้ว")
    SKIPPED = "skipped", _("ข้าม")
    CANCELLED = "cancelled", _("ยกเลิก")


OPEN_STEP_STATUSES = (StepStatus.ACTIVE, StepStatus.PAUSED)


class StepInstance(models.Model):
    """One pass through one step of a case; a return to an earlier step adds new rows (the next
    `pass_no`) and keeps the old ones, so both passes stay in the history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="instances")
    order = models.PositiveIntegerField(_("ลำดับขั้นตอน"))
    pass_no = models.PositiveSmallIntegerField(_("รอบที่"), default=1)
    iteration = models.PositiveSmallIntegerField(_("ครั้งที่ (งานที่ทำซ้ำ)"), default=1)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับผิดชอบ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_steps",
    )
    assignee_unit = models.ForeignKey(
        Unit,
        verbose_name=_("หน่วยงานผู้รับผิดชอบ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_steps",
    )
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    target_at = models.DateTimeField(_("เป้าหมาย (ขั้นต่ำของช่วงเวลา)"), null=True, blank=True)
    due_at = models.DateTimeField(_("กำหนดเสร็จ"), null=True, blank=True, db_index=True)
    planned_seconds = models.BigIntegerField(_("เวลาที่กำหนด (วินาที)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    paused_at = models.DateTimeField(_("เริ่มรอเมื่อ"), null=True, blank=True)
    pause_reason = models.CharField(_("เหตุที่รอ"), max_length=300, blank=True)
    paused_seconds = models.BigIntegerField(_("เวลาที่รอรวม (วินาที)"), default=0)
    quantity = models.PositiveIntegerField(_("จำนวน (ต่อเรื่อง/รายการ)"), null=True, blank=True)
    alternative = models.CharField(_("วิธีที่เลือก"), max_length=200, blank=True)
    outcome = models.CharField(_("ผลการดำเนินการ"), max_length=200, blank=True)
    note = models.TextField(_("บันทึก"), blank=True)
    skip_reason = models.CharField(_("เหตุผลที่ข้าม"), max_length=300, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("ระดับการแจ้งเตือน"), default=0)
    due_soon_notified = models.BooleanField(default=False)
    # Set once the deadline passes and never cleared, so a late step stays late in the KPI.
    breached = models.BooleanField(_("เกินกำหนด"), default=False, db_index=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(_("ทันเวลา"), null=True, blank=True)
    needs_review = models.BooleanField(_("ต้องทบทวนระยะเวลา"), default=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "order", "pass_no", "iteration"]
        verbose_name = _("ขั้นตอนของเรื่อง")
        verbose_name_plural = _("ขั้นตอนของเรื่อง")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["assignee_unit", "status"]),
            models.Index(fields=["step", "status"]),
            # A set of cases' rows of one status (duration review, per-case counts): without it
            # SQLite walks the (status, due_at) index through every done row of every case.
            models.Index(fields=["case", "status"]),
            # Open steps only (about 1% of the rows), with what "late now" needs: the dashboards
            # count them per process without reading a step row.
            models.Index(
                fields=["status", "due_at", "breached", "case"],
                condition=Q(status__in=["active", "paused"]),
                name="workflow_step_open_idx",
            ),
            # A case's late steps (the case list's late filter and count).
            models.Index(
                fields=["case"], condition=Q(breached=True), name="workflow_step_breached_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} ขั้นตอนที่ {self.order} (รอบ {self.pass_no})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STEP_STATUSES


class ControlConfirmation(models.Model):
    """A control point of a step confirmed for one step instance."""

    step_instance = models.ForeignKey(
        StepInstance, on_delete=models.CASCADE, related_name="confirmations"
    )
    control = models.ForeignKey(StepControl, on_delete=models.PROTECT, related_name="confirmations")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("ยืนยันเมื่อ"))
    note = models.TextField(_("บันทึก"), blank=True)
    evidence = models.FileField(_("หลักฐาน"), upload_to="evidence/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("การยืนยันจุดควบคุม")
        verbose_name_plural = _("การยืนยันจุดควบคุม")
        constraints = [
            models.UniqueConstraint(
                fields=["step_instance", "control"], name="control_confirmed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_instance_id}: {self.control_id}"


class RiskOccurrence(models.Model):
    """An officer's record that a listed risk of a step happened."""

    step_instance = models.ForeignKey(
        StepInstance, on_delete=models.CASCADE, related_name="risk_occurrences"
    )
    risk = models.ForeignKey(
        StepControl, on_delete=models.PROTECT, null=True, blank=True, related_name="occurrences"
    )
    note = models.TextField(_("รายละเอียด"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("บันทึกเมื่อ"))

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("ความเสี่ยงที่เกิดขึ้น")
        verbose_name_plural = _("ความเสี่ยงที่เกิดขึ้น")

    def __str__(self) -> str:
        return f"{self.step_instance_id}: {self.note[:40]}"


class CaseComment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("ความเห็น"))
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:40]


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    step_instance = models.ForeignKey(
        StepInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("ไฟล์"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class ScheduleRule(models.TextChoices):
    MONTHLY = "monthly", _("ทุกเดือน")
    YEARLY = "yearly", _("ทุกปี (วันที่/เดือนที่กำหนด)")


class Schedule(TimeStampedModel):
    """A process that starts its cases by itself: on a day of every month, or on given days of
    given months (e.g. 5 April and 5 October). `process_code` follows the newest manual."""

    process_code = models.SlugField(_("รหัสกระบวนงาน"), max_length=20)
    unit = models.ForeignKey(Unit, verbose_name=_("หน่วยงานเจ้าของคู่มือ"), on_delete=models.PROTECT)
    title = models.CharField(_("ชื่อเรื่องที่จะสร้าง"), max_length=300)
    rule = models.CharField(_("รอบ"), max_length=10, choices=ScheduleRule.choices)
    day = models.PositiveSmallIntegerField(_("วันที่"), default=1)
    months = models.JSONField(_("เดือน (1–12)"), default=list, blank=True)
    lead_days = models.PositiveSmallIntegerField(_("เริ่มล่วงหน้า (วัน)"), default=0)
    enabled = models.BooleanField(_("เปิดใช้"), default=True)
    next_run_at = models.DateTimeField(_("ครั้งถัดไป"), null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(_("ครั้งล่าสุด"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["process_code", "id"]
        verbose_name = _("กำหนดการเริ่มเรื่องอัตโนมัติ")
        verbose_name_plural = _("กำหนดการเริ่มเรื่องอัตโนมัติ")

    def __str__(self) -> str:
        return f"{self.process_code}: {self.title}"


class FeedToken(models.Model):
    """The private token of a user's iCalendar feed of deadlines."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed:{self.user_id}"


class StepStats(models.Model):
    """Running totals of the step rows of one process version, fiscal year (of the case) and
    step order, kept by the engine's services in the same transaction as the rows
    (krabuan/workflow/services/stats.py), so the dashboards add up a few rows instead of
    aggregating millions. `krabuan workflow_stats_rebuild` recomputes them from the rows."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    order = models.PositiveIntegerField()
    # The KPI (measures.process_kpi): rows with a deadline, not skipped or cancelled; of
    # those, the ones done, and the ones done on time.
    measured = models.BigIntegerField(default=0)
    completed = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)
    # The duration review (measures.step_duration_review): rows done with a start and an end;
    # of those, the late ones and the ones with a planned duration; the newest step version.
    done = models.BigIntegerField(default=0)
    done_late = models.BigIntegerField(default=0)
    done_planned = models.BigIntegerField(default=0)
    last_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "fiscal_year", "order"], name="step_stats_unique"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "process"])]

    def __str__(self) -> str:
        return f"{self.process_id}/{self.fiscal_year}/{self.order}"


class StepDuration(models.Model):
    """The planned and actual seconds of one completed step row, under its StepStats row: a
    median is read from the middle of an index, exactly, without reading the other rows."""

    stats = models.ForeignKey(StepStats, on_delete=models.CASCADE, related_name="+", db_index=False)
    planned_seconds = models.FloatField(null=True)
    actual_seconds = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["stats", "actual_seconds"]),
            models.Index(fields=["stats", "planned_seconds"]),
        ]

    def __str__(self) -> str:
        return f"{self.stats_id}: {self.actual_seconds}"
