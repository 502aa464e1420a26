"""The writes of the content spine: what they store, whom they refuse, what they record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from brug.analytics.enums import Verb
from brug.analytics.models import Activity
from brug.core.exceptions import Conflict, RateLimited
from brug.posts import actions
from brug.posts.enums import PostKind, ReactionKind
from brug.posts.models import Comment, Follow, Mention, Post, PostRevision, Reaction
from brug.posts.tests.conftest import make_comment, make_post
from brug.realtime.models import Event
from brug.spaces.actions import _add_membership
from brug.spaces.enums import SpaceKind, SpaceRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Creating posts ----------------------------------------------------------------------


def test_create_post_renders_markdown_and_records_activity_event_and_space_activity(member, space):
    post = make_post(member, space, "Ik werk aan het **wondzorg**protocol")
    assert "<strong>wondzorg</strong>" in post.body_html
    assert post.organisation_id == space.organisation_id
    assert post.language == "nl"
    activity = Activity.objects.get(post=post)
    assert (activity.actor_id, activity.verb, activity.space_id) == (member.pk, Verb.POST, space.pk)
    assert activity.actor_team_id == member.team_id
    event = Event.objects.get(kind="post_created", post=post)
    assert event.space_id == space.pk
    space.refresh_from_db()
    assert space.last_activity_at == post.created_at


def test_work_out_loud_posts_are_recorded_as_working_out_loud(member, space):
    post = make_post(
        member, space, "I'm working on the new ECD roll-out", kind=PostKind.WORK_OUT_LOUD
    )
    assert Activity.objects.get(post=post).verb == Verb.WORK_OUT_LOUD
    assert post.language == "en"


def test_outsider_cannot_post_in_an_open_space_they_did_not_join(outsider, space):
    with pytest.raises(PermissionDenied):
        make_post(outsider, space)


def test_stranger_gets_404_when_posting_in_a_space_they_cannot_see(
    stranger, space, secret_space, outsider
):
    with pytest.raises(Http404):
        make_post(stranger, space)
    with pytest.raises(Http404):
        make_post(outsider, secret_space)
    assert not Post.objects.exists()


def test_only_moderators_post_in_an_announcement_space(owner, member, moderator):
    from brug.spaces.actions import create_space

    news = create_space(creator=owner, name="Nieuws", kind=SpaceKind.ANNOUNCEMENT)
    _add_membership(space=news, person=member)
    _add_membership(space=news, person=moderator, role=SpaceRole.MODERATOR)
    with pytest.raises(PermissionDenied):
        make_post(member, news)
    assert make_post(moderator, news).space_id == news.pk


def test_a_profile_post_belongs_to_the_authors_organisation(member):
    post = make_post(member, None, "Ik werk aan het nieuwe rooster", kind=PostKind.WORK_OUT_LOUD)
    assert post.space_id is None
    assert post.organisation_id == member.organisation_id


def test_guests_cannot_post_on_a_profile(guest):
    with pytest.raises(PermissionDenied):
        make_post(guest, None)


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_empty_and_oversized_bodies_are_refused_without_writing(member, space, body):
    with pytest.raises(ValidationError):
        make_post(member, space, body)
    assert not Post.objects.exists()
    assert not Activity.objects.filter(verb=Verb.POST).exists()


def test_unknown_kind_is_refused(member, space):
    with pytest.raises(ValidationError):
        make_post(member, space, kind="nonsense")


# Mentions ---------------------------------------------------------------------------------


def test_mentions_are_stored_only_for_people_who_may_read_the_space(
    member, moderator, outsider, stranger, guest, private_space
):
    post = make_post(
        member,
        private_space,
        "@mo.derator @otto.outsider @stan.stranger @gina.guest @sanne.dewit kijk even",
    )
    assert set(Mention.objects.filter(post=post).values_list("person_id", flat=True)) == {
        moderator.pk
    }
    assert "href" in post.body_html and "/mo.derator/" in post.body_html
    assert "/otto.outsider/" not in post.body_html
    mention_activity = Activity.objects.get(post=post, verb=Verb.MENTION)
    assert mention_activity.person_id == moderator.pk
    assert mention_activity.owner_team_id == moderator.team_id


def test_in_an_open_space_colleagues_who_did_not_join_can_be_mentioned(
    member, outsider, guest, space
):
    post = make_post(member, space, "@otto.outsider en @gina.guest")
    assert list(Mention.objects.filter(post=post).values_list("person_id", flat=True)) == [
        outsider.pk
    ]


def test_mentions_are_passed_to_the_notification_hook(member, moderator, space, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "brug.notifications.hooks.post_created",
        lambda **kwargs: calls.append(kwargs),
    )
    post = make_post(member, space, "@mo.derator @all")
    assert calls == [{"post": post, "mentioned_ids": [moderator.pk], "mention_all": True}]


def test_more_than_fifty_mentions_are_refused_with_a_clear_message(member, space):
    body = " ".join(f"@person{n}" for n in range(51))
    with pytest.raises(ValidationError) as error:
        make_post(member, space, body)
    assert "at most 50" in str(error.value)
    assert not Post.objects.exists()


def test_ten_thousand_mentions_are_refused(member, space):
    body = " ".join(f"@p{n}" for n in range(10_000))
    with pytest.raises(ValidationError):
        make_post(member, space, body[:20_000])
    assert not Post.objects.exists()


def test_at_all_is_allowed_for_anyone_in_a_small_space(member, space):
    make_post(member, space, "@all vergeet de teamdag niet")


def test_at_all_in_a_large_space_is_only_for_owners_and_moderators(member, moderator, owner, space):
    for _n in range(50):
        _add_membership(space=space, person=UserFactory())
    space.refresh_from_db()
    assert space.member_count > 50
    with pytest.raises(ValidationError) as error:
        make_post(member, space, "@all iedereen!")
    assert "@all" in str(error.value)
    make_post(moderator, space, "@all iedereen!")
    make_post(owner, space, "@all nog een keer")


def test_at_all_is_refused_on_a_profile_post(member):
    with pytest.raises(ValidationError):
        make_post(member, None, "@all kijk mee")


# Editing, deleting, pinning -------------------------------------------------------------------


def test_edit_keeps_the_old_text_as_a_revision_and_bumps_the_version(member, space):
    post = make_post(member, space, "Eerste versie")
    actions.edit_post(editor=member, post=post, body="Tweede versie", version=1)
    post.refresh_from_db()
    assert (post.version, post.body) == (2, "Tweede versie")
    assert post.edited_at is not None
    revision = PostRevision.objects.get(post=post)
    assert (revision.version, revision.body) == (1, "Eerste versie")


def test_a_stale_edit_raises_conflict_and_writes_nothing(member, space):
    post = make_post(member, space, "Eerste versie")
    actions.edit_post(editor=member, post=post, body="Tweede", version=1)
    with pytest.raises(Conflict):
        actions.edit_post(editor=member, post=post, body="Derde", version=1)
    post.refresh_from_db()
    assert post.body == "Tweede"
    assert PostRevision.objects.count() == 1


def test_only_the_author_edits_a_post(member, moderator, space):
    post = make_post(member, space)
    with pytest.raises(PermissionDenied):
        actions.edit_post(editor=moderator, post=post, body="Overschreven", version=1)


def test_edit_adds_new_mentions_and_drops_removed_ones(member, moderator, owner, space):
    post = make_post(member, space, "@mo.derator")
    actions.edit_post(editor=member, post=post, body="@olga.owner", version=1)
    assert list(Mention.objects.filter(post=post).values_list("person_id", flat=True)) == [owner.pk]


def test_author_and_moderators_delete_a_post_but_others_may_not(
    member, moderator, owner, outsider, space
):
    post = make_post(member, space)
    with pytest.raises(PermissionDenied):
        actions.delete_post(actor=outsider, post=post)
    actions.delete_post(actor=moderator, post=post)
    post.refresh_from_db()
    assert post.is_deleted
    other = make_post(member, space)
    actions.delete_post(actor=member, post=other)
    with pytest.raises(Http404):
        actions.delete_post(actor=owner, post=other)


def test_moderators_pin_at_most_five_posts(member, moderator, space):
    posts = [make_post(member, space, f"Post {n}") for n in range(6)]
    with pytest.raises(PermissionDenied):
        actions.pin_post(moderator=member, post=posts[0])
    for post in posts[:5]:
        actions.pin_post(moderator=moderator, post=post)
    with pytest.raises(ValidationError):
        actions.pin_post(moderator=moderator, post=posts[5])
    actions.unpin_post(moderator=moderator, post=posts[0])
    actions.pin_post(moderator=moderator, post=posts[5])
    assert Post.objects.filter(is_pinned=True).count() == 5


# Comments ------------------------------------------------------------------------------------


def test_a_comment_counts_records_and_notifies(member, moderator, space, monkeypatch):
    calls = []
    monkeypatch.setattr("brug.notifications.hooks.comment_created", lambda **kw: calls.append(kw))
    post = make_post(member, space)
    comment = make_comment(moderator, post, "Dank! @sanne.dewit")
    post.refresh_from_db()
    assert post.comment_count == 1
    activity = Activity.objects.get(comment=comment, verb=Verb.COMMENT)
    assert (activity.verb, activity.actor_id, activity.owner_team_id) == (
        Verb.COMMENT,
        moderator.pk,
        member.team_id,
    )
    assert calls[0]["mentioned_ids"] == [member.pk]
    assert Mention.objects.get(comment=comment).person_id == member.pk


def test_a_reply_to_a_reply_joins_the_top_comment(member, moderator, space):
    post = make_post(member, space)
    top = make_comment(member, post, "Top")
    reply = make_comment(moderator, post, "Antwoord", parent=top)
    deeper = make_comment(member, post, "Nog dieper", parent=reply)
    assert reply.parent_id == top.pk
    assert deeper.parent_id == top.pk


def test_a_reply_must_be_to_a_comment_on_the_same_post(member, space):
    first, second = make_post(member, space), make_post(member, space)
    comment = make_comment(member, first)
    with pytest.raises(ValidationError):
        make_comment(member, second, parent=comment)


def test_outsiders_may_comment_in_open_spaces_but_not_on_private_posts(
    member, outsider, space, private_space
):
    make_comment(outsider, make_post(member, space))
    with pytest.raises(Http404):
        make_comment(outsider, make_post(member, private_space))


def test_comment_edit_with_stale_version_conflicts_and_delete_uncounts(member, moderator, space):
    post = make_post(member, space)
    comment = make_comment(member, post, "Eerst")
    actions.edit_comment(editor=member, comment=comment, body="Daarna", version=1)
    with pytest.raises(Conflict):
        actions.edit_comment(editor=member, comment=comment, body="Oud", version=1)
    assert PostRevision.objects.get(comment=comment).body == "Eerst"
    with pytest.raises(PermissionDenied):
        actions.edit_comment(editor=moderator, comment=comment, body="Niet van mij", version=2)
    actions.delete_comment(actor=moderator, comment=comment)
    with pytest.raises(Http404):  # a deleted comment is gone for everyone
        actions.delete_comment(actor=moderator, comment=comment)
    post.refresh_from_db()
    assert post.comment_count == 0
    assert Comment.objects.get(pk=comment.pk).is_deleted


# Reactions ---------------------------------------------------------------------------------------


def test_reacting_twice_is_idempotent_and_counted_once(member, moderator, space):
    post = make_post(member, space)
    first = actions.add_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    again = actions.add_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    assert first.pk == again.pk
    actions.add_reaction(person=moderator, kind=ReactionKind.HELPFUL, post=post)
    post.refresh_from_db()
    assert post.reaction_count == 2
    assert Activity.objects.filter(verb=Verb.REACT, post=post).count() == 2
    assert actions.remove_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    assert not actions.remove_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    post.refresh_from_db()
    assert post.reaction_count == 1


def test_reactions_on_comments_count_on_the_comment(member, moderator, space):
    post = make_post(member, space)
    comment = make_comment(member, post)
    actions.add_reaction(person=moderator, kind=ReactionKind.GOOD_QUESTION, comment=comment)
    comment.refresh_from_db()
    post.refresh_from_db()
    assert (comment.reaction_count, post.reaction_count) == (1, 0)
    assert Reaction.objects.get().post_id == post.pk


def test_unknown_reaction_kinds_are_refused(member, space):
    with pytest.raises(ValidationError):
        actions.add_reaction(person=member, kind="angry", post=make_post(member, space))


def test_people_who_cannot_read_the_post_cannot_react(member, outsider, private_space):
    with pytest.raises(Http404):
        actions.add_reaction(person=outsider, kind="like", post=make_post(member, private_space))


# Following ------------------------------------------------------------------------------------------


def test_following_is_idempotent_and_limited_to_visible_people(member, outsider, stranger):
    actions.follow_person(follower=member, person=outsider)
    actions.follow_person(follower=member, person=outsider)
    assert Follow.objects.filter(follower=member).count() == 1
    with pytest.raises(Http404):
        actions.follow_person(follower=member, person=stranger)
    with pytest.raises(ValidationError):
        actions.follow_person(follower=member, person=member)
    actions.unfollow_person(follower=member, person=outsider)
    assert not Follow.objects.exists()


# Rate limits -------------------------------------------------------------------------------------------


def test_posting_is_rate_limited_with_a_retry_after(member, space, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"post": "3/600"}
    for n in range(3):
        actions.create_post(author=member, space=space, body=f"Post {n}")
    with pytest.raises(RateLimited) as error:
        actions.create_post(author=member, space=space, body="Te veel")
    assert 0 < error.value.retry_after <= 600
    assert Post.objects.count() == 3
    # Another person is not affected; the demo loader may pass the limit.
    actions.create_post(author=member, space=space, body="Demo", rate_limit=False)


def test_commenting_is_rate_limited(member, space, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"comment": "2/600"}
    post = make_post(member, space)
    actions.create_comment(author=member, post=post, body="een")
    actions.create_comment(author=member, post=post, body="twee")
    with pytest.raises(RateLimited):
        actions.create_comment(author=member, post=post, body="drie")
