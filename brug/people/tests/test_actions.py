"""People actions: creating people, editing profiles, organisations and teams."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brug.core.exceptions import Conflict
from brug.people import actions
from brug.people.enums import Role, TeamKind
from brug.people.models import Expertise, Organisation, Team, User
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


# create_person -----------------------------------------------------------------


def test_admin_creates_a_person_in_the_default_organisation_with_a_handle(admin_user, organisation):
    person = actions.create_person(by=admin_user, email=" Joost@Example.ORG ", name="Joost van Dam")
    assert person.email == "joost@example.org"
    assert person.handle == "joost.vandam"
    assert person.organisation == organisation
    assert person.role == Role.MEMBER
    assert not person.has_usable_password()


def test_person_created_in_a_team_joins_the_teams_organisation(admin_user, other_organisation):
    team = TeamFactory(organisation=other_organisation, name="Wijkteam Oost")
    person = actions.create_person(by=admin_user, email="a@partner.nl", name="An", team=team)
    assert person.organisation == other_organisation
    assert person.team == team


def test_admin_creates_a_guest_who_has_the_guest_role(admin_user):
    person = actions.create_person(by=admin_user, email="g@x.nl", name="Gast", role=Role.GUEST)
    assert person.is_guest


def test_creating_an_admin_gives_access_to_the_administration(admin_user):
    person = actions.create_person(by=admin_user, email="b@x.nl", name="Beheer", role=Role.ADMIN)
    assert person.is_staff and person.is_superuser


@pytest.mark.parametrize("who", ["member", "community_manager", "guest"])
def test_only_admins_create_people(request, who):
    with pytest.raises(PermissionDenied):
        actions.create_person(by=request.getfixturevalue(who), email="x@y.nl", name="X")
    assert not User.objects.filter(email="x@y.nl").exists()


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "@b.nl", "a b@c.nl"])
def test_an_invalid_email_is_refused_and_nothing_is_written(admin_user, email):
    before = User.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.create_person(by=admin_user, email=email, name="X")
    assert "email" in error.value.message_dict
    assert User.objects.count() == before


def test_a_taken_email_is_a_conflict_whatever_its_case(admin_user, member):
    with pytest.raises(Conflict):
        actions.create_person(by=admin_user, email=member.email.upper(), name="Twin")


def test_an_unknown_role_is_refused(admin_user):
    with pytest.raises(ValidationError) as error:
        actions.create_person(by=admin_user, email="r@x.nl", name="R", role="king")
    assert "role" in error.value.message_dict


def test_a_weak_password_is_refused_with_the_reason(admin_user):
    with pytest.raises(ValidationError) as error:
        actions.create_person(by=admin_user, email="p@x.nl", name="P", password="123")
    assert "password" in error.value.message_dict
    assert not User.objects.filter(email="p@x.nl").exists()


def test_a_team_of_another_organisation_is_refused(admin_user, organisation, other_organisation):
    team = TeamFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        actions.create_person(
            by=admin_user, email="t@x.nl", name="T", organisation=organisation, team=team
        )


# update_profile ------------------------------------------------------------------


def test_a_person_fills_in_their_profile(member, team):
    actions.update_profile(
        person=member,
        by=member,
        function="Wijkverpleegkundige",
        location="Utrecht",
        languages=["en", "NL"],
        working_days=["fri", "mon"],
        expertise=["Wondzorg", " dementie ", "wondzorg", "#Palliatieve   zorg"],
        ask_me_about="Wondzorg bij diabetes",
        bio="Twintig jaar in de wijk.",
        team=team.pk,
    )
    member.refresh_from_db()
    assert member.function == "Wijkverpleegkundige"
    # Fixed order of the lists, not the order typed.
    assert member.languages == ["nl", "en"]
    assert member.working_days == ["mon", "fri"]
    assert sorted(e.slug for e in member.expertise.all()) == [
        "dementie",
        "palliatieve-zorg",
        "wondzorg",
    ]


def test_expertise_tags_are_shared_by_slug(member, outsider):
    actions.update_profile(person=member, by=member, expertise=["Data analyse"])
    actions.update_profile(person=outsider, by=outsider, expertise=["data-analyse", "DATA ANALYSE"])
    assert Expertise.objects.filter(slug="data-analyse").count() == 1
    assert Expertise.objects.get(slug="data-analyse").name == "Data analyse"


def test_a_taken_handle_is_refused_with_a_clear_message(member, outsider):
    with pytest.raises(ValidationError) as error:
        actions.update_profile(person=member, by=member, handle="@Otto.Outsider")
    assert error.value.message_dict["handle"] == ["This handle is taken."]


@pytest.mark.parametrize("handle", ["", "a b", "-start", "end.", "x" * 41, "é", "all"])
def test_malformed_or_reserved_handles_are_refused(member, handle):
    with pytest.raises(ValidationError) as error:
        actions.update_profile(person=member, by=member, handle=handle)
    assert "handle" in error.value.message_dict


def test_a_person_keeps_their_own_handle_and_may_change_it(member):
    actions.update_profile(person=member, by=member, handle="sanne.dewit")
    actions.update_profile(person=member, by=member, handle="@Sanne_W")
    member.refresh_from_db()
    assert member.handle == "sanne_w"


def test_all_field_errors_come_back_together_and_nothing_is_saved(member):
    with pytest.raises(ValidationError) as error:
        actions.update_profile(
            person=member,
            by=member,
            function="Teamleider",
            languages=["nl", "klingon"],
            working_days=["monday"],
            bio="x" * 4001,
        )
    assert set(error.value.message_dict) == {"languages", "working_days", "bio"}
    member.refresh_from_db()
    assert member.function == ""


def test_a_team_of_another_organisation_cannot_be_chosen(member, other_organisation):
    team = TeamFactory(organisation=other_organisation)
    with pytest.raises(ValidationError) as error:
        actions.update_profile(person=member, by=member, team=team.pk)
    assert "team" in error.value.message_dict


def test_unknown_fields_are_refused(member):
    with pytest.raises(ValidationError):
        actions.update_profile(person=member, by=member, role="admin")
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_a_colleague_cannot_edit_someone_elses_profile(member, outsider):
    with pytest.raises(PermissionDenied):
        actions.update_profile(person=member, by=outsider, function="Hacked")


def test_a_stranger_gets_not_found_for_a_profile_they_cannot_see(member, stranger):
    from django.http import Http404

    with pytest.raises(Http404):
        actions.update_profile(person=member, by=stranger, function="Hacked")


def test_an_admin_edits_a_colleagues_profile(member, admin_user):
    actions.update_profile(person=member, by=admin_user, function="Teamleider")
    member.refresh_from_db()
    assert member.function == "Teamleider"


def test_only_community_managers_mark_ambassadors(member, community_manager):
    with pytest.raises(PermissionDenied):
        actions.update_profile(person=member, by=member, highlight="ambassador")
    actions.update_profile(person=community_manager, by=community_manager, highlight="ambassador")
    community_manager.refresh_from_db()
    assert community_manager.highlight == "ambassador"


def test_too_many_expertise_tags_are_refused(member):
    with pytest.raises(ValidationError):
        actions.update_profile(person=member, by=member, expertise=[f"tag {i}" for i in range(31)])


# Organisations and teams -------------------------------------------------------


def test_a_new_organisation_gets_its_durf_te_vragen_space(admin_user):
    organisation = actions.create_organisation(by=admin_user, name="Thuiszorg Partners")
    space = Space.objects.get(organisation=organisation, kind=SpaceKind.QUESTIONS)
    assert space.name == "Durf te vragen"
    assert space.allow_anonymous


def test_organisation_names_are_unique_whatever_their_case(admin_user, organisation):
    with pytest.raises(ValidationError):
        actions.create_organisation(by=admin_user, name=organisation.name.upper())


def test_only_admins_create_organisations(community_manager):
    with pytest.raises(PermissionDenied):
        actions.create_organisation(by=community_manager, name="Nope")
    assert not Organisation.objects.filter(name="Nope").exists()


def test_renaming_an_organisation_keeps_its_questions_space(admin_user, organisation):
    actions.update_organisation(by=admin_user, organisation=organisation, name="Zorggroep De Linde")
    organisation.refresh_from_db()
    assert organisation.slug == "zorggroep-de-linde"
    assert Space.objects.filter(organisation=organisation, kind=SpaceKind.QUESTIONS).exists()


def test_teams_form_a_tree_within_one_organisation(admin_user, organisation, other_organisation):
    department = actions.create_team(by=admin_user, organisation=organisation, name="Wijkzorg")
    team = actions.create_team(
        by=admin_user, organisation=organisation, name="Wijkteam Noord", parent=department
    )
    assert department.kind == TeamKind.DEPARTMENT and team.kind == TeamKind.TEAM
    with pytest.raises(ValidationError):
        actions.create_team(by=admin_user, organisation=organisation, name="wijkzorg")
    with pytest.raises(ValidationError):
        actions.create_team(
            by=admin_user, organisation=other_organisation, name="X", parent=department
        )
    assert Team.objects.filter(organisation=organisation).count() == 2
