from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "krabuan.privacy"
    label = "privacy"
    verbose_name = "PDPA compliance"

    def ready(self) -> None:
        # Imported here: models are not ready while the app registry is still loading.
        from krabuan.core.registry import register_live_source
        from krabuan.privacy.selectors import dashboard

        register_live_source(
            dashboard.KPI2_KEY,
            label=dashboard.KPI2_LABEL,
            func=dashboard.kpi2_live,
            params_help=dashboard.KPI2_HELP,
        )
        register_live_source(
            dashboard.KPI5_KEY,
            label=dashboard.KPI5_LABEL,
            func=dashboard.kpi5_live,
            params_help=dashboard.KPI5_HELP,
        )
