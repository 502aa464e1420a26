"""Profile sections: the registry other apps add to, and the profile page's query budget.

The sections themselves are tested where they live:
``brug/posts/tests/test_profile_sections.py`` (Follow, working on, recent posts)
and ``brug/questions/tests/test_profile_sections.py`` (answers).
"""

import pytest
from django.test import Client
from django.urls import reverse

from brug.people import sections
from brug.people.sections import ProfileSection, profile_sections, register_profile_section
from brug.posts.enums import PostKind
from brug.posts.tests.conftest import make_post
from brug.questions import actions as question_actions
from brug.questions.tests.conftest import answer, ask
from brug.spaces.actions import ensure_questions_space
from tests.factories import give_memberships

# Registry ---------------------------------------------------------------------------------


@pytest.fixture
def registered(monkeypatch):
    """Register providers in an empty registry for one test (the apps' own are put back)."""
    monkeypatch.setattr(sections, "_providers", [])

    def register(order, provider):
        return register_profile_section(order)(provider)

    return register


def _places(sections):
    return {place: [s.template for s in found] for place, found in sections.items()}


def test_sections_come_per_place_in_the_order_of_their_providers(registered):
    calls = []

    def late(*, viewer, person, own):
        calls.append(("late", viewer, person, own))
        return [
            ProfileSection("late-main.html", {}, "main"),
            ProfileSection("late-side.html", {}, "sidebar"),
        ]

    def early(*, viewer, person, own):
        calls.append(("early", viewer, person, own))
        return ProfileSection("early-main.html", {"n": 1}, "main")

    def nothing(*, viewer, person, own):
        return None

    registered(9000, late)
    registered(-9000, early)
    registered(0, nothing)
    places = _places(profile_sections(viewer="viewer", person="person", own=True))
    assert places == {
        "actions": [],
        "main": ["early-main.html", "late-main.html"],
        "sidebar": ["late-side.html"],
    }
    assert calls == [("early", "viewer", "person", True), ("late", "viewer", "person", True)]


def test_registering_a_provider_twice_keeps_one(registered):
    def once(*, viewer, person, own):
        return ProfileSection("once.html", {}, "sidebar")

    registered(5, once)
    registered(5, once)
    found = profile_sections(viewer=None, person=None, own=False)
    assert _places(found)["sidebar"] == ["once.html"]


def test_a_section_must_name_a_known_place():
    with pytest.raises(ValueError, match="footer"):
        ProfileSection("x.html", {}, "footer")


def test_the_posts_and_questions_apps_register_their_sections():
    keys = [entry[2] for entry in sections._providers]
    assert "brug.posts.profile.follow_and_all_posts" in keys
    assert "brug.posts.profile.working_on_and_recent_posts" in keys
    assert "brug.questions.profile.answers" in keys


# Query budget ------------------------------------------------------------------------------

AUTH = 1  # the signed-in user's row; sessions are signed cookies here
# The person with team and organisation (1) and expertise (1), the viewer's
# memberships (1, loaded once for every section), the follow state (1), the
# latest work-out-loud post (1), the recent posts (1), the latest answers (1),
# the accepted answers (1), and the header's unread-notifications badge (1).
PROFILE_PAGE = 9


@pytest.mark.parametrize(("items", "memberships"), [(2, 5), (20, 50)])
def test_the_profile_page_keeps_its_query_budget(
    settings,
    django_assert_num_queries,
    organisation,
    member,
    owner,
    moderator,
    space,
    items,
    memberships,
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    durf = ensure_questions_space(organisation=organisation)
    for n in range(items):
        make_post(owner, space, f"Bericht {n}")
        make_post(owner, None, f"Ik werk aan {n}", kind=PostKind.WORK_OUT_LOUD)
        question = ask(moderator, title=f"Vraag {n}?", space=durf)
        given = answer(owner, question)
        question_actions.accept_answer(by=moderator, question=question, answer=given)
    give_memberships(member, organisation, memberships)
    give_memberships(owner, organisation, memberships)
    client = Client()
    client.force_login(member)
    url = reverse("people:profile", args=[owner.handle])
    with django_assert_num_queries(AUTH + PROFILE_PAGE):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Bericht {items - 1}" in html
    assert f"{items} answers accepted" in html
