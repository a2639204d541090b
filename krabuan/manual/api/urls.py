from django.urls import path

from krabuan.manual.api import views

urlpatterns = [
    path("processes/", views.ProcessListView.as_view(), name="process-list"),
    path("processes/<int:pk>/", views.ProcessDetailView.as_view(), name="process-detail"),
]
