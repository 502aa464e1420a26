"""The Django admin goes through the actions for organisations and new people."""

import pytest

from brug.people.models import Organisation, User
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space

pytestmark = pytest.mark.django_db


def test_an_organisation_added_in_the_admin_gets_its_durf_te_vragen_space(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/people/organisation/add/", {"name": "Thuiszorg Partners"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Thuiszorg Partners")
    assert Space.objects.filter(organisation=organisation, kind=SpaceKind.QUESTIONS).exists()


def test_the_admin_refuses_an_organisation_name_that_differs_only_in_case(
    client, admin_user, organisation
):
    client.force_login(admin_user)
    response = client.post("/admin/people/organisation/add/", {"name": organisation.name.upper()})
    assert response.status_code == 200
    assert "exists already" in response.content.decode()


def test_a_person_added_in_the_admin_gets_a_handle_and_a_checked_address(
    client, admin_user, organisation, member
):
    client.force_login(admin_user)
    data = {"email": "Nieuw@Example.org", "name": "Nieuw Mens", "role": "member"}
    data["organisation"] = organisation.pk
    response = client.post("/admin/people/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="nieuw@example.org")
    assert person.handle == "nieuw.mens"
    duplicate = {**data, "email": member.email.upper()}
    response = client.post("/admin/people/user/add/", duplicate)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_the_admin_lists_and_opens_people_and_invitations(client, admin_user, member):
    client.force_login(admin_user)
    for url in (
        "/admin/people/user/",
        f"/admin/people/user/{member.pk}/change/",
        "/admin/people/organisation/",
        "/admin/people/team/",
        "/admin/people/expertise/",
        "/admin/people/invitation/",
    ):
        assert client.get(url).status_code == 200, url
