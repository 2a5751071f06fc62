"""Every URL pattern of the project, filled with real objects of the demo, and who may see them.

Used by the walk tests (test_url_walk.py) and bench/access_walk.py (no tests here). Each
pattern's parameters are filled from the sample objects: the last parameter names the object
(`.../evidence/<pk>/` an evidence form), the ones before it are taken from that object (its
event), so the address is one the service really answers. A pattern with a parameter this
module does not know fails the walk: a new URL must be taught here, not skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Anyone may open these without signing in (anything under them too, for the static files).
PUBLIC = {
    "shell:home",
    "shell:healthz",
    "shell:readyz",
    "shell:accessibility",
    "shell:privacy",
    "accounts:sign-in",
    "admin:login",
    "inspections:open-data",
    "inspections:open-data-judgements",
    "inspections:open-data-healthy-prison-tests",
    "inspections:open-data-irp-progress",
    "inspections:open-data-dictionary",
    "reports:public-list",
    "reports:public-report",
    "reports:public-pdf",
    "calendars:feed",  # the unguessable token in the address is the credential
    # Account recovery (the password reset by e-mail), where the service has it.
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
}
# Patterns without an object of the demo to fill them: walked with an id that does not exist.
NO_SAMPLE = {
    "frameworks:assessment-detail": "the demo records no framework assessment",
    "frameworks:decision-change": "the demo records no framework assessment",
    "api:framework-assessment-detail": "the demo records no framework assessment",
    "api:framework-assessment-decision": "the demo records no framework assessment",
    "api:access-event-detail": "the demo logs no confidential read before the walk",
    "programme:challenge-answer": "the demo records no challenge to its programmes",
}
MISSING_ID = "999999"
# Patterns that only redirect, whoever asks, and where to.
REDIRECTS = {"api-unversioned": "/api/v1/"}


@dataclass(frozen=True)
class Pattern:
    name: str  # namespace:name, or the route when unnamed
    route: str  # with <name> placeholders
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


@dataclass
class Probe:
    """One address to request, and the object whose visibility decides who may read it."""

    pattern: Pattern
    url: str
    guard: Model | None = None  # None: the pattern names no object (a list, a form)


@dataclass
class Samples:
    """The objects the walk fills parameters with, by the path segment naming them."""

    by_segment: dict[str, list[Model]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # year, kind, token, slug, version


def patterns() -> list[Pattern]:
    found: list[Pattern] = []
    _walk(get_resolver(), "", "", found)
    return found


def _walk(resolver: URLResolver, prefix: str, namespace: str, found: list[Pattern]) -> None:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            _walk(entry, prefix + _route(entry.pattern), inner, found)
        elif isinstance(entry, URLPattern):
            route = prefix + _route(entry.pattern)
            name = f"{namespace}:{entry.name}" if entry.name else route
            found.append(Pattern(name, route, tuple(re.findall(r"<(\w+)>", route))))


def _route(pattern: Any) -> str:
    """The pattern as a route with `<name>` placeholders, regular expressions included."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", text)
    text = text.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return text.replace("/?", "/").replace("\\.", ".").replace("\\", "")


def samples() -> Samples:
    """The demo's objects (load_demo), plus the few it has none of (a token, a plan run)."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inspectorate.accounts.models import User
    from inspectorate.api.services import api_token_issue
    from inspectorate.audit.models import AccessEvent
    from inspectorate.calendars.models import CalendarToken
    from inspectorate.calendars.services import feed_issue
    from inspectorate.complaints.models import Complaint
    from inspectorate.estate.models import Establishment, Provider, ProviderContract
    from inspectorate.frameworks.models import Framework
    from inspectorate.improvement.models import Contact, ImprovementCase, Letter, PriorityAction
    from inspectorate.inspections import models as inspections
    from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
    from inspectorate.planner.models import PlanRun
    from inspectorate.programme.models import (
        Amendment,
        Event,
        Milestone,
        Notification,
        Programme,
        TeamMember,
    )
    from inspectorate.reports.models import FactualAccuracyComment, Report
    from inspectorate.safeguarding.models import Alert

    coordinator = User.objects.get(username="coordinator")
    programme = Programme.objects.order_by("-year").first()
    assert programme is not None, "load the demo first (manage.py load_demo)"
    if not TOTPDevice.objects.exists():  # an authenticator being set up, for the admin's pages
        TOTPDevice.objects.create(user=coordinator, name="Walk", confirmed=False)
    if not PlanRun.objects.exists():
        PlanRun.objects.create(programme=programme, requested_by=coordinator)
    token = api_token_issue(actor=coordinator, name="Walk")
    feed = feed_issue(actor=User.objects.get(username="inspector"))
    # The most confidential (an unannounced inspection to come, PG-3) and the fullest (the
    # IRP at Pentonville: follow-ups, an alert, a report).
    unannounced = Event.objects.filter(
        announced_on__isnull=True, team__isnull=False, starts_on__gt=date.today()
    ).distinct()
    irp = Event.objects.filter(follow_up_items__isnull=False).distinct()
    framework = Framework.objects.order_by("pk").first()
    assert framework is not None

    def first(model: type[Model], **where: Any) -> list[Model]:
        found = model._default_manager.filter(**where).order_by("pk").first()
        return [found] if found else []

    events = [*unannounced.order_by("pk")[:1], *irp.order_by("pk")[:1]]
    by_segment: dict[str, list[Model]] = {
        "events": events,
        "team": first(TeamMember, event__in=events[:1]),
        "team-members": first(TeamMember, event__in=events[:1]),
        "milestones": first(Milestone, event__in=events[:1]),
        "establishments": first(Establishment, code="PV"),
        "providers": first(Provider),
        "contracts": first(ProviderContract),
        "inspectors": first(Inspector),
        "unavailability": first(Unavailability),
        "conflicts": first(ConflictOfInterest),
        "programme-amendments": first(Amendment),
        "notifications": first(Notification),
        "evidence": first(inspections.EvidenceForm),
        "observations": first(inspections.Observation),
        "meetings": first(inspections.Meeting),
        "briefings": first(inspections.Briefing),
        "judgements": first(inspections.Judgement),
        "recommendations": first(inspections.Recommendation),
        "concerns": first(inspections.Concern),
        "positive-practice": first(inspections.PositivePractice),
        "follow-ups": first(inspections.FollowUp),
        "support-and-challenge": first(ImprovementCase),
        "improvement-cases": first(ImprovementCase),
        "contacts": first(Contact),
        "actions": first(PriorityAction),
        "improvement-letters": first(Letter),
        "alerts": first(Alert),
        "complaints": first(Complaint),
        "reports": list(Report.objects.order_by("pk")),
        "comments": first(FactualAccuracyComment),
        "report-comments": first(FactualAccuracyComment),
        "pdf": list(Report.objects.order_by("pk")[:1]),
        "published": list(Report.objects.filter(stage="published").order_by("pk")[:1]),
        "tokens": [token.token],
        "access-events": first(AccessEvent),
        "plan-runs": first(PlanRun),
        "runs": first(PlanRun),
        "users": first(User, username="inspector"),
        "calendar-feeds": first(CalendarToken, user__username="inspector", revoked_at=None),
    }
    values = {
        "uidb64": urlsafe_base64_encode(force_bytes(coordinator.pk)),
        "year": str(programme.year),
        "format": "json",
        "token": feed,
        "slug": framework.slug,
        "version": str(framework.version),
        "kind": "irp_announcement",
        "rest": "events/",  # an unversioned API path
    }
    return Samples(by_segment={k: v for k, v in by_segment.items() if v}, values=values)


# Parameters taken from the named object rather than from samples of their own.
FROM_OBJECT: dict[str, Callable[[Any], str]] = {
    "event_pk": lambda obj: str(obj.event_id),
    "code": lambda obj: str(obj.establishment.code),
}
# Which object of the pattern's last parameter, for segments that differ from the above.
LEAF_SEGMENT = {
    "member_pk": "team",
    "unavailability_pk": "unavailability",
    "contact_pk": "contacts",
    "action_pk": "actions",
    "decision_pk": "decisions",
    "aspect_pk": "aspects",
}
# The parent `pk` of a nested object (`inspectors/<pk>/unavailability/<unavailability_pk>/`).
PARENT_PK: dict[str, Callable[[Any], str]] = {
    "unavailability": lambda obj: str(obj.inspector_id),
    "contacts": lambda obj: str(obj.case_id),
    "actions": lambda obj: str(obj.contact.case_id),
}


def probes(pattern: Pattern, found: Samples) -> list[Probe] | None:
    """The addresses to request for `pattern`; None when it cannot be filled."""
    if not pattern.params:
        return [Probe(pattern, "/" + pattern.route)]
    if pattern.name in NO_SAMPLE:
        return [Probe(pattern, _fill(pattern, dict.fromkeys(pattern.params, MISSING_ID)))]
    if pattern.is_admin:
        return _admin_probes(pattern)
    leaf_param, segment = _leaf(pattern)
    if leaf_param is None:  # only plain values (year, kind, token, slug, version, format)
        values = _values(pattern, found, {})
        return None if values is None else [Probe(pattern, _fill(pattern, values))]
    return _object_probes(pattern, found, leaf_param, segment)


def _object_probes(
    pattern: Pattern, found: Samples, leaf_param: str, segment: str
) -> list[Probe] | None:
    if pattern.name.startswith("inspections:finding-") and leaf_param == "pk":
        segment = "concerns"
    if pattern.name == "inspections:judgement-record":
        return _judgement_record(pattern, found)
    objects = found.by_segment.get(segment)
    if objects is None:
        return None
    result = []
    for obj in objects:
        given = {leaf_param: _identifier(segment, obj)}
        for param in pattern.params:
            if param in given:
                continue
            if param in FROM_OBJECT and param != leaf_param:
                given[param] = FROM_OBJECT[param](obj)
            elif param == "pk" and segment in PARENT_PK:
                given[param] = PARENT_PK[segment](obj)
        values = _values(pattern, found, given)
        if values is None:
            return None
        result.append(Probe(pattern, _fill(pattern, values), guard=obj))
    return result


def _judgement_record(pattern: Pattern, found: Samples) -> list[Probe]:
    from inspectorate.inspections.models import Judgement

    judgement = Judgement.objects.select_related("event").order_by("pk").first()
    assert judgement is not None
    url = _fill(
        pattern, {"event_pk": str(judgement.event_id), "aspect_pk": str(judgement.aspect_id)}
    )
    return [Probe(pattern, url, guard=judgement.event)]


def _identifier(segment: str, obj: Any) -> str:
    return str(obj.code) if segment == "establishments" else str(obj.pk)


def _leaf(pattern: Pattern) -> tuple[str | None, str]:
    """The last parameter naming an object, and the path segment before it."""
    for param in reversed(pattern.params):
        if param in LEAF_SEGMENT:
            return param, LEAF_SEGMENT[param]
        if param in {"pk", "event_pk", "code"}:
            before = pattern.route.split(f"<{param}>")[0].rstrip("/").rsplit("/", 1)[-1]
            return param, before
    return None, ""


def _values(pattern: Pattern, found: Samples, given: dict[str, str]) -> dict[str, str] | None:
    values = dict(given)
    for param in pattern.params:
        if param in values:
            continue
        if param == "kind" and pattern.name.startswith("inspections:"):
            values[param] = "concerns"
        elif param in found.values:
            values[param] = found.values[param]
        else:
            return None
    return values


def _fill(pattern: Pattern, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return "/" + re.sub(r"<(\w+)>", value, pattern.route)


def _admin_probes(pattern: Pattern) -> list[Probe]:
    """The admin: every model's pages, with the first object of the model where one exists."""
    from django.contrib import admin

    values = dict.fromkeys(pattern.params, "1")
    match = re.match(r"admin/(\w+)/(\w+)/", pattern.route)
    if match:
        for model in admin.site._registry:
            if (model._meta.app_label, model._meta.model_name) == match.groups():
                obj = model._default_manager.order_by("pk").first()
                if obj is not None:
                    values = dict.fromkeys(pattern.params, str(obj.pk))
    if pattern.name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        from inspectorate.accounts.models import User

        user = User.objects.order_by("pk").first()
        assert user is not None
        users = ContentType.objects.get_for_model(User)
        values = {"content_type_id": str(users.pk), "object_id": str(user.pk)}
    values = {k: ("accounts" if k == "app_label" else v) for k, v in values.items()}
    values = {k: ("1/change" if k == "url" else v) for k, v in values.items()}
    return [Probe(pattern, _fill(pattern, values))]


def plan(found: Samples) -> tuple[list[Probe], list[Pattern]]:
    """Every probe of every pattern, and the patterns that could not be filled."""
    result: list[Probe] = []
    unfilled: list[Pattern] = []
    for pattern in patterns():
        made = probes(pattern, found)
        if made is None:
            unfilled.append(pattern)
        else:
            result.extend(made)
    return result, unfilled


def visible(user: Any, obj: Model | None) -> bool | None:
    """Whether `user` may read `obj` by its model's visible_to (the permission table);
    None when neither the object nor the event it belongs to has one."""
    if obj is None:
        return None
    for candidate in (obj, getattr(obj, "event", None), getattr(obj, "case", None)):
        if candidate is None:
            continue
        manager: Any = type(candidate)._default_manager
        if hasattr(manager, "visible_to"):
            return bool(manager.visible_to(user).filter(pk=candidate.pk).exists())
    return None


def iter_roles() -> Iterator[Any]:
    from inspectorate.accounts.models import User

    yield from User.objects.exclude(username__startswith="api-").order_by("username")


@dataclass
class Outcome:
    patterns: int = 0
    unfilled: list[str] = field(default_factory=list)
    requests: int = 0
    leaks: list[str] = field(default_factory=list)
    header_faults: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"patterns walked: {self.patterns}, unfilled: {len(self.unfilled)}, "
            f"requests: {self.requests}, leaks: {len(self.leaks)}, "
            f"header faults: {len(self.header_faults)}, server errors: {len(self.server_errors)}"
        )


def secrets_of(found: Samples) -> list[str]:
    """Words only those who may read the samples may see: the alert, the evidence, the date
    of the unannounced inspection."""
    from django.utils.dateformat import format as date_format

    words: list[str] = []
    for alert in found.by_segment.get("alerts", []):
        words.append(alert.summary)  # type: ignore[attr-defined]
    for evidence in found.by_segment.get("evidence", []):
        words.extend(line for line in evidence.text.splitlines() if len(line) > 30)  # type: ignore[attr-defined]
    secret = found.by_segment["events"][0]
    starts = secret.starts_on  # type: ignore[attr-defined]
    words += [starts.isoformat(), date_format(starts, "j F Y")]
    return [w for w in words if w]


def check_headers(response: Any, *, signed_in: bool) -> str | None:
    csp = response.get("Content-Security-Policy", "")
    if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
        return "no Content-Security-Policy"
    if "camera=()" not in response.get("Permissions-Policy", ""):
        return "no Permissions-Policy"
    if signed_in and response.get("Cache-Control") != "no-store":
        return f"Cache-Control {response.get('Cache-Control')!r}"
    if signed_in and response.get("Pragma") != "no-cache":
        return "no Pragma: no-cache"
    return None


def walk_anonymous(client: Any, planned: list[Probe], secrets: list[str], out: Outcome) -> None:
    """Every probe signed out: public ones answer 200, the rest send to sign-in or refuse
    (302, 401, 403, 404, 405), and no answer carries a confidential word."""
    for probe in planned:
        response = _get(client, probe.url)
        out.requests += 1
        where = f"anonymous {probe.url}"
        _record(response, where, signed_in=False, out=out)
        target = REDIRECTS.get(probe.pattern.name.removeprefix(":"))  # ":name": no namespace
        if target is not None:
            if response.status_code != 308 or not response["Location"].startswith(target):
                out.leaks.append(f"{where}: answered {response.status_code}, not 308 to {target}")
            continue
        public = probe.pattern.name in PUBLIC
        status = response.status_code
        if public and status not in {200, 302, 404}:
            out.leaks.append(f"{where}: a public page answered {status}")
        if not public and status not in {302, 401, 403, 404, 405}:
            out.leaks.append(f"{where}: answered {status}")
        if status == 302 and not public:
            location = response["Location"]
            if not location.startswith(("/sign-in/", "/admin/login/")):
                out.leaks.append(f"{where}: redirected to {location}")
        body = response.content.decode(errors="replace") if not response.streaming else ""
        for word in secrets:
            if word in body:
                out.leaks.append(f"{where}: shows {word!r}")


def walk_signed_in(client: Any, user: Any, planned: list[Probe], out: Outcome) -> None:
    """Every probe as `user`: an object the permission table hides from them never answers
    200, and every answer is no-store."""
    for probe in planned:
        response = _get(client, probe.url)
        out.requests += 1
        where = f"{user.username} {probe.url}"
        _record(response, where, signed_in=True, out=out)
        hidden = visible(user, probe.guard) is False
        if response.status_code == 200 and probe.pattern.name not in PUBLIC and hidden:
            out.leaks.append(f"{where}: answered 200 for an object hidden from them")


def _get(client: Any, url: str) -> Any:
    """GET in a savepoint: a server error that broke the test's transaction is undone, so
    the walk goes on and reports it."""
    from django.db import transaction

    savepoint = transaction.savepoint()
    response = client.get(url)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


def _record(response: Any, where: str, *, signed_in: bool, out: Outcome) -> None:
    fault = check_headers(response, signed_in=signed_in)
    if fault:
        out.header_faults.append(f"{where}: {fault}")
    if response.status_code >= 500:
        out.server_errors.append(f"{where}: {response.status_code}")
