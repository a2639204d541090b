from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "krabuan.catalog"
    label = "catalog"
    verbose_name = "Agency data catalog"

    def ready(self) -> None:
        # Imported here: models are not ready while the app registry is still loading.
        from krabuan.catalog import kpi_sources
        from krabuan.core.registry import register_live_source

        register_live_source(
            kpi_sources.KPI1_KEY,
            label=kpi_sources.KPI1_LABEL,
            func=kpi_sources.kpi1_level,
            params_help=kpi_sources.PARAMS_HELP,
        )
        register_live_source(
            kpi_sources.QUALITY_KEY,
            label=kpi_sources.QUALITY_LABEL,
            func=kpi_sources.metadata_quality,
            params_help=kpi_sources.PARAMS_HELP,
        )
