from django.contrib import admin

from inspectorate.inspectors.models import (
    ConflictOfInterest,
    Inspector,
    InspectorBooking,
    Unavailability,
)


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin[Inspector]):
    list_display = ("name", "organisation", "grade", "home_region", "dbs_renewal_due_on", "active")
    list_filter = ("organisation", "grade", "home_region", "clearance", "active")
    search_fields = ("name", "email")


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin[ConflictOfInterest]):
    list_display = ("inspector", "establishment", "provider", "starts_on", "ends_on")
    list_select_related = ("inspector", "establishment", "provider")
    raw_id_fields = ("inspector", "establishment", "provider")


@admin.register(InspectorBooking)
class InspectorBookingAdmin(admin.ModelAdmin[InspectorBooking]):
    """Read-only here: bookings are written by the services, which name any clash."""

    list_display = ("inspector", "starts_on", "ends_on", "kind", "label")
    list_select_related = ("inspector",)
    list_filter = ("kind",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin[Unavailability]):
    list_display = ("inspector", "kind", "starts_on", "ends_on")
    list_select_related = ("inspector",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
