from django.urls import path

from krabuan.privacy.api import breach_views as views

urlpatterns = [
    path("", views.BreachListView.as_view(), name="privacy-breach-list"),
    path("<int:pk>/", views.BreachDetailView.as_view(), name="privacy-breach-detail"),
    path(
        "<int:pk>/assessment/",
        views.BreachAssessmentView.as_view(),
        name="privacy-breach-assessment",
    ),
    path(
        "<int:pk>/notify-pdpc/",
        views.BreachNotifyPdpcView.as_view(),
        name="privacy-breach-notify-pdpc",
    ),
    path(
        "<int:pk>/notify-subjects/",
        views.BreachNotifySubjectsView.as_view(),
        name="privacy-breach-notify-subjects",
    ),
]
