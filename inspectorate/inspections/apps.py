from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspectorate.inspections"
    label = "inspections"
    verbose_name = "Inspection fieldwork and judgements"

    def ready(self) -> None:
        from inspectorate.inspections import panels  # noqa: F401  (registers its panels)
