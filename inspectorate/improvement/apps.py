from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "inspectorate.improvement"
    label = "improvement"
    verbose_name = "Support and challenge"

    def ready(self) -> None:
        from inspectorate.improvement import (
            panels,  # noqa: F401  (registers its panels)
            receivers,  # noqa: F401  (connects the signal)
        )
