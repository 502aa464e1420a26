"""Helpers shared by the search tests."""

from dataclasses import dataclass

from brug.search.indexing import index_object

#: The fixtures of every role in the permission matrix (tests/fixtures.py).
ROLES = [
    "owner",
    "moderator",
    "member",
    "outsider",
    "stranger",
    "guest",
    "community_manager",
    "admin_user",
]


@dataclass
class Corpus:
    space: object
    private_space: object
    secret_space: object
    partner_space: object
    open_post: object  # Dutch, open space
    english_post: object  # English by a Dutch colleague, open space
    private_post: object
    secret_post: object
    profile_post: object
    partner_post: object
    comment: object  # Dutch comment on open_post
    attachment: object  # on english_post
    script_post: object  # text with <script>


def index_people(*people) -> None:
    """People made by factories (not through actions) are indexed here."""
    for person in people:
        index_object(kind="person", pk=person.pk)


def keys(hits) -> set[tuple[str, int]]:
    """The (type, id) of each hit."""
    return {(hit.type, hit.id) for hit in hits}
