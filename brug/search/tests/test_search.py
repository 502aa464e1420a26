"""Bilingual matching, ranking, windows and filters, on whichever database runs the suite.

CI runs this module on SQLite and on PostgreSQL (``BRUG_DATABASE_URL``): the
expected result sets below are written out by hand, so both backends are
held to the same sets.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.text import Truncator

from brug.posts import actions as posts
from brug.search import indexing, statements
from brug.search.queries import SearchFilters, count_by_type, search
from brug.search.tests.helpers import keys
from brug.search.text import token_stems, tokens

pytestmark = pytest.mark.django_db


def _named(corpus):
    return {
        "open_post": ("post", corpus.open_post.pk),
        "english_post": ("post", corpus.english_post.pk),
        "private_post": ("post", corpus.private_post.pk),
        "secret_post": ("post", corpus.secret_post.pk),
        "profile_post": ("post", corpus.profile_post.pk),
        "partner_post": ("post", corpus.partner_post.pk),
        "script_post": ("post", corpus.script_post.pk),
        "comment": ("comment", corpus.comment.pk),
        "file": ("file", corpus.attachment.pk),
        "space": ("space", corpus.space.pk),
        "private_space": ("space", corpus.private_space.pk),
        "secret_space": ("space", corpus.secret_space.pk),
        "partner_space": ("space", corpus.partner_space.pk),
    }


# (viewer fixture, query, expected hits by name). People are named by fixture.
EXPECTED = [
    ("member", "samenwerking", {"open_post", "private_post", "secret_post", "comment", "file"}),
    ("member", "samenwerkingen", {"open_post", "private_post", "secret_post", "comment", "file"}),
    ("member", "collaborating", {"english_post", "secret_post", "profile_post"}),
    ("member", "collaboration", {"english_post", "secret_post", "profile_post"}),
    ("member", "municipality handovers", {"english_post"}),
    ("member", "samenwerking collaboration", {"secret_post"}),
    ("member", "reorganisatie", {"secret_post", "secret_space"}),
    ("member", "teamleiders", {"private_space"}),
    ("member", "zorgteam", {"open_post", "@owner", "@member", "@moderator", "@community_manager"}),
    ("member", "beveiligingsbeleid", {"script_post"}),
    ("member", "wijkteams", {"file"}),
    ("outsider", "samenwerking", {"open_post", "comment", "file"}),
    ("outsider", "collaborating", {"english_post", "profile_post"}),
    ("outsider", "reorganisatie", set()),
    ("outsider", "teamleiders", {"private_space"}),
    ("stranger", "samenwerking", {"partner_post", "partner_space"}),
    ("stranger", "zorgteam", set()),
    ("guest", "samenwerking", {"private_post"}),
    ("guest", "collaborating", set()),
    ("guest", "zorgteam", {"@owner", "@member", "@moderator"}),
    ("community_manager", "samenwerking", {"open_post", "comment", "file"}),
    ("community_manager", "reorganisatie", set()),
    ("admin_user", "samenwerking", {"open_post", "comment", "file"}),
    ("admin_user", "reorganisatie", set()),
    ("admin_user", "teamleiders", {"private_space"}),
]


VIEWERS = sorted({viewer for viewer, _, _ in EXPECTED})


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_search_returns_exactly_the_expected_result_sets(request, corpus, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    names = _named(corpus)
    for name, q, expected in EXPECTED:
        if name != viewer_name:
            continue
        want = set()
        for item in expected:
            if item.startswith("@"):
                want.add(("person", request.getfixturevalue(item[1:]).pk))
            else:
                want.add(names[item])
        page = search(viewer=viewer, q=q, limit=50)
        assert keys(page.hits) == want, q
        counts = count_by_type(viewer=viewer, q=q)
        assert counts.total == len(want), q
        for kind, n in counts.counts.items():
            assert n == sum(1 for key in want if key[0] == kind), (q, kind)


def test_samenwerkingen_finds_samenwerking(corpus, member):
    corpus_keys = keys(search(viewer=member, q="samenwerkingen").hits)
    assert ("post", corpus.open_post.pk) in corpus_keys  # title and body say "samenwerking"


def test_collaborating_finds_collaboration(corpus, member):
    hits = search(viewer=member, q="collaborating").hits
    secret = next(hit for hit in hits if hit.id == corpus.secret_post.pk)
    assert "<mark>collaboration</mark>" in secret.snippet


def test_an_english_post_by_a_dutch_colleague_is_found_in_english_and_dutch_queries(corpus, member):
    assert keys(search(viewer=member, q="handover municipality").hits) == {
        ("post", corpus.english_post.pk)
    }
    # Mixed: a Dutch word and an English word in one query, both must match.
    assert ("post", corpus.secret_post.pk) in keys(
        search(viewer=member, q="afdelingen collaboration").hits
    )


def test_query_syntax_of_either_database_is_treated_as_words(corpus, member):
    for q in ['"OR" AND NEAR(', "samenw:* & ! |", "col* -x", "'; DROP TABLE x; --", "\\"]:
        search(viewer=member, q=q)
        count_by_type(viewer=member, q=q)


def test_a_query_of_only_stop_words_finds_nothing_without_asking_the_database(
    corpus, member, django_assert_num_queries
):
    with django_assert_num_queries(0):
        page = search(viewer=member, q="de het the is")
    assert page.hits == [] and page.terms == []


def test_boosted_documents_rank_first(corpus, member):
    def boost_english_post(documents):
        for document in documents:
            if document.kind == "post" and document.object_id == corpus.english_post.pk:
                document.boost = 1.0

    indexing.register_boost(boost_english_post)
    try:
        indexing.index_object(kind="post", pk=corpus.english_post.pk)
        hits = search(viewer=member, q="teams").hits
    finally:
        indexing._boost_providers.remove(boost_english_post)
    assert hits[0].id == corpus.english_post.pk and hits[0].type == "post"
    assert len(hits) > 1


def test_title_matches_rank_above_body_matches(corpus, member, space, run_jobs):
    posts.create_post(
        author=member, space=space, body="Een zin over wijkverpleging.", rate_limit=False
    )
    run_jobs()
    hits = search(viewer=member, q="wijkverpleging").hits
    assert hits[0].id == corpus.open_post.pk  # "wijkverpleging" in its title
    assert len(hits) == 2


def test_common_terms_rank_only_the_window_of_newest_matches(
    corpus, member, space, settings, run_jobs
):
    settings.BRUG_SEARCH_WINDOW = 3
    made = [
        posts.create_post(author=member, space=space, body=f"Overleg nummer {n}", rate_limit=False)
        for n in range(5)
    ]
    run_jobs()
    newest = {("post", post.pk) for post in made[-3:]}
    assert keys(search(viewer=member, q="overleg", limit=10).hits) == newest
    counts = count_by_type(viewer=member, q="overleg")
    assert counts.counts["post"] == 3 and counts.capped == {"post"}


def test_a_full_window_holds_the_newest_matches_of_every_kind_in_any_order_of_ids(
    corpus, member, space, settings, run_jobs
):
    """The window is the newest matches by id, whichever kinds hold the newest ids.

    On PostgreSQL it is merged from the posts' and comments' own walk and the
    small kinds' matches; people and spaces reindexed after the posts (``reindex
    --clear``) hold the newest ids, and posts reindexed after them do again.
    """
    from brug.spaces.actions import create_space

    settings.BRUG_SEARCH_WINDOW = 3
    made = [
        posts.create_post(author=member, space=space, body=f"Overleg nummer {n}", rate_limit=False)
        for n in range(4)
    ]
    team = create_space(creator=member, name="Overleg van de wijkteams")
    run_jobs()
    newest_posts = {("post", post.pk) for post in made}
    assert keys(search(viewer=member, q="overleg", limit=10).hits) == {
        ("space", team.pk),
        *sorted(newest_posts)[-2:],
    }
    indexing.reindex(kinds=["post"], clear=True)
    assert keys(search(viewer=member, q="overleg", limit=10).hits) == set(sorted(newest_posts)[-3:])
    indexing.reindex(kinds=["space"], clear=True)
    page = search(viewer=member, q="overleg", limit=10, with_counts=True)
    assert keys(page.hits) == {("space", team.pk), *sorted(newest_posts)[-2:]}
    # The counts do not depend on which kinds the window holds.
    assert page.counts.counts["space"] == 1 and page.counts.counts["post"] == 3
    assert page.counts == count_by_type(viewer=member, q="overleg")


def test_type_counts_stop_at_their_own_cap_below_the_window(
    corpus, member, space, settings, run_jobs
):
    settings.BRUG_SEARCH_COUNT_CAP = 2
    for n in range(4):
        posts.create_post(author=member, space=space, body=f"Overleg nummer {n}", rate_limit=False)
    run_jobs()
    assert len(search(viewer=member, q="overleg", limit=10).hits) == 4  # ranking is not capped
    counts = count_by_type(viewer=member, q="overleg")
    assert counts.counts["post"] == 2 and counts.capped == {"post"}
    settings.BRUG_SEARCH_COUNT_CAP = 100
    assert count_by_type(viewer=member, q="overleg").counts["post"] == 4


def test_pages_follow_each_other_without_overlap(corpus, member, space, run_jobs):
    for n in range(7):
        posts.create_post(author=member, space=space, body=f"Agenda punt {n}", rate_limit=False)
    run_jobs()
    first = search(viewer=member, q="agenda", limit=4)
    second = search(viewer=member, q="agenda", offset=first.next_offset, limit=4)
    assert first.next_offset == 4 and second.next_offset is None
    assert len(first.hits) == 4 and len(second.hits) == 3
    assert not keys(first.hits) & keys(second.hits)


def test_filters_narrow_by_type_space_person_team_and_date(
    corpus, member, owner, moderator, other_team
):
    def found(**filters):
        return keys(search(viewer=member, q="samenwerking", filters=SearchFilters(**filters)).hits)

    assert found(type="comment") == {("comment", corpus.comment.pk)}
    assert found(space_id=corpus.private_space.pk) == {("post", corpus.private_post.pk)}
    assert found(person_id=owner.pk) == {
        ("post", corpus.private_post.pk),
        ("post", corpus.secret_post.pk),
        ("file", corpus.attachment.pk),
    }
    assert found(person_id=moderator.pk) == {("comment", corpus.comment.pk)}
    assert found(team_id=other_team.pk) == set()
    today = timezone.localdate()
    assert len(found(after=today, before=today)) == 5
    assert found(before=today - datetime.timedelta(days=1)) == set()
    assert found(after=today + datetime.timedelta(days=1)) == set()
    # The extremes of the calendar are no bounds (and no overflow).
    assert len(found(after=datetime.date.min, before=datetime.date.max)) == 5


def test_team_filter_finds_the_team_and_what_its_people_wrote(corpus, member, team):
    found = keys(search(viewer=member, q="zorgteam", filters=SearchFilters(team_id=team.pk)).hits)
    assert ("post", corpus.open_post.pk) in found
    assert ("person", member.pk) in found


def test_stems_of_the_corpus_agree_with_the_database(corpus):
    """On PostgreSQL the database stems itself: its lexemes must be ours for these words."""
    words = sorted(
        set(
            tokens(
                " ".join(
                    [
                        corpus.open_post.title,
                        corpus.open_post.body,
                        corpus.english_post.title,
                        corpus.english_post.body,
                        corpus.private_post.body,
                        corpus.secret_post.body,
                        corpus.profile_post.body,
                        corpus.comment.body,
                        "samenwerkingen collaborating municipality handovers",
                    ]
                )
            )
        )
    )
    ours = {word: set(token_stems(word)) for word in words}
    assert ours["samenwerkingen"] == {"samenwerk", "samenwerkingen"}
    assert ours["collaboration"] == {"collaboration", "collabor"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, to_tsvector('dutch', w) || to_tsvector('english', w)"
                " FROM unnest(%s::text[]) AS w",
                [words],
            )
            theirs = {
                word: {lexeme.split(":")[0].strip("'") for lexeme in vector.split()}
                for word, vector in cursor.fetchall()
            }
        assert theirs == ours


def test_the_name_of_a_type_is_not_a_word_of_every_document_of_that_type(corpus, member):
    for word in ("post", "comment", "space", "person", "file"):
        assert count_by_type(viewer=member, q=word).total == 0, word


def test_type_counts_and_type_filters_agree_with_each_other(corpus, member):
    counts = count_by_type(viewer=member, q="samenwerking").counts
    for kind, count in counts.items():
        hits = search(viewer=member, q="samenwerking", filters=SearchFilters(type=kind)).hits
        assert len(hits) == count and {hit.type for hit in hits} <= {kind}


def test_a_long_prefix_finds_every_word_it_starts_whatever_the_expansion(
    corpus, member, space, settings, run_jobs, monkeypatch
):
    from brug.search.backends import SQLiteBackend

    words = ["projectleider", "projectplanning", "projecties", "projectmatig"]
    made = [
        posts.create_post(author=member, space=space, body=f"Over {word}", rate_limit=False)
        for word in words
    ]
    posts.create_post(author=member, space=space, body="Over projets", rate_limit=False)
    run_jobs()
    expected = {("post", post.pk) for post in made}
    for q in ("projec", "Projectle"):
        found = keys(search(viewer=member, q=q, limit=20).hits)
        assert found == (expected if q == "projec" else {("post", made[0].pk)}), q
    if connection.vendor == "sqlite":  # PostgreSQL's GIN index answers prefixes itself
        from brug.search.backends import get_backend
        from brug.search.text import parse_query

        (term,) = get_backend().expand(parse_query("projec"))
        assert not term.prefix
        assert len(term.stems) >= len(words)
        assert all(stem.startswith("projec") for stem in term.stems)
    # Past the expansion limit the prefix is left to FTS5 (slower, the same documents).
    monkeypatch.setattr(SQLiteBackend, "expansion_limit", 1)
    assert keys(search(viewer=member, q="projec", limit=20).hits) == expected
    assert count_by_type(viewer=member, q="projec").counts["post"] == len(words)


def test_a_new_word_is_found_by_its_long_prefix_as_soon_as_it_is_indexed(
    corpus, member, space, run_jobs
):
    post = posts.create_post(
        author=member, space=space, body="De kwartaalrapportage staat klaar", rate_limit=False
    )
    run_jobs()
    assert keys(search(viewer=member, q="kwartaalrapp").hits) == {("post", post.pk)}
    posts.edit_post(
        editor=member, post=post, body="Het jaarverslagconcept staat klaar", version=post.version
    )
    run_jobs()
    assert keys(search(viewer=member, q="jaarverslagcon").hits) == {("post", post.pk)}
    assert not search(viewer=member, q="kwartaalrapp").hits


def test_result_urls_are_the_reversed_urls(corpus, member):
    from django.urls import reverse

    for hit in search(viewer=member, q="samenwerking", limit=50).hits:
        if hit.type == "post":
            assert hit.url == reverse("posts:detail", args=[hit.id])
        elif hit.type == "comment":
            assert hit.url == reverse("posts:detail", args=[hit.document.post_id]) + (
                f"#comment-{hit.id}"
            )


@pytest.mark.parametrize("role", ["member", "outsider", "guest", "community_manager"])
def test_counts_that_come_with_the_results_are_the_counts_of_their_own_query(request, corpus, role):
    viewer = request.getfixturevalue(role)
    for q in ("samenwerking", "collaborating", "geen-enkele-treffer"):
        for kind in ("", "post", "space"):
            filters = SearchFilters(type=kind or None)
            page = search(viewer=viewer, q=q, filters=filters, with_counts=True)
            assert page.counts == count_by_type(viewer=viewer, q=q, filters=filters), (q, kind)
    # Past the last result the page is empty: the counts still come (from a query of their own).
    page = search(viewer=viewer, q="samenwerking", offset=40, with_counts=True)
    assert page.counts == count_by_type(viewer=viewer, q="samenwerking")


def test_hits_carry_their_authors_people_spaces_and_posts_field_by_field(corpus, member):
    """Each related row is read field by field: every field lands on its own attribute."""
    from brug.people.models import User
    from brug.posts.models import Post
    from brug.spaces.models import Space

    hits = search(viewer=member, q="samenwerking", limit=50).hits
    people = search(viewer=member, q="olga", filters=SearchFilters(type="person")).hits
    assert hits and people
    for hit in [*hits, *people]:
        for attribute, model, fields in (
            ("author", User, ("name", "handle", "function", "email")),
            ("person", User, ("name", "handle", "function", "email")),
            ("space", Space, ("name", "slug", "visibility", "member_count")),
            ("post", Post, ("kind", "title")),
        ):
            related = getattr(hit, attribute)
            if related is None:
                continue
            stored = model.objects.get(pk=related.pk)
            for name in fields:
                assert getattr(related, name) == getattr(stored, name), (attribute, name)
            if attribute == "post":  # the start of its body, beside the fields
                assert related.body_start == stored.body[: statements.BODY_START]
                assert "body" in related.get_deferred_fields()


def test_a_reply_to_a_long_post_reads_only_the_start_of_its_body(corpus, member, space, run_jobs):
    body = "Opening over de wijkgesprekken. " + "Verdere uitleg volgt hier. " * 200
    post = posts.create_post(author=member, space=space, body=body, rate_limit=False)
    posts.create_comment(
        author=member, post=post, body="Een reactie over het kwispeldossier.", rate_limit=False
    )
    run_jobs()
    (hit,) = search(viewer=member, q="kwispeldossier").hits
    assert hit.type == "comment" and hit.post.pk == post.pk
    assert hit.post.body_start == body[: statements.BODY_START]
    assert "body" in hit.post.get_deferred_fields()  # never a shortened body to save
    # The title it shows is the same as from the whole body.
    assert hit.plain_title == Truncator(" ".join(body.split())).chars(80)


def test_counts_with_the_results_count_past_a_full_window(
    corpus, member, space, settings, run_jobs, django_assert_max_num_queries
):
    """A kind outside a full window of newest matches is still counted.

    PostgreSQL counts from the window itself; a kind with fewer than ``cap``
    matches in a full window is counted again, past the window.
    """
    from brug.spaces.actions import create_space

    settings.BRUG_SEARCH_WINDOW = 3
    create_space(creator=member, name="Overleg van de wijkteams")  # the oldest match
    for n in range(5):
        posts.create_post(author=member, space=space, body=f"Overleg nummer {n}", rate_limit=False)
    run_jobs()
    page = search(viewer=member, q="overleg", with_counts=True)
    assert {hit.type for hit in page.hits} == {"post"}  # the window: the 3 newest posts
    assert page.counts == count_by_type(viewer=member, q="overleg")
    assert page.counts.counts["space"] == 1
    assert page.counts.counts["post"] == 3 and page.counts.capped == {"post"}
    # A window that is not full holds every match: counted exactly, up to the cap.
    settings.BRUG_SEARCH_WINDOW = 100
    settings.BRUG_SEARCH_COUNT_CAP = 4
    page = search(viewer=member, q="overleg", with_counts=True)
    assert page.counts == count_by_type(viewer=member, q="overleg")
    assert page.counts.counts["post"] == 4 and page.counts.capped == {"post"}
    assert page.counts.counts["space"] == 1
    # The viewer's memberships, the search (and on SQLite the long last word's vocabulary).
    with django_assert_max_num_queries(2 + (connection.vendor == "sqlite")):
        search(viewer=member, q="overleg", with_counts=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Kort",
        "x" * 80,
        "y" * 81,
        "Een lange reactie over het rooster van de komende weken, met de vraag wie wil ruilen.",
        "Een lange reactie met e\u0301e\u0301n combinerend teken " * 5,
        "Café ☕ en crème brûlée voor het hele team, vrijdagmiddag om vier uur in de kantine!",
        "e\u0301" * 79,
        "a" * 79 + "e\u0301",
        "x" * 79 + "\u0f43",  # NFC splits it in two characters, neither combining
        "\u0f43" * 50,
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_titles_are_shortened_exactly_as_truncator_shortens_them(text, language):
    from django.utils import translation

    from brug.search.queries import TITLE_LENGTH, _shortened

    with translation.override(language):
        assert _shortened(text) == Truncator(text).chars(TITLE_LENGTH)


def test_hits_are_the_instances_from_db_would_make(corpus, member):
    """``statements._instance`` makes what ``Model.from_db`` makes, without its ``__init__``."""
    from django.db.models import signals

    from brug.search.models import SearchDocument

    (hit, *_) = search(viewer=member, q="samenwerking").hits
    for instance in (hit.document, hit.space, hit.author, hit.post):
        if instance is None:
            continue
        model = type(instance)
        names = tuple(
            f.attname for f in model._meta.concrete_fields if f.attname in instance.__dict__
        )
        made = model.from_db(connection.alias, names, [instance.__dict__[n] for n in names])
        own = {k: v for k, v in instance.__dict__.items() if k in names or k == "_state"}
        assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
            k: v for k, v in own.items() if k != "_state"
        }
        assert instance.get_deferred_fields() == made.get_deferred_fields()
        assert (instance._state.adding, instance._state.db) == (False, connection.alias)
    # A deferred field still loads on access.
    assert "stems" in hit.document.get_deferred_fields()
    stored = SearchDocument.objects.get(pk=hit.document.pk)
    assert hit.document.stems == stored.stems and hit.document.title_stems == stored.title_stems
    # With an init receiver, instances go through from_db, and the receiver sees them.
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=type(hit.document))
    try:
        (again, *_) = search(viewer=member, q="samenwerking").hits
    finally:
        signals.post_init.disconnect(receiver, sender=type(hit.document))
    assert again.document in seen


def _relevance(title_stems: str, body_stems: str, terms) -> float:
    """What ``relevance_sql`` computes, in Python."""
    from brug.search.backends import AVERAGE_TOKENS, K1, TITLE_WEIGHT, B

    title, body = title_stems.split(), body_stems.split()
    norm = K1 * (1 - B + B * (len(title) + len(body)) / AVERAGE_TOKENS)
    total = 0.0
    for term in terms:
        prefix = term.prefix or bool(term.expanded_from)
        stems = term.expanded_from or term.stems

        def count(tokens, stems=stems, prefix=prefix):
            # Each token once, if it matches the term (as ``Term.matches``).
            if prefix:
                return sum(any(t.startswith(s) for s in stems) for t in tokens)
            return sum(t in stems for t in tokens)

        tf = TITLE_WEIGHT * count(title) + count(body)
        total += (K1 + 1) / (1 + norm / tf) if tf else 0.0
    return total


@pytest.mark.django_db
def test_relevance_in_sql_is_bm25_without_document_frequency():
    """The SQL relevance counts whole tokens (and prefixes), twice in a row too."""
    import random

    from brug.search.backends import relevance_sql, spaced_sql, tokens_sql
    from brug.search.text import Term

    vocabulary = ["samenwerk", "samenwerking", "project", "projectplan", "team", "a", "rooster"]
    queries = [
        [Term("project", ("project",), ("dutch", "english"))],
        [Term("samenwerking", ("samenwerk", "samenwerking"), ("dutch", "english"))],
        [Term("samen", ("samen",), ("dutch", "english"), prefix=True)],
        [Term("samenwerking", ("samenwerk", "samenwerking"), ("dutch",), prefix=True)],
        [
            Term("team", ("team",), ("dutch", "english")),
            Term("proj", ("project", "projectplan"), ("dutch",), expanded_from=("proj",)),
        ],
    ]
    rng = random.Random(6)
    rows = [("", "")] + [
        (
            " ".join(rng.choices(vocabulary, k=rng.randrange(0, 3))),
            " ".join(rng.choices(vocabulary, k=rng.randrange(1, 60))),
        )
        for _ in range(40)
    ]
    title, body = "d.title_stems", "d.stems"
    for terms in queries:
        sql, params = relevance_sql(
            spaced_sql(title), spaced_sql(body), tokens_sql(title, body), terms
        )
        with connection.cursor() as cursor:
            for title_stems, body_stems in rows:
                cursor.execute(
                    f"SELECT {sql} FROM (SELECT %s AS title_stems, %s AS stems) d",  # noqa: S608
                    [*params, title_stems, body_stems],
                )
                found = float(cursor.fetchone()[0])
                expected = _relevance(title_stems, body_stems, terms)
                assert found == pytest.approx(expected), (terms, title_stems, body_stems)
    # As BM25: more occurrences rank higher, a title's weigh more, a longer text less.
    project = queries[0]
    assert _relevance("", "project team project", project) > _relevance(
        "", "project team a", project
    )
    assert _relevance("project", "team", project) > _relevance("team", "project", project)
    assert _relevance("", "project " + "a " * 5, project) > _relevance(
        "", "project " + "a " * 50, project
    )
