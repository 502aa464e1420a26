"""What other apps call to have people notified (owned by the notifications work).

Each function is called inside the write's transaction and only enqueues a
job; fan-out never happens in the request.
"""


def post_created(*, post, mentioned_ids: list[int], mention_all: bool) -> None:
    """A post was published; ``mentioned_ids`` are the people it mentions."""


def comment_created(*, comment, mentioned_ids: list[int], mention_all: bool) -> None:
    """A comment (or answer) was published."""


def reaction_added(*, reaction) -> None:
    """Someone reacted to a post or comment."""


def join_requested(*, join_request) -> None:
    """Someone asked to join a private space."""


def join_decided(*, join_request) -> None:
    """A join request was approved or declined."""


def invited_to_space(*, invitation) -> None:
    """Someone was invited into a space."""
