from django.urls import path

from krabuan.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("<int:notification_id>/read/", views.mark_read, name="mark_read"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:notification_id>/retry/", views.outbox_retry, name="outbox_retry"),
    path("line/", views.line_channel, name="line_channel"),
]
