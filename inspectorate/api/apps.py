from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inspectorate.api"
    label = "api"
    verbose_name = "REST API and tokens for other systems"

    def ready(self) -> None:
        from inspectorate.api.fields import use_utc_everywhere

        use_utc_everywhere()
