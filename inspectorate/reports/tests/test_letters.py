"""Letters from templates a system administrator edits: defaults, rendering with variables,
the edit screen with its preview, and a stale save refused with nothing lost."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.reports import letters
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.models import LetterTemplate
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return h.user(Role.SYSTEM_ADMINISTRATOR)


def test_default_templates_are_created_when_missing() -> None:
    assert not LetterTemplate.objects.exists()
    found = letters.letter_templates()
    assert {t.kind for t in found} == set(LetterKind.values)
    assert LetterTemplate.objects.count() == 3
    letters.letter_templates()
    assert LetterTemplate.objects.count() == 3


def test_a_letter_renders_with_its_variables() -> None:
    subject, body = letters.letter_render(
        LetterKind.PROGRAMME_AMENDMENT,
        {
            "programme": "2026 to 2027",
            "establishment": "HMP Leeds",
            "summary": "Moved by a week.",
            "changes": ["Starts on: 4 January to 11 January"],
            "made_by": "Coordinator",
            "made_on": "1 December 2026",
        },
    )
    assert subject == "Programme 2026 to 2027 amended: HMP Leeds"
    assert "Moved by a week." in body
    assert "- Starts on: 4 January to 11 January" in body
    assert "&" not in body  # plain text, not HTML-escaped


def test_the_irp_announcement_names_the_recommendations() -> None:
    irp = dh.irp_with_judgements()
    subject, body = letters.irp_announcement_letter(irp.review)
    assert subject == "Independent review of progress at HMP Leeds: 5 \u2013 7 October 2026"
    assert "follow up 7 recommendations from our inspection of November 2025" in body
    assert "- Recommendation 0: leaders should act. (1.12)" in body
    assert "Ofsted will take part" in body


@pytest.mark.rule("SC-4")
def test_the_support_and_challenge_body_comes_from_the_template(admin) -> None:
    template = letters.letter_template(LetterKind.SUPPORT_AND_CHALLENGE)
    letters.letter_template_update(
        actor=admin,
        template=template,
        subject=template.subject,
        body=(
            "To {{ addressee }}.{% for action in actions %} {{ action.action }} by "
            "{{ action.due_on }}.{% endfor %} Copied to: {{ copied_to }}"
        ),
        version=template.version,
    )
    case = SimpleNamespace(
        track="prison",
        addressee="",
        addressee_name="",
        establishment="HMP Leeds",
        learning_provider="Novus",
        funding_body="",
        commissioning_head="Head of commissioning",
        improvement_hmi=None,
    )
    case.establishment = SimpleNamespace(name="HMP Leeds", __str__=lambda self: "HMP Leeds")
    action = SimpleNamespace(action="Raise attendance", owner="Head", due_on=date(2027, 6, 30))
    contact = SimpleNamespace(
        case=case,
        kind="visit",
        get_kind_display=lambda: "Improvement visit",
        held_on=date(2027, 3, 12),
        actions=SimpleNamespace(all=lambda: [action]),
        support=SimpleNamespace(all=lambda: []),
    )
    body = letters.support_and_challenge_body(contact)
    assert "Raise attendance by 30 June 2027." in body
    assert "Copied to: Novus; Head of commissioning" in body


def test_an_administrator_edits_a_template(admin) -> None:
    template = letters.letter_template(LetterKind.IRP_ANNOUNCEMENT)
    saved = letters.letter_template_update(
        actor=admin,
        template=template,
        subject="Review at {{ establishment }}",
        body="Dear {{ addressee }}",
        version=template.version,
    )
    assert saved.version == template.version + 1
    assert saved.updated_by == admin
    values = {**letters.DEFAULTS[LetterKind.IRP_ANNOUNCEMENT].sample, "establishment": "HMP X"}
    assert letters.letter_render(LetterKind.IRP_ANNOUNCEMENT, values)[0] == "Review at HMP X"


def test_a_stale_edit_is_refused_and_nothing_is_lost(admin) -> None:
    template = letters.letter_template(LetterKind.IRP_ANNOUNCEMENT)
    opened_at = template.version
    letters.letter_template_update(
        actor=admin, template=template, subject="First", body="First body", version=opened_at
    )
    with pytest.raises(StaleVersion):
        letters.letter_template_update(
            actor=admin, template=template, subject="Second", body="Second body", version=opened_at
        )
    template.refresh_from_db()
    assert (template.subject, template.body) == ("First", "First body")


def test_only_an_administrator_edits_and_templates_must_be_valid(admin) -> None:
    template = letters.letter_template(LetterKind.IRP_ANNOUNCEMENT)
    with pytest.raises(PermissionDenied):
        letters.letter_template_update(
            actor=h.user(Role.HMIP_COORDINATOR),
            template=template,
            subject="x",
            body="y",
            version=template.version,
        )
    with pytest.raises(ValidationError) as refused:
        letters.letter_template_update(
            actor=admin,
            template=template,
            subject="{% if %}",
            body="",
            version=template.version,
        )
    assert set(refused.value.message_dict) == {"subject", "body"}


def test_the_edit_screen_previews_lists_variables_and_refuses_a_stale_save(client, admin) -> None:
    client.force_login(admin)
    url = reverse("reports:letter-edit", kwargs={"kind": LetterKind.IRP_ANNOUNCEMENT})
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Preview, with example values" in body
    assert "<code>recommendations</code>" in body
    assert "<code>|pluralize</code>" in body  # the sandbox's filters are listed
    preview = client.post(
        url, {"subject": "Hello {{ establishment }}", "body": "Body", "version": 1, "preview": ""}
    )
    assert "Hello HMP Leeds" in preview.content.decode()
    assert LetterTemplate.objects.get(kind=LetterKind.IRP_ANNOUNCEMENT).version == 1
    saved = client.post(url, {"subject": "Saved {{ establishment }}", "body": "B", "version": 1})
    assert saved.status_code == 302
    stale = client.post(url, {"subject": "Lost?", "body": "C", "version": 1})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert "Lost?" in stale.content.decode()  # the form keeps what was typed
    assert LetterTemplate.objects.get(kind=LetterKind.IRP_ANNOUNCEMENT).subject == (
        "Saved {{ establishment }}"
    )
    listing = client.get(reverse("reports:letters"))
    assert listing.status_code == 200


def test_the_letter_screens_are_for_administrators_only(client) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    assert client.get(reverse("reports:letters")).status_code == 403
    url = reverse("reports:letter-edit", kwargs={"kind": LetterKind.IRP_ANNOUNCEMENT})
    assert client.get(url).status_code == 403


# The sandbox (issue 15, finding 6) -----------------------------------------------------

IRP = LetterKind.IRP_ANNOUNCEMENT
NESTED = (
    "{% for a in recommendations %}{% for b in recommendations %}{% for c in recommendations %}"
)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{% debug %}", "Encountered unknown tag 'debug'"),
        ("{{ establishment.__class__ }}", "cannot read hidden attributes such as __class__"),
        ("{{ recommendations['__class__'] }}", "cannot read hidden attributes"),
        ("{{ ''.__class__.__mro__ }}", "cannot read hidden attributes"),
        ("{% include 'base.html' %}", "cannot include, extend or import"),
        ("{% extends 'base.html' %}", "cannot include, extend or import"),
        ("{% import 'x.html' as x %}", "cannot include, extend or import"),
        ("{% from 'x.html' import y %}", "cannot include, extend or import"),
        ("{{ range(10) }}", "cannot call functions or methods"),
        ("{{ establishment.upper() }}", "cannot call functions or methods"),
        ("{% set x = establishment %}", "cannot set variables"),
        ("{{ establishment * 1000000 }}", "cannot calculate"),
        ("{{ establishment|replace('a', 'b') }}", "uses the filter |replace"),
        ("{{ governor }}", "uses {{ governor }}, which this letter does not offer"),
        (NESTED + "{% endfor %}{% endfor %}{% endfor %}", "loops more than 2 deep"),
        ("{% for c in establishment %}{% endfor %}", "may loop only over {{ recommendations }}"),
        ("{{ recommendations.0.colour }}", "has no attribute 'colour'"),
        (
            "{% for a in recommendations %}{{ establishment|join(establishment)"
            "|join(establishment|join(establishment))|join(establishment|join(establishment)"
            "|join(establishment)) }}{% endfor %}",
            "more than 50,000 characters",
        ),
    ],
)
def test_a_template_doing_more_than_a_letter_may_is_refused_when_saved(
    admin, body: str, words: str
) -> None:
    template = letters.letter_template(IRP)
    with pytest.raises(ValidationError) as refused:
        letters.letter_template_update(
            actor=admin, template=template, subject="S", body=body, version=template.version
        )
    assert set(refused.value.message_dict) == {"body"}
    assert words in refused.value.message_dict["body"][0]
    assert refused.value.message_dict["body"][0].startswith("The body ")
    template.refresh_from_db()
    assert (template.version, template.body) == (1, letters.DEFAULTS[IRP].body)


def test_the_sandbox_itself_refuses_attribute_walks_and_missing_values() -> None:
    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    sandbox = letters.ENVIRONMENT
    with pytest.raises(SecurityError):
        sandbox.from_string("{{ x.__class__.__mro__ }}").render(x="")
    with pytest.raises(SecurityError):
        sandbox.from_string("{{ x.__init__.__globals__ }}").render(x=letters.Default)
    with pytest.raises(UndefinedError):
        sandbox.from_string("{{ missing }}").render()
    assert not sandbox.globals  # no range, lipsum, cycler, namespace ...
    assert (
        "{{ 7*7 }}"
        in letters._render("S", "{{ establishment }}", {"establishment": "{{ 7*7 }}"})[1]
    )


def test_a_letter_missing_one_of_its_values_is_refused_not_sent_blank() -> None:
    from jinja2 import UndefinedError

    values = dict(letters.DEFAULTS[IRP].sample)
    del values["addressee"]
    with pytest.raises(UndefinedError):
        letters.letter_render(IRP, values)


def test_the_output_of_a_letter_is_capped() -> None:
    many = {"recommendations": ["x" * 1000] * 60}
    with pytest.raises(letters.LetterTooLong):
        letters._render("S", "{% for a in recommendations %}{{ a }}{% endfor %}", many)


def test_djangos_filters_and_loop_names_still_work() -> None:
    body = (
        "{{ recommendations|length }} recommendation{{ recommendations|length|pluralize }}"
        "{% for r in recommendations %} {{ loop.index }}:{{ r|upper }}{% endfor %}"
        " {{ ofsted|yesno('with,without') }} Ofsted; {{ recommendations|join(' / ') }}"
    )
    letters.template_check(IRP, "S", body)
    _, text = letters._render("S", body, {"recommendations": ["a", "b"], "ofsted": False})
    assert text == "2 recommendations 1:A 2:B without Ofsted; a / b\n"


def test_stored_django_wording_is_converted_to_jinja() -> None:
    import importlib

    migration = importlib.import_module(
        "inspectorate.reports.migrations.0003_letter_templates_jinja"
    )
    django_text = (
        '{% comment %}old{% endcomment %}{{ made_on|date:"j F Y" }}: '
        "{% for c in changes %}{{ forloop.counter }}. {{ c|default_if_none:'none' }}"
        "{% if forloop.last %}.{% endif %}{% empty %}nothing{% endfor %} "
        '{{ changes|length|pluralize:"y,ies" }}{% with changes as listed %}{{ listed|length }}'
        "{% endwith %}"
    )
    jinja_text = migration.django_to_jinja(django_text)
    assert jinja_text == (
        "{{ made_on }}: {% for c in changes %}{{ loop.index }}. {{ c|default('none') }}"
        "{% if loop.last %}.{% endif %}{% else %}nothing{% endfor %} "
        '{{ changes|length|pluralize("y,ies") }}{% with listed = changes %}{{ listed|length }}'
        "{% endwith %}"
    )
    letters.template_check(LetterKind.PROGRAMME_AMENDMENT, "S", jinja_text)


def test_the_migration_converts_stored_wording_and_replaces_what_cannot_be() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "inspectorate.reports.migrations.0003_letter_templates_jinja"
    )
    amendment = LetterTemplate.objects.create(
        kind=LetterKind.PROGRAMME_AMENDMENT,
        subject="Programme {{ programme }}",
        body="{% for c in changes %}{{ forloop.counter }}. {{ c }}\n{% endfor %}",
    )
    announcement = LetterTemplate.objects.create(
        kind=IRP, subject="Review", body="{% debug %}{{ establishment }}"
    )
    migration.convert(apps, None)
    amendment.refresh_from_db()
    announcement.refresh_from_db()
    assert amendment.body == "{% for c in changes %}{{ loop.index }}. {{ c }}\n{% endfor %}"
    assert amendment.version == 2
    assert (announcement.subject, announcement.body) == (
        letters.DEFAULTS[IRP].subject,
        letters.DEFAULTS[IRP].body,
    )
