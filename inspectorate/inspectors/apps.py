from django.apps import AppConfig


class InspectorsConfig(AppConfig):
    name = "inspectorate.inspectors"
    label = "inspectors"
    verbose_name = "Inspectors"
