"""Base models and the audit trail shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who changed what and when, with before/after values; rows are never updated."""

    at = models.DateTimeField(_("เวลา"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดำเนินการ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("การกระทำ"), max_length=64)
    object_type = models.CharField(_("ประเภทข้อมูล"), max_length=100, db_index=True)
    object_id = models.CharField(_("รหัสข้อมูล"), max_length=64, db_index=True)
    object_repr = models.CharField(_("ข้อมูล"), max_length=300, blank=True)
    changes = models.JSONField(_("การเปลี่ยนแปลง"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("บันทึกการเปลี่ยนแปลง")
        verbose_name_plural = _("บันทึกการเปลี่ยนแปลง")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังทำงาน")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")


class Job(models.Model):
    """A long job (an export, an import) run by the worker; the row is the progress the UI polls."""

    kind = models.CharField(_("ประเภทงาน"), max_length=50)
    title = models.CharField(_("ชื่องาน"), max_length=255)
    params = models.JSONField(_("พารามิเตอร์"), default=dict, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (%)"), default=0)
    message = models.CharField(_("ข้อความ"), max_length=255, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    result_file = models.FileField(_("ไฟล์ผลลัพธ์"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้สั่งงาน"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("สั่งเมื่อ"), auto_now_add=True)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
