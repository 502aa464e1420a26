"""Search jobs: (re)index one object after the write that changed it."""

from brug.core.jobs import job


@job(max_attempts=5, backoff=5)
def index_object(kind: str, pk: int) -> None:
    """Write or remove the search document of one object (idempotent)."""
    from brug.search.indexing import index_object as index_now

    index_now(kind=kind, pk=pk)
