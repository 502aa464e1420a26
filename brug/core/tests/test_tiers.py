"""The bulk loader of the benchmark tiers, at a tiny size (tests never load a real tier)."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q

from brug.core.tiers import Tier, load_tier
from brug.core.tiers.content import COMMON_TERM, ContentPool
from brug.permissions import as_viewer
from brug.permissions.posts import filter_visible_posts
from brug.posts.models import Comment, Post
from brug.questions.models import AnonymousAsker, Question
from brug.search.indexing import _comment_documents, _post_documents, reindex
from brug.search.models import SearchDocument
from brug.search.queries import count_by_type, search
from brug.search.text import stems
from brug.spaces.models import Membership, Space

TINY = Tier(
    "tiny",
    people=80,
    organisations=3,
    teams=9,
    spaces=24,
    posts=600,
    questions=90,
    comments=1200,
    answers=200,
    reactions=2400,
    reads=5000,
    chunks=3,
)


@pytest.fixture
def tiny(db):
    return load_tier(TINY, seed=7)


def test_a_tiny_tier_has_the_sizes_it_asks_for(tiny):
    assert tiny["people"] == TINY.people
    assert tiny["posts"] == TINY.posts
    assert tiny["questions"] == TINY.questions
    # Replies, reactions and reads are drawn per post: near the asked numbers.
    assert 0.7 * TINY.comments <= tiny["comments"] <= 1.3 * TINY.comments
    assert 0.5 * TINY.reactions <= tiny["reactions"] <= 1.3 * TINY.reactions
    assert 0.6 * TINY.reads <= tiny["reads"] <= 1.3 * TINY.reads
    assert Post.objects.count() == TINY.posts
    assert Comment.objects.count() == tiny["comments"]
    assert SearchDocument.objects.filter(kind__in=["post", "comment"]).count() == (
        TINY.posts + tiny["comments"]
    )
    assert SearchDocument.objects.filter(kind="person").count() == TINY.people


def test_every_reference_a_tier_writes_points_at_a_row(tiny):
    """The loader may skip PostgreSQL's per-row foreign-key checks: none may be broken."""
    from django.apps import apps

    broken = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("brug.") or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.related_model._base_manager.values(field.target_field.attname)
            dangling = (
                model._base_manager.filter(**{f"{field.attname}__isnull": False})
                .exclude(**{f"{field.attname}__in": target})
                .count()
            )
            if dangling:
                broken[f"{model._meta.label}.{field.name}"] = dangling
    assert broken == {}
    assert Post.objects.exists() and Membership.objects.exists()


def test_a_tier_is_consistent_with_what_the_actions_would_write(tiny):
    # Authors are members of their space (profile posts have none).
    strangers = Post.objects.filter(space__isnull=False, author__isnull=False).exclude(
        space__memberships__person=F("author")
    )
    assert not strangers.exists()
    # Counters match the rows.
    for space in Space.objects.annotate(n=Count("memberships")):
        assert space.member_count == space.n, space
    wrong_counts = Post.objects.annotate(n=Count("comments")).exclude(comment_count=F("n"))
    assert not wrong_counts.exists()
    # Anonymous questions: no author anywhere, the asker only in AnonymousAsker.
    anonymous = Question.objects.filter(is_anonymous=True)
    assert anonymous.exists()
    assert not anonymous.filter(post__author__isnull=False).exists()
    assert AnonymousAsker.objects.count() == anonymous.count()
    assert not SearchDocument.objects.filter(
        kind="post", object_id__in=anonymous.values("pk"), author__isnull=False
    ).exists()
    # Accepted answers are answers to their own question.
    accepted = Question.objects.filter(accepted_answer__isnull=False)
    assert accepted.exists()
    assert not accepted.exclude(accepted_answer__post_id=F("post_id")).exists()
    # Ids follow time, so "newest" in feeds and search follows creation.
    times = list(Post.objects.order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)


def test_a_tier_has_dutch_and_english_text_and_mentions(tiny):
    from brug.people.handles import HANDLE_RE
    from brug.people.models import User

    assert all(HANDLE_RE.match(handle) for handle in User.objects.values_list("handle", flat=True))
    assert Post.objects.filter(language="nl").exists()
    assert Post.objects.filter(language="en").exists()
    assert Post.objects.filter(mentions__isnull=False).exists()
    assert Post.objects.filter(body__contains=f" {COMMON_TERM} ").exists()


def test_bulk_search_documents_equal_what_the_indexer_writes(tiny):
    posts = list(Post.objects.order_by("?")[:40])
    comments = list(Comment.objects.select_related("post").order_by("?")[:40])
    expected = _post_documents(posts) + _comment_documents(comments)
    fields = ["space_id", "post_id", "comment_id", "organisation_id", "author_id", "title"]
    fields += ["text", "title_stems", "stems"]
    for document in expected:
        stored = SearchDocument.objects.get(kind=document.kind, object_id=document.object_id)
        for name in fields:
            assert getattr(stored, name) == getattr(document, name), (document, name)


def test_what_the_loader_indexes_equals_what_the_indexer_would(tiny):
    """Every post's and comment's indexed text, before and after a reindex.

    PostgreSQL: the vectors, which the loader computes in SQL from the stored
    text; SQLite: the stems that FTS5 indexes (its triggers were lifted).
    """
    indexed = "search_vector::text" if connection.vendor == "postgresql" else "stems"
    query = (
        f"SELECT id, title_stems, {indexed} FROM search_searchdocument"  # noqa: S608
        " WHERE kind IN ('post', 'comment') ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        loaded = cursor.fetchall()
        reindex(kinds=["post", "comment"])
        cursor.execute(query)
        again = cursor.fetchall()
    assert len(loaded) > 1000
    assert {row[0]: row[1:] for row in loaded} == {row[0]: row[1:] for row in again}


@pytest.mark.parametrize("term", [COMMON_TERM, "wondzorg", "dressing", "samenwerking"])
def test_search_finds_the_same_before_and_after_a_reindex(tiny, term):
    """The bulk path (PostgreSQL computes the vectors from the stored text) = the indexer."""
    member = (
        Membership.objects.filter(person__role="member")
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    viewer = as_viewer(_user(member["person"]))

    def found():
        hits = search(viewer=viewer, q=term, limit=50).hits
        return [(hit.type, hit.id) for hit in hits], count_by_type(viewer=viewer, q=term).counts

    before = found()
    reindex(kinds=["post", "comment"])
    assert found() == before
    if term != "samenwerking":
        assert before[0], term


def test_search_hits_of_a_tier_are_only_readable_posts(tiny):
    for person_id in _user_ids(8):
        viewer = as_viewer(_user(person_id))
        hits = search(viewer=viewer, q=COMMON_TERM, limit=50).hits
        post_ids = {hit.id for hit in hits if hit.type == "post"}
        visible = set(
            filter_visible_posts(viewer, Post.objects.filter(pk__in=post_ids)).values_list(
                "pk", flat=True
            )
        )
        assert post_ids == visible


def test_the_full_text_triggers_work_after_a_tier_load(tiny):
    from brug.core import jobs
    from brug.posts.actions import create_post

    post = Post.objects.filter(space__isnull=False, author__isnull=False).first()
    new = create_post(author=post.author, space=post.space, body="Een zeldzaamheidswoord")
    jobs.run_pending()
    viewer = as_viewer(post.author)
    assert [hit.id for hit in search(viewer=viewer, q="zeldzaamheidswoord").hits] == [new.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'search_searchdocument'"
            )
            assert {row[0] for row in cursor.fetchall()} == {
                "search_fts_insert",
                "search_fts_update",
                "search_fts_delete",
                "search_vocabulary_insert",
                "search_vocabulary_update",
            }
    else:  # the GIN indexes serve again without a pending list (search 0008)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'search_doc_vector%%'"
            )
            options = dict(cursor.fetchall())
        assert options == {
            "search_doc_vector": ["fastupdate=off"],
            "search_doc_vector_small_kinds": ["fastupdate=off"],
        }
    # A long prefix of the new word finds it through the vocabulary.
    assert [hit.id for hit in search(viewer=viewer, q="zeldzaamheid").hits] == [new.pk]


def test_a_tier_loads_only_into_an_empty_installation(tiny):
    with pytest.raises(ValueError, match="empty installation"):
        load_tier(TINY, seed=7)


def test_the_demo_command_refuses_to_load_a_tier_over_people(db):
    from tests.factories import UserFactory

    UserFactory()
    with pytest.raises(CommandError, match="empty installation"):
        call_command("demo", "--size", "medium", stdout=StringIO(), stderr=StringIO())
    assert not Post.objects.exists()


def test_the_content_pool_is_deterministic_and_its_stems_are_the_bodys():
    first, second = ContentPool(random.Random(3)), ContentPool(random.Random(3))
    rng_a, rng_b = random.Random(5), random.Random(5)
    for _ in range(200):
        body_a, stems_a = first.body(rng_a, "nl", extra="@sanne.dewit")
        assert (body_a, stems_a) == second.body(rng_b, "nl", extra="@sanne.dewit")
        assert stems_a == stems(body_a)
        assert body_a.isascii()


def _user(pk):
    from brug.people.models import User

    return User.objects.get(pk=pk)


def _user_ids(count):
    from brug.people.models import User

    return list(
        User.objects.filter(Q(role="member") | Q(role="guest"))
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )


def test_make_bench_loads_the_tier_only_once(tiny):
    out = StringIO()
    call_command("demo", "--size", "medium", "--if-empty", stdout=out, stderr=StringIO())
    assert "not loaded again" in out.getvalue()
    assert "welkom-bij-brug" in out.getvalue()
    assert Post.objects.count() == TINY.posts


def test_answered_questions_and_accepted_answers_carry_the_search_boost(tiny):
    from brug.questions.apps import KNOWLEDGE_BOOST

    accepted = Question.objects.filter(accepted_answer__isnull=False)
    boosted_posts = set(
        SearchDocument.objects.filter(kind="post", boost=KNOWLEDGE_BOOST).values_list(
            "object_id", flat=True
        )
    )
    assert boosted_posts == set(accepted.values_list("pk", flat=True))
    boosted_answers = set(
        SearchDocument.objects.filter(kind="comment", boost=KNOWLEDGE_BOOST).values_list(
            "object_id", flat=True
        )
    )
    assert boosted_answers == set(accepted.values_list("accepted_answer_id", flat=True))


def test_the_rare_term_is_planted_where_the_bench_person_reads_it_and_elsewhere(tiny):
    """The bench's rare word is read by the bench person in exactly RARE_VISIBLE posts on
    every tier; its other posts are in spaces they may not read."""
    from brug.core.tiers import bench_person
    from brug.core.tiers.content import RARE_HIDDEN, RARE_TERM, RARE_VISIBLE

    person = bench_person()
    planted = Post.objects.filter(body__contains=RARE_TERM)
    visible = filter_visible_posts(as_viewer(person), planted)
    assert visible.count() == RARE_VISIBLE
    assert visible.filter(space__memberships__person=person).count() == RARE_VISIBLE
    hidden = planted.exclude(pk__in=visible.values("pk"))
    assert 0 < hidden.count() <= RARE_HIDDEN
    assert not hidden.filter(space__visibility="open").exists()
    found = search(viewer=as_viewer(person), q=RARE_TERM, limit=50)
    assert sorted(hit.id for hit in found.hits) == sorted(visible.values_list("pk", flat=True))


def _search_write_path() -> set:
    """The full-text triggers (SQLite) or GIN indexes (PostgreSQL) of the documents table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'search_searchdocument'"
            )
        else:
            # Name, options and whether partial (a rebuilt predicate reads back in
            # another but equal form: PostgreSQL folds it before it plans).
            cursor.execute(
                "SELECT c.relname, c.reloptions::text, i.indpred IS NOT NULL"
                " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_am am ON am.oid = c.relam"
                " WHERE i.indrelid = 'search_searchdocument'::regclass AND am.amname = 'gin'"
            )
        return {tuple(row) if len(row) > 1 else row[0] for row in cursor.fetchall()}


def _replication_role() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def test_a_load_that_fails_puts_back_what_it_lifted(db, monkeypatch):
    """The lifted triggers or dropped GIN indexes come back, and foreign keys are checked again."""
    from brug.core.tiers import Loader

    before, role = _search_write_path(), _replication_role()
    assert before  # two triggers or indexes at least
    real_chunk = Loader._chunk

    def failing_chunk(self, chunk):
        real_chunk(self, chunk)
        if chunk == 1:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(Loader, "_chunk", failing_chunk)
    with pytest.raises(RuntimeError, match="disk is full"):
        load_tier(TINY, seed=7)
    assert _search_write_path() == before
    assert _replication_role() == role
