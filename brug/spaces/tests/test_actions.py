"""Every write on spaces, with both sides of its permission rule."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from brug.analytics.enums import Verb
from brug.analytics.models import Activity
from brug.people.enums import Role
from brug.permissions.spaces import can_read_space
from brug.realtime.models import Event
from brug.spaces import actions
from brug.spaces.enums import JoinPolicy, RequestStatus, SpaceKind, SpaceRole, Visibility
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation
from tests.factories import OrganisationFactory, TeamFactory, UserFactory


def _png(size=(40, 30), color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _count(space: Space) -> int:
    space.refresh_from_db()
    return space.member_count


def _roles(space):
    return dict(Membership.objects.filter(space=space).values_list("person__handle", "role"))


# create_space -----------------------------------------------------------------
def test_member_creates_a_space_and_becomes_its_owner(member):
    space = actions.create_space(creator=member, name="  Hybride werken ", description="Thuis")
    assert space.name == "Hybride werken"
    assert space.slug == "hybride-werken"
    assert _roles(space) == {"sanne.dewit": SpaceRole.OWNER}
    assert _count(space) == 1
    assert Activity.objects.filter(actor=member, verb=Verb.CREATE_SPACE, space=space).exists()


def test_guest_cannot_create_a_space(guest):
    with pytest.raises(PermissionDenied):
        actions.create_space(creator=guest, name="Gastenhoek")
    assert not Space.objects.filter(name="Gastenhoek").exists()


def test_members_cannot_create_spaces_when_the_installation_restricts_it(
    settings, member, community_manager
):
    settings.BRUG_MEMBERS_MAY_CREATE_SPACES = False
    with pytest.raises(PermissionDenied):
        actions.create_space(creator=member, name="Niet toegestaan")
    assert actions.create_space(creator=community_manager, name="Wel toegestaan").pk


def test_secret_space_is_always_invitation_only_and_private_never_open(member):
    secret = actions.create_space(
        creator=member, name="Geheim", visibility=Visibility.SECRET, join_policy=JoinPolicy.OPEN
    )
    private = actions.create_space(
        creator=member, name="Besloten", visibility=Visibility.PRIVATE, join_policy="open"
    )
    assert secret.join_policy == JoinPolicy.INVITATION
    assert private.join_policy == JoinPolicy.REQUEST


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 121),
        ("visibility", "public"),
        ("kind", "chat"),
        ("join_policy", "maybe"),
        ("description", "x" * 2001),
    ],
)
def test_create_space_refuses_bad_input_without_writing(member, field, value):
    arguments = {"name": "Goed", field: value}
    before = Space.objects.count()
    with pytest.raises(ValidationError):
        actions.create_space(creator=member, **arguments)
    assert Space.objects.count() == before


def test_slugs_are_unique_and_never_a_page_or_a_number(member):
    first = actions.create_space(creator=member, name="Data & AI")
    second = actions.create_space(creator=member, name="Data & AI")
    reserved = actions.create_space(creator=member, name="New")
    numeric = actions.create_space(creator=member, name="2027")
    assert first.slug == "data-ai"
    assert second.slug == "data-ai-2"
    assert reserved.slug == "new-space"
    assert numeric.slug == "2027-space"


def test_only_admins_create_spaces_for_or_shared_with_other_organisations(
    member, admin_user, other_organisation
):
    with pytest.raises(PermissionDenied):
        actions.create_space(creator=member, name="Partners", shared_with=[other_organisation])
    with pytest.raises(PermissionDenied):
        actions.create_space(creator=member, name="Partners", organisation=other_organisation)
    space = actions.create_space(
        creator=admin_user, name="Partners", shared_with=[other_organisation.pk]
    )
    assert list(space.shared_with.all()) == [other_organisation]


def test_shared_with_an_unknown_organisation_is_refused(admin_user):
    with pytest.raises(ValidationError):
        actions.create_space(creator=admin_user, name="Partners", shared_with=[999999])
    with pytest.raises(ValidationError):
        actions.create_space(creator=admin_user, name="Partners", shared_with=["drop table"])


def test_create_space_with_a_cover_stores_a_reencoded_image(member, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    space = actions.create_space(creator=member, name="Met plaatje", cover=_png())
    assert space.cover.name.startswith("covers/space-")
    assert space.cover.name.endswith(".jpg")
    with space.cover.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"


def test_create_space_refuses_a_cover_that_is_not_an_image(member):
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        actions.create_space(creator=member, name="Nep plaatje", cover=fake)
    assert not Space.objects.filter(name="Nep plaatje").exists()


# update_space -------------------------------------------------------------------
def test_owner_updates_name_description_kind_and_visibility(space, owner):
    actions.update_space(
        by=owner,
        space=space,
        name="Security",
        description="Nieuw",
        kind=SpaceKind.ANNOUNCEMENT,
        visibility=Visibility.SECRET,
    )
    space.refresh_from_db()
    assert (space.name, space.description, space.kind) == ("Security", "Nieuw", "announcement")
    assert space.visibility == Visibility.SECRET
    assert space.join_policy == JoinPolicy.INVITATION
    assert space.slug == "informatiebeveiliging"  # links keep working after a rename


@pytest.mark.parametrize("who", ["member", "moderator", "outsider", "community_manager"])
def test_only_owners_and_admins_update_a_space(request, space, who):
    with pytest.raises(PermissionDenied):
        actions.update_space(by=request.getfixturevalue(who), space=space, name="Gekaapt")
    space.refresh_from_db()
    assert space.name == "Informatiebeveiliging"


@pytest.mark.parametrize("who", ["stranger", "guest"])
def test_people_who_cannot_see_a_space_get_404_when_updating_it(request, space, who):
    with pytest.raises(Http404):
        actions.update_space(by=request.getfixturevalue(who), space=space, name="Gekaapt")


def test_admin_administers_a_private_space_without_reading_it(private_space, admin_user):
    actions.update_space(by=admin_user, space=private_space, description="Door de beheerder")
    private_space.refresh_from_db()
    assert private_space.description == "Door de beheerder"
    assert not can_read_space(admin_user, private_space)


def test_admin_cannot_update_a_secret_space_it_cannot_see(secret_space, admin_user):
    with pytest.raises(Http404):
        actions.update_space(by=admin_user, space=secret_space, name="Onthuld")


def test_owner_may_stop_sharing_but_only_admins_start_sharing(
    owner, admin_user, other_organisation
):
    space = actions.create_space(
        creator=admin_user, name="Partnerruimte", shared_with=[other_organisation]
    )
    actions.add_member(by=admin_user, space=space, person=owner, role=SpaceRole.OWNER)
    actions.update_space(by=owner, space=space, shared_with=[])
    assert not space.shared_with.exists()
    with pytest.raises(PermissionDenied):
        actions.update_space(by=owner, space=space, shared_with=[other_organisation])
    actions.update_space(by=admin_user, space=space, shared_with=[other_organisation])
    assert list(space.shared_with.all()) == [other_organisation]


def test_archiving_a_space_stops_posting_and_joining(space, owner, outsider):
    from brug.permissions.spaces import can_post_in_space

    actions.update_space(by=owner, space=space, is_archived=True)
    space.refresh_from_db()
    assert not can_post_in_space(owner, space)
    with pytest.raises(PermissionDenied):
        actions.join_space(person=outsider, space=space)


def test_replacing_and_removing_the_cover(space, owner, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    actions.update_space(by=owner, space=space, cover=_png())
    space.refresh_from_db()
    assert space.cover
    actions.update_space(by=owner, space=space, remove_cover=True)
    space.refresh_from_db()
    assert not space.cover


# ensure_questions_space ----------------------------------------------------------
def test_every_organisation_gets_one_questions_space(organisation):
    migrated = actions.ensure_questions_space(organisation=organisation)
    assert migrated.kind == SpaceKind.QUESTIONS and migrated.allow_anonymous
    new_org = OrganisationFactory(name="Zorggroep Oost", slug="oost")
    first = actions.ensure_questions_space(organisation=new_org)
    again = actions.ensure_questions_space(organisation=new_org)
    assert first == again
    assert first.name == "Durf te vragen"
    assert first.visibility == Visibility.OPEN and first.join_policy == JoinPolicy.OPEN
    assert Space.objects.filter(organisation=new_org, kind=SpaceKind.QUESTIONS).count() == 1


def test_questions_space_is_open_to_its_organisation_only(organisation, member, stranger):
    space = actions.ensure_questions_space(organisation=organisation)
    assert can_read_space(member, space)
    assert not can_read_space(stranger, space)


# join / leave ---------------------------------------------------------------------
def test_outsider_joins_an_open_space_and_it_is_counted_recorded_and_announced(space, outsider):
    before = _count(space)
    membership = actions.join_space(person=outsider, space=space)
    assert membership.role == SpaceRole.MEMBER
    assert _count(space) == before + 1
    assert Activity.objects.filter(actor=outsider, verb=Verb.JOIN_SPACE, space=space).exists()
    event = Event.objects.get(kind="membership_changed", recipient=outsider)
    assert event.space is None and event.payload["space_id"] == space.pk
    assert event.payload["change"] == "joined"


def test_joining_twice_counts_once(space, outsider):
    actions.join_space(person=outsider, space=space)
    actions.join_space(person=outsider, space=space)
    assert _count(space) == 4


def test_outsider_cannot_join_a_private_space_directly(private_space, outsider):
    with pytest.raises(PermissionDenied):
        actions.join_space(person=outsider, space=private_space)
    assert not Membership.objects.filter(space=private_space, person=outsider).exists()


@pytest.mark.parametrize("who", ["stranger", "guest"])
def test_people_who_cannot_see_an_open_space_get_404_when_joining(request, space, who):
    with pytest.raises(Http404):
        actions.join_space(person=request.getfixturevalue(who), space=space)


def test_secret_space_answers_404_to_an_outsider_who_tries_to_join(secret_space, outsider):
    with pytest.raises(Http404):
        actions.join_space(person=outsider, space=secret_space)


def test_open_space_with_invitation_policy_cannot_be_joined(owner, outsider):
    space = actions.create_space(
        creator=owner, name="Op uitnodiging", join_policy=JoinPolicy.INVITATION
    )
    with pytest.raises(PermissionDenied):
        actions.join_space(person=outsider, space=space)


def test_member_leaves_and_loses_access_at_once(private_space, member):
    assert can_read_space(member, private_space)
    actions.leave_space(person=member, space=private_space)
    assert _count(private_space) == 2
    assert not can_read_space(member, private_space)
    assert Event.objects.filter(
        kind="membership_changed", recipient=member, payload__change="left"
    ).exists()


def test_last_owner_cannot_leave_until_they_hand_over(space, owner, member):
    with pytest.raises(ValidationError):
        actions.leave_space(person=owner, space=space)
    actions.change_role(by=owner, space=space, person=member, role=SpaceRole.OWNER)
    actions.leave_space(person=owner, space=space)
    assert _roles(space)["sanne.dewit"] == SpaceRole.OWNER
    assert "olga.owner" not in _roles(space)


# requests ----------------------------------------------------------------------------
def test_outsider_asks_to_join_a_private_space_and_a_moderator_approves(
    private_space, outsider, moderator
):
    join_request = actions.request_to_join(person=outsider, space=private_space, message="Graag")
    assert actions.request_to_join(person=outsider, space=private_space) == join_request
    assert not can_read_space(outsider, private_space)
    actions.approve_request(by=moderator, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.APPROVED
    assert join_request.decided_by == moderator
    assert can_read_space(outsider, private_space)
    assert _count(private_space) == 4


def test_a_declined_request_lets_nobody_in_and_cannot_be_decided_again(
    private_space, outsider, owner
):
    join_request = actions.request_to_join(person=outsider, space=private_space)
    actions.decline_request(by=owner, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.DECLINED
    assert not can_read_space(outsider, private_space)
    with pytest.raises(ValidationError):
        actions.approve_request(by=owner, join_request=join_request)


@pytest.mark.parametrize("who", ["member", "community_manager"])
def test_plain_members_and_managers_who_cannot_read_do_not_decide_requests(
    request, private_space, outsider, who
):
    join_request = actions.request_to_join(person=outsider, space=private_space)
    with pytest.raises(PermissionDenied):
        actions.approve_request(by=request.getfixturevalue(who), join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.PENDING


def test_a_stranger_cannot_decide_requests_of_a_space_it_cannot_see(
    private_space, outsider, stranger
):
    join_request = actions.request_to_join(person=outsider, space=private_space)
    with pytest.raises(Http404):
        actions.decline_request(by=stranger, join_request=join_request)


def test_nobody_asks_to_join_a_secret_space(secret_space, outsider):
    with pytest.raises(Http404):
        actions.request_to_join(person=outsider, space=secret_space)


def test_members_do_not_ask_to_join_an_open_space_they_can_join(space, outsider, member):
    with pytest.raises(PermissionDenied):
        actions.request_to_join(person=outsider, space=space)
    with pytest.raises(PermissionDenied):
        actions.request_to_join(person=member, space=space)


def test_withdrawing_a_request(private_space, outsider):
    actions.request_to_join(person=outsider, space=private_space)
    actions.cancel_join_request(person=outsider, space=private_space)
    assert not JoinRequest.objects.filter(person=outsider).exists()


# invitations ----------------------------------------------------------------------------
def test_member_invites_a_colleague_into_an_open_space_once(space, member, outsider):
    from brug.core.jobs import run_pending
    from brug.notifications.models import Notification

    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    again = actions.invite_to_space(by=member, space=space, person=outsider)
    assert invitation == again
    run_pending()
    notified = Notification.objects.filter(recipient=outsider, space=space)
    assert notified.count() == 1
    assert not Membership.objects.filter(space=space, person=outsider).exists()
    membership = actions.accept_invitation(person=outsider, invitation=invitation)
    assert membership.role == SpaceRole.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_someone_who_left_can_be_invited_again(space, member, outsider):
    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    actions.accept_invitation(person=outsider, invitation=invitation)
    actions.leave_space(person=outsider, space=space)
    again = actions.invite_to_space(by=member, space=space, person=outsider)
    assert again.pk != invitation.pk and again.accepted_at is None


def test_inviting_is_rate_limited_per_inviter(settings, space, member, team, rate_window):
    from brug.core.exceptions import RateLimited

    settings.BRUG_RATE_LIMITS = {**settings.BRUG_RATE_LIMITS, "space_invite": "2/3600"}
    people = [UserFactory(team=team, password=None) for _ in range(3)]
    actions.invite_to_space(by=member, space=space, person=people[0])
    actions.invite_to_space(by=member, space=space, person=people[1])
    with pytest.raises(RateLimited):
        actions.invite_to_space(by=member, space=space, person=people[2])
    assert SpaceInvitation.objects.count() == 2


def test_plain_members_do_not_invite_into_private_or_secret_spaces(
    private_space, secret_space, member, outsider
):
    for target in (private_space, secret_space):
        with pytest.raises(PermissionDenied):
            actions.invite_to_space(by=member, space=target, person=outsider)
    assert not SpaceInvitation.objects.exists()


def test_moderator_invites_into_a_secret_space_and_the_invitee_accepts(
    secret_space, moderator, outsider
):
    invitation = actions.invite_to_space(by=moderator, space=secret_space, person=outsider)
    assert not can_read_space(outsider, secret_space)
    actions.accept_invitation(person=outsider, invitation=invitation)
    assert can_read_space(outsider, secret_space)


def test_only_moderators_and_owners_invite_guests(space, member, moderator, guest):
    with pytest.raises(PermissionDenied):
        actions.invite_to_space(by=member, space=space, person=guest)
    invitation = actions.invite_to_space(by=moderator, space=space, person=guest)
    actions.accept_invitation(person=guest, invitation=invitation)
    assert can_read_space(guest, space)


def test_guests_invite_nobody(space, moderator, guest, outsider):
    actions.add_member(by=moderator, space=space, person=guest)
    with pytest.raises(PermissionDenied):
        actions.invite_to_space(by=guest, space=space, person=outsider)


def test_people_of_an_organisation_the_space_is_not_shared_with_cannot_be_invited(
    space, owner, stranger
):
    with pytest.raises((Http404, ValidationError)):
        actions.invite_to_space(by=owner, space=space, person=stranger)


def test_invitations_belong_to_the_invitee_only(space, member, outsider, stranger):
    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    with pytest.raises(Http404):
        actions.accept_invitation(person=stranger, invitation=invitation)
    with pytest.raises(Http404):
        actions.decline_invitation(person=member, invitation=invitation)


def test_declining_an_invitation_removes_it(space, member, outsider):
    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    actions.decline_invitation(person=outsider, invitation=invitation)
    assert not SpaceInvitation.objects.exists()
    assert not Membership.objects.filter(space=space, person=outsider).exists()


def test_inviting_a_member_is_refused(space, owner, member):
    with pytest.raises(ValidationError):
        actions.invite_to_space(by=owner, space=space, person=member)


# add / remove / roles -----------------------------------------------------------------------
def test_moderator_adds_and_removes_a_member(private_space, moderator, outsider):
    actions.add_member(by=moderator, space=private_space, person=outsider)
    assert can_read_space(outsider, private_space)
    actions.remove_member(by=moderator, space=private_space, person=outsider)
    assert not can_read_space(outsider, private_space)
    assert _count(private_space) == 3
    assert Event.objects.filter(recipient=outsider, payload__change="removed").exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_do_not_add_or_remove_members(request, space, who, guest, member):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.add_member(by=actor, space=space, person=guest)
    if actor != member:
        with pytest.raises(PermissionDenied):
            actions.remove_member(by=actor, space=space, person=member)
    assert "sanne.dewit" in _roles(space)


def test_only_owners_make_owners(space, moderator, owner, member):
    with pytest.raises(PermissionDenied):
        actions.change_role(by=moderator, space=space, person=member, role=SpaceRole.OWNER)
    with pytest.raises(PermissionDenied):
        actions.add_member(by=moderator, space=space, person=member, role=SpaceRole.OWNER)
    actions.change_role(by=moderator, space=space, person=member, role=SpaceRole.MODERATOR)
    assert _roles(space)["sanne.dewit"] == SpaceRole.MODERATOR
    actions.change_role(by=owner, space=space, person=member, role=SpaceRole.OWNER)
    assert _roles(space)["sanne.dewit"] == SpaceRole.OWNER


def test_moderators_do_not_remove_or_demote_owners(space, moderator, owner):
    with pytest.raises(PermissionDenied):
        actions.remove_member(by=moderator, space=space, person=owner)
    with pytest.raises(PermissionDenied):
        actions.change_role(by=moderator, space=space, person=owner, role=SpaceRole.MEMBER)
    assert _roles(space)["olga.owner"] == SpaceRole.OWNER


def test_the_last_owner_is_neither_removed_nor_demoted(space, owner, admin_user):
    with pytest.raises(ValidationError):
        actions.change_role(by=owner, space=space, person=owner, role=SpaceRole.MEMBER)
    with pytest.raises(ValidationError):
        actions.remove_member(by=admin_user, space=space, person=owner)
    assert _roles(space)["olga.owner"] == SpaceRole.OWNER


def test_unknown_role_is_refused(space, owner, member):
    with pytest.raises(ValidationError):
        actions.change_role(by=owner, space=space, person=member, role="king")


def test_removing_someone_not_in_the_space_is_404(space, owner, outsider):
    with pytest.raises(Http404):
        actions.remove_member(by=owner, space=space, person=outsider)


def test_community_manager_moderates_an_open_space_it_can_read(space, community_manager, member):
    actions.remove_member(by=community_manager, space=space, person=member)
    assert "sanne.dewit" not in _roles(space)


def test_community_manager_does_not_manage_a_private_space_it_cannot_read(
    private_space, community_manager, member
):
    with pytest.raises(PermissionDenied):
        actions.remove_member(by=community_manager, space=private_space, person=member)


def test_adding_a_stranger_to_an_unshared_space_is_refused(space, admin_user, stranger):
    with pytest.raises((Http404, ValidationError)):
        actions.add_member(by=admin_user, space=space, person=stranger)
    assert not can_read_space(stranger, space)


def test_member_of_a_sharing_organisation_joins_an_open_shared_space(
    admin_user, other_organisation, stranger
):
    partner = UserFactory(organisation=other_organisation, handle="piet.partner")
    space = actions.create_space(creator=admin_user, name="Samen", shared_with=[other_organisation])
    actions.join_space(person=partner, space=space)
    assert can_read_space(partner, space)
    # The partner, now a co-member, may be made moderator by the admin.
    actions.change_role(by=admin_user, space=space, person=partner, role=SpaceRole.MODERATOR)
    assert _roles(space)["piet.partner"] == SpaceRole.MODERATOR


def test_adding_a_member_with_another_role_changes_the_role(space, owner, member):
    actions.add_member(by=owner, space=space, person=member, role=SpaceRole.MODERATOR)
    assert _roles(space)["sanne.dewit"] == SpaceRole.MODERATOR
    assert _count(space) == 3


# mute -----------------------------------------------------------------------------------------
def test_member_mutes_and_unmutes_a_space(space, member, outsider):
    assert actions.mute_space(person=member, space=space).muted
    assert not actions.unmute_space(person=member, space=space).muted
    with pytest.raises(PermissionDenied):
        actions.mute_space(person=outsider, space=space)


# team spaces --------------------------------------------------------------------------------
def test_community_manager_creates_a_space_per_team_with_its_people(
    organisation, community_manager, member
):
    department = TeamFactory(organisation=organisation, name="Zorg", kind="department")
    ward = TeamFactory(organisation=organisation, name="Afdeling 3", parent=department)
    nurse = UserFactory(team=ward, handle="nina.nurse")
    chief = UserFactory(team=department, handle="carl.chief")
    UserFactory(team=ward, handle="gone.away", is_active=False)
    space = actions.create_team_space(by=community_manager, team=department)
    assert space.team == department
    assert space.visibility == Visibility.PRIVATE
    roles = _roles(space)
    assert roles == {
        "cora.manager": SpaceRole.OWNER,
        "nina.nurse": SpaceRole.MEMBER,
        "carl.chief": SpaceRole.MEMBER,
    }
    assert _count(space) == 3
    # Running it again picks up newcomers without doubling anyone.
    UserFactory(team=ward, handle="new.colleague")
    assert actions.create_team_space(by=community_manager, team=department) == space
    assert _count(space) == 4
    assert nurse.pk and chief.pk


def test_members_do_not_create_team_spaces(member, team):
    with pytest.raises(PermissionDenied):
        actions.create_team_space(by=member, team=team)


def test_community_manager_of_another_organisation_gets_404_for_our_team(team, other_organisation):
    manager = UserFactory(organisation=other_organisation, role=Role.COMMUNITY_MANAGER)
    with pytest.raises(Http404):
        actions.create_team_space(by=manager, team=team)
