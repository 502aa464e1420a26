"""The pages and htmx fragments of "Durf te vragen", both sides of every rule."""

from __future__ import annotations

import pytest
from django.test import Client

from brug.core.exceptions import RateLimited  # noqa: F401 - documents what 429 means
from brug.posts.models import Reaction
from brug.questions import actions
from brug.questions.models import AnonymousAsker, AnswerVote, Question, QuestionFollow
from brug.questions.tests.conftest import answer, ask, run_jobs
from brug.spaces.actions import create_space
from brug.spaces.enums import SpaceKind, Visibility

HTMX = {"HX-Request": "true"}


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


# Asking -----------------------------------------------------------------------------------


def test_the_ask_page_offers_the_questions_spaces_with_durf_te_vragen_first(member, durf):
    response = client_for(member).get("/questions/ask")
    assert response.status_code == 200
    html = response.text
    assert f'<option value="{durf.pk}"' in html
    assert f'data-anonymous-spaces="{durf.pk}"' in html
    assert 'name="anonymous"' in html


def test_asking_anonymously_on_the_page_redirects_to_the_question(member, durf):
    response = client_for(member).post(
        "/questions/ask",
        {
            "space": durf.pk,
            "title": "Mag ik dit vragen?",
            "body": "",
            "tags": "verlof, ECD",
            "anonymous": "on",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/"
    assert question.is_anonymous and question.post.author_id is None
    assert AnonymousAsker.objects.get(question=question).person == member


def test_asking_without_a_title_answers_422_and_writes_nothing(member, durf):
    response = client_for(member).post("/questions/ask", {"space": durf.pk, "title": ""})
    assert response.status_code == 422
    assert not Question.objects.exists()


def test_asking_anonymously_where_not_allowed_answers_422(owner, member):
    space = create_space(
        creator=owner, name="Vraag ICT", kind=SpaceKind.QUESTIONS, allow_anonymous=False
    )
    response = client_for(member).post(
        "/questions/ask", {"space": space.pk, "title": "Anoniem?", "anonymous": "on"}
    )
    assert response.status_code == 422
    assert "does not take anonymous questions" in response.text or "anonieme" in response.text
    assert not Question.objects.exists()


def test_similar_questions_fragment_shows_answered_questions_while_typing(
    member, colleague, outsider, durf
):
    question = ask(member, title="Hoe vraag ik verlof aan in AFAS?")
    answer(colleague, question)
    run_jobs()
    response = client_for(outsider).get(
        "/questions/similar", {"title": "verlof aanvr", "body": ""}, headers=HTMX
    )
    assert response.status_code == 200
    assert f"/questions/{question.pk}/" in response.text
    assert 'id="similar-questions"' in response.text
    nothing = client_for(outsider).get("/questions/similar", {"title": "xyzzy"}, headers=HTMX)
    assert f"/questions/{question.pk}/" not in nothing.text


# The question page ------------------------------------------------------------------------


def test_a_member_reads_a_question_and_a_stranger_gets_404(member, colleague, stranger, durf):
    question = ask(member, title="Wat is de wachtwoordregel?")
    answer(colleague, question, body="Twaalf tekens minimaal.")
    response = client_for(colleague).get(f"/questions/{question.pk}/")
    assert response.status_code == 200
    assert "Wat is de wachtwoordregel?" in response.text
    assert "Twaalf tekens minimaal." in response.text
    assert client_for(stranger).get(f"/questions/{question.pk}/").status_code == 404
    assert client_for(stranger).get("/questions/999999/").status_code == 404


def test_the_posts_page_of_a_question_redirects_to_the_question_page(member, durf):
    question = ask(member)
    response = client_for(member).get(f"/posts/{question.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{question.pk}/"


def test_the_asker_sees_edit_and_accept_buttons_and_others_do_not(member, colleague, durf):
    question = ask(member, anonymous=True)
    answer(colleague, question)
    mine = client_for(member).get(f"/questions/{question.pk}/").text
    theirs = client_for(colleague).get(f"/questions/{question.pk}/").text
    assert 'data-testid="edit-question"' in mine and 'data-testid="accept"' in mine
    assert 'data-testid="edit-question"' not in theirs and 'data-testid="accept"' not in theirs


def test_answering_with_htmx_returns_the_answer_and_a_fresh_form(member, colleague, durf):
    question = ask(member)
    response = client_for(colleague).post(
        f"/questions/{question.pk}/answers", {"body": "Vraag het aan HR."}, headers=HTMX
    )
    assert response.status_code == 200
    reply = question.post.comments.get()
    assert f'id="answer-{reply.pk}"' in response.text
    assert 'hx-swap-oob="true"' in response.text


def test_an_empty_answer_is_a_422_into_the_form(member, colleague, durf):
    question = ask(member)
    response = client_for(colleague).post(
        f"/questions/{question.pk}/answers", {"body": ""}, headers=HTMX
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#answer-form"


def test_a_stranger_cannot_answer_on_the_page(member, stranger, durf):
    question = ask(member)
    response = client_for(stranger).post(f"/questions/{question.pk}/answers", {"body": "Hoi"})
    assert response.status_code == 404
    assert not question.post.comments.exists()


def test_the_answer_fragment_is_for_readers_only(member, colleague, stranger, durf):
    question = ask(member)
    reply = answer(colleague, question)
    url = f"/questions/{question.pk}/answers/{reply.pk}"
    response = client_for(member).get(url, headers=HTMX)
    assert response.status_code == 200 and f'data-answer-id="{reply.pk}"' in response.text
    assert client_for(stranger).get(url, headers=HTMX).status_code == 404


def test_accepting_on_the_page_403_for_a_reader_who_did_not_ask_404_for_a_stranger(
    member, colleague, stranger, durf
):
    question = ask(member, anonymous=True)
    reply = answer(colleague, question)
    url = f"/questions/{question.pk}/answers/{reply.pk}/accept"
    assert client_for(colleague).post(url).status_code == 403
    assert client_for(stranger).post(url).status_code == 404
    assert client_for(member).post(url).status_code == 302
    assert Question.objects.get(pk=question.pk).accepted_answer_id == reply.pk


def test_voting_on_the_page_counts_once(member, colleague, outsider, durf):
    question = ask(member)
    reply = answer(colleague, question)
    client = client_for(outsider)
    url = f"/questions/{question.pk}/answers/{reply.pk}/vote"
    first = client.post(url, headers=HTMX)
    second = client.post(url, headers=HTMX)
    assert first.status_code == second.status_code == 200
    assert AnswerVote.objects.filter(answer=reply).count() == 1
    assert 'aria-pressed="true"' in second.text
    client.post(url, {"action": "remove"}, headers=HTMX)
    assert not AnswerVote.objects.exists()


def test_following_and_good_that_you_ask_toggle(member, outsider, durf):
    question = ask(member, anonymous=True)
    client = client_for(outsider)
    response = client.post(f"/questions/{question.pk}/follow", headers=HTMX)
    assert response.status_code == 200 and 'value="unfollow"' in response.text
    assert QuestionFollow.objects.filter(question=question, person=outsider).exists()
    client.post(f"/questions/{question.pk}/follow", {"action": "unfollow"}, headers=HTMX)
    assert not QuestionFollow.objects.filter(question=question, person=outsider).exists()
    response = client.post(f"/questions/{question.pk}/good-question", headers=HTMX)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    assert Reaction.objects.get(post_id=question.pk).kind == "good_question"
    client.post(f"/questions/{question.pk}/good-question", headers=HTMX)
    assert not Reaction.objects.exists()


def test_the_anonymous_asker_edits_on_the_page(member, colleague, durf):
    question = ask(member, anonymous=True, body="Oud")
    url = f"/questions/{question.pk}/edit"
    assert client_for(colleague).get(url).status_code == 403
    response = client_for(member).post(
        url, {"title": "Nieuwe vraag?", "body": "Nieuw", "tags": "ecd", "version": 1}
    )
    assert response.status_code == 302
    stale = client_for(member).post(url, {"title": "Oud?", "body": "", "version": 1})
    assert stale.status_code == 409
    question.post.refresh_from_db()
    assert question.post.title == "Nieuwe vraag?"


# Lists ---------------------------------------------------------------------------------------


def test_the_list_filters_by_status_space_and_tag(member, colleague, durf):
    solved = ask(member, title="Opgelost?", tags=["ecd"])
    reply = answer(colleague, solved)
    actions.accept_answer(by=member, question=solved, answer=reply)
    waiting = ask(member, title="Wacht nog?", tags=["verlof"])
    client = client_for(colleague)
    everything = client.get("/questions/").text
    assert "Opgelost?" in everything and "Wacht nog?" in everything
    assert "Wacht nog?" not in client.get("/questions/?status=answered").text
    assert "Opgelost?" not in client.get("/questions/?status=unanswered").text
    assert "Opgelost?" not in client.get("/questions/?tag=verlof").text
    assert client.get(f"/questions/?space={durf.pk}").status_code == 200
    assert client.get("/questions/?space=abc").status_code == 404
    assert client.get("/questions/?cursor=garbage").status_code == 400
    assert waiting.pk


def test_the_unanswered_queue_shows_the_longest_waiting_first(member, colleague, durf):
    from datetime import timedelta

    from django.utils import timezone

    from brug.posts.models import Post

    old = ask(member, title="Oude vraag?")
    new = ask(member, title="Nieuwe vraag?")
    done = ask(member, title="Beantwoorde vraag?")
    answer(colleague, done)
    moment = timezone.now() - timedelta(days=3)
    Question.objects.filter(pk=old.pk).update(created_at=moment)
    Post.objects.filter(pk=old.pk).update(created_at=moment)
    html = client_for(colleague).get("/questions/unanswered").text
    assert html.index("Oude vraag?") < html.index("Nieuwe vraag?")
    assert "Beantwoorde vraag?" not in html
    assert new.pk


def test_the_knowledge_listing_shows_solved_questions_by_tag(member, colleague, durf):
    solved = ask(member, title="Hoe zet ik een VPN op?", tags=["vpn"])
    actions.accept_answer(by=member, question=solved, answer=answer(colleague, solved))
    ask(member, title="Open vraag over VPN?", tags=["vpn"])
    html = client_for(colleague).get("/questions/knowledge?tag=vpn").text
    assert "Hoe zet ik een VPN op?" in html and "Open vraag over VPN?" not in html
    assert 'href="/questions/knowledge?tag=vpn"' in html


def test_a_private_questions_space_stays_hidden_from_outsiders_lists(owner, member, outsider):
    space = create_space(
        creator=owner,
        name="Besloten vragen",
        kind=SpaceKind.QUESTIONS,
        visibility=Visibility.PRIVATE,
    )
    ask(owner, space=space, title="Geheime vraag?")
    for url in ("/questions/", "/questions/unanswered", "/questions/knowledge"):
        assert "Geheime vraag?" not in client_for(outsider).get(url).text
    assert "Geheime vraag?" in client_for(owner).get("/questions/").text


# Unmasking -----------------------------------------------------------------------------------


def test_the_unmask_page_does_not_exist_unless_the_installation_allows_it(
    settings, member, admin_user, durf
):
    question = ask(member, anonymous=True)
    assert client_for(admin_user).get(f"/questions/{question.pk}/unmask").status_code == 404
    settings.BRUG_ALLOW_UNMASK = True
    assert client_for(member).get(f"/questions/{question.pk}/unmask").status_code == 403
    page = client_for(admin_user).get(f"/questions/{question.pk}/unmask")
    assert page.status_code == 200 and member.name not in page.text
    done = client_for(admin_user).post(
        f"/questions/{question.pk}/unmask", {"reason": "Melding van een veiligheidsincident"}
    )
    assert done.status_code == 200 and member.name in done.text


@pytest.mark.parametrize("url", ["/questions/", "/questions/ask", "/questions/knowledge"])
def test_question_pages_need_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_questions_space_invites_to_ask_instead_of_posting(member, durf, space):
    html = client_for(member).get(f"/spaces/{durf.slug}/").text
    assert f'href="/questions/ask?space={durf.pk}"' in html
    assert 'data-testid="ask-in-space"' not in client_for(member).get(f"/spaces/{space.slug}/").text
    form = client_for(member).get(f"/questions/ask?space={durf.pk}").text
    assert f'<option value="{durf.pk}" selected' in form


def test_a_refused_file_takes_the_files_stored_before_it_along(member, durf, settings, tmp_path):
    from django.core.files.storage import storages
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brug.posts.models import Attachment

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }
    storages._storages.pop("default", None)
    try:
        files = [
            SimpleUploadedFile("notities.txt", b"Eerste bestand\n", content_type="text/plain"),
            SimpleUploadedFile("programma.exe", b"MZ\x90\x00\x03binary", content_type="x/y"),
        ]
        response = client_for(member).post(
            "/questions/ask", {"space": durf.pk, "title": "Met bijlagen", "files": files}
        )
        assert response.status_code == 422
        assert not Question.objects.exists()
        assert not Attachment.objects.exists()
        assert not [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]
    finally:
        storages._storages.pop("default", None)
