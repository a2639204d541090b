"""Transport of the CKAN Action API (S5 `ckan/views/api.py`): request data, envelope, JSONP.

GET takes query parameters (side-effect-free actions only), POST a JSON body, a form or a
multipart upload. Every answer is JSON (or JSONP on a successful GET) and never a redirect,
since ckanapi does not follow redirects."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from krabuan.catalog.ckan import autocomplete
from krabuan.catalog.ckan.auth import request_user
from krabuan.catalog.ckan.errors import (
    ActionError,
    NotAuthorized,
    from_application_error,
    from_database_error,
)
from krabuan.catalog.ckan.registry import ActionContext, ActionSpec, action_get
from krabuan.core.errors import ApplicationError

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "json": "application/json;charset=utf-8",
    "javascript": "application/javascript;charset=utf-8",
}
# A JavaScript identifier path (fn, jQuery123_456, ns.fn): anything else could inject script.
CALLBACK_RE = re.compile(r"[A-Za-z_$][\w$]{0,99}(?:\.[A-Za-z_$][\w$]{0,99}){0,4}", re.ASCII)
READ_METHODS = ("GET", "HEAD")


class _BadRequest(Exception):
    """CKAN's `_finish_bad_request`: a bare JSON string "Bad request - <detail>", status 400."""


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)


def _callback(request: HttpRequest) -> str | None:
    if request.method not in READ_METHODS or "callback" not in request.GET:
        return None
    callback = request.GET.get("callback", "")
    if not CALLBACK_RE.fullmatch(callback):
        raise _BadRequest("JSONP callback ต้องเป็นชื่อฟังก์ชัน JavaScript (ตัวอักษร ตัวเลข _ $ .)")
    return callback


def _finish(status: int, data: Any, callback: str | None = None) -> HttpResponse:
    body = _dumps(data)
    content_type = CONTENT_TYPES["json"]
    if callback and status == 200:
        # JSONP only on success, as CKAN does.
        body = f"{callback}({body});"
        content_type = CONTENT_TYPES["javascript"]
    return HttpResponse(body, status=status, content_type=content_type)


def _bad_request(detail: str) -> HttpResponse:
    return _finish(400, f"Bad request - {detail}")


def _mixed(query: QueryDict) -> dict[str, Any]:
    """CKAN's `mixed`: a repeated key becomes a list, a single one stays a string."""
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_dict(raw: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise _BadRequest(f"JSON Error: Error decoding JSON data. Error: {exc}") from None
    if not isinstance(data, dict):
        raise _BadRequest(
            f"JSON Error: Request data JSON decoded to {data!r:.100} but it needs to be a "
            "dictionary."
        )
    return data


def _has_nul(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


def _request_data(request: HttpRequest, spec: ActionSpec) -> dict[str, Any]:
    """The action's data_dict, read as CKAN's `_get_request_data` does; no text may hold a NUL
    character (PostgreSQL refuses them deep inside a query)."""
    data = _read_request_data(request, spec)
    if _has_nul(data):
        raise _BadRequest("JSON Error: ข้อมูลในคำขอมีอักขระที่ไม่อนุญาต (NUL)")
    return data


def _read_request_data(request: HttpRequest, spec: ActionSpec) -> dict[str, Any]:
    if request.method in READ_METHODS:
        if not spec.side_effect_free:
            raise _BadRequest(
                "JSON Error: Invalid request. Please use POST method for your request"
            )
        return _mixed(request.GET)
    try:
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            return _form_data(request)
        body = request.body
    except (MultiPartParserError, SuspiciousOperation, BadRequest, OSError) as exc:
        if isinstance(exc, RequestDataTooBig):
            raise _BadRequest("JSON Error: คำขอมีขนาดใหญ่เกินกำหนด") from None
        raise _BadRequest(f"JSON Error: อ่านข้อมูลในคำขอไม่ได้ ({exc})") from None
    if not body.strip():
        return {}
    return _json_dict(body)


def _form_data(request: HttpRequest) -> dict[str, Any]:
    form = request.POST
    values = [value for _key, vals in form.lists() for value in vals]
    data: dict[str, Any]
    if len(values) == 1 and values[0] in ("1", "") and not request.FILES:
        # `curl -d '{"id": "x"}'` posts the JSON as a form key with an empty value.
        data = _json_dict(next(iter(form.keys())))
    else:
        data = _mixed(form)
    for field_name, upload in request.FILES.items():
        data[field_name] = upload
    return data


def _help_url(request: HttpRequest, name: str, version: int) -> str:
    base = request.build_absolute_uri(f"/api/{version}/action/help_show")
    return f"{base}?name={quote(name, safe='')}"


def _resolve_user(request: HttpRequest, *, jsonp: bool) -> AbstractBaseUser | AnonymousUser:
    # CKAN runs a JSONP call as anonymous: a third-party page must not read what the visitor's
    # session could see.
    return AnonymousUser() if jsonp else request_user(request)


def _run(request: HttpRequest, name: str, version: int) -> HttpResponse:
    spec = action_get(name)
    if spec is None:
        return _bad_request(f"Action name not known: {name}")
    envelope: dict[str, Any] = {"help": _help_url(request, name, version)}
    try:
        callback = _callback(request)
        data = _request_data(request, spec)
    except _BadRequest as exc:
        return _bad_request(str(exc))
    jsonp = "callback" in data
    data.pop("callback", None)
    try:
        ctx = ActionContext(
            request=request, user=_resolve_user(request, jsonp=jsonp), api_version=version
        )
        # One transaction per call: a refused write leaves nothing behind, a database error
        # rolls back cleanly, and a search's count and page come from one snapshot.
        with transaction.atomic():
            result = spec.func(ctx, data)
    except ActionError as exc:
        return _error(envelope, exc)
    except ApplicationError as exc:
        return _error(envelope, from_application_error(exc))
    except (IntegrityError, DataError) as exc:
        log.info("CKAN action %s refused by the database: %s", name, exc)
        return _error(envelope, from_database_error(exc, _echo(data)))
    except Exception:
        log.exception("CKAN action %s failed", name)
        envelope |= {
            "success": False,
            "error": {"__type": "Internal Server Error", "message": "Internal Server Error"},
        }
        return _finish(500, envelope)
    envelope |= {"success": True, "result": result}
    return _finish(200, envelope, callback)


def _echo(data: dict[str, Any]) -> dict[str, Any]:
    """The request data as the Integrity Error carries it back (uploads by their file name)."""
    return {k: getattr(v, "name", v) if hasattr(v, "read") else v for k, v in data.items()}


def _error(envelope: dict[str, Any], exc: ActionError) -> HttpResponse:
    return _finish(exc.status, envelope | {"success": False, "error": exc.body()})


@csrf_exempt
def action_view(request: HttpRequest, name: str = "", version: str = "3") -> HttpResponse:
    """`/api/3/action/<name>` and `/api/action/<name>`: run one CKAN action."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return _run(request, name, int(version))


@csrf_exempt
def version_view(request: HttpRequest, version: str = "1") -> HttpResponse:
    """`/api` and `/api/<n>`: the API version, as CKAN's `get_api` (bare `/api` answers 1)."""
    try:
        callback = _callback(request)
    except _BadRequest as exc:
        return _bad_request(str(exc))
    return _finish(200, {"version": int(version)}, callback)


Finder = Callable[..., Any]


def _util(request: HttpRequest, param: str, default_limit: int, answer: Finder) -> HttpResponse:
    """A util-API look-up: `answer(user=, text=, limit=)` with the text from `param`."""
    try:
        callback = _callback(request)
        user = _resolve_user(request, jsonp=callback is not None)
    except _BadRequest as exc:
        return _bad_request(str(exc))
    except NotAuthorized as exc:
        return _finish(exc.status, {"success": False, "error": exc.body()})
    text = request.GET.get(param, "").strip()
    limit = autocomplete.limit_from(request.GET.get("limit"), default_limit)
    return _finish(200, answer(user=user, text=text, limit=limit), callback)


def _result_set(label: str, finder: Finder) -> Finder:
    def answer(*, user: Any, text: str, limit: int) -> dict[str, Any]:
        names = finder(user=user, incomplete=text, limit=limit) if text else []
        return {"ResultSet": {"Result": [{label: n} for n in names]}}

    return answer


def _datasets(*, user: Any, text: str, limit: int) -> dict[str, Any]:
    found = autocomplete.datasets(user=user, q=text, limit=limit) if text else []
    return {"ResultSet": {"Result": found}}


@csrf_exempt
def tag_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """`/api/2/util/tag/autocomplete?incomplete=`: tags in use that contain the text."""
    return _util(request, "incomplete", 10, _result_set("Name", autocomplete.tags))


@csrf_exempt
def format_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """`/api/2/util/resource/format_autocomplete?incomplete=`: resource formats in use."""
    return _util(request, "incomplete", 5, _result_set("Format", autocomplete.formats))


@csrf_exempt
def dataset_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """`/api/2/util/dataset/autocomplete?incomplete=`: datasets by name or title."""
    return _util(request, "incomplete", 10, _datasets)


@csrf_exempt
def organization_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """`/api/2/util/organization/autocomplete?q=`: [{id, name, title}] of organizations."""
    return _util(request, "q", 20, autocomplete.organizations)


@csrf_exempt
def group_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """`/api/2/util/group/autocomplete?q=`: [{id, name, title}] of groups."""
    return _util(request, "q", 20, autocomplete.groups)
