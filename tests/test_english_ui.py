"""The English interface of the modules added after the foundation (workflow, KPI, catalog,
PDPA): a user who chose English, or a visitor who switched, reads them in English."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _english(client, user):
    client.force_login(user)
    response = client.post(
        "/org/preferences/", {"language": "en", "notify_in_app": "on", "notify_email": "on"}
    )
    assert response.status_code == 302


def _thai_left(html: str, *, data: str = "") -> list[str]:
    """Thai words of the page's text outside scripts, styles and tags, except the product's
    name (กระบวน), the name of the Thai language in the language switch (ไทย) and words of
    `data` (records shown as they were entered, such as a person's name)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    kept = {"กระบวน", "ไทย", *data.split()}
    return [w for w in re.findall(r"[\u0E00-\u0E7F]+", text) if w not in kept]


def test_my_work_and_the_case_list_in_english(client, officer):
    _english(client, officer)
    work = client.get("/work/").content.decode()
    assert "<title>My work · Krabuan</title>" in work
    assert "Start new case" in work and "All cases" in work
    assert _thai_left(work, data=officer.get_full_name()) == []
    cases = client.get("/work/cases/").content.decode()
    assert "Start new case" in cases or "All cases" in cases


def test_the_catalog_editor_and_the_portal_in_english(client, officer):
    _english(client, officer)
    portal = client.get("/dataset/").content.decode()
    assert "Search datasets" in portal
    assert _thai_left(portal, data=officer.get_full_name()) == []


def test_the_public_privacy_request_form_after_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/requests/new/"})
    form = client.get("/privacy/requests/new/").content.decode()
    assert "Submit a data subject rights request" in form
    assert _thai_left(form) == []
