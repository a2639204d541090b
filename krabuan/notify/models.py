"""The notification outbox: one row per message per channel; the worker delivers the rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("ในระบบ")
    EMAIL = "email", _("อีเมล")
    LINE = "line", "LINE"


class Status(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class Notification(models.Model):
    """One message to one user on one channel; the row is the truth, the queue only works it off.

    In-app rows are the inbox (sent at once, `read_at` marks them read); email and LINE rows are
    claimed by a worker with a lease, so a crashed worker's rows are taken over when it expires.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices)
    # The address at queuing time (email or LINE user id); empty for in-app rows.
    recipient = models.CharField(_("ส่งถึง"), max_length=254, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=50, default="general")
    subject = models.CharField(_("เรื่อง"), max_length=255)
    body = models.TextField(_("ข้อความ"), blank=True)
    link = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("รหัสกันซ้ำ"), max_length=200)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("ส่งครั้งถัดไป"), default=timezone.now)
    lease_until = models.DateTimeField(_("จองไว้ถึง"), null=True, blank=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "dedupe_key"], name="notification_unique_per_channel"
            )
        ]
        indexes = [
            # The worker's query: what is due, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="notify_due_idx"),
            # The inbox and its unread badge.
            models.Index(fields=["user", "channel", "read_at"], name="notify_inbox_idx"),
            models.Index(fields=["user", "channel", "-created_at"], name="notify_inbox_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.user}: {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
