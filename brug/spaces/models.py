"""Spaces, memberships, join requests and invitations."""

import mimetypes

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brug.spaces.enums import JoinPolicy, RequestStatus, SpaceKind, SpaceRole, Visibility


class Space(models.Model):
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="spaces"
    )
    shared_with = models.ManyToManyField(
        "people.Organisation", blank=True, related_name="shared_spaces"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.OPEN
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SpaceKind.choices, default=SpaceKind.COMMUNITY
    )
    join_policy = models.CharField(
        _("join policy"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    allow_anonymous = models.BooleanField(_("allow anonymous questions"), default=False)
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="spaces"
    )
    cover = models.FileField(upload_to="covers/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    member_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        indexes = [models.Index(fields=["organisation", "visibility"])]

    def __str__(self) -> str:
        return self.name

    @property
    def cover_content_type(self) -> str:
        """The type of the cover (re-encoded by Brug, so the extension tells it)."""
        content_type = mimetypes.guess_type(self.cover.name)[0] if self.cover else None
        return (
            content_type
            if content_type and content_type.startswith("image/")
            else ("application/octet-stream")
        )


class Membership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=SpaceRole.choices, default=SpaceRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    muted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="unique_membership")
        ]
        indexes = [models.Index(fields=["person", "space"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.space_id} ({self.role})"


class JoinRequest(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "person"],
                condition=models.Q(status="pending"),
                name="one_pending_request",
            )
        ]


class SpaceInvitation(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="unique_space_invitation")
        ]
