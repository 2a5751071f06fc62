from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts import services
from inspectorate.accounts.forms import SignInForm, TokenForm


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = "Your password has been changed"


def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/account.html", {"has_device": has_device})


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
    device = services.two_factor_device_start(actor=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.two_factor_device_confirm(actor=request.user, device=device)  # type: ignore[arg-type]
        otp_login(request, device)
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
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )
