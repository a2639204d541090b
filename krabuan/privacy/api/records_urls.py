from django.urls import path

from krabuan.privacy.api import records_views

urlpatterns = [
    path("ropa/", records_views.RopaListView.as_view(), name="privacy-ropa-list"),
    path("ropa/<int:pk>/", records_views.RopaDetailView.as_view(), name="privacy-ropa-detail"),
]
