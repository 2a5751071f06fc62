from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inspectorate.accounts.permissions import requires
from inspectorate.audit.selectors import access_events, recent_changes
from inspectorate.audit.verification import audit_verify
from inspectorate.lib.listing import AccessFilterForm, list_page
from inspectorate.programme import selectors as programme_selectors
from inspectorate.programme.milestones.deadlines import dashboard_context
from inspectorate.programme.models import today
from inspectorate.shell import health, search
from inspectorate.shell.dashboards import worklists_for
from inspectorate.shell.navigation import section_links


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("shell:dashboard" if request.user.is_authenticated else "accounts:sign-in")


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    shared_panels, role_sections = worklists_for(user)
    context = {
        "shared_panels": shared_panels,
        "role_sections": role_sections,
        "deadline_today": today(),
        "establishment": getattr(user, "establishment", None),
        "shows_deadlines": user.has_perm("programme.view_deadlines"),
    }
    if context["shows_deadlines"]:
        context |= dashboard_context(user, path=request.path)
    return render(request, "shell/dashboard.html", context)


SECTION_TITLES = {"directory": "Directory", "administration": "Administration"}


@require_GET
def section(request: HttpRequest, section: str) -> HttpResponse:
    """A section page of the menu: the pages grouped under it that the user may use."""
    links = section_links(request.user, section)
    if not links:
        raise PermissionDenied("This section has nothing for your roles.")
    context = {"title": SECTION_TITLES[section], "links": links}
    return render(request, "shell/section.html", context)


@requires("accounts.view_audit_trail", "Only system administrators and quality assurance see this.")
def audit_trail(request: HttpRequest) -> HttpResponse:
    report = audit_verify() if request.method == "POST" else None
    return list_page(
        request,
        AccessFilterForm(request.GET),
        lambda values: access_events(**values),
        "shell/audit_trail.html",
        "accesses",
        changes=recent_changes(limit=50),
        report=report,
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (nothing else is asked, so it stays cheap)."""
    return JsonResponse(health.liveness())


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database, the migrations and the job queue (shell/health.py); 503
    when any of them fails, naming which."""
    ready, answer = health.readiness()
    return JsonResponse(answer, status=200 if ready else 503)


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be the database the session and user live in.
    context = {"service_name": settings.SERVICE_NAME, "service_phase": settings.SERVICE_PHASE}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "shell/accessibility.html")


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search what the user may see: establishments, events, reports, inspectors."""
    text = request.GET.get("q", "")
    results = search.search(request.user, text)
    programme_selectors.confidential_reads_record(
        user=request.user, events=list(results.events_shown), path=request.path
    )
    context = {"text": text, "groups": results.groups, "searched": bool(text.strip())}
    return render(request, "shell/search.html", context)


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "shell/privacy.html")


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
