from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts.models import User
from inspectorate.accounts.reauth import ReauthenticationRequiredAdminMixin, confirm_redirect
from inspectorate.accounts.session_state import recently_authenticated


@admin.register(User)
class UserAdmin(ReauthenticationRequiredAdminMixin, DjangoUserAdmin):
    """Changing anyone's roles, flags or password needs a recent "Confirm it's you"."""

    list_display = ("username", "first_name", "last_name", "email", "role_list", "establishment")
    list_filter = ("is_active", "establishment")
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("two_factor_sign_in",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Roles in Inspectorate", {"fields": ("roles", "establishment")}),
        ("Two-factor sign-in", {"fields": ("two_factor_sign_in",)}),
    )

    @admin.display(description="Roles")
    def role_list(self, user: User) -> str:
        return ", ".join(user.role_labels)

    @admin.display(description="Authenticator app")
    def two_factor_sign_in(self, user: User) -> str:
        if user.pk is None:
            return "Set up by the user at their first sign-in"
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        return format_html(
            '{} <a href="{}">Reset two-factor sign-in</a>',
            "Set up." if has_device else "Not set up.",
            reverse("accounts:two-factor-reset", kwargs={"pk": user.pk}),
        )

    def user_change_password(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            return confirm_redirect(request)
        return super().user_change_password(request, *args, **kwargs)

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_superuser)


# Authenticators are enrolled by their owner (set-up page) and removed only by the audited
# reset (services.two_factor_reset): the admin must not add or edit them for someone else.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
