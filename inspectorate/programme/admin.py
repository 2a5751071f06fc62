"""Read-only administration views of the programme.

Writes go through the services (permissions, amendments, notifications). Events are never
listed here: their dates are confidential (PG-3) and the admin would bypass visible_to and
the access log; the programme screens are the way to them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from inspectorate.programme.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("year", "status", "consultation_opened_on", "confirmed_on")
    readonly_fields = ("year", "status", "consultation_opened_on", "confirmed_on", "version")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
