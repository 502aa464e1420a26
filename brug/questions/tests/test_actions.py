"""Asking, answering, accepting, voting, following, unmasking and flagging, through the actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from brug.analytics.enums import Verb
from brug.analytics.models import Activity
from brug.core.exceptions import Conflict
from brug.notifications.models import Notification
from brug.people.enums import Highlight
from brug.posts.actions import add_attachment
from brug.posts.models import Comment, Post, PostRevision
from brug.posts.tests.conftest import Upload, png_bytes
from brug.questions import actions, queries
from brug.questions.models import (
    AnonymousAsker,
    AnswerVote,
    Question,
    QuestionFollow,
    UnmaskAudit,
)
from brug.questions.tests.conftest import answer, ask, run_jobs
from brug.search.models import SearchDocument
from brug.spaces.actions import create_space
from brug.spaces.enums import SpaceKind, Visibility
from tests.factories import UserFactory

# Asking ---------------------------------------------------------------------------


def test_a_question_is_a_post_of_kind_question_whose_id_is_the_questions(member, durf):
    question = ask(member, body="Ik kan de knop niet vinden.", tags=["verlof", "AFAS"])
    post = Post.objects.get(pk=question.pk)
    assert post.kind == "question" and post.author == member and post.space == durf
    assert question.space == durf and not question.is_anonymous
    assert sorted(t.name for t in question.tags.all()) == ["afas", "verlof"]
    assert QuestionFollow.objects.filter(question=question, person=member).exists()
    assert Activity.objects.get(verb=Verb.ASK, post=post).actor == member


def test_without_a_space_the_question_goes_to_durf_te_vragen_of_the_askers_organisation(
    member, durf
):
    assert ask(member).space == durf


def test_an_anonymous_question_has_no_author_and_the_asker_only_in_anonymous_asker(member, durf):
    question = ask(member, anonymous=True)
    assert Post.objects.get(pk=question.pk).author_id is None
    assert question.is_anonymous
    assert AnonymousAsker.objects.get(question=question).person == member
    activity = Activity.objects.get(verb=Verb.ASK, post_id=question.pk)
    assert activity.actor_id is None and activity.actor_team_id is None
    assert activity.actor_organisation_id is None


def test_anonymous_asking_is_refused_where_the_space_does_not_allow_it(owner, member):
    space = create_space(
        creator=owner, name="Vraag ICT", kind=SpaceKind.QUESTIONS, allow_anonymous=False
    )
    with pytest.raises(ValidationError) as error:
        ask(member, space=space, anonymous=True)
    assert "anonymous" in error.value.error_dict
    assert not Post.objects.filter(kind="question").exists()


def test_questions_are_only_asked_in_questions_spaces(member, space):
    with pytest.raises(ValidationError) as error:
        ask(member, space=space)
    assert "space_id" in error.value.error_dict


def test_a_question_needs_a_title_and_at_most_five_tags(member, durf):
    with pytest.raises(ValidationError):
        ask(member, title="   ")
    with pytest.raises(ValidationError):
        ask(member, tags=["a", "b", "c", "d", "e", "f"])
    with pytest.raises(ValidationError):
        ask(member, tags=["x" * 41])
    assert not Question.objects.exists()


def test_a_stranger_cannot_ask_in_another_organisations_space_and_gets_404(stranger, durf):
    with pytest.raises(Http404):
        ask(stranger, space=durf)


def test_a_guest_cannot_ask_in_durf_te_vragen_they_are_not_in(guest, durf):
    with pytest.raises(Http404):
        ask(guest, space=durf)


def test_anonymous_questions_refuse_at_all_and_documents_with_author_metadata(member, durf):
    with pytest.raises(ValidationError):
        ask(member, anonymous=True, body="@all weet iemand dit?")
    pdf = add_attachment(
        uploader=member, upload=Upload(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "a.pdf")
    )
    with pytest.raises(ValidationError) as error:
        ask(member, anonymous=True, attachments=[pdf])
    assert "attachments" in error.value.error_dict


def test_an_anonymous_questions_image_loses_its_uploader(member, durf):
    image = add_attachment(uploader=member, upload=Upload(png_bytes(), "scherm.png"))
    question = ask(member, anonymous=True, attachments=[image])
    image.refresh_from_db()
    assert image.post_id == question.pk and image.uploaded_by_id is None


# Editing ---------------------------------------------------------------------------


def test_the_anonymous_asker_edits_their_question_and_the_revision_names_nobody(member, durf):
    question = ask(member, anonymous=True, body="Eerste versie")
    question = queries.get_question(viewer=member, question_id=question.pk)
    actions.edit_question(
        editor=member, question=question, body="Tweede versie", tags="ecd", version=1
    )
    post = Post.objects.get(pk=question.pk)
    assert post.body == "Tweede versie" and post.version == 2 and post.author_id is None
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "Eerste versie"
    assert [t.slug for t in question.tags.all()] == ["ecd"]
    assert not Activity.objects.filter(actor=member).exclude(verb=Verb.OPEN_POST).exists()


def test_nobody_but_the_asker_edits_a_question(member, colleague, durf):
    question = ask(member, anonymous=True)
    question = queries.get_question(viewer=colleague, question_id=question.pk)
    with pytest.raises(PermissionDenied):
        actions.edit_question(editor=colleague, question=question, title="Gekaapt?", version=1)


def test_a_stale_edit_is_a_conflict(member, durf):
    question = ask(member)
    question = queries.get_question(viewer=member, question_id=question.pk)
    actions.edit_question(editor=member, question=question, title="Nieuwe titel?", version=1)
    with pytest.raises(Conflict):
        actions.edit_question(editor=member, question=question, title="Oud?", version=1)


# Answering and notifications -------------------------------------------------------------


def test_answering_counts_the_answer_and_tells_the_named_asker_once(member, colleague, durf):
    question = ask(member)
    reply = answer(colleague, question)
    question.refresh_from_db()
    assert question.answer_count == 1 and question.last_answer_at == reply.created_at
    run_jobs()
    (line,) = Notification.objects.filter(recipient=member)
    assert line.kind == "answer" and line.event_count == 1 and line.last_actor == colleague


def test_the_anonymous_asker_hears_of_answers_though_nobody_knows_them(member, colleague, durf):
    question = ask(member, anonymous=True)
    answer(colleague, question)
    run_jobs()
    (line,) = Notification.objects.filter(recipient=member, kind="answer")
    assert line.post_id == question.pk and line.last_actor == colleague


def test_followers_hear_of_answers_and_the_answerer_does_not(member, colleague, outsider, durf):
    question = ask(member, anonymous=True)
    actions.follow_question(person=outsider, question=question)
    answer(colleague, question)
    run_jobs()
    assert Notification.objects.filter(recipient=outsider, kind="answer").count() == 1
    assert not Notification.objects.filter(recipient=colleague).exists()


def test_a_stranger_cannot_answer_and_gets_404(member, stranger, durf):
    question = ask(member)
    with pytest.raises(Http404):
        answer(stranger, question)
    assert not Comment.objects.exists()


def test_deleting_the_accepted_answer_unaccepts_it_and_recounts(member, colleague, durf):
    question = ask(member)
    reply = answer(colleague, question)
    actions.accept_answer(by=member, question=question, answer=reply)
    actions.delete_answer(actor=colleague, question=question, answer=reply)
    question.refresh_from_db()
    assert question.answer_count == 0 and question.accepted_answer_id is None


# Accepting ---------------------------------------------------------------------------------


def test_the_anonymous_asker_accepts_and_the_answerer_is_told_by_nobody(member, colleague, durf):
    question = ask(member, anonymous=True)
    reply = answer(colleague, question)
    question = queries.get_question(viewer=member, question_id=question.pk)
    actions.accept_answer(by=member, question=question, answer=reply)
    question.refresh_from_db()
    assert question.accepted_answer_id == reply.pk and question.accepted_at
    activity = Activity.objects.get(verb=Verb.ACCEPT)
    assert activity.actor_id is None and activity.actor_team_id is None
    run_jobs()
    (line,) = Notification.objects.filter(recipient=colleague, kind="accepted_answer")
    assert line.last_actor_id is None and line.actor_ids == []


def test_a_moderator_accepts_and_is_named(member, colleague, community_manager, durf):
    question = ask(member, anonymous=True)
    reply = answer(colleague, question)
    actions.accept_answer(by=community_manager, question=question, answer=reply)
    assert Activity.objects.get(verb=Verb.ACCEPT).actor == community_manager


def test_someone_who_may_read_but_did_not_ask_gets_403_when_accepting(member, colleague, durf):
    question = ask(member, anonymous=True)
    reply = answer(colleague, question)
    fresh = queries.get_question(viewer=colleague, question_id=question.pk)
    with pytest.raises(PermissionDenied):
        actions.accept_answer(by=colleague, question=fresh, answer=reply)
    assert Question.objects.get(pk=question.pk).accepted_answer_id is None


def test_someone_who_cannot_read_the_question_gets_404_when_accepting(
    owner, member, moderator, stranger
):
    space = create_space(
        creator=owner,
        name="Besloten vragen",
        kind=SpaceKind.QUESTIONS,
        visibility=Visibility.PRIVATE,
    )
    question = ask(owner, space=space)
    reply = answer(owner, question, body="Zelf gevonden")
    for person in (member, stranger):
        with pytest.raises(Http404):
            actions.accept_answer(by=person, question=question, answer=reply)


def test_accepting_another_answer_moves_the_mark_and_boosts_the_question_in_search(
    member, colleague, outsider, durf
):
    question = ask(member, title="Waar vind ik het wondzorgprotocol?")
    first = answer(colleague, question, body="In de kwaliteitsmap.")
    second = answer(outsider, question, body="Op intranet onder protocollen.")
    actions.accept_answer(by=member, question=question, answer=first)
    actions.accept_answer(by=member, question=question, answer=second)
    run_jobs()
    assert Question.objects.get(pk=question.pk).accepted_answer_id == second.pk
    assert SearchDocument.objects.get(kind="post", object_id=question.pk).boost > 0
    assert SearchDocument.objects.get(kind="comment", object_id=second.pk).boost > 0
    assert SearchDocument.objects.get(kind="comment", object_id=first.pk).boost == 0


# Votes and follows -------------------------------------------------------------------------


def test_voting_twice_counts_once_and_unvoting_takes_it_back(member, colleague, outsider, durf):
    question = ask(member)
    reply = answer(colleague, question)
    assert actions.vote_answer(person=outsider, question=question, answer=reply, rate_limit=False)
    assert not actions.vote_answer(
        person=outsider, question=question, answer=reply, rate_limit=False
    )
    assert Comment.objects.get(pk=reply.pk).vote_count == 1
    assert AnswerVote.objects.filter(answer=reply).count() == 1
    assert actions.unvote_answer(person=outsider, question=question, answer=reply)
    assert not actions.unvote_answer(person=outsider, question=question, answer=reply)
    assert Comment.objects.get(pk=reply.pk).vote_count == 0


def test_nobody_votes_for_their_own_answer(member, colleague, durf):
    question = ask(member)
    reply = answer(colleague, question)
    with pytest.raises(ValidationError):
        actions.vote_answer(person=colleague, question=question, answer=reply)
    assert Comment.objects.get(pk=reply.pk).vote_count == 0


def test_a_stranger_cannot_vote_or_follow(member, colleague, stranger, durf):
    question = ask(member)
    reply = answer(colleague, question)
    with pytest.raises(Http404):
        actions.vote_answer(person=stranger, question=question, answer=reply)
    with pytest.raises(Http404):
        actions.follow_question(person=stranger, question=question)


def test_an_answer_of_another_question_cannot_be_voted_or_accepted_here(member, colleague, durf):
    one, other = ask(member, title="Een?"), ask(member, title="Twee?")
    reply = answer(colleague, other)
    with pytest.raises(Http404):
        actions.accept_answer(by=member, question=one, answer=reply)
    with pytest.raises(Http404):
        actions.vote_answer(person=member, question=one, answer=reply)


# Unmasking -----------------------------------------------------------------------------------


def test_unmasking_is_impossible_by_default_even_for_admins(member, admin_user, durf):
    question = ask(member, anonymous=True)
    with pytest.raises(Http404):
        actions.unmask_asker(admin=admin_user, question=question, reason="Veiligheid")
    assert not UnmaskAudit.objects.exists()


def test_where_allowed_an_admin_unmasks_with_a_reason_and_it_is_audited(
    settings, member, admin_user, community_manager, durf
):
    settings.BRUG_ALLOW_UNMASK = True
    question = ask(member, anonymous=True)
    with pytest.raises(PermissionDenied):
        actions.unmask_asker(admin=community_manager, question=question, reason="Nieuwsgierig")
    with pytest.raises(ValidationError):
        actions.unmask_asker(admin=admin_user, question=question, reason="  ")
    assert not UnmaskAudit.objects.exists()
    assert actions.unmask_asker(admin=admin_user, question=question, reason="Melding") == member
    audit = UnmaskAudit.objects.get()
    assert audit.unmasked_by == admin_user and audit.question_ref == question.pk
    assert audit.reason == "Melding"


# Unanswered questions ----------------------------------------------------------------------------


def _age(question, hours):
    moment = timezone.now() - timedelta(hours=hours)
    Question.objects.filter(pk=question.pk).update(created_at=moment)
    Post.objects.filter(pk=question.pk).update(created_at=moment)


def test_questions_unanswered_for_a_day_are_flagged_once_for_community_managers(
    settings, member, colleague, community_manager, durf
):
    settings.BRUG_UNANSWERED_AFTER_HOURS = 24
    waiting = ask(member, title="Wie weet dit?", anonymous=True)
    answered = ask(member, title="Beantwoord?")
    fresh = ask(member, title="Net gevraagd?")
    _age(waiting, 30)
    _age(answered, 30)
    answer(colleague, answered)
    assert actions.flag_unanswered_questions() == 1
    assert actions.flag_unanswered_questions() == 0
    flags = dict(Question.objects.values_list("pk", "flagged_unanswered_at"))
    assert flags[waiting.pk] and not flags[answered.pk] and not flags[fresh.pk]
    run_jobs()
    (line,) = Notification.objects.filter(recipient=community_manager)
    assert line.kind == "unanswered_question" and line.post_id == waiting.pk
    assert not Notification.objects.filter(recipient=colleague, kind="unanswered_question")


def test_the_flagging_job_is_a_registered_periodic_job():
    from brug.core.jobs import periodic_jobs
    from brug.questions import tasks

    assert periodic_jobs()["questions.flag-unanswered"].task == tasks.flag_unanswered


def test_an_answer_written_through_the_posts_api_is_not_flagged_as_unanswered(
    member, colleague, durf
):
    from brug.posts.actions import create_comment

    question = ask(member)
    _age(question, 48)
    create_comment(author=colleague, post=question.post, body="Ja!", rate_limit=False)
    assert actions.flag_unanswered_questions() == 0
    assert Question.objects.get(pk=question.pk).answer_count == 1


# Signals that make asking safe ---------------------------------------------------------------------


def test_answers_say_whether_they_came_from_another_team_or_organisation(
    member, colleague, team, durf, other_organisation
):
    partner = UserFactory(name="Pien Partner", organisation=other_organisation)
    durf.shared_with.add(other_organisation)
    teammate = UserFactory(name="Tom Teamgenoot", team=team, highlight=Highlight.LEADERSHIP)
    question = ask(member)
    answer(colleague, question, body="Andere afdeling")
    answer(partner, question, body="Partner")
    answer(teammate, question, body="Zelfde team")
    fresh = queries.get_question(viewer=member, question_id=question.pk)
    by_body = {a.body: a for a in queries.list_answers(viewer=member, question=fresh)}
    assert by_body["Andere afdeling"].from_other_team
    assert not by_body["Andere afdeling"].from_other_organisation
    assert by_body["Partner"].from_other_organisation
    assert not by_body["Zelfde team"].from_other_team
    assert by_body["Zelfde team"].author.highlight == "leadership"


def test_for_an_anonymous_question_only_the_organisation_is_compared(member, colleague, durf):
    question = ask(member, anonymous=True)
    answer(colleague, question)
    fresh = queries.get_question(viewer=colleague, question_id=question.pk)
    (only,) = queries.list_answers(viewer=colleague, question=fresh)
    assert not only.from_other_team and not only.from_other_organisation


def test_similar_questions_with_answers_are_found_while_typing(member, colleague, outsider, durf):
    answered = ask(member, title="Hoe vraag ik verlof aan in AFAS?")
    answer(colleague, answered)
    ask(member, title="Verlof aanvragen voor de zomer, hoe?")  # no answer: not shown
    other = ask(member, title="Waar staat het wondprotocol?")
    answer(colleague, other)
    run_jobs()
    found = queries.similar_answered_questions(viewer=outsider, text="verlof aanvragen")
    assert [item.question_id for item in found] == [answered.pk]
    assert "<mark>" in found[0].title


def test_similar_questions_never_come_from_spaces_the_viewer_cannot_read(
    owner, member, stranger, durf
):
    question = ask(member, title="Hoe vraag ik verlof aan in AFAS?")
    answer(owner, question)
    run_jobs()
    assert queries.similar_answered_questions(viewer=stranger, text="verlof AFAS") == []
    assert queries.similar_answered_questions(viewer=owner, text="verlof AFAS")


def test_the_live_answer_event_reaches_readers_of_the_question_only(
    member, colleague, stranger, durf
):
    from brug.permissions.events import deliverable_events
    from brug.realtime.models import Event

    question = ask(member, anonymous=True)
    reply = answer(colleague, question)
    event = Event.objects.get(kind="answer_created")
    assert event.payload == {"question_id": question.pk, "answer_id": reply.pk}
    assert event.post_id == question.pk and event.space_id == durf.pk
    assert event.recipient_id is None
    delivered = deliverable_events([event], [member.pk, colleague.pk, stranger.pk])
    assert delivered.get(member.pk) and delivered.get(colleague.pk)
    assert not delivered.get(stranger.pk)


def test_the_anonymous_asker_or_a_moderator_deletes_a_question_and_others_may_not(
    member, colleague, community_manager, stranger, durf
):
    first, second = ask(member, anonymous=True), ask(member, title="Tweede?", anonymous=True)
    with pytest.raises(PermissionDenied):
        actions.delete_question(actor=colleague, question=first)
    with pytest.raises(Http404):
        actions.delete_question(actor=stranger, question=first)
    actions.delete_question(
        actor=member, question=queries.get_question(viewer=member, question_id=first.pk)
    )
    actions.delete_question(actor=community_manager, question=second)
    assert Post.objects.filter(is_deleted=True).count() == 2
    with pytest.raises(Http404):
        queries.get_question(viewer=member, question_id=first.pk)
