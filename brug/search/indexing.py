"""Keeping the search index current.

Writers call ``schedule_index(kind=..., pk=...)`` inside their transaction
whenever a post, comment, space or person is created, edited or deleted
(``kind`` is "post", "comment", "space", "person" or "file"). That enqueues
the job ``brug.search.tasks.index_object``, which commits or rolls back with
the write. The job is idempotent: it reads the object as it is *then* and
writes (or removes) its document, so running it twice, late or out of order
leaves the same index.

* A post also (re)indexes its files, and carries its space to the documents
  of its comments and files; deleting a post removes them all.
* A comment also (re)indexes its files.
* Membership changes need no reindex: who may find a document is decided at
  query time from live memberships (``brug.permissions.search``). Renaming a
  team or organisation shows in people's documents at their next profile
  change or reindex.
* ``reindex()`` (``brug search reindex``) rebuilds every document in batches.

Anonymity: an anonymous post has ``author = NULL`` and so has its document;
a file's author is the author of the post or comment it hangs on, never the
uploader, so an anonymous question's attachment cannot name the asker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from brug.search.enums import DocumentKind
from brug.search.models import SearchDocument
from brug.search.text import stems

KINDS = frozenset(DocumentKind.values)
_ALIASES = {"attachment": "file", "user": "person", "profile": "person"}
_TAG = re.compile(r"<[^>]*>")
_FIELDS = [
    "space_id",
    "post_id",
    "comment_id",
    "attachment_id",
    "person_id",
    "organisation_id",
    "author_id",
    "created_at",
    "indexed_at",
    "boost",
    "title",
    "text",
    "title_stems",
    "stems",
]

# Boost providers: functions receiving a batch of unsaved documents that set
# ``document.boost`` in place (a higher boost always ranks first). The
# questions app registers one so that questions with an accepted answer come
# first, and calls ``schedule_index(kind="post", pk=question_id)`` after an
# accept so the new boost is written.
_boost_providers: list[Callable[[list[SearchDocument]], None]] = []


def register_boost(provider: Callable[[list[SearchDocument]], None]) -> None:
    """Register a function that sets ``boost`` on documents before they are saved."""
    if provider not in _boost_providers:
        _boost_providers.append(provider)


def canonical_kind(kind: str) -> str:
    kind = _ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(f"Unknown search document kind: {kind!r}")
    return kind


def schedule_index(*, kind: str, pk: int) -> None:
    """Arrange for one object to be (re)indexed or removed from the index.

    Call it inside the write's transaction: the job is a row in the same
    database and commits or rolls back with the write.
    """
    from brug.core import jobs
    from brug.search.tasks import index_object

    jobs.enqueue(index_object, kind=canonical_kind(kind), pk=int(pk))


def unindex_now(*, kind: str, pk: int) -> None:
    """Remove a deleted post's or comment's documents now, in the caller's transaction.

    Deleting actions call it next to ``schedule_index``: the documents (a
    post's own, its comments' and its files'; a comment's own and its files')
    are gone when the delete commits, so search's permission condition does
    not need to look up every matching post and comment to check
    ``is_deleted`` (that join made the type counts ~15x slower on
    PostgreSQL at a million documents). The job removes them again, which
    also covers an index job that read the object just before the delete.
    """
    kind = canonical_kind(kind)
    if kind == DocumentKind.POST:
        SearchDocument.objects.filter(
            Q(post_id=pk) | Q(kind=DocumentKind.POST, object_id=pk)
        ).delete()
    elif kind == DocumentKind.COMMENT:
        SearchDocument.objects.filter(
            Q(comment_id=pk) | Q(kind=DocumentKind.COMMENT, object_id=pk)
        ).delete()
    else:
        raise ValueError(f"Only posts and comments are deleted this way, not {kind!r}")


# Plain text ------------------------------------------------------------------


def plain_text(body_html: str, body: str) -> str:
    """Return the text of a rendered post or comment (tags dropped, entities decoded)."""
    if body_html:
        return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())
    return " ".join((body or "").split())


def _document(kind: str, object_id: int, *, title: str, text: str, **fields) -> SearchDocument:
    title = (title or "")[:300]
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        title=title,
        text=text or "",
        title_stems=stems(title),
        stems=stems(text or ""),
        indexed_at=timezone.now(),
        **fields,
    )


# Building documents ------------------------------------------------------------


def _post_documents(posts: Iterable) -> list[SearchDocument]:
    return [
        _document(
            DocumentKind.POST,
            post.pk,
            title=post.title,
            text=plain_text(post.body_html, post.body),
            space_id=post.space_id,
            post_id=post.pk,
            organisation_id=post.organisation_id,
            author_id=post.author_id,
            created_at=post.created_at,
        )
        for post in posts
        if not post.is_deleted
    ]


def _comment_documents(comments: Iterable) -> list[SearchDocument]:
    return [
        _document(
            DocumentKind.COMMENT,
            comment.pk,
            title="",
            text=plain_text(comment.body_html, comment.body),
            space_id=comment.post.space_id,
            post_id=comment.post_id,
            comment_id=comment.pk,
            organisation_id=comment.post.organisation_id,
            author_id=comment.author_id,
            created_at=comment.created_at,
        )
        for comment in comments
        if not comment.is_deleted and not comment.post.is_deleted
    ]


def _file_documents(attachments: Iterable) -> list[SearchDocument]:
    documents = []
    for attachment in attachments:
        comment = attachment.comment
        post = comment.post if comment is not None else attachment.post
        if post is None or post.is_deleted or (comment is not None and comment.is_deleted):
            continue
        documents.append(
            _document(
                DocumentKind.FILE,
                attachment.pk,
                title=attachment.name,
                text="",
                space_id=post.space_id,
                post_id=post.pk,
                comment_id=comment.pk if comment is not None else None,
                attachment_id=attachment.pk,
                organisation_id=post.organisation_id,
                # The post's or comment's author, never the uploader (anonymity).
                author_id=comment.author_id if comment is not None else post.author_id,
                created_at=attachment.created_at,
            )
        )
    return documents


def _space_documents(spaces: Iterable) -> list[SearchDocument]:
    return [
        _document(
            DocumentKind.SPACE,
            space.pk,
            title=space.name,
            text=space.description,
            space_id=space.pk,
            organisation_id=space.organisation_id,
            created_at=space.created_at,
        )
        for space in spaces
    ]


def _language_names(codes: Iterable[str]) -> list[str]:
    from brug.people.enums import SPOKEN_LANGUAGES

    names = []
    for code in codes or ():
        label = SPOKEN_LANGUAGES.get(code)
        if label is None:
            continue
        for language in ("nl", "en"):
            with translation.override(language):
                names.append(str(label))
    return names


def person_text(person) -> str:
    """The searchable profile: handle, function, team, organisation, expertise, languages."""
    parts = [
        person.handle,
        person.function,
        person.team.name if person.team_id else "",
        person.organisation.name,
        person.location,
        person.ask_me_about,
        " ".join(expertise.name for expertise in person.expertise.all()),
        " ".join(dict.fromkeys(_language_names(person.languages))),
        person.bio,
    ]
    return " · ".join(part for part in parts if part)


def _person_documents(people: Iterable) -> list[SearchDocument]:
    return [
        _document(
            DocumentKind.PERSON,
            person.pk,
            title=person.name,
            text=person_text(person),
            person_id=person.pk,
            organisation_id=person.organisation_id,
            created_at=person.date_joined,
        )
        for person in people
        if person.is_active
    ]


# Querysets per kind (shared by the job and the reindex) -------------------------


def _posts():
    from brug.posts.models import Post

    return Post.objects.all()


def _comments():
    from brug.posts.models import Comment

    return Comment.objects.select_related("post")


def _attachments():
    from brug.posts.models import Attachment

    return Attachment.objects.select_related("post", "comment__post").filter(
        Q(post__isnull=False) | Q(comment__isnull=False)
    )


def _spaces():
    from brug.spaces.models import Space

    return Space.objects.all()


def _people():
    from brug.people.models import User

    return User.objects.select_related("team", "organisation").prefetch_related("expertise")


_SOURCES: dict[str, tuple[Callable, Callable]] = {
    DocumentKind.POST: (_posts, _post_documents),
    DocumentKind.COMMENT: (_comments, _comment_documents),
    DocumentKind.FILE: (_attachments, _file_documents),
    DocumentKind.SPACE: (_spaces, _space_documents),
    DocumentKind.PERSON: (_people, _person_documents),
}


# Writing -------------------------------------------------------------------------


def save_documents(documents: list[SearchDocument]) -> None:
    """Insert or update documents (by kind and object id) and their full-text entries."""
    if not documents:
        return
    from brug.search.backends import get_backend

    for provider in _boost_providers:
        provider(documents)
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["object_id", "kind"],
        update_fields=_FIELDS,
    )
    get_backend().write_vectors(documents)


def _replace(kind: str, ids: list[int], documents: list[SearchDocument]) -> None:
    """Write ``documents`` and drop the documents of ``ids`` that no longer qualify."""
    kept = {document.object_id for document in documents}
    gone = [pk for pk in ids if pk not in kept]
    if gone:
        SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()
    save_documents(documents)


def index_object(*, kind: str, pk: int) -> None:
    """(Re)index one object now, or remove it when it is gone, deleted or inactive.

    A post or comment is read under a row lock, inside the transaction that
    writes its documents: a delete (which removes the documents at once,
    ``unindex_now``) either waits for this write or is seen by it, so a
    deleted post is never written back. (SQLite serialises writing
    transactions anyway.)
    """
    kind = canonical_kind(kind)
    queryset, build = _SOURCES[kind]
    with transaction.atomic():
        selected = queryset().filter(pk=pk)
        if kind == DocumentKind.POST:
            selected = selected.select_for_update()
        elif kind == DocumentKind.COMMENT:
            selected = selected.select_for_update(of=("self", "post"))
        objects = list(selected)
        if kind == DocumentKind.POST:
            _index_post(pk, objects)
            return
        documents = build(objects)
        _replace(kind, [pk], documents)
        if kind == DocumentKind.COMMENT and documents:
            _index_files(_attachments().filter(comment_id=pk))


def _sweep_deleted(object_ids: list[int], kind: str) -> None:
    """Drop documents just written whose post or comment was deleted meanwhile (reindex)."""
    SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).filter(
        Q(post__is_deleted=True) | Q(comment__is_deleted=True)
    ).delete()


def _index_post(pk: int, posts: list) -> None:
    documents = _post_documents(posts)
    if not documents:
        # Deleted: the post, its comments and its files leave the index.
        SearchDocument.objects.filter(
            Q(post_id=pk) | Q(kind=DocumentKind.POST, object_id=pk)
        ).delete()
        return
    post = posts[0]
    save_documents(documents)
    # The space (and organisation) of a post's comments and files follow the post.
    SearchDocument.objects.filter(post_id=pk).exclude(kind=DocumentKind.POST).update(
        space_id=post.space_id, organisation_id=post.organisation_id
    )
    _index_files(_attachments().filter(post_id=pk))


def _index_files(attachments) -> None:
    attachments = list(attachments)
    _replace(DocumentKind.FILE, [a.pk for a in attachments], _file_documents(attachments))


# Reindex -------------------------------------------------------------------------


def count_sources(*, kinds: Iterable[str] | None = None) -> int:
    """How many objects ``reindex`` reads (for its progress bar)."""
    selected = [canonical_kind(kind) for kind in kinds] if kinds else list(_SOURCES)
    return sum(_SOURCES[kind][0]().count() for kind in selected)


def _batches(queryset, size: int) -> Iterator[list]:
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def reindex(
    *,
    kinds: Iterable[str] | None = None,
    batch_size: int = 500,
    clear: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the documents of every object, oldest first, in batches; return how many.

    Documents are upserted, so search keeps working meanwhile; documents whose
    object is gone are swept at the end (those not written since the start).
    With ``clear`` the index is emptied first (searches find less until the
    rebuild is done).
    """
    selected = [canonical_kind(kind) for kind in kinds] if kinds else list(_SOURCES)
    started: datetime = timezone.now()
    if clear:
        SearchDocument.objects.filter(kind__in=selected).delete()
    written = 0
    for kind in selected:
        queryset, build = _SOURCES[kind]
        for batch in _batches(queryset(), batch_size):
            documents = build(batch)
            with transaction.atomic():
                save_documents(documents)
                if kind in (DocumentKind.POST, DocumentKind.COMMENT, DocumentKind.FILE):
                    _sweep_deleted([document.object_id for document in documents], kind)
            written += len(documents)
            if progress is not None:
                progress(len(batch))
        SearchDocument.objects.filter(kind=kind, indexed_at__lt=started).delete()
    from brug.search.backends import get_backend

    get_backend().optimize()
    return written
