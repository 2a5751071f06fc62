from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inspectorate.api"
    label = "api"
    verbose_name = "REST API and tokens for other systems"
