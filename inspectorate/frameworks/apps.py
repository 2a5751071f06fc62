from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "inspectorate.frameworks"
    label = "frameworks"
    verbose_name = "Inspection frameworks"
