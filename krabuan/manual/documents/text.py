"""Text clean-up shared by every printed document and the flowchart."""

from __future__ import annotations

import re
from typing import Any

# thai(): printable text (no characters XML 1.0 forbids, which every writer rejects) in Thai
# digits, as official documents are written.
from krabuan.core.documents import thai_text as thai

_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"(?i)</p>|<br\s*/?>")
# A numbered item ("๒. ...", "3.ข้อ") after a space starts a new line; decimals ("๓.๕") and
# years ("พ.ศ. ๒๕๖๒") do not match.
_NUMBERED_ITEM = re.compile(r"(?<=\S)[ \t]+(?=[0-9๐-๙]{1,2}\.[ ]?[^\s0-9๐-๙.])")


def lines(value: Any, *, split_items: bool = False) -> list[str]:
    """Non-empty lines of a text; paragraph tags left by the Word import count as line breaks,
    and with `split_items` each numbered item starts its own line."""
    text = thai(value)
    if "<" in text:
        text = _TAGS.sub("", _BREAKS.sub("\n", text))
    if split_items:
        text = _NUMBERED_ITEM.sub("\n", text)
    return [line.strip() for line in text.split("\n") if line.strip()]
