from django.db import models

# Every event row is chained under one PostgreSQL advisory lock so that links are strictly
# ordered; the number only has to be unique among the advisory locks this database uses.
CHAIN_LOCK_KEY = 7_211_001


class AccessPurpose(models.TextChoices):
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
