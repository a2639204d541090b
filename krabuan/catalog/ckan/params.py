"""Parameter coercion for the Action API: GET sends strings, POST sends JSON types.

Bad values answer CKAN's Validation Error naming the parameter; unknown parameters are ignored
(ckanapi's `dump` passes include_private/include_drafts to actions that do not take them)."""

from __future__ import annotations

import json
from typing import Any

from krabuan.catalog.ckan.errors import field_invalid
from krabuan.core.thai import to_arabic_digits

_TRUE = {"true", "yes", "on", "y", "t", "1"}
_FALSE = {"false", "no", "off", "n", "f", "0", ""}
# Larger numbers would overflow the database's integer types in LIMIT/OFFSET.
MAX_INT = 2**31 - 1
# CKAN's `ckan.search.rows_max`: larger `rows` are clamped silently; no answer carries more
# full dataset dicts than this.
ROWS_MAX = 1000


def as_bool(data: dict[str, Any], key: str, default: bool = False) -> bool:
    """CKAN's asbool: true/yes/on/1 and false/no/off/0, in any case."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise field_invalid(key, f"ค่าของ {key} ต้องเป็นจริงหรือเท็จ (true/false)")


def as_int(
    data: dict[str, Any],
    key: str,
    default: int | None,
    *,
    minimum: int = 0,
) -> int | None:
    """A whole number ≥ minimum (strings of digits accepted, as GET sends them)."""
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise field_invalid(key, f"ค่าของ {key} ต้องเป็นจำนวนเต็ม")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = to_arabic_digits(value.strip())  # Thai digits (๑๐) are numbers too
        if not text.lstrip("-").isdigit() or not text.isascii():
            raise field_invalid(key, f"ค่าของ {key} ต้องเป็นจำนวนเต็ม")
        value = int(text)
    if not isinstance(value, int):
        raise field_invalid(key, f"ค่าของ {key} ต้องเป็นจำนวนเต็ม")
    if value < minimum:
        raise field_invalid(key, f"ค่าของ {key} ต้องไม่น้อยกว่า {minimum}")
    return min(value, MAX_INT)


def as_str(data: dict[str, Any], key: str, default: str = "") -> str:
    """A text parameter; numbers are accepted as their text, lists and dicts are refused."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise field_invalid(key, f"ค่าของ {key} ต้องเป็นข้อความ")


def as_str_list(data: dict[str, Any], key: str) -> list[str]:
    """A list parameter: a JSON list, a repeated GET key, or one string."""
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise field_invalid(key, f"ค่าของ {key} ต้องเป็นรายการข้อความ")


def as_json_str_list(data: dict[str, Any], key: str) -> list[str]:
    """CKAN's `convert_to_json_if_string` + `list_of_strings`, as used by `facet.field`."""
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise field_invalid(key, f'ค่าของ {key} ต้องเป็นรายการ JSON เช่น ["tags"]') from None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise field_invalid(key, f"ค่าของ {key} ต้องเป็นรายการข้อความ")


def required_str(data: dict[str, Any], key: str) -> str:
    """A parameter the action cannot do without (CKAN's `get_or_bust`)."""
    value = as_str(data, key).strip()
    if not value:
        raise field_invalid(key, f"กรุณาระบุ {key} (Missing value)")
    return value
