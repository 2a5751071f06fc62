"""A plan run: one request to the planner for a programme, its parameters, its progress while
it searches, and what it found (a proposal to compare with the draft, or why there is none).

Progress is written about once a second by the background task; runs are working papers and
are not audited row by row. What a coordinator accepts is written through the programme's
own services, which are audited.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from inspectorate.lib.models import user_link
from inspectorate.planner.constants import ACTIVE_STATUSES, RunStatus
from inspectorate.programme.models import Programme


class PlanRun(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="plan_runs")
    requested_by = user_link()
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=RunStatus, default=RunStatus.QUEUED)
    parameters = models.JSONField(
        default=dict,
        help_text="Time limit, closed weeks, fixed events and assignments, weights, intervals.",
    )
    # Progress, while it searches.
    phase = models.CharField(max_length=20, blank=True)
    solutions = models.PositiveIntegerField(default=0)
    best_score = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    elapsed = models.FloatField(default=0.0)
    stop_requested = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What it found.
    result = models.JSONField(default=dict, help_text="The proposal, the draft, the scores.")
    explanation = models.JSONField(default=dict, help_text="Why no plan exists, in words.")
    message = models.TextField(blank=True)
    accepted_items = models.JSONField(default=list)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = user_link(optional=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_run_gap_is_a_share",
                condition=models.Q(gap__isnull=True) | models.Q(gap__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.programme} requested {self.requested_at:%-d %B %Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def gap_text(self) -> str:
        """'0.12%': how far the best score may still be above the best possible."""
        return "" if self.gap is None else f"{self.gap:.2%}"

    @property
    def has_proposal(self) -> bool:
        return self.status == RunStatus.FINISHED and bool(self.result.get("events"))
