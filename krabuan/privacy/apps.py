from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "krabuan.privacy"
    label = "privacy"
    verbose_name = "PDPA compliance"
