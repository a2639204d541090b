"""The performance agreement (คำรับรองการปฏิบัติราชการ) as data: KPIs with weights, levels,
milestones, deductions and results; scores are computed from these rows (kpi/scoring.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krabuan.core.models import TimeStampedModel
from krabuan.org.models import Unit


class BelowFirstLevel(models.TextChoices):
    ZERO = "zero", _("ต่ำกว่าขั้นต้นได้ 0 คะแนน")
    EXTRAPOLATE = "extrapolate", _("ต่ำกว่าขั้นต้นคิดต่อเนื่องตามสัดส่วน (ไม่ต่ำกว่า 0)")


class Agreement(TimeStampedModel):
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("ชื่อคำรับรอง"), max_length=300)
    period_start = models.DateField(_("ระยะเวลาเริ่ม"))
    period_end = models.DateField(_("ระยะเวลาสิ้นสุด"))
    maker_position = models.CharField(_("ผู้ทำคำรับรอง (ตำแหน่ง)"), max_length=300, blank=True)
    maker_signed_on = models.DateField(_("วันที่ลงนาม (ผู้ทำคำรับรอง)"), null=True, blank=True)
    approver_position = models.CharField(_("ผู้รับคำรับรอง (ตำแหน่ง)"), max_length=300, blank=True)
    approver_signed_on = models.DateField(_("วันที่ลงนาม (ผู้รับคำรับรอง)"), null=True, blank=True)
    below_first_level = models.CharField(
        _("กติกาเมื่อผลต่ำกว่าขั้นต้น"),
        max_length=12,
        choices=BelowFirstLevel.choices,
        default=BelowFirstLevel.ZERO,
    )
    notes = models.TextField(_("หมายเหตุ"), blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["-fiscal_year", "unit__sort_order"]
        verbose_name = _("คำรับรองการปฏิบัติราชการ")
        verbose_name_plural = _("คำรับรองการปฏิบัติราชการ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="agreement_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ปีงบประมาณ พ.ศ. {self.fiscal_year}"


class AssessmentGroup(models.Model):
    """A part of the assessment frame (Performance Base 70 %, Potential Base 30 %)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(max_length=30)
    name = models.CharField(_("องค์ประกอบการประเมิน"), max_length=200)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=6, decimal_places=2)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="group_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Method(models.TextChoices):
    INTERPOLATION = "interpolation", _("เทียบเกณฑ์ ๓ ระดับ (ประมาณค่าเชิงเส้น)")
    DIRECT = "direct", _("ผลการดำเนินงาน = คะแนน")
    DELIVERABLES = "deliverables", _("คะแนนตามผลผลิตที่ส่งมอบ")
    SHARED = "shared", _("รับค่าคะแนนร่วมของหน่วยงาน")


class Direction(models.TextChoices):
    RISING = "rising", _("ค่ายิ่งมากยิ่งดี")
    FALLING = "falling", _("ค่ายิ่งน้อยยิ่งดี")


class KpiKind(models.TextChoices):
    NEW = "new", _("ตัวชี้วัดใหม่")
    CONTINUING = "continuing", _("ตัวชี้วัดต่อเนื่อง")


class Kpi(TimeStampedModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="kpis")
    # RESTRICT, not PROTECT: deleting an agreement cascades to both its groups and its KPIs.
    group = models.ForeignKey(AssessmentGroup, on_delete=models.RESTRICT, related_name="kpis")
    number = models.PositiveIntegerField(_("ตัวชี้วัดที่"))
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=500)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=6, decimal_places=2)
    kind = models.CharField(
        _("ประเภท"), max_length=12, choices=KpiKind.choices, default=KpiKind.CONTINUING
    )
    unit_label = models.CharField(_("หน่วยวัด"), max_length=50, blank=True)
    definition = models.TextField(_("คำอธิบาย/นิยาม"), blank=True)
    notes = models.TextField(_("หมายเหตุ"), blank=True)
    data_source = models.TextField(_("แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล"), blank=True)
    responsible = models.TextField(_("ผู้กำกับ/ผู้จัดเก็บข้อมูล (ตำแหน่ง)"), blank=True)
    method = models.CharField(_("วิธีคิดคะแนน"), max_length=15, choices=Method.choices)
    direction = models.CharField(
        _("ทิศทาง"), max_length=8, choices=Direction.choices, default=Direction.RISING
    )
    level_basic = models.DecimalField(
        _("ขั้นต้น (50)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    level_standard = models.DecimalField(
        _("มาตรฐาน (75)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    level_advanced = models.DecimalField(
        _("ขั้นสูง (100)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    levels_text = models.TextField(_("ค่าเป้าหมายตามต้นฉบับ"), blank=True)
    # When the source states two rules (e.g. KPI 3), the one not used is kept here with a note.
    method_note = models.TextField(_("หมายเหตุวิธีคิดคะแนน"), blank=True)
    alternative_rule = models.JSONField(_("กติกาอีกแบบที่ปรากฏในต้นฉบับ"), default=dict, blank=True)
    best_of_rounds = models.BooleanField(_("ใช้ค่าที่ดีที่สุดของทุกรอบ"), default=False)
    deduction_points = models.DecimalField(
        _("คะแนนที่หักเมื่อไม่บรรลุขั้นตอนตามรอบ"), max_digits=6, decimal_places=2, default=0
    )
    deduction_rule = models.TextField(_("เงื่อนไขการหักคะแนน"), blank=True)
    evidence_required = models.BooleanField(_("ต้องแนบหลักฐาน"), default=True)
    live_source = models.CharField(_("แหล่งข้อมูลอัตโนมัติ"), max_length=100, blank=True)
    live_params = models.JSONField(_("พารามิเตอร์แหล่งข้อมูลอัตโนมัติ"), default=dict, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="kpi_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class KpiBaseline(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="baselines")
    year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    value = models.DecimalField(_("ค่า"), max_digits=12, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("ข้อความตามต้นฉบับ"), max_length=300, blank=True)

    class Meta:
        ordering = ["kpi", "year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="baseline_unique")]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.year}: {self.value}"


class KpiRoadmap(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="roadmap")
    year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    value = models.DecimalField(
        _("ค่าเป้าหมาย"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    text = models.CharField(_("ข้อความตามต้นฉบับ"), max_length=300, blank=True)

    class Meta:
        ordering = ["kpi", "year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="roadmap_unique")]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.year}: {self.value or self.text}"


class Round(models.TextChoices):
    SIX = "6m", _("รอบ ๖ เดือน")
    NINE = "9m", _("รอบ ๙ เดือน")
    TWELVE = "12m", _("รอบ ๑๒ เดือน")


class Milestone(models.Model):
    """What a KPI must reach by a round, with its deliverables and the steps to get there."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="milestones")
    round = models.CharField(_("รอบ"), max_length=3, choices=Round.choices)
    target_text = models.TextField(_("เป้าหมาย/ผลผลิตของรอบ"), blank=True)
    target_value = models.DecimalField(
        _("ค่าเป้าหมายของรอบ"), max_digits=12, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["kpi", "round"]
        constraints = [models.UniqueConstraint(fields=["kpi", "round"], name="milestone_unique")]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.round}"


class MilestoneStep(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="steps")
    text = models.TextField(_("ขั้นตอน/ผลผลิต"))
    due_on = models.DateField(_("กำหนดเสร็จ"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["milestone", "sort_order"]

    def __str__(self) -> str:
        return self.text[:60]


class Deliverable(models.Model):
    """For deliverable-points KPIs: what each level needs. `points` null means a condition that
    must hold for the level to count (e.g. every dataset has all 14 metadata items)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="deliverables")
    level = models.PositiveSmallIntegerField(
        _("ระดับคะแนน"), choices=[(50, "50"), (75, "75"), (100, "100")]
    )
    text = models.TextField(_("ผลผลิต/เงื่อนไข"))
    points = models.DecimalField(_("คะแนน"), max_digits=6, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kpi", "level", "sort_order"]

    def __str__(self) -> str:
        return f"{self.level}: {self.text[:50]}"


class KpiResult(TimeStampedModel):
    """A result of a KPI for a round ("6m", "9m", "12m") or a month ("2566-03")."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="results")
    round = models.CharField(_("รอบ/เดือน"), max_length=7)
    value = models.DecimalField(
        _("ผลการดำเนินงาน"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    deliverables_done = models.ManyToManyField(Deliverable, blank=True, related_name="results")
    milestone_steps_done = models.ManyToManyField(MilestoneStep, blank=True, related_name="results")
    note = models.TextField(_("หมายเหตุ"), blank=True)
    evidence = models.FileField(_("หลักฐาน"), upload_to="kpi/%Y/", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kpi", "round"]
        verbose_name = _("ผลการดำเนินงานตามตัวชี้วัด")
        verbose_name_plural = _("ผลการดำเนินงานตามตัวชี้วัด")
        constraints = [models.UniqueConstraint(fields=["kpi", "round"], name="result_unique")]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.round}: {self.value}"
