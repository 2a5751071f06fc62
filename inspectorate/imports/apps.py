from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "inspectorate.imports"
    label = "imports"
    verbose_name = "Imports: CSV, spreadsheets and published reports"
