"""Forms posted twice write once (see inspectorate.lib.idempotency)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from inspectorate.lib import idempotency

FORM_SCOPE = "form"
NOT_HASHED = {"csrfmiddlewaretoken", idempotency.FORM_FIELD}


class IdempotentFormsMiddleware:
    """A signed-in user's POST carrying a form's `idempotency_token` runs once.

    The form's first successful submission (a redirect) is stored; a repeat of it is sent to
    the same place without writing again, even while the first is still running. A form
    redisplayed with errors stores nothing, so it can be corrected and sent again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        asked = idempotency.fingerprint(
            method=request.method or "POST",
            path=request.get_full_path(),
            data={
                "fields": {k: v for k, v in request.POST.lists() if k not in NOT_HASHED},
                "files": request.FILES,
            },
        )
        with idempotency.claim(
            user=request.user, scope=FORM_SCOPE, key=token, fingerprint=asked
        ) as held:
            if held.conflict:
                return render(request, "shell/form_resent.html", status=409)
            if held.answer is not None:
                return _replayed(held.answer)
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                held.store(
                    idempotency.Answer(response.status_code, {"Location": response["Location"]})
                )
            return response

    @staticmethod
    def _token(request: HttpRequest) -> str | None:
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        raw = request.POST.get(idempotency.FORM_FIELD)
        if not raw:
            return None
        try:
            return idempotency.key_check(raw)
        except idempotency.KeyMalformed:
            return None


def _replayed(answer: idempotency.Answer) -> HttpResponse:
    response = HttpResponseRedirect(answer.headers["Location"])
    response.status_code = answer.status
    response[idempotency.REPLAYED_HEADER] = "true"
    return response
