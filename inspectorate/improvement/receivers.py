"""SC-1: an inspection's published outcome opens (or closes) an improvement case, in the
same transaction as the publication; a factual correction after publication is followed
too. Provisional and moderated judgements open nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from inspectorate.improvement.services import case_follow_judgement, case_follow_publication
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Judgement
from inspectorate.inspections.signals import inspection_published, judgement_recorded

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


@receiver(judgement_recorded, sender=Judgement, dispatch_uid="improvement-case-follows")
def _follow_judgement(sender: Any, judgement: Judgement, actor: User, **kwargs: Any) -> None:
    published = Inspection.objects.filter(event_id=judgement.event_id, stage=Stage.PUBLISHED)
    if published.exists():
        case_follow_judgement(judgement=judgement, actor=actor)


@receiver(inspection_published, sender=Inspection, dispatch_uid="improvement-case-published")
def _follow_publication(sender: Any, inspection: Inspection, actor: User, **kwargs: Any) -> None:
    case_follow_publication(event=inspection.event, actor=actor)
