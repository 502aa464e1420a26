"""Realtime events: rows written in the same transaction as the change.

The row id is the SSE event id, so ``Last-Event-ID`` replays what a client
missed. An event names its audience: a space (everyone who may read it), one
person (their notifications), or both. Visibility is checked for each event
when it is delivered, never when it is written.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    kind = models.CharField(max_length=40)
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
