"""People move between teams and leave: team spaces, member counts, sign-in and search follow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from brug.core import jobs
from brug.people import actions
from brug.people.models import User
from brug.search.queries import search_people
from brug.spaces import actions as spaces
from brug.spaces.enums import SpaceRole
from brug.spaces.models import Membership, Space
from tests.factories import TeamFactory, UserFactory
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def _roles(space):
    return dict(Membership.objects.filter(space=space).values_list("person__handle", "role"))


def _count(space) -> int:
    return Space.objects.get(pk=space.pk).member_count


@pytest.fixture
def tree(organisation, community_manager):
    """Zorg (department) > Wijk Noord, Wijk Zuid (teams), each with its team space."""
    zorg = TeamFactory(organisation=organisation, name="Zorg", kind="department")
    noord = TeamFactory(organisation=organisation, name="Wijk Noord", parent=zorg)
    zuid = TeamFactory(organisation=organisation, name="Wijk Zuid", parent=zorg)
    ict = TeamFactory(organisation=organisation, name="ICT Beheer")
    spaces_by_team = {
        team.name: spaces.create_team_space(by=community_manager, team=team)
        for team in (zorg, noord, zuid, ict)
    }
    return {"zorg": zorg, "noord": noord, "zuid": zuid, "ict": ict, "spaces": spaces_by_team}


def test_moving_to_another_team_moves_the_person_between_team_spaces(tree, member):
    actions.update_profile(person=member, by=member, team=tree["noord"])
    s = tree["spaces"]
    assert "sanne.dewit" in _roles(s["Wijk Noord"]) and "sanne.dewit" in _roles(s["Zorg"])
    before = _count(s["Wijk Noord"])

    actions.update_profile(person=member, by=member, team=tree["zuid"])

    assert "sanne.dewit" not in _roles(s["Wijk Noord"])
    assert _count(s["Wijk Noord"]) == before - 1
    assert _roles(s["Wijk Zuid"])["sanne.dewit"] == SpaceRole.MEMBER
    assert "sanne.dewit" in _roles(s["Zorg"])  # still under the department

    actions.update_profile(person=member, by=member, team=tree["ict"])
    assert "sanne.dewit" not in _roles(s["Zorg"]) and "sanne.dewit" not in _roles(s["Wijk Zuid"])
    assert "sanne.dewit" in _roles(s["ICT Beheer"])


def test_a_moderator_of_the_old_team_space_keeps_looking_after_it(tree, member, moderator):
    actions.update_profile(person=member, by=member, team=tree["noord"])
    noord = tree["spaces"]["Wijk Noord"]
    Membership.objects.filter(space=noord, person=member).update(role=SpaceRole.MODERATOR)
    actions.update_profile(person=member, by=member, team=tree["ict"])
    assert _roles(noord)["sanne.dewit"] == SpaceRole.MODERATOR


def test_leaving_every_team_leaves_the_team_spaces(tree, member):
    actions.update_profile(person=member, by=member, team=tree["zuid"])
    actions.update_profile(person=member, by=member, team=None)
    assert not Membership.objects.filter(
        person=member, space__team__isnull=False, role=SpaceRole.MEMBER
    ).exists()


def test_new_people_join_their_team_spaces_whichever_way_they_arrive(
    tree, admin_user, community_manager
):
    made = actions.create_person(
        by=admin_user, email="nieuw@example.org", name="Nieuwe Collega", team=tree["noord"]
    )
    assert "nieuwe.collega" in _roles(tree["spaces"]["Wijk Noord"])
    assert "nieuwe.collega" in _roles(tree["spaces"]["Zorg"])
    invitation = actions.create_invitation(
        by=community_manager,
        organisation=community_manager.organisation,
        email="later@example.org",
        team=tree["ict"],
    )
    person = actions.accept_invitation(
        token=invitation.token, email="later@example.org", name="Later Erbij", password=PASSWORD
    )
    assert person.handle in _roles(tree["spaces"]["ICT Beheer"])
    assert made.pk and invitation.pk


def test_deactivating_someone_stops_them_everywhere_and_reactivating_restores_them(
    space, member, owner, admin_user, api_as
):
    count = _count(space)
    session = Client()
    session.force_login(member)
    api = api_as(member)
    assert api.get("/me").status_code == 200
    jobs.run_pending()
    assert [p.pk for p in search_people(viewer=owner, q="sanne")] == [member.pk]

    actions.set_active(by=admin_user, person=member, active=False)
    jobs.run_pending()

    assert _count(space) == count - 1
    assert api.get("/me").status_code == 401
    assert session.get("/").status_code == 302  # back to the sign-in page
    assert search_people(viewer=owner, q="sanne") == []
    assert Membership.objects.filter(space=space, person=member).exists()  # kept for a return

    actions.set_active(by=admin_user, person=member, active=True)
    actions.set_active(by=admin_user, person=member, active=True)  # twice changes nothing
    jobs.run_pending()
    assert _count(space) == count
    assert [p.pk for p in search_people(viewer=owner, q="sanne")] == [member.pk]


def test_only_admins_deactivate_and_never_themselves(member, owner, admin_user, community_manager):
    with pytest.raises(PermissionDenied):
        actions.set_active(by=community_manager, person=member, active=False)
    with pytest.raises(ValidationError):
        actions.set_active(by=admin_user, person=admin_user, active=False)
    assert User.objects.filter(pk__in=[member.pk, admin_user.pk], is_active=True).count() == 2


def test_a_change_saved_in_the_django_admin_has_the_same_effects(
    client, tree, admin_user, member, space
):
    client.force_login(admin_user)
    page = client.get(f"/admin/people/user/{member.pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or name in ("password", "photo"):
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = (
                value if not hasattr(field, "prepare_value") else field.prepare_value(value)
            )
    count = _count(space)
    data["team"] = tree["noord"].pk
    data.pop("is_active", None)  # unticked: deactivated
    response = client.post(f"/admin/people/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.team_id == tree["noord"].pk and not member.is_active
    assert _count(space) == count - 1
    assert "sanne.dewit" not in _roles(tree["spaces"]["Wijk Noord"])  # inactive: not added
    jobs.run_pending()
    assert search_people(viewer=admin_user, q="sanne") == []
    UserFactory(name="Tessa Test", handle="tessa.test")  # the admin still works for others


def test_admins_deactivate_and_reactivate_through_the_api(
    api_as, member, admin_user, community_manager, space
):
    count = _count(space)
    admin = api_as(admin_user)
    assert api_as(community_manager).post(f"/people/{member.pk}/deactivate").status_code == 403
    assert api_as(member).post("/people/999999/deactivate").status_code == 403  # no probing
    assert admin.post("/people/999999/deactivate").status_code == 404
    assert admin.post(f"/people/{admin_user.pk}/deactivate").status_code == 422
    victim = api_as(member)
    response = admin.post(f"/people/{member.pk}/deactivate")
    assert response.status_code == 200 and response.json()["handle"] == "sanne.dewit"
    assert victim.get("/me").status_code == 401
    assert _count(space) == count - 1
    assert admin.get(f"/people/{member.pk}").status_code == 404  # gone from the directory
    assert admin.post(f"/people/{member.pk}/activate").status_code == 200
    assert victim.get("/me").status_code == 200
    assert _count(space) == count
