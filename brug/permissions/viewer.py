"""The per-request ``Viewer``: who is looking, with memberships loaded once.

Every permission function takes a ``Viewer`` (or a user, which it wraps). The
memberships are read in one query the first time a rule needs them, so a page
that asks a hundred questions about spaces costs one query, whether the person
is in ten spaces or two hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from brug.people.enums import Role

if TYPE_CHECKING:
    from brug.people.models import User


class Viewer:
    """A person (or nobody) looking at Brug, with their roles cached."""

    def __init__(self, user: User | Any | None) -> None:
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        if user is not None and not user.is_active:
            user = None
        self.user: User | None = user

    def __repr__(self) -> str:
        return f"<Viewer {self.id}>"

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def organisation_id(self) -> int | None:
        return self.user.organisation_id if self.user else None

    @property
    def role(self) -> str | None:
        return self.user.role if self.user else None

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_community_manager(self) -> bool:
        """Community managers and admins (admins hold every manager right)."""
        return self.role in {Role.COMMUNITY_MANAGER, Role.ADMIN}

    @property
    def is_member(self) -> bool:
        """A signed-in person who is not a guest."""
        return self.user is not None and not self.is_guest

    @cached_property
    def space_roles(self) -> dict[int, str]:
        """Map each space the person belongs to onto their role there (one query).

        Plain SQL: this runs on every signed-in request, and building it with
        the ORM cost more than the database takes to answer it. The same text
        for everyone, prepared once per connection on PostgreSQL (~0.1 ms less
        per request than parsing and planning it each time).
        """
        if self.user is None:
            return {}
        from brug.core.sql import as_bigint, prepared_cursor
        from brug.spaces.models import Membership

        with prepared_cursor() as cursor:
            cursor.execute(
                f"SELECT space_id, role FROM {Membership._meta.db_table}"  # noqa: S608 (a constant)
                " WHERE person_id = %s",
                [as_bigint(self.user.pk)],
            )
            return dict(cursor.fetchall())

    @property
    def member_space_ids(self) -> list[int]:
        return list(self.space_roles)

    def forget_memberships(self) -> None:
        """Drop the cached memberships (after joining or leaving a space)."""
        self.__dict__.pop("space_roles", None)
        self.__dict__.pop("_memo", None)

    def permission_key(self) -> tuple:
        """Everything about the viewer that the permission conditions read, as a value.

        A condition built from ``Viewer.from_key(key)`` depends on nothing else,
        so its compiled SQL can be kept and reused for any viewer with this key.
        """
        return (self.id, self.role, self.organisation_id, tuple(sorted(self.space_roles.items())))

    @classmethod
    def from_key(cls, key: tuple) -> Viewer:
        """A viewer that knows only what ``permission_key`` holds (anything else raises)."""
        person_id, role, organisation_id, space_roles = key
        viewer = cls(_KeyPerson(person_id, role, organisation_id) if person_id else None)
        viewer.__dict__["space_roles"] = dict(space_roles)
        return viewer

    def memo(self, key, build):
        """``build()`` once per viewer, i.e. per request (conditions built from the
        memberships, a parsed search). Dropped with the memberships by ``forget_memberships``.
        """
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = build()
        return memo[key]


@dataclass(frozen=True)
class _KeyPerson:
    """The person behind ``Viewer.from_key``: only the fields of the key."""

    pk: int
    role: str
    organisation_id: int | None
    is_active: bool = True
    is_authenticated: bool = True


def as_viewer(who: Viewer | Any | None) -> Viewer:
    """Return ``who`` as a ``Viewer`` (accepts a Viewer, a user, or None)."""
    if isinstance(who, Viewer):
        return who
    return Viewer(who)
