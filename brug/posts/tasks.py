"""Jobs of the content spine."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from brug.core.jobs import periodic

# Uploads that were never attached (a post abandoned after choosing files, an
# API client that uploaded and never posted) are removed after this long.
UNATTACHED_UPLOADS_KEPT = timedelta(days=1)


@periodic(every=timedelta(hours=6))
def prune_unattached_uploads() -> int:
    """Delete uploads nobody attached within a day (files and rows); return how many."""
    from brug.posts.actions import prune_unattached_attachments

    return prune_unattached_attachments(older_than=timezone.now() - UNATTACHED_UPLOADS_KEPT)
