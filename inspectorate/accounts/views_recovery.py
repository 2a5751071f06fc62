"""Account recovery screens: ask for a reset link by e-mail, then choose a new password.

Asking always answers the same page, whether or not an account uses the address. The new
password does not sign anyone in: they sign in with it, and give their second factor if
their account has one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from inspectorate.accounts import services_recovery
from inspectorate.accounts.forms_recovery import NewPasswordForm, PasswordResetRequestForm
from inspectorate.accounts.sign_in_limits import client_address, clock_time


@login_not_required
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_recovery.password_reset_request(
                email=form.cleaned_data["email"],
                client=client_address(request),
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except services_recovery.ResetThrottled as throttled:
            form.add_error(
                "email",
                "Too many reset emails have been asked for this address or from your "
                f"connection. Try again after {clock_time(throttled.until)}",
            )
        else:
            return redirect("accounts:password-reset-sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@login_not_required
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html", {})


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = False  # the new password signs in like any other, second factor too

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services_recovery.password_reset_completed(user=self.user)
        return response


@login_not_required
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html", {})
