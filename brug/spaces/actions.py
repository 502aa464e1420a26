"""Writes on spaces and memberships. Every write checks permissions inside."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brug.people.models import Organisation, Team, User
from brug.permissions import Viewer, as_viewer
from brug.spaces.enums import JoinPolicy, SpaceKind, SpaceRole, Visibility
from brug.spaces.models import Membership, Space


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "space"
    slug, n = base, 2
    while Space.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_space(
    *,
    creator: User | Viewer,
    name: str,
    description: str = "",
    visibility: str = Visibility.OPEN,
    kind: str = SpaceKind.COMMUNITY,
    join_policy: str | None = None,
    organisation: Organisation | None = None,
    shared_with: list[Organisation] | None = None,
    team: Team | None = None,
    allow_anonymous: bool | None = None,
) -> Space:
    """Create a space owned by the creator's organisation; the creator becomes its owner.

    Guests may not create spaces; members may unless the installation restricts
    it to community managers and admins. Only admins create spaces for another
    organisation than their own.
    """
    viewer = as_viewer(creator)
    if not viewer.is_member:
        raise PermissionDenied(_("Guests cannot create spaces."))
    if not settings.BRUG_MEMBERS_MAY_CREATE_SPACES and not viewer.is_community_manager:
        raise PermissionDenied(_("Only community managers create spaces here."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": _("A space needs a name of at most 120 characters.")})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility.")})
    if kind not in SpaceKind.values:
        raise ValidationError({"kind": _("Unknown kind of space.")})
    if len(description or "") > 2000:
        raise ValidationError({"description": _("The description is too long.")})
    if join_policy is None:
        join_policy = {
            Visibility.OPEN: JoinPolicy.OPEN,
            Visibility.PRIVATE: JoinPolicy.REQUEST,
            Visibility.SECRET: JoinPolicy.INVITATION,
        }[visibility]
    if join_policy not in JoinPolicy.values:
        raise ValidationError({"join_policy": _("Unknown join policy.")})
    if visibility == Visibility.SECRET:
        join_policy = JoinPolicy.INVITATION
    elif visibility == Visibility.PRIVATE and join_policy == JoinPolicy.OPEN:
        join_policy = JoinPolicy.REQUEST
    organisation = organisation or viewer.user.organisation
    if organisation.pk != viewer.organisation_id and not viewer.is_admin:
        raise PermissionDenied(_("You can only create spaces for your own organisation."))
    with transaction.atomic():
        space = Space.objects.create(
            organisation=organisation,
            name=name,
            slug=_unique_slug(name),
            description=description or "",
            visibility=visibility,
            kind=kind,
            join_policy=join_policy,
            team=team,
            allow_anonymous=(kind == SpaceKind.QUESTIONS)
            if allow_anonymous is None
            else allow_anonymous,
            created_by=viewer.user,
        )
        if shared_with:
            space.shared_with.set([o for o in shared_with if o.pk != organisation.pk])
        _add_membership(space=space, person=viewer.user, role=SpaceRole.OWNER)
        from brug.analytics.recording import record_activity
        from brug.analytics.enums import Verb

        record_activity(actor=viewer.user, verb=Verb.CREATE_SPACE, space=space)
    viewer.forget_memberships()
    return space


def _add_membership(*, space: Space, person: User, role: str = SpaceRole.MEMBER) -> Membership:
    """Add a membership without permission checks (callers check) and count it."""
    membership, created = Membership.objects.get_or_create(
        space=space, person=person, defaults={"role": role}
    )
    if created:
        Space.objects.filter(pk=space.pk).update(member_count=F("member_count") + 1)
        space.member_count += 1
    elif membership.role != role and role != SpaceRole.MEMBER:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership
