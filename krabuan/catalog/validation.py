"""Validation of dataset and resource input against the thai_gdc schema.

Input is a CKAN package/resource dict (fields top level or in `extras`, booleans as "True"/"False",
multi-choice fields as lists or JSON-encoded list strings). Every problem is collected and raised
at once as an ApplicationError whose `fields` map each field to "<Thai label>: <problem>".
Nothing here writes; the services save the cleaned dict in one transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from krabuan.catalog import schema
from krabuan.catalog.models import Dataset, Group, Organization, Resource, State
from krabuan.catalog.validation_values import (
    Errors,
    clean_value,
    flatten_extras,
    is_empty,
    parse_bool,
    parse_iso_date,
    parse_list,
    text_of,
    url_validator,
)

__all__ = [
    "ALLOWED_UPLOAD_EXTENSIONS",
    "Errors",
    "clean_dataset",
    "clean_resource",
    "clean_upload",
    "flatten_extras",
    "parse_bool",
    "parse_iso_date",
    "parse_list",
]

SLUG_RE = re.compile(r"^[a-z0-9_-]{2,70}$")
MAX_TAG_LENGTH = 100
ALLOWED_UPLOAD_EXTENSIONS = frozenset(
    "csv tsv json geojson xml rdf ttl xlsx xls ods pdf doc docx zip txt shp kml png jpg".split()
)


def clean_fields(
    specs: tuple[schema.FieldSpec, ...],
    data: dict[str, Any],
    *,
    data_type: str | None,
    errors: Errors,
    skip: set[str],
) -> dict[str, Any]:
    """Clean every schema field of `data` (and its `*_other`); fields of other data types must
    be empty; required fields must be present."""
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.name in skip:
            continue
        value = data.get(spec.name)
        other = spec.other_field
        if not spec.applies_to(data_type):
            if data_type is None:
                continue  # the type itself is missing or wrong; that error is enough
            if not is_empty(value) and not (spec.kind == "bool" and value in (False, "False")):
                errors.add(
                    spec.name,
                    _("ไม่ใช้กับประเภทชุดข้อมูล “%(type)s”") % {"type": data_type or "-"},
                )
            continue
        if is_empty(value) or (spec.kind != "bool" and text_of(value) == ""):
            if spec.required:
                errors.add(spec.name, _("ต้องระบุ"))
            out[spec.name] = False if spec.kind == "bool" else [] if spec.kind == "multi" else ""
        else:
            out[spec.name] = clean_value(spec, value, errors)
        if other:
            chosen = out.get(spec.name)
            wants_other = chosen == spec.other_value or (
                isinstance(chosen, list) and spec.other_value in chosen
            )
            other_text = text_of(data.get(other))
            if wants_other and not other_text and spec.other_value == schema.OTHER:
                errors.add(other, _("เลือก “อื่นๆ” แล้วต้องระบุรายละเอียด"))
            out[other] = other_text if wants_other else ""
    return out


def clean_tags(data: dict[str, Any], errors: Errors) -> list[str]:
    """Tag names from `tags` [{name}] / list of strings, or `tag_string` "a,b"; Thai marks are
    fine (CKAN's own tag check rejects ข้าว; we do not copy that)."""
    raw = data.get("tags")
    names: list[str] = []
    if isinstance(raw, list | tuple):
        for item in raw:
            name = item.get("name") if isinstance(item, dict) else item
            names.append(text_of(name))
    elif isinstance(raw, str) and raw.strip():
        names.extend(text_of(part) for part in raw.split(","))
    elif is_empty(raw):
        tag_string = data.get("tag_string")
        if isinstance(tag_string, list | tuple):
            names.extend(text_of(part) for part in tag_string)
        elif tag_string:
            names.extend(text_of(part) for part in str(tag_string).split(","))
    else:
        errors.add("tag_string", _("ต้องเป็นรายการคำสำคัญ"))
        return []
    out: list[str] = []
    for name in names:
        if not name:
            continue
        if "," in name:
            errors.add("tag_string", _("“%(tag)s” มีเครื่องหมายจุลภาคไม่ได้") % {"tag": name})
        elif len(name) > MAX_TAG_LENGTH:
            errors.add("tag_string", _("แต่ละคำยาวได้ไม่เกิน 100 ตัวอักษร"))
        elif any(ord(c) < 32 for c in name):
            errors.add("tag_string", _("“%(tag)s” มีอักขระควบคุม") % {"tag": name})
        elif name not in out:
            out.append(name)
    if not out and "tag_string" not in errors.fields:
        errors.add("tag_string", _("ต้องระบุอย่างน้อย 1 คำ"))
    return out


def _clean_owner_org(value: Any, errors: Errors) -> Organization | None:
    if isinstance(value, Organization):
        return value
    key = text_of(value.get("id") or value.get("name") if isinstance(value, dict) else value)
    if not key:
        errors.add("owner_org", _("ต้องระบุ"))
        return None
    org = _org_or_group(Organization, key)
    if org is None or org.state != State.ACTIVE:
        errors.add("owner_org", _("ไม่พบหน่วยงาน “%(key)s”") % {"key": key})
        return None
    return org


def _org_or_group(model: Any, key: str) -> Any:
    """An organization or group by name, else by id; None when neither matches."""
    found = model.objects.filter(name=key).first()
    if found is None:
        try:
            found = model.objects.filter(pk=key).first()
        except (ValidationError, ValueError):
            return None
    return found


def _clean_groups(value: Any, errors: Errors) -> list[Group]:
    if is_empty(value):
        return []
    if not isinstance(value, list | tuple):
        errors.add("groups", _("ต้องเป็นรายการกลุ่ม"))
        return []
    out: list[Group] = []
    for item in value:
        key = text_of(
            (item.get("name") or item.get("id"))
            if isinstance(item, dict)
            else getattr(item, "name", item)
        )
        group = _org_or_group(Group, key) if key else None
        if group is None or group.state != State.ACTIVE:
            errors.add("groups", _("ไม่พบกลุ่ม “%(key)s”") % {"key": key})
        elif group not in out:
            out.append(group)
    return out


def _others(instance: Dataset | None) -> Any:
    qs = Dataset.objects.all()
    return qs.exclude(pk=instance.pk) if instance is not None and instance.pk else qs


def clean_name(value: Any, *, instance: Dataset | None, errors: Errors) -> str:
    """The slug: lower-case letters, digits, - and _, 2–70 characters, unique."""
    name = text_of(value)
    if not name:
        errors.add("name", _("ต้องระบุ"))
    elif len(name) > 70:
        errors.add("name", _("ยาวได้ไม่เกิน 70 ตัวอักษร"))
    elif not SLUG_RE.match(name):
        errors.add("name", _("ใช้ได้เฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข - และ _ (อย่างน้อย 2 ตัวอักษร)"))
    elif _others(instance).filter(name=name).exists():
        errors.add("name", _("“%(name)s” มีชุดข้อมูลอื่นใช้แล้ว") % {"name": name})
    return name


def _check_unique_title(title: str, *, instance: Dataset | None, errors: Errors) -> None:
    if not title:
        return
    others = _others(instance).exclude(state=State.DELETED)
    if others.filter(title__iexact=title).exists():
        errors.add("title", _("มีชุดข้อมูลอื่นใช้ชื่อนี้แล้ว"))


def clean_dataset(data: dict[str, Any], *, instance: Dataset | None) -> dict[str, Any]:
    """A full, cleaned dataset from a package dict: model columns, `type_fields`, `tags` (names),
    `groups` (Group objects), `owner_org`, `private`, `state` (when given) and `resources`
    (cleaned resource dicts, None when the key is absent). Raises ApplicationError."""
    data = flatten_extras(data)
    errors = Errors()
    data_type = text_of(data.get("data_type"))
    if data_type and data_type not in schema.DATA_TYPES:
        data_type_for_fields: str | None = None
    else:
        data_type_for_fields = data_type or None
    fields = clean_fields(
        schema.DATASET_FIELDS,
        data,
        data_type=data_type_for_fields,
        errors=errors,
        skip={"name", "owner_org", "tag_string"},
    )
    out: dict[str, Any] = {k: v for k, v in fields.items() if _is_column(k)}
    out["type_fields"] = {k: v for k, v in fields.items() if not _is_column(k)}
    out["name"] = clean_name(data.get("name"), instance=instance, errors=errors)
    out["owner_org"] = _clean_owner_org(data.get("owner_org"), errors)
    out["tags"] = clean_tags(data, errors)
    out["groups"] = _clean_groups(data.get("groups"), errors)
    _check_unique_title(out.get("title") or "", instance=instance, errors=errors)
    if fields.get("last_updated_date"):
        out["last_updated_date"] = dt.date.fromisoformat(fields["last_updated_date"])
    else:
        out["last_updated_date"] = None
    out["author"] = text_of(data.get("author"))
    out["author_email"] = text_of(data.get("author_email"))
    out["private"] = _clean_private(data, instance, errors)
    state = text_of(data.get("state"))
    if state and state not in (State.DRAFT, State.ACTIVE):
        errors.add("state", _("ต้องเป็น draft หรือ active"))
    out["state"] = state or None
    out["resources"] = _clean_nested_resources(data, out, instance, errors)
    errors.raise_if_any()
    return out


def _is_column(name: str) -> bool:
    base = schema.DATASET_OTHER_FIELDS.get(name, name)
    spec = schema.DATASET_FIELD_MAP.get(base)
    return bool(spec and spec.column)


def _clean_private(data: dict[str, Any], instance: Dataset | None, errors: Errors) -> bool:
    if "private" not in data or data["private"] is None:
        return instance.private if instance is not None else True
    try:
        return parse_bool(data["private"])
    except ValueError:
        errors.add("private", _("ต้องเป็น True หรือ False"))
        return True


def _clean_nested_resources(
    data: dict[str, Any], out: dict[str, Any], instance: Dataset | None, errors: Errors
) -> list[dict[str, Any]] | None:
    public = not out["private"]
    data_type = out.get("data_type") or None
    if "resources" not in data or data["resources"] is None:
        if public and instance is not None and instance.pk:
            for position, res in enumerate(instance.resources.exclude(state=State.DELETED), 1):
                if not res.url or not res.format:
                    errors.add(
                        "resources",
                        _("ทรัพยากรลำดับที่ %(n)s (%(name)s) ต้องมี URL และนามสกุลของไฟล์ก่อนเผยแพร่")
                        % {"n": position, "name": res.name},
                    )
        return None
    if not isinstance(data["resources"], list):
        errors.add("resources", _("ต้องเป็นรายการทรัพยากร"))
        return None
    # A resource sent back with its id keeps its stored file unless it switches to a link.
    stored: dict[str, str] = {}
    if instance is not None and instance.pk:
        uploads = instance.resources.filter(url_type="upload").values_list("pk", "url")
        stored = {str(pk): url for pk, url in uploads}
    cleaned = []
    for position, item in enumerate(data["resources"], 1):
        sub = Errors(prefix=_("ทรัพยากรลำดับที่ %(n)s — ") % {"n": position})
        if not isinstance(item, dict):
            sub.add("resources", _("ต้องเป็นชุดข้อมูลของทรัพยากร"))
        else:
            key = str(item.get("id") or "")
            keeps_file = key in stored and not switches_to_link(item, stored[key])
            cleaned.append(
                clean_resource_fields(
                    item, data_type=data_type, public=public, errors=sub, has_upload=keeps_file
                )
            )
        for messages in sub.fields.values():
            errors.fields.setdefault("resources", []).extend(messages)
    return cleaned


def clean_resource_fields(
    data: dict[str, Any],
    *,
    data_type: str | None,
    public: bool,
    errors: Errors,
    has_upload: bool = False,
) -> dict[str, Any]:
    """The cleaned columns and `type_fields` of one resource (used for nested resources too)."""
    data = flatten_extras(data)
    is_upload = has_upload
    raw_url = text_of(data.get("url"))
    fields = clean_fields(
        schema.RESOURCE_FIELDS,
        {**data, "name": data.get("name") or _name_from_url(raw_url)},
        data_type=data_type,
        errors=errors,
        skip={"url", "format"},
    )
    columns = {f.name for f in schema.RESOURCE_FIELDS if f.column}
    out: dict[str, Any] = {k: v for k, v in fields.items() if k in columns}
    out["type_fields"] = {k: v for k, v in fields.items() if k not in out}
    out["url_type"] = "upload" if is_upload else ""
    out["url"] = raw_url
    if not is_upload and raw_url:
        try:
            url_validator(raw_url)
        except ValidationError:
            errors.add("url", _("URL ไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)"))
    fmt = text_of(data.get("format")).lstrip(".").upper()[:50]
    out["format"] = fmt or _format_from_name(raw_url)
    if public and not is_upload and not raw_url:
        errors.add("url", _("ต้องระบุสำหรับชุดข้อมูลที่เปิดเผย"))
    if public and not out["format"] and not is_upload:
        errors.add("format", _("ต้องระบุสำหรับชุดข้อมูลที่เปิดเผย"))
    if data.get("id"):
        out["id"] = str(data["id"])
    return out


def _name_from_url(url: str) -> str:
    tail = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] if url else ""
    return tail if "." in tail else ""


def _format_from_name(name: str) -> str:
    base = name.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    ext = os.path.splitext(base)[1].lstrip(".").upper()
    return ext if 1 < len(ext) <= 8 and ext.isalnum() else ""


def switches_to_link(data: dict[str, Any], stored_url: str) -> bool:
    """Does resource input replace a stored file by a link? Only with another, non-empty URL
    and a url_type other than "upload" (the URL we gave out, even made absolute or
    percent-encoded, is not a change)."""
    new_url = unquote(text_of(data.get("url")))
    return (
        text_of(data.get("url_type")) != "upload"
        and bool(new_url)
        and not new_url.endswith(stored_url)
    )


def clean_resource(
    data: dict[str, Any],
    *,
    dataset: Dataset,
    instance: Resource | None,
    upload: UploadedFile | None = None,
) -> dict[str, Any]:
    """A cleaned resource of `dataset`; URL and format are required when the dataset is public
    (an upload provides both)."""
    errors = Errors()
    merged = dict(data)
    keeps_file = upload is None and instance is not None and instance.url_type == "upload"
    if keeps_file and instance is not None:
        # The stored file stays unless the client gives another address as a link; the URL
        # it sends back (ours, perhaps made absolute) is not a change.
        keeps_file = not switches_to_link(merged, instance.url)
        if keeps_file:
            merged["url"] = instance.url
            merged["format"] = merged.get("format") or instance.format
    if upload is not None:
        clean_upload(upload, errors)
        merged.setdefault("name", upload.name)
        if not text_of(merged.get("format")):
            merged["format"] = _format_from_name(upload.name or "")
    cleaned = clean_resource_fields(
        merged,
        data_type=dataset.data_type,
        public=not dataset.private and dataset.state == State.ACTIVE,
        errors=errors,
        has_upload=upload is not None or keeps_file,
    )
    errors.raise_if_any()
    return cleaned


def clean_upload(upload: UploadedFile, errors: Errors) -> None:
    """Size limit (KRABUAN_CATALOG_MAX_UPLOAD) and the allowed extensions."""
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if ext not in ALLOWED_UPLOAD_EXTENSIONS:
        errors.add(
            "upload",
            _("ไม่รับไฟล์ชนิด “%(ext)s” (รับ: %(allowed)s)")
            % {"ext": ext or "-", "allowed": ", ".join(sorted(ALLOWED_UPLOAD_EXTENSIONS))},
        )
    limit = int(settings.KRABUAN_CATALOG_MAX_UPLOAD)
    if upload.size is not None and upload.size > limit:
        errors.add(
            "upload",
            _("ไฟล์ใหญ่เกินกำหนด (ไม่เกิน %(mb)s MB)") % {"mb": round(limit / 1024 / 1024, 1)},
        )
    if not upload.size:
        errors.add("upload", _("ไฟล์ว่างเปล่า"))
