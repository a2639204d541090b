from django.urls import path

from krabuan.kpi.api import views

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/score/", views.AgreementScoreView.as_view(), name="agreement-score"),
    path("kpis/<int:pk>/results/", views.KpiResultsView.as_view(), name="kpi-results"),
]
