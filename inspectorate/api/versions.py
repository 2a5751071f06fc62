"""The API's version lives in its path: `/api/v1/`. The unversioned paths it answered before
redirect there with 308 (Permanent Redirect), which, unlike 301, keeps a write's method and
body, so an old client's PATCH still lands on the same operation."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.views.decorators.csrf import csrf_exempt

CURRENT = "v1"
PREFIX = f"/api/{CURRENT}/"


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


# Exempt: a token client's write has no CSRF token, and the redirect itself changes nothing.
@csrf_exempt
@login_not_required
def to_current_version(request: HttpRequest, rest: str) -> PermanentRedirectKeepingMethod:
    if re.match(r"v\d+/", rest):  # a versioned path that its version does not answer
        raise Http404("No such API path.")
    query = request.META.get("QUERY_STRING", "")
    return PermanentRedirectKeepingMethod(PREFIX + rest + (f"?{query}" if query else ""))
