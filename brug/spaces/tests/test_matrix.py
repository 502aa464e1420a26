"""The "Who sees what" matrix of DESIGN.md through every spaces channel.

(member, outsider, stranger, guest, moderator, community manager, admin,
removed member) x (open, private, secret) through the space page, its htmx
fragment, the directory, the API and the members list (page and API).
"""

import pytest
from django.test import Client

from brug.spaces.tests.conftest import SPACES

SEES_READS = {
    # who: {space: (sees, reads)}
    "member": {"space": (1, 1), "private_space": (1, 1), "secret_space": (1, 1)},
    "moderator": {"space": (1, 1), "private_space": (1, 1), "secret_space": (1, 1)},
    "outsider": {"space": (1, 1), "private_space": (1, 0), "secret_space": (0, 0)},
    "stranger": {"space": (0, 0), "private_space": (0, 0), "secret_space": (0, 0)},
    "guest": {"space": (0, 0), "private_space": (0, 0), "secret_space": (0, 0)},
    "community_manager": {"space": (1, 1), "private_space": (1, 0), "secret_space": (0, 0)},
    "admin_user": {"space": (1, 1), "private_space": (1, 0), "secret_space": (0, 0)},
    "removed": {"space": (1, 1), "private_space": (1, 0), "secret_space": (0, 0)},
}


@pytest.fixture
def setup(request, marked_posts, removed):
    def make(who, which):
        person = request.getfixturevalue(who)
        target = request.getfixturevalue(which)
        client = Client()
        client.force_login(person)
        return person, target, client, f"geheime-inhoud-{which}"

    return make


def _check_page(client, target, marker, sees, reads):
    response = client.get(f"/spaces/{target.slug}/")
    if not sees:
        assert response.status_code == 404
        assert target.name not in response.text
        return
    assert response.status_code == 200
    assert target.name in response.text
    assert (marker in response.text) is reads
    if not reads:
        assert 'class="card brug-space-locked"' in response.text


def _check_fragment(client, target, marker, sees, reads):
    response = client.get(f"/spaces/{target.slug}/", headers={"HX-Request": "true"})
    if not sees:
        assert response.status_code == 404
        assert target.name not in response.text
        return
    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment, not the page
    assert (marker in response.text) is reads


def _check_directory(client, target, sees, in_space):
    response = client.get("/spaces/", {"q": target.name})
    assert response.status_code == 200
    assert (f'id="space-card-{target.pk}"' in response.text) is sees
    mine = client.get("/spaces/", {"show": "mine"})
    assert (f'id="space-card-{target.pk}"' in mine.text) is in_space


def _check_members_page(client, target, sees, reads):
    response = client.get(f"/spaces/{target.slug}/members/")
    assert response.status_code == (200 if reads else (403 if sees else 404))
    assert ("Sanne de Wit" in response.text) is reads


def _check_api(api, target, sees, reads):
    detail = api.get(f"/spaces/{target.pk}")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        assert detail.json()["name"] == target.name
        assert detail.json()["can_read"] is reads
    else:
        assert set(detail.json()) <= {"detail", "errors"}
        assert target.name not in detail.text
    members = api.get(f"/spaces/{target.pk}/members")
    assert members.status_code == (200 if reads else (403 if sees else 404))
    if reads:
        handles = {item["person"]["handle"] for item in members.json()["items"]}
        assert {"olga.owner", "sanne.dewit", "mo.derator"} <= handles
        assert "rik.removed" not in handles
    listing = api.get("/spaces", {"q": target.name, "limit": 100})
    assert listing.status_code == 200
    assert (target.pk in {item["id"] for item in listing.json()["items"]}) is sees


@pytest.mark.parametrize("which", SPACES)
def test_every_spaces_channel_follows_the_who_sees_what_matrix(
    request, setup, api_as, subtests, which
):
    """The space page, its htmx fragment, the directory, the members page and the API."""
    for who, row in SEES_READS.items():
        sees, reads = (bool(flag) for flag in row[which])
        with subtests.test(who=who):
            person, target, client, marker = setup(who, which)
            _check_page(client, target, marker, sees, reads)
            _check_fragment(client, target, marker, sees, reads)
            _check_directory(client, target, sees, in_space=who in {"member", "moderator"})
            _check_members_page(client, target, sees, reads)
            _check_api(api_as(person), target, sees, reads)


@pytest.mark.parametrize("which", SPACES)
def test_cover_is_served_only_to_those_who_see_the_space(
    request, which, owner, stranger, outsider, settings, tmp_path
):
    from brug.spaces.actions import update_space
    from brug.spaces.tests.test_actions import _png

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    target = request.getfixturevalue(which)
    update_space(by=owner, space=target, cover=_png())
    client = Client()
    client.force_login(owner)
    response = client.get(f"/spaces/{target.slug}/cover/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(stranger)
    assert client.get(f"/spaces/{target.slug}/cover/").status_code == 404
    client.force_login(outsider)
    expected = 404 if which == "secret_space" else 200
    assert client.get(f"/spaces/{target.slug}/cover/").status_code == expected


def test_a_removed_member_loses_access_at_once_on_every_channel(
    client, api_as, owner, member, private_space, marked_posts
):
    from brug.spaces.actions import remove_member

    client.force_login(member)
    api = api_as(member)
    page = f"/spaces/{private_space.slug}/"
    assert "geheime-inhoud-private_space" in client.get(page).text
    assert api.get(f"/spaces/{private_space.pk}/members").status_code == 200

    remove_member(by=owner, space=private_space, person=member)

    # Same session, same token: the very next request no longer reads.
    response = client.get(page)
    assert response.status_code == 200
    assert "geheime-inhoud-private_space" not in response.text
    fragment = client.get(page, headers={"HX-Request": "true"})
    assert "geheime-inhoud-private_space" not in fragment.text
    assert client.get(f"{page}members/").status_code == 403
    assert api.get(f"/spaces/{private_space.pk}/members").status_code == 403
    assert api.get(f"/spaces/{private_space.pk}").json()["can_read"] is False
    assert api.get(f"/spaces/{private_space.pk}").json()["my_role"] is None


def test_a_member_removed_from_a_secret_space_gets_404_at_once(
    client, owner, member, secret_space, marked_posts
):
    from brug.spaces.actions import remove_member

    client.force_login(member)
    assert client.get(f"/spaces/{secret_space.slug}/").status_code == 200
    remove_member(by=owner, space=secret_space, person=member)
    assert client.get(f"/spaces/{secret_space.slug}/").status_code == 404
    assert client.get(f"/spaces/{secret_space.pk}/").status_code == 404
