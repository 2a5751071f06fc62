from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "inspectorate.imports"
    label = "imports"
    verbose_name = "Imports: CSV, spreadsheets and published reports"

    def ready(self) -> None:
        from inspectorate.imports.selectors import attach_sources
        from inspectorate.lib.provenance import register_source_labeller

        # The findings screens show where each record came from (HI-2).
        register_source_labeller(attach_sources)
