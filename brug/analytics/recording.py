"""Record acts in the activity log (DESIGN.md "The activity log").

``record_activity`` writes one row in the caller's transaction, with the
actor's team and organisation as they are at that moment. Views ("consume"
acts on a GET) go through ``record_view`` instead, which only counts in
memory; ``flush_views`` writes the counts in one batch (a job runs it every
few seconds), so a page view never takes the database's write lock.
"""

from __future__ import annotations

import threading
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from brug.analytics.enums import LADDER_OF_VERB
from brug.analytics.models import Activity, ObjectView


def record_activity(
    *,
    actor,
    verb: str,
    space=None,
    post=None,
    comment=None,
    person=None,
    owner=None,
    anonymous: bool = False,
) -> Activity:
    """Append one act to the log.

    ``owner`` is the person whose object was acted on (the post's author), so
    that cross-team flows can be rolled up. With ``anonymous=True`` the row
    carries no actor and no team (anonymity by construction).
    """
    if anonymous:
        actor = None
    return Activity.objects.create(
        actor=actor,
        verb=verb,
        ladder=LADDER_OF_VERB.get(verb, ""),
        actor_team_id=getattr(actor, "team_id", None),
        actor_organisation_id=getattr(actor, "organisation_id", None),
        owner_team_id=getattr(owner, "team_id", None),
        space=space,
        post=post,
        comment=comment,
        person=person,
    )


_lock = threading.Lock()
_pending: Counter = Counter()


def record_view(*, person, verb: str, post=None, space=None, profile=None) -> None:
    """Count that a person opened something today; written later by ``flush_views``."""
    if person is None or not getattr(person, "is_authenticated", False):
        return
    key = (
        person.pk,
        verb,
        getattr(post, "pk", None),
        getattr(space, "pk", None),
        getattr(profile, "pk", None),
        timezone.localdate(),
    )
    with _lock:
        _pending[key] += 1


def pending_views() -> int:
    with _lock:
        return len(_pending)


def discard_pending_views() -> None:
    """Forget the buffered views (tests start each case with an empty buffer)."""
    with _lock:
        _pending.clear()


def flush_views() -> int:
    """Write the buffered views in one transaction; return how many rows were touched.

    Each (person, verb, object, day) becomes one ``ObjectView`` row (its count
    grows) and, the first time that day, one ``Activity`` row for the ladder.
    """
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return 0
    from brug.people.models import User
    from brug.posts.models import Post
    from brug.spaces.models import Space

    people = User.objects.in_bulk({key[0] for key in batch} | {key[4] for key in batch if key[4]})
    post_ids = set(
        Post.objects.filter(pk__in={key[2] for key in batch if key[2]}).values_list("pk", flat=True)
    )
    space_ids = set(
        Space.objects.filter(pk__in={key[3] for key in batch if key[3]}).values_list(
            "pk", flat=True
        )
    )

    def still_there(person_id, post_id, space_id, profile_id) -> bool:
        # Whatever was deleted between the view and the flush is not counted:
        # a foreign key to a deleted row would fail the whole batch at commit.
        return (
            person_id in people
            and (not post_id or post_id in post_ids)
            and (not space_id or space_id in space_ids)
            and (not profile_id or profile_id in people)
        )

    with transaction.atomic():
        for (person_id, verb, post_id, space_id, profile_id, day), n in batch.items():
            if not still_there(person_id, post_id, space_id, profile_id):
                continue
            if post_id:
                object_key = f"post:{post_id}"
            elif space_id:
                object_key = f"space:{space_id}"
            else:
                object_key = f"profile:{profile_id}"
            lookup = {"person_id": person_id, "verb": verb, "object_key": object_key, "day": day}
            if ObjectView.objects.filter(**lookup).update(count=F("count") + n):
                continue
            try:
                # Another process may flush the same key at the same moment.
                with transaction.atomic():
                    ObjectView.objects.create(
                        **lookup, post_id=post_id, space_id=space_id, profile_id=profile_id, count=n
                    )
            except IntegrityError:
                ObjectView.objects.filter(**lookup).update(count=F("count") + n)
                continue
            actor = people.get(person_id)
            if actor is not None:
                Activity.objects.create(
                    actor=actor,
                    verb=verb,
                    ladder=LADDER_OF_VERB.get(verb, ""),
                    actor_team_id=actor.team_id,
                    actor_organisation_id=actor.organisation_id,
                    space_id=space_id,
                    post_id=post_id,
                    person_id=profile_id,
                )
    return len(batch)
