from django.urls import path

from krabuan.workflow.views import actions, cases, dashboard, feed, work

app_name = "workflow"

urlpatterns = [
    path("", work.my_work, name="my_work"),
    path("feed/regenerate/", feed.feed_regenerate, name="feed_regenerate"),
    path("feed/<str:token>.ics", feed.feed_ics, name="feed"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/comments/", actions.comment_add, name="comment_add"),
    path("cases/<int:case_id>/attachments/", actions.attachment_add, name="attachment_add"),
    path(
        "cases/<int:case_id>/attachments/<int:attachment_id>/",
        cases.attachment_download,
        name="attachment_download",
    ),
    path(
        "cases/<int:case_id>/evidence/<int:confirmation_id>/",
        cases.evidence_download,
        name="evidence_download",
    ),
    path("cases/<int:case_id>/cancel/", actions.case_cancel, name="case_cancel"),
    path(
        "cases/<int:case_id>/steps/<int:instance_id>/controls/<int:control_id>/confirm/",
        actions.control_confirm,
        name="control_confirm",
    ),
    path(
        "cases/<int:case_id>/steps/<int:instance_id>/<slug:action>/",
        actions.step_action,
        name="step_action",
    ),
    path("processes/<int:process_id>/risks/", cases.process_risks, name="process_risks"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "dashboard/process/<int:process_id>/",
        dashboard.process_dashboard,
        name="process_dashboard",
    ),
]
