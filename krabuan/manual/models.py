"""The work-process manual (OPDC form 1) as versioned data: one Manual per unit per fiscal year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krabuan.core.models import TimeStampedModel
from krabuan.org.models import Position, Unit


class ManualStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    PUBLISHED = "published", _("ประกาศใช้")


class Manual(TimeStampedModel):
    """One fiscal year's manual of one unit; copying makes next year's version, the old stays."""

    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="manuals"
    )
    title = models.CharField(_("ชื่อคู่มือ"), max_length=255)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=ManualStatus.choices, default=ManualStatus.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("คัดลอกจาก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fiscal_year", "unit__sort_order"]
        verbose_name = _("คู่มือกระบวนงาน")
        verbose_name_plural = _("คู่มือกระบวนงาน")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="manual_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ปีงบประมาณ พ.ศ. {self.fiscal_year}"


class ProcessKind(models.TextChoices):
    CORE = "core", _("กระบวนงานหลัก")
    SUPPORT = "support", _("กระบวนงานสนับสนุน")


class Process(TimeStampedModel):
    """One process of the manual. `code` (C01…, S01…) identifies it across fiscal years."""

    manual = models.ForeignKey(
        Manual, verbose_name=_("คู่มือ"), on_delete=models.CASCADE, related_name="processes"
    )
    code = models.SlugField(_("รหัสกระบวนงาน"), max_length=20)
    kind = models.CharField(_("ประเภท"), max_length=10, choices=ProcessKind.choices)
    number = models.PositiveIntegerField(_("ลำดับที่"))
    name = models.CharField(_("ชื่อกระบวนงาน"), max_length=500)
    authority_number = models.PositiveIntegerField(_("ข้อของอำนาจหน้าที่"), null=True, blank=True)
    authority = models.TextField(_("อำนาจหน้าที่"), blank=True)
    customers = models.TextField(_("ผู้รับบริการ"), blank=True)
    outputs = models.TextField(_("ผลงาน (Output)"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("กลุ่ม/ฝ่ายที่รับผิดชอบ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
    )
    quality_standard = models.TextField(_("มาตรฐานคุณภาพงาน"), blank=True)
    notes = models.TextField(_("หมายเหตุการนำเข้า/แก้ไข"), blank=True)

    class Meta:
        ordering = ["manual", "kind", "number"]
        verbose_name = _("กระบวนงาน")
        verbose_name_plural = _("กระบวนงาน")
        constraints = [
            models.UniqueConstraint(fields=["manual", "code"], name="process_unique_code"),
            models.UniqueConstraint(
                fields=["manual", "kind", "number"], name="process_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class RequirementHeading(models.TextChoices):
    CUSTOMERS = "customers", _("ผู้รับบริการ (ลูกค้า)")
    STAKEHOLDERS = "stakeholders", _("ผู้มีส่วนได้ส่วนเสีย")
    LAWS = "laws", _("กฎหมาย/ระเบียบ")
    INTERNAL_PROBLEMS = "internal_problems", _("ปัญหาจากระบบงานภายใน")
    EFFICIENCY = "efficiency", _("ประสิทธิภาพของกระบวนงาน")
    PLAN_ALIGNMENT = "plan_alignment", _("สอดคล้องกับแผน")
    PROCESS_KPI = "process_kpi", _("ตัวชี้วัดกระบวนงาน")
    TECHNOLOGY = "technology", _("นวัตกรรม/เทคโนโลยีที่สนับสนุนกระบวนงาน")


class Requirement(models.Model):
    """A key requirement (one of eight fixed headings) with its priority rank."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="requirements")
    heading = models.CharField(
        _("ประเด็นข้อกำหนด"), max_length=30, choices=RequirementHeading.choices
    )
    heading_text = models.CharField(_("ข้อความหัวข้อตามต้นฉบับ"), max_length=300, blank=True)
    detail = models.TextField(_("รายละเอียด"), blank=True)
    priority = models.PositiveIntegerField(_("ลำดับความสำคัญ"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "sort_order"]
        verbose_name = _("ข้อกำหนดที่สำคัญ")
        verbose_name_plural = _("ข้อกำหนดที่สำคัญ")

    def __str__(self) -> str:
        return f"{self.get_heading_display()}: {self.detail[:40]}"


class ValueChainStageKind(models.IntegerChoices):
    INPUT = 1, _("วิเคราะห์ปัจจัยนำเข้า")
    PLANNING = 2, _("วางแผนและออกแบบ")
    OPERATION = 3, _("บริหารจัดการกระบวนงาน/การบริการ")
    MONITORING = 4, _("ติดตาม รายงาน ควบคุมและประเมินผล")
    SUMMARY = 5, _("สรุปผลการดำเนินการและปรับปรุงแก้ไข")


class ValueChainStage(models.Model):
    """One of the five value-chain stages mapped to a range of steps."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="value_chain")
    stage = models.PositiveSmallIntegerField(_("ขั้นห่วงโซ่คุณค่า"), choices=ValueChainStageKind.choices)
    activities = models.TextField(_("กิจกรรม"), blank=True)
    step_range = models.CharField(_("ขั้นตอนที่"), max_length=100, blank=True)
    step_from = models.PositiveIntegerField(_("จากขั้นตอนที่"), null=True, blank=True)
    step_to = models.PositiveIntegerField(_("ถึงขั้นตอนที่"), null=True, blank=True)

    class Meta:
        ordering = ["process", "stage"]
        verbose_name = _("ห่วงโซ่คุณค่า")
        verbose_name_plural = _("ห่วงโซ่คุณค่า")
        constraints = [
            models.UniqueConstraint(fields=["process", "stage"], name="value_chain_unique_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.step_range})"


class DurationStatus(models.TextChoices):
    PARSED = "parsed", _("แปลงแล้ว")
    OPEN_ENDED = "open_ended", _("ไม่กำหนดระยะเวลาสิ้นสุด")
    UNSPECIFIED = "unspecified", _("ไม่ระบุ")
    UNIT_MISSING = "unit_missing", _("ไม่ระบุหน่วยเวลา")
    UNPARSED = "unparsed", _("แปลงไม่ได้ ต้องแก้ไข")


class Step(models.Model):
    """A step of the work flow. The duration keeps the original text and its structured value."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("ลำดับ"))
    label = models.CharField(_("เลขขั้นตอนตามต้นฉบับ"), max_length=20, blank=True)
    group = models.CharField(_("กิจกรรม"), max_length=500, blank=True)
    activity = models.TextField(_("ขั้นตอนการทำงาน"))
    sub_items = models.JSONField(_("รายการย่อย"), default=list, blank=True)
    duration_text = models.CharField(_("ระยะเวลา"), max_length=500, blank=True)
    duration = models.JSONField(_("ระยะเวลา (โครงสร้าง)"), default=dict, blank=True)
    duration_status = models.CharField(
        _("สถานะการแปลงระยะเวลา"),
        max_length=20,
        choices=DurationStatus.choices,
        default=DurationStatus.UNSPECIFIED,
        db_index=True,
    )
    units_text = models.TextField(_("หน่วยงานที่เกี่ยวข้อง"), blank=True)
    related_units = models.ManyToManyField(
        Unit, verbose_name=_("หน่วยงานที่เกี่ยวข้อง (อ้างอิง)"), blank=True, related_name="steps"
    )
    output = models.TextField(_("ผลผลิต (Output)"), blank=True)
    is_optional = models.BooleanField(_("ทำเมื่อมี (ถ้ามี)"), default=False)
    condition = models.CharField(_("เงื่อนไข (กรณี…)"), max_length=300, blank=True)
    # Outcomes an officer can choose when completing the step; one may send the case back,
    # e.g. [{"label": "ไม่เห็นชอบ", "return_to": 1}]. Empty means a plain "done".
    outcomes = models.JSONField(_("ผลการดำเนินการที่เลือกได้"), default=list, blank=True)

    class Meta:
        ordering = ["process", "order"]
        verbose_name = _("ขั้นตอน")
        verbose_name_plural = _("ขั้นตอน")
        constraints = [
            models.UniqueConstraint(fields=["process", "order"], name="step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.label or self.order}. {self.activity[:60]}"


class ControlKind(models.TextChoices):
    CONTROL = "control", _("จุดควบคุม")
    RISK = "risk", _("ความเสี่ยง")


class StepControl(models.Model):
    """A control point or a risk of a step (two kinds, kept apart)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="controls")
    kind = models.CharField(_("ประเภท"), max_length=10, choices=ControlKind.choices)
    text = models.TextField(_("รายละเอียด"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["step", "kind", "sort_order"]
        verbose_name = _("จุดควบคุม/ความเสี่ยง")
        verbose_name_plural = _("จุดควบคุม/ความเสี่ยง")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class OwnerKind(models.TextChoices):
    MAIN = "main", _("ผู้รับผิดชอบหลัก")
    SUPPORTING = "supporting", _("ผู้สนับสนุนการปฏิบัติงาน")


class Owner(models.Model):
    """An owner of the process, as a position (never a named person in demo data)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="owners")
    kind = models.CharField(_("ประเภท"), max_length=12, choices=OwnerKind.choices)
    position = models.ForeignKey(
        Position,
        verbose_name=_("ตำแหน่ง"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_processes",
    )
    title = models.CharField(_("ตำแหน่ง (ข้อความ)"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "kind", "sort_order"]
        verbose_name = _("ผู้รับผิดชอบกระบวนงาน")
        verbose_name_plural = _("ผู้รับผิดชอบกระบวนงาน")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.position or self.title}"


class ImprovementEntry(TimeStampedModel):
    """A row of the yearly improvement summary: the flags are computed or, with no earlier
    version in the system, recorded from the source document; the explanation is editable."""

    manual = models.ForeignKey(Manual, on_delete=models.CASCADE, related_name="improvements")
    process_code = models.SlugField(_("รหัสกระบวนงาน"), max_length=20)
    process_name = models.CharField(_("กระบวนงาน"), max_length=500)
    responsible_unit_text = models.CharField(_("กลุ่ม/ฝ่ายที่รับผิดชอบ"), max_length=255, blank=True)
    details_changed = models.BooleanField(_("ปรับปรุงรายละเอียด"), default=False)
    technology_added = models.BooleanField(_("เพิ่มเทคโนโลยี/นวัตกรรม"), default=False)
    process_added = models.BooleanField(_("เพิ่มกระบวนงาน"), default=False)
    process_cut = models.BooleanField(_("ตัดกระบวนงาน"), default=False)
    explanation = models.TextField(_("รายละเอียดการปรับปรุง"), blank=True)
    recorded = models.BooleanField(_("บันทึกจากเอกสารต้นฉบับ"), default=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["manual", "sort_order"]
        verbose_name = _("สรุปการปรับปรุงกระบวนงาน")
        verbose_name_plural = _("สรุปการปรับปรุงกระบวนงาน")
        constraints = [
            models.UniqueConstraint(
                fields=["manual", "process_code"], name="improvement_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.manual.fiscal_year} {self.process_name}"
