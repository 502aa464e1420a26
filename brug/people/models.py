"""People, organisations and teams.

A person (``User``) has one home organisation and one primary team; teams form
a tree (organisation > department > team). Profile fields live on the user row
itself so that directory, feeds and mentions load a person in one join.
"""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brug.people.enums import Highlight, Role, TeamKind


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.TEAM)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="unique_team_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Expertise(models.Model):
    """A tag for what people know about ("informatiebeveiliging", "python")."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("email is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **fields)
        if not user.handle:
            from brug.people.handles import unique_handle

            user.handle = unique_handle(fields.get("name") or email.split("@")[0])
        if not user.organisation_id:
            user.organisation = Organisation.objects.get(is_default=True)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    handle = models.CharField(_("handle"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("team"),
    )
    language = models.CharField(_("language"), max_length=5, default="", blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    # Profile
    function = models.CharField(_("function"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), blank=True, max_length=4000)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    working_days = models.JSONField(_("working days"), default=list, blank=True)
    ask_me_about = models.CharField(_("ask me about"), max_length=300, blank=True)
    highlight = models.CharField(
        _("leadership or ambassador"), max_length=20, choices=Highlight.choices, blank=True
    )
    photo = models.FileField(upload_to="photos/", blank=True)
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="people")
    onboarded_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(Lower("name"), name="user_name_lower")]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def photo_url(self) -> str:
        """The permission-checked address of the photo (or initials avatar), versioned
        so browsers may cache it privately until it changes."""
        import hashlib

        from django.urls import reverse

        version = hashlib.sha256((self.photo.name or self.name).encode()).hexdigest()[:10]
        return f"{reverse('people:photo', args=[self.handle])}?v={version}"

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_community_manager(self) -> bool:
        return self.role in {Role.COMMUNITY_MANAGER, Role.ADMIN}


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class Invitation(models.Model):
    """A single-use, expiring link that lets one person join one organisation.

    Only the SHA-256 of the token is stored; the link is shown once, when the
    invitation is made. ``used_at`` is set in the same transaction that creates
    the person, by a conditional update, so two people racing for one link
    cannot both get in.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("used by"),
    )
    # When the link was e-mailed to ``email`` (NULL: not mailed, or the mail failed).
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email or f"#{self.pk}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.used_at is None and self.expires_at <= timezone.now()
