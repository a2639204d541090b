from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "krabuan.notify"
    label = "notify"
    verbose_name = "Notifications"
