from django.urls import path

from krabuan.manual import views
from krabuan.manual.views import editor

app_name = "manual"

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("improvements/", views.improvement_summary, name="improvement_summary"),
    path("processes/<int:process_id>/", views.process_detail, name="process_detail"),
    path("copy/", editor.manual_copy, name="manual_copy"),
    path("processes/<int:process_id>/edit/", editor.process_edit, name="process_edit"),
    path(
        "processes/<int:process_id>/requirements/",
        editor.requirements_edit,
        name="requirements_edit",
    ),
    path("processes/<int:process_id>/owners/", editor.owners_edit, name="owners_edit"),
    path("processes/<int:process_id>/steps/new/", editor.step_create, name="step_create"),
    path("steps/<int:step_id>/edit/", editor.step_edit, name="step_edit"),
    path("steps/<int:step_id>/delete/", editor.step_delete, name="step_delete"),
    path("steps/<int:step_id>/move/", editor.step_move, name="step_move"),
    path("steps/<int:step_id>/controls/", editor.control_add, name="control_add"),
    path("controls/<int:control_id>/delete/", editor.control_delete, name="control_delete"),
    path("duration-preview/", editor.duration_preview, name="duration_preview"),
    path(
        "improvements/<int:fiscal_year>/<slug:process_code>/explanation/",
        editor.improvement_explain,
        name="improvement_explain",
    ),
]

# Printed documents (DOCX/PDF/XLSX) and the generated flowchart.
from krabuan.manual.views import documents  # noqa: E402

urlpatterns += [
    path("processes/<int:process_id>/export.docx", documents.process_docx, name="process_docx"),
    path("processes/<int:process_id>/export.pdf", documents.process_pdf, name="process_pdf"),
    path(
        "processes/<int:process_id>/flowchart.svg",
        documents.process_flowchart,
        name="process_flowchart",
    ),
    path("export/<int:fiscal_year>.docx", documents.manual_docx, name="manual_docx"),
    path("export/<int:fiscal_year>.pdf", documents.manual_pdf, name="manual_pdf"),
    path(
        "improvements/<int:fiscal_year>.docx",
        documents.improvements_docx,
        name="improvements_docx",
    ),
    path(
        "improvements/<int:fiscal_year>.xlsx",
        documents.improvements_xlsx,
        name="improvements_xlsx",
    ),
]
