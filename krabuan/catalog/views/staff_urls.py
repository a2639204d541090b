"""The staff editor under /catalog/manage/ (catalog editors only)."""

from django.urls import URLPattern, URLResolver, path

from krabuan.catalog.views import staff, staff_datasets, staff_resources

urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.staff_home, name="staff_home"),
    path("new/", staff_datasets.dataset_create, name="dataset_create"),
    path("dataset/<str:name>/", staff_datasets.staff_dataset, name="staff_dataset"),
    path("dataset/<str:name>/edit/", staff_datasets.dataset_edit, name="dataset_edit"),
    path("dataset/<str:name>/publish/", staff_datasets.dataset_publish, name="dataset_publish"),
    path(
        "dataset/<str:name>/private/",
        staff_datasets.dataset_make_private,
        name="dataset_make_private",
    ),
    path("dataset/<str:name>/delete/", staff_datasets.dataset_delete, name="dataset_delete"),
    path("dataset/<str:name>/history/", staff_datasets.dataset_audit, name="dataset_audit"),
    path(
        "dataset/<str:name>/resources/new/", staff_resources.resource_create, name="resource_create"
    ),
    path(
        "dataset/<str:name>/resources/<uuid:resource_id>/edit/",
        staff_resources.resource_edit,
        name="resource_edit",
    ),
    path(
        "dataset/<str:name>/resources/<uuid:resource_id>/delete/",
        staff_resources.resource_delete,
        name="resource_delete",
    ),
]
