from django.urls import path

from krabuan.org import views

app_name = "org"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("users/", views.user_list, name="user_list"),
    path("preferences/", views.preferences, name="preferences"),
]
