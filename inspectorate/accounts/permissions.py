"""Permissions as one table: every permission of every app is declared with `permission()`.

Each app's ``rules.py`` declares its permissions here, granted to duties
(``inspectorate.accounts.roles``) and, where the answer depends on the object, under a
condition that is a django-rules predicate. Code asks ``user.has_perm(name, obj)``; the
access matrix (``docs/access-matrix.md``) is generated from ``PERMISSIONS`` and the roles'
duties, and a test checks the document is current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from rules.predicates import Predicate

from inspectorate.accounts.roles import DUTIES, Duty, Role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def has_duty(*duties: Duty) -> Predicate:
    """True for signed-in users holding a role that takes on any of `duties`."""
    roles = frozenset().union(*(DUTIES[duty] for duty in duties))
    name = "_or_".join(duty.value for duty in duties)

    @rules.predicate(name=f"has_duty_{name}")
    def predicate(user: Any) -> bool:
        return _signed_in(user) and user.has_role(*roles)

    return predicate


def user_has_duty(user: Any, *duties: Duty) -> bool:
    """The same question as `has_duty`, for code that holds no object (navigation, forms)."""
    return bool(has_duty(*duties).test(user))


@rules.predicate
def is_signed_in(user: Any) -> bool:
    """Signed in."""
    return _signed_in(user)


@dataclass(frozen=True)
class Grant:
    """Holders of any of `duties` (anyone signed in, when there are none) may, if `when`
    holds for the object."""

    duties: tuple[Duty, ...]
    when: Predicate | None = None

    def predicate(self) -> Predicate:
        who = has_duty(*self.duties) if self.duties else is_signed_in
        return who & self.when if self.when is not None else who

    def covers(self, role: Role) -> bool:
        return not self.duties or any(role in DUTIES[duty] for duty in self.duties)


def grant(*duties: Duty, when: Predicate | None = None) -> Grant:
    return Grant(duties=tuple(duties), when=when)


@dataclass(frozen=True)
class Permission:
    name: str
    grants: tuple[Grant, ...]
    provided: Predicate | None = None
    rule_ids: tuple[str, ...] = ()
    text: str = ""
    predicate: Predicate = field(compare=False, repr=False, default=rules.always_deny)

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]


PERMISSIONS: dict[str, Permission] = {}


def permission(
    name: str,
    *grants: Grant,
    provided: Predicate | None = None,
    rule_ids: tuple[str, ...] = (),
    text: str = "",
) -> Permission:
    """Declare permission `name` (``app.verb_thing``): any of `grants`, and then `provided`
    for every holder (for example: the event is not over)."""
    if name in PERMISSIONS:
        raise ValueError(f"Permission {name} is declared twice.")
    if not grants:
        raise ValueError(f"Permission {name} grants nobody.")
    predicate = grants[0].predicate()
    for more in grants[1:]:
        predicate = predicate | more.predicate()
    if provided is not None:
        predicate = predicate & provided
    declared = Permission(name, tuple(grants), provided, tuple(rule_ids), text, predicate)
    PERMISSIONS[name] = declared
    rules.add_perm(name, predicate)
    return declared


def describe(predicate: Predicate | None) -> str:
    """A predicate's first docstring sentence, or its name: what the matrix shows."""
    if predicate is None:
        return ""
    doc = (getattr(predicate, "__doc__", None) or "").strip()
    if doc and doc != (Predicate.__doc__ or "").strip():
        return doc.split("\n\n")[0].replace("\n", " ").strip()
    return str(getattr(predicate, "name", predicate)).replace("_", " ")


def require(user: Any, name: str, obj: Any = None, *, message: str = "You cannot do that.") -> None:
    """Refuse (PermissionDenied with `message`) unless `user` holds permission `name`."""
    if not user.has_perm(name, obj):
        raise PermissionDenied(message)
