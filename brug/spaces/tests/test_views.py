"""The space pages: create, join, leave, ask, decide, invite, members, settings, team spaces."""

import pytest
from django.test import Client

from brug.spaces import actions
from brug.spaces.enums import RequestStatus, SpaceRole
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _roles(space):
    return dict(Membership.objects.filter(space=space).values_list("person__handle", "role"))


def test_member_creates_a_space_through_the_form(member):
    client = _client(member)
    assert client.get("/spaces/new/").status_code == 200
    response = client.post(
        "/spaces/new/",
        {
            "name": "Wondzorg",
            "description": "Alles over wonden",
            "visibility": "private",
            "kind": "community",
            "join_policy": "",
        },
    )
    space = Space.objects.get(name="Wondzorg")
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/{space.slug}/"
    assert space.visibility == "private" and space.join_policy == "request"
    assert _roles(space) == {"sanne.dewit": SpaceRole.OWNER}


def test_the_create_form_shows_errors_with_422_and_writes_nothing(member):
    client = _client(member)
    response = client.post("/spaces/new/", {"name": "", "visibility": "hidden", "kind": "x"})
    assert response.status_code == 422
    assert not Space.objects.filter(created_by=member).exists()


def test_guests_get_403_on_the_create_page(guest):
    client = _client(guest)
    assert client.get("/spaces/new/").status_code == 403
    assert client.post("/spaces/new/", {"name": "Gast", "visibility": "open"}).status_code == 403


def test_outsider_joins_from_the_directory_card_and_leaves_from_the_page(space, outsider):
    client = _client(outsider)
    card = client.post(f"/spaces/{space.slug}/join/", {"card": "1"}, headers={"HX-Request": "true"})
    assert card.status_code == 200
    assert f'id="space-card-{space.pk}"' in card.text
    assert "<html" not in card.text
    assert "otto.outsider" in _roles(space)
    response = client.post(f"/spaces/{space.slug}/leave/")
    assert response.status_code == 302
    assert "otto.outsider" not in _roles(space)


def test_joining_a_private_space_by_post_changes_nothing(private_space, outsider):
    client = _client(outsider)
    client.post(f"/spaces/{private_space.slug}/join/")
    assert "otto.outsider" not in _roles(private_space)


def test_posting_to_a_secret_space_one_cannot_see_is_404_everywhere(secret_space, outsider):
    client = _client(outsider)
    for path in ["join/", "leave/", "request/", "mute/", "members/add/", "settings/"]:
        assert client.post(f"/spaces/{secret_space.slug}/{path}").status_code == 404, path


def test_leaving_a_secret_space_lands_on_the_directory(secret_space, member):
    client = _client(member)
    response = client.post(f"/spaces/{secret_space.slug}/leave/")
    assert response["Location"] == "/spaces/"


def test_the_last_owner_cannot_leave_through_the_page(space, owner):
    client = _client(owner)
    response = client.post(f"/spaces/{space.slug}/leave/", follow=True)
    assert "olga.owner" in _roles(space)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_request_then_moderator_lets_in_through_the_pages(private_space, outsider, moderator):
    asker = _client(outsider)
    page = asker.get(f"/spaces/{private_space.slug}/")
    assert f'action="/spaces/{private_space.slug}/request/"' in page.text
    asker.post(f"/spaces/{private_space.slug}/request/", {"message": "Ik werk hier ook aan"})
    join_request = JoinRequest.objects.get(person=outsider)
    page = asker.get(f"/spaces/{private_space.slug}/")
    assert f'action="/spaces/{private_space.slug}/request/cancel/"' in page.text

    assert asker.get(f"/spaces/{private_space.slug}/requests/").status_code == 403
    decider = _client(moderator)
    listing = decider.get(f"/spaces/{private_space.slug}/requests/")
    assert "Ik werk hier ook aan" in listing.text
    header = decider.get(f"/spaces/{private_space.slug}/").text
    assert f'href="/spaces/{private_space.slug}/requests/"' in header
    decider.post(f"/spaces/{private_space.slug}/requests/{join_request.pk}/approve/")
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.APPROVED
    assert "otto.outsider" in _roles(private_space)


def test_a_request_of_another_space_cannot_be_decided_through_this_one(
    space, private_space, outsider, owner
):
    join_request = actions.request_to_join(person=outsider, space=private_space)
    other = actions.create_space(creator=owner, name="Ander")
    client = _client(owner)
    response = client.post(f"/spaces/{other.slug}/requests/{join_request.pk}/approve/")
    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.PENDING


def test_member_invites_a_colleague_with_the_picker_and_they_accept(space, member, outsider):
    inviter = _client(member)
    picker = inviter.get(
        f"/spaces/{space.slug}/members/candidates/", {"q": "Otto"}, headers={"HX-Request": "true"}
    )
    assert "Otto Outsider" in picker.text
    assert 'value="add"' not in picker.text  # plain members invite, they do not add
    inviter.post(f"/spaces/{space.slug}/members/add/", {"person": outsider.pk, "mode": "add"})
    invitation = SpaceInvitation.objects.get(person=outsider)  # a plain member only invites
    assert "otto.outsider" not in _roles(space)

    invitee = _client(outsider)
    assert space.name in invitee.get("/spaces/invitations/").text
    response = invitee.post(f"/spaces/invitations/{invitation.pk}/accept/")
    assert response["Location"] == f"/spaces/{space.slug}/"
    assert "otto.outsider" in _roles(space)


def test_the_invite_picker_offers_only_people_one_may_invite(
    space, private_space, member, outsider, stranger, guest, moderator
):
    client = _client(member)
    names = client.get(f"/spaces/{space.slug}/members/candidates/", {"q": ""}).text
    assert "Otto Outsider" in names
    assert "Stan Stranger" not in names and "Gina Guest" not in names
    assert "Sanne de Wit" not in names  # already in
    assert client.get(f"/spaces/{private_space.slug}/members/candidates/").status_code == 403
    moderator_view = _client(moderator).get(f"/spaces/{space.slug}/members/candidates/").text
    assert "Gina Guest" in moderator_view and "Stan Stranger" not in moderator_view


def test_someone_elses_invitation_is_404(space, member, outsider, stranger):
    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    client = _client(member)
    assert client.post(f"/spaces/invitations/{invitation.pk}/accept/").status_code == 404
    assert client.post(f"/spaces/invitations/{invitation.pk}/decline/").status_code == 404
    assert SpaceInvitation.objects.filter(pk=invitation.pk).exists()


def test_moderator_changes_roles_and_removes_members_on_the_members_page(
    space, moderator, member, owner
):
    client = _client(moderator)
    page = client.get(f"/spaces/{space.slug}/members/")
    assert f"/spaces/{space.slug}/members/{member.pk}/remove/" in page.text
    client.post(f"/spaces/{space.slug}/members/{member.pk}/role/", {"role": "moderator"})
    assert _roles(space)["sanne.dewit"] == SpaceRole.MODERATOR
    client.post(f"/spaces/{space.slug}/members/{member.pk}/role/", {"role": "owner"})
    assert _roles(space)["sanne.dewit"] == SpaceRole.MODERATOR  # owners make owners
    assert client.post(f"/spaces/{space.slug}/members/{owner.pk}/remove/").status_code == 403
    client.post(f"/spaces/{space.slug}/members/{member.pk}/role/", {"role": "member"})
    client.post(f"/spaces/{space.slug}/members/{member.pk}/remove/")
    assert "sanne.dewit" not in _roles(space)


def test_plain_members_see_no_member_controls_and_get_403_using_them(space, member, moderator):
    client = _client(member)
    page = client.get(f"/spaces/{space.slug}/members/")
    assert "/remove/" not in page.text
    response = client.post(f"/spaces/{space.slug}/members/{moderator.pk}/remove/")
    assert response.status_code == 403
    assert "mo.derator" in _roles(space)


def test_owner_changes_settings_and_others_get_403(space, owner, member):
    client = _client(owner)
    assert client.get(f"/spaces/{space.slug}/settings/").status_code == 200
    response = client.post(
        f"/spaces/{space.slug}/settings/",
        {
            "name": "Security & privacy",
            "description": "Nieuw",
            "visibility": "private",
            "kind": "community",
            "join_policy": "request",
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.name, space.visibility) == ("Security & privacy", "private")
    other = _client(member)
    assert other.get(f"/spaces/{space.slug}/settings/").status_code == 403
    assert other.post(f"/spaces/{space.slug}/settings/", {"name": "x"}).status_code == 403


def test_muting_and_unmuting_from_the_space_page(space, member):
    client = _client(member)
    client.post(f"/spaces/{space.slug}/mute/", {"muted": "1"})
    assert Membership.objects.get(space=space, person=member).muted
    assert 'name="muted" value="0"' in client.get(f"/spaces/{space.slug}/").text
    client.post(f"/spaces/{space.slug}/mute/", {"muted": "0"})
    assert not Membership.objects.get(space=space, person=member).muted


def test_team_spaces_page_is_for_community_managers(community_manager, member, team):
    assert _client(member).get("/spaces/teams/").status_code == 403
    client = _client(community_manager)
    page = client.get("/spaces/teams/")
    assert page.status_code == 200 and team.name in page.text
    client.post("/spaces/teams/", {"team": team.pk})
    space = Space.objects.get(team=team)
    assert {"sanne.dewit", "cora.manager"} <= set(_roles(space))
    assert client.post("/spaces/teams/", {"team": "abc"}).status_code == 400
    assert client.post("/spaces/teams/", {"team": 999999}).status_code == 404


def test_numeric_links_land_on_the_slug_only_for_those_who_see(space, secret_space, outsider):
    client = _client(outsider)
    response = client.get(f"/spaces/{space.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/spaces/{space.slug}/"
    assert client.get(f"/spaces/{secret_space.pk}/").status_code == 404
    assert client.get("/spaces/99999999999999999999999/").status_code == 404


def test_a_bad_cursor_is_400_not_500(member_client, space):
    assert member_client.get("/spaces/", {"cursor": "garbage"}).status_code == 400
    assert member_client.get(f"/spaces/{space.slug}/members/", {"cursor": "x"}).status_code == 400
    assert member_client.get(f"/spaces/{space.slug}/", {"before": "nope"}).status_code == 400


def test_signed_out_visitors_are_sent_to_sign_in(client, space):
    response = client.get(f"/spaces/{space.slug}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_directory_filters_by_kind_name_and_mine(member, owner, space):
    actions.create_space(creator=owner, name="Nieuws", kind="announcement")
    client = _client(member)
    by_kind = client.get("/spaces/", {"kind": "announcement"}).text
    assert "Nieuws" in by_kind and "Informatiebeveiliging" not in by_kind
    by_name = client.get("/spaces/", {"q": "beveilig"}).text
    assert "Informatiebeveiliging" in by_name and "Nieuws" not in by_name
    mine = client.get("/spaces/", {"show": "mine"}).text
    assert "Informatiebeveiliging" in mine and "Nieuws" not in mine


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '"><a href="javascript:alert(1)">x</a>',
    ],
)
def test_markup_in_space_names_and_descriptions_is_inert(payload, owner, outsider, settings):
    space = actions.create_space(creator=owner, name=f"X {payload}"[:120], description=payload)
    actions.invite_to_space(by=owner, space=space, person=outsider)
    pages = [
        (owner, "/spaces/"),
        (owner, f"/spaces/{space.slug}/"),
        (owner, f"/spaces/{space.slug}/members/"),
        (owner, f"/spaces/{space.slug}/settings/"),
        (outsider, "/spaces/invitations/"),
    ]
    for person, path in pages:
        text = _client(person).get(path).text
        assert payload not in text, path
        for dangerous in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
            assert dangerous not in text, (path, dangerous)
