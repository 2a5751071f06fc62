from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "inspectorate.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding and sanctions alerts"
