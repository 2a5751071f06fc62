from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts.constants import EmailPreference


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Contact your system administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app.",
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": "Enter the security code from your authenticator app",
            "invalid": "The security code must be 6 digits",
        },
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        return self.check(self.device, str(self.cleaned_data["token"]))

    @staticmethod
    def check(device: TOTPDevice, token: str) -> str:
        token = token.strip()
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "Too many wrong security codes. Wait a few seconds, then enter the code again"
            )
        if not device.verify_token(token):
            raise forms.ValidationError(
                "The security code is wrong or has expired. Enter the code now shown in your app"
            )
        return token


class ConfirmIdentityForm(forms.Form):
    """ "Confirm it's you": the password, and a current code when the second factor is due."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )

    def __init__(
        self, *args: Any, request: HttpRequest, device: TOTPDevice | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = device
        if device is not None:
            self.fields["token"] = copy.deepcopy(TokenForm.base_fields["token"])

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        user: Any = self.request.user
        # Through the authentication backends, so that django-axes counts wrong guesses.
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError("Too many wrong passwords. Wait, then try again")
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError("The password is wrong")
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The code is checked only once the password is right, so that a mistyped password
        # does not use up the code (each is accepted once) or count as a wrong code.
        if self.device is not None and "password" in cleaned and "token" in cleaned:
            try:
                TokenForm.check(self.device, str(cleaned["token"]))
            except forms.ValidationError as error:
                self.add_error("token", error)
        return cleaned


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting their two-factor sign-in?",
        help_text="For example: lost phone, reported on 4 December. It is kept in the audit trail.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why two-factor sign-in is being reset"},
    )


class EmailPreferenceForm(forms.Form):
    email_preference = forms.ChoiceField(
        label="How do you want to be told by e-mail?",
        choices=EmailPreference.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to be told by e-mail",
            "invalid_choice": "Select how you want to be told by e-mail",
        },
    )
