from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "krabuan.catalog"
    label = "catalog"
    verbose_name = "Agency data catalog"
