"""The "Concerns and recommendations" tab and an IRP's "Follow-up" tab.

An event the user may not see is a 404 (PG-3, via event_for); a visible event whose
findings the user may not see, or may not change, is a 403. The establishment sees an IRP's
follow-up list once the IRP is announced, but never its narratives or judgements before
publication. A save over someone else's is refused (409) with the user's text kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.inspections.constants import FOLLOW_UP_RECOMMENDATIONS_USUALLY
from inspectorate.inspections.findings import selectors, services
from inspectorate.inspections.findings.forms import (
    ConcernForm,
    DeleteForm,
    FollowUpSelectForm,
    NarrativeForm,
    PositivePracticeForm,
    ProgressJudgementForm,
    RecommendationForm,
    RemoveForm,
    ThemeForm,
    VersionedForm,
)
from inspectorate.inspections.form_pages import judgement_initial, latest, tab_form
from inspectorate.inspections.models import Concern, FollowUp, PositivePractice, Recommendation
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import saved_then_redirect, submit
from inspectorate.lib.provenance import attach_sources
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import event_for

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

# Fetching the event ----------------------------------------------------------------------


def _logged(request: HttpRequest, event: Event) -> Event:
    if event.is_confidential():
        access_record(actor=signed_in_user(request), record=event, path=request.path)  # PG-3, DP-1
    return event


def _findings_event(request: HttpRequest, event_pk: int) -> Event:
    event = event_for(request.user, event_pk)
    if not request.user.has_perm("inspections.see_findings", event):
        raise PermissionDenied("You cannot see this inspection's findings.")
    return _logged(request, event)


def _irp(request: HttpRequest, event_pk: int) -> Event:
    event = event_for(request.user, event_pk)
    if event.kind != EventKind.IRP:
        raise Http404("Only an independent review of progress has a follow-up.")
    if not request.user.has_perm("inspections.see_follow_ups", event):
        raise PermissionDenied("You cannot see this review's follow-up.")
    return _logged(request, event)


def _lead_only(
    request: HttpRequest, event: Event, permission: str = "inspections.change_findings"
) -> None:
    if not request.user.has_perm(permission, event):
        raise PermissionDenied(
            "Only the team leader or the lead inspector for education on this event's team "
            "can change this."
        )


# Concerns and recommendations ------------------------------------------------------------


@require_GET
def findings(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _findings_event(request, event_pk)
    page = selectors.findings_page(request.user, event)
    concerns = [concern for group in page.concern_groups for concern in group.concerns]
    attach_sources([*concerns, *page.recommendations, *page.positive_practice])
    return render(
        request,
        "inspections/findings/findings.html",
        tab_context(request, event, "findings", page=page),
    )


@dataclass(frozen=True)
class _Kind:
    """One kind of finding the generic add, edit and delete views handle."""

    model: type[Concern] | type[Recommendation] | type[PositivePractice]
    noun: str
    anchor: str
    form: Callable[..., Any]  # a ConcernForm, RecommendationForm or PositivePracticeForm
    initial: Callable[[Any], dict[str, Any]]
    save: Callable[..., Any]
    delete: Callable[..., None]


def _concern_form(request: HttpRequest, event: Event) -> Callable[..., VersionedForm]:
    def build(data: Any = None, **kwargs: Any) -> VersionedForm:
        return ConcernForm(data, education=bool(event.education_inspectorate), **kwargs)

    return build


def _recommendation_form(request: HttpRequest, event: Event) -> Callable[..., VersionedForm]:
    concerns = selectors.concern_choices(event)
    earlier = selectors.previous_choices(request.user, event)

    def build(data: Any = None, **kwargs: Any) -> VersionedForm:
        return RecommendationForm(data, concerns=concerns, earlier=earlier, **kwargs)

    return build


def _practice_form(request: HttpRequest, event: Event) -> Callable[..., VersionedForm]:
    paragraphs = selectors.paragraph_choices(event)

    def build(data: Any = None, **kwargs: Any) -> VersionedForm:
        return PositivePracticeForm(data, paragraphs=paragraphs, **kwargs)

    return build


def _save_concern(actor: User, event: Event, record: Concern | None, data: dict[str, Any]) -> Any:
    values = {
        "kind": data["kind"],
        "text": data["text"],
        "paragraph_reference": data["paragraph_reference"],
        "override_reason": data["override_reason"],
    }
    if record is None:
        return services.concern_add(actor=actor, event=event, **values)
    return services.concern_edit(actor=actor, concern=record, version=data["version"], **values)


def _linked(model: type[Any], event_filter: dict[str, Any], pk: int | None) -> Any:
    return model.objects.filter(pk=pk, **event_filter).first() if pk else None


def _save_recommendation(
    actor: User, event: Event, record: Recommendation | None, data: dict[str, Any]
) -> Any:
    concern = _linked(Concern, {"event": event}, data["concern"])
    previous = _linked(
        Recommendation,
        {"event__establishment_id": event.establishment_id},
        data["previous"],
    )
    values = {
        "text": data["text"],
        "paragraph_reference": data["paragraph_reference"],
        "concern": concern,
        "previous": previous,
    }
    if record is None:
        return services.recommendation_add(actor=actor, event=event, **values)
    return services.recommendation_edit(
        actor=actor, recommendation=record, version=data["version"], **values
    )


def _save_practice(
    actor: User, event: Event, record: PositivePractice | None, data: dict[str, Any]
) -> Any:
    follow_up_pk, _, paragraph = (data.get("paragraph_link") or "").partition("-")
    values = {
        "text": data["text"],
        "paragraph_reference": data["paragraph_reference"],
        "follow_up": _linked(
            FollowUp, {"event": event}, int(follow_up_pk) if follow_up_pk else None
        ),
        "paragraph": int(paragraph) if paragraph else None,
    }
    if record is None:
        return services.positive_practice_add(actor=actor, event=event, **values)
    return services.positive_practice_edit(
        actor=actor, practice=record, version=data["version"], **values
    )


KINDS: dict[str, Callable[[HttpRequest, Event], _Kind]] = {
    "concerns": lambda request, event: _Kind(
        model=Concern,
        noun="concern",
        anchor="concerns",
        form=_concern_form(request, event),
        initial=lambda c: {
            "kind": c.kind,
            "text": c.text,
            "paragraph_reference": c.paragraph_reference,
        },
        save=_save_concern,
        delete=lambda actor, record, version: services.concern_delete(
            actor=actor, concern=record, version=version
        ),
    ),
    "recommendations": lambda request, event: _Kind(
        model=Recommendation,
        noun="recommendation",
        anchor="recommendations",
        form=_recommendation_form(request, event),
        initial=lambda r: {
            "text": r.text,
            "paragraph_reference": r.paragraph_reference,
            "concern": r.concern_id,
            "previous": r.previous_id,
        },
        save=_save_recommendation,
        delete=lambda actor, record, version: services.recommendation_delete(
            actor=actor, recommendation=record, version=version
        ),
    ),
    "positive-practice": lambda request, event: _Kind(
        model=PositivePractice,
        noun="notable positive practice",
        anchor="positive-practice",
        form=_practice_form(request, event),
        initial=lambda p: {
            "text": p.text,
            "paragraph_reference": p.paragraph_reference,
            "paragraph_link": f"{p.follow_up_id}-{p.paragraph}" if p.follow_up_id else "",
        },
        save=_save_practice,
        delete=lambda actor, record, version: services.positive_practice_delete(
            actor=actor, practice=record, version=version
        ),
    ),
}


def _kind(request: HttpRequest, event: Event, kind: str) -> _Kind:
    build = KINDS.get(kind)
    if build is None:
        raise Http404("No such kind of finding.")
    return build(request, event)


def _findings_url(event: Event, anchor: str) -> str:
    return reverse("inspections:findings", kwargs={"event_pk": event.pk}) + f"#{anchor}"


@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, event_pk: int, kind: str) -> HttpResponse:
    return _finding_form(request, event_pk, kind, None)


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, event_pk: int, kind: str, pk: int) -> HttpResponse:
    return _finding_form(request, event_pk, kind, pk)


def _finding_form(request: HttpRequest, event_pk: int, kind: str, pk: int | None) -> HttpResponse:
    event = _findings_event(request, event_pk)
    _lead_only(request, event)
    spec = _kind(request, event, kind)
    record = selectors.finding_for(request.user, spec.model, event, pk) if pk else None
    initial = {**spec.initial(record), "version": record.version} if record else {}
    outcome = submit(
        request,
        lambda data: spec.form(data, initial=initial),
        lambda data: spec.save(request.user, event, record, data),
    )
    back_url = _findings_url(event, spec.anchor)
    if outcome.saved:
        verb = "added" if pk is None else "saved"
        return saved_then_redirect(request, f"{spec.noun.capitalize()} {verb}.", back_url)
    return tab_form(
        request,
        event,
        "findings",
        "inspections/findings/finding_form.html",
        outcome,
        kind=kind,
        noun=spec.noun,
        record=latest(outcome, record),
        stale=outcome.stale is not None,
        back_url=back_url,
        ofsted_key_reason=_ofsted_reason(event) if kind == "concerns" else "",
    )


def _ofsted_reason(event: Event) -> str:
    inspection = getattr(event, "inspection", None)
    return inspection.ofsted_key_concerns_reason if inspection else ""


@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, event_pk: int, kind: str, pk: int) -> HttpResponse:
    event = _findings_event(request, event_pk)
    _lead_only(request, event)
    spec = _kind(request, event, kind)
    record = selectors.finding_for(request.user, spec.model, event, pk)
    outcome = submit(
        request,
        lambda data: DeleteForm(data, initial={"version": record.version}),
        lambda data: spec.delete(request.user, record, data["version"]),
    )
    back_url = _findings_url(event, spec.anchor)
    if outcome.saved:
        return saved_then_redirect(request, f"{spec.noun.capitalize()} deleted.", back_url)
    return tab_form(
        request,
        event,
        "findings",
        "inspections/findings/finding_delete.html",
        outcome,
        noun=spec.noun,
        record=latest(outcome, record),
        stale=outcome.stale is not None,
        back_url=back_url,
    )


@require_POST
def finding_move(request: HttpRequest, event_pk: int, kind: str, pk: int) -> HttpResponse:
    event = _findings_event(request, event_pk)
    _lead_only(request, event)
    spec = _kind(request, event, kind)
    record = selectors.finding_for(request.user, spec.model, event, pk)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    services.finding_move(actor=signed_in_user(request), record=record, direction=direction)
    return redirect(_findings_url(event, f"{spec.anchor}-{record.pk}"))


# An IRP's follow-up ----------------------------------------------------------------------


def _follow_ups_url(event: Event, anchor: str = "") -> str:
    url = reverse("inspections:follow-ups", kwargs={"event_pk": event.pk})
    return f"{url}#{anchor}" if anchor else url


@require_GET
def follow_ups(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    page = selectors.follow_up_page(request.user, event)
    attach_sources(row.item for row in [*page.recommendations, *page.themes])
    return render(
        request,
        "inspections/findings/follow_ups.html",
        tab_context(request, event, "follow-up", page=page),
    )


@require_http_methods(["GET", "POST"])
def follow_up_select(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    candidates = selectors.follow_up_candidates(event)
    inspection = getattr(event, "inspection", None)
    recommendations = [candidate.recommendation for candidate in candidates]
    initial = {
        "recommendations": [c.recommendation.pk for c in candidates if c.chosen],
        "version": inspection.version if inspection else None,
    }

    def save(data: dict[str, Any]) -> None:
        chosen = set(data["recommendations"])
        services.follow_up_select(
            actor=signed_in_user(request),
            event=event,
            recommendations=[r for r in recommendations if r.pk in chosen],
            version=data["version"],
            reason=data["reason"],
        )

    outcome = submit(
        request,
        lambda data: FollowUpSelectForm(data, recommendations=recommendations, initial=initial),
        save,
    )
    if outcome.saved:
        return saved_then_redirect(
            request,
            "Recommendations to follow up saved.",
            _follow_ups_url(event, "recommendations"),
        )
    return tab_form(
        request,
        event,
        "follow-up",
        "inspections/findings/follow_up_select.html",
        outcome,
        candidates=candidates,
        chosen=outcome.form.checked("recommendations"),  # type: ignore[attr-defined]
        stale=outcome.stale is not None,
        announced=event.announced_on is not None,
        limit=FOLLOW_UP_RECOMMENDATIONS_USUALLY,
    )


@require_http_methods(["GET", "POST"])
def follow_up_theme_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    if not event.education_inspectorate:
        raise Http404("No education inspectorate takes part in this review.")
    outcome = submit(
        request,
        ThemeForm,
        lambda data: services.follow_up_theme_add(
            actor=signed_in_user(request), event=event, theme=data["theme"], reason=data["reason"]
        ),
    )
    if outcome.saved:
        return saved_then_redirect(request, "Theme added.", _follow_ups_url(event, "themes"))
    return tab_form(
        request, event, "follow-up", "inspections/findings/follow_up_theme.html", outcome
    )


def _item(request: HttpRequest, event: Event, pk: int) -> FollowUp:
    return selectors.follow_up_for(request.user, event, pk)


def _item_saved(request: HttpRequest, message: str, event: Event, item: FollowUp) -> HttpResponse:
    return saved_then_redirect(request, message, _follow_ups_url(event, f"item-{item.pk}"))


@require_http_methods(["GET", "POST"])
def follow_up_narrative(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    initial = {"narrative": item.narrative, "theme": item.theme, "version": item.version}
    outcome = submit(
        request,
        lambda data: NarrativeForm(data, is_theme=item.recommendation_id is None, initial=initial),
        lambda data: services.follow_up_edit(
            actor=signed_in_user(request),
            follow_up=item,
            narrative=data["narrative"],
            theme=data.get("theme"),
            version=data["version"],
        ),
    )
    if outcome.saved:
        return _item_saved(request, "Narrative saved.", event, item)
    return tab_form(
        request,
        event,
        "follow-up",
        "inspections/findings/follow_up_narrative.html",
        outcome,
        item=item,
        stale=outcome.stale is not None,
        saved_now=latest(outcome, None),
    )


@require_http_methods(["GET", "POST"])
def follow_up_judgement(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event, "inspections.judge_follow_up")
    item = _item(request, event, pk)
    aspect = services.progress_aspect(item.kind, event)
    levels = selectors.scale_levels(aspect)
    evidence = selectors.judgement_evidence_choices(request.user, event, aspect)
    judgement = next(iter(item.judgements.all()), None)
    initial = judgement_initial(judgement)
    outcome = submit(
        request,
        lambda data: ProgressJudgementForm(data, levels=levels, evidence=evidence, initial=initial),
        lambda data: services.follow_up_judge(
            actor=signed_in_user(request), follow_up=item, **data
        ),
    )
    if outcome.saved:
        return _item_saved(request, "Progress judgement recorded.", event, item)
    return tab_form(
        request,
        event,
        "follow-up",
        "inspections/findings/follow_up_judgement.html",
        outcome,
        item=item,
        aspect=aspect,
        judgement=judgement,
        cited=outcome.form.checked("evidence"),  # type: ignore[attr-defined]
        stale=outcome.stale is not None,
    )


@require_http_methods(["GET", "POST"])
def follow_up_remove(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    outcome = submit(
        request,
        lambda data: RemoveForm(data, initial={"version": item.version}),
        lambda data: services.follow_up_remove(
            actor=signed_in_user(request),
            follow_up=item,
            version=data["version"],
            reason=data["reason"],
        ),
    )
    if outcome.saved:
        return saved_then_redirect(request, "No longer followed up.", _follow_ups_url(event))
    return tab_form(
        request,
        event,
        "follow-up",
        "inspections/findings/follow_up_remove.html",
        outcome,
        item=item,
        announced=event.announced_on is not None,
    )


@require_POST
def follow_up_move(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    services.finding_move(actor=signed_in_user(request), record=item, direction=direction)
    return redirect(_follow_ups_url(event, f"item-{item.pk}"))
