"""Public portal, DCAT endpoints and staff pages of the catalog. Each area has its own module."""

from django.urls import include, path

app_name = "catalog"

urlpatterns = [
    path("", include("krabuan.catalog.views.dcat_urls")),
    path("", include("krabuan.catalog.views.portal_urls")),
    path("catalog/manage/", include("krabuan.catalog.views.staff_urls")),
    path("catalog/guard/", include("krabuan.catalog.views.guard_urls")),
    path("catalog/templates/", include("krabuan.catalog.views.template_urls")),
]
