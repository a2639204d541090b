"""Small display helpers shared by the workflow pages, charts and CSV exports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from krabuan.core.display import thai_digits_enabled
from krabuan.core.thai import digits


def format_seconds(seconds: float | int | None, *, thai_digits: bool | None = None) -> str:
    """A span of time in days, hours and minutes (the two largest parts): '2 วัน 3 ชม.'."""
    if seconds is None:
        return ""
    total = int(abs(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)s วัน") % {"n": days})
    if hours:
        parts.append(_("%(n)s ชม.") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)s นาที") % {"n": minutes})
    text = " ".join(parts[:2]) if parts else _("น้อยกว่า 1 นาที")
    use_thai = thai_digits_enabled() if thai_digits is None else thai_digits
    return digits(text, thai=use_thai)
