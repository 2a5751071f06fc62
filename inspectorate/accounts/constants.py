from django.db import models


class EmailPreference(models.TextChoices):
    """How a person wants to be told by e-mail, besides the service itself."""

    EACH = "each", "Each notification, when it is sent"
    DAILY = "daily", "One e-mail each morning: a digest of notifications and what is due"
    NONE = "none", "No e-mail: I read notifications in the service"
