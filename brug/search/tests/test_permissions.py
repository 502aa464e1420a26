"""The permission matrix of DESIGN.md through search: hits, counts, snippets, people, autocomplete."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from brug.permissions.people import filter_visible_people
from brug.permissions.posts import filter_visible_comments, filter_visible_posts
from brug.permissions.search import visible_documents_condition
from brug.permissions.spaces import filter_visible_spaces
from brug.posts import actions as posts
from brug.search.models import SearchDocument
from brug.search.queries import count_by_type, search, search_people
from brug.search.tests.helpers import ROLES, keys
from brug.spaces.actions import _add_membership, _remove_membership

pytestmark = pytest.mark.django_db

SECRET_WORDS = "geheime afdelingen"  # only in the secret space's post
PRIVATE_WORDS = "leveranciers herzien"  # only in the private space's post


@pytest.mark.parametrize("role", ROLES)
def test_visible_documents_agree_with_the_permission_module(request, corpus, role):
    """Every document a viewer may find is one the pages would show them, and vice versa."""
    viewer = request.getfixturevalue(role)
    found = SearchDocument.objects.filter(visible_documents_condition(viewer))
    expected = (
        {("post", pk) for pk in filter_visible_posts(viewer).values_list("pk", flat=True)}
        | {("comment", pk) for pk in filter_visible_comments(viewer).values_list("pk", flat=True)}
        | {("space", pk) for pk in filter_visible_spaces(viewer).values_list("pk", flat=True)}
        | {("person", pk) for pk in filter_visible_people(viewer).values_list("pk", flat=True)}
    )
    indexed = set(SearchDocument.objects.values_list("kind", "object_id"))
    assert {(d.kind, d.object_id) for d in found if d.kind != "file"} == expected & indexed
    files = {d.post_id for d in found if d.kind == "file"}
    assert files <= set(filter_visible_posts(viewer).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("role", "sees_private", "sees_secret"),
    [
        ("member", True, True),
        ("moderator", True, True),
        ("owner", True, True),
        ("guest", True, False),  # a member of the private space only
        ("outsider", False, False),
        ("community_manager", False, False),
        ("admin_user", False, False),
        ("stranger", False, False),
    ],
)
def test_content_of_private_and_secret_spaces_reaches_only_their_members(
    request, corpus, role, sees_private, sees_secret
):
    viewer = request.getfixturevalue(role)
    for q, post, allowed in (
        (PRIVATE_WORDS, corpus.private_post, sees_private),
        (SECRET_WORDS, corpus.secret_post, sees_secret),
    ):
        page = search(viewer=viewer, q=q)
        assert (("post", post.pk) in keys(page.hits)) is allowed, q
        assert count_by_type(viewer=viewer, q=q).counts["post"] == (1 if allowed else 0)
        # No snippet of anything else gives the words away either.
        broad = search(viewer=viewer, q="samenwerking", limit=50)
        if not allowed:
            assert all(q.split()[0] not in str(hit.snippet).lower() for hit in broad.hits)


@pytest.mark.parametrize(
    ("role", "sees_private_name", "sees_secret_name"),
    [
        ("member", True, True),
        ("outsider", True, False),  # may ask to join: sees the name, reads nothing
        ("community_manager", True, False),
        ("admin_user", True, False),  # admins see secret spaces in the admin only
        ("guest", True, False),
        ("stranger", False, False),
    ],
)
def test_space_names_are_found_only_where_the_viewer_may_see_the_space(
    request, corpus, role, sees_private_name, sees_secret_name
):
    viewer = request.getfixturevalue(role)
    private = search(viewer=viewer, q="teamleiders").hits
    secret = search(viewer=viewer, q="reorganisatie", filters=None).hits
    assert (("space", corpus.private_space.pk) in keys(private)) is sees_private_name
    assert (("space", corpus.secret_space.pk) in keys(secret)) is sees_secret_name
    assert count_by_type(viewer=viewer, q="teamleiders").counts["space"] == int(sees_private_name)


def test_profile_posts_are_found_by_the_organisation_but_never_by_guests(
    corpus, outsider, guest, stranger
):
    profile = ("post", corpus.profile_post.pk)
    assert profile in keys(search(viewer=outsider, q="onboarding checklist").hits)
    assert profile not in keys(search(viewer=guest, q="onboarding checklist").hits)
    assert profile not in keys(search(viewer=stranger, q="onboarding checklist").hits)


def test_guests_find_only_their_co_members_and_members_their_organisation(
    corpus, member, guest, stranger, outsider, owner
):
    def people(viewer, q):
        return {hit.id for hit in search(viewer=viewer, q=q).hits if hit.type == "person"}

    assert people(guest, "otto outsider") == set()
    assert people(guest, "olga") == {owner.pk}
    assert people(member, "otto") == {outsider.pk}
    assert people(member, "stan stranger") == set()
    assert people(stranger, "sanne") == set()


def test_people_picker_uses_the_same_rules(corpus, member, guest, outsider, owner, moderator):
    assert [p.pk for p in search_people(viewer=member, q="ott")] == [outsider.pk]
    assert search_people(viewer=guest, q="ott") == []
    found = {p.pk for p in search_people(viewer=guest, q="o")}
    assert owner.pk in found and outsider.pk not in found
    assert moderator.pk in {p.pk for p in search_people(viewer=guest, q="mo der")}


def test_mention_autocomplete_offers_only_readers_of_the_space(
    corpus, member, outsider, guest, owner, stranger
):
    readers = {p.pk for p in search_people(viewer=member, q="o", space=corpus.private_space)}
    assert owner.pk in readers and outsider.pk not in readers
    assert guest.pk in {
        p.pk for p in search_people(viewer=member, q="gina", space=corpus.private_space)
    }
    # The open space is read by the whole organisation, never by guests outside it.
    assert outsider.pk in {p.pk for p in search_people(viewer=member, q="otto", space=corpus.space)}
    assert search_people(viewer=member, q="gina", space=corpus.space) == []
    with pytest.raises(PermissionDenied):
        search_people(viewer=outsider, q="o", space=corpus.private_space)
    with pytest.raises(Http404):
        search_people(viewer=outsider, q="o", space=corpus.secret_space)
    with pytest.raises(Http404):
        search_people(viewer=stranger, q="o", space=corpus.private_space)


def test_joining_and_leaving_a_space_changes_results_at_once_without_reindexing(
    corpus, outsider, member
):
    private = ("post", corpus.private_post.pk)
    assert private not in keys(search(viewer=outsider, q=PRIVATE_WORDS).hits)
    _add_membership(space=corpus.private_space, person=outsider)
    assert private in keys(search(viewer=outsider, q=PRIVATE_WORDS).hits)
    _remove_membership(space=corpus.secret_space, person=member)
    assert ("post", corpus.secret_post.pk) not in keys(search(viewer=member, q=SECRET_WORDS).hits)
    assert ("space", corpus.secret_space.pk) not in keys(
        search(viewer=member, q="reorganisatie").hits
    )


def test_a_deleted_post_is_not_found_even_before_its_index_job_ran(corpus, member):
    posts.delete_post(actor=member, post=corpus.open_post)  # jobs not run
    found = keys(search(viewer=member, q="wijkverpleging").hits)
    assert ("post", corpus.open_post.pk) not in found
    assert ("comment", corpus.comment.pk) not in found


def test_anonymous_user_finds_nothing(corpus):
    from django.contrib.auth.models import AnonymousUser

    assert search(viewer=AnonymousUser(), q="samenwerking").hits == []
    assert count_by_type(viewer=AnonymousUser(), q="samenwerking").total == 0


def test_a_deleted_comment_is_not_found_even_before_its_index_job_ran(corpus, member, owner):
    from brug.search.models import SearchDocument

    assert SearchDocument.objects.filter(kind="comment", object_id=corpus.comment.pk).exists()
    posts.delete_comment(actor=corpus.comment.author, comment=corpus.comment)  # jobs not run
    assert not SearchDocument.objects.filter(comment_id=corpus.comment.pk).exists()
    found = keys(search(viewer=owner, q="wijkverpleging").hits)
    assert ("comment", corpus.comment.pk) not in found
    assert ("post", corpus.open_post.pk) in found  # the post stays


def test_indexing_a_deleted_post_again_writes_nothing_back(corpus, member, run_jobs):
    from brug.search.indexing import index_object, reindex
    from brug.search.models import SearchDocument

    posts.delete_post(actor=member, post=corpus.open_post)
    index_object(kind="post", pk=corpus.open_post.pk)
    index_object(kind="comment", pk=corpus.comment.pk)
    reindex(kinds=["post", "comment", "file"])
    assert not SearchDocument.objects.filter(post_id=corpus.open_post.pk).exists()
