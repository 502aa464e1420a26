"""SECURITY.md's fixture matrix for posts: roles x (open, private, secret) through every channel.

Channels: the post page, the space feed htmx fragment, the API (post, space
list, comments), the attachment URL, the edit history, and the mention
autocomplete (HTML and API). Post-level channels answer 404 to whoever may
not read the post (hidden and missing alike); space-level channels answer
403 to someone who may see the space but not read it, 404 otherwise.
"""

import pytest
from django.test import Client

from brug.posts import actions
from brug.posts.tests.conftest import Api, Upload, make_comment, make_post, png_bytes
from brug.spaces.actions import _add_membership, remove_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SPACES = ["space", "private_space", "secret_space"]
ROLES = [
    "member",
    "moderator",
    "outsider",
    "stranger",
    "guest",
    "community_manager",
    "admin_user",
    "removed_member",
]
# (role, space) -> (reads, sees)
EXPECTED = {
    ("member", "space"): (True, True),
    ("member", "private_space"): (True, True),
    ("member", "secret_space"): (True, True),
    ("moderator", "space"): (True, True),
    ("moderator", "private_space"): (True, True),
    ("moderator", "secret_space"): (True, True),
    ("outsider", "space"): (True, True),
    ("outsider", "private_space"): (False, True),
    ("outsider", "secret_space"): (False, False),
    ("stranger", "space"): (False, False),
    ("stranger", "private_space"): (False, False),
    ("stranger", "secret_space"): (False, False),
    ("guest", "space"): (False, False),
    ("guest", "private_space"): (False, False),
    ("guest", "secret_space"): (False, False),
    ("community_manager", "space"): (True, True),
    ("community_manager", "private_space"): (False, True),
    ("community_manager", "secret_space"): (False, False),
    ("admin_user", "space"): (True, True),
    ("admin_user", "private_space"): (False, True),
    ("admin_user", "secret_space"): (False, False),
    ("removed_member", "space"): (True, True),
    ("removed_member", "private_space"): (False, True),
    ("removed_member", "secret_space"): (False, False),
}
CASES = [(role, which) for role in ROLES for which in SPACES]


@pytest.fixture
def removed_member(organisation, team):
    return UserFactory(name="Remco Removed", handle="remco.removed", team=team)


@pytest.fixture
def world(request, owner, member, moderator, removed_member, uploads_dir):
    """A post with a comment, an edit, an image and a mention in each of the three spaces."""

    def build(which):
        space = request.getfixturevalue(which)
        _add_membership(space=space, person=removed_member)
        image = actions.add_attachment(
            uploader=member, upload=Upload(png_bytes(), "wond.png"), rate_limit=False
        )
        post = make_post(member, space, "Wondzorg @mo.derator", attachments=[image])
        actions.edit_post(editor=member, post=post, body="Wondzorg, versie 2", version=1)
        comment = make_comment(moderator, post, "Helder")
        remove_member(by=owner, space=space, person=removed_member)
        return space, post, comment, image

    return build


def _client(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(("role", "which"), CASES)
def test_post_level_channels_follow_the_matrix(request, world, role, which):
    space, post, comment, image = world(which)
    person = request.getfixturevalue(role)
    reads, _sees = EXPECTED[(role, which)]
    client = _client(person)
    expected = 200 if reads else 404

    page = client.get(f"/posts/{post.pk}/")
    assert page.status_code == expected
    history = client.get(f"/posts/{post.pk}/history")
    assert history.status_code == expected
    download = client.get(f"/posts/attachments/{image.pk}/{image.name}")
    assert download.status_code == expected
    thumb = client.get(f"/posts/attachments/{image.pk}/thumb/{image.name}")
    assert thumb.status_code == expected
    api = Api(person)
    assert api.get(f"/posts/{post.pk}").status_code == expected
    assert api.get(f"/posts/{post.pk}/comments").status_code == expected
    assert api.get(f"/posts/{post.pk}/revisions").status_code == expected
    if reads:
        assert b"Wondzorg, versie 2" in page.content
        assert b"Helder" in page.content
        assert b"Wondzorg @mo.derator" in history.content
    else:
        for response in (page, history):
            assert b"Wondzorg" not in response.content
            assert b"Helder" not in response.content


@pytest.mark.parametrize(("role", "which"), CASES)
def test_space_level_channels_follow_the_matrix(request, world, role, which):
    space, post, comment, image = world(which)
    person = request.getfixturevalue(role)
    reads, sees = EXPECTED[(role, which)]
    client = _client(person)
    expected = 200 if reads else (403 if sees else 404)

    fragment = client.get(f"/posts/space/{space.pk}/feed", headers={"HX-Request": "true"})
    assert fragment.status_code == expected
    mentions = client.get("/posts/mentions", {"space_id": space.pk, "q": "olga"})
    assert mentions.status_code == expected
    api = Api(person)
    assert api.get(f"/spaces/{space.pk}/posts").status_code == expected
    assert api.get("/mentions", {"space_id": space.pk, "q": "olga"}).status_code == expected
    if reads:
        assert b"Wondzorg" in fragment.content
        assert b"olga.owner" in mentions.content
    else:
        assert b"Wondzorg" not in fragment.content
        assert b"olga.owner" not in mentions.content


@pytest.mark.parametrize(("role", "which"), CASES)
def test_feeds_and_profiles_follow_the_matrix(request, world, member, role, which):
    space, post, comment, image = world(which)
    person = request.getfixturevalue(role)
    reads, _sees = EXPECTED[(role, which)]
    same_organisation = person.organisation_id == member.organisation_id and not person.is_guest
    if same_organisation and person.pk != member.pk:
        actions.follow_person(follower=person, person=member)
    feed_ids = [item["id"] for item in Api(person).get("/feed").json()["items"]]
    # Readers follow the author (or are in the space, or are the author): it is
    # in their feed exactly when they may read it.
    assert (post.pk in feed_ids) is reads
    person_posts = _client(person).get(f"/posts/people/{member.handle}/")
    if person.is_guest or person.organisation_id != member.organisation_id:
        assert person_posts.status_code == 404
    else:
        assert person_posts.status_code == 200
        assert (b"Wondzorg" in person_posts.content) is reads


@pytest.mark.parametrize(("role", "which"), CASES)
def test_writes_follow_the_matrix(request, world, role, which):
    space, post, comment, image = world(which)
    person = request.getfixturevalue(role)
    reads, _sees = EXPECTED[(role, which)]
    api = Api(person)
    response = api.post(f"/posts/{post.pk}/comments", {"body": "Ik doe mee"})
    assert response.status_code == (201 if reads else 404)
    response = api.post(f"/posts/{post.pk}/reactions", {"kind": "thanks"})
    assert response.status_code == (201 if reads else 404)
    response = _client(person).post(f"/posts/{post.pk}/react", {"kind": "helpful"})
    assert response.status_code == (302 if reads else 404)


def test_a_removed_member_loses_everything_at_once(
    owner, member, moderator, private_space, uploads_dir
):
    image = actions.add_attachment(
        uploader=member, upload=Upload(png_bytes(), "a.png"), rate_limit=False
    )
    post = make_post(member, private_space, "Binnenkort", attachments=[image])
    client = _client(moderator)
    assert client.get(f"/posts/{post.pk}/").status_code == 200
    remove_member(by=owner, space=private_space, person=moderator)
    assert client.get(f"/posts/{post.pk}/").status_code == 404
    assert client.get(f"/posts/attachments/{image.pk}/a.png").status_code == 404
    assert client.get(f"/posts/space/{private_space.pk}/feed").status_code == 403
    assert Api(moderator).get(f"/posts/{post.pk}").status_code == 404
