"""SC-1: a recorded judgement opens (or closes) an improvement case at once, in the same
transaction as the judgement."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from inspectorate.improvement.services import case_follow_judgement
from inspectorate.inspections.models import Judgement
from inspectorate.inspections.signals import judgement_recorded


@receiver(judgement_recorded, sender=Judgement, dispatch_uid="improvement-case-follows")
def _follow_judgement(sender: Any, judgement: Judgement, actor: Any, **kwargs: Any) -> None:
    case_follow_judgement(judgement=judgement, actor=actor)
