from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspectorate.inspections"
    label = "inspections"
    verbose_name = "Inspection fieldwork and judgements"
