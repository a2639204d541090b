"""Records pages under /privacy/ (staff) and the public pages (notices, RoPA summary)."""

from django.urls import path

from krabuan.privacy.views import (
    records_dpas,
    records_group,
    records_inventory,
    records_notices,
    records_public,
    records_retention,
    records_ropa,
)

urlpatterns = [
    path("records/", records_group.records_home, name="records_home"),
    # Working group and awareness (process 15 step 1)
    path("group/", records_group.group_list, name="group_list"),
    path("group/appoint/", records_group.member_appoint, name="member_appoint"),
    path("group/<int:member_id>/end/", records_group.member_end, name="member_end"),
    path("awareness/", records_group.awareness_list, name="awareness_list"),
    path("awareness/new/", records_group.awareness_create, name="awareness_create"),
    path("awareness/<int:activity_id>/", records_group.awareness_detail, name="awareness_detail"),
    path("awareness/<int:activity_id>/edit/", records_group.awareness_edit, name="awareness_edit"),
    path(
        "awareness/<int:activity_id>/attendance/<int:attendance_id>/remove/",
        records_group.attendance_remove,
        name="attendance_remove",
    ),
    # Inventory
    path("inventory/", records_inventory.inventory_list, name="inventory_list"),
    path("inventory/new/", records_inventory.activity_create, name="activity_create"),
    path("inventory/<int:activity_id>/", records_inventory.activity_detail, name="activity_detail"),
    path(
        "inventory/<int:activity_id>/edit/", records_inventory.activity_edit, name="activity_edit"
    ),
    path(
        "inventory/<int:activity_id>/items/new/", records_inventory.item_create, name="item_create"
    ),
    path("inventory/<int:activity_id>/ropa/new/", records_ropa.ropa_create, name="ropa_create"),
    path("items/<int:item_id>/edit/", records_inventory.item_edit, name="item_edit"),
    path("items/<int:item_id>/delete/", records_inventory.item_delete, name="item_delete"),
    # RoPA
    path("ropa/", records_ropa.ropa_register, name="ropa_register"),
    path("ropa/<int:ropa_id>/", records_ropa.ropa_detail, name="ropa_detail"),
    path("ropa/<int:ropa_id>/edit/", records_ropa.ropa_edit, name="ropa_edit"),
    path("ropa/<int:ropa_id>/refusals/", records_ropa.ropa_refusal_add, name="ropa_refusal_add"),
    path("ropa/<int:ropa_id>/v/<int:number>/", records_ropa.ropa_version, name="ropa_version"),
    path(
        "ropa/<int:ropa_id>/v/<int:number>/<str:action>/",
        records_ropa.ropa_action,
        name="ropa_action",
    ),
    path(
        "ropa/<int:ropa_id>/v/<int:number>/document.<str:fmt>",
        records_ropa.ropa_document,
        name="ropa_document",
    ),
    path("ropa-summary/", records_public.ropa_summary, name="ropa_summary"),
    # Privacy notices: staff pages, then the stable public addresses
    path("notice-admin/", records_notices.notice_admin_list, name="notice_admin_list"),
    path("notice-admin/new/", records_notices.notice_create, name="notice_create"),
    path("notice-admin/<int:notice_id>/", records_notices.notice_detail, name="notice_detail"),
    path("notice-admin/<int:notice_id>/edit/", records_notices.notice_edit, name="notice_edit"),
    path(
        "notice-admin/<int:notice_id>/body/",
        records_notices.notice_body_edit,
        name="notice_body_edit",
    ),
    path(
        "notice-admin/<int:notice_id>/v/<int:number>/",
        records_notices.notice_version,
        name="notice_version",
    ),
    path(
        "notice-admin/<int:notice_id>/v/<int:number>/<str:action>/",
        records_notices.notice_action,
        name="notice_action",
    ),
    path("notices/", records_public.notice_public_list, name="notice_public_list"),
    path("notices/<slug:slug>/", records_public.notice_public, name="notice_public"),
    path("notices/<slug:slug>/qr.png", records_public.notice_qr, name="notice_qr"),
    # DPAs
    path("dpas/", records_dpas.dpa_list, name="dpa_list"),
    path("dpas/new/", records_dpas.dpa_create, name="dpa_create"),
    path("dpas/<int:dpa_id>/", records_dpas.dpa_detail, name="dpa_detail"),
    path("dpas/<int:dpa_id>/edit/", records_dpas.dpa_edit, name="dpa_edit"),
    path("dpas/<int:dpa_id>/file/", records_dpas.dpa_file, name="dpa_file"),
    # Retention and destruction
    path("retention/", records_retention.retention_schedule, name="retention_schedule"),
    path(
        "retention/items/<int:item_id>/destroy/",
        records_retention.destruction_create,
        name="destruction_create",
    ),
    path(
        "retention/destructions/<int:record_id>/evidence/",
        records_retention.destruction_evidence,
        name="destruction_evidence",
    ),
]
