from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspectorate.reports"
    label = "reports"
    verbose_name = "Reports, factual-accuracy checks and publication"

    def ready(self) -> None:
        # Their checks of the house-style files and the letters' default wording register.
        from inspectorate.reports import house_style, letters  # noqa: F401
