"""The activity log: one row per meaningful act, the spine of analytics.

Typed foreign keys per object type (no generic relations), the actor's team
and organisation as they were at that moment, and the owner's team so that
cross-team flows can be rolled up. Anonymous acts carry no actor and no team.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from brug.analytics.enums import Ladder, Verb


class Activity(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    ladder = models.CharField(max_length=12, choices=Ladder.choices, blank=True)
    actor_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "created_at"], name="activity_actor_time"),
            models.Index(fields=["verb", "created_at"], name="activity_verb_time"),
        ]


class ObjectView(models.Model):
    """One person opened one object on one day (flushed in batches from memory)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # "post:12", "space:3", "profile:9": one non-null key, because SQLite treats
    # NULLs as distinct in unique constraints.
    object_key = models.CharField(max_length=40)
    day = models.DateField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "verb", "object_key", "day"], name="unique_view_per_day"
            )
        ]
