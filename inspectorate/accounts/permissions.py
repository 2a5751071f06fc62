"""Permissions as one table: every permission of every app is declared with `permission()`.

Each app's ``rules.py`` declares its permissions here, granted to duties
(``inspectorate.accounts.roles``) and, where the answer depends on the object, under a
condition that is a django-rules predicate. Code asks ``user.has_perm(name, obj)``; the
access matrix (``docs/access-matrix.md``) is generated from ``PERMISSIONS`` and the roles'
duties, and a test checks the document is current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ClassVar, Self, TypeVar, cast

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
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


_M = TypeVar("_M", bound=models.Model)


class DutyQuerySet(models.QuerySet[_M]):
    """Records that the holders of one duty (`seen_by`) see all of, and nobody else any of."""

    seen_by: ClassVar[Duty] = Duty.STAFF

    def visible_to(self, user: Any) -> Self:
        return self if user_has_duty(user, self.seen_by) else self.none()


def require(user: Any, name: str, obj: Any = None, message: str = "") -> None:
    """Refuse with PermissionDenied (saying `message`) unless `user` holds `name` on `obj`."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(name, obj):
        raise PermissionDenied(message or "You may not do this.")


ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def requires(name: str, message: str) -> Callable[[ViewT], ViewT]:
    """A view's decorator: before the view runs, `require` the signed-in user to hold `name`
    (on no object), refusing with `message`."""

    def decorate(view: ViewT) -> ViewT:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request.user, name, message=message)
            return view(request, *args, **kwargs)

        return cast(ViewT, checked)

    return decorate


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


def permissions(
    app: str,
    *grants: Grant,
    provided: Predicate | None = None,
    rule_ids: tuple[str, ...] = (),
    **texts: str,
) -> None:
    """Declare several permissions of `app` with the same grants, condition and rules: each
    keyword names one (``verb_thing="what it lets the holder do"``)."""
    for verb, text in texts.items():
        permission(f"{app}.{verb}", *grants, provided=provided, rule_ids=rule_ids, text=text)


def condition(test: Callable[..., bool], name: str, doc: str) -> Predicate:
    """A predicate named `name` that `test` answers, shown in the access matrix as `doc`.

    For conditions made by a factory, or one test stated in another app's words."""
    predicate = Predicate(test, name=name)
    predicate.__doc__ = doc
    return predicate


def is_users(model: type, field: str, name: str, doc: str) -> Predicate:
    """A condition: the object is a `model` whose `field` (a user's id) is the user's."""

    def test(user: Any, obj: Any) -> bool:
        return isinstance(obj, model) and getattr(obj, field) == user.pk

    return condition(test, name, doc)


def describe(predicate: Predicate | None) -> str:
    """A predicate's first docstring sentence, or its name: what the matrix shows."""
    if predicate is None:
        return ""
    doc = (getattr(predicate, "__doc__", None) or "").strip()
    if doc and doc != (Predicate.__doc__ or "").strip():
        return doc.split("\n\n")[0].replace("\n", " ").strip()
    return str(getattr(predicate, "name", predicate)).replace("_", " ")
