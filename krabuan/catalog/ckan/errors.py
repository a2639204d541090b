"""The CKAN Action API's error types, and how the platform's errors map onto them.

ckanapi turns `error.__type` back into exceptions, so the strings and statuses here are part of
the contract (catalog.md §d): Authorization Error 403, Not Found Error 404, Validation Error 409,
Search Query Error 400, Search Error 409, Integrity Error 400."""

from __future__ import annotations

from typing import Any

from django.db import DataError, IntegrityError

from krabuan.catalog.search.parser import SearchQueryError
from krabuan.core.errors import ApplicationError, NotFound, PermissionDenied


class ActionError(Exception):
    """An action refused; `body()` is the `error` object of the envelope."""

    status = 400
    type_name = ""

    def body(self) -> dict[str, Any]:
        # Subclasses add CKAN's message prefixes and extra keys; this is the plain shape.
        return {"__type": self.type_name, "message": str(self)}


class NotAuthorized(ActionError):
    status = 403
    type_name = "Authorization Error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        message = "Access denied" + (f": {self.detail}" if self.detail else "")
        return {"__type": self.type_name, "message": message}


class ObjectNotFound(ActionError):
    status = 404
    type_name = "Not Found Error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        message = "Not found" + (f": {self.detail}" if self.detail else "")
        return {"__type": self.type_name, "message": message}


class ValidationFailed(ActionError):
    """CKAN's ValidationError: the error object is the field→[messages] dict plus `__type`."""

    status = 409
    type_name = "Validation Error"

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.type_name}


def field_invalid(field: str, message: str) -> ValidationFailed:
    """A Validation Error about one parameter."""
    return ValidationFailed({field: [message]})


class SearchQueryFailed(ActionError):
    status = 400
    type_name = "Search Query Error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search Query is invalid: {self.detail}"}


class SearchFailed(ActionError):
    status = 409
    type_name = "Search Error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search error: {self.detail}"}


class IntegrityFailed(ActionError):
    """CKAN's DataError: the request's structure is wrong (e.g. a string where a list of dicts
    belongs). Like CKAN, the error carries the request data back."""

    status = 400
    type_name = "Integrity Error"

    def __init__(self, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": self.message, "data": self.data}


def from_application_error(exc: ApplicationError) -> ActionError:
    """The CKAN error for a refused use case of the platform's services and selectors."""
    if isinstance(exc, NotFound):
        return ObjectNotFound(exc.message)
    if isinstance(exc, PermissionDenied):
        return NotAuthorized(exc.message)
    if isinstance(exc, SearchQueryError):
        return SearchQueryFailed(exc.message)
    errors: dict[str, Any] = {k: list(v) for k, v in exc.fields.items()}
    if not errors:
        # CKAN's ValidationError("text") answers {"message": "text"}; keep that shape.
        errors = {"message": exc.message}
    return ValidationFailed(errors)


def from_database_error(exc: IntegrityError | DataError, data: Any) -> ActionError:
    """A constraint or a column size the validation did not catch (e.g. two writers racing for
    one name): CKAN answers such data errors with an Integrity Error."""
    if isinstance(exc, IntegrityError):
        return IntegrityFailed("ข้อมูลขัดกับข้อมูลที่มีอยู่แล้ว (ซ้ำหรืออ้างอิงไม่ถูกต้อง)", data)
    return IntegrityFailed("ข้อมูลบางช่องยาวหรือมีรูปแบบเกินกว่าที่จัดเก็บได้", data)
