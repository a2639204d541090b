from django.apps import AppConfig


class ManualConfig(AppConfig):
    name = "krabuan.manual"
    label = "manual"
    verbose_name = "Process manual"
