from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspectorate.reports"
    label = "reports"
    verbose_name = "Reports, factual-accuracy checks and publication"
