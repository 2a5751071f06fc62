"""Complaint pages: thin; the selectors read, the services write and refuse. 404 for a
complaint the user may not see, 403 for an action they may not take on one they see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import by_signed_in_user, signed_in_user
from inspectorate.complaints import selectors, services
from inspectorate.complaints.constants import (
    DEFAULT_INDEPENDENT_REVIEW_ROUTE,
    DEFAULT_REVIEW_ROUTE,
)
from inspectorate.complaints.forms import (
    ComplaintFilterForm,
    RaiseForm,
    ReplyForm,
    RespondForm,
    TextForm,
)
from inspectorate.complaints.models import Complaint
from inspectorate.lib.form_views import form_page, saved_then_redirect, submit
from inspectorate.lib.listing import list_page
from inspectorate.programme.selectors import event_for


@dataclass(frozen=True)
class Action:
    """One step of CP-1 as a form: its page, its form, and the service that writes it.

    The service takes the form's "text" under its own name (`text_field`), and every other
    field of the form (the version, and "resolved" or "review_route") as it is."""

    title: str
    button: str
    done: str
    form_class: type[TextForm]
    label: str
    text_field: str
    service: Callable[..., Complaint]
    form_kwargs: dict[str, str] = field(default_factory=dict)
    initial: dict[str, str] = field(default_factory=dict)

    def form(self, complaint: Complaint, data: Any = None) -> TextForm:
        initial = {"version": complaint.version, **self.initial}
        return self.form_class(data, initial=initial, label=self.label, **self.form_kwargs)

    def write(self, actor: User, complaint: Complaint, data: dict[str, Any]) -> Complaint:
        fields = dict(data)
        text = fields.pop("text")
        return self.service(actor=actor, complaint=complaint, **{self.text_field: text}, **fields)

    def put_errors_on(self, form: TextForm, error: ValidationError) -> None:
        """The service's refusal on the form, its name for the text shown on "text"."""
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return
        for name, problems in error.message_dict.items():
            target = "text" if name == self.text_field else name
            form.add_error(target if target in form.fields else None, problems)


ACTIONS = {
    "reply": Action(
        title="Reply to the concern",
        button="Send the reply",
        done="Reply recorded.",
        form_class=ReplyForm,
        label="Your reply",
        text_field="reply",
        service=services.complaint_lead_reply,
    ),
    "formal": Action(
        title="Make a formal complaint",
        button="Make a formal complaint",
        done="Formal complaint made: the response is due in 20 working days.",
        form_class=TextForm,
        label="Why the concern is not resolved",
        text_field="reason",
        service=services.complaint_make_formal,
    ),
    "respond": Action(
        title="Respond to the formal complaint",
        button="Send the response",
        done="Response sent.",
        form_class=RespondForm,
        label="Response",
        text_field="response",
        service=services.complaint_respond,
        initial={"review_route": DEFAULT_REVIEW_ROUTE},
    ),
    "review": Action(
        title="Ask for a review",
        button="Ask for a review",
        done="Review asked for.",
        form_class=TextForm,
        label="Why you ask for a review",
        text_field="reason",
        service=services.complaint_request_review,
    ),
    "review-respond": Action(
        title="Respond to the review",
        button="Send the review's response",
        done="Review response sent.",
        form_class=RespondForm,
        label="The review's response",
        text_field="response",
        service=services.complaint_review_respond,
        form_kwargs={"route_label": "How to ask for an independent review (CP-1)"},
        initial={"review_route": DEFAULT_INDEPENDENT_REVIEW_ROUTE},
    ),
}


@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return list_page(
        request,
        ComplaintFilterForm(request.GET, user=user),
        partial(selectors.complaint_search, user),
        "complaints/list.html",
        "complaints",
        overdue=selectors.overdue(user),
    )


@require_http_methods(["GET", "POST"])
def complaint_raise(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.user, event_pk)
    if not request.user.has_perm("complaints.raise_concern", event):
        raise PermissionDenied("Only the inspected establishment raises a concern about it.")
    return form_page(
        request,
        RaiseForm,
        by_signed_in_user(request, services.complaint_raise, event=event),
        done=lambda complaint: saved_then_redirect(
            request,
            "Your concern has gone to the lead inspector.",
            "complaints:detail",
            pk=complaint.pk,
        ),
        template="complaints/raise.html",
        context={"event": event},
    )


@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for(request.user, pk)
    actions = services.complaint_actions(request.user, complaint)
    forms = {
        f"{name.replace('-', '_')}_form": action.form(complaint)
        for name, action in ACTIONS.items()
        if name in actions
    }
    context = {"complaint": complaint, "actions": actions, **forms}
    return render(request, "complaints/detail.html", context)


def _action_page(name: str) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of the step `name` of ACTIONS: its form, then the complaint again."""

    @require_http_methods(["GET", "POST"])
    def page(request: HttpRequest, pk: int) -> HttpResponse:
        complaint = selectors.complaint_for(request.user, pk)
        action = ACTIONS[name]
        make_form = partial(action.form, complaint)
        # A valid POST goes to the service, which tells a refusal (403) from a step already
        # taken by someone else (an error on the form).
        allowed = name in services.complaint_actions(request.user, complaint)
        if not allowed and not (request.method == "POST" and make_form(request.POST).is_valid()):
            raise PermissionDenied("You may not do this now.")
        outcome = submit(
            request,
            make_form,
            lambda data: action.write(signed_in_user(request), complaint, data),
            refused=action.put_errors_on,
        )
        if outcome.saved:
            return saved_then_redirect(request, action.done, "complaints:detail", pk=pk)
        context = {"complaint": complaint, "action": action, "form": outcome.form}
        return render(request, "complaints/action.html", context, status=outcome.status)

    return page


lead_reply = _action_page("reply")
make_formal = _action_page("formal")
respond = _action_page("respond")
request_review = _action_page("review")
review_respond = _action_page("review-respond")
