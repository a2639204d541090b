"""Routes of the CKAN Action API at the site root (included before every other route).

No route here redirects: a trailing slash is accepted rather than redirected, because ckanapi
sends POSTs with `allow_redirects=False`."""

from django.urls import URLPattern, URLResolver, re_path

from krabuan.catalog.ckan import views

# The util API answers at /api/util/… and /api/1|2/util/…, as in CKAN.
UTIL = r"^api/(?:[12]/)?util/"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^api/?$", views.version_view, name="ckan_api"),
    re_path(r"^api/(?P<version>[123])/?$", views.version_view, name="ckan_api_version"),
    re_path(
        r"^api/(?:(?P<version>3)/)?action(?:/(?P<name>[^/]*))?/?$",
        views.action_view,
        name="ckan_action",
    ),
    re_path(UTIL + r"tag/autocomplete/?$", views.tag_autocomplete_view),
    re_path(UTIL + r"resource/format_autocomplete/?$", views.format_autocomplete_view),
    re_path(UTIL + r"dataset/autocomplete/?$", views.dataset_autocomplete_view),
    re_path(UTIL + r"organization/autocomplete/?$", views.organization_autocomplete_view),
    re_path(UTIL + r"group/autocomplete/?$", views.group_autocomplete_view),
]
