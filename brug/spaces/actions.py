"""Writes on spaces and memberships. Every write checks permissions inside.

Each write runs in one transaction and, inside it, records the activity, asks
for the space to be re-indexed and publishes a ``membership_changed`` realtime
event to the person whose membership changed. ``Space.member_count`` counts
active members; it is kept with ``F()`` updates, so concurrent joins never
lose a count, and recounted when people are deactivated or come back.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brug.analytics.enums import Verb
from brug.people.models import Organisation, Team, User
from brug.permissions import Viewer, as_viewer
from brug.permissions.people import can_see_person
from brug.permissions.spaces import (
    can_grant_ownership,
    can_invite_to_space,
    can_join_space,
    can_request_to_join,
    check_can_administer_space,
    check_can_manage_members,
    check_can_see_space,
    may_become_member,
)
from brug.spaces.enums import JoinPolicy, RequestStatus, SpaceKind, SpaceRole, Visibility
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation

# Paths under /spaces/ that are pages of their own, so no space may take them as slug.
RESERVED_SLUGS = frozenset({"new", "teams", "invitations", "api", "mine"})

QUESTIONS_SPACE_NAME = "Durf te vragen"
QUESTIONS_SPACE_DESCRIPTION = (
    "Stel elke vraag, ook anoniem. Geen vraag is te klein. / "
    "Ask anything, anonymously if you wish. No question is too small."
)

_DEFAULT_JOIN_POLICY = {
    Visibility.OPEN: JoinPolicy.OPEN,
    Visibility.PRIVATE: JoinPolicy.REQUEST,
    Visibility.SECRET: JoinPolicy.INVITATION,
}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "space"
    if base in RESERVED_SLUGS or base.isdigit():
        # "/spaces/new/" is a page, and "/spaces/2027/" would read as an id.
        base = f"{base}-space"
    slug, n = base, 2
    while Space.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record(*, actor: User | None, verb: str, space: Space) -> None:
    from brug.analytics.recording import record_activity

    if actor is not None:
        record_activity(actor=actor, verb=verb, space=space)


def _index(space: Space) -> None:
    from brug.search.indexing import schedule_index

    schedule_index(kind="space", pk=space.pk)


def _announce(*, space: Space, person: User, change: str, role: str | None = None) -> None:
    """Tell the person's open streams that their membership changed.

    Addressed to the person only (no ``space``): an event tied to the space
    would be checked against their *new* rights, and a removed member may no
    longer read the space, so they would never hear that they were removed.
    """
    from brug.realtime.events import publish

    publish(
        kind="membership_changed",
        recipient=person,
        payload={"space_id": space.pk, "change": change, "role": role},
    )


def _clean_text(*, name: str | None, description: str | None) -> tuple[str | None, str | None]:
    if name is not None:
        name = name.strip()
        if not name or len(name) > 120:
            raise ValidationError({"name": _("A space needs a name of at most 120 characters.")})
    if description is not None:
        description = description.strip()
        if len(description) > 2000:
            raise ValidationError({"description": _("The description is too long.")})
    return name, description


def _normalise_policy(*, visibility: str, join_policy: str | None) -> str:
    """Return the join policy that fits the visibility.

    Secret spaces are joined by invitation only; a private space cannot be
    joined at once (anyone could then read it), so "open" becomes "request".
    """
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility.")})
    if join_policy is None:
        join_policy = _DEFAULT_JOIN_POLICY[visibility]
    if join_policy not in JoinPolicy.values:
        raise ValidationError({"join_policy": _("Unknown join policy.")})
    if visibility == Visibility.SECRET:
        return JoinPolicy.INVITATION
    if visibility == Visibility.PRIVATE and join_policy == JoinPolicy.OPEN:
        return JoinPolicy.REQUEST
    return join_policy


def _prepare_cover(cover: Any) -> ContentFile | None:
    """Validate and re-encode an uploaded cover image (before any row is written)."""
    if cover is None:
        return None
    from brug.core.images import process_image

    image = process_image(cover, max_side=1600)
    return ContentFile(image.content, name=f"{secrets.token_hex(8)}.{image.extension}")


def _store_cover(space: Space, content: ContentFile) -> None:
    old = space.cover.name if space.cover else ""
    space.cover.save(f"space-{space.pk}-{content.name}", content, save=False)
    if old:
        # The old file goes once this transaction commits (a rollback keeps it).
        storage = space.cover.storage
        transaction.on_commit(lambda: storage.delete(old))


def _shared_organisations(ids_or_orgs: Iterable[Any], *, owner_id: int) -> list[Organisation]:
    ids = {getattr(item, "pk", item) for item in ids_or_orgs}
    try:
        ids = {int(pk) for pk in ids}
    except (TypeError, ValueError):
        raise ValidationError({"shared_with": _("Unknown organisation.")}) from None
    ids.discard(owner_id)
    organisations = list(Organisation.objects.filter(pk__in=ids))
    if len(organisations) != len(ids):
        raise ValidationError({"shared_with": _("Unknown organisation.")})
    return organisations


def create_space(
    *,
    creator: User | Viewer,
    name: str,
    description: str = "",
    visibility: str = Visibility.OPEN,
    kind: str = SpaceKind.COMMUNITY,
    join_policy: str | None = None,
    organisation: Organisation | None = None,
    shared_with: Iterable[Organisation | int] | None = None,
    team: Team | None = None,
    allow_anonymous: bool | None = None,
    cover: Any = None,
) -> Space:
    """Create a space owned by the creator's organisation; the creator becomes its owner.

    Guests may not create spaces; members may unless the installation restricts
    it to community managers and admins. Only admins create spaces for another
    organisation than their own, and only admins share a space with other
    organisations (sharing lets another organisation read it).
    """
    viewer = as_viewer(creator)
    if not viewer.is_member:
        raise PermissionDenied(_("Guests cannot create spaces."))
    if not settings.BRUG_MEMBERS_MAY_CREATE_SPACES and not viewer.is_community_manager:
        raise PermissionDenied(_("Only community managers create spaces here."))
    name, description = _clean_text(name=name or "", description=description or "")
    if kind not in SpaceKind.values:
        raise ValidationError({"kind": _("Unknown kind of space.")})
    join_policy = _normalise_policy(visibility=visibility, join_policy=join_policy)
    organisation = organisation or viewer.user.organisation
    if organisation.pk != viewer.organisation_id and not viewer.is_admin:
        raise PermissionDenied(_("You can only create spaces for your own organisation."))
    shared = _shared_organisations(shared_with or [], owner_id=organisation.pk)
    if shared and not viewer.is_admin:
        raise PermissionDenied(_("Only admins share spaces with other organisations."))
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("The team belongs to another organisation.")})
    cover_file = _prepare_cover(cover)
    with transaction.atomic():
        space = Space.objects.create(
            organisation=organisation,
            name=name,
            slug=_unique_slug(name),
            description=description,
            visibility=visibility,
            kind=kind,
            join_policy=join_policy,
            team=team,
            allow_anonymous=(kind == SpaceKind.QUESTIONS)
            if allow_anonymous is None
            else allow_anonymous,
            created_by=viewer.user,
        )
        if shared:
            space.shared_with.set(shared)
        if cover_file is not None:
            _store_cover(space, cover_file)
            space.save(update_fields=["cover"])
        _add_membership(space=space, person=viewer.user, role=SpaceRole.OWNER)
        _record(actor=viewer.user, verb=Verb.CREATE_SPACE, space=space)
        _index(space)
        _announce(space=space, person=viewer.user, change="joined", role=SpaceRole.OWNER)
    viewer.forget_memberships()
    return space


def update_space(
    *,
    by: User | Viewer,
    space: Space,
    name: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
    join_policy: str | None = None,
    kind: str | None = None,
    allow_anonymous: bool | None = None,
    cover: Any = None,
    remove_cover: bool = False,
    shared_with: Iterable[Organisation | int] | None = None,
    is_archived: bool | None = None,
) -> Space:
    """Change a space's settings (owners, and admins who can see the space).

    Arguments left as ``None`` stay as they are. Owners may stop sharing a
    space with an organisation; only admins add organisations to share with.
    Changing the visibility re-fits the join policy (secret: invitation only).
    """
    viewer = as_viewer(by)
    check_can_administer_space(viewer, space)
    name, description = _clean_text(name=name, description=description)
    if kind is not None and kind not in SpaceKind.values:
        raise ValidationError({"kind": _("Unknown kind of space.")})
    new_visibility = visibility if visibility is not None else space.visibility
    if join_policy is not None or visibility is not None:
        new_policy = _normalise_policy(
            visibility=new_visibility, join_policy=join_policy or space.join_policy
        )
    else:
        new_policy = space.join_policy
    shared: list[Organisation] | None = None
    if shared_with is not None:
        shared = _shared_organisations(shared_with, owner_id=space.organisation_id)
        current = set(space.shared_with.values_list("pk", flat=True))
        if {o.pk for o in shared} - current and not viewer.is_admin:
            raise PermissionDenied(_("Only admins share spaces with other organisations."))
    cover_file = _prepare_cover(cover)
    with transaction.atomic():
        if name is not None:
            space.name = name
        if description is not None:
            space.description = description
        if kind is not None:
            space.kind = kind
        if allow_anonymous is not None:
            space.allow_anonymous = allow_anonymous
        if is_archived is not None:
            space.is_archived = is_archived
        space.visibility = new_visibility
        space.join_policy = new_policy
        if cover_file is not None:
            _store_cover(space, cover_file)
        elif remove_cover and space.cover:
            old, storage = space.cover.name, space.cover.storage
            transaction.on_commit(lambda: storage.delete(old))
            space.cover = ""
        space.save(
            update_fields=[
                "name",
                "description",
                "kind",
                "allow_anonymous",
                "is_archived",
                "visibility",
                "join_policy",
                "cover",
            ]
        )
        if shared is not None:
            space.shared_with.set(shared)
            space.__dict__.pop("_brug_org_ids", None)
            getattr(space, "_prefetched_objects_cache", {}).pop("shared_with", None)
        _index(space)
    return space


def ensure_questions_space(*, organisation: Organisation) -> Space:
    """Return the organisation's "Durf te vragen" space, creating it when missing.

    The space is of kind questions, open to every member of the organisation
    and allows anonymous questions. It has no owner: community managers
    moderate it and admins administer it.
    """
    existing = (
        Space.objects.filter(organisation=organisation, kind=SpaceKind.QUESTIONS)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        space = Space.objects.create(
            organisation=organisation,
            name=QUESTIONS_SPACE_NAME,
            slug=_unique_slug(f"durf-te-vragen-{organisation.slug}"),
            description=QUESTIONS_SPACE_DESCRIPTION,
            visibility=Visibility.OPEN,
            kind=SpaceKind.QUESTIONS,
            join_policy=JoinPolicy.OPEN,
            allow_anonymous=True,
        )
        _index(space)
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


def _remove_membership(*, space: Space, person: User) -> bool:
    deleted, _rows = Membership.objects.filter(space=space, person=person).delete()
    if deleted:
        Space.objects.filter(pk=space.pk).update(member_count=F("member_count") - 1)
        space.member_count = max(0, space.member_count - 1)
    return bool(deleted)


def _settle_pending(*, space: Space, person: User, by: User | None) -> None:
    """Close a pending join request and invitation once the person is in."""
    now = timezone.now()
    JoinRequest.objects.filter(space=space, person=person, status=RequestStatus.PENDING).update(
        status=RequestStatus.APPROVED, decided_by=by, decided_at=now
    )
    SpaceInvitation.objects.filter(space=space, person=person, accepted_at__isnull=True).update(
        accepted_at=now
    )


def _welcome(
    *, space: Space, person: User, role: str, by: User | None, chose: bool = True
) -> Membership:
    """Add the person, close what was pending, and record, index and announce it.

    ``chose`` says the person acted (joined, asked, accepted): only then is
    it their ``join_space`` act in the activity log. Being added by a
    moderator or with one's team is not a contribution of one's own.
    """
    membership = _add_membership(space=space, person=person, role=role)
    _settle_pending(space=space, person=person, by=by)
    if chose:
        _record(actor=person, verb=Verb.JOIN_SPACE, space=space)
    _index(space)
    _announce(space=space, person=person, change="joined", role=membership.role)
    return membership


def _lock(space: Space) -> Space:
    """Lock the space row so concurrent owner changes cannot both pass the checks."""
    return Space.objects.select_for_update().get(pk=space.pk)


def _owner_count(space: Space) -> int:
    return Membership.objects.filter(space=space, role=SpaceRole.OWNER).count()


def _user(who: User | Viewer) -> User:
    viewer = as_viewer(who)
    if viewer.user is None:
        raise PermissionDenied
    return viewer.user


def join_space(*, person: User | Viewer, space: Space) -> Membership:
    """Join an open space at once (anyone who can read it and may join freely)."""
    viewer = as_viewer(person)
    check_can_see_space(viewer, space)
    existing = Membership.objects.filter(space=space, person_id=viewer.id).first()
    if existing is not None:
        return existing
    if space.is_archived or not can_join_space(viewer, space):
        raise PermissionDenied(_("This space cannot be joined directly."))
    with transaction.atomic():
        membership = _welcome(space=space, person=viewer.user, role=SpaceRole.MEMBER, by=None)
    viewer.forget_memberships()
    return membership


def leave_space(*, person: User | Viewer, space: Space) -> None:
    """Leave a space. The last owner must first hand the space over to someone else."""
    viewer = as_viewer(person)
    check_can_see_space(viewer, space)
    with transaction.atomic():
        _lock(space)
        membership = Membership.objects.filter(space=space, person_id=viewer.id).first()
        if membership is None:
            return
        if membership.role == SpaceRole.OWNER and _owner_count(space) <= 1:
            raise ValidationError(
                _("You are the last owner: make someone else owner before you leave.")
            )
        _remove_membership(space=space, person=viewer.user)
        _index(space)
        _announce(space=space, person=viewer.user, change="left")
    viewer.forget_memberships()


def request_to_join(*, person: User | Viewer, space: Space, message: str = "") -> JoinRequest:
    """Ask the moderators of a space to let the person in (one pending request at a time)."""
    viewer = as_viewer(person)
    check_can_see_space(viewer, space)
    message = (message or "").strip()
    if len(message) > 500:
        raise ValidationError({"message": _("The message is too long.")})
    pending = JoinRequest.objects.filter(
        space=space, person_id=viewer.id, status=RequestStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    if space.is_archived or not can_request_to_join(viewer, space):
        raise PermissionDenied(_("You cannot ask to join this space."))
    from brug.notifications.hooks import join_requested

    with transaction.atomic():
        join_request = JoinRequest.objects.create(space=space, person=viewer.user, message=message)
        join_requested(join_request=join_request)
    return join_request


def cancel_join_request(*, person: User | Viewer, space: Space) -> None:
    """Withdraw the person's own pending request."""
    viewer = as_viewer(person)
    JoinRequest.objects.filter(
        space=space, person_id=viewer.id, status=RequestStatus.PENDING
    ).delete()


def _decide(*, by: User | Viewer, join_request: JoinRequest, approve: bool) -> JoinRequest:
    viewer = as_viewer(by)
    space = join_request.space
    check_can_manage_members(viewer, space)
    from brug.notifications.hooks import join_decided

    with transaction.atomic():
        # Re-read under the write lock: two moderators may decide at once.
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != RequestStatus.PENDING:
            raise ValidationError(_("This request was already decided."))
        person = join_request.person
        if approve:
            if space.is_archived or not may_become_member(person, space):
                raise ValidationError(_("This person cannot join this space."))
            _welcome(space=space, person=person, role=SpaceRole.MEMBER, by=viewer.user)
            join_request.refresh_from_db()
        else:
            join_request.status = RequestStatus.DECLINED
            join_request.decided_by = viewer.user
            join_request.decided_at = timezone.now()
            join_request.save(update_fields=["status", "decided_by", "decided_at"])
        join_decided(join_request=join_request)
    return join_request


def approve_request(*, by: User | Viewer, join_request: JoinRequest) -> JoinRequest:
    """Let the person who asked into the space (moderators, owners, admins)."""
    return _decide(by=by, join_request=join_request, approve=True)


def decline_request(*, by: User | Viewer, join_request: JoinRequest) -> JoinRequest:
    """Turn down a request to join (moderators, owners, admins)."""
    return _decide(by=by, join_request=join_request, approve=False)


def _check_candidate(viewer: Viewer, space: Space, person: User) -> None:
    """The person must be someone the actor can see and who may be in the space."""
    if not can_see_person(viewer, person):
        raise Http404
    if not may_become_member(person, space):
        raise ValidationError(
            _("%(name)s cannot join this space: it is not shared with their organisation.")
            % {"name": person.name}
        )


def invite_to_space(*, by: User | Viewer, space: Space, person: User) -> SpaceInvitation:
    """Invite a person into a space; they join when they accept.

    Members invite colleagues into open spaces they belong to; moderators
    and owners invite into private and secret spaces, and are the only ones
    who invite guests. The invitee is notified once per invitation. Inviting
    is rate limited per inviter (``RateLimited``, scope ``space_invite``).
    """
    viewer = as_viewer(by)
    check_can_see_space(viewer, space)
    if not can_invite_to_space(viewer, space, guest=person.role == "guest"):
        raise PermissionDenied(_("You cannot invite people into this space."))
    _check_candidate(viewer, space, person)
    if Membership.objects.filter(space=space, person=person).exists():
        raise ValidationError(_("%(name)s is already in this space.") % {"name": person.name})
    pending = SpaceInvitation.objects.filter(
        space=space, person=person, accepted_at__isnull=True
    ).first()
    if pending is not None:
        return pending  # already invited: do not notify twice
    from brug.core import ratelimit
    from brug.notifications.hooks import invited_to_space

    ratelimit.hit(scope="space_invite", key=viewer.id)
    with transaction.atomic():
        # An accepted invitation of someone who has since left makes way for a
        # new one (a new row, so the invitee is notified again).
        SpaceInvitation.objects.filter(space=space, person=person).delete()
        invitation = SpaceInvitation.objects.create(
            space=space, person=person, invited_by=viewer.user
        )
        invited_to_space(invitation=invitation)
    return invitation


def _own_invitation(viewer: Viewer, invitation: SpaceInvitation) -> None:
    if invitation.person_id != viewer.id or viewer.id is None:
        raise Http404


def accept_invitation(*, person: User | Viewer, invitation: SpaceInvitation) -> Membership:
    """Join the space the person was invited into."""
    viewer = as_viewer(person)
    _own_invitation(viewer, invitation)
    space = invitation.space
    existing = Membership.objects.filter(space=space, person_id=viewer.id).first()
    if existing is not None:
        return existing
    if invitation.accepted_at is not None:
        raise Http404
    if space.is_archived or not may_become_member(viewer.user, space):
        raise PermissionDenied(_("This invitation can no longer be accepted."))
    with transaction.atomic():
        membership = _welcome(
            space=space, person=viewer.user, role=SpaceRole.MEMBER, by=invitation.invited_by
        )
    viewer.forget_memberships()
    return membership


def decline_invitation(*, person: User | Viewer, invitation: SpaceInvitation) -> None:
    """Turn an invitation down (it disappears; the inviter may invite again)."""
    viewer = as_viewer(person)
    _own_invitation(viewer, invitation)
    SpaceInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def _check_role(role: str) -> None:
    if role not in SpaceRole.values:
        raise ValidationError({"role": _("Unknown role.")})


def add_member(
    *, by: User | Viewer, space: Space, person: User, role: str = SpaceRole.MEMBER
) -> Membership:
    """Put a person straight into a space (moderators, owners and admins).

    Only owners and admins make someone an owner. Adding someone who is
    already in the space changes their role when another role is given.
    """
    viewer = as_viewer(by)
    check_can_manage_members(viewer, space)
    _check_role(role)
    if role == SpaceRole.OWNER and not can_grant_ownership(viewer, space):
        raise PermissionDenied(_("Only owners make someone an owner."))
    if space.is_archived:
        raise PermissionDenied(_("Archived spaces take no new members."))
    _check_candidate(viewer, space, person)
    existing = Membership.objects.filter(space=space, person=person).first()
    if existing is not None:
        if existing.role == role:
            return existing
        return change_role(by=viewer, space=space, person=person, role=role)
    with transaction.atomic():
        membership = _welcome(space=space, person=person, role=role, by=viewer.user, chose=False)
    if person.pk == viewer.id:
        viewer.forget_memberships()
    return membership


def remove_member(*, by: User | Viewer, space: Space, person: User) -> None:
    """Take a person out of a space; they lose access at once.

    Moderators remove members; owners and admins remove anyone but the last
    owner. Removing oneself is leaving.
    """
    viewer = as_viewer(by)
    if person.pk == viewer.id:
        leave_space(person=viewer, space=space)
        return
    check_can_manage_members(viewer, space)
    with transaction.atomic():
        _lock(space)
        membership = Membership.objects.filter(space=space, person=person).first()
        if membership is None:
            raise Http404
        if membership.role != SpaceRole.MEMBER and not can_grant_ownership(viewer, space):
            raise PermissionDenied(_("Only owners remove moderators and owners."))
        if membership.role == SpaceRole.OWNER and _owner_count(space) <= 1:
            raise ValidationError(_("A space keeps at least one owner."))
        _remove_membership(space=space, person=person)
        SpaceInvitation.objects.filter(space=space, person=person).delete()
        _index(space)
        _announce(space=space, person=person, change="removed")


def change_role(*, by: User | Viewer, space: Space, person: User, role: str) -> Membership:
    """Give a member another role. Only owners and admins make or unmake owners."""
    viewer = as_viewer(by)
    check_can_manage_members(viewer, space)
    _check_role(role)
    with transaction.atomic():
        _lock(space)
        membership = Membership.objects.filter(space=space, person=person).first()
        if membership is None:
            raise Http404
        if membership.role == role:
            return membership
        touches_owner = SpaceRole.OWNER in {role, membership.role}
        if touches_owner and not can_grant_ownership(viewer, space):
            raise PermissionDenied(_("Only owners make or unmake owners."))
        if membership.role == SpaceRole.OWNER and _owner_count(space) <= 1:
            raise ValidationError(_("A space keeps at least one owner."))
        membership.role = role
        membership.save(update_fields=["role"])
        _announce(space=space, person=person, change="role", role=role)
    if person.pk == viewer.id:
        viewer.forget_memberships()
    return membership


def set_muted(*, person: User | Viewer, space: Space, muted: bool) -> Membership:
    """Mute or unmute a space for oneself (no notifications from it; it stays readable)."""
    viewer = as_viewer(person)
    check_can_see_space(viewer, space)
    updated = Membership.objects.filter(space=space, person_id=viewer.id).update(muted=muted)
    if not updated:
        raise PermissionDenied(_("Only members mute a space."))
    return Membership.objects.get(space=space, person_id=viewer.id)


def mute_space(*, person: User | Viewer, space: Space) -> Membership:
    return set_muted(person=person, space=space, muted=True)


def unmute_space(*, person: User | Viewer, space: Space) -> Membership:
    return set_muted(person=person, space=space, muted=False)


def _team_and_descendants(team: Team) -> list[int]:
    ids, frontier = [team.pk], [team.pk]
    while frontier:
        frontier = list(Team.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _team_and_ancestors(team_id: int | None) -> list[int]:
    ids: list[int] = []
    while team_id is not None and team_id not in ids:
        ids.append(team_id)
        team_id = Team.objects.filter(pk=team_id).values_list("parent_id", flat=True).first()
    return ids


def follow_team(*, person: User, old_team_id: int | None) -> None:
    """Team spaces follow a person whose team changed (inside the change's transaction).

    They join the spaces of their new team and of the teams above it, and
    leave, as plain members, those of teams they are no longer in. Owners
    and moderators stay: they look after the space and chose to. Archived
    team spaces are left alone.
    """
    wanted_teams = _team_and_ancestors(person.team_id) if person.is_active else []
    team_spaces = Space.objects.filter(is_archived=False)
    wanted = list(team_spaces.filter(team_id__in=wanted_teams).order_by("pk"))
    wanted_ids = {space.pk for space in wanted}
    old_teams = [pk for pk in _team_and_ancestors(old_team_id) if pk not in wanted_teams]
    for space in team_spaces.filter(
        team_id__in=old_teams,
        memberships__person=person,
        memberships__role=SpaceRole.MEMBER,
    ).exclude(pk__in=wanted_ids):
        _remove_membership(space=space, person=person)
        _index(space)
        _announce(space=space, person=person, change="removed")
    joined = set(
        Membership.objects.filter(person=person, space_id__in=wanted_ids).values_list(
            "space_id", flat=True
        )
    )
    for space in wanted:
        if space.pk not in joined and may_become_member(person, space):
            _welcome(space=space, person=person, role=SpaceRole.MEMBER, by=None, chose=False)


def recount_members(*, person: User) -> None:
    """Set ``member_count`` of the person's spaces to their active members (after (de)activation)."""
    active = (
        Membership.objects.filter(space_id=OuterRef("pk"), person__is_active=True)
        .order_by()
        .values("space_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Space.objects.filter(memberships__person=person).update(
        member_count=Coalesce(Subquery(active), Value(0))
    )


def create_team_space(
    *, by: User | Viewer, team: Team, visibility: str = Visibility.PRIVATE
) -> Space:
    """Create the space of a team (admins and community managers), mirroring the team tree.

    Its members are the active people of the team and of the teams under it;
    whoever creates it becomes owner and may hand it over. When the team
    already has a space, that space is brought up to date and returned.
    """
    viewer = as_viewer(by)
    if not viewer.is_admin and (
        not viewer.is_member or team.organisation_id != viewer.organisation_id
    ):
        raise Http404
    if not viewer.is_community_manager:
        raise PermissionDenied(_("Only community managers and admins create team spaces."))
    with transaction.atomic():
        space = Space.objects.filter(team=team).order_by("pk").first()
        if space is None:
            space = create_space(
                creator=viewer,
                name=team.name,
                description=_("The space of %(team)s.") % {"team": team.name},
                visibility=visibility,
                organisation=team.organisation,
                team=team,
            )
        people = User.objects.filter(
            team_id__in=_team_and_descendants(team), is_active=True
        ).exclude(memberships__space=space)
        for person in people:
            if may_become_member(person, space):
                _welcome(
                    space=space,
                    person=person,
                    role=SpaceRole.MEMBER,
                    by=viewer.user,
                    chose=False,
                )
    viewer.forget_memberships()
    return space
