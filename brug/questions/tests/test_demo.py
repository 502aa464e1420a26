"""The demo questions: at least 60, Dutch and English, mostly answered across teams,
some anonymous, some waiting for weeks; through the actions, deterministic."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from brug.posts.models import Comment
from brug.questions.models import AnonymousAsker, Question


def _storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }


def _load(settings, tmp_path, seed=1, *, questions=True):
    from brug.people import demo as people_demo
    from brug.questions import demo as questions_demo
    from brug.spaces import demo as spaces_demo

    _storage(settings, tmp_path)
    out = io.StringIO()
    modules = (
        (people_demo, spaces_demo, questions_demo) if questions else (people_demo, spaces_demo)
    )
    for module in modules:
        module.load(rng=random.Random(seed), out=out)
    return out.getvalue()


def test_the_demo_questions_tell_the_story_of_durf_te_vragen(db, settings, tmp_path):
    from brug.questions import demo

    output = _load(settings, tmp_path)
    questions = Question.objects.select_related("post__author", "space")
    total = questions.count()
    assert total >= 60, output
    languages = set(questions.values_list("post__language", flat=True))
    assert {"nl", "en"} <= languages
    answered = questions.filter(answer_count__gt=0)
    assert answered.count() >= total * 0.8
    assert questions.filter(accepted_answer__isnull=False).count() >= total * 0.4
    anonymous = questions.filter(is_anonymous=True)
    assert 6 <= anonymous.count() <= total // 3
    assert not anonymous.filter(post__author__isnull=False).exists()
    assert AnonymousAsker.objects.count() == anonymous.count()
    old = timezone.now() - timedelta(days=7)
    assert questions.filter(answer_count=0, created_at__lt=old).count() >= 3
    assert questions.filter(answer_count=0, created_at__gt=timezone.now() - timedelta(days=1))
    # Many answers come from another team, some from another organisation.
    answers = Comment.objects.filter(post__kind="question").select_related("author", "post")
    asked_by = {q.pk: q.post.author for q in questions}
    cross_team = sum(
        1
        for a in answers
        if asked_by[a.post_id] is not None and a.author.team_id != asked_by[a.post_id].team_id
    )
    assert cross_team >= answers.count() * 0.4
    assert answers.exclude(author__organisation=F("post__space__organisation")).exists()
    assert answers.filter(author__highlight__in=["leadership", "ambassador"]).exists()
    # The demo member asked anonymously, and the community manager has flags to act on.
    assert AnonymousAsker.objects.filter(person__email=demo.MEMBER).count() >= 2
    assert questions.filter(flagged_unanswered_at__isnull=False).count() >= 3


def test_the_same_seed_gives_the_same_questions_and_a_second_run_adds_none(db, settings, tmp_path):
    from brug.questions import demo

    _load(settings, tmp_path, seed=3, questions=False)

    def snapshot():
        rows = []
        for q in Question.objects.select_related("post__author").order_by("post__title"):
            answerers = sorted(
                Comment.objects.filter(post_id=q.pk).values_list("author__email", flat=True)
            )
            asker = q.post.author.email if q.post.author else None
            rows.append(
                (q.post.title, asker, q.is_anonymous, answerers, bool(q.accepted_answer_id))
            )
        return rows

    snapshots = []
    for _attempt in range(2):
        with transaction.atomic():
            demo.load(rng=random.Random(3), out=io.StringIO())
            snapshots.append(snapshot())
            again = io.StringIO()
            demo.load(rng=random.Random(3), out=again)
            assert "already" in again.getvalue()
            assert len(snapshot()) == len(snapshots[-1])
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) >= 60
