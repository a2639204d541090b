"""Password strength checks with Thai messages (Django ships no Thai text for its validators)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

# Django's validator error codes → Thai; unknown codes keep Django's own message.
_THAI: dict[str, str] = {
    "password_too_short": "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย {min_length} ตัวอักษร",
    "password_too_similar": "รหัสผ่านคล้ายกับชื่อผู้ใช้ ชื่อ หรืออีเมลมากเกินไป",
    "password_too_common": "รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น",
    "password_entirely_numeric": "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด",
}


def password_problems(*, password: str, user: Any = None) -> list[str]:
    """Thai messages for every configured validator the password fails; empty when it passes."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = []
        for error in exc.error_list:
            template = _THAI.get(error.code or "")
            if template is None:
                messages.extend(error.messages)
            else:
                messages.append(template.format(**(error.params or {})))
        return messages
    return []


def password_help_text() -> str:
    """The rules a new password must follow, in Thai, for forms."""
    min_length = next(
        (
            v.min_length
            for v in password_validation.get_default_password_validators()
            if isinstance(v, password_validation.MinimumLengthValidator)
        ),
        None,
    )
    rules = "ไม่เป็นตัวเลขทั้งหมด ไม่ใช่รหัสผ่านที่ใช้กันทั่วไป และไม่คล้ายกับชื่อผู้ใช้หรืออีเมล"
    if min_length:
        return f"รหัสผ่านต้องมีอย่างน้อย {min_length} ตัวอักษร {rules}"
    return f"รหัสผ่าน{rules}"
