"""Pages of data-subject requests under /privacy/requests/ (names prefixed "request_")."""

from django.urls import path

from krabuan.privacy.views import request_actions, request_public, request_staff

urlpatterns = [
    path("", request_staff.request_list, name="request_list"),
    path("new/", request_public.request_public_new, name="request_public_new"),
    path("new/done/", request_public.request_public_done, name="request_public_done"),
    path("create/", request_staff.request_create_view, name="request_create"),
    path("<int:request_id>/", request_staff.request_detail, name="request_detail"),
    path(
        "<int:request_id>/letter.<str:fmt>",
        request_staff.request_letter_download,
        name="request_letter",
    ),
    path("<int:request_id>/verify/", request_actions.request_verify, name="request_verify"),
    path("<int:request_id>/assign/", request_actions.request_assign, name="request_assign"),
    path("<int:request_id>/complete/", request_actions.request_complete, name="request_complete"),
    path("<int:request_id>/refuse/", request_actions.request_refuse, name="request_refuse"),
    path("<int:request_id>/cancel/", request_actions.request_cancel, name="request_cancel"),
]
