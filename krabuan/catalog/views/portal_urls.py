"""The public portal's pages (CKAN's paths: /dataset/, /organization/, /group/)."""

from django.urls import URLPattern, URLResolver, path

from krabuan.catalog.views import portal, portal_resource

urlpatterns: list[URLPattern | URLResolver] = [
    path("dataset/", portal.portal_home, name="portal_home"),
    path("dataset/<str:name>/", portal.dataset_detail, name="dataset"),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/",
        portal_resource.resource_detail,
        name="resource",
    ),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/download/<str:filename>",
        portal_resource.resource_download,
        name="resource_download",
    ),
    path("organization/", portal.organization_list, name="organization_list"),
    path("organization/<str:name>/", portal.organization_detail, name="organization"),
    path("group/", portal.group_list, name="group_list"),
    path("group/<str:name>/", portal.group_detail, name="group"),
]
