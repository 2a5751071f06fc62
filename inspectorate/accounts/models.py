"""Users and their roles.

A user holds one or more roles. An establishment user is bound to exactly one establishment
and holds no other role; the database enforces both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.permissions import PERMISSIONS, user_has_duty
from inspectorate.accounts.roles import DUTIES, Duty, Role
from inspectorate.audit.tracking import audited
from inspectorate.lib.models import labels_of, optional_link

ESTABLISHMENT_ONLY = [Role.ESTABLISHMENT_USER.value]


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Any) -> UserQuerySet:
        """System administrators see every account; everyone else sees only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user_has_duty(user, Duty.ADMINISTERS):
            return self
        return self.filter(pk=user.pk)


class InspectorateUserManager(UserManager["User"]):
    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> UserQuerySet:
        return self.get_queryset().visible_to(user)


@audited(exclude=["password", "last_login", "digest_sent_on"])
class User(AbstractUser):
    roles = ArrayField(
        models.CharField(max_length=40, choices=Role),
        default=list,
        blank=True,
        help_text="What this person does in the service; it decides what they can see and do.",
    )
    establishment = optional_link(
        "estate.Establishment",
        "users",
        help_text="For establishment users only: the one establishment they belong to.",
    )
    email_preference = models.CharField(
        max_length=10,
        choices=EmailPreference,
        default=EmailPreference.EACH,
        help_text="Notifications by e-mail: each one, a daily digest, or none.",
    )
    digest_sent_on = models.DateField(
        null=True, blank=True, help_text="The last day a daily digest was sent to this person."
    )

    objects: ClassVar[InspectorateUserManager] = InspectorateUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                name="establishment_user_bound_to_one_establishment",
                condition=(
                    Q(roles=ESTABLISHMENT_ONLY, establishment__isnull=False)
                    | (~Q(roles__contains=ESTABLISHMENT_ONLY) & Q(establishment__isnull=True))
                ),
                violation_error_message=(
                    "An establishment user must belong to exactly one establishment and hold "
                    "no other role; other users must not belong to an establishment."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: Role | str) -> bool:
        return any(role in self.roles for role in roles)

    def has_any_role(self, roles: Iterable[Role | str]) -> bool:
        return self.has_role(*roles)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """A permission of the service's table is what the table grants the roles held, for
        superusers too: being a superuser opens the admin site, not drafts or the programme.
        As with django-rules' own backend, an inactive account (the command line's, which
        never signs in) holds what its roles grant."""
        if perm in PERMISSIONS:
            return bool(rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)

    @property
    def is_establishment_user(self) -> bool:
        return self.has_role(Role.ESTABLISHMENT_USER)

    @property
    def has_staff_role(self) -> bool:
        return any(role in DUTIES[Duty.STAFF] for role in self.roles)

    @property
    def role_labels(self) -> list[str]:
        return labels_of(Role, self.roles)


@audited()
class TwoFactorReset(models.Model):
    """A system administrator removed someone's authenticators and ended their sessions."""

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="two_factor_resets")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    devices_removed = models.PositiveIntegerField()
    sessions_ended = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Two-factor reset of {self.user} by {self.actor}"
