"""Every write of support and challenge (SC-1 to SC-9, TM-4).

Cases open themselves: publishing an inspection whose outcome is requires improvement or
inadequate for overall effectiveness or for leadership and management opens one (SC-1, a
receiver of the inspections app's `inspection_published`), and the next inspection's
published overall judgement closes it. Everything else is done by people: the improvement
HMI named (TM-4), contacts with their agreed actions and support (SC-2, SC-3, SC-6), the
letter of each visit (SC-4), insufficient progress (SC-5) and a request to bring the
re-inspection forward (SC-7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from inspectorate.accounts.permissions import require
from inspectorate.accounts.roles import Duty
from inspectorate.estate.constants import EstablishmentKind
from inspectorate.improvement.constants import (
    FE_INADEQUATE_MONITORING_VISIT,
    FE_INADEQUATE_REINSPECTION,
    FE_REQUIRES_IMPROVEMENT_REINSPECTION,
    FE_VISIT_WINDOW_WORKING_DAYS,
    OPENING_ASPECTS,
    OPENING_LEVELS,
    PRISON_KINDS,
    SUPPORT_OPTIONS_BY_TRACK,
    VISIT_KINDS,
    ActionStatus,
    CaseStatus,
    ContactKind,
    LetterStatus,
    Track,
)
from inspectorate.improvement.models import (
    Contact,
    ImprovementCase,
    Letter,
    PriorityAction,
    SupportAgreed,
)
from inspectorate.inspections.models import Inspection, Judgement
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion, locked, saved
from inspectorate.lib.wording import lower_first
from inspectorate.lib.workdays import Nation, add_months, working_days_between
from inspectorate.programme.constants import EventStatus
from inspectorate.programme.models import Event, today
from inspectorate.programme.notifications import notify, send_messages, users_with_duty

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

HMI_ONLY = "Only the case's improvement HMI does this."
OFSTED_NAMES_HMI = "Only Ofsted names the improvement HMI."


def _case_url(case: ImprovementCase) -> str:
    return reverse("improvement:case-detail", kwargs={"pk": case.pk})


def track_for(kind: str) -> Track | None:
    """Which source document an establishment of `kind` follows (None: neither)."""
    if kind in PRISON_KINDS:
        return Track.PRISON
    if kind == EstablishmentKind.FURTHER_EDUCATION_PROVIDER:
        return Track.FURTHER_EDUCATION
    return None


# SC-1: opened and closed by judgements ----------------------------------------------------


def _opens_a_case(judgement: Judgement) -> bool:
    return (
        judgement.follow_up_id is None
        and judgement.aspect.code in OPENING_ASPECTS
        and judgement.level.slug in OPENING_LEVELS
    )


def _called_for(event: Event) -> bool:
    """Whether the event's judgements, as they stand, still call for a case (SC-1)."""
    return Judgement.objects.filter(
        event=event,
        follow_up__isnull=True,
        aspect__code__in=list(OPENING_ASPECTS),
        level__slug__in=list(OPENING_LEVELS),
    ).exists()


def _windows(track: Track, level: str, inspected_on: date) -> dict[str, date | None]:
    """SC-7, SC-8: FE re-inspection (and monitoring visit) windows after the inspection."""
    if track != Track.FURTHER_EDUCATION:
        return {}
    if level == "inadequate":
        (m_from, m_to), (r_from, r_to) = FE_INADEQUATE_MONITORING_VISIT, FE_INADEQUATE_REINSPECTION
        return {
            "monitoring_visit_from": add_months(inspected_on, m_from),
            "monitoring_visit_to": add_months(inspected_on, m_to),
            "reinspection_from": add_months(inspected_on, r_from),
            "reinspection_to": add_months(inspected_on, r_to),
        }
    r_from, r_to = FE_REQUIRES_IMPROVEMENT_REINSPECTION
    return {
        "reinspection_from": add_months(inspected_on, r_from),
        "reinspection_to": add_months(inspected_on, r_to),
    }


def _open(judgement: Judgement, track: Track) -> ImprovementCase:
    event = judgement.event
    case = ImprovementCase.objects.create(
        establishment=event.establishment,
        track=track,
        event=event,
        opened_by=judgement,
        **_windows(track, judgement.level.slug, event.ends_on),
    )
    notify(
        recipients=users_with_duty(Duty.IMPROVEMENT_HMI) + users_with_duty(Duty.SCHEDULES_OFSTED),
        subject=f"Improvement case opened: {event.establishment}",
        body=(
            f"{event.establishment} was judged {lower_first(judgement.level.label)} for "
            f"{OPENING_ASPECTS[judgement.aspect.code]} at the {lower_first(str(event))}. "
            "An improvement HMI is to be named (SC-1)."
        ),
        url=_case_url(case),
    )
    return case


def _close(case: ImprovementCase, judgement: Judgement) -> None:
    saved(case, status=CaseStatus.CLOSED, closed_by=judgement, closed_on=today())


def case_follow_judgement(
    *, judgement: Judgement, actor: User | None = None
) -> ImprovementCase | None:
    """Open a case for a judgement that calls for one (SC-1); close the establishment's open
    case when a later inspection's overall judgement is recorded. Returns the case opened."""
    event = judgement.event
    track = track_for(event.establishment.kind)
    if track is None or judgement.follow_up_id is not None:
        return None
    current = (
        ImprovementCase.objects.select_for_update()
        .filter(establishment=event.establishment, status=CaseStatus.OPEN)
        .select_related("event")
        .first()
    )
    if current is not None and current.event_id == event.pk:
        # This inspection opened it already; a provisional grade changed before any support
        # began withdraws it.
        if not _called_for(event) and not current.contacts.exists():
            _close(current, judgement)
        return None
    later = current is not None and current.event.starts_on < event.starts_on
    if current is not None and later and judgement.aspect.code == "OE":
        _close(current, judgement)
        current = None
    if current is None and _opens_a_case(judgement):
        return _open(judgement, track)
    return None


def case_follow_publication(*, event: Event, actor: User | None = None) -> ImprovementCase | None:
    """SC-1 from the inspection's published outcome: follow each headline judgement, the
    overall one first so that it closes an earlier inspection's case before another opens."""
    judgements = Judgement.objects.filter(event=event, follow_up__isnull=True).select_related(
        "aspect", "level", "event__establishment"
    )
    opened = None
    for judgement in sorted(judgements, key=lambda j: (j.aspect.code != "OE", j.pk)):
        opened = case_follow_judgement(judgement=judgement, actor=actor) or opened
    return opened


# Naming the improvement HMI (TM-4) --------------------------------------------------------


def _inspected(hmi: Any, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.team.filter(inspector__user=hmi).exists()]


def _next_inspection(case: ImprovementCase) -> Event | None:
    return (
        Event.objects.filter(
            establishment=case.establishment,
            starts_on__gt=case.event.ends_on,
            status=EventStatus.PLANNED,
        )
        .order_by("starts_on")
        .first()
    )


def case_assign_hmi(
    *, actor: User, case: ImprovementCase, hmi: Any, reason: str = "", version: int | None
) -> ImprovementCase:
    """Name the improvement HMI: an Ofsted HMI expert in offender learning who normally did
    not carry out the last inspection and will not carry out the next (TM-4)."""
    require(actor, "improvement.assign_case_hmi", message=OFSTED_NAMES_HMI)
    if hmi is None or not hmi.has_perm("improvement.be_case_hmi"):
        raise ValidationError({"hmi": "Choose an improvement HMI"})
    reason = reason.strip()
    events = [case.event, *filter(None, [_next_inspection(case)])]
    clashes = _inspected(hmi, events)
    if clashes and not reason:
        names = " and ".join(str(event) for event in clashes)
        raise OverrideNeeded(
            {
                "hmi": f"{hmi.get_full_name()} is on the team of the {names}: the improvement "
                "HMI is normally not one of the inspectors of the last or the next inspection "
                "(TM-4). Give a reason to choose them."
            }
        )
    with transaction.atomic():
        current = _saved_while_open(
            case, version, improvement_hmi=hmi, improvement_hmi_reason=reason if clashes else ""
        )
        notify(
            recipients=[hmi],
            subject=f"You are the improvement HMI for {case.establishment}",
            body="Arrange the initial telephone conversation and the first visit (SC-2, SC-3).",
            url=_case_url(case),
        )
    return current


def _require_open(case: ImprovementCase) -> None:
    if not case.is_open:
        raise ValidationError("This case is closed: the next inspection's judgement is recorded")


def _saved_while_open(
    case: ImprovementCase, version: int | None, **changes: Any
) -> ImprovementCase:
    """`changes` saved on the case, locked at `version`; refused once it is closed. Call
    inside transaction.atomic()."""
    current = locked(ImprovementCase, case.pk, version)
    _require_open(current)
    return saved(current, **changes)


CASE_DETAIL_FIELDS = (
    "addressee",
    "addressee_name",
    "learning_provider",
    "funding_body",
    "funding_body_email",
    "commissioning_head",
    "commissioning_email",
)


def case_details_update(
    *, actor: User, case: ImprovementCase, version: int | None, **values: str
) -> ImprovementCase:
    """Who the letters go to and are copied to (SC-4, SC-5)."""
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    unknown = set(values) - set(CASE_DETAIL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown case details: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = locked(ImprovementCase, case.pk, version)
        stripped: dict[str, Any] = {name: value.strip() for name, value in values.items()}
        return saved(current, **stripped)


# Contacts: actions and support (SC-2, SC-3, SC-6) -----------------------------------------


@dataclass(frozen=True)
class ActionInput:
    action: str
    owner: str
    due_on: date | None


def _visit_window_warning(case: ImprovementCase, held_on: date) -> str | None:
    """SC-2: an FE visit normally 10 to 30 working days after the report's publication."""
    if case.track != Track.FURTHER_EDUCATION:
        return None
    published = (
        Inspection.objects.filter(event=case.event).values_list("published_on", flat=True).first()
    )
    if published is None:
        return None
    days = (
        working_days_between(published, held_on, Nation(case.establishment.nation))
        if held_on > published
        else 0
    )
    low, high = FE_VISIT_WINDOW_WORKING_DAYS
    if low <= days <= high:
        return None
    return (
        f"The improvement visit is normally {low} to {high} working days after the report's "
        f"publication on {published:%-d %B %Y}; this is {days} (SC-2)"
    )


def _check_actions(kind: str, actions: Sequence[ActionInput], held_on: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    filled = [a for a in actions if a.action.strip() or a.owner.strip() or a.due_on]
    for index, item in enumerate(filled, start=1):
        if not (item.action.strip() and item.owner.strip() and item.due_on):
            problems["actions"] = f"Priority action {index}: enter the action, its owner and date"
        elif item.due_on < held_on:
            problems["actions"] = f"Priority action {index}: the timescale ends before the visit"
    if kind in VISIT_KINDS and not filled and "actions" not in problems:
        problems["actions"] = "A visit agrees at least one priority action with a timescale (SC-3)"
    return problems


def contact_record(
    *,
    actor: User,
    case: ImprovementCase,
    kind: str,
    held_on: date | None,
    notes: str = "",
    actions: Sequence[ActionInput] = (),
    support: Sequence[str] = (),
    other_support: str = "",
    window_reason: str = "",
) -> Contact:
    """Record a telephone conversation or a visit with the priority actions agreed (owner
    and timescale) and the support agreed, from the source document's options or written in
    (SC-3); follow-up visits as needed (SC-6)."""
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    _require_open(case)
    problems: dict[str, str] = {}
    if kind not in ContactKind.values:
        problems["kind"] = "Select the kind of contact"
    if held_on is None:
        problems["held_on"] = "Enter the date of the contact"
    elif held_on > today():
        problems["held_on"] = "Record a contact once it has happened"
    allowed = {str(option) for option in SUPPORT_OPTIONS_BY_TRACK[Track(case.track)]}
    if set(support) - allowed:
        problems["support"] = "Choose support from the options for this kind of establishment"
    if held_on is not None:
        problems.update(_check_actions(kind, actions, held_on))
    if problems or held_on is None:
        raise ValidationError(problems)
    warning = _visit_window_warning(case, held_on) if kind == ContactKind.VISIT else None
    if warning and not window_reason.strip():
        raise OverrideNeeded({"held_on": warning})
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            kind=kind,
            held_on=held_on,
            notes=notes.strip(),
            window_reason=window_reason.strip() if warning else "",
            recorded_by=actor,
        )
        PriorityAction.objects.bulk_create(
            PriorityAction(
                contact=contact, action=a.action.strip(), owner=a.owner.strip(), due_on=due
            )
            for a in actions
            if a.action.strip() and (due := a.due_on) is not None
        )
        rows = [SupportAgreed(contact=contact, option=option) for option in dict.fromkeys(support)]
        if other_support.strip():
            rows.append(SupportAgreed(contact=contact, other=other_support.strip()))
        SupportAgreed.objects.bulk_create(rows)
    return contact


# Agreed actions tracked to done (SC-3, SC-6) ----------------------------------------------


def action_mark_done(
    *, actor: User, action: PriorityAction, done_on: date | None, version: int | None
) -> PriorityAction:
    """The improvement HMI records that an agreed action is done, and when; the next
    follow-up visit's letter confirms it (SC-6). Refused (StaleVersion) if someone changed
    the action since the form was opened."""
    case = action.contact.case
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    _require_open(case)
    if done_on is None:
        raise ValidationError({"done_on": "Enter the date the action was done"})
    if done_on > today():
        raise ValidationError({"done_on": "The date the action was done cannot be in the future"})
    if done_on < action.contact.held_on:
        raise ValidationError(
            {
                "done_on": "The date the action was done must be on or after the "
                f"{lower_first(action.contact.get_kind_display())} that agreed it, "
                f"{action.contact.held_on:%-d %B %Y}"
            }
        )
    with transaction.atomic():
        current = locked(PriorityAction, action.pk, version)
        if current.status == ActionStatus.DONE:
            raise ValidationError(f"This action was already done on {current.done_on:%-d %B %Y}")
        return saved(current, status=ActionStatus.DONE, done_on=done_on, done_by=actor)


def action_reopen(*, actor: User, action: PriorityAction, version: int | None) -> PriorityAction:
    """Undo "done" (recorded in error): the action is open again."""
    case = action.contact.case
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    _require_open(case)
    with transaction.atomic():
        current = locked(PriorityAction, action.pk, version)
        return saved(current, status=ActionStatus.OPEN, done_on=None, done_by=None)


# The letter of each visit (SC-4) -----------------------------------------------------------


def letter_recipients(case: ImprovementCase) -> tuple[str, str]:
    """To whom, and copied to whom (SC-4): prisons to the governor or director, copied to the
    learning provider, the funding body and the commissioning head; FE to the principal."""
    to = case.addressee or (
        f"The governor, {case.establishment}"
        if case.track == Track.PRISON
        else f"The principal, {case.establishment}"
    )
    if case.track != Track.PRISON:
        return to, ""
    copies = [case.learning_provider, case.funding_body, case.commissioning_head]
    return to, "; ".join(name for name in copies if name)


def letter_salutation(case: ImprovementCase) -> str:
    """Whom the letter greets: the addressee's name if recorded, else their office
    ("Governor", "Principal"), never the address line."""
    if case.addressee_name.strip():
        return case.addressee_name.strip()
    return "Governor" if case.track == Track.PRISON else "Principal"


def letter_text(contact: Contact) -> str:
    """A first draft: the actions and timescales and the support agreed at the visit, in
    the wording of the support-and-challenge letter template an administrator edits."""
    from inspectorate.reports.letters import support_and_challenge_body

    return support_and_challenge_body(contact)


def letter_draft(
    *, actor: User, contact: Contact, body: str = "", version: int | None = None
) -> Letter:
    """Write (or rewrite) the letter of a visit; refused once sent."""
    case = contact.case
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    if not contact.is_visit:
        raise ValidationError("Only a visit has a letter (SC-4)")
    to, copies = letter_recipients(case)
    with transaction.atomic():
        existing = Letter.objects.select_for_update().filter(contact=contact).first()
        if existing is None:
            return Letter.objects.create(
                contact=contact,
                addressed_to=to,
                copied_to=copies,
                body=body.strip() or letter_text(contact),
            )
        if existing.version != version:
            raise StaleVersion(existing)
        if existing.status == LetterStatus.SENT:
            raise ValidationError("The letter has been sent: it is no longer changed")
        if not body.strip():
            raise ValidationError({"body": "Enter the letter"})
        return saved(
            existing,
            addressed_to=to,
            copied_to=copies,
            body=body.strip(),
            status=LetterStatus.DRAFT,
            factual_check_on=None,
        )


def letter_factual_check(*, actor: User, letter: Letter, on: date, version: int) -> Letter:
    """FE: the provider has checked the letter for factual accuracy (SC-4)."""
    case = letter.contact.case
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    if case.track != Track.FURTHER_EDUCATION:
        raise ValidationError("Only an FE provider's letter is checked for factual accuracy")
    with transaction.atomic():
        current = locked(Letter, letter.pk, version)
        if current.status == LetterStatus.SENT:
            raise ValidationError("The letter has been sent")
        return saved(current, status=LetterStatus.FACTUAL_CHECK, factual_check_on=on)


def letter_send_problem(case: ImprovementCase, letter: Letter) -> str:
    """Why the letter cannot be sent now ("" when it can): the preview page says so."""
    if letter.status == LetterStatus.SENT:
        return "The letter has already been sent"
    if case.track == Track.FURTHER_EDUCATION and letter.status != LetterStatus.FACTUAL_CHECK:
        return "Check the letter with the provider for factual accuracy before sending (SC-4)"
    return ""


def letter_send(
    *, actor: User, letter: Letter, version: int, sent_on: date | None = None
) -> Letter:
    """Send the letter (`sent_on`, by default today): it becomes visible to the
    establishment, never to the public. An FE provider's letter goes only after its
    factual-accuracy check (SC-4)."""
    case = letter.contact.case
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    with transaction.atomic():
        current = locked(Letter, letter.pk, version)
        problem = letter_send_problem(case, current)
        if problem:
            raise ValidationError(problem)
        current = saved(
            current, status=LetterStatus.SENT, sent_on=sent_on or today(), sent_by=actor
        )
        local = case.establishment.users.filter(is_active=True)
        notify(
            recipients=local,
            subject="Your improvement visit letter",
            body=f"The letter confirming the actions agreed on {letter.contact.held_on:%-d %B %Y}.",
            url=_case_url(case),
        )
    return current


# Insufficient progress and the re-inspection (SC-5, SC-7, SC-9) ---------------------------


def _latest_sent_letter(case: ImprovementCase) -> Letter | None:
    return (
        Letter.objects.filter(contact__case=case, status=LetterStatus.SENT)
        .order_by("-sent_on", "-pk")
        .first()
    )


def insufficient_progress_email_send(*, case_id: int, letter_id: int) -> int:
    """SC-5's e-mail to the case's funding and commissioning bodies: the improvement HMI's
    note (as the case holds it now) with the letter of the last visit attached. Run by the
    job queue after the writing transaction commits (`improvement.tasks`); an SMTP failure
    propagates, and the job is retried. Returns how many were sent: 0 or 1."""
    case = ImprovementCase.objects.select_related("establishment").get(pk=case_id)
    letter = Letter.objects.select_related("contact").get(pk=letter_id)
    addresses = [a for a in (case.funding_body_email, case.commissioning_email) if a]
    if not addresses:
        return 0
    message = EmailMessage(
        subject=f"Insufficient progress: {case.establishment}",
        body=f"The improvement HMI judges that {case.establishment} is not making sufficient "
        f"progress.\n\n{case.insufficient_progress_note}\n\n"
        "The letter of the last visit is attached.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    )
    message.attach(
        f"letter-{letter.contact.held_on:%Y-%m-%d}.txt",
        f"To: {letter.addressed_to}\nCopied to: {letter.copied_to}\n\n{letter.body}",
        "text/plain",
    )
    return send_messages([(message, lambda: None)])


def _queue_insufficient_progress_email(case: ImprovementCase, letter: Letter) -> None:
    from inspectorate.improvement.tasks import insufficient_progress_email  # it imports this

    insufficient_progress_email.defer(case_id=case.pk, letter_id=letter.pk)


def case_insufficient_progress(
    *, actor: User, case: ImprovementCase, note: str, version: int | None
) -> ImprovementCase:
    """SC-5: notify HMI Prisons and the named funding and commissioning bodies, with the
    latest letter attached (their e-mail goes by the job queue once this commits, so an SMTP
    server that is down neither fails nor delays the request)."""
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    if not note.strip():
        raise ValidationError({"note": "Say why progress is insufficient"})
    letter = _latest_sent_letter(case)
    if letter is None:
        raise ValidationError("Send the letter of a visit first: it goes with the notification")
    with transaction.atomic():
        current = _saved_while_open(
            case, version, insufficient_progress_on=today(), insufficient_progress_note=note.strip()
        )
        notify(
            recipients=users_with_duty(Duty.COORDINATES_PROGRAMME),
            subject=f"Insufficient progress: {case.establishment}",
            body=f"{note.strip()}\n\nLetter of {letter.contact.held_on:%-d %B %Y}:\n{letter.body}",
            url=_case_url(case),
        )
        transaction.on_commit(lambda: _queue_insufficient_progress_email(current, letter))
    return current


def reinspection_bring_forward(
    *, actor: User, case: ImprovementCase, reason: str, version: int | None
) -> ImprovementCase:
    """SC-7: the improvement HMI asks for the re-inspection to be brought forward."""
    require(actor, "improvement.work_on_case", case, HMI_ONLY)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the re-inspection should be brought forward"})
    with transaction.atomic():
        current = _saved_while_open(
            case, version, bring_forward_requested_on=today(), bring_forward_reason=reason.strip()
        )
        notify(
            recipients=users_with_duty(Duty.COORDINATES_PROGRAMME)
            + users_with_duty(Duty.SCHEDULES_OFSTED),
            subject=f"Re-inspection asked to be brought forward: {case.establishment}",
            body=reason.strip(),
            url=_case_url(case),
        )
    return current
