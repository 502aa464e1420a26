"""Anonymous means anonymous (SECURITY.md promise 2), checked on every output channel.

One anonymous question goes through its whole life — asked with an image and
tags and a mention, edited by its asker, followed, answered from another
team, voted on, accepted by its asker — and then every channel is searched
for the asker's id, handle, name, e-mail address and photo URL: the question
page and its htmx fragments, feed cards, the lists, JSON (question, lists,
feed, posts, revisions, comments, search, other people's notifications),
realtime event payloads, e-mails to answerers and followers, search documents
and hits, the activity log, edit history, attachment metadata, the task
queue and the Django admin. The asker still gets what is addressed to them.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib import admin
from django.core import mail
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from brug.analytics.enums import Ladder
from brug.analytics.models import Activity, ObjectView
from brug.analytics.recording import flush_views
from brug.api.tests.conftest import ApiClient
from brug.notifications import emails
from brug.notifications.models import Notification
from brug.people.tokens import create_token
from brug.posts.actions import add_attachment
from brug.posts.models import Attachment, Comment, Mention, PostRevision
from brug.posts.tests.conftest import Upload, png_bytes
from brug.questions import actions, queries
from brug.questions.tests.conftest import answer, ask, run_jobs
from brug.realtime.models import Event
from brug.search.models import SearchDocument
from brug.spaces.actions import join_space
from tests.factories import TeamFactory, UserFactory

HTMX = {"HX-Request": "true"}
ASKER_ID = 987654


@pytest.fixture
def asker(organisation):
    """Someone whose every trace is easy to spot: a rare id, name, handle and address."""
    team = TeamFactory(organisation=organisation, name="Team Zilverreiger")
    return UserFactory(
        pk=ASKER_ID,
        name="Zwaantje Verborgen",
        handle="zwaantje.verborgen",
        email="zwaantje.verborgen@example.org",
        team=team,
        function="verpleegkundige",
    )


def secrets_of(person) -> list[tuple[str, re.Pattern]]:
    return [
        ("id", re.compile(rf"(?<![\d]){person.pk}(?![\d])")),
        ("handle", re.compile(re.escape(person.handle), re.I)),
        ("name", re.compile(re.escape(person.name), re.I)),
        ("surname", re.compile(re.escape(person.name.split()[-1]), re.I)),
        ("e-mail", re.compile(re.escape(person.email), re.I)),
        ("photo", re.compile(re.escape(person.photo_url.split("?")[0]), re.I)),
    ]


class Leaks:
    """Collects every channel's text and what of the asker was found in it."""

    def __init__(self, person) -> None:
        self.patterns = secrets_of(person)
        self.found: list[str] = []
        self.checked = 0

    def check(self, channel: str, text) -> None:
        if not isinstance(text, str):
            text = json.dumps(text, default=str)
        self.checked += 1
        for label, pattern in self.patterns:
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - 80)
                self.found.append(
                    f"{channel}: the asker's {label} in …{text[start : match.end() + 40]}…"
                )

    def page(self, client: Client, url: str, channel: str, *, headers=None, status=200) -> str:
        response = client.get(url, headers=headers or {})
        assert response.status_code == status, f"{channel}: {url} answered {response.status_code}"
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        self.check(f"{channel} ({url})", text)
        self.check(f"{channel} headers ({url})", dict(response.headers))
        return text


@pytest.fixture
def story(settings, asker, member, colleague, outsider, community_manager, admin_user, durf):
    """An anonymous question's whole life; returns the objects involved."""
    settings.BRUG_EMAIL_BUNDLE_SECONDS = 0
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    join_space(person=member, space=durf)  # a member of the space: hears of new posts
    image = add_attachment(uploader=asker, upload=Upload(png_bytes(), "schermafdruk.png"))
    question = ask(
        asker,
        title="Mag ik melden dat mijn leidinggevende fouten maakt met de medicatie?",
        body="Ik durf het niet hardop te vragen. @kees.collega weet jij dit?",
        tags=["medicatieveiligheid", "melden"],
        anonymous=True,
        attachments=[image],
    )
    actions.follow_question(person=outsider, question=question)
    question = queries.get_question(viewer=asker, question_id=question.pk)
    actions.edit_question(
        editor=asker,
        question=question,
        body="Ik durf het niet hardop te vragen. Hoe meld ik een medicatiefout veilig, @kees.collega?",
        tags="medicatieveiligheid, melden, VIM",
        version=1,
    )
    reply = answer(
        colleague,
        question,
        body="Ja, via een VIM-melding. Die is vertrouwelijk en gaat naar de commissie.",
    )
    second = answer(outsider, question, body="En je kunt de vertrouwenspersoon bellen.")
    actions.vote_answer(person=member, question=question, answer=reply, rate_limit=False)
    actions.vote_answer(person=asker, question=question, answer=reply, rate_limit=False)
    question = queries.get_question(viewer=asker, question_id=question.pk)
    actions.accept_answer(by=asker, question=question, answer=reply)
    asker_client = _client(asker)
    for _visit in range(2):  # the asker keeps coming back to see the answers
        assert asker_client.get(f"/questions/{question.pk}/").status_code == 200
    _client(colleague).get(f"/questions/{question.pk}/")
    flush_views()
    run_jobs()
    for person_id in emails.due_recipients(now=_later()):
        emails.send_bundle(person_id=person_id, now=_later())
    return {
        "question": question,
        "answer": reply,
        "second": second,
        "image": Attachment.objects.get(pk=image.pk),
        "space": durf,
    }


def _later():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(hours=1)


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _api(person) -> ApiClient:
    return ApiClient(create_token(user=person, name="anonymity test"))


@pytest.fixture
def others(member, colleague, outsider, community_manager, admin_user):
    """Everyone but the asker: a member of the space, the answerer, a follower, managers."""
    return {
        "member": member,
        "answerer": colleague,
        "follower": outsider,
        "community manager": community_manager,
        "admin": admin_user,
    }


def test_the_story_really_happened(story, asker, colleague, outsider):
    """Guard: the checks below are only worth something if every step left its traces."""
    question = story["question"]
    question.refresh_from_db()
    assert question.accepted_answer_id == story["answer"].pk and question.answer_count == 2
    assert PostRevision.objects.filter(post_id=question.pk).exists()
    assert story["image"].post_id == question.pk
    assert Mention.objects.filter(post_id=question.pk, person=colleague).exists()
    assert Notification.objects.filter(recipient=colleague, kind="accepted_answer").exists()
    assert Notification.objects.filter(recipient=outsider, kind="answer").exists()
    assert Event.objects.filter(kind="answer_created", post_id=question.pk).count() == 2
    assert SearchDocument.objects.filter(post_id=question.pk).count() >= 4
    assert any(m.to == [colleague.email] for m in mail.outbox)
    assert any(m.to == [outsider.email] for m in mail.outbox)


def test_the_asker_still_gets_answers_and_can_edit_and_accept(story, asker):
    question = story["question"]
    kinds = set(Notification.objects.filter(recipient=asker).values_list("kind", flat=True))
    assert "answer" in kinds
    page = _client(asker).get(f"/questions/{question.pk}/").text
    assert 'data-testid="edit-question"' in page
    notes = _api(asker).get("/notifications").json()["items"]
    assert any(item.get("kind") == "answer" for item in notes)
    assert any(m.to == [asker.email] for m in mail.outbox)


def test_no_page_or_htmx_fragment_names_the_asker(story, asker, others):
    question, reply, space = story["question"], story["answer"], story["space"]
    leaks = Leaks(asker)
    pk = question.pk
    for role, person in others.items():
        client = _client(person)
        leaks.page(client, f"/questions/{pk}/", f"question page as {role}")
        leaks.page(client, "/questions/", f"question list as {role}")
        leaks.page(client, "/questions/?tag=vim", f"question list by tag as {role}")
        leaks.page(client, "/questions/knowledge", f"knowledge as {role}")
        leaks.page(client, "/questions/knowledge?tag=melden", f"knowledge by tag as {role}")
        leaks.page(client, "/questions/unanswered", f"unanswered as {role}")
        leaks.page(client, f"/posts/{pk}/history", f"edit history as {role}")
        leaks.page(client, f"/spaces/{space.slug}/", f"space page (feed cards) as {role}")
        leaks.page(client, f"/posts/space/{space.pk}/feed", f"space feed fragment as {role}")
        leaks.page(client, "/posts/", f"home feed as {role}")
        leaks.page(client, "/search/?q=medicatiefout", f"search page as {role}")
        leaks.page(client, "/search/?q=medicatiefout&type=file", f"search files as {role}")
        leaks.page(client, "/notifications/", f"notifications as {role}")
        leaks.page(client, "/notifications/menu", f"notification menu as {role}", headers=HTMX)
        leaks.page(
            client,
            f"/questions/{pk}/answers/{reply.pk}",
            f"answer fragment as {role}",
            headers=HTMX,
        )
        leaks.page(
            client,
            "/questions/similar?title=medicatiefout+melden",
            f"similar questions as {role}",
            headers=HTMX,
        )
        image = story["image"]
        leaks.page(
            client,
            reverse("posts:attachment", args=[image.pk, image.name]),
            f"attachment download as {role}",
        )
    member = _client(others["member"])
    for url, label in (
        (f"/questions/{pk}/follow", "follow fragment"),
        (f"/questions/{pk}/good-question", "good-that-you-ask fragment"),
        (f"/questions/{pk}/answers/{story['second'].pk}/vote", "vote fragment"),
    ):
        response = member.post(url, headers=HTMX)
        assert response.status_code == 200, label
        leaks.check(label, response.content.decode())
    assert leaks.checked > 100
    assert leaks.found == []


def test_no_json_names_the_asker(story, asker, others):
    question, space = story["question"], story["space"]
    pk = question.pk
    leaks = Leaks(asker)
    for role, person in others.items():
        api = _api(person)
        for path in (
            f"/questions/{pk}",
            f"/questions/{pk}/answers",
            "/questions",
            "/questions?status=answered",
            "/questions?tag=melden",
            "/questions/similar?q=medicatiefout",
            "/knowledge",
            "/knowledge?tag=vim",
            "/feed",
            f"/posts/{pk}",
            f"/posts/{pk}/revisions",
            f"/posts/{pk}/comments",
            f"/spaces/{space.pk}/posts",
            "/search?q=medicatiefout",
            "/search?q=schermafdruk",
            "/notifications",
        ):
            response = api.get(path)
            assert response.status_code == 200, f"{path} as {role}: {response.status_code}"
            leaks.check(f"GET {path} as {role}", response.content.decode())
    assert leaks.found == []


def test_json_says_anonymous_and_carries_no_author(story, others):
    data = _api(others["answerer"]).get(f"/questions/{story['question'].pk}").json()
    assert data["anonymous"] is True and data["author"] is None
    assert data["can_edit"] is False and data["can_accept"] is False
    post = _api(others["answerer"]).get(f"/posts/{story['question'].pk}").json()
    assert post["author"] is None


def test_no_realtime_event_for_others_names_the_asker(story, asker):
    leaks = Leaks(asker)
    events = Event.objects.exclude(recipient_id=asker.pk)
    assert events.filter(kind__in=["post_created", "answer_created", "notification"]).exists()
    for event in events:
        leaks.check(f"event {event.kind} #{event.pk}", event.payload)
    assert leaks.found == []
    # The events addressed to the asker are theirs alone.
    assert Event.objects.filter(recipient_id=asker.pk, kind="notification").exists()


def test_no_email_to_answerers_followers_or_members_names_the_asker(story, asker):
    leaks = Leaks(asker)
    others = [m for m in mail.outbox if asker.email not in m.to]
    assert len(others) >= 2
    for message in others:
        parts = [message.subject, message.body, json.dumps(message.extra_headers)]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        leaks.check(f"e-mail to {message.to}", "\n".join(str(p) for p in parts))
    assert leaks.found == []


def test_search_documents_and_hits_do_not_know_the_asker(story, asker, others):
    question = story["question"]
    documents = SearchDocument.objects.filter(post_id=question.pk)
    post_doc = documents.get(kind="post")
    file_doc = documents.get(kind="file")
    assert post_doc.author_id is None and file_doc.author_id is None
    assert not SearchDocument.objects.filter(author_id=asker.pk).exists()
    leaks = Leaks(asker)
    for document in documents:
        leaks.check(f"search document {document}", f"{document.title} {document.text}")
    # "Written by" the asker finds nothing, even for the admin.
    api = _api(others["admin"])
    hits = api.get("/search", {"q": "medicatiefout", "person": asker.pk}).json()
    leaks.check("search written-by", hits)
    assert all(item.get("id") != question.pk for item in hits.get("items", []))
    assert leaks.found == []


def test_the_activity_log_has_no_actor_and_no_team_for_the_askers_acts(story, asker):
    question = story["question"]
    about_question = Activity.objects.filter(
        Q(post_id=question.pk) | Q(comment__post_id=question.pk)
    )
    assert about_question.filter(verb="ask", actor__isnull=True).exists()
    assert about_question.filter(verb="accept", actor__isnull=True).exists()
    # The asker's own vote is theirs as a voter (it says nothing about who asked);
    # every other act about the question names someone else, or nobody.
    traces = about_question.filter(
        Q(actor=asker) | Q(actor_team=asker.team) | Q(owner_team=asker.team) | Q(person=asker)
    ).exclude(verb="vote")
    assert list(traces.values_list("verb", flat=True)) == []
    assert not Activity.objects.filter(actor=asker).exclude(
        Q(verb="vote") | Q(ladder=Ladder.CONSUME)
    )
    # Not even the asker's visits to their own question are counted: the first
    # visit, seconds after asking, would point at them. Other people's are.
    assert not ObjectView.objects.filter(person=asker, post_id=question.pk).exists()
    assert not about_question.filter(actor=asker, ladder=Ladder.CONSUME).exists()
    assert ObjectView.objects.filter(post_id=question.pk).exclude(person=asker).exists()


def test_edit_history_and_attachments_name_nobody(story, asker):
    question = story["question"]
    for revision in PostRevision.objects.filter(post_id=question.pk):
        leaks = Leaks(asker)
        leaks.check("revision", f"{revision.title} {revision.body}")
        assert leaks.found == []
    image = story["image"]
    assert image.uploaded_by_id is None
    assert not Attachment.objects.filter(uploaded_by=asker, post_id=question.pk).exists()


def test_other_peoples_notifications_do_not_name_the_asker(story, asker):
    rows = Notification.objects.exclude(recipient=asker)
    assert rows.filter(kind="accepted_answer").exists()
    assert rows.filter(kind="mention").exists()
    for row in rows:
        assert row.last_actor_id != asker.pk, row
        assert asker.pk not in (row.actor_ids or []), row


def test_the_task_queue_holds_no_job_naming_the_asker(story, asker):
    from django_tasks_db.models import DBTaskResult

    leaks = Leaks(asker)
    for task in DBTaskResult.objects.all():
        leaks.check(f"task {task.task_path}", task.args_kwargs)
    assert leaks.found == []


def test_the_django_admin_names_nobody(story, asker, admin_user):
    question = story["question"]
    client = _client(admin_user)
    leaks = Leaks(asker)
    urls = [
        reverse("admin:posts_post_changelist"),
        reverse("admin:posts_post_change", args=[question.pk]),
        reverse("admin:questions_question_changelist"),
        reverse("admin:questions_question_change", args=[question.pk]),
        reverse("admin:questions_question_changelist") + "?is_anonymous__exact=1",
    ]
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        urls.append(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
        urls += [
            reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk])
            for task in DBTaskResult.objects.all()[:50]
        ]
    for url in urls:
        text = leaks.page(client, url, "admin")
        # The admin's own name is in the header; the asker's is nowhere.
        assert admin_user.name in text or "admin" in url
    assert leaks.found == []
    from brug.questions.models import AnonymousAsker, QuestionFollow

    assert not admin.site.is_registered(AnonymousAsker)
    assert not admin.site.is_registered(QuestionFollow)


def test_a_named_question_does_name_its_asker_so_the_checks_can_see(asker, colleague, durf):
    """The leak detector itself works: on a named question it finds the asker everywhere."""
    question = ask(asker, title="Een vraag met naam?")
    answer(colleague, question)
    run_jobs()
    leaks = Leaks(asker)
    leaks.page(_client(colleague), f"/questions/{question.pk}/", "named question page")
    leaks.check("named question JSON", _api(colleague).get(f"/questions/{question.pk}").json())
    labels = {line.split("the asker's ")[1].split(" ")[0] for line in leaks.found}
    assert {"id", "handle", "name"} <= labels
    assert Comment.objects.filter(post_id=question.pk).exists()


def test_the_askers_profile_and_posts_do_not_list_the_question(story, asker, others):
    title = story["question"].post.title
    for role, person in others.items():
        client = _client(person)
        for url in (f"/posts/people/{asker.handle}/", f"/people/{asker.handle}/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert title not in response.text, f"{url} as {role}"
            assert "medicatiefout" not in response.text, f"{url} as {role}"
        items = _api(person).get(f"/people/{asker.pk}/posts").json()["items"]
        assert items == [], role
