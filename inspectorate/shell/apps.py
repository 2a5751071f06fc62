from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "inspectorate.shell"
    label = "shell"
    verbose_name = "Interface shell"
