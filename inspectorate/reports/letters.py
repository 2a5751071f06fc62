"""Letters from templates a system administrator can edit: the announcement of an IRP, an
amendment to the programme (PG-4) and the support-and-challenge letter of an improvement
visit (SC-4).

A template is Jinja2 text rendered in a sandbox (issue 15): `ImmutableSandboxedEnvironment`
with `StrictUndefined`, no loader, no globals (no `range`, `namespace`, ...) and only the
filters below, each capped in the size of what it makes. When a template is saved it is
checked: it may use only the letter's variables (`meta.find_undeclared_variables`), may not
include, extend or import anything, call functions, set variables, do arithmetic or read
hidden attributes; a `{% for %}` loops over one of the letter's lists, at most two deep; and
it is rendered once with example values. The letters are plain text, so nothing is
HTML-escaped here: the pages that show a letter escape it like any other text. The context
holds plain values only (no model), and the output is capped, so a preview cannot be made
slow. A default template is written the first time a kind is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sized
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core import checks
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from inspectorate.accounts.permissions import require
from inspectorate.improvement.constants import ContactKind
from inspectorate.lib.versions import locked, saved
from inspectorate.lib.wording import lower_first
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Amendment, Event
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.house_style import HouseStyleError, letter_wording
from inspectorate.reports.models import LetterTemplate

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

MAX_TEMPLATE = 20_000  # characters of a subject or body as written
MAX_OUTPUT = 50_000  # characters of a rendered letter, and of any one value made in it
MAX_LOOP_DEPTH = 2


@dataclass(frozen=True)
class Default:
    """A letter's variables and example values; its default wording is house style, in
    data/house-style/letters-*.json (checked against the variables at every start)."""

    kind: str
    variables: tuple[tuple[str, str], ...]
    sample: Mapping[str, Any]

    @property
    def subject(self) -> str:
        return letter_wording(self.kind)[0]

    @property
    def body(self) -> str:
        return letter_wording(self.kind)[1]


DEFAULTS: dict[str, Default] = {
    LetterKind.IRP_ANNOUNCEMENT: Default(
        kind=LetterKind.IRP_ANNOUNCEMENT,
        variables=(
            ("addressee", "The governor or director of the establishment"),
            ("establishment", "The establishment's name"),
            ("dates", "The review's dates, for example '5 to 7 October 2026'"),
            ("starts_on", "The first day of the review"),
            ("ends_on", "The last day of the review"),
            ("previous_inspection", "The month of the full inspection followed up"),
            ("recommendations", "The recommendations followed up, each with its paragraph"),
            ("ofsted", "Whether Ofsted takes part (true or false)"),
            ("team_leader", "The HMI Prisons team leader"),
            ("sender", "Who sends the letter"),
        ),
        sample={
            "addressee": "The governor",
            "establishment": "HMP Leeds",
            "dates": "5 to 7 October 2026",
            "starts_on": "5 October 2026",
            "ends_on": "7 October 2026",
            "previous_inspection": "November 2025",
            "recommendations": [
                "Prisoners should have a predictable regime that gets them out of cell. (1.12)",
                "New arrivals should have their reading assessed within a week. (1.16)",
            ],
            "ofsted": True,
            "team_leader": "Sam Team-Leader",
            "sender": "The programme coordinator",
        },
    ),
    LetterKind.PROGRAMME_AMENDMENT: Default(
        kind=LetterKind.PROGRAMME_AMENDMENT,
        variables=(
            ("programme", "The programme year, for example '2026 to 2027'"),
            ("establishment", "The establishment whose event changed"),
            ("summary", "What changed, in a sentence"),
            ("changes", "Each field changed, with its value before and after"),
            ("made_by", "Who made the amendment"),
            ("made_on", "When"),
        ),
        sample={
            "programme": "2026 to 2027",
            "establishment": "HMP Leeds",
            "summary": "Moved: full inspection of HMP Leeds now from 11 January 2027.",
            "changes": ["Starts on: 2027-01-04 to 2027-01-11"],
            "made_by": "The programme coordinator",
            "made_on": "23 November 2026",
        },
    ),
    LetterKind.SUPPORT_AND_CHALLENGE: Default(
        kind=LetterKind.SUPPORT_AND_CHALLENGE,
        variables=(
            ("salutation", "Whom the letter greets: the addressee's name, else 'Governor'"),
            ("addressee", "The letter's address line: the governor or director, or principal"),
            ("establishment", "The establishment or provider"),
            ("visit_kind", "'improvement visit', or 'follow-up visit' (SC-6)"),
            ("visit_date", "The day of the visit"),
            ("actions", "The priority actions: each has action, owner and due_on"),
            (
                "earlier_actions",
                "At a follow-up visit, the actions of earlier visits: each has action, owner, "
                "due_on and progress (done on a date, or open) (SC-6)",
            ),
            ("support", "The support agreed"),
            ("copied_to", "Who the letter is copied to (prisons: provider, funder, commissioner)"),
            ("improvement_hmi", "The improvement HMI"),
        ),
        sample={
            "salutation": "Governor",
            "addressee": "The governor, HMP Leeds",
            "establishment": "HMP Leeds",
            "visit_kind": "follow-up visit",
            "visit_date": "12 March 2027",
            "actions": [
                {
                    "action": "Raise attendance at education to 80%",
                    "owner": "Head of learning and skills",
                    "due_on": "30 June 2027",
                }
            ],
            "earlier_actions": [
                {
                    "action": "Start reading assessments within a week of arrival",
                    "owner": "Reading lead",
                    "due_on": "30 January 2027",
                    "progress": "done on 25 January 2027",
                }
            ],
            "support": ["Invitation to an Ofsted improvement seminar"],
            "copied_to": "Novus; Education and Skills Funding Agency",
            "improvement_hmi": "Pat Improvement",
        },
    ),
}


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


# Templates -------------------------------------------------------------------------------


def letter_template(kind: str) -> LetterTemplate:
    """The template of `kind`, written from the default the first time it is needed."""
    default = DEFAULTS[LetterKind(kind)]
    found, _ = LetterTemplate.objects.get_or_create(
        kind=kind, defaults={"subject": default.subject, "body": default.body}
    )
    return found


def letter_templates() -> list[LetterTemplate]:
    """Every kind's template, the missing ones created from their defaults."""
    return [letter_template(kind) for kind in LetterKind]


def variables(kind: str) -> tuple[tuple[str, str], ...]:
    return DEFAULTS[LetterKind(kind)].variables


def _lists(kind: str) -> frozenset[str]:
    """The letter's variables that are lists: the only things a {% for %} may loop over."""
    sample = DEFAULTS[LetterKind(kind)].sample
    return frozenset(name for name, value in sample.items() if isinstance(value, list))


# The sandbox -----------------------------------------------------------------------------


class LetterTooLong(TemplateError):
    """A template made more text than any letter needs (MAX_OUTPUT)."""


def _capped(text: str) -> str:
    _capped_length(len(text))
    return text


def _count(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else int(value)


def _pluralize(value: Any, suffixes: str = "s") -> str:
    """Django's `pluralize`: '' or 's', or 'y,ies' for both forms."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return singular if _count(value) == 1 else plural


def _yesno(value: Any, words: str = "yes,no") -> str:
    yes, _, no = words.partition(",")
    return yes if value else no


def _join(value: Iterable[Any], separator: str = "") -> str:
    items = [str(item) for item in value]
    # Checked before joining: a long text joined with itself is its length squared.
    _capped_length(sum(map(len, items)) + len(str(separator)) * max(len(items) - 1, 0))
    return str(separator).join(items)


def _capped_length(length: int) -> None:
    if length > MAX_OUTPUT:
        raise LetterTooLong(f"it makes more than {MAX_OUTPUT:,} characters")


def _text(function: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda value: _capped(function(str(value)))


FILTERS: dict[str, Callable[..., Any]] = {
    "length": _count,
    "count": _count,
    "pluralize": _pluralize,
    "yesno": _yesno,
    "join": _join,
    "default": lambda value, fallback="": value if value not in ("", None) else fallback,
    "first": lambda value: next(iter(value), ""),
    "last": lambda value: list(value)[-1] if _count(value) else "",
    "upper": _text(str.upper),
    "lower": _text(str.lower),
    "title": _text(str.title),
    "capitalize": _text(str.capitalize),
    "trim": _text(str.strip),
}
FILTERS["d"] = FILTERS["default"]

# What a letter cannot do, in words, by the kind of template node that would do it.
REFUSED: tuple[tuple[tuple[type[nodes.Node], ...], str], ...] = (
    (
        (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport),
        "cannot include, extend or import another template",
    ),
    ((nodes.Call, nodes.Macro, nodes.CallBlock), "cannot call functions or methods"),
    ((nodes.Assign, nodes.AssignBlock), "cannot set variables: use the variables listed"),
    (
        (
            nodes.Add,
            nodes.Sub,
            nodes.Mul,
            nodes.Div,
            nodes.FloorDiv,
            nodes.Mod,
            nodes.Pow,
            nodes.Concat,
        ),
        "cannot calculate or join text with operators (+ - * / % ~)",
    ),
    (
        (
            nodes.Block,
            nodes.FilterBlock,
            nodes.Scope,
            nodes.OverlayScope,
            nodes.EvalContextModifier,
        ),
        "cannot use {% block %}, {% filter %} or {% autoescape %}",
    ),
)


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox letters render in: no loader, no globals, only FILTERS."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, loader=None)
        self.globals.clear()
        self.filters = dict(FILTERS)


ENVIRONMENT = LetterEnvironment()


def _render_part(text: str, context: Mapping[str, Any]) -> str:
    """One part rendered, its output streamed and capped."""
    made: list[str] = []
    length = 0
    for piece in ENVIRONMENT.from_string(text).generate(dict(context)):
        length += len(piece)
        _capped_length(length)
        made.append(piece)
    return "".join(made)


def _render(subject: str, body: str, context: Mapping[str, Any]) -> tuple[str, str]:
    rendered_subject = _render_part(subject, context)
    rendered_body = _render_part(body, context)
    return " ".join(rendered_subject.split()), rendered_body.strip() + "\n"


def letter_render(kind: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of the letter of `kind`, from its template, with `context`'s values
    (every one of the letter's variables: StrictUndefined refuses a missing one)."""
    template = letter_template(kind)
    return _render(template.subject, template.body, context)


def letter_preview(kind: str, subject: str, body: str) -> tuple[str, str]:
    """Unsaved wording, rendered with example values (ValidationError if it is not valid)."""
    template_check(kind, subject, body)
    return _render(subject, body, DEFAULTS[LetterKind(kind)].sample)


def template_check(kind: str, subject: str, body: str) -> None:
    """Each part must parse, do only what a letter may and use only the letter's variables
    (a misspelt one would otherwise fail every letter sent); then it must render with the
    example values."""
    problems: dict[str, str] = {}
    for name, text in (("subject", subject), ("body", body)):
        problem = _part_problem(kind, text) if text.strip() else f"Enter the {name}"
        if problem:
            problems[name] = problem.replace("{part}", name)
    if problems:
        raise ValidationError(problems)


def _part_problem(kind: str, text: str) -> str:
    """What is wrong with one part, in words starting 'The {part}' ('' when nothing)."""
    if len(text) > MAX_TEMPLATE:
        return f"The {{part}} is too long: write at most {MAX_TEMPLATE:,} characters"
    try:
        parsed = ENVIRONMENT.parse(text)
    except TemplateSyntaxError as error:
        return f"The {{part}} is not a valid template: {error.message} (line {error.lineno})"
    problem = _unusable(parsed, kind)
    if problem:
        return f"The {{part}} {problem}"
    try:
        _render_part(text, DEFAULTS[LetterKind(kind)].sample)
    except SecurityError as error:
        return f"The {{part}} cannot be used: {error}"
    except UndefinedError as error:
        return f"The {{part}} uses something the example values do not have: {error}"
    except LetterTooLong as error:
        return f"The {{part}} is refused: {error}"
    except (TemplateError, TypeError, ValueError, ArithmeticError) as error:
        return f"The {{part}} cannot be rendered: {error}"
    return ""


def _unusable(parsed: nodes.Template, kind: str) -> str:
    """What in the parsed template a letter cannot do, in words ('' when nothing)."""
    for types, words in REFUSED:
        if next(parsed.find_all(types), None) is not None:
            return words
    for found in parsed.find_all((nodes.Getattr, nodes.Getitem)):
        attribute = _attribute_name(found)
        if isinstance(attribute, str) and attribute.startswith("_"):
            return f"cannot read hidden attributes such as {attribute}"
    for used in parsed.find_all(nodes.Filter):
        if used.name not in FILTERS:
            return f"uses the filter |{used.name}, which letters do not have: use " + (
                ", ".join(f"|{name}" for name in sorted(FILTERS))
            )
    problem = _loop_problem(parsed.body, _lists(kind), 0)
    if problem:
        return problem
    offered = {name for name, _ in variables(kind)}
    unknown = meta.find_undeclared_variables(parsed) - offered
    if not unknown:
        return ""
    names = ", ".join(f"{{{{ {name} }}}}" for name in sorted(unknown))
    return f"uses {names}, which this letter does not offer: use the variables listed"


def _attribute_name(node: nodes.Node) -> Any:
    """The name read by `x.name` or `x['name']` (None when it is not written out)."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    argument = getattr(node, "arg", None)
    return argument.value if isinstance(argument, nodes.Const) else None


def _loop_problem(body: Iterable[nodes.Node], lists: frozenset[str], depth: int) -> str:
    """Loops run over the letter's own lists, at most MAX_LOOP_DEPTH deep: a preview or a
    letter then takes time in proportion to the records, never to what a template says."""
    for node in body:
        inner = depth
        if isinstance(node, nodes.For):
            inner = depth + 1
            if inner > MAX_LOOP_DEPTH:
                return f"has loops more than {MAX_LOOP_DEPTH} deep"
            if not (isinstance(node.iter, nodes.Name) and node.iter.name in lists):
                return "may loop only over " + ", ".join(
                    f"{{{{ {name} }}}}" for name in sorted(lists)
                )
        problem = _loop_problem(node.iter_child_nodes(), lists, inner)
        if problem:
            return problem
    return ""


def letter_template_update(
    *, actor: User, template: LetterTemplate, subject: str, body: str, version: int | None
) -> LetterTemplate:
    """A system administrator changes a letter's wording. Refused (StaleVersion) if someone
    saved it since the form was opened: nothing is overwritten."""
    require(
        actor,
        "reports.edit_letter_templates",
        message="Only a system administrator edits letter templates.",
    )
    subject = subject.strip()
    template_check(template.kind, subject, body)
    if len(subject) > LetterTemplate._meta.get_field("subject").max_length:  # type: ignore[operator]
        raise ValidationError({"subject": "The subject is too long"})
    with transaction.atomic():
        current = locked(LetterTemplate, template.pk, version)
        return saved(
            current, subject=subject, body=body.strip(), updated_by=actor, updated_at=timezone.now()
        )


# Contexts: plain values from the record --------------------------------------------------


def irp_announcement_context(event: Event, *, sender: str = "") -> dict[str, Any]:
    from inspectorate.inspections.models import FollowUp
    from inspectorate.reports.documents import date_range

    leader = event.team.filter(role=TeamRole.TEAM_LEADER).select_related("inspector").first()
    items = (
        FollowUp.objects.filter(event=event, recommendation__isnull=False)
        .select_related("recommendation")
        .order_by("position", "pk")
    )
    full = event.follows_up
    return {
        "addressee": "The governor",
        "establishment": event.establishment.name,
        "dates": date_range(event.starts_on, event.ends_on),
        "starts_on": _day(event.starts_on),
        "ends_on": _day(event.ends_on),
        "previous_inspection": f"{full.starts_on:%B %Y}" if full else "the last full inspection",
        "recommendations": [
            f"{i.recommendation.text} ({i.recommendation.paragraph_reference})"
            for i in items
            if i.recommendation
        ],
        "ofsted": event.education_inspectorate == "ofsted",
        "team_leader": leader.inspector.name if leader else "The team leader",
        "sender": sender or "The programme coordinator",
    }


def irp_announcement_letter(event: Event, *, sender: str = "") -> tuple[str, str]:
    return letter_render(
        LetterKind.IRP_ANNOUNCEMENT, irp_announcement_context(event, sender=sender)
    )


def programme_amendment_context(amendment: Amendment) -> dict[str, Any]:
    changes = [
        f"{field.replace('_', ' ').capitalize()}: {before or 'none'} to {after or 'none'}"
        for field, (before, after) in (amendment.changes or {}).items()
    ]
    return {
        "programme": amendment.programme.label,
        "establishment": amendment.event.establishment.name if amendment.event else "",
        "summary": amendment.summary,
        "changes": changes,
        "made_by": str(amendment.made_by),
        "made_on": _day(timezone.localdate(amendment.made_at)),
    }


def programme_amendment_letter(amendment: Amendment) -> tuple[str, str]:
    return letter_render(LetterKind.PROGRAMME_AMENDMENT, programme_amendment_context(amendment))


def support_and_challenge_context(contact: Any) -> dict[str, Any]:
    """The values of the SC-4 letter of an improvement visit (an improvement Contact)."""
    from inspectorate.improvement.models import PriorityAction
    from inspectorate.improvement.services import letter_recipients, letter_salutation

    case = contact.case
    to, copies = letter_recipients(case)
    hmi = case.improvement_hmi
    # SC-6: a follow-up visit confirms where each earlier stage's actions stand.
    earlier = (
        PriorityAction.objects.filter(contact__case=case, contact__held_on__lt=contact.held_on)
        .order_by("contact__held_on", "due_on", "pk")
        .select_related("contact")
        if contact.kind == ContactKind.FOLLOW_UP
        else []
    )
    return {
        "salutation": letter_salutation(case),
        "addressee": to,
        "establishment": case.establishment.name,
        "visit_kind": lower_first(contact.get_kind_display()),
        "visit_date": _day(contact.held_on),
        "actions": [
            {"action": a.action, "owner": a.owner, "due_on": _day(a.due_on)}
            for a in contact.actions.all()
        ],
        "earlier_actions": [
            {
                "action": a.action,
                "owner": a.owner,
                "due_on": _day(a.due_on),
                "progress": f"done on {_day(a.done_on)}" if a.is_done else "open",
            }
            for a in earlier
        ],
        "support": [str(s) for s in contact.support.all()],
        "copied_to": copies,
        "improvement_hmi": str(hmi) if hmi else "The improvement HMI",
    }


def support_and_challenge_body(contact: Any) -> str:
    """A first draft of the body of a visit's letter (SC-4), for the improvement app's
    Letter, from the administrator's template."""
    return letter_render(LetterKind.SUPPORT_AND_CHALLENGE, support_and_challenge_context(contact))[
        1
    ]


@checks.register()
def check_letter_defaults(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every start refuses a default letter wording (house style) that uses a variable its
    letter does not have, or does what a letter may not."""
    errors: list[checks.CheckMessage] = []
    for kind, default in DEFAULTS.items():
        try:
            template_check(kind, default.subject, default.body)
        except (ValidationError, HouseStyleError, KeyError) as error:
            errors.append(
                checks.Error(f"The default wording of {kind}: {error}", id="reports.E002")
            )
    return errors
