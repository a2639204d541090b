from django.contrib.auth import get_user_model


def test_missing_page_is_thai_404(client, db):
    client.force_login(get_user_model().objects.create_user(username="u1"))
    response = client.get("/manual/processes/987654/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_forbidden_page_is_thai_403(client, db):
    client.force_login(get_user_model().objects.create_user(username="u2"))
    response = client.get("/org/users/")
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์ดำเนินการ" in response.content.decode()
