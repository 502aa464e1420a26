"""The profile: completeness score, the person page, the edit page and the welcome page."""

import pytest
from django.urls import reverse

from brug.people import actions
from brug.people.queries import get_person, get_profile_completeness, list_people_like
from brug.people.tests.conftest import png_bytes, upload
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _complete(person, team, photos_dir=None):
    actions.update_profile(
        person=person,
        by=person,
        function="Wijkverpleegkundige",
        team=team.pk,
        location="Utrecht",
        languages=["nl"],
        bio="Twintig jaar in de wijk.",
        expertise=["wondzorg", "dementie", "diabetes"],
        ask_me_about="Wondzorg",
        working_days=["mon", "tue"],
    )
    actions.set_photo(person=person, by=person, upload=upload(png_bytes()))


def test_an_empty_profile_is_zero_percent_and_lists_all_nine_items(db):
    percent, missing = get_profile_completeness(UserFactory())
    assert percent == 0
    assert [m["key"] for m in missing] == [
        "photo",
        "function",
        "team",
        "location",
        "languages",
        "bio",
        "expertise",
        "ask_me_about",
        "working_days",
    ]
    edit = reverse("people:profile-edit")
    assert missing[1]["url"] == f"{edit}#field-function"
    assert missing[1]["anchor"] == "#field-function"
    assert all(m["label"] for m in missing)


def test_a_profile_with_everything_is_complete(member, team, photos_dir):
    _complete(member, team)
    assert get_profile_completeness(member) == (100, [])


def test_two_areas_of_expertise_are_not_enough(member):
    actions.update_profile(person=member, by=member, expertise=["wondzorg", "dementie"])
    _, missing = get_profile_completeness(member)
    assert "expertise" in [m["key"] for m in missing]
    actions.update_profile(person=member, by=member, expertise=["wondzorg", "dementie", "stoma"])
    _, missing = get_profile_completeness(member)
    assert "expertise" not in [m["key"] for m in missing]


def test_the_score_counts_each_item_once(db):
    person = UserFactory()
    actions.update_profile(person=person, by=person, function="Teamleider", location="Zeist")
    percent, missing = get_profile_completeness(person)
    assert percent == round(100 * 2 / 9)
    assert len(missing) == 7


def test_completeness_uses_prefetched_expertise_without_a_query(member, django_assert_num_queries):
    person = get_person(viewer=member, pk=member.pk)
    with django_assert_num_queries(0):
        get_profile_completeness(person)


# Pages ----------------------------------------------------------------------------------


def test_ones_own_page_shows_what_is_missing_with_links(client, member):
    client.force_login(member)
    body = client.get(f"/people/{member.handle}/").content.decode()
    assert "11%" in body  # only the team is filled in
    assert 'href="/me/profile/#field-function"' in body
    assert "People like you" in body


def test_someone_elses_page_shows_no_completeness(client, member, outsider):
    client.force_login(outsider)
    body = client.get(f"/people/{member.handle}/").content.decode()
    assert member.name in body
    assert "#field-function" not in body
    assert "Edit your profile" not in body


def test_the_edit_page_saves_the_profile_and_the_photo_together(client, member, team, photos_dir):
    client.force_login(member)
    assert client.get("/me/profile/").status_code == 200
    response = client.post(
        "/me/profile/",
        {
            "name": "Sanne de Wit",
            "handle": "sanne.dewit",
            "function": "Wijkverpleegkundige",
            "team": team.pk,
            "location": "Utrecht",
            "languages": ["nl", "en"],
            "working_days": ["mon", "wed"],
            "bio": "Hallo",
            "expertise": "wondzorg, dementie, stoma",
            "ask_me_about": "Wondzorg",
            "language": "",
            "photo": upload(png_bytes()),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.function == "Wijkverpleegkundige"
    assert member.languages == ["nl", "en"]
    assert member.photo
    assert get_profile_completeness(member)[0] == 100


def test_a_bad_photo_on_the_edit_page_keeps_everything_unchanged(client, member, photos_dir):
    client.force_login(member)
    response = client.post(
        "/me/profile/",
        {
            "name": "Sanne de Wit",
            "handle": "sanne.dewit",
            "function": "Teamleider",
            "photo": upload(b"not an image at all", "foto.jpg", "image/jpeg"),
        },
    )
    assert response.status_code == 422
    assert "not an image" in response.content.decode()
    member.refresh_from_db()
    assert member.function == ""
    assert not member.photo


def test_a_taken_handle_on_the_edit_page_shows_next_to_the_field(client, member, outsider):
    client.force_login(member)
    response = client.post("/me/profile/", {"name": "Sanne", "handle": outsider.handle})
    assert response.status_code == 422
    body = response.content.decode()
    assert "This handle is taken." in body
    assert 'aria-invalid="true"' in body


def test_the_welcome_page_asks_the_essentials_and_marks_the_person_onboarded(client, member, team):
    client.force_login(member)
    body = client.get("/welcome/").content.decode()
    assert 'name="function"' in body and 'name="photo"' in body
    assert 'name="handle"' not in body
    response = client.post(
        "/welcome/", {"function": "HR-adviseur", "team": team.pk, "expertise": "verzuim"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.onboarded_at is not None
    assert member.function == "HR-adviseur"


# People like you --------------------------------------------------------------------------


def test_people_like_you_are_same_function_elsewhere_or_same_team_name_in_other_organisations(
    member, team, organisation, other_organisation, space
):
    from brug.spaces.actions import _add_membership

    actions.update_profile(person=member, by=member, function="Wijkverpleegkundige")
    same_team = UserFactory(team=team, function="Wijkverpleegkundige")
    other_team = UserFactory(
        team=TeamFactory(organisation=organisation), function="wijkverpleegkundige"
    )
    partner_team = TeamFactory(organisation=other_organisation, name=team.name)
    partner = UserFactory(organisation=other_organisation, team=partner_team, function="Planner")
    invisible = UserFactory(organisation=other_organisation, function="Wijkverpleegkundige")
    _add_membership(space=space, person=partner)
    member.refresh_from_db()
    like = list_people_like(viewer=member, person=member)
    assert like[0] == partner  # other organisations first
    assert other_team in like
    assert same_team not in like  # one's own team is not "elsewhere"
    assert invisible not in like  # not visible to the member
