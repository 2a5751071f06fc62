from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "inspectorate.programme"
    label = "programme"
    verbose_name = "Annual programme"
