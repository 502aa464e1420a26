"""The people API: POST /people (admins), GET /people with filters, GET /people/{id}, PATCH /me."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brug.people import actions
from brug.people.models import User
from brug.people.tests.test_directory import _memberships, _people
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(admin_user, api_as):
    return api_as(admin_user)


def test_an_admin_creates_a_person_and_gets_its_id(admin_api, team):
    response = admin_api.post(
        "/people",
        {"email": "Kees@Example.org", "name": "Kees Kok", "role": "member", "team_id": team.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = User.objects.get(pk=body["id"])
    assert person.email == "kees@example.org"
    assert body["team"] == {"id": team.pk, "name": team.name}
    assert body["handle"] == "kees.kok"


def test_an_admin_creates_a_guest_in_a_partner_organisation(admin_api, other_organisation):
    response = admin_api.post(
        "/people",
        {
            "email": "gast@partner.nl",
            "name": "Gast",
            "role": "guest",
            "organisation_id": other_organisation.pk,
            "password": "a sufficiently long passphrase",
        },
    )
    assert response.status_code == 201
    person = User.objects.get(email="gast@partner.nl")
    assert person.is_guest and person.organisation == other_organisation
    assert person.check_password("a sufficiently long passphrase")


def test_a_duplicate_email_is_a_409(admin_api, member):
    response = admin_api.post("/people", {"email": member.email, "name": "Dubbel"})
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


@pytest.mark.parametrize("email", ["nope", "", "a@b"])
def test_an_invalid_email_is_a_422(admin_api, email):
    response = admin_api.post("/people", {"email": email, "name": "X"})
    assert response.status_code == 422
    assert not User.objects.filter(name="X").exists()


def test_an_unknown_organisation_or_team_is_a_422(admin_api):
    assert (
        admin_api.post("/people", {"email": "a@b.nl", "name": "A", "team_id": 999}).status_code
        == 422
    )
    assert (
        admin_api.post(
            "/people", {"email": "a@b.nl", "name": "A", "organisation_id": 999}
        ).status_code
        == 422
    )


def test_a_nul_byte_in_a_name_is_a_422(admin_api):
    response = admin_api.post("/people", {"email": "n@b.nl", "name": "Nul\u0000"})
    assert response.status_code == 422
    assert not User.objects.filter(email="n@b.nl").exists()


@pytest.mark.parametrize("who", ["member", "community_manager", "guest"])
def test_only_admins_may_create_people(request, api_as, who):
    response = api_as(request.getfixturevalue(who)).post(
        "/people", {"email": "z@z.nl", "name": "Z"}
    )
    assert response.status_code == 403


def test_listing_people_filters_like_the_directory(api_as, member, outsider):
    actions.update_profile(
        person=outsider, by=outsider, expertise=["Informatiebeveiliging"], languages=["de"]
    )
    api = api_as(member)
    ids = lambda **q: [p["id"] for p in api.get("/people", q).json()["items"]]  # noqa: E731
    assert ids(expertise="beveilig") == [outsider.pk]
    assert ids(language="de") == [outsider.pk]
    assert ids(team=outsider.team_id) == [outsider.pk]
    assert ids(q="sanne") == [member.pk]
    assert set(ids(organisation=member.organisation_id)) == {member.pk, outsider.pk}
    item = api.get("/people", {"q": "otto"}).json()["items"][0]
    assert item["expertise"] == ["Informatiebeveiliging"]
    assert item["photo_url"].startswith(f"/people/{outsider.handle}/photo")


def test_an_unknown_language_code_is_a_422(api_as, member):
    assert api_as(member).get("/people", {"language": "xx"}).status_code == 422


def test_listing_people_is_cursor_paginated(api_as, member, organisation):
    for n in range(6):
        UserFactory(name=f"Collega {n}")
    api = api_as(member)
    first = api.get("/people", {"limit": 4}).json()
    second = api.get("/people", {"limit": 4, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 4 and len(second["items"]) == 3
    assert second["next_cursor"] is None
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    assert api.get("/people", {"cursor": "garbage"}).status_code == 400


def test_a_person_the_caller_cannot_see_is_a_404_like_a_missing_one(api_as, member, stranger):
    api = api_as(stranger)
    assert api.get(f"/people/{member.pk}").status_code == 404
    assert api.get("/people/999999").status_code == 404
    assert api_as(member).get(f"/people/{member.pk}").json()["name"] == "Sanne de Wit"


def test_patch_me_changes_only_the_fields_sent(api_as, member, other_team):
    api = api_as(member)
    response = api.patch(
        "/me",
        {"function": "Teamleider", "expertise": ["Roosters", "Verzuim"], "team_id": other_team.pk},
    )
    assert response.status_code == 200, response.content
    assert response.json()["expertise"] == ["Roosters", "Verzuim"]
    member.refresh_from_db()
    assert member.function == "Teamleider"
    assert member.team == other_team
    assert member.name == "Sanne de Wit"
    assert api.get("/me").status_code == 200


def test_patch_me_refuses_a_taken_handle_and_bad_languages_with_422(api_as, member, outsider):
    response = api_as(member).patch("/me", {"handle": outsider.handle, "languages": ["xx"]})
    assert response.status_code == 422
    member.refresh_from_db()
    assert member.handle == "sanne.dewit"


def test_patch_me_cannot_join_another_organisations_team(api_as, member, other_organisation):
    team = TeamFactory(organisation=other_organisation)
    assert api_as(member).patch("/me", {"team_id": team.pk}).status_code == 422


# Query budget -----------------------------------------------------------------------------


def _count(api, path):
    api.get(path)  # the token's first use of the minute writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


def test_listing_people_costs_the_same_queries_at_5_and_25_people(
    api_as, member, organisation, django_assert_num_queries
):
    api = api_as(member)
    _people(5, organisation)
    expected = _count(api, "/people?expertise=tag")
    _people(20, organisation)
    with django_assert_num_queries(expected):
        api.get("/people?expertise=tag")


def test_listing_people_costs_the_same_queries_at_10_and_200_memberships(
    api_as, member, organisation, django_assert_num_queries
):
    api = api_as(member)
    _people(5, organisation)
    _memberships(member, 10)
    expected = _count(api, "/people")
    _memberships(member, 190)
    with django_assert_num_queries(expected):
        api.get("/people")


# Photos and invitations ---------------------------------------------------------------


def test_a_person_uploads_a_photo_through_the_api_and_others_fetch_it(
    api_as, member, outsider, stranger, photos_dir
):
    from brug.people.tests.conftest import png_bytes

    api = api_as(member)
    response = api.client.post(
        "/api/v1/me/photo",
        {"file": _file(png_bytes(400, 300))},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 200, response.content
    photo = api_as(outsider).get(f"/people/{member.pk}/photo")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert api_as(stranger).get(f"/people/{member.pk}/photo").status_code == 404
    assert api.delete("/me/photo").status_code == 204
    member.refresh_from_db()
    assert not member.photo


def test_a_text_file_as_photo_is_a_422_through_the_api(api_as, member, photos_dir):
    api = api_as(member)
    response = api.client.post(
        "/api/v1/me/photo",
        {"file": _file(b"hello, not an image", "x.jpg")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 422
    assert "not an image" in response.content.decode()


def _file(data, name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_community_manager_makes_lists_and_withdraws_invitations(
    api_as, community_manager, organisation
):
    api = api_as(community_manager)
    made = api.post("/invitations", {"email": "nieuw@example.org", "role": "guest"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["url"].endswith(f"/invite/{body['token']}/")
    assert body["organisation"]["id"] == organisation.pk and body["status"] == "open"
    listed = api.get("/invitations").json()["items"]
    assert [i["id"] for i in listed] == [body["id"]]
    assert "token" not in listed[0]
    revoked = api.post(f"/invitations/{body['id']}/revoke")
    assert revoked.json()["status"] == "expired"


def test_invitations_through_the_api_keep_their_rules(
    api_as, member, community_manager, admin_user, other_organisation
):
    assert api_as(member).post("/invitations", {}).status_code == 403
    assert api_as(member).get("/invitations").status_code == 403
    manager = api_as(community_manager)
    assert (
        manager.post("/invitations", {"organisation_id": other_organisation.pk}).status_code == 403
    )
    assert manager.post("/invitations", {"role": "admin"}).status_code == 422
    theirs = api_as(admin_user).post("/invitations", {"organisation_id": other_organisation.pk})
    assert theirs.status_code == 201
    assert manager.post(f"/invitations/{theirs.json()['id']}/revoke").status_code == 404
    assert manager.get("/invitations").json()["items"] == []
