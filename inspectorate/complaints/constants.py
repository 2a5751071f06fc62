from __future__ import annotations

from django.db import models

from inspectorate.programme.constants import TeamRole

# The places on an event's team whose holders answer its concerns first (team places, not
# roles): the team leader, and the Ofsted or Estyn lead inspector.
LEAD_PLACES = (TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD)

# CP-1: a formal complaint (and a review) is answered within 20 working days.
RESPONSE_WORKING_DAYS = 20

DEFAULT_REVIEW_ROUTE = (
    "If you are not satisfied with how your complaint was handled, you can ask for an "
    "internal review within 20 working days of this response by replying to it; after the "
    "internal review, you can ask for an independent review."
)

DEFAULT_INDEPENDENT_REVIEW_ROUTE = (
    "If you are not satisfied with the outcome of the internal review, you can ask for an "
    "independent review of how your complaint was handled within 20 working days of this "
    "response by replying to it."
)


class Stage(models.TextChoices):
    CONCERN = "concern", "Concern raised with the lead inspector"
    FORMAL = "formal", "Formal complaint"
    REVIEW = "review", "Review"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    ANSWERED = "answered", "Answered"
