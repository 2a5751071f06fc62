from django.contrib import admin

from inspectorate.estate.models import Establishment


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin[Establishment]):
    list_display = ("code", "name", "kind", "nation", "operator", "status")
    list_filter = ("kind", "nation", "status")
    search_fields = ("code", "name", "operator")
