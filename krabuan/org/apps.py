from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "krabuan.org"
    label = "org"
    verbose_name = "Organisation"
