"""The three shapes of the notification rule agree, and agree with the post and space rules.

Rows are written directly here (not through the fan-out, which would refuse
most of them) so that every viewer of the matrix meets notifications about
things they may and may not see.
"""

import pytest
from django.db.models import Q

from brug.notifications.enums import NotificationKind
from brug.notifications.models import Notification
from brug.people.models import User
from brug.permissions.events import deliverable_events
from brug.permissions.notifications import (
    can_see_notification,
    filter_people_who_may_read_post,
    filter_people_who_may_read_space,
    filter_people_who_may_see_space,
    filter_visible_notifications,
    recipient_may_see_condition,
)
from brug.permissions.posts import can_read_post
from brug.permissions.spaces import can_read_space, can_see_space
from brug.posts.models import Comment
from brug.realtime.models import Event
from brug.spaces.actions import _add_membership
from brug.spaces.models import Membership, SpaceInvitation

from .conftest import make_comment, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    space,
    private_space,
    secret_space,
    owner,
    member,
    moderator,
    outsider,
    stranger,
    guest,
    community_manager,
    admin_user,
):
    _add_membership(space=space, person=guest)
    people = [owner, member, moderator, outsider, stranger, guest, community_manager, admin_user]
    spaces = [space, private_space, secret_space]
    posts = [make_post(owner, s, f"Bericht in {s.name}") for s in spaces]
    posts.append(make_post(member, None, "Werk in uitvoering op mijn profiel"))
    comments = [make_comment(moderator, p, "Reactie") for p in posts]
    deleted = make_comment(moderator, posts[0], "Weg")
    Comment.objects.filter(pk=deleted.pk).update(is_deleted=True)
    deleted.refresh_from_db()
    SpaceInvitation.objects.create(space=secret_space, person=outsider, invited_by=owner)
    Notification.objects.all().delete()
    rows = []
    for person in people:
        for post, comment in zip(posts, comments, strict=True):
            rows.append(
                Notification(
                    recipient=person, kind="mention", group_key=f"post:{post.pk}", post=post
                )
            )
            rows.append(
                Notification(
                    recipient=person,
                    kind="reaction",
                    group_key=f"comment:{comment.pk}",
                    post=post,
                    comment=comment,
                )
            )
        rows.append(
            Notification(
                recipient=person,
                kind="mention",
                group_key=f"comment:{deleted.pk}",
                post=posts[0],
                comment=deleted,
            )
        )
        for s in spaces:
            for kind in (
                NotificationKind.SPACE_POST,
                NotificationKind.JOIN_REQUEST,
                NotificationKind.JOIN_DECISION,
                NotificationKind.INVITATION,
            ):
                rows.append(
                    Notification(recipient=person, kind=kind, group_key=f"space:{s.pk}", space=s)
                )
    Notification.objects.bulk_create(rows)
    return {"people": people, "spaces": spaces, "posts": posts}


def _three_ways(person):
    mine = Notification.objects.filter(recipient=person).select_related(
        "post__space", "comment", "space"
    )
    by_object = {n.pk for n in mine if can_see_notification(person, n)}
    by_filter = set(filter_visible_notifications(person).values_list("pk", flat=True))
    by_recipient = set(
        Notification.objects.filter(recipient=person)
        .filter(recipient_may_see_condition())
        .values_list("pk", flat=True)
    )
    return by_object, by_filter, by_recipient


def test_the_three_shapes_of_the_notification_rule_agree_for_every_viewer(world):
    for person in world["people"]:
        by_object, by_filter, by_recipient = _three_ways(person)
        assert by_object == by_filter == by_recipient, person


def test_they_still_agree_after_someone_is_removed_from_a_space(world, member, private_space):
    before, _f, _r = _three_ways(member)
    Membership.objects.filter(space=private_space, person=member).delete()
    for person in world["people"]:
        by_object, by_filter, by_recipient = _three_ways(person)
        assert by_object == by_filter == by_recipient, person
    after, _f, _r = _three_ways(member)
    assert after < before


def test_a_member_sees_notifications_about_their_spaces_and_an_outsider_only_open_ones(
    world, member, outsider, stranger, private_space, secret_space
):
    member_sees = Notification.objects.filter(
        pk__in=filter_visible_notifications(member).values("pk")
    )
    assert member_sees.filter(Q(space=secret_space) | Q(post__space=secret_space)).exists()

    outsider_sees = Notification.objects.filter(
        pk__in=filter_visible_notifications(outsider).values("pk")
    )
    # A private space's posts stay closed to an outsider; its join decision is visible
    # (they may see that the space exists), its secret sibling only through the invitation.
    assert not outsider_sees.filter(post__space=private_space).exists()
    assert outsider_sees.filter(kind="join_decision", space=private_space).exists()
    assert list(outsider_sees.filter(space=secret_space).values_list("kind", flat=True)) == [
        "invitation"
    ]
    assert not filter_visible_notifications(stranger).exists()


def test_a_notification_about_a_deleted_comment_disappears(world, member):
    visible = filter_visible_notifications(member)
    assert not visible.filter(comment__is_deleted=True).exists()
    assert Notification.objects.filter(recipient=member, comment__is_deleted=True).exists()


def test_fan_out_filters_agree_with_the_read_and_see_rules(world):
    people = User.objects.filter(pk__in=[p.pk for p in world["people"]])
    for post in world["posts"]:
        readers = set(filter_people_who_may_read_post(post, people).values_list("pk", flat=True))
        assert readers == {p.pk for p in world["people"] if can_read_post(p, post)}, post
    for s in world["spaces"]:
        readers = set(filter_people_who_may_read_space(s, people).values_list("pk", flat=True))
        assert readers == {p.pk for p in world["people"] if can_read_space(p, s)}, s
        seers = set(filter_people_who_may_see_space(s, people).values_list("pk", flat=True))
        assert seers == {p.pk for p in world["people"] if can_see_space(p, s)}, s


def test_realtime_delivery_agrees_with_the_read_rules(world, member, outsider):
    people = world["people"]
    events = []
    for post in world["posts"]:
        events.append(Event.objects.create(kind="post_created", space=post.space, post=post))
        events.append(
            Event.objects.create(kind="notification", space=post.space, post=post, recipient=member)
        )
    for s in world["spaces"]:
        events.append(Event.objects.create(kind="space_thing", space=s))
    events.append(Event.objects.create(kind="notification", recipient=outsider))
    delivered = deliverable_events(events, [p.pk for p in people])
    for person in people:
        got = {e.id for e in delivered.get(person.pk, [])}
        expected = set()
        for event in events:
            if event.recipient_id is not None and event.recipient_id != person.pk:
                continue
            if event.post_id is not None:
                if can_read_post(person, event.post):
                    expected.add(event.id)
            elif event.space_id is not None:
                if can_read_space(person, event.space):
                    expected.add(event.id)
            elif event.recipient_id == person.pk:
                expected.add(event.id)
        assert got == expected, person


def test_realtime_delivery_costs_one_query_however_many_people_and_events(
    world, django_assert_num_queries
):
    people = [p.pk for p in world["people"]]
    events = [
        Event.objects.create(kind="post_created", space=post.space, post=post)
        for post in world["posts"]
    ]
    with django_assert_num_queries(1):
        deliverable_events(events[:1], people[:2])
    with django_assert_num_queries(1):
        deliverable_events(events, people)
