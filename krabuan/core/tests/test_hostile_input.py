from django.contrib.auth import get_user_model


def test_a_forged_session_cookie_with_nul_is_just_anonymous(client, db):
    client.cookies["sessionid"] = "abc\x00def123456"
    response = client.get("/api/v1/processes/")
    assert response.status_code == 401


def test_nul_in_a_query_string_is_a_400_not_a_server_error(client, db):
    client.force_login(get_user_model().objects.create_user(username="u"))
    api = client.get("/api/v1/processes/", {"search": "ข้าว\x00"})
    page = client.get("/manual/", {"q": "\x00"})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid"
    assert page.status_code == 400
