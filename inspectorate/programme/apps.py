from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "inspectorate.programme"
    label = "programme"
    verbose_name = "Annual programme"

    def ready(self) -> None:
        # Milestones follow events and teams: signal receivers and permissions register here.
        from inspectorate.programme import timeline  # noqa: F401
