"""Keeping the index current: jobs after writes, deletes, reindex, anonymity."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from brug.core import jobs
from brug.people import actions as people
from brug.posts import actions as posts
from brug.posts.models import Post
from brug.search import indexing
from brug.search.models import SearchDocument
from brug.search.queries import SearchFilters, search
from brug.search.tests.helpers import keys
from brug.spaces.actions import update_space

pytestmark = pytest.mark.django_db


def _found(viewer, q, **filters):
    return keys(search(viewer=viewer, q=q, filters=SearchFilters(**filters), limit=50).hits)


def test_a_new_post_is_found_once_its_job_ran(member, space):
    post = posts.create_post(
        author=member, space=space, body="Kennisdeling over dementiezorg", rate_limit=False
    )
    assert _found(member, "dementiezorg") == set()
    jobs.run_pending()
    assert _found(member, "dementiezorg") == {("post", post.pk)}


def test_a_rolled_back_write_leaves_no_index_job(member, space):
    with pytest.raises(RuntimeError), transaction.atomic():
        posts.create_post(author=member, space=space, body="Teruggedraaid", rate_limit=False)
        raise RuntimeError
    jobs.run_pending()
    assert not SearchDocument.objects.filter(kind="post").exists()


def test_an_edit_is_reflected_after_its_job(corpus, member):
    post = Post.objects.get(pk=corpus.open_post.pk)
    posts.edit_post(
        editor=member, post=post, body="Nu over mantelzorgers.", title="Mantelzorg", version=1
    )
    jobs.run_pending()
    assert ("post", post.pk) in _found(member, "mantelzorgers")
    assert ("post", post.pk) not in _found(member, "wijkverpleging")


def test_deleting_a_post_removes_it_its_comments_and_its_files(corpus, owner, member):
    posts.delete_post(actor=owner, post=Post.objects.get(pk=corpus.english_post.pk))
    posts.delete_post(actor=member, post=Post.objects.get(pk=corpus.open_post.pk))
    jobs.run_pending()
    assert not SearchDocument.objects.filter(post_id=corpus.english_post.pk).exists()
    assert not SearchDocument.objects.filter(post_id=corpus.open_post.pk).exists()
    assert _found(member, "samenwerkingsplan") == set()


def test_a_comment_edit_and_delete_are_reflected(corpus, moderator, member):
    comment = corpus.comment
    posts.edit_comment(editor=moderator, comment=comment, body="Ik bel de huisarts.", version=1)
    jobs.run_pending()
    assert _found(member, "huisarts") == {("comment", comment.pk)}
    posts.delete_comment(actor=moderator, comment=comment)
    jobs.run_pending()
    assert _found(member, "huisarts") == set()
    assert not SearchDocument.objects.filter(kind="comment", object_id=comment.pk).exists()


def test_a_file_on_a_comment_is_indexed_with_the_comment(corpus, member):
    upload = SimpleUploadedFile("Dienstrooster.txt", b"rooster\n", content_type="text/plain")
    attachment = posts.add_attachment(uploader=member, upload=upload, rate_limit=False)
    posts.create_comment(
        author=member,
        post=corpus.open_post,
        body="Zie bijlage",
        attachments=[attachment],
        rate_limit=False,
    )
    jobs.run_pending()
    assert _found(member, "dienstrooster") == {("file", attachment.pk)}


def test_a_renamed_space_is_found_by_its_new_name(corpus, owner, member):
    update_space(by=owner, space=corpus.space, name="Privacy en security")
    jobs.run_pending()
    assert ("space", corpus.space.pk) in _found(member, "privacy security")
    assert ("space", corpus.space.pk) not in _found(member, "informatiebeveiliging")


def test_a_profile_change_is_found(corpus, member, outsider):
    people.update_profile(
        person=member,
        by=member,
        function="Wijkverpleegkundige",
        expertise=["Wondzorg"],
        languages=["de"],
    )
    jobs.run_pending()
    assert ("person", member.pk) in _found(outsider, "wondzorg")
    assert ("person", member.pk) in _found(outsider, "wijkverpleegkundige")
    # Languages are found by their Dutch and English names.
    assert ("person", member.pk) in _found(outsider, "duits")
    assert ("person", member.pk) in _found(outsider, "german")


def test_a_deactivated_person_is_no_longer_found(corpus, member, outsider):
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert ("person", member.pk) not in _found(outsider, "sanne")  # at once: checked live
    indexing.index_object(kind="person", pk=member.pk)
    assert not SearchDocument.objects.filter(kind="person", object_id=member.pk).exists()


def test_anonymous_posts_and_their_files_carry_no_author(corpus, owner, member):
    Post.objects.filter(pk=corpus.english_post.pk).update(author=None)
    indexing.index_object(kind="post", pk=corpus.english_post.pk)
    documents = SearchDocument.objects.filter(post_id=corpus.english_post.pk)
    assert documents.count() == 2
    assert all(document.author_id is None for document in documents)
    # Filtering by the uploader does not reveal who asked.
    assert _found(member, "samenwerkingsplan", person_id=owner.pk) == set()
    hit = search(viewer=member, q="collaborating across").hits[0]
    assert hit.anonymous and hit.author is None


def test_running_an_index_job_twice_leaves_one_document(corpus):
    for _ in range(2):
        indexing.index_object(kind="post", pk=corpus.open_post.pk)
    assert SearchDocument.objects.filter(kind="post", object_id=corpus.open_post.pk).count() == 1


def test_schedule_index_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="Unknown search document kind"):
        indexing.schedule_index(kind="reaction", pk=1)


def test_reindex_rebuilds_everything_and_sweeps_documents_of_vanished_objects(corpus, member):
    before = set(SearchDocument.objects.values_list("kind", "object_id"))
    SearchDocument.objects.filter(kind="post").delete()
    stale = SearchDocument.objects.create(kind="post", object_id=999_999, title="Verdwenen")
    written = indexing.reindex(batch_size=2)
    after = set(SearchDocument.objects.values_list("kind", "object_id"))
    # Spaces made by migrations (the "Durf te vragen" spaces) join the index too.
    assert before <= after
    assert ("post", stale.object_id) not in after
    assert written == len(after)
    assert ("post", corpus.open_post.pk) in _found(member, "samenwerking")


def test_brug_search_reindex_reports_what_it_wrote(corpus):
    out = io.StringIO()
    call_command("search", "reindex", "--batch-size", "3", "--no-progress", stdout=out)
    assert f"Indexed {SearchDocument.objects.count()} documents" in out.getvalue()


def test_brug_search_reindex_can_start_from_an_empty_index(corpus, member):
    out = io.StringIO()
    call_command("search", "reindex", "--clear", "--no-progress", stdout=out)
    assert ("post", corpus.open_post.pk) in _found(member, "samenwerking")
