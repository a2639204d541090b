"""File storage that keeps Thai file names readable.

Django's get_valid_filename drops every character that is not a "word" character; Thai vowel
and tone marks are combining marks, so "เบิกจ่าย.pdf" would be stored as "เบกจาย.pdf"."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, InMemoryStorage

_UNSAFE = re.compile(r"[^-\w.\u0e00-\u0e7f]")


def thai_valid_name(name: str) -> str:
    """Like Django's get_valid_filename, but Thai letters with their marks are kept."""
    cleaned = _UNSAFE.sub("", unicodedata.normalize("NFC", str(name)).strip().replace(" ", "_"))
    if cleaned in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from '{name}'")
    return cleaned


class ThaiFileSystemStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        return thai_valid_name(name)


class ThaiInMemoryStorage(InMemoryStorage):
    def get_valid_name(self, name: str) -> str:
        return thai_valid_name(name)
