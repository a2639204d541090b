from django.urls import path, re_path

from krabuan.catalog.views import templates_io

urlpatterns = [
    path("", templates_io.templates_home, name="templates_home"),
    re_path(r"^(?P<number>[123])\.xlsx$", templates_io.template_download, name="template_download"),
]
