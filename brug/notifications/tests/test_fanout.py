"""Who gets notified of what: mentions, replies, reactions, new posts, spaces; grouping; idempotency."""

import pytest
from django.db import transaction
from django.utils import translation

from brug.core import jobs
from brug.notifications import hooks, tasks
from brug.notifications.actions import mark_all_read, set_preferences, set_space_muted
from brug.notifications.enums import NotificationKind
from brug.notifications.models import Notification
from brug.notifications.rendering import describe
from brug.posts import actions as post_actions
from brug.realtime.models import Event
from brug.spaces.enums import RequestStatus
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation

from .conftest import add_members, make_comment, make_post, react, run_jobs

pytestmark = pytest.mark.django_db


def _of(person, **filters):
    return list(Notification.objects.filter(recipient=person, **filters))


class Rollback(Exception):
    pass


# Mentions ---------------------------------------------------------------------------


def test_mention_reaches_the_mentioned_member_only_after_the_job_runs(space, owner, member):
    post = make_post(owner, space, "Kun jij hiernaar kijken, @sanne.dewit?")
    assert _of(member) == []  # the request only enqueued the fan-out

    run_jobs()

    (notification,) = _of(member, kind=NotificationKind.MENTION)
    assert notification.post_id == post.pk
    assert notification.last_actor_id == owner.pk
    assert notification.read_at is None
    with translation.override("en"):
        assert (
            describe(notification)
            == "Olga Owner mentioned you in “Kun jij hiernaar kijken, @sanne.dewit?”"
        )


def test_a_mention_also_sends_a_live_event_with_the_unread_count(space, owner, member):
    make_post(owner, space, "Kun jij hiernaar kijken, @sanne.dewit?")
    run_jobs()

    event = Event.objects.get(kind="notification", recipient=member)
    assert event.payload["unread"] == 1


def test_without_live_notifications_the_rows_are_written_but_no_events(
    settings, space, owner, member
):
    settings.BRUG_LIVE_NOTIFICATIONS = False  # as while the demo loads
    make_post(owner, space, "Kun jij hiernaar kijken, @sanne.dewit?")
    run_jobs()

    assert _of(member, kind=NotificationKind.MENTION)
    assert not Event.objects.filter(kind="notification", recipient=member).exists()


def test_rolled_back_post_notifies_nobody(space, owner, member, moderator):
    with pytest.raises(Rollback), transaction.atomic():
        make_post(owner, space, "@sanne.dewit dit gaat niet door")
        raise Rollback

    run_jobs()

    assert Notification.objects.count() == 0
    assert not Event.objects.filter(kind="notification").exists()


def test_an_edit_that_adds_a_mention_notifies_only_the_newly_mentioned_once(
    space, owner, member, moderator, outsider
):
    post = make_post(owner, space, "Wie kijkt mee, @sanne.dewit?")
    run_jobs()
    Notification.objects.filter(kind=NotificationKind.SPACE_POST).delete()
    edited = post_actions.edit_post(
        editor=owner,
        post=post,
        body="Wie kijkt mee, @sanne.dewit en @mo.derator?",
        version=post.version,
    )
    run_jobs()
    assert [n.post_id for n in _of(moderator, kind=NotificationKind.MENTION)] == [post.pk]
    assert len(_of(member, kind=NotificationKind.MENTION)) == 1  # mentioned before, not again
    # Saving again (a typo fixed) or re-running the job tells nobody anything new.
    post_actions.edit_post(
        editor=owner,
        post=post,
        body="Wie kijkt er mee, @sanne.dewit en @mo.derator?",
        version=edited.version,
    )
    run_jobs()
    (notification,) = _of(moderator, kind=NotificationKind.MENTION)
    assert notification.event_count == 1


def test_an_edited_comment_notifies_a_newly_mentioned_reader_but_never_an_outsider(
    private_space, owner, member, moderator, outsider
):
    post = make_post(owner, private_space, "Vertrouwelijk overleg")
    comment = make_comment(member, post, "Eens.")
    run_jobs()
    post_actions.edit_comment(
        editor=member,
        comment=comment,
        body="Eens, @mo.derator en @otto.outsider?",
        version=comment.version,
    )
    run_jobs()
    (notification,) = _of(moderator, kind=NotificationKind.MENTION)
    assert notification.comment_id == comment.pk
    assert _of(outsider) == []


def test_adding_at_all_in_an_edit_pages_nobody(space, owner, member, moderator):
    post = make_post(owner, space, "Planning")
    run_jobs()
    Notification.objects.all().delete()
    post_actions.edit_post(editor=owner, post=post, body="Planning @all", version=post.version)
    run_jobs()
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == 0


def test_author_is_not_notified_of_their_own_mention_or_post(space, member):
    make_post(member, space, "Notitie aan mezelf @sanne.dewit")
    run_jobs()
    assert _of(member) == []


def test_mention_of_people_who_may_not_read_the_private_space_notifies_nobody(
    private_space, owner, member, outsider, stranger, guest
):
    # The posts app only passes readers; the job checks again and trusts nobody.
    with transaction.atomic():
        post = make_post(owner, private_space, "Vertrouwelijk")
        Notification.objects.all().delete()
        hooks.notify(
            kind="mention",
            key="test:private-mention",
            recipient_ids=[outsider.pk, stranger.pk, guest.pk, member.pk],
            actor=owner,
            post=post,
        )
    run_jobs()
    mentioned = set(
        Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)
    )
    assert mentioned == {member.pk}


def test_a_retried_fan_out_does_not_notify_twice(space, owner, member):
    post = make_post(owner, space, "@sanne.dewit eerste keer")
    run_jobs()
    # The same job again, as a retry after a crash would run it.
    tasks.notify_post_created.call(post_id=post.pk, mentioned_ids=[member.pk], mention_all=False)

    (notification,) = _of(member, kind=NotificationKind.MENTION)
    assert notification.event_count == 1
    assert Event.objects.filter(kind="notification", recipient=member, post=post).count() == 1


def test_same_cause_is_queued_only_once(space, owner, member):
    post = make_post(owner, space, "@sanne.dewit")
    with transaction.atomic():
        hooks.post_created(post=post, mentioned_ids=[member.pk], mention_all=False)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="notify_post_created").count() == 1


def test_post_deleted_before_the_job_runs_notifies_nobody(space, owner, member):
    post = make_post(owner, space, "@sanne.dewit weg ermee")
    from brug.posts.actions import delete_post

    delete_post(actor=owner, post=post)
    run_jobs()
    assert _of(member) == []


# @all -------------------------------------------------------------------------------


def test_at_all_in_a_small_space_notifies_every_member(space, member, moderator, owner):
    add_members(space, 3)
    make_post(member, space, "Vergeet de borrel niet @all")
    run_jobs()
    notified = set(
        Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)
    )
    assert notified == set(
        Membership.objects.filter(space=space)
        .exclude(person=member)
        .values_list("person_id", flat=True)
    )


def test_at_all_of_an_ordinary_member_in_a_big_space_is_refused_again_by_the_job(
    space, member, moderator
):
    add_members(space, 3)
    Space.objects.filter(pk=space.pk).update(member_count=51)
    space.refresh_from_db()
    with transaction.atomic():
        post = make_post(member, space, "Iedereen opgelet")
        # As if the posts app had let @all through: the job checks again.
        Notification.objects.all().delete()
        hooks.notify  # noqa: B018 - the hook module is importable
        tasks.notify_post_created.call(post_id=post.pk, mentioned_ids=[], mention_all=True)
    assert not Notification.objects.filter(kind="mention").exists()
    # ... but everyone hears of the new post the usual way.
    assert Notification.objects.filter(kind="space_post", recipient=moderator).exists()


def test_at_all_of_a_moderator_in_a_big_space_notifies_everyone(space, member, moderator):
    people = add_members(space, 3)
    Space.objects.filter(pk=space.pk).update(member_count=60)
    space.refresh_from_db()
    make_post(moderator, space, "Belangrijk @all")
    run_jobs()
    notified = set(
        Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)
    )
    assert {member.pk, *(p.pk for p in people)} <= notified


# New posts in my spaces -------------------------------------------------------------


def test_new_posts_in_a_space_are_grouped_into_one_line_per_space(space, owner, member, moderator):
    for n in range(3):
        make_post(owner if n % 2 == 0 else moderator, space, f"Bericht {n}")
    run_jobs()
    (line,) = _of(member, kind=NotificationKind.SPACE_POST)
    assert line.event_count == 3
    with translation.override("en"):
        assert describe(line) == "3 new posts in Informatiebeveiliging"
    with translation.override("nl"):
        assert "Informatiebeveiliging" in describe(line)


def test_muted_space_tells_nothing_of_new_posts_or_at_all_but_mentions_still_come(
    space, owner, member
):
    set_space_muted(viewer=member, space=space, muted=True)
    make_post(owner, space, "Nieuws")
    make_post(owner, space, "Allemaal @all")
    run_jobs()
    assert _of(member) == []

    make_post(owner, space, "Maar jij, @sanne.dewit, moet dit zien")
    run_jobs()
    assert [n.kind for n in _of(member)] == [NotificationKind.MENTION]


def test_switching_a_kind_off_in_brug_stops_those_notifications(space, owner, member):
    set_preferences(person=member, preferences={"space_post": {"web": False}})
    make_post(owner, space, "Nieuws")
    run_jobs()
    assert _of(member) == []


def test_open_space_members_of_the_organisation_who_did_not_join_get_no_new_post_lines(
    space, owner, outsider
):
    make_post(owner, space, "Nieuws")
    run_jobs()
    assert _of(outsider) == []


# Replies and answers ------------------------------------------------------------------


def test_reply_notifies_the_post_author_and_the_comment_replied_to(space, owner, member, moderator):
    post = make_post(owner, space, "Wie weet hoe dit zit?")
    first = make_comment(member, post, "Ik denk van wel")
    make_comment(moderator, post, "Klopt", parent=first)
    run_jobs()

    replies_to_owner = _of(owner, kind=NotificationKind.REPLY)
    assert len(replies_to_owner) == 1
    assert replies_to_owner[0].actor_count == 2
    assert replies_to_owner[0].event_count == 2
    assert _of(member, kind=NotificationKind.REPLY)[0].last_actor_id == moderator.pk
    with translation.override("en"):
        assert describe(replies_to_owner[0]) == (
            "Mo Derator and 1 other replied to “Wie weet hoe dit zit?”"
        )


def test_comment_on_a_question_is_an_answer_for_the_asker(space, owner, member):
    question = make_post(owner, space, "Hoe vraag ik verlof aan?", kind="question")
    make_comment(member, question, "Via het portaal")
    run_jobs()
    (answer,) = _of(owner, kind=NotificationKind.ANSWER)
    assert answer.comment.body == "Via het portaal"


def test_generic_hook_notifies_an_anonymous_asker_without_naming_anyone(space, owner, member):
    question = make_post(owner, space, "Anoniem gevraagd", kind="question")
    answer = make_comment(member, question, "Antwoord")
    run_jobs()
    Notification.objects.all().delete()
    with transaction.atomic():
        hooks.answer_accepted(answer=answer, accepted_by=None)
    run_jobs()
    (accepted,) = _of(member, kind=NotificationKind.ACCEPTED_ANSWER)
    assert accepted.last_actor is None
    with translation.override("en"):
        assert describe(accepted).startswith("Someone accepted your answer")


# Reactions: grouped ---------------------------------------------------------------------


def test_reactions_are_grouped_as_a_name_and_others(space, member):
    post = make_post(member, space, "Mijn eerste bericht")
    reactors = add_members(space, 5, prefix="fan")
    for person in reactors:
        react(person, post=post)
    react(reactors[-1], post=post, kind="thanks")  # the same person twice counts once
    run_jobs()

    (line,) = _of(member, kind=NotificationKind.REACTION)
    assert line.actor_count == 5
    assert line.last_actor_id == reactors[-1].pk
    with translation.override("en"):
        assert describe(line) == "Fan 4 and 4 others reacted to your post “Mijn eerste bericht”"


def test_reading_a_thread_starts_a_fresh_round_for_what_comes_after(space, member):
    post = make_post(member, space, "Bericht")
    first, second, third = add_members(space, 3, prefix="fan")
    react(first, post=post)
    react(second, post=post)
    run_jobs()
    mark_all_read(viewer=member)

    react(third, post=post)
    run_jobs()
    (line,) = _of(member, kind=NotificationKind.REACTION)
    assert line.read_at is None
    assert line.actor_count == 1
    assert line.last_actor_id == third.pk


def test_reacting_to_ones_own_post_notifies_nobody(space, member):
    post = make_post(member, space, "Bericht")
    react(member, post=post)
    run_jobs()
    assert Notification.objects.filter(kind="reaction").count() == 0


# Spaces: requests, decisions, invitations ------------------------------------------------


def test_join_request_reaches_owners_and_moderators_and_the_decision_the_requester(
    private_space, owner, moderator, member, outsider
):
    with transaction.atomic():
        request = JoinRequest.objects.create(space=private_space, person=outsider)
        hooks.join_requested(join_request=request)
    run_jobs()
    assert {n.recipient_id for n in Notification.objects.filter(kind="join_request")} == {
        owner.pk,
        moderator.pk,
    }

    with transaction.atomic():
        request.status = RequestStatus.DECLINED
        request.decided_by = moderator
        request.save()
        hooks.join_decided(join_request=request)
    run_jobs()
    (decision,) = _of(outsider, kind=NotificationKind.JOIN_DECISION)
    with translation.override("en"):
        assert describe(decision) == "Your request to join Teamleiders was declined"


def test_invitation_to_a_secret_space_reaches_the_invitee_who_cannot_see_it_yet(
    secret_space, owner, outsider, stranger
):
    with transaction.atomic():
        invitation = SpaceInvitation.objects.create(
            space=secret_space, person=outsider, invited_by=owner
        )
        hooks.invited_to_space(invitation=invitation)
    run_jobs()
    (line,) = _of(outsider, kind=NotificationKind.INVITATION)
    with translation.override("en"):
        assert describe(line) == "Olga Owner invited you to Reorganisatie 2027"


# Fan-out at scale ----------------------------------------------------------------------


def _big_space(owner, size):
    from brug.people.models import User
    from brug.spaces.actions import create_space

    space = create_space(creator=owner, name=f"Iedereen {size}")
    people = User.objects.bulk_create(
        [
            User(
                email=f"lid{size}-{i}@example.org",
                handle=f"lid{size}-{i}",
                name=f"Lid {i}",
                organisation_id=owner.organisation_id,
            )
            for i in range(size)
        ]
    )
    Membership.objects.bulk_create([Membership(space=space, person=p) for p in people])
    Space.objects.filter(pk=space.pk).update(member_count=size + 1)
    space.refresh_from_db()
    return space


def test_posting_with_at_all_costs_the_request_the_same_in_a_space_of_ten_or_a_thousand(
    owner, django_assert_num_queries
):
    small, big = _big_space(owner, 10), _big_space(owner, 1200)
    make_post(owner, small, "Opwarmen")  # first post caches what the action caches
    make_post(owner, big, "Opwarmen")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as in_small:
        make_post(owner, small, "Iedereen @all")
    with django_assert_num_queries(len(in_small.captured_queries)):
        make_post(owner, big, "Iedereen @all")


def test_fan_out_to_a_thousand_members_creates_one_line_each_in_batches(owner):
    big = _big_space(owner, 1200)
    make_post(owner, big, "Iedereen @all")
    run_jobs()
    assert Notification.objects.filter(kind="mention").count() == 1200
    assert Event.objects.filter(kind="notification").count() == 1200
    # A retry of the same cause adds nothing.
    post_id = Notification.objects.values_list("post_id", flat=True).first()
    tasks.notify_post_created.call(post_id=post_id, mentioned_ids=[], mention_all=True)
    assert Notification.objects.filter(kind="mention").count() == 1200
    assert jobs.run_pending() == 0
