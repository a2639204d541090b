"""A catalog service's refusal shown on the editor's form, next to the field it names."""

from __future__ import annotations

from django import forms

from krabuan.core.errors import ApplicationError

# Keys the services use for a field the form shows under another name.
FIELD_ALIASES = {"tags": "tag_string", "extras": None, "resources": None}


def show_error(form: forms.Form, error: ApplicationError) -> None:
    """Each message beside its field; messages about fields the form lacks go above it."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for key, field_messages in error.fields.items():
        name = FIELD_ALIASES.get(key, key)
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
