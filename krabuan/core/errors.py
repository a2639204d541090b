"""One error base for every app; the API and the views turn it into one shape."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refused use case: stable `code`, Thai `message`, optional per-field messages."""

    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}


class NotFound(ApplicationError):
    """Missing and forbidden look the same to the caller."""

    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403


class Conflict(ApplicationError):
    code = "conflict"
    status = 409


def field_error(field: str, message: str, *, code: str = "invalid") -> ApplicationError:
    """A validation error that names the field it is about."""
    return ApplicationError(message, code=code, fields={field: [message]})
