from django.apps import AppConfig


class ManualConfig(AppConfig):
    name = "krabuan.manual"
    label = "manual"
    verbose_name = "Process manual"

    def ready(self) -> None:
        # Registers the export job handlers with the core job registry.
        from krabuan.manual import jobs  # noqa: F401
