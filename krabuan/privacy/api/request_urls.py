"""/api/v1/privacy/requests/: public submission (POST) and reads for entitled staff."""

from django.urls import path

from krabuan.privacy.api import request_views

urlpatterns = [
    path("", request_views.RequestListView.as_view(), name="privacy-request-list"),
    path("<int:pk>/", request_views.RequestDetailView.as_view(), name="privacy-request-detail"),
]
