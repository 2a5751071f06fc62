from __future__ import annotations

from datetime import timedelta

from django.db import models


class AlertKind(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding: a child or vulnerable adult harmed or at risk"
    SANCTIONS = "sanctions", "Sanctions: a prisoner says they were punished for talking to us"
    NON_DETAINED = "non_detained", "A concern about someone who is not detained"


class AlertStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class EntryKind(models.TextChoices):
    RAISED = "raised", "Raised"
    NOTIFIED = "notified", "Notified"
    ESCALATED = "escalated", "Escalated"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTION = "action", "Action"
    CLOSED = "closed", "Closed"


# An alert not acknowledged within this time goes to the next person on its ladder.
ESCALATE_AFTER = timedelta(hours=1)

# SG-2: the sanctions protocol's steps, recorded as the alert's checklist (PROT 36).
SANCTIONS_PROTOCOL = (
    "Tell the team leader at once.",
    "Record the prisoner's account, with their consent, without promising confidentiality.",
    "The team leader raises it with the governor or director the same day.",
    "Check the prisoner's safety and record what the establishment does.",
    "Report it in the inspection's findings where it is substantiated.",
)

# SG-2: concerns about people who are not detained go by other routes.
NON_DETAINED_ROUTE = (
    "This concern is about someone who is not detained: the coordinator refers it to the "
    "local authority designated officer or the police, not through the establishment."
)
