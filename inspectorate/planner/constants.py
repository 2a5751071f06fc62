from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Planning"
    FINISHED = "finished", "Plan ready"
    INFEASIBLE = "infeasible", "No plan keeps every rule"
    FAILED = "failed", "No plan found"


ACTIVE_STATUSES = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})

# How long a run may search, in seconds (the form's choices).
TIME_LIMITS = (15, 30, 60, 120, 300)
DEFAULT_TIME_LIMIT = 60
# Weekly start limits per organisation (at most this many events start in one week).
DEFAULT_START_LIMITS = {"hmip": 3, "ofsted": 3, "estyn": 1}
# How often the task writes progress to the run, in seconds.
PROGRESS_EVERY = 1.0
EXPLAIN_SECONDS = 30.0
