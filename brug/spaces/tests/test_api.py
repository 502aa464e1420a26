"""The spaces API: creating, changing, joining, members, requests, invitations, team spaces."""

import pytest

from brug.spaces import actions
from brug.spaces.enums import RequestStatus, SpaceRole
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation


def _roles(space):
    return dict(Membership.objects.filter(space=space).values_list("person__handle", "role"))


def test_member_creates_a_space_with_the_fields_of_the_design(api_as, member):
    response = api_as(member).post(
        "/spaces",
        {
            "name": "Data & AI",
            "description": "Modellen",
            "visibility": "private",
            "kind": "community",
        },
    )
    assert response.status_code == 201
    body = response.json()
    space = Space.objects.get(pk=body["id"])
    assert body["name"] == "Data & AI" and body["visibility"] == "private"
    assert body["join_policy"] == "request"
    assert body["organisation_id"] == member.organisation_id
    assert body["my_role"] == "owner" and body["can_read"] is True
    assert body["member_count"] == 1
    assert body["url"] == f"/spaces/{space.slug}/"


def test_guest_creating_a_space_gets_403(api_as, guest):
    response = api_as(guest).post("/spaces", {"name": "Gast", "visibility": "open"})
    assert response.status_code == 403
    assert set(response.json()) <= {"detail", "errors"}
    assert not Space.objects.filter(name="Gast").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "x" * 200},
        {"name": "Ok", "visibility": "public"},
        {"name": "Ok", "kind": "chat"},
        {"name": "Ok", "join_policy": "whenever"},
        {"name": "Ok", "organisation_id": 987654},
        {"name": "Ok\u0000"},
        {"description": "no name"},
    ],
)
def test_bad_space_input_is_a_422_and_writes_nothing(api_as, member, payload):
    before = Space.objects.count()
    response = api_as(member).post("/spaces", payload)
    assert response.status_code == 422, response.content
    assert Space.objects.count() == before


def test_sharing_with_another_organisation_needs_an_admin(
    api_as, member, admin_user, other_organisation
):
    refused = api_as(member).post(
        "/spaces", {"name": "Partners", "shared_with": [other_organisation.pk]}
    )
    assert refused.status_code == 403
    created = api_as(admin_user).post(
        "/spaces", {"name": "Partners", "shared_with": [other_organisation.pk]}
    )
    assert created.status_code == 201
    assert created.json()["shared_with"] == [other_organisation.pk]


def test_patch_is_for_owners_and_admins(api_as, space, owner, member, stranger):
    assert api_as(member).patch(f"/spaces/{space.pk}", {"name": "Nee"}).status_code == 403
    assert api_as(stranger).patch(f"/spaces/{space.pk}", {"name": "Nee"}).status_code == 404
    response = api_as(owner).patch(
        f"/spaces/{space.pk}", {"description": "Bijgewerkt", "visibility": "secret"}
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Bijgewerkt"
    assert response.json()["join_policy"] == "invitation"
    assert response.json()["name"] == "Informatiebeveiliging"  # left out, not changed


def test_join_and_leave_through_the_api(api_as, space, private_space, outsider):
    api = api_as(outsider)
    joined = api.post(f"/spaces/{space.pk}/join")
    assert joined.status_code == 200 and joined.json()["role"] == "member"
    assert joined.json()["person"]["handle"] == "otto.outsider"
    assert api.post(f"/spaces/{private_space.pk}/join").status_code == 403
    assert api.post(f"/spaces/{space.pk}/leave").status_code == 204
    assert "otto.outsider" not in _roles(space)


def test_last_owner_leaving_is_a_422(api_as, space, owner):
    assert api_as(owner).post(f"/spaces/{space.pk}/leave").status_code == 422
    assert "olga.owner" in _roles(space)


def test_members_are_added_changed_and_removed_by_moderators_only(
    api_as, space, moderator, member, outsider, owner
):
    assert (
        api_as(member).post(f"/spaces/{space.pk}/members", {"person_id": outsider.pk}).status_code
        == 403
    )
    api = api_as(moderator)
    added = api.post(f"/spaces/{space.pk}/members", {"person_id": outsider.pk})
    assert added.status_code == 201 and added.json()["role"] == "member"
    assert (
        api.post(
            f"/spaces/{space.pk}/members", {"person_id": outsider.pk, "role": "owner"}
        ).status_code
        == 403
    )
    changed = api.patch(f"/spaces/{space.pk}/members/{outsider.pk}", {"role": "moderator"})
    assert changed.status_code == 200 and changed.json()["role"] == "moderator"
    assert api.delete(f"/spaces/{space.pk}/members/{owner.pk}").status_code == 403
    assert api_as(owner).delete(f"/spaces/{space.pk}/members/{outsider.pk}").status_code == 204
    assert "otto.outsider" not in _roles(space)


def test_adding_someone_one_cannot_see_is_404(api_as, space, owner, stranger):
    response = api_as(owner).post(f"/spaces/{space.pk}/members", {"person_id": stranger.pk})
    assert response.status_code == 404
    response = api_as(owner).post(f"/spaces/{space.pk}/members", {"person_id": 2**70})
    assert response.status_code in {404, 422}


def test_removing_someone_not_in_the_space_is_404(api_as, space, owner, outsider):
    assert api_as(owner).delete(f"/spaces/{space.pk}/members/{outsider.pk}").status_code == 404


def test_join_requests_through_the_api(api_as, private_space, outsider, moderator, member):
    asked = api_as(outsider).post(
        f"/spaces/{private_space.pk}/join-requests", {"message": "Mag ik erbij?"}
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    assert api_as(member).get(f"/spaces/{private_space.pk}/join-requests").status_code == 403
    listing = api_as(moderator).get(f"/spaces/{private_space.pk}/join-requests")
    assert [item["person"]["handle"] for item in listing.json()] == ["otto.outsider"]
    request_id = asked.json()["id"]
    decided = api_as(moderator).post(
        f"/spaces/{private_space.pk}/join-requests/{request_id}/approve"
    )
    assert decided.status_code == 200 and decided.json()["status"] == RequestStatus.APPROVED
    assert "otto.outsider" in _roles(private_space)
    again = api_as(moderator).post(f"/spaces/{private_space.pk}/join-requests/{request_id}/decline")
    assert again.status_code == 404  # no longer pending


def test_withdrawing_a_join_request(api_as, private_space, outsider):
    api = api_as(outsider)
    api.post(f"/spaces/{private_space.pk}/join-requests", {})
    assert api.delete(f"/spaces/{private_space.pk}/join-requests/mine").status_code == 204
    assert not JoinRequest.objects.filter(person=outsider).exists()


def test_invitations_through_the_api(api_as, secret_space, moderator, outsider, member):
    assert (
        api_as(member)
        .post(f"/spaces/{secret_space.pk}/invitations", {"person_id": outsider.pk})
        .status_code
        == 403
    )
    invited = api_as(moderator).post(
        f"/spaces/{secret_space.pk}/invitations", {"person_id": outsider.pk}
    )
    assert invited.status_code == 201
    api = api_as(outsider)
    pending = api.get("/space-invitations").json()
    assert [item["space_name"] for item in pending] == ["Reorganisatie 2027"]
    assert (
        api_as(member).post(f"/space-invitations/{invited.json()['id']}/accept").status_code == 404
    )
    accepted = api.post(f"/space-invitations/{invited.json()['id']}/accept")
    assert accepted.status_code == 200
    assert api.get(f"/spaces/{secret_space.pk}").json()["can_read"] is True


def test_declining_an_invitation_through_the_api(api_as, space, member, outsider):
    invitation = actions.invite_to_space(by=member, space=space, person=outsider)
    assert api_as(outsider).post(f"/space-invitations/{invitation.pk}/decline").status_code == 204
    assert not SpaceInvitation.objects.exists()


def test_muting_through_the_api(api_as, space, member, outsider):
    response = api_as(member).post(f"/spaces/{space.pk}/mute", {"muted": True})
    assert response.json() == {"space_id": space.pk, "muted": True}
    assert api_as(outsider).post(f"/spaces/{space.pk}/mute", {"muted": True}).status_code == 403


def test_team_space_through_the_api(api_as, community_manager, member, team):
    assert api_as(member).post(f"/teams/{team.pk}/space").status_code == 403
    response = api_as(community_manager).post(f"/teams/{team.pk}/space")
    assert response.status_code == 200
    assert response.json()["team_id"] == team.pk
    assert api_as(community_manager).post("/teams/99999999/space").status_code == 404


def test_directory_filters_and_cursor_through_the_api(api_as, member, owner):
    for i in range(5):
        actions.create_space(creator=owner, name=f"Groep {i}", kind="announcement")
    api = api_as(member)
    first = api.get("/spaces", {"kind": "announcement", "limit": 3}).json()
    assert [item["name"] for item in first["items"]] == ["Groep 0", "Groep 1", "Groep 2"]
    second = api.get(
        "/spaces", {"kind": "announcement", "limit": 3, "cursor": first["next_cursor"]}
    ).json()
    assert [item["name"] for item in second["items"]] == ["Groep 3", "Groep 4"]
    assert second["next_cursor"] is None
    assert api.get("/spaces", {"cursor": "forged"}).status_code == 400
    assert api.get("/spaces", {"q": "groep 3"}).json()["items"][0]["name"] == "Groep 3"


def test_space_answers_list_activity_and_membership_fields(api_as, space, member, owner):
    from brug.posts.actions import create_post

    create_post(author=owner, space=space, body="Hallo", rate_limit=False)
    body = api_as(member).get(f"/spaces/{space.pk}").json()
    assert body["posts_last_30_days"] == 1
    assert body["activity"] == "quiet"
    assert body["member_count"] == 3
    assert body["my_role"] == SpaceRole.MEMBER
    assert body["cover_url"] is None
