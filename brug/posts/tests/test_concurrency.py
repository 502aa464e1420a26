"""Fifty people commenting at the same moment: every comment is saved and counted.

Runs against the file database of the test worker (``transactional_db``), each
thread with its own database connection, so SQLite's write lock, WAL and
busy timeout are really exercised (the in-memory test database would not).
"""

import threading

import pytest
from django.db import connection

from brug.posts import actions
from brug.posts.enums import ReactionKind
from brug.posts.models import Comment, Post, Reaction
from brug.posts.tests.conftest import make_post
from brug.spaces.actions import _add_membership
from tests.factories import UserFactory

WRITERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_comments_are_all_saved_and_counted(member, space):
    post = make_post(member, space, "Wie komt er vrijdag?")
    people = [UserFactory(name=f"Collega {n}", handle=f"collega{n}") for n in range(10)]
    for person in people:
        _add_membership(space=space, person=person)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait(timeout=60)
            author = people[n % len(people)]
            actions.create_comment(
                author=author, post=Post.objects.get(pk=post.pk), body=f"Ik kom! ({n})"
            )
            actions.add_reaction(
                person=author, kind=ReactionKind.LIKE, post=Post.objects.get(pk=post.pk)
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    assert Comment.objects.filter(post=post).count() == WRITERS
    post.refresh_from_db()
    assert post.comment_count == WRITERS
    assert Reaction.objects.filter(post=post).count() == len(people)
    assert post.reaction_count == len(people)
