"""CKAN Action API transport: routes, envelope, error types and statuses, JSONP, auth."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.authtoken.models import Token

from krabuan.catalog.ckan.actions import search as search_action
from krabuan.catalog.tests.ckan_support import body, call, editor_token, reader_token, result
from krabuan.catalog.tests.core_factories import org_make

__all__ = ["editor_token", "reader_token"]

pytestmark = pytest.mark.django_db


def test_api_root_answers_the_version_like_ckan(client):
    assert body(client.get("/api")) == {"version": 1}
    assert body(client.get("/api/")) == {"version": 1}
    assert body(client.get("/api/3")) == {"version": 3}
    response = client.get("/api/3/")
    assert response.status_code == 200
    assert body(response) == {"version": 3}
    assert response["Content-Type"] == "application/json;charset=utf-8"


def test_both_action_routes_answer_get_and_post_with_the_envelope(client):
    for prefix in ("/api/3/action/", "/api/action/"):
        for method in ("get", "post"):
            response = call(client, "status_show", method=method, prefix=prefix)
            payload = body(response)
            assert response.status_code == 200
            assert payload["success"] is True
            # The help link always names API version 3, as CKAN's url_for does.
            assert payload["help"] == "http://testserver/api/3/action/help_show?name=status_show"
            assert payload["result"]["ckan_version"] == "2.10.4"


def test_status_show_carries_the_thai_gdc_keys(client):
    status = result(call(client, "status_show"))
    assert status["locale_default"] == "th"
    assert status["thaigdc_catalog_type"] == "agency"
    assert status["thaigdc_is_as_a_service"] == "false"
    assert status["thaigdc_version"] == "2.2.4"
    assert status["thaigdc_update"] == {"thai_gdc": "2024-10-22", "xloader": "", "discovery": ""}
    assert isinstance(status["extensions"], list)
    assert "thai_gdc" in status["extensions"]
    assert {"site_title", "site_description", "site_url", "error_emails_to"} <= set(status)


def test_no_redirect_for_a_trailing_slash_or_a_missing_name(client):
    response = call(client, "status_show", prefix="/api/3/action/", method="get")
    assert response.status_code == 200
    slash = client.post("/api/3/action/status_show/", "{}", content_type="application/json")
    assert slash.status_code == 200
    assert body(slash)["success"] is True
    bare = client.post("/api/3/action/", "{}", content_type="application/json")
    assert bare.status_code == 400
    assert body(bare) == "Bad request - Action name not known: "
    for path in ("/api/3/action", "/api/action"):
        response = client.post(path, "{}", content_type="application/json")
        assert response.status_code == 400
        assert body(response) == "Bad request - Action name not known: "


def test_unknown_action_is_a_bare_string_with_400(client):
    for method in ("get", "post"):
        response = call(client, "no_such_action", method=method)
        assert response.status_code == 400
        assert body(response) == "Bad request - Action name not known: no_such_action"


def test_malformed_json_body_is_a_bad_request(client):
    response = client.post(
        "/api/3/action/package_show", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert body(response).startswith("Bad request - JSON Error: Error decoding JSON data.")


def test_a_json_body_that_is_not_an_object_is_a_bad_request(client):
    response = client.post("/api/action/package_show", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "needs to be a dictionary" in body(response)
    nan = client.post("/api/action/package_list", '{"limit": NaN}', content_type="application/json")
    assert nan.status_code == 400


def test_get_is_refused_for_actions_with_side_effects(client, editor_token):
    response = call(client, "package_create", {"name": "x"}, method="get", token=editor_token)
    assert response.status_code == 400
    assert body(response) == (
        "Bad request - JSON Error: Invalid request. Please use POST method for your request"
    )


def test_other_methods_are_not_allowed(client):
    assert client.put("/api/3/action/status_show").status_code == 405
    assert client.delete("/api/3/action/status_show").status_code == 405


def test_form_posts_are_read_like_ckan(client):
    org_make("forms-org", "หน่วยงานทดสอบฟอร์ม")
    # curl -d '{"id": "forms-org"}' posts the JSON as one form key with an empty value.
    raw = client.post(
        "/api/3/action/organization_show",
        '{"id": "forms-org"}',
        content_type="application/x-www-form-urlencoded",
    )
    assert result(raw)["name"] == "forms-org"
    form = client.post("/api/3/action/organization_show", {"id": "forms-org"})
    assert result(form)["title"] == "หน่วยงานทดสอบฟอร์ม"


def test_validation_error_is_the_field_dict_with_409(client):
    response = call(client, "package_show", {})
    assert response.status_code == 409
    payload = body(response)
    assert payload["success"] is False
    assert payload["error"]["__type"] == "Validation Error"
    assert isinstance(payload["error"]["id"], list)
    assert payload["help"].endswith("help_show?name=package_show")


def test_bad_parameter_values_name_the_parameter(client):
    response = call(client, "package_list", {"limit": "-1"}, method="get")
    assert response.status_code == 409
    assert "limit" in body(response)["error"]
    response = call(client, "package_list", {"offset": "abc"}, method="get")
    assert "offset" in body(response)["error"]
    response = call(client, "organization_list", {"all_fields": "maybe"}, method="get")
    assert "all_fields" in body(response)["error"]
    response = call(client, "organization_list", {"sort": "id desc"})
    assert body(response)["error"]["__type"] == "Validation Error"
    assert "sort" in body(response)["error"]


def test_huge_numbers_do_not_break_the_database(client):
    assert result(call(client, "package_list", {"limit": 10**30, "offset": 10**30})) == []


def test_not_found_error_with_404(client):
    response = call(client, "package_show", {"id": "no-such-dataset"})
    assert response.status_code == 404
    error = body(response)["error"]
    assert error["__type"] == "Not Found Error"
    assert error["message"].startswith("Not found: ")
    assert call(client, "organization_show", {"id": "nope"}).status_code == 404
    assert call(client, "resource_show", {"id": "not-a-uuid"}).status_code == 404


def test_anonymous_write_is_an_authorization_error(client):
    response = call(client, "package_create", {"name": "x"})
    assert response.status_code == 403
    error = body(response)["error"]
    assert error["__type"] == "Authorization Error"
    assert error["message"].startswith("Access denied: ")


def test_a_token_without_catalog_rights_cannot_write(client, reader_token):
    response = call(client, "package_create", {"name": "x"}, token=reader_token)
    assert response.status_code == 403
    assert body(response)["error"]["__type"] == "Authorization Error"


def test_an_unknown_token_is_refused(client):
    response = call(client, "status_show", token="not-a-real-token")
    assert response.status_code == 403
    assert body(response)["error"]["__type"] == "Authorization Error"
    long = call(client, "status_show", token="x" * 500)
    assert long.status_code == 403


def test_an_inactive_users_token_is_refused(client, officer):
    key = Token.objects.create(user=officer).key
    officer.is_active = False
    officer.save()
    assert call(client, "status_show", token=key).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        lambda k: {"Authorization": k},
        lambda k: {"Authorization": f"Token {k}"},
        lambda k: {"Authorization": f"Bearer {k}"},
        lambda k: {"X-CKAN-API-Key": k},
    ],
)
def test_token_header_forms(client, editor_token, headers):
    org_make()
    response = client.post(
        "/api/3/action/organization_list_for_user",
        "{}",
        content_type="application/json",
        headers=headers(editor_token),
    )
    orgs = result(response)
    assert [o["name"] for o in orgs] == ["ict"]
    assert orgs[0]["capacity"] == "editor"


def test_anonymous_has_no_organizations_to_edit(client):
    org_make()
    assert result(call(client, "organization_list_for_user")) == []


def test_session_counts_for_get_and_for_post_only_with_csrf(officer):
    org_make()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    got = browser.get("/api/3/action/organization_list_for_user")
    assert [o["name"] for o in result(got)] == ["ict"]
    # A cookie-only POST without the CSRF token (another site's form) runs as anonymous.
    posted = browser.post(
        "/api/3/action/organization_list_for_user", "{}", content_type="application/json"
    )
    assert result(posted) == []
    refused = browser.post("/api/3/action/package_create", "{}", content_type="application/json")
    assert refused.status_code == 403


def test_session_post_with_the_csrf_token_counts(officer):
    org_make()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    posted = browser.post(
        "/api/3/action/organization_list_for_user",
        "{}",
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert [o["name"] for o in result(posted)] == ["ict"]


def test_jsonp_wraps_successful_gets_only(client):
    response = client.get("/api/3/action/status_show", {"callback": "jQuery123_456.cb"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript;charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("jQuery123_456.cb(") and text.endswith(");")
    payload = json.loads(text[len("jQuery123_456.cb(") : -2])
    assert payload["success"] is True
    error = client.get("/api/3/action/help_show", {"name": "nope", "callback": "cb"})
    assert error.status_code == 404
    assert body(error)["error"]["__type"] == "Not Found Error"
    posted = client.post(
        "/api/3/action/status_show?callback=cb", "{}", content_type="application/json"
    )
    assert body(posted)["success"] is True
    version = client.get("/api/3", {"callback": "cb"})
    assert version.content == b'cb({"version": 3});'


def test_jsonp_refuses_a_callback_that_is_not_a_function_name(client):
    for bad in ("alert(1)", "a b", "<script>", "1abc", "x" * 200):
        response = client.get("/api/3/action/status_show", {"callback": bad})
        assert response.status_code == 400
        assert body(response).startswith("Bad request - ")


def test_jsonp_runs_as_anonymous(officer):
    org_make()
    browser = Client()
    browser.force_login(officer)
    response = browser.get("/api/3/action/organization_list_for_user", {"callback": "cb"})
    assert (
        response.content
        == b'cb({"help": "http://testserver/api/3/action/help_show?name=organization_list_for_user", "success": true, "result": []});'
    )


def test_help_show_returns_the_docstring(client):
    text = result(call(client, "help_show", {"name": "package_search"}, method="get"))
    assert ":param q:" in text and ":param fq:" in text
    assert call(client, "help_show", {"name": "nope"}).status_code == 404
    assert call(client, "help_show", {}).status_code == 409


def test_license_list_lists_the_thai_gdc_licenses(client):
    licenses = result(call(client, "license_list", method="get"))
    ids = [lic["id"] for lic in licenses]
    assert "Open Data Common" in ids and "อื่นๆ" in ids
    first = licenses[0]
    assert {"id", "title", "url", "od_conformance", "osd_conformance", "status"} <= set(first)


def test_integrity_error_for_a_wrong_structure(client, editor_token):
    response = call(client, "package_create", {"name": "x", "tags": "ข้าว"}, token=editor_token)
    assert response.status_code == 400
    error = body(response)["error"]
    assert error["__type"] == "Integrity Error"
    assert "('tags',)" in error["message"]
    assert error["data"]["tags"] == "ข้าว"


def test_search_query_and_search_errors(client, monkeypatch):
    from krabuan.catalog.search.query import SearchQueryError

    def bad_syntax(**kwargs):
        raise SearchQueryError("วงเล็บไม่ครบคู่")

    monkeypatch.setattr(search_action, "dataset_search", bad_syntax)
    response = call(client, "package_search", {"q": "(ข้าว"})
    assert response.status_code == 400
    error = body(response)["error"]
    assert error == {
        "__type": "Search Query Error",
        "message": "Search Query is invalid: วงเล็บไม่ครบคู่",
    }

    def engine_down(**kwargs):
        raise OperationalError("fts5: syntax error")

    monkeypatch.setattr(search_action, "dataset_search", engine_down)
    response = call(client, "package_search", {"q": "ข้าว"})
    assert response.status_code == 409
    assert body(response)["error"]["__type"] == "Search Error"


def test_nul_in_the_query_string_is_refused(client):
    assert client.get("/api/3/action/package_list", {"limit": "1\x00"}).status_code == 400


def test_autocomplete_util_routes(client):
    org_make("rice-org", "กรมการข้าว")
    tags = client.get("/api/2/util/tag/autocomplete", {"incomplete": "ข้า"})
    assert body(tags) == {"ResultSet": {"Result": []}}
    formats = client.get("/api/2/util/resource/format_autocomplete", {"incomplete": ""})
    assert body(formats) == {"ResultSet": {"Result": []}}
    orgs = client.get("/api/2/util/organization/autocomplete", {"q": "ข้าว"})
    assert [o["name"] for o in body(orgs)] == ["rice-org"]
    assert (
        client.get("/api/util/tag/autocomplete", {"incomplete": "x", "limit": "abc"}).status_code
        == 200
    )
