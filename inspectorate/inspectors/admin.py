from django.contrib import admin

from inspectorate.inspectors.models import Inspector


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin[Inspector]):
    list_display = ("name", "organisation", "grade", "home_region", "active")
    list_filter = ("organisation", "grade", "home_region", "active")
    search_fields = ("name", "email")
