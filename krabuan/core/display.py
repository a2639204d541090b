"""The current request's display choices (Thai digits), kept in a context variable."""

from __future__ import annotations

from contextvars import ContextVar, Token

_thai_digits: ContextVar[bool] = ContextVar("thai_digits", default=False)


def set_thai_digits(value: bool) -> Token[bool]:
    return _thai_digits.set(value)


def reset_thai_digits(token: Token[bool]) -> None:
    _thai_digits.reset(token)


def thai_digits_enabled() -> bool:
    return _thai_digits.get()
