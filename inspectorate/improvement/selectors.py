"""Reads of support and challenge, each a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import DUTIES, Duty
from inspectorate.estate.models import Establishment
from inspectorate.improvement.constants import CaseStatus, ContactKind, LetterStatus
from inspectorate.improvement.models import Contact, ImprovementCase, Letter
from inspectorate.improvement.services import letter_recipients, track_for
from inspectorate.inspections.models import Concern, Recommendation
from inspectorate.lib.listing import narrowed
from inspectorate.programme.models import today


def case_list(user: Any, *, status: str = CaseStatus.OPEN) -> QuerySet[ImprovementCase]:
    cases = ImprovementCase.objects.visible_to(user).select_related(
        "establishment", "event", "opened_by__level", "opened_by__aspect", "improvement_hmi"
    )
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("establishment__name", "-opened_at")


def case_search(user: Any, filters: Mapping[str, Any]) -> QuerySet[ImprovementCase]:
    """The cases `user` may see, narrowed by a `CaseFilterForm`'s values (no status: all)."""
    cases = case_list(user, status=filters.get("status", ""))
    return narrowed(cases, filters, {"track": "track"}, establishment_path="establishment")


def case_for(user: Any, pk: int) -> ImprovementCase:
    case = case_list(user, status="").filter(pk=pk).first()
    if case is None:
        raise Http404("No such improvement case.")
    return case


@dataclass
class ContactRow:
    contact: Contact
    letter: Letter | None  # None: none yet, or not visible to this reader
    letter_due_on: date | None

    @property
    def letter_overdue(self) -> bool:
        due = self.letter_due_on
        sent = self.letter is not None and self.letter.status == LetterStatus.SENT
        return due is not None and not sent and due < today()


def case_contacts(user: Any, case: ImprovementCase) -> list[ContactRow]:
    """The case's contacts with actions, support and the letters the reader may see."""
    letters = {
        letter.contact_id: letter
        for letter in Letter.objects.visible_to(user).filter(contact__case=case)
    }
    contacts = (
        Contact.objects.filter(case=case)
        .select_related("case__establishment")
        .prefetch_related("actions", "support")
        .order_by("held_on", "pk")
    )
    return [ContactRow(c, letters.get(c.pk), c.letter_due_on()) for c in contacts]


def hmi_choices() -> list[User]:
    return list(
        User.objects.filter(
            roles__overlap=sorted(DUTIES[Duty.IMPROVEMENT_HMI]), is_active=True
        ).order_by("last_name", "first_name")
    )


def establishment_cases(user: Any, establishment: Establishment) -> list[ImprovementCase]:
    """The establishment's cases for its page (SC-9), newest first."""
    if track_for(establishment.kind) is None:
        return []
    return list(
        ImprovementCase.objects.visible_to(user)
        .filter(establishment=establishment)
        .select_related("event", "opened_by__level", "opened_by__aspect", "improvement_hmi")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("held_on")))
        .order_by("-opened_at")
    )


def reinspection_windows(user: Any) -> list[ImprovementCase]:
    """Open cases with a re-inspection window (SC-7, SC-8), soonest first: the events the
    programme is due to hold."""
    return list(
        case_list(user)
        .filter(reinspection_from__isnull=False)
        .order_by("reinspection_from", "establishment__name")
    )


def recipients_preview(case: ImprovementCase) -> tuple[str, str]:
    return letter_recipients(case)


@dataclass(frozen=True)
class Area:
    text: str
    paragraph_reference: str


def case_areas(user: Any, case: ImprovementCase) -> list[Area]:
    """The areas for improvement from the inspection, read live from its concerns and
    recommendations as far as `user` may see them (the establishment: once published)."""
    concerns = Concern.objects.visible_to(user).filter(event=case.event)
    recommendations = Recommendation.objects.visible_to(user).filter(event=case.event)
    return [Area(c.text, c.paragraph_reference) for c in concerns] + [
        Area(r.text, r.paragraph_reference) for r in recommendations
    ]


@dataclass(frozen=True)
class LetterDue:
    contact: Contact
    due_on: date


def letters_due(user: Any, *, by: date) -> list[LetterDue]:
    """SC-4 deadlines of `user`'s own cases: visits whose letter is unsent, due by `by`."""
    visits = (
        Contact.objects.filter(
            case__improvement_hmi=user,
            case__status=CaseStatus.OPEN,
            kind__in=[ContactKind.VISIT, ContactKind.FOLLOW_UP],
        )
        .exclude(letter__status=LetterStatus.SENT)
        .select_related("case__establishment")
    )
    rows = [LetterDue(visit, due) for visit in visits if (due := visit.letter_due_on()) is not None]
    return sorted((row for row in rows if row.due_on <= by), key=lambda row: row.due_on)
