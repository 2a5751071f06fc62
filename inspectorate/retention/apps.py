from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "inspectorate.retention"
    verbose_name = "Retention and subject access"
