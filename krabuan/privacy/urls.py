"""Privacy pages: staff records, breaches, data-subject requests, and the public pages."""

from django.urls import include, path

app_name = "privacy"

urlpatterns = [
    path("", include("krabuan.privacy.views.dashboard_urls")),
    path("", include("krabuan.privacy.views.records_urls")),
    path("breaches/", include("krabuan.privacy.views.breach_urls")),
    path("requests/", include("krabuan.privacy.views.request_urls")),
]
