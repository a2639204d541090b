"""Pages of the performance agreement under /kpi/."""

from django.urls import path

from krabuan.kpi.views import agreements, documents, editor, kpis, results

app_name = "kpi"

urlpatterns = [
    path("", agreements.agreement_list, name="agreement_list"),
    path("agreements/<int:agreement_id>/", agreements.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:agreement_id>/agreement.<str:fmt>",
        documents.agreement_document,
        name="agreement_document",
    ),
    path(
        "agreements/<int:agreement_id>/report-<str:round>.<str:fmt>",
        documents.round_report,
        name="round_report",
    ),
    path(
        "agreements/<int:agreement_id>/results.xlsx",
        documents.agreement_workbook,
        name="agreement_workbook",
    ),
    path("kpis/<int:kpi_id>/", kpis.kpi_detail, name="kpi_detail"),
    path("kpis/<int:kpi_id>/results/", results.result_entry, name="result_entry"),
    path(
        "kpis/<int:kpi_id>/results/<int:result_id>/evidence/",
        kpis.evidence_download,
        name="evidence_download",
    ),
    path("agreements/<int:agreement_id>/copy/", editor.agreement_copy, name="agreement_copy"),
    path("kpis/<int:kpi_id>/edit/", editor.kpi_edit, name="kpi_edit"),
    path("kpis/<int:kpi_id>/live-source/", editor.kpi_live_source, name="kpi_live_source"),
]
