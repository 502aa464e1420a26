"""The mention autocomplete and the invite picker run on the people index of search.

The matrix runs every role through both autocomplete endpoints (the
composer's HTML list and ``GET /api/v1/mentions``) in every kind of place,
asking for each person by handle: found exactly when the permission module
says they may be mentioned there by that viewer.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from brug.core import jobs
from brug.people import actions as people
from brug.people.models import Expertise, User
from brug.permissions.mentions import filter_mention_candidates
from brug.posts import queries as posts
from brug.search.indexing import index_object
from brug.search.tests.helpers import ROLES
from brug.spaces import queries as spaces
from brug.spaces.actions import _add_membership, create_space
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PLACES = ["space", "private_space", "secret_space", "partner_space", "profile"]


def _expected(viewer, space) -> tuple[int, set[int]]:
    try:
        candidates = filter_mention_candidates(viewer, space=space)
        return 200, set(candidates.values_list("pk", flat=True))
    except Http404:
        return 404, set()
    except PermissionDenied:
        return 403, set()


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_the_autocomplete_offers_exactly_whom_the_viewer_may_mention(request, corpus, role, place):
    viewer = request.getfixturevalue(role)
    everybody = [request.getfixturevalue(name) for name in ROLES]
    space = None if place == "profile" else getattr(corpus, place)
    status, expected = _expected(viewer, space)
    client = Client()
    client.force_login(viewer)
    space_id = "profile" if space is None else space.pk
    for person in everybody:
        api_params = {"q": person.handle} | ({} if space is None else {"space_id": space.pk})
        api = client.get("/api/v1/mentions", api_params)
        page = client.get("/posts/mentions", {"q": person.handle, "space_id": space_id})
        assert (api.status_code, page.status_code) == (status, status), person.handle
        if status != 200:
            continue
        found = [item["handle"] for item in api.json()["items"]]
        may = person.pk in expected
        assert found == ([person.handle] if may else []), (role, place, person.handle)
        assert (f"@{person.handle}" in page.text) is may, (role, place, person.handle)


def test_the_autocomplete_finds_people_by_function_team_and_expertise(corpus, member, space):
    person = UserFactory(
        name="Fleur Hendriks", handle="fleur.h", function="Wondverpleegkundige", search_index=False
    )
    person.expertise.add(Expertise.objects.create(name="Decubitus", slug="decubitus"))
    index_object(kind="person", pk=person.pk)
    for q in ("wondverpleeg", "decub", "fleur hend", "@fleur.h"):
        found = posts.list_mention_candidates(viewer=member, space=space, q=q)
        assert [p.pk for p in found] == [person.pk], q


def test_a_stop_word_starts_a_name_in_the_pickers(corpus, member, space):
    dekker = UserFactory(name="Dirk Dekker", handle="dirk.dekker")
    vandijk = UserFactory(name="Vera Vandijk", handle="vera.vandijk")
    assert dekker.pk in {
        p.pk for p in posts.list_mention_candidates(viewer=member, space=space, q="de")
    }
    found = posts.list_mention_candidates(viewer=member, space=space, q="van")
    assert [p.pk for p in found] == [vandijk.pk]


def test_a_renamed_person_is_offered_under_the_new_name_once_the_job_ran(
    corpus, member, outsider, space
):
    people.update_profile(
        person=outsider, by=outsider, name="Otto Buitenstaander", handle="otto.buiten"
    )
    jobs.run_pending()
    found = posts.list_mention_candidates(viewer=member, space=space, q="buitenst")
    assert [p.pk for p in found] == [outsider.pk]
    assert posts.list_mention_candidates(viewer=member, space=space, q="outsider") == []


def test_a_deactivated_person_leaves_the_pickers_before_any_reindex(
    corpus, member, outsider, space
):
    User.objects.filter(pk=outsider.pk).update(is_active=False)  # as the admin's checkbox does
    assert posts.list_mention_candidates(viewer=member, space=space, q="otto") == []
    assert spaces.list_invitable_people(viewer=member, space=space, q="otto") == []


def test_the_invite_picker_finds_by_profile_and_offers_only_who_may_be_invited(
    corpus, member, moderator, outsider, guest, stranger, space
):
    def invitable(viewer, q):
        return {p.pk for p in spaces.list_invitable_people(viewer=viewer, space=space, q=q)}

    colleague = UserFactory(name="Ruben Smit", handle="ruben.smit", function="Data-analist")
    assert invitable(member, "data analist") == {colleague.pk}
    assert invitable(member, "otto") == {outsider.pk}
    assert invitable(member, "sanne") == set()  # already in the space
    assert invitable(member, "gina") == set()  # members do not invite guests
    assert invitable(moderator, "gina") == {guest.pk}
    assert invitable(member, "stan") == set()  # another organisation
    assert invitable(member, colleague.email.upper()) == {colleague.pk}
    assert invitable(member, stranger.email) == set()


@pytest.mark.parametrize(("people", "memberships"), [(5, 10), (25, 200)])
def test_the_autocomplete_keeps_its_query_budget(
    member, owner, space, django_assert_num_queries, people, memberships
):
    for n in range(people):
        UserFactory(name=f"Zorgcollega {n:02d}", handle=f"zorg{n:02d}")
    for n in range(memberships - 1):
        extra = create_space(creator=owner, name=f"Extra ruimte {n}")
        _add_membership(space=extra, person=member)
    client = Client()
    client.force_login(member)
    client.get("/")  # the session is warm
    # Session and user, then: the space, the viewer's memberships, the people.
    with django_assert_num_queries(2 + 3):
        api = client.get("/api/v1/mentions", {"q": "zorgcol", "space_id": space.pk})
    with django_assert_num_queries(2 + 3):
        page = client.get("/posts/mentions", {"q": "zorgcol", "space_id": space.pk})
    assert len(api.json()["items"]) == min(people, 10)
    assert page.content.decode().count("@zorg") == min(people, 10)


def test_the_autocomplete_says_what_someone_does(corpus, member, space):
    person = UserFactory(
        name="Fleur Hendriks", handle="fleur.h", function="Wondverpleegkundige", search_index=False
    )
    index_object(kind="person", pk=person.pk)
    client = Client()
    client.force_login(member)
    html = client.get("/posts/mentions", {"q": "wondverpl", "space_id": space.pk}).text
    assert "Fleur Hendriks" in html and "Wondverpleegkundige" in html
