"""Pages of the personal-data guard under /catalog/guard/."""

from django.urls import URLPattern, URLResolver, path

from krabuan.catalog.views import guard

urlpatterns: list[URLPattern | URLResolver] = [
    path("", guard.scan_queue, name="guard_queue"),
    path("resources/<uuid:resource_id>/", guard.scan_report, name="guard_scan"),
    path("resources/<uuid:resource_id>/progress/", guard.scan_progress, name="guard_progress"),
    path("resources/<uuid:resource_id>/rescan/", guard.rescan, name="guard_rescan"),
    path("resources/<uuid:resource_id>/masked/", guard.masked_download, name="guard_masked"),
    path(
        "resources/<uuid:resource_id>/replace-masked/",
        guard.replace_masked,
        name="guard_replace_masked",
    ),
    path("scans/<int:scan_id>/decide/", guard.decide, name="guard_decide"),
]
