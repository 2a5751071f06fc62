"""Your calendar feed through the API: list your feed addresses, issue a new one (its secret
address is shown once, as on the screen) and revoke it, through `calendars.services`.

A feed address is a bearer secret that never expires and reads every inspection you are on,
unannounced ones included (PG-3). Issuing or revoking one with an API token would let a
token (which may be read only, narrowed to organisations, or due to expire) mint a wider,
longer-lived credential. So, like API tokens themselves (`SessionOnly`), feeds are issued and
revoked only from a signed-in session; a token may list them (dates only, never an address).
Feeds have no version and the screen protects nothing with one: no If-Match.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import Acting, ReadViewSet, record_action
from inspectorate.api.calendars import serializers as cs
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import SessionOnly, TokenScopeAllows
from inspectorate.calendars import services
from inspectorate.calendars.models import CalendarToken


class SessionOnlyWrites(SessionOnly):
    """Reads with a token; issuing and revoking a feed only while signed in."""

    message = "Issue and revoke calendar feeds while signed in to the service, not with a token."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


@extend_schema_view(
    list=extend_schema(summary="Your calendar feed addresses (live and revoked)"),
    retrieve=extend_schema(summary="One of your calendar feed addresses"),
    create=extend_schema(
        summary="Issue a calendar feed address (shown once; any earlier one stops working)",
        description="Only while signed in (not with an API token).",
        request=None,
        responses={201: cs.IssuedCalendarFeedSerializer},
    ),
)
class CalendarFeedViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadViewSet):
    """Your own calendar feeds (inspectors only); never anyone else's."""

    serializer_class = cs.CalendarFeedSerializer
    permission_classes = [permissions.IsAuthenticated, TokenScopeAllows, SessionOnlyWrites]
    query_filters = {"live": Filter("revoked_at__isnull", bool, "Only addresses that work.")}
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        services.feed_require_user(signed_in_user(request))

    def get_queryset(self) -> QuerySet[CalendarToken]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a user
            return CalendarToken.objects.none()
        return CalendarToken.objects.filter(user=signed_in_user(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        secret = services.feed_issue(actor=signed_in_user(request))
        feed: Any = self.get_queryset().get(revoked_at__isnull=True)
        feed.url = request.build_absolute_uri(reverse("calendars:feed", kwargs={"token": secret}))
        response = self.answer(feed, cs.IssuedCalendarFeedSerializer, status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @record_action(
        summary="Revoke a calendar feed address: it stops working at once",
        description="Only while signed in (not with an API token).",
        output=cs.CalendarFeedSerializer,
        if_match=False,
        routed=False,
    )
    def destroy(self, act: Acting) -> CalendarToken:
        feed = act.record
        if feed.revoked_at is None:
            services.feed_revoke(actor=act.actor, feed=feed)
            feed.refresh_from_db()
        return feed
