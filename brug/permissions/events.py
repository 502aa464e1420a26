"""Who may receive a realtime event (DESIGN.md "realtime", SECURITY.md promise 1).

An event names what it is about: a space (its readers receive it), a post
(its readers: the space's, or for a profile post the members of its
organisation; never once deleted) and/or one recipient (only they receive
it). Delivery asks ``deliverable_events`` once per poll for all the events
and all the people connected to a server process: ONE query fetches the
current facts (who is active with which role and organisation, the spaces'
visibility and organisations, the memberships of exactly those people in
exactly those spaces, whether the posts still exist), so someone removed
from a space stops receiving its events from the next poll on, and the cost
does not grow with the number of listeners times events.

The rule is the same as ``can_read_space`` / ``can_read_post``; a test
checks that they agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Case, CharField, F, Value, When

from brug.people.enums import Role
from brug.people.models import User
from brug.posts.models import Post
from brug.spaces.enums import Visibility
from brug.spaces.models import Membership, Space

__all__ = ["EventLike", "Facts", "deliverable_events", "load_facts", "may_receive"]


class EventLike(Protocol):
    id: int
    kind: str
    space_id: int | None
    post_id: int | None
    recipient_id: int | None


@dataclass
class Facts:
    """What the rule needs to know, as of one query."""

    people: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (org, role)
    spaces: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (org, visibility)
    shared: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    members: set[tuple[int, int]] = field(default_factory=set)  # (space, person)
    posts: dict[int, tuple[int, bool]] = field(default_factory=dict)  # id -> (org, deleted)


def _row(qs, tag: str, a, b, c):
    return (
        qs.order_by()
        .annotate(
            _tag=Value(tag, output_field=CharField()),
            _a=a,
            _b=b,
            _c=c,
        )
        .values_list("_tag", "_a", "_b", "_c")
    )


def load_facts(events: Iterable[EventLike], people_ids: Iterable[int]) -> Facts:
    """Fetch, in one query, the facts about these events and people."""
    events = list(events)
    people_ids = sorted(set(people_ids))
    space_ids = sorted({e.space_id for e in events if e.space_id is not None})
    post_ids = sorted({e.post_id for e in events if e.post_id is not None})
    facts = Facts()
    if not people_ids:
        return facts
    text = CharField()
    parts = [
        _row(
            User.objects.filter(pk__in=people_ids, is_active=True),
            "u",
            F("pk"),
            F("organisation_id"),
            F("role"),
        )
    ]
    if space_ids:
        parts += [
            _row(
                Space.objects.filter(pk__in=space_ids),
                "s",
                F("pk"),
                F("organisation_id"),
                F("visibility"),
            ),
            _row(
                Space.shared_with.through.objects.filter(space_id__in=space_ids),
                "h",
                F("space_id"),
                F("organisation_id"),
                Value("", output_field=text),
            ),
            _row(
                Membership.objects.filter(space_id__in=space_ids, person_id__in=people_ids),
                "m",
                F("space_id"),
                F("person_id"),
                Value("", output_field=text),
            ),
        ]
    if post_ids:
        parts.append(
            _row(
                Post.objects.filter(pk__in=post_ids),
                "p",
                F("pk"),
                F("organisation_id"),
                Case(When(is_deleted=True, then=Value("d")), default=Value(""), output_field=text),
            )
        )
    query = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    for tag, a, b, c in query:
        if tag == "u":
            facts.people[a] = (b, c)
        elif tag == "s":
            facts.spaces[a] = (b, c)
        elif tag == "h":
            facts.shared[a].add(b)
        elif tag == "m":
            facts.members.add((a, b))
        elif tag == "p":
            facts.posts[a] = (b, c == "d")
    return facts


def _reads_space(facts: Facts, person_id: int, space_id: int) -> bool:
    if (space_id, person_id) in facts.members:
        return True
    space = facts.spaces.get(space_id)
    person = facts.people.get(person_id)
    if space is None or person is None:
        return False
    organisation, visibility = space
    person_org, role = person
    if visibility != Visibility.OPEN or role == Role.GUEST:
        return False
    return person_org == organisation or person_org in facts.shared.get(space_id, ())


def may_receive(facts: Facts, person_id: int, event: EventLike) -> bool:
    """May this (active) person receive this event, given the facts?"""
    person = facts.people.get(person_id)
    if person is None:
        return False
    if event.recipient_id is not None and event.recipient_id != person_id:
        return False
    if event.post_id is not None:
        post = facts.posts.get(event.post_id)
        # A deleted post is news to nobody, except the news that it is gone.
        if post is None or (post[1] and getattr(event, "kind", "") != "post_deleted"):
            return False
        if event.space_id is None:
            # A profile post: the members (not guests) of its organisation.
            return person[1] != Role.GUEST and person[0] == post[0]
    if event.space_id is not None:
        return _reads_space(facts, person_id, event.space_id)
    # Neither post nor space: only events addressed to one person are delivered.
    return event.recipient_id == person_id


def deliverable_events(
    events: Iterable[EventLike], people_ids: Iterable[int]
) -> dict[int, list[EventLike]]:
    """For each person, the events (in order) they may receive. One query."""
    events = sorted(events, key=lambda e: e.id)
    people_ids = set(people_ids)
    if not events or not people_ids:
        return {}
    facts = load_facts(events, people_ids)
    result: dict[int, list[EventLike]] = {}
    for person_id in people_ids:
        mine = [e for e in events if may_receive(facts, person_id, e)]
        if mine:
            result[person_id] = mine
    return result
