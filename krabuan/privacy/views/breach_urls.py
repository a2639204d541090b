"""/privacy/breaches/: the register, the staff and public report forms, the breach page, its
actions and documents. URL names carry the `breach_` prefix (the "privacy" namespace is shared)."""

from django.urls import path

from krabuan.privacy.views import breach_actions, breach_documents, breach_pages, breach_public

urlpatterns = [
    path("", breach_pages.breach_list, name="breach_list"),
    path("new/", breach_pages.breach_create, name="breach_create"),
    path("report/", breach_public.breach_public_report, name="breach_public_report"),
    path("report/done/", breach_public.breach_public_done, name="breach_public_done"),
    path("<int:breach_id>/", breach_pages.breach_detail, name="breach_detail"),
    path("<int:breach_id>/assess/", breach_actions.breach_assess_view, name="breach_assess"),
    path(
        "<int:breach_id>/assess/suggest/",
        breach_actions.breach_suggest_view,
        name="breach_suggest",
    ),
    path(
        "<int:breach_id>/notify-pdpc/",
        breach_actions.breach_notify_pdpc_view,
        name="breach_notify_pdpc",
    ),
    path(
        "<int:breach_id>/notify-subjects/",
        breach_actions.breach_notify_subjects_view,
        name="breach_notify_subjects",
    ),
    path("<int:breach_id>/update/", breach_actions.breach_update_view, name="breach_update"),
    path("<int:breach_id>/close/", breach_actions.breach_close_view, name="breach_close"),
    path("<int:breach_id>/case/", breach_actions.breach_case_start_view, name="breach_case_start"),
    path(
        "<int:breach_id>/documents/<slug:kind>.<str:fmt>",
        breach_documents.breach_document,
        name="breach_document",
    ),
]
