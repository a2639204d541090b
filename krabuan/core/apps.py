from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "krabuan.core"
    label = "core"
    verbose_name = "Core"
