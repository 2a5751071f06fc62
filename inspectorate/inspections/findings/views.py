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

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.inspections.common import OverrideNeeded
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
from inspectorate.inspections.models import Concern, FollowUp, PositivePractice, Recommendation
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import apply_errors, form_status, restaled
from inspectorate.lib.provenance import attach_sources
from inspectorate.lib.versions import StaleVersion
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
    stale = False
    if request.method == "POST":
        form = spec.form(request.POST)
        if form.is_valid():
            try:
                spec.save(request.user, event, record, form.cleaned_data)
            except OverrideNeeded as warning:
                form.ask_for_override(warning.warnings, "override_reason")
            except StaleVersion as error:
                stale = True
                record = error.record
                form = restaled(spec.form, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                verb = "added" if pk is None else "saved"
                messages.success(request, f"{spec.noun.capitalize()} {verb}.")
                return redirect(_findings_url(event, spec.anchor))
    elif record is not None:
        form = spec.form(initial={**spec.initial(record), "version": record.version})
    else:
        form = spec.form()
    context = tab_context(
        request,
        event,
        "findings",
        form=form,
        kind=kind,
        noun=spec.noun,
        record=record,
        stale=stale,
        back_url=_findings_url(event, spec.anchor),
        ofsted_key_reason=_ofsted_reason(event) if kind == "concerns" else "",
    )
    return render(
        request, "inspections/findings/finding_form.html", context, status=form_status(form, stale)
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
    stale = False
    form = DeleteForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            spec.delete(request.user, record, form.cleaned_data["version"])
        except StaleVersion as error:
            stale = True
            record = error.record
            form = restaled(DeleteForm, request, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{spec.noun.capitalize()} deleted.")
            return redirect(_findings_url(event, spec.anchor))
    context = tab_context(
        request,
        event,
        "findings",
        form=form,
        noun=spec.noun,
        record=record,
        stale=stale,
        back_url=_findings_url(event, spec.anchor),
    )
    return render(
        request,
        "inspections/findings/finding_delete.html",
        context,
        status=form_status(form, stale),
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

    def build(data: Any = None, **kwargs: Any) -> FollowUpSelectForm:
        return FollowUpSelectForm(data, recommendations=recommendations, **kwargs)

    stale = False
    if request.method == "POST":
        form = build(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["recommendations"])
            try:
                services.follow_up_select(
                    actor=signed_in_user(request),
                    event=event,
                    recommendations=[r for r in recommendations if r.pk in chosen],
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except OverrideNeeded as warning:
                form.ask_for_override(warning.warnings, "reason")
            except StaleVersion as error:
                stale = True
                form = restaled(build, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Recommendations to follow up saved.")
                return redirect(_follow_ups_url(event, "recommendations"))
    else:
        form = build(
            initial={
                "recommendations": [c.recommendation.pk for c in candidates if c.chosen],
                "version": inspection.version if inspection else None,
            }
        )
    context = tab_context(
        request,
        event,
        "follow-up",
        form=form,
        candidates=candidates,
        chosen=form.checked("recommendations"),
        stale=stale,
        announced=event.announced_on is not None,
        limit=services.FOLLOW_UP_RECOMMENDATIONS_USUALLY,
    )
    return render(
        request,
        "inspections/findings/follow_up_select.html",
        context,
        status=form_status(form, stale),
    )


@require_http_methods(["GET", "POST"])
def follow_up_theme_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    if not event.education_inspectorate:
        raise Http404("No education inspectorate takes part in this review.")
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_theme_add(
                actor=signed_in_user(request),
                event=event,
                theme=form.cleaned_data["theme"],
                reason=form.cleaned_data["reason"],
            )
        except OverrideNeeded as warning:
            form.ask_for_override(warning.warnings, "reason")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Theme added.")
            return redirect(_follow_ups_url(event, "themes"))
    context = tab_context(request, event, "follow-up", form=form)
    return render(
        request,
        "inspections/findings/follow_up_theme.html",
        context,
        status=form_status(form, False),
    )


def _item(request: HttpRequest, event: Event, pk: int) -> FollowUp:
    return selectors.follow_up_for(request.user, event, pk)


@require_http_methods(["GET", "POST"])
def follow_up_narrative(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    is_theme = item.recommendation_id is None

    def build(data: Any = None, **kwargs: Any) -> NarrativeForm:
        return NarrativeForm(data, is_theme=is_theme, **kwargs)

    stale = False
    saved_now: FollowUp | None = None
    if request.method == "POST":
        form = build(request.POST)
        if form.is_valid():
            try:
                services.follow_up_edit(
                    actor=signed_in_user(request),
                    follow_up=item,
                    narrative=form.cleaned_data["narrative"],
                    theme=form.cleaned_data.get("theme"),
                    version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                stale = True
                saved_now = error.record
                form = restaled(build, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Narrative saved.")
                return redirect(_follow_ups_url(event, f"item-{item.pk}"))
    else:
        form = build(
            initial={"narrative": item.narrative, "theme": item.theme, "version": item.version}
        )
    context = tab_context(
        request, event, "follow-up", form=form, item=item, stale=stale, saved_now=saved_now
    )
    return render(
        request,
        "inspections/findings/follow_up_narrative.html",
        context,
        status=form_status(form, stale),
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

    def build(data: Any = None, **kwargs: Any) -> ProgressJudgementForm:
        return ProgressJudgementForm(data, levels=levels, evidence=evidence, **kwargs)

    stale = False
    if request.method == "POST":
        form = build(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.follow_up_judge(
                    actor=signed_in_user(request),
                    follow_up=item,
                    level=next(level for level in levels if level.pk == data["level"]),
                    evidence=[e for e in evidence if e.pk in set(data["evidence"])],
                    rationale=data["rationale"],
                    version=data["version"],
                )
            except StaleVersion as error:
                stale = True
                form = restaled(build, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Progress judgement recorded.")
                return redirect(_follow_ups_url(event, f"item-{item.pk}"))
    elif judgement is not None:
        form = build(
            initial={
                "level": judgement.level_id,
                "rationale": judgement.rationale,
                "evidence": [e.pk for e in judgement.evidence.all()],
                "version": judgement.version,
            }
        )
    else:
        form = build()
    context = tab_context(
        request,
        event,
        "follow-up",
        form=form,
        item=item,
        aspect=aspect,
        judgement=judgement,
        cited=form.checked("evidence"),
        stale=stale,
    )
    return render(
        request,
        "inspections/findings/follow_up_judgement.html",
        context,
        status=form_status(form, stale),
    )


@require_http_methods(["GET", "POST"])
def follow_up_remove(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    form = RemoveForm(request.POST or None, initial={"version": item.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_remove(
                actor=signed_in_user(request),
                follow_up=item,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except OverrideNeeded as warning:
            form.ask_for_override(warning.warnings, "reason")
        except StaleVersion as error:
            stale = True
            form = restaled(RemoveForm, request, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "No longer followed up.")
            return redirect(_follow_ups_url(event))
    context = tab_context(
        request, event, "follow-up", form=form, item=item, announced=event.announced_on is not None
    )
    return render(
        request,
        "inspections/findings/follow_up_remove.html",
        context,
        status=form_status(form, stale),
    )


@require_POST
def follow_up_move(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _irp(request, event_pk)
    _lead_only(request, event)
    item = _item(request, event, pk)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    services.finding_move(actor=signed_in_user(request), record=item, direction=direction)
    return redirect(_follow_ups_url(event, f"item-{item.pk}"))
