"""PDPA compliance records: working group, personal-data inventory, RoPA (s.39 and processor),
privacy notices, DPAs, retention and destruction, data-subject requests and the breach register.

Requests and breaches are themselves personal records: only the DPO, the privacy working group and
the assigned staff see them (see privacy.selectors), every read is audited, and requesters'
contact details are encrypted at rest (`*_enc` columns hold Fernet tokens, never plaintext)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krabuan.catalog.models import Dataset
from krabuan.core.models import TimeStampedModel
from krabuan.org.models import Unit
from krabuan.workflow.models import Case

USER = settings.AUTH_USER_MODEL


# --- Working group and awareness (process 15 step 1) -------------------------------------------


class GroupRole(models.TextChoices):
    CHAIR = "chair", _("ประธาน")
    MEMBER = "member", _("คณะทำงาน")
    SECRETARY = "secretary", _("เลขานุการ")
    REPRESENTATIVE = "representative", _("ผู้แทนหน่วยงาน")


class WorkingGroupMember(TimeStampedModel):
    """A member of the privacy working group, or a unit's privacy representative."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="privacy_roles")
    unit = models.ForeignKey(Unit, verbose_name=_("หน่วยงานที่เป็นผู้แทน"), on_delete=models.PROTECT)
    role = models.CharField(_("บทบาท"), max_length=20, choices=GroupRole.choices)
    appointed_on = models.DateField(_("วันที่แต่งตั้ง"))
    order_reference = models.CharField(_("คำสั่งแต่งตั้ง"), max_length=255, blank=True)
    active = models.BooleanField(_("ปฏิบัติหน้าที่อยู่"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="privacy_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.unit_id}"


class AwarenessActivity(TimeStampedModel):
    """A training or awareness activity on personal-data protection."""

    title = models.CharField(_("ชื่อกิจกรรม"), max_length=300)
    held_on = models.DateField(_("วันที่จัด"))
    unit = models.ForeignKey(Unit, verbose_name=_("หน่วยงานผู้จัด"), on_delete=models.PROTECT)
    description = models.TextField(_("รายละเอียด"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    activity = models.ForeignKey(
        AwarenessActivity, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(_("ชื่อผู้เข้าร่วม"), max_length=255)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return self.name


# --- Inventory ---------------------------------------------------------------------------------


class ProcessingActivity(TimeStampedModel):
    """A unit's activity that processes personal data (the row of the inventory and the RoPA)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("กิจกรรมการประมวลผล"), max_length=300)
    description = models.TextField(_("รายละเอียด"), blank=True)
    is_processor = models.BooleanField(_("ประมวลผลแทนผู้ควบคุมข้อมูลอื่น (ผู้ประมวลผลข้อมูล)"), default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["unit__sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class DataCategory(models.TextChoices):
    GENERAL = "general", _("ข้อมูลส่วนบุคคลทั่วไป")
    SENSITIVE = "sensitive", _("ข้อมูลอ่อนไหว (มาตรา 26)")


class DataItem(TimeStampedModel):
    """One personal-data item an activity collects, with its retention period."""

    activity = models.ForeignKey(
        ProcessingActivity, on_delete=models.CASCADE, related_name="data_items"
    )
    name = models.CharField(_("ข้อมูลส่วนบุคคล"), max_length=255)
    category = models.CharField(_("หมวดข้อมูล"), max_length=100, blank=True)  # e.g. ข้อมูลติดต่อ
    sensitive = models.BooleanField(_("ข้อมูลอ่อนไหว (มาตรา 26)"), default=False)
    data_subjects = models.CharField(_("เจ้าของข้อมูล"), max_length=255)
    source = models.CharField(_("แหล่งที่มา"), max_length=255)
    storage = models.CharField(_("สถานที่/ระบบที่จัดเก็บ"), max_length=500)
    retention_months = models.PositiveIntegerField(_("ระยะเวลาเก็บรักษา (เดือน)"), null=True)
    retention_text = models.CharField(_("ระยะเวลาเก็บรักษา (ข้อความ)"), max_length=255, blank=True)
    collected_since = models.DateField(_("เริ่มเก็บเมื่อ"), null=True, blank=True)
    datasets = models.ManyToManyField(Dataset, blank=True, related_name="privacy_items")

    def __str__(self) -> str:
        return self.name


class DestructionRecord(TimeStampedModel):
    """Personal data destroyed when its retention ended (method, date, approver, evidence)."""

    item = models.ForeignKey(DataItem, on_delete=models.PROTECT, related_name="destructions")
    method = models.CharField(_("วิธีการทำลาย"), max_length=255)
    destroyed_on = models.DateField(_("วันที่ทำลาย"))
    period_start = models.DateField(_("ข้อมูลตั้งแต่"), null=True, blank=True)
    period_end = models.DateField(_("ข้อมูลถึง"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    evidence = models.FileField(_("หลักฐาน"), upload_to="privacy/destruction/%Y/", blank=True)
    note = models.TextField(_("หมายเหตุ"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.item_id} {self.destroyed_on}"


# --- RoPA --------------------------------------------------------------------------------------


class RopaKind(models.TextChoices):
    CONTROLLER = "controller", _("ผู้ควบคุมข้อมูลส่วนบุคคล (มาตรา 39)")
    PROCESSOR = "processor", _("ผู้ประมวลผลข้อมูลส่วนบุคคล (ประกาศ 2565)")


class Ropa(TimeStampedModel):
    """The record of processing of one activity; its content lives in versions."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.PROTECT, related_name="ropas")
    kind = models.CharField(_("ประเภทบันทึก"), max_length=12, choices=RopaKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "kind"], name="privacy_ropa_unique")
        ]

    def __str__(self) -> str:
        return f"RoPA {self.activity}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    SUBMITTED = "submitted", _("รออนุมัติ")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("เผยแพร่แล้ว")
    SUPERSEDED = "superseded", _("ถูกแทนที่")


class RopaVersion(TimeStampedModel):
    """One version of a RoPA: the eight s.39 items (controller) or six processor items.

    Approval by the unit head is the control point of process 15 step 4; only an approved version
    can be published, and publishing supersedes the previous published one."""

    ropa = models.ForeignKey(Ropa, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("ฉบับที่"))
    status = models.CharField(
        _("สถานะ"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # s.39 (1) data collected; (2) purpose per data type [{"data": str, "purpose": str}]
    data_collected = models.TextField(_("(1) ข้อมูลส่วนบุคคลที่เก็บรวบรวม"), blank=True)
    purposes = models.JSONField(_("(2) วัตถุประสงค์ของการเก็บรวบรวมแยกตามประเภท"), default=list)
    # (3) controller incl. DPO {"name","address","contact","dpo_name","dpo_contact"}
    controller = models.JSONField(_("(3) ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล"), default=dict)
    retention = models.TextField(_("(4) ระยะเวลาการเก็บรักษา"), blank=True)
    access_rights = models.TextField(_("(5) สิทธิและวิธีการเข้าถึง รวมทั้งเงื่อนไข"), blank=True)
    exempt_disclosures = models.TextField(_("(6) การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม"), blank=True)
    # (7) refusals are RopaRefusal rows of the Ropa (appended automatically); this is a summary.
    refusals_note = models.TextField(_("(7) การปฏิเสธคำขอหรือการคัดค้าน"), blank=True)
    security_measures = models.TextField(_("(8) มาตรการรักษาความมั่นคงปลอดภัย"), blank=True)
    # lawful bases: list of codes such as "s24_4", "s26_5b", "consent"
    lawful_bases = models.JSONField(_("ฐานทางกฎหมาย"), default=list)
    recipients = models.TextField(_("ผู้รับข้อมูล"), blank=True)
    transfers_abroad = models.TextField(_("การส่งหรือโอนไปต่างประเทศ"), blank=True)
    # Processor RoPA (2022 notification) items
    processor_details = models.JSONField(_("ข้อมูลผู้ประมวลผล"), default=dict, blank=True)
    controllers = models.JSONField(_("ผู้ควบคุมข้อมูลที่ประมวลผลแทน"), default=list, blank=True)
    processing_nature = models.TextField(_("ประเภทหรือลักษณะของการประมวลผล"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ropa", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ropa", "number"], name="privacy_ropa_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ropa_id} v{self.number}"


class RefusalSection(models.TextChoices):
    S30 = "s30", _("มาตรา 30 วรรคสาม (สิทธิขอเข้าถึง)")
    S31 = "s31", _("มาตรา 31 วรรคสาม (สิทธิขอรับ/โอนข้อมูล)")
    S32 = "s32", _("มาตรา 32 วรรคสาม (สิทธิคัดค้าน)")
    S36 = "s36", _("มาตรา 36 วรรคหนึ่ง (สิทธิขอแก้ไข)")
    OTHER = "other", _("อื่น ๆ")


class RopaRefusal(models.Model):
    """s.39(7): a refused request or objection written into the RoPA with its reason."""

    ropa = models.ForeignKey(Ropa, on_delete=models.PROTECT, related_name="refusals")
    request = models.ForeignKey(
        "DataSubjectRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.CharField(max_length=10, choices=RefusalSection.choices)
    reason = models.TextField(_("เหตุผล"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.section} {self.recorded_at:%Y-%m-%d}"


# --- Privacy notices ---------------------------------------------------------------------------


class PrivacyNotice(TimeStampedModel):
    """A privacy notice with a stable public URL (/privacy/notices/<slug>/)."""

    slug = models.SlugField(_("ชื่อ URL"), max_length=80, unique=True)
    title = models.CharField(_("ชื่อประกาศ"), max_length=300)
    title_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=300, blank=True)
    activity = models.ForeignKey(
        ProcessingActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.title


class NoticeVersion(TimeStampedModel):
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    body_th = models.TextField(_("เนื้อหา (ภาษาไทย)"))
    body_en = models.TextField(_("เนื้อหา (ภาษาอังกฤษ)"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "number"], name="privacy_notice_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} v{self.number}"


# --- DPAs --------------------------------------------------------------------------------------


class DpaRole(models.TextChoices):
    WE_CONTROL = "controller", _("สำนักงานเป็นผู้ควบคุมข้อมูล คู่สัญญาเป็นผู้ประมวลผล")
    WE_PROCESS = "processor", _("สำนักงานเป็นผู้ประมวลผลให้คู่สัญญา")
    JOINT = "joint", _("ผู้ควบคุมข้อมูลร่วม")
    SHARING = "sharing", _("ข้อตกลงแบ่งปันข้อมูล")


class DataProcessingAgreement(TimeStampedModel):
    """A data processing / sharing agreement; alerts go out before it expires."""

    counterpart = models.CharField(_("คู่สัญญา"), max_length=300)
    role = models.CharField(_("ลักษณะข้อตกลง"), max_length=12, choices=DpaRole.choices)
    scope = models.TextField(_("ขอบเขต"))
    unit = models.ForeignKey(Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT)
    activity = models.ForeignKey(
        ProcessingActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="dpas"
    )
    starts_on = models.DateField(_("วันที่เริ่ม"))
    ends_on = models.DateField(_("วันที่สิ้นสุด"), null=True, blank=True)
    alert_days = models.PositiveIntegerField(_("แจ้งเตือนล่วงหน้า (วัน)"), default=30)
    file = models.FileField(_("ไฟล์ข้อตกลง"), upload_to="privacy/dpa/%Y/", blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.counterpart


# --- Data-subject requests ---------------------------------------------------------------------


class RequestType(models.TextChoices):
    ACCESS = "access", _("ขอเข้าถึงข้อมูล")
    COPY = "copy", _("ขอรับสำเนา/ขอให้โอนข้อมูล")
    RECTIFICATION = "rectification", _("ขอแก้ไขข้อมูล")
    ERASURE = "erasure", _("ขอลบหรือทำลายข้อมูล")
    RESTRICTION = "restriction", _("ขอระงับการใช้ข้อมูล")
    OBJECTION = "objection", _("คัดค้านการประมวลผล")
    WITHDRAWAL = "withdrawal", _("ถอนความยินยอม")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("รับคำขอแล้ว")
    VERIFYING = "verifying", _("รอยืนยันตัวตน")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    COMPLETED = "completed", _("ดำเนินการแล้ว")
    REFUSED = "refused", _("ปฏิเสธคำขอ")
    CANCELLED = "cancelled", _("ยกเลิก")


class RequestChannel(models.TextChoices):
    PUBLIC = "public", _("แบบฟอร์มออนไลน์")
    STAFF = "staff", _("เจ้าหน้าที่บันทึก")


class DataSubjectRequest(TimeStampedModel):
    """A data subject's request; contact details are encrypted (see privacy.crypto)."""

    reference = models.CharField(_("เลขที่คำขอ"), max_length=40, unique=True)
    type = models.CharField(_("ประเภทคำขอ"), max_length=20, choices=RequestType.choices)
    channel = models.CharField(max_length=10, choices=RequestChannel.choices)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(_("วันที่รับคำขอ"))
    due_at = models.DateTimeField(_("กำหนดตอบ"))
    name_enc = models.TextField()  # Fernet token of the requester's name
    email_enc = models.TextField(blank=True)
    phone_enc = models.TextField(blank=True)
    address_enc = models.TextField(blank=True)
    details = models.TextField(_("รายละเอียดคำขอ"))
    activity = models.ForeignKey(
        ProcessingActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    identity_method = models.CharField(_("วิธียืนยันตัวตน"), max_length=255, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(_("คำตอบ"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    refusal_section = models.CharField(max_length=10, choices=RefusalSection.choices, blank=True)
    refusal_reason = models.TextField(_("เหตุผลการปฏิเสธ"), blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.reference


# --- Breaches ----------------------------------------------------------------------------------


class BreachStatus(models.TextChoices):
    REPORTED = "reported", _("รับแจ้งเหตุ")
    ASSESSING = "assessing", _("ประเมินความเสี่ยง")
    NOTIFYING = "notifying", _("แจ้งเหตุ")
    REMEDIATING = "remediating", _("แก้ไขและเยียวยา")
    CLOSED = "closed", _("ปิดเรื่อง")


class RiskLevel(models.TextChoices):
    NONE = "none", _("ไม่มีความเสี่ยง")
    RISK = "risk", _("มีความเสี่ยง")
    HIGH = "high", _("มีความเสี่ยงสูง")


class BreachChannel(models.TextChoices):
    INTERNAL = "internal", _("แจ้งภายใน")
    PUBLIC = "public", _("แจ้งจากภายนอก")
    PROCESSOR = "processor", _("ผู้ประมวลผลข้อมูลแจ้ง")


class Breach(TimeStampedModel):
    """A personal-data breach; runs as a case of process 16. `pdpc_deadline` = aware_at + 72 h."""

    reference = models.CharField(_("เลขที่เหตุ"), max_length=40, unique=True)
    title = models.CharField(_("ชื่อเหตุ"), max_length=300)
    description = models.TextField(_("รายละเอียด"))
    channel = models.CharField(max_length=10, choices=BreachChannel.choices)
    status = models.CharField(
        max_length=12, choices=BreachStatus.choices, default=BreachStatus.REPORTED, db_index=True
    )
    occurred_at = models.DateTimeField(_("เกิดเหตุเมื่อ"), null=True, blank=True)
    aware_at = models.DateTimeField(_("ทราบเหตุเมื่อ"))
    contained_at = models.DateTimeField(_("ระงับเหตุเมื่อ"), null=True, blank=True)
    pdpc_deadline = models.DateTimeField(_("กำหนดแจ้ง สคส."))
    data_types = models.JSONField(_("ประเภทข้อมูลที่รั่วไหล"), default=list)
    subjects_count = models.PositiveIntegerField(_("จำนวนเจ้าของข้อมูล"), default=0)
    records_count = models.PositiveIntegerField(_("จำนวนรายการ"), default=0)
    systems_affected = models.TextField(_("ระบบที่ได้รับผลกระทบ"), blank=True)
    impact = models.TextField(_("ผลกระทบที่อาจเกิดขึ้น"), blank=True)
    measures = models.TextField(_("มาตรการที่ดำเนินการแล้ว/จะดำเนินการ"), blank=True)
    subject_advice = models.TextField(_("คำแนะนำสำหรับเจ้าของข้อมูล"), blank=True)
    # NULL until assessed: "not assessed yet" differs from an assessed "none" (no risk).
    risk_level = models.CharField(  # noqa: DJ001
        max_length=6, choices=RiskLevel.choices, null=True, blank=True
    )
    notify_pdpc = models.BooleanField(null=True)
    notify_subjects = models.BooleanField(null=True)
    pdpc_notified_at = models.DateTimeField(_("แจ้ง สคส. เมื่อ"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(_("แจ้งเจ้าของข้อมูลเมื่อ"), null=True, blank=True)
    late_reason = models.TextField(_("เหตุผลที่แจ้งล่าช้า"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)  # 0, 24, 48, 66 (hours)
    reporter_name_enc = models.TextField(blank=True)  # public reports: encrypted contact
    reporter_contact_enc = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class BreachAssessment(models.Model):
    """A risk assessment on the seven factors of the PDPC notification; kept as evidence."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="assessments")
    # {factor_key: {"value": str, "note": str}} for the seven factors (privacy.risk.FACTORS)
    factors = models.JSONField(default=dict)
    level = models.CharField(max_length=6, choices=RiskLevel.choices)
    notify_pdpc = models.BooleanField()
    notify_subjects = models.BooleanField()
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.breach_id} {self.level}"


# --- Publication audit (process 15 step 9) ----------------------------------------------------


class PublicationAudit(TimeStampedModel):
    """A scan of everything the platform publishes, with findings and decisions."""

    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    items_scanned = models.PositiveIntegerField(default=0)
    # [{"target": "notice:<slug>"|"resource:<uuid>"|"page:<path>", "title", "url",
    #   "findings": [...], "decision": "", "note": "", "decided_by": id, "decided_at": iso}]
    findings = models.JSONField(default=list, blank=True)
    job_id = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"publication audit {self.pk}"
