"""/privacy/ (the PDPA dashboard, privacy:home) and the publication audit pages."""

from django.urls import path

from krabuan.privacy.views import dashboard, dashboard_audit

urlpatterns = [
    path("", dashboard.dashboard_view, name="home"),
    path(
        "publication-audits/",
        dashboard_audit.publication_audit_list,
        name="publication_audit_list",
    ),
    path(
        "publication-audits/<int:audit_id>/",
        dashboard_audit.publication_audit_detail,
        name="publication_audit_detail",
    ),
    path(
        "publication-audits/<int:audit_id>/items/<int:index>/decision/",
        dashboard_audit.publication_audit_decide,
        name="publication_audit_decide",
    ),
    path(
        "publication-audits/<int:audit_id>/report.xlsx",
        dashboard_audit.publication_audit_report,
        name="publication_audit_report",
    ),
]
