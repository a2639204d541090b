from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "krabuan.workflow"
    label = "workflow"
    verbose_name = "Cases and deadlines"

    def ready(self) -> None:
        # Imported here: models are not ready while the app registry is still loading.
        from krabuan.core.registry import register_live_source
        from krabuan.workflow import kpi_sources

        register_live_source(
            kpi_sources.KEY,
            label=kpi_sources.LABEL,
            func=kpi_sources.process_on_time_pct,
            params_help=kpi_sources.PARAMS_HELP,
        )
