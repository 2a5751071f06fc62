from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspectorate.reports"
    label = "reports"
    verbose_name = "Reports, factual-accuracy checks and publication"

    def ready(self) -> None:
        from inspectorate.reports import house_style  # noqa: F401  (registers its check)
