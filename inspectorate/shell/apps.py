from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "inspectorate.shell"
    label = "shell"
    verbose_name = "Interface shell"

    def ready(self) -> None:
        import inspectorate
        from inspectorate.lib.form_errors import name_every_field

        name_every_field(inspectorate)
