"""Reads: feeds, pagination, threads, extras and mention candidates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from brug.posts import actions, queries
from brug.posts.enums import ReactionKind
from brug.posts.models import Post
from brug.posts.tests.conftest import make_comment, make_post
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceKind, Visibility
from brug.spaces.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ids(posts):
    return [post.pk for post in posts]


def test_space_feed_is_newest_first_with_pinned_posts_on_top_of_the_first_page(
    member, moderator, space
):
    posts = [make_post(member, space, f"Post {n}") for n in range(5)]
    actions.pin_post(moderator=moderator, post=posts[1])
    page = queries.get_space_feed(viewer=member, space=space, limit=2)
    assert _ids(page.pinned) == [posts[1].pk]
    assert _ids(page.posts) == [posts[4].pk, posts[3].pk]
    assert page.next_cursor
    second = queries.get_space_feed(
        viewer=member, space=space, before=queries.parse_feed_cursor(page.next_cursor), limit=2
    )
    assert second.pinned == []
    assert _ids(second.posts) == [posts[2].pk, posts[0].pk]
    assert second.next_cursor is None


def test_keyset_pagination_neither_skips_nor_repeats_posts_with_the_same_time(member, space):
    moment = timezone.now()
    posts = [make_post(member, space, f"Post {n}") for n in range(7)]
    Post.objects.filter(pk__in=_ids(posts)).update(created_at=moment)
    seen, cursor = [], None
    while True:
        page = queries.get_space_feed(
            viewer=member, space=space, before=queries.parse_feed_cursor(cursor), limit=3
        )
        seen += _ids(page.posts)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == sorted(_ids(posts), reverse=True)


@pytest.mark.parametrize("cursor", ["abc", "1_", "_1", "99999999999999999999999999_1", "1_x"])
def test_garbage_cursors_are_refused(cursor):
    with pytest.raises(queries.InvalidFeedCursor):
        queries.parse_feed_cursor(cursor)


def test_deleted_posts_leave_every_feed(member, space):
    post = make_post(member, space)
    actions.delete_post(actor=member, post=post)
    assert queries.get_space_feed(viewer=member, space=space).posts == []
    assert queries.get_home_feed(viewer=member).posts == []
    with pytest.raises(Http404):
        queries.get_post(viewer=member, post_id=post.pk)


def test_home_feed_holds_joined_spaces_followed_people_own_posts_and_announcements(
    owner, member, outsider, moderator, space, private_space
):
    joined = make_post(moderator, space, "In mijn space")
    news = create_space(creator=owner, name="Nieuws", kind=SpaceKind.ANNOUNCEMENT)
    announcement = make_post(owner, news, "Iedereen: de kerstborrel")
    elsewhere = create_space(creator=outsider, name="ICT-hoek")
    followed_there = make_post(outsider, elsewhere, "Van iemand die ik volg")
    not_followed = make_post(outsider, elsewhere, "Van niemand")
    profile = make_post(outsider, None, "Werk hardop")
    own = make_post(member, None, "Mijn eigen profielpost")
    Post.objects.filter(pk=not_followed.pk).update(author=owner)
    actions.follow_person(follower=member, person=outsider)

    feed = _ids(queries.get_home_feed(viewer=member).posts)
    assert set(feed) == {joined.pk, announcement.pk, followed_there.pk, profile.pk, own.pk}


def test_home_feed_never_shows_what_the_viewer_may_not_read(
    member, outsider, stranger, private_space
):
    hidden = create_space(creator=member, name="Geheim", visibility=Visibility.SECRET)
    make_post(member, hidden, "Geheim")
    make_post(member, private_space, "Privé")
    actions.follow_person(follower=outsider, person=member)
    assert queries.get_home_feed(viewer=outsider).posts == []
    assert queries.get_home_feed(viewer=stranger).posts == []


def test_muted_spaces_leave_the_home_feed(member, moderator, space):
    make_post(moderator, space)
    Membership.objects.filter(person=member, space=space).update(muted=True)
    assert queries.get_home_feed(viewer=member).posts == []


def test_person_posts_show_only_what_the_viewer_may_read(
    member, outsider, guest, private_space, space
):
    open_post = make_post(member, space, "Open")
    make_post(member, private_space, "Privé")
    profile = make_post(member, None, "Profiel")
    assert set(_ids(queries.get_person_posts(viewer=outsider, person=member).posts)) == {
        open_post.pk,
        profile.pk,
    }
    _add_membership(space=space, person=guest)
    assert _ids(queries.get_person_posts(viewer=guest, person=member).posts) == [open_post.pk]


def test_comments_come_as_threads_with_deleted_parents_kept_as_placeholders(
    member, moderator, space
):
    post = make_post(member, space)
    first = make_comment(member, post, "Eerste")
    reply = make_comment(moderator, post, "Antwoord", parent=first)
    lonely = make_comment(moderator, post, "Weg")
    actions.delete_comment(actor=moderator, comment=lonely)
    actions.delete_comment(actor=member, comment=first)
    threads = queries.list_comments(viewer=member, post=post)
    assert [c.pk for c in threads] == [first.pk]
    assert threads[0].is_deleted and threads[0].body == "" and threads[0].author is None
    assert [c.pk for c in threads[0].thread] == [reply.pk]


def test_feed_extras_count_reactions_per_kind_and_mark_mine(member, moderator, owner, space):
    post = make_post(member, space)
    actions.add_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    actions.add_reaction(person=owner, kind=ReactionKind.THANKS, post=post)
    actions.add_reaction(person=member, kind=ReactionKind.HELPFUL, post=post)
    comment = make_comment(owner, post)
    actions.add_reaction(person=member, kind=ReactionKind.LIKE, comment=comment)
    queries.load_feed_extras(viewer=member, posts=[post])
    summary = {r.kind: (r.count, r.mine) for r in post.reaction_summary}
    assert summary["thanks"] == (2, False)
    assert summary["helpful"] == (1, True)
    assert summary["like"] == (0, False)  # the comment's like is not the post's
    queries.load_thread_extras(viewer=member, post=post, comments=[comment])
    assert {r.kind: r.count for r in comment.reaction_summary}["like"] == 1


def test_mention_candidates_are_readers_of_the_space_the_viewer_may_see(
    member, moderator, owner, outsider, stranger, guest, private_space, space
):
    names = lambda people: {p.handle for p in people}  # noqa: E731
    assert names(queries.list_mention_candidates(viewer=member, space=private_space, q="")) == {
        "mo.derator",
        "olga.owner",
    }
    assert names(queries.list_mention_candidates(viewer=member, space=space, q="ot")) == {
        "otto.outsider"
    }
    assert names(queries.list_mention_candidates(viewer=member, space=space, q="Outs")) == {
        "otto.outsider"
    }
    with pytest.raises(PermissionDenied):
        queries.list_mention_candidates(viewer=outsider, space=private_space, q="")
    with pytest.raises(Http404):
        queries.list_mention_candidates(viewer=stranger, space=space, q="")
    with pytest.raises(Http404):
        queries.list_mention_candidates(viewer=guest, space=space, q="")


def test_mention_candidates_never_include_a_guest_in_an_open_space_they_did_not_join(
    member, guest, space
):
    assert "gina.guest" not in {
        p.handle for p in queries.list_mention_candidates(viewer=member, space=space, q="gi")
    }


def test_mention_candidates_are_at_most_ten(member, space):
    for n in range(15):
        UserFactory(name=f"Zorgmedewerker {n:02d}", handle=f"zorg{n:02d}")
    people = queries.list_mention_candidates(viewer=member, space=space, q="zorg")
    assert len(people) == 10


def test_a_post_created_long_ago_keeps_its_place(member, space):
    old = make_post(member, space, "Oud")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    new = make_post(member, space, "Nieuw")
    assert _ids(queries.get_space_feed(viewer=member, space=space).posts) == [new.pk, old.pk]
