from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts import services, session_state
from inspectorate.accounts.forms import (
    ConfirmIdentityForm,
    EmailPreferenceForm,
    SignInForm,
    TokenForm,
    TwoFactorResetForm,
)
from inspectorate.accounts.models import TwoFactorReset, User
from inspectorate.accounts.permissions import requires
from inspectorate.accounts.reauth import reauthentication_required
from inspectorate.accounts.signed_in import signed_in_user


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.session.pop(session_state.ENDED_BY_LIFETIME, False):
            hours = round(settings.SESSION_ABSOLUTE_LIFETIME / 3600)
            messages.info(request, session_state.LIFETIME_ENDED_MESSAGE.format(hours=hours))
        return super().get(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = "Your password has been changed"


def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/account.html", {"has_device": has_device})


def email_preference(request: HttpRequest) -> HttpResponse:
    """How the person is told by e-mail: each notification, a daily digest, or none."""
    user: Any = request.user
    form = EmailPreferenceForm(
        request.POST or None, initial={"email_preference": user.email_preference}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.email_preference_set(
                actor=user, preference=form.cleaned_data["email_preference"]
            )
        except ValidationError as error:
            form.add_error("email_preference", error.messages)
        else:
            messages.success(request, "Your e-mail preference was saved")
            return redirect("accounts:account")
    status = 400 if form.errors else 200
    return render(request, "accounts/email_preference.html", {"form": form}, status=status)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed and target else "/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not services.two_factor_enrolment_allowed(user):
        # A password-only session of a user who has an authenticator: prove it first.
        messages.info(request, services.ENROLMENT_REFUSED)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two-factor-verify')}?{query}")
    device = services.two_factor_device_start(actor=user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.two_factor_device_confirm(actor=user, device=device)
        session_state.second_factor_verified(request, device)
        return redirect(_next_url(request))
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _base32(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _base32(device: TOTPDevice) -> str:
    """The key grouped in fours, for people who type it into their app instead of scanning."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two-factor-setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        session_state.second_factor_verified(request, device)
        return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def confirm_identity(request: HttpRequest) -> HttpResponse:
    """ "Confirm it's you" before a sensitive action: the password, and a current code when
    the account needs the second factor."""
    user: Any = request.user
    device = None
    if session_state.two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = ConfirmIdentityForm(request.POST or None, request=request, device=device)
    if request.method == "POST" and form.is_valid():
        session_state.reauthenticated(request, device)
        return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "asks_code": device is not None}
    return render(request, "accounts/confirm_identity.html", context)


@reauthentication_required
# The rules themselves, not `has_perm`: a superuser without the role may not.
@requires("accounts.reset_two_factor", "Only system administrators reset two-factor sign-in.")
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A system administrator resets someone's two-factor sign-in (lost phone)."""
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    form = TwoFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset = services.two_factor_reset(
                actor=signed_in_user(request), user=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _reset_summary(reset))
            return redirect("accounts:two-factor-reset", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "devices": TOTPDevice.objects.filter(user=person, confirmed=True).count(),
    }
    return render(request, "accounts/two_factor_reset.html", context)


def _reset_summary(reset: TwoFactorReset) -> str:
    sessions = "session" if reset.sessions_ended == 1 else "sessions"
    devices = "authenticator" if reset.devices_removed == 1 else "authenticators"
    return (
        f"Two-factor sign-in reset for {reset.user}: {reset.devices_removed} {devices} removed "
        f"and {reset.sessions_ended} signed-in {sessions} ended. They set up a new "
        "authenticator app at their next sign-in."
    )
