"""Letters from templates a system administrator can edit: the announcement of an IRP, an
amendment to the programme (PG-4) and the support-and-challenge letter of an improvement
visit (SC-4).

A template is Django template text rendered without HTML escaping (the letters are plain
text) and without loaders (no {% include %} of files), with a context of plain values only:
no model reaches a template, so no method of one can be called from it. A default template
is written the first time a kind is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, Variable
from django.template.defaulttags import ForNode, IfNode, WithNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.template.smartif import TokenBase
from django.utils import timezone

from inspectorate.accounts.constants import Role
from inspectorate.inspections.common import locked, saved
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Amendment, Event
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.models import LetterTemplate

ENGINE = Engine(autoescape=False, loaders=[])
EDITOR_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR})


@dataclass(frozen=True)
class Default:
    subject: str
    body: str
    variables: tuple[tuple[str, str], ...]
    sample: Mapping[str, Any]


DEFAULTS: dict[str, Default] = {
    LetterKind.IRP_ANNOUNCEMENT: Default(
        subject="Independent review of progress at {{ establishment }}: {{ dates }}",
        body=(
            "Dear {{ addressee }},\n\n"
            "HM Inspectorate of Prisons will carry out an independent review of progress at "
            "{{ establishment }} from {{ starts_on }} to {{ ends_on }}.\n\n"
            "The review will follow up {{ recommendations|length }} recommendation"
            "{{ recommendations|length|pluralize }} from our inspection of "
            "{{ previous_inspection }}:\n"
            "{% for recommendation in recommendations %}- {{ recommendation }}\n{% endfor %}"
            "{% if ofsted %}\nOfsted will take part and follow up themes from its findings on "
            "education, skills and work.\n{% endif %}"
            "\n{{ team_leader }} will lead the review and will contact you to arrange it.\n\n"
            "Yours sincerely,\n\n{{ sender }}\nHM Inspectorate of Prisons"
        ),
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
        subject="Programme {{ programme }} amended: {{ establishment }}",
        body=(
            "The inspection programme {{ programme }} has been amended.\n\n"
            "{{ summary }}\n"
            "{% if changes %}\nChanges:\n{% for change in changes %}- {{ change }}\n"
            "{% endfor %}{% endif %}"
            "\nAmended by {{ made_by }} on {{ made_on }}.\n\n"
            "The programme is confidential: share only what inspectors need to know."
        ),
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
        subject="Improvement visit to {{ establishment }} on {{ visit_date }}",
        body=(
            "Dear {{ addressee }},\n\n"
            "Thank you for the improvement visit on {{ visit_date }}. This letter confirms "
            "the priority actions and timescales we agreed, and the support and challenge "
            "arranged.\n\n"
            "Priority actions:\n"
            "{% for action in actions %}- {{ action.action }} (owner: {{ action.owner }}; "
            "by {{ action.due_on }})\n{% endfor %}"
            "{% if support %}\nSupport agreed:\n{% for item in support %}- {{ item }}\n"
            "{% endfor %}{% endif %}"
            "\nThis letter is not published.\n\n"
            "Yours sincerely,\n\n{{ improvement_hmi }}\nOfsted improvement HMI"
            "{% if copied_to %}\n\nCopied to: {{ copied_to }}{% endif %}"
        ),
        variables=(
            ("addressee", "The governor or director (prisons), or the principal (FE)"),
            ("establishment", "The establishment or provider"),
            ("visit_date", "The day of the visit"),
            ("actions", "The priority actions: each has action, owner and due_on"),
            ("support", "The support agreed"),
            ("copied_to", "Who the letter is copied to (prisons: provider, funder, commissioner)"),
            ("improvement_hmi", "The improvement HMI"),
        ),
        sample={
            "addressee": "The governor, HMP Leeds",
            "establishment": "HMP Leeds",
            "visit_date": "12 March 2027",
            "actions": [
                {
                    "action": "Raise attendance at education to 80%",
                    "owner": "Head of learning and skills",
                    "due_on": "30 June 2027",
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


def _render(subject: str, body: str, context: Mapping[str, Any]) -> tuple[str, str]:
    values = Context(dict(context), autoescape=False)
    rendered_subject = Template(subject, engine=ENGINE).render(values)
    rendered_body = Template(body, engine=ENGINE).render(values)
    return " ".join(rendered_subject.split()), rendered_body.strip() + "\n"


def letter_render(kind: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of the letter of `kind`, from its template, with `context`'s values."""
    template = letter_template(kind)
    return _render(template.subject, template.body, context)


def letter_preview(kind: str, subject: str, body: str) -> tuple[str, str]:
    """Unsaved wording, rendered with example values (ValidationError if it is not valid)."""
    _check(kind, subject, body)
    return _render(subject, body, DEFAULTS[LetterKind(kind)].sample)


def _check(kind: str, subject: str, body: str) -> None:
    """Each part must parse, and use only the letter's variables: a misspelt variable would
    otherwise print nothing, silently, in every letter sent."""
    offered = {name for name, _ in variables(kind)}
    problems: dict[str, str] = {}
    for name, text in (("subject", subject), ("body", body)):
        if not text.strip():
            problems[name] = f"Enter the {name}"
            continue
        try:
            parsed = Template(text, engine=ENGINE)
        except TemplateSyntaxError as error:
            problems[name] = f"The {name} is not a valid template: {error}"
            continue
        problem = _unusable(parsed.nodelist, offered)
        if problem:
            problems[name] = f"The {name} {problem}"
    if problems:
        raise ValidationError(problems)


def _unusable(nodes: Iterable[Node], offered: set[str]) -> str:
    """What in the parsed template cannot work in a letter, in words ('' when nothing):
    variables the letter does not offer, or another template to include or extend (letters
    have no template files to load)."""
    unknown: set[str] = set()
    for node in _nodes(nodes):
        if isinstance(node, (IncludeNode, ExtendsNode)):
            return "cannot include or extend another template"
    _collect_unknown(nodes, set(offered), unknown)
    if not unknown:
        return ""
    names = ", ".join(f"{{{{ {name} }}}}" for name in sorted(unknown))
    return f"uses {names}, which this letter does not offer: use the variables listed"


def _nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        for attribute in node.child_nodelists:
            yield from _nodes(getattr(node, attribute, None) or [])


def _collect_unknown(nodes: Iterable[Node], known: set[str], unknown: set[str]) -> None:
    """Add to `unknown` the names used that are neither offered nor bound by an enclosing
    {% for %} or {% with %} (or an earlier `as name`)."""
    for node in nodes:
        inner = set(known)
        if isinstance(node, ForNode):
            inner |= {*node.loopvars, "forloop"}
        elif isinstance(node, WithNode):
            inner |= set(node.extra_context)
        unknown |= {name for name in _names_used(node) if name not in known}
        for attribute in node.child_nodelists:
            _collect_unknown(getattr(node, attribute, None) or [], inner, unknown)
        for attribute in ("asvar", "var_name", "variable_name"):
            bound = getattr(node, attribute, None)
            if isinstance(bound, str) and bound:
                known.add(bound)


def _names_used(node: Node) -> Iterator[str]:
    """The first name of each variable the node itself reads (not its children's)."""
    if isinstance(node, IfNode):
        values: list[Any] = [c for c, _ in node.conditions_nodelists if c is not None]
    else:
        values = list(vars(node).values())
    for value in values:
        for expression in _expressions(value):
            yield from _expression_names(expression)


def _expressions(value: Any) -> Iterator[FilterExpression]:
    """FilterExpressions in a node attribute: directly, in lists and dicts, or in an {% if %}
    condition's tree of operators."""
    if isinstance(value, FilterExpression):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _expressions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item)
    elif isinstance(value, TokenBase):  # an {% if %} condition: a literal or an operator
        yield from _expressions(value.value)
        yield from _expressions(value.first)
        yield from _expressions(value.second)


def _expression_names(expression: FilterExpression) -> Iterator[str]:
    variables_read = [expression.var] + [
        argument for _, arguments in expression.filters for lookup, argument in arguments if lookup
    ]
    for variable in variables_read:
        if isinstance(variable, Variable) and variable.lookups:
            yield variable.lookups[0]


def letter_template_update(
    *, actor: Any, template: LetterTemplate, subject: str, body: str, version: int | None
) -> LetterTemplate:
    """A system administrator changes a letter's wording. Refused (StaleVersion) if someone
    saved it since the form was opened: nothing is overwritten."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*EDITOR_ROLES):
        raise PermissionDenied("Only a system administrator edits letter templates.")
    subject = subject.strip()
    _check(template.kind, subject, body)
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
    from inspectorate.improvement.services import letter_recipients

    case = contact.case
    to, copies = letter_recipients(case)
    hmi = case.improvement_hmi
    return {
        "addressee": to,
        "establishment": case.establishment.name,
        "visit_date": _day(contact.held_on),
        "actions": [
            {"action": a.action, "owner": a.owner, "due_on": _day(a.due_on)}
            for a in contact.actions.all()
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
