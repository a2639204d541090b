from django.urls import path

from krabuan.org import views

app_name = "org"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("users/", views.user_list, name="user_list"),
    path("preferences/", views.preferences, name="preferences"),
    path("users/export.csv", views.users.user_export, name="user_export"),
    path("users/new/", views.users.user_create, name="user_create"),
    path("users/<int:user_id>/", views.users.user_edit, name="user_edit"),
    path("users/<int:user_id>/deactivate/", views.users.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/activate/", views.users.user_activate, name="user_activate"),
    path("users/<int:user_id>/password/", views.users.user_password, name="user_password"),
    path(
        "users/<int:user_id>/password-email/",
        views.users.user_password_email,
        name="user_password_email",
    ),
    path("users/<int:user_id>/memberships/", views.users.membership_add, name="membership_add"),
    path(
        "users/<int:user_id>/memberships/<int:membership_id>/remove/",
        views.users.membership_remove,
        name="membership_remove",
    ),
]
