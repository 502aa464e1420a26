"""Search indexing entry points (owned by the search work).

Writers call ``schedule_index(kind=..., pk=...)`` inside their transaction
whenever a post, comment, space or person changes (``kind`` is one of
"post", "comment", "space", "person"); deletions and membership changes too.
"""


def schedule_index(*, kind: str, pk: int) -> None:
    """Arrange for one object to be (re)indexed or removed from the index."""
    return None
