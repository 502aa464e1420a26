"""Brug's job layer on top of ``django.tasks`` (owned by the ops work).

Callers use ``enqueue(task, key=..., **kwargs)`` inside their write's
transaction. The key makes the effect idempotent: a second enqueue with the
same key is ignored.
"""

from django.tasks import Task


def enqueue(task: Task, *, key: str | None = None, **kwargs):
    """Enqueue ``task`` with keyword arguments inside the current transaction."""
    return task.enqueue(**kwargs)
