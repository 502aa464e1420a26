"""Who sees whom: members see their organisation and their spaces' people; guests only their spaces'.

Every channel: the person page, the photo, the directory (page and htmx
fragment) and the API.
"""

import pytest

from brug.spaces.actions import _add_membership

pytestmark = pytest.mark.django_db


def _directory_names(client, **params):
    response = client.get("/people/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_a_colleague_of_their_organisation_everywhere(
    client, member, outsider, api_as
):
    client.force_login(outsider)
    assert client.get(f"/people/{member.handle}/").status_code == 200
    assert client.get(f"/people/{member.handle}/photo").status_code == 200
    assert member.name in _directory_names(client)
    assert api_as(outsider).get(f"/people/{member.pk}").status_code == 200


def test_a_stranger_sees_nobody_of_another_organisation(client, member, stranger, api_as):
    client.force_login(stranger)
    assert client.get(f"/people/{member.handle}/").status_code == 404
    assert member.name not in _directory_names(client)
    api = api_as(stranger)
    assert api.get(f"/people/{member.pk}").status_code == 404
    assert member.pk not in [p["id"] for p in api.get("/people").json()["items"]]


def test_a_stranger_sees_people_they_share_a_space_with(client, member, stranger, space):
    _add_membership(space=space, person=stranger)
    client.force_login(stranger)
    assert client.get(f"/people/{member.handle}/").status_code == 200
    assert member.name in _directory_names(client)


def test_a_guest_without_spaces_sees_only_themselves(client, guest, member, outsider, api_as):
    client.force_login(guest)
    assert client.get(f"/people/{guest.handle}/").status_code == 200
    assert client.get(f"/people/{member.handle}/").status_code == 404
    assert client.get(f"/people/{member.handle}/photo").status_code == 404
    html = _directory_names(client)
    assert guest.name in html
    assert member.name not in html and outsider.name not in html
    fragment = client.get("/people/", {"q": "a"}, headers={"HX-Request": "true"}).content.decode()
    assert member.name not in fragment
    api = api_as(guest)
    assert [p["id"] for p in api.get("/people").json()["items"]] == [guest.pk]
    assert api.get(f"/people/{member.pk}").status_code == 404


def test_a_guest_sees_the_people_of_their_spaces_and_no_one_else(
    client, guest, member, owner, moderator, outsider, space, api_as
):
    _add_membership(space=space, person=guest)
    client.force_login(guest)
    assert client.get(f"/people/{member.handle}/").status_code == 200
    assert client.get(f"/people/{outsider.handle}/").status_code == 404
    html = _directory_names(client)
    for person in (guest, member, owner, moderator):
        assert person.name in html
    assert outsider.name not in html
    ids = {p["id"] for p in api_as(guest).get("/people").json()["items"]}
    assert ids == {guest.pk, member.pk, owner.pk, moderator.pk}
    # Filtering cannot widen what a guest sees.
    ids = {p["id"] for p in api_as(guest).get("/people", {"q": "Otto"}).json()["items"]}
    assert ids == set()


def test_members_of_the_organisation_cannot_be_found_through_filters_by_a_guest(
    client, guest, outsider
):
    from brug.people import actions

    actions.update_profile(person=outsider, by=outsider, expertise=["Geheime kennis"])
    client.force_login(guest)
    html = _directory_names(client, expertise="geheime")
    assert outsider.name not in html


def test_an_inactive_person_is_hidden(client, member, outsider):
    outsider.is_active = False
    outsider.save()
    client.force_login(member)
    assert client.get(f"/people/{outsider.handle}/").status_code == 404
    assert outsider.name not in _directory_names(client)


def test_an_unknown_handle_is_404(client, member):
    client.force_login(member)
    assert client.get("/people/nobody.here/").status_code == 404
    assert client.get("/people/nobody.here/photo").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, member):
    for url in ("/people/", f"/people/{member.handle}/", "/me/profile/", "/welcome/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
