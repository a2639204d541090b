from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "krabuan.kpi"
    label = "kpi"
    verbose_name = "Performance agreement"
