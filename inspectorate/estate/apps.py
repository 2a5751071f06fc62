from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "inspectorate.estate"
    label = "estate"
    verbose_name = "Establishments and providers"
