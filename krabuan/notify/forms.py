"""Forms of the notification pages: the outbox filters and the LINE test message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krabuan.notify.models import Channel, Status
from krabuan.org.forms import ThaiForm


class OutboxFilterForm(ThaiForm):
    """The outbox's search and filters, read from the query string."""

    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("สถานะ"), required=False, choices=[("", _("ทุกสถานะ")), *Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("ช่องทาง"), required=False, choices=[("", _("ทุกช่องทาง")), *Channel.choices]
    )

    def value(self, name: str) -> str:
        """A filter's value when valid; an invalid one is ignored rather than failing the page."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


class LineTestForm(ThaiForm):
    line_user_id = forms.CharField(
        label=_("LINE user ID ผู้รับ"),
        max_length=64,
        help_text=_("ขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว (ดูได้จากหน้า การตั้งค่าส่วนตัว ของผู้รับ)"),
    )
