from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from inspectorate.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "role_list", "establishment")
    list_filter = ("is_active", "establishment")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Roles in Inspectorate", {"fields": ("roles", "establishment")}),
    )

    @admin.display(description="Roles")
    def role_list(self, user: User) -> str:
        return ", ".join(user.role_labels)

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_superuser)
