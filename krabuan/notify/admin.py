from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from krabuan.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: rows change only through delivery and the outbox page's retry (audited)."""

    list_display = ["created_at", "user", "channel", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["subject", "user__username", "recipient", "dedupe_key"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
