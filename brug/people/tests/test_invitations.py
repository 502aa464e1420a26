"""Invitations: scoped to one organisation, single use (even under concurrency), expiring."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from brug.core.exceptions import Conflict
from brug.people import actions
from brug.people.enums import Role
from brug.people.models import Invitation, User
from tests.factories import TeamFactory
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def _accept(invitation, email="nieuw@example.org", name="Nina Nieuw"):
    return actions.accept_invitation(
        token=invitation.token, email=email, name=name, password=PASSWORD
    )


def test_a_community_manager_invites_into_their_own_organisation(community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    assert invitation.token
    assert invitation.expires_at - timezone.now() > timedelta(days=13, hours=23)
    # Only the digest is stored, never the token.
    stored = Invitation.objects.get(pk=invitation.pk)
    assert invitation.token not in stored.digest
    assert stored.digest == actions.digest_invitation_token(invitation.token)


def test_a_community_manager_cannot_invite_into_another_organisation(
    community_manager, other_organisation
):
    with pytest.raises(PermissionDenied):
        actions.create_invitation(by=community_manager, organisation=other_organisation)


def test_an_admin_invites_into_any_organisation(admin_user, other_organisation):
    invitation = actions.create_invitation(by=admin_user, organisation=other_organisation)
    person = _accept(invitation)
    assert person.organisation == other_organisation


@pytest.mark.parametrize("who", ["member", "guest"])
def test_members_and_guests_cannot_invite(request, who, organisation):
    with pytest.raises(PermissionDenied):
        actions.create_invitation(by=request.getfixturevalue(who), organisation=organisation)


def test_an_invitation_cannot_give_the_admin_role(admin_user, organisation):
    with pytest.raises(ValidationError):
        actions.create_invitation(by=admin_user, organisation=organisation, role=Role.ADMIN)


def test_accepting_creates_the_person_in_the_organisation_and_team_and_uses_the_link(
    admin_user, other_organisation
):
    team = TeamFactory(organisation=other_organisation, name="Planning")
    invitation = actions.create_invitation(
        by=admin_user, organisation=other_organisation, team=team
    )
    person = _accept(invitation)
    assert person.organisation == other_organisation
    assert person.team == team
    assert person.role == Role.MEMBER
    assert person.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert invitation.used_by == person


def test_a_guest_invitation_makes_a_guest(community_manager, organisation):
    invitation = actions.create_invitation(
        by=community_manager, organisation=organisation, role=Role.GUEST
    )
    assert _accept(invitation).is_guest


def test_an_invitation_works_only_once(community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    _accept(invitation)
    with pytest.raises(ValidationError) as error:
        _accept(invitation, email="tweede@example.org", name="Tweede")
    assert error.value.code == "used"
    assert not User.objects.filter(email="tweede@example.org").exists()


def test_an_expired_invitation_is_refused(community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        _accept(invitation)
    assert error.value.code == "expired"
    assert "expired" in error.value.messages[0]
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_a_withdrawn_invitation_no_longer_works(community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    actions.revoke_invitation(by=community_manager, invitation=invitation)
    with pytest.raises(ValidationError):
        _accept(invitation)


def test_an_unknown_token_is_refused(db):
    with pytest.raises(ValidationError) as error:
        actions.accept_invitation(token="made-up", email="a@b.nl", name="A", password=PASSWORD)
    assert error.value.code == "unknown"


def test_an_invitation_for_an_address_is_only_for_that_address(community_manager, organisation):
    invitation = actions.create_invitation(
        by=community_manager, organisation=organisation, email="Piet@Example.org"
    )
    with pytest.raises(ValidationError) as error:
        _accept(invitation, email="someone.else@example.org")
    assert "email" in error.value.message_dict
    person = _accept(invitation, email="piet@example.org")
    assert person.email == "piet@example.org"


def test_a_failed_acceptance_leaves_the_invitation_usable(community_manager, organisation, member):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    with pytest.raises(Conflict):
        _accept(invitation, email=member.email)
    with pytest.raises(ValidationError):
        actions.accept_invitation(
            token=invitation.token, email="x@example.org", name="X", password="123"
        )
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert _accept(invitation).organisation == organisation


def test_inviting_someone_who_has_an_account_is_refused(community_manager, organisation, member):
    with pytest.raises(ValidationError):
        actions.create_invitation(
            by=community_manager, organisation=organisation, email=member.email
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_one_invitation_only_one_gets_in(community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    barrier = threading.Barrier(2)
    outcomes = []

    def race(n):
        try:
            barrier.wait()
            _accept(invitation, email=f"racer{n}@example.org", name=f"Racer {n}")
            outcomes.append("in")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in", "used"]
    assert User.objects.filter(email__startswith="racer").count() == 1


# Pages -------------------------------------------------------------------------------


def test_the_accept_page_signs_the_new_person_in_and_shows_the_welcome_page(
    client, community_manager, organisation
):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    url = f"/invite/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    response = client.post(
        url,
        {
            "name": "Nina Nieuw",
            "email": "nina@example.org",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"
    welcome = client.get("/welcome/")
    assert welcome.status_code == 200
    assert "Welcome, Nina!" in welcome.content.decode()


def test_the_accept_page_of_a_used_invitation_says_so(client, community_manager, organisation):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    _accept(invitation)
    response = client.get(f"/invite/{invitation.token}/")
    assert response.status_code == 410
    assert "used already" in response.content.decode()


def test_the_accept_page_of_an_unknown_token_is_404(client, db):
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_the_accept_page_shows_form_errors_without_using_the_invitation(
    client, community_manager, organisation, member
):
    invitation = actions.create_invitation(by=community_manager, organisation=organisation)
    response = client.post(
        f"/invite/{invitation.token}/",
        {"name": "X", "email": member.email, "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_community_managers_make_links_on_the_invitations_page(client, community_manager):
    client.force_login(community_manager)
    response = client.post(
        "/people/invitations/",
        {"role": "member", "organisation": community_manager.organisation_id, "email": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "/invite/" in body
    invitation = Invitation.objects.get()
    assert invitation.created_by == community_manager


def test_members_cannot_open_the_invitations_page(client, member):
    client.force_login(member)
    assert client.get("/people/invitations/").status_code == 403


def test_a_community_manager_cannot_withdraw_another_organisations_invitation(
    client, admin_user, community_manager, other_organisation
):
    invitation = actions.create_invitation(by=admin_user, organisation=other_organisation)
    client.force_login(community_manager)
    assert client.post(f"/people/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now()
