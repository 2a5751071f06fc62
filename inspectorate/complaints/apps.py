from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "inspectorate.complaints"
    label = "complaints"
    verbose_name = "Concerns and complaints about inspections"

    def ready(self) -> None:
        from inspectorate.complaints import panels  # noqa: F401  (registers its panels)
