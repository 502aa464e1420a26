"""Notifications, grouped per thread, and the preferences that shape them.

One ``Notification`` row exists per (recipient, kind, thread): a second
reaction on the same post bumps the row ("Sanne and 4 others reacted to your
post") instead of adding one. ``group_key`` names the thread (``post:12``,
``comment:7``, ``space:3``, ``request:9``). Once the recipient has read it, the
next bump starts a fresh round (the counts restart and it is unread again),
so the line always tells what is new.

Each bump carries the key of the effect that caused it (``last_effect``): the
fan-out claims that key with ``brug.core.jobs.claim_effect`` in the same
transaction, so a retried job never notifies twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brug.notifications.enums import Channel, NotificationKind

#: How many distinct actors a thread remembers (names shown, and the count is
#: exact up to this many; beyond it the count is still kept, de-duplicated
#: against the remembered ones).
MAX_ACTORS = 50


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    group_key = models.CharField(max_length=80)
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The most recent actor (NULL for an anonymous asker or a deleted account).
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_ids = models.JSONField(default=list, blank=True)
    actor_count = models.PositiveIntegerField(default=1)
    event_count = models.PositiveIntegerField(default=1)
    data = models.JSONField(default=dict, blank=True)
    last_effect = models.CharField(max_length=255, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the e-mail bundle (see ``tasks.send_email_bundles``).
    email_pending = models.BooleanField(default=False)
    email_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "group_key"], name="unique_notification_thread"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_due_at"],
                condition=models.Q(email_pending=True),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.group_key} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's choice for one kind on one channel (absent: ``enums.DEFAULTS``)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "channel"], name="unique_notification_preference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}/{self.channel}={self.enabled}"
