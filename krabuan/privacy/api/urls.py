from django.urls import include, path

urlpatterns = [
    path("", include("krabuan.privacy.api.records_urls")),
    path("breaches/", include("krabuan.privacy.api.breach_urls")),
    path("requests/", include("krabuan.privacy.api.request_urls")),
]
