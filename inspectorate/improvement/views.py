"""Improvement case pages. Thin: the selectors read, the services write and refuse.

A case the user may not see is a 404; a page the user may see but not act on is a 403.
Nothing here is public (every URL needs sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require, requires
from inspectorate.accounts.signed_in import by_signed_in_user, signed_in_user
from inspectorate.improvement import selectors, services
from inspectorate.improvement.constants import LetterStatus
from inspectorate.improvement.forms import (
    ActionDoneForm,
    AssignForm,
    CaseFilterForm,
    ContactForm,
    DetailsForm,
    LetterForm,
    NoteForm,
    VersionedForm,
    action_rows_in,
)
from inspectorate.improvement.models import (
    Contact,
    ImprovementCase,
    Letter,
    PriorityAction,
)
from inspectorate.lib.form_views import (
    at_version,
    button_action,
    form_page,
    posted_version,
    saved_then_redirect,
)
from inspectorate.lib.listing import list_page
from inspectorate.lib.models import attributes
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.models import today

Save = Callable[[dict[str, Any]], Any]


def _case(request: HttpRequest, pk: int) -> ImprovementCase:
    return selectors.case_for(request.user, pk)


def _is_hmi(request: HttpRequest, case: ImprovementCase) -> bool:
    return case.improvement_hmi_id == request.user.pk


def _hmi_case(request: HttpRequest, pk: int) -> ImprovementCase:
    """The case, for a page only its improvement HMI uses (403 for anyone else)."""
    case = _case(request, pk)
    require(request.user, "improvement.work_on_case", case, services.HMI_ONLY)
    return case


@require_GET
@requires(
    "improvement.view_case_list", "Only Ofsted, HMI Prisons' programme staff and QA see cases."
)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return list_page(
        request,
        CaseFilterForm(request.GET, user=user),
        partial(selectors.case_search, user),
        "improvement/case_list.html",
        "cases",
        windows=selectors.reinspection_windows(user),
    )


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    user: Any = request.user
    context = {
        "case": case,
        "contacts": selectors.case_contacts(user, case),
        "areas": selectors.case_areas(user, case),
        "is_hmi": _is_hmi(request, case),
        "may_assign": user.has_perm("improvement.assign_case_hmi") and case.is_open,
        "recipients": selectors.recipients_preview(case),
        "staff": not user.is_establishment_user,
    }
    return render(request, "improvement/case_detail.html", context)


def _case_form(
    request: HttpRequest,
    case: ImprovementCase,
    make_form: Callable[[Any], Form],
    save: Save,
    *,
    title: str,
    done: str,
) -> HttpResponse:
    """The POST-and-redirect cycle every case form shares; the service decides."""
    return form_page(
        request,
        make_form,
        save,
        done=lambda _: saved_then_redirect(request, done, "improvement:case-detail", pk=case.pk),
        template="improvement/form.html",
        context={"case": case, "title": title},
    )


@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    require(request.user, "improvement.assign_case_hmi", message=services.OFSTED_NAMES_HMI)
    people = selectors.hmi_choices()

    def save(data: dict[str, Any]) -> Any:
        hmi = next(p for p in people if p.pk == data["hmi"])
        return services.case_assign_hmi(
            actor=signed_in_user(request),
            case=case,
            hmi=hmi,
            reason=data["reason"],
            version=data["version"],
        )

    return _case_form(
        request,
        case,
        partial(AssignForm, people=people, initial={"version": case.version}),
        save,
        title="Name the improvement HMI",
        done="Improvement HMI named.",
    )


@require_http_methods(["GET", "POST"])
def case_details(request: HttpRequest, pk: int) -> HttpResponse:
    case = _hmi_case(request, pk)
    initial = attributes(case, *services.CASE_DETAIL_FIELDS)
    return _case_form(
        request,
        case,
        partial(DetailsForm, initial={**initial, "version": case.version}),
        by_signed_in_user(request, services.case_details_update, case=case),
        title="Who the letters go to",
        done="Saved.",
    )


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _hmi_case(request, pk)
    rows = action_rows_in(request.POST)
    if "add_action" in request.POST:
        # "Add another action": the same form again with one more row, nothing saved.
        form = ContactForm(request.POST, track=case.track, rows=rows + 1, checked=False)
        context = {"case": case, "form": form, "title": "Record a contact"}
        return render(request, "improvement/form.html", context)

    def save(data: dict[str, Any]) -> Any:
        actions = [
            services.ActionInput(data[f"action_{row}"], data[f"owner_{row}"], data[f"due_on_{row}"])
            for row in range(1, rows + 1)
        ]
        return services.contact_record(
            actor=signed_in_user(request),
            case=case,
            kind=data["kind"],
            held_on=data["held_on"],
            notes=data["notes"],
            actions=actions,
            support=data["support"],
            other_support=data["other_support"],
            window_reason=data["window_reason"],
        )

    return _case_form(
        request,
        case,
        partial(ContactForm, track=case.track, rows=rows),
        save,
        title="Record a contact",
        done="Contact recorded.",
    )


def _contact(case: ImprovementCase, contact_pk: int) -> Contact:
    contact = case.contacts.filter(pk=contact_pk).select_related("case__establishment").first()
    if contact is None:
        raise PermissionDenied("No such contact on this case.")
    return contact


@require_http_methods(["GET", "POST"])
def letter_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    case = _hmi_case(request, pk)
    contact = _contact(case, contact_pk)
    letter = Letter.objects.visible_to(request.user).filter(contact=contact).first()
    initial = (
        {"body": letter.body, "version": letter.version}
        if letter
        else {"body": services.letter_text(contact)}
    )
    return _case_form(
        request,
        case,
        partial(LetterForm, initial=initial),
        by_signed_in_user(request, services.letter_draft, contact=contact),
        title=f"Letter of the {contact}",
        done="Letter saved.",
    )


def _action(case: ImprovementCase, action_pk: int) -> PriorityAction:
    action = (
        PriorityAction.objects.filter(pk=action_pk, contact__case=case)
        .select_related("contact__case__establishment")
        .first()
    )
    if action is None:
        raise PermissionDenied("No such action on this case.")
    return action


@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Record that an agreed action is done (SC-3, SC-6)."""
    case = _hmi_case(request, pk)
    action = _action(case, action_pk)
    return _case_form(
        request,
        case,
        at_version(ActionDoneForm, action),
        by_signed_in_user(request, services.action_mark_done, action=action),
        title=f"Mark as done: {action.action[:80]}",
        done="Action marked as done.",
    )


def _button(
    request: HttpRequest, case: ImprovementCase, act: Callable[[], object], *, done: str, what: str
) -> HttpResponse:
    """A one-button step on the case page; a stale page is told to check `what` again."""

    def act_or_explain() -> object:
        try:
            return act()
        except StaleVersion as error:
            raise ValidationError(
                f"The {what} changed since you opened the page: check it."
            ) from error

    button_action(request, act_or_explain, done)
    return redirect("improvement:case-detail", pk=case.pk)


@require_POST
def action_reopen(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    case = _hmi_case(request, pk)
    action = _action(case, action_pk)
    return _button(
        request,
        case,
        lambda: services.action_reopen(
            actor=signed_in_user(request), action=action, version=posted_version(request)
        ),
        done="Action open again.",
        what="action",
    )


def _case_letter(request: HttpRequest, case: ImprovementCase, contact_pk: int) -> Letter:
    letter = (
        Letter.objects.visible_to(request.user)
        .filter(contact_id=contact_pk)
        .select_related("contact__case")
        .first()
    )
    if letter is None or letter.contact.case_id != case.pk:
        raise PermissionDenied("No such letter on this case.")
    return letter


def _letter_button(
    request: HttpRequest, pk: int, contact_pk: int, act: Callable[..., object], done: str
) -> HttpResponse:
    """A one-button step on a letter: `act(actor=, letter=, version=)`."""
    case = _case(request, pk)
    letter = _case_letter(request, case, contact_pk)
    return _button(
        request,
        case,
        lambda: act(actor=signed_in_user(request), letter=letter, version=posted_version(request)),
        done=done,
        what="letter",
    )


@require_http_methods(["GET", "POST"])
def letter_send(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    """GET: the letter exactly as it will go, with "Send"; POST: send it (SC-4)."""
    if request.method == "POST":
        return _letter_button(request, pk, contact_pk, services.letter_send, "Letter sent.")
    case = _hmi_case(request, pk)
    letter = _case_letter(request, case, contact_pk)
    if letter.status == LetterStatus.SENT:
        messages.info(request, "The letter has already been sent.")
        return redirect("improvement:case-detail", pk=case.pk)
    context = {
        "case": case,
        "letter": letter,
        "form": VersionedForm(initial={"version": letter.version}),
        "blocked": services.letter_send_problem(case, letter),
    }
    return render(request, "improvement/letter_send.html", context)


@require_POST
def letter_check(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    return _letter_button(
        request,
        pk,
        contact_pk,
        partial(services.letter_factual_check, on=today()),
        "Factual-accuracy check recorded.",
    )


def _case_note(
    request: HttpRequest,
    pk: int,
    write: Callable[..., Any],
    *,
    title: str,
    done: str,
    note_as: str = "note",
) -> HttpResponse:
    """A note on the case, for its HMI: `write(actor=, case=, version=)` with the note
    under the service's name for it (`note_as`)."""
    case = _hmi_case(request, pk)
    return _case_form(
        request,
        case,
        at_version(NoteForm, case),
        lambda data: write(
            actor=signed_in_user(request),
            case=case,
            version=data["version"],
            **{note_as: data["note"]},
        ),
        title=title,
        done=done,
    )


@require_http_methods(["GET", "POST"])
def insufficient_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_note(
        request,
        pk,
        services.case_insufficient_progress,
        title="Record insufficient progress",
        done="Insufficient progress recorded: HMI Prisons and the funding and commissioning "
        "bodies are told, with the letter.",
    )


@require_http_methods(["GET", "POST"])
def bring_forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_note(
        request,
        pk,
        services.reinspection_bring_forward,
        title="Ask for the re-inspection to be brought forward",
        done="Request sent to HMI Prisons and the Ofsted scheduling team.",
        note_as="reason",
    )
