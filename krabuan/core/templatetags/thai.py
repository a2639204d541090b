"""Template filters for Buddhist-era dates and the user's digit style."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from krabuan.core import thai
from krabuan.core.display import thai_digits_enabled

register = template.Library()


@register.filter
def thaidate(value: dt.date | dt.datetime | None) -> str:
    """'21 พฤศจิกายน 2569'."""
    return thai.format_date(value, thai_digits=thai_digits_enabled())


@register.filter
def thaidate_short(value: dt.date | dt.datetime | None) -> str:
    """'21 พ.ย. 69'."""
    return thai.format_date(value, short=True, thai_digits=thai_digits_enabled())


@register.filter
def thaidatetime(value: dt.datetime | None) -> str:
    return thai.format_datetime(value, short=True, thai_digits=thai_digits_enabled())


@register.filter
def digits(value: Any) -> str:
    """Show numbers in the user's digit style."""
    if value is None:
        return ""
    return thai.digits(str(value), thai=thai_digits_enabled())


@register.filter
def thaidigits(value: Any) -> str:
    """Always Thai digits (official documents)."""
    return "" if value is None else thai.to_thai_digits(str(value))
