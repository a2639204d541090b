"""Units, positions, people's roles, preferences, fiscal years and calendar overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krabuan.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("กระทรวง")
    OFFICE = "office", _("สำนักงาน")
    DIVISION = "division", _("สำนัก/กอง/ศูนย์")
    GROUP = "group", _("กลุ่ม/ฝ่าย")
    EXTERNAL = "external", _("หน่วยงาน/คณะกรรมการภายนอก")


class Unit(TimeStampedModel):
    """A node of the organisation tree, or an outside body that steps name."""

    code = models.SlugField(_("รหัส"), max_length=40, unique=True)
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=100, blank=True)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=255, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_external(self) -> bool:
        return self.kind == UnitKind.EXTERNAL


class Role(models.TextChoices):
    DIRECTOR = "director", _("ผู้อำนวยการ")
    GROUP_HEAD = "group_head", _("หัวหน้ากลุ่ม/ฝ่าย")
    OFFICER = "officer", _("เจ้าหน้าที่")
    REQUESTER = "requester", _("ผู้ขอรับบริการ")
    DPO = "dpo", _("เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)")
    AUDITOR = "auditor", _("ผู้ตรวจสอบ (อ่านอย่างเดียว)")
    ADMIN = "admin", _("ผู้ดูแลระบบ")


class Position(TimeStampedModel):
    """A post in a unit (owners of processes are positions, not named people)."""

    title = models.CharField(_("ตำแหน่ง"), max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["unit__sort_order", "sort_order", "title"]
        verbose_name = _("ตำแหน่ง")
        verbose_name_plural = _("ตำแหน่ง")
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="position_unique_in_unit")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.unit})"


class Membership(TimeStampedModel):
    """A user holds a role in a unit, optionally through a position."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    position = models.ForeignKey(
        Position,
        verbose_name=_("ตำแหน่ง"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("บทบาทในหน่วยงาน")
        verbose_name_plural = _("บทบาทในหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.unit})"


class Language(models.TextChoices):
    TH = "th", "ไทย"
    EN = "en", "English"


class Preference(models.Model):
    """Per-user display and notification choices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("ภาษา"), max_length=5, choices=Language.choices, default=Language.TH
    )
    thai_digits = models.BooleanField(_("แสดงเลขไทย"), default=False)
    notify_in_app = models.BooleanField(_("แจ้งเตือนในระบบ"), default=True)
    notify_email = models.BooleanField(_("แจ้งเตือนทางอีเมล"), default=True)
    notify_line = models.BooleanField(_("แจ้งเตือนทาง LINE"), default=False)
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("การตั้งค่าส่วนตัว")
        verbose_name_plural = _("การตั้งค่าส่วนตัว")

    def __str__(self) -> str:
        return f"prefs:{self.user_id}"


class FiscalYear(models.Model):
    """A Buddhist-era fiscal year, 1 Oct – 30 Sep, named by the BE year it ends in."""

    year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    starts_on = models.DateField(_("วันเริ่ม"))
    ends_on = models.DateField(_("วันสิ้นสุด"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("เพิ่มวันหยุด")
    WORKING_DAY = "working_day", _("ยกเลิกวันหยุด (เป็นวันทำการ)")


class CalendarOverride(TimeStampedModel):
    """An administrator's change to the holiday list: a late cabinet day off, or a workday."""

    date = models.DateField(_("วันที่"), unique=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(_("ชื่อวัน/เหตุผล"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("วันหยุดที่กำหนดเพิ่ม/ยกเลิก")
        verbose_name_plural = _("วันหยุดที่กำหนดเพิ่ม/ยกเลิก")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
