"""The questions API: fields as DESIGN.md says, both sides of every rule, clear 4xx."""

from __future__ import annotations

from brug.questions import actions
from brug.questions.models import AnswerVote, Question
from brug.questions.tests.conftest import answer, ask, run_jobs
from brug.spaces.actions import create_space
from brug.spaces.enums import SpaceKind


def test_asking_through_the_api_defaults_to_durf_te_vragen(api_as, member, durf):
    response = api_as(member).post(
        "/questions",
        {"title": "Hoe werkt de nieuwe printer?", "body": "Hij piept.", "tags": ["printer", "ICT"]},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["space_id"] == durf.pk and data["anonymous"] is False
    assert data["author"]["handle"] == member.handle
    assert data["tags"] == ["ict", "printer"]
    assert data["status"] == "unanswered" and data["answers"] == []
    assert data["can_edit"] is True and data["following"] is True
    assert Question.objects.get(pk=data["id"]).post.title == "Hoe werkt de nieuwe printer?"


def test_asking_anonymously_through_the_api_returns_no_author(api_as, member, durf):
    response = api_as(member).post(
        "/questions", {"title": "Is dit normaal?", "anonymous": True, "space_id": durf.pk}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["anonymous"] is True and data["author"] is None


def test_bad_questions_get_a_clear_422(api_as, owner, member, space, durf):
    api = api_as(member)
    assert api.post("/questions", {"title": ""}).status_code == 422
    assert api.post("/questions", {"title": "Hier?", "space_id": space.pk}).status_code == 422
    assert api.post("/questions", {"title": "Lijst?", "tags": "geen lijst"}).status_code == 422
    assert api.post("/questions", {"title": "Nul\u0000?"}).status_code == 422
    closed = create_space(
        creator=owner, name="Vraag ICT", kind=SpaceKind.QUESTIONS, allow_anonymous=False
    )
    response = api.post(
        "/questions", {"title": "Anoniem?", "space_id": closed.pk, "anonymous": True}
    )
    assert response.status_code == 422
    assert api.post("/questions", {"title": "Waar?", "space_id": 987654}).status_code == 404
    assert not Question.objects.exists()


def test_listing_filters_by_status_space_and_tag(api_as, member, colleague, durf):
    solved = ask(member, title="Opgelost?", tags=["ecd"])
    actions.accept_answer(by=member, question=solved, answer=answer(colleague, solved))
    answered = ask(member, title="Een antwoord?", tags=["ecd"])
    answer(colleague, answered)
    waiting = ask(member, title="Nog niets?", tags=["verlof"])
    api = api_as(colleague)

    def ids(**params):
        response = api.get("/questions", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [waiting.pk, answered.pk, solved.pk]
    assert ids(status="answered") == [solved.pk]
    assert ids(status="open") == [waiting.pk, answered.pk]
    assert ids(status="unanswered") == [waiting.pk]
    assert ids(tag="ecd") == [answered.pk, solved.pk]
    assert ids(space_id=durf.pk) == [waiting.pk, answered.pk, solved.pk]
    assert api.get("/questions", {"status": "weird"}).status_code == 422
    assert api.get("/questions", {"cursor": "nonsense"}).status_code == 400


def test_the_list_pages_with_a_cursor(api_as, member, durf):
    for n in range(3):
        ask(member, title=f"Vraag {n}?")
    first = api_as(member).get("/questions", {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api_as(member).get("/questions", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["title"] for i in rest["items"]] == ["Vraag 0?"] and rest["next_cursor"] is None


def test_a_stranger_sees_no_questions_and_gets_404_on_one(api_as, member, stranger, durf):
    question = ask(member)
    api = api_as(stranger)
    assert api.get("/questions").json()["items"] == []
    assert api.get(f"/questions/{question.pk}").status_code == 404
    assert api.post(f"/questions/{question.pk}/answers", {"body": "Hoi"}).status_code == 404
    assert api.post(f"/questions/{question.pk}/follow").status_code == 404
    assert api.get("/knowledge").json()["items"] == []


def test_answering_accepting_and_voting_through_the_api(api_as, member, colleague, outsider, durf):
    question = ask(member, anonymous=True)
    created = api_as(colleague).post(f"/questions/{question.pk}/answers", {"body": "Zo dus."})
    assert created.status_code == 201
    reply = created.json()
    assert reply["question_id"] == question.pk and reply["author"]["handle"] == colleague.handle
    assert reply["from_other_team"] is False and reply["accepted"] is False

    vote_url = f"/questions/{question.pk}/answers/{reply['id']}/vote"
    assert api_as(outsider).post(vote_url).json()["vote_count"] == 1
    second = api_as(outsider).post(vote_url).json()
    assert second["vote_count"] == 1 and second["voted"] is True
    assert AnswerVote.objects.count() == 1
    assert api_as(colleague).post(vote_url).status_code == 422  # own answer
    assert api_as(outsider).delete(vote_url).json()["vote_count"] == 0

    accept = f"/questions/{question.pk}/accept"
    assert api_as(outsider).post(accept, {"answer_id": reply["id"]}).status_code == 403
    assert api_as(member).post(accept, {"answer_id": 987654}).status_code == 404
    done = api_as(member).post(accept, {"answer_id": reply["id"]})
    assert done.status_code == 200
    data = done.json()
    assert data["status"] == "answered" and data["accepted_answer_id"] == reply["id"]
    assert data["answers"][0]["accepted"] is True


def test_accepting_through_the_api_is_404_for_someone_who_cannot_read(
    api_as, member, colleague, stranger, durf
):
    question = ask(member)
    reply = answer(colleague, question)
    response = api_as(stranger).post(f"/questions/{question.pk}/accept", {"answer_id": reply.pk})
    assert response.status_code == 404


def test_the_asker_edits_through_the_api_and_a_stale_version_is_409(
    api_as, member, colleague, durf
):
    question = ask(member, anonymous=True)
    url = f"/questions/{question.pk}"
    assert api_as(colleague).patch(url, {"title": "Niet van mij?", "version": 1}).status_code == 403
    done = api_as(member).patch(
        url, {"title": "Beter geformuleerd?", "tags": ["ecd"], "version": 1}
    )
    assert done.status_code == 200 and done.json()["version"] == 2
    assert done.json()["author"] is None and done.json()["tags"] == ["ecd"]
    assert api_as(member).patch(url, {"title": "Oud?", "version": 1}).status_code == 409


def test_following_through_the_api(api_as, member, outsider, durf):
    question = ask(member)
    api = api_as(outsider)
    assert api.post(f"/questions/{question.pk}/follow").json() == {"following": True}
    assert api.get(f"/questions/{question.pk}").json()["following"] is True
    assert api.delete(f"/questions/{question.pk}/follow").json() == {"following": False}


def test_knowledge_lists_only_questions_with_an_accepted_answer_by_tag(
    api_as, member, colleague, durf
):
    solved = ask(member, title="Hoe maak ik een VPN?", tags=["vpn"])
    actions.accept_answer(by=member, question=solved, answer=answer(colleague, solved))
    ask(member, title="VPN traag?", tags=["vpn"])
    other = ask(member, title="Printer?", tags=["printer"])
    actions.accept_answer(by=member, question=other, answer=answer(colleague, other))
    api = api_as(colleague)
    assert [i["id"] for i in api.get("/knowledge", {"tag": "vpn"}).json()["items"]] == [solved.pk]
    assert len(api.get("/knowledge").json()["items"]) == 2


def test_similar_questions_through_the_api(api_as, member, colleague, durf):
    question = ask(member, title="Hoe vraag ik verlof aan?")
    answer(colleague, question)
    run_jobs()
    found = api_as(colleague).get("/questions/similar", {"q": "verlof"}).json()
    assert [item["id"] for item in found] == [question.pk]


def test_unmasking_through_the_api(api_as, settings, member, admin_user, durf):
    question = ask(member, anonymous=True)
    url = f"/questions/{question.pk}/unmask"
    assert api_as(admin_user).post(url, {"reason": "Melding"}).status_code == 404
    settings.BRUG_ALLOW_UNMASK = True
    assert api_as(member).post(url, {"reason": "Ik"}).status_code == 403
    done = api_as(admin_user).post(url, {"reason": "Melding"})
    assert done.status_code == 200 and done.json()["asker"]["handle"] == member.handle


def test_anonymous_callers_get_401(client, member, durf):
    question = ask(member)
    assert client.get("/api/v1/questions").status_code == 401
    assert client.get(f"/api/v1/questions/{question.pk}").status_code == 401


def test_a_comment_on_a_question_through_the_posts_api_is_an_answer(
    api_as, member, colleague, durf
):
    from brug.notifications.models import Notification

    question = ask(member, anonymous=True)
    created = api_as(colleague).post(f"/posts/{question.pk}/comments", {"body": "Zo werkt het."})
    assert created.status_code == 201
    question.refresh_from_db()
    assert question.answer_count == 1
    run_jobs()
    assert Notification.objects.filter(recipient=member, kind="answer").exists()
    reply_id = created.json()["id"]
    actions.accept_answer(by=member, question=question, answer=question.post.comments.get())
    assert api_as(colleague).delete(f"/comments/{reply_id}").status_code == 204
    question.refresh_from_db()
    assert question.answer_count == 0 and question.accepted_answer_id is None


def test_deleting_a_question_through_the_api(api_as, member, colleague, stranger, durf):
    question = ask(member, anonymous=True)
    url = f"/questions/{question.pk}"
    assert api_as(stranger).delete(url).status_code == 404
    assert api_as(colleague).delete(url).status_code == 403
    assert api_as(member).delete(url).status_code == 204
    assert api_as(member).get(url).status_code == 404
