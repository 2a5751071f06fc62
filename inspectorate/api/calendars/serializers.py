"""Request and response bodies of calendar feeds: the user's own feed addresses."""

from __future__ import annotations

from rest_framework import serializers

from inspectorate.calendars.models import CalendarToken


class CalendarFeedSerializer(serializers.ModelSerializer[CalendarToken]):
    """A feed address: the address itself is a secret, shown once when it is issued."""

    live = serializers.SerializerMethodField(help_text="Whether the address still works.")

    class Meta:
        model = CalendarToken
        fields = ["id", "created_at", "revoked_at", "live"]
        read_only_fields = fields

    def get_live(self, feed: CalendarToken) -> bool:
        return feed.revoked_at is None


class IssuedCalendarFeedSerializer(CalendarFeedSerializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The private address to give a calendar program (iCalendar). Anyone with "
        "it reads your inspections: it is shown only now; revoke it if it leaks.",
    )

    class Meta(CalendarFeedSerializer.Meta):
        fields = [*CalendarFeedSerializer.Meta.fields, "url"]
        read_only_fields = fields
