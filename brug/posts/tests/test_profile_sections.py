"""The posts app's sections of a profile page: Follow, "All posts", "Working on", recent posts."""

import re

import pytest
from django.urls import reverse

from brug.posts.enums import PostKind
from brug.posts.models import Follow
from brug.posts.tests.conftest import make_post
from brug.spaces.actions import _add_membership

pytestmark = pytest.mark.django_db


def _profile(client, person) -> str:
    response = client.get(reverse("people:profile", args=[person.handle]))
    assert response.status_code == 200
    return response.content.decode()


def _button(html: str, label: str) -> bool:
    return re.search(rf">\s*{label}</button>", html) is not None


def _follow_url(person) -> str:
    return reverse("posts:follow", args=[person.handle])


def test_another_persons_profile_shows_follow_working_on_and_recent_posts(
    client_of, member, owner, space
):
    make_post(owner, None, "Ik werk aan de nieuwe roosterplanning", kind=PostKind.WORK_OUT_LOUD)
    make_post(owner, space, "Wie heeft er ervaring met Nedap?", title="Nedap ervaringen")
    html = _profile(client_of(member), owner)
    assert f'action="{_follow_url(owner)}"' in html
    assert f'hx-post="{_follow_url(owner)}"' in html
    assert _button(html, "Follow")
    assert f'href="{reverse("posts:person", args=[owner.handle])}"' in html
    assert "All posts" in html
    assert 'id="working-on-title"' in html
    assert "Ik werk aan de nieuwe roosterplanning" in html
    assert 'id="recent-posts-title"' in html
    assert "Nedap ervaringen" in html
    assert "Informatiebeveiliging" in html  # the space of the post


def test_recent_posts_are_the_three_newest_linking_to_each_post(client_of, member, owner, space):
    posts = [make_post(owner, space, f"Bericht nummer {n}\n\nMeer tekst") for n in range(5)]
    html = _profile(client_of(member), owner)
    for post in posts[2:]:
        assert f"Bericht nummer {posts.index(post)}" in html
        assert f'href="{reverse("posts:detail", args=[post.pk])}"' in html
    for post in posts[:2]:
        assert f"Bericht nummer {posts.index(post)}" not in html
    assert "Meer tekst" not in html  # the first line only


def test_the_headline_is_plain_text_and_escaped(client_of, member, owner, space):
    make_post(owner, space, "**Vet** en <script>alert(1)</script> erbij")
    html = _profile(client_of(member), owner)
    assert "Vet en" in html
    assert "**Vet**" not in html
    assert "<script>alert(1)" not in html


def test_following_from_the_profile_with_htmx_returns_the_button(client_of, member, owner):
    client = client_of(member)
    profile_url = reverse("people:profile", args=[owner.handle])
    response = client.post(
        _follow_url(owner),
        {"action": "follow", "next": profile_url},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert 'aria-pressed="true"' in html
    assert _button(html, "Following")
    assert f'name="next" value="{profile_url}"' in html
    assert Follow.objects.filter(follower=member, followee=owner).exists()
    assert _button(_profile(client, owner), "Following")

    response = client.post(
        _follow_url(owner),
        {"action": "unfollow", "next": profile_url},
        headers={"HX-Request": "true"},
    )
    assert _button(response.content.decode(), "Follow")
    assert not Follow.objects.filter(follower=member, followee=owner).exists()


def test_following_from_the_profile_without_htmx_comes_back_to_the_profile(
    client_of, member, owner
):
    profile_url = reverse("people:profile", args=[owner.handle])
    html = _profile(client_of(member), owner)
    assert f'name="next" value="{profile_url}"' in html
    response = client_of(member).post(_follow_url(owner), {"action": "follow", "next": profile_url})
    assert response.status_code == 302
    assert response.url == profile_url


def test_a_post_in_a_secret_space_the_viewer_is_not_in_never_appears(
    client_of, member, owner, outsider, secret_space
):
    make_post(owner, secret_space, "Geheim: de nieuwe teamindeling", kind=PostKind.WORK_OUT_LOUD)
    outsider_html = _profile(client_of(outsider), owner)
    assert "Geheim: de nieuwe teamindeling" not in outsider_html
    assert "Reorganisatie 2027" not in outsider_html
    assert 'id="working-on-title"' not in outsider_html
    assert "No posts yet." in outsider_html
    # The other side: a member of the secret space reads it on the profile.
    member_html = _profile(client_of(member), owner)
    assert "Geheim: de nieuwe teamindeling" in member_html
    assert 'id="working-on-title"' in member_html


def test_a_guest_sees_only_posts_of_the_spaces_they_share(
    client_of, guest, owner, space, private_space
):
    _add_membership(space=space, person=guest)
    make_post(owner, space, "Gedeeld met de partner")
    make_post(owner, private_space, "Alleen voor teamleiders")
    make_post(owner, None, "Op mijn profiel: de planning", kind=PostKind.WORK_OUT_LOUD)
    html = _profile(client_of(guest), owner)
    assert "Gedeeld met de partner" in html
    assert "Alleen voor teamleiders" not in html
    assert "Op mijn profiel" not in html
    assert 'id="working-on-title"' not in html


def test_the_own_profile_shows_own_recent_posts_but_no_follow_button(client_of, member, space):
    make_post(member, space, "Mijn eigen bericht over wondzorg")
    html = _profile(client_of(member), member)
    assert "Mijn eigen bericht over wondzorg" in html
    assert _follow_url(member) not in html
    assert not _button(html, "Follow")
    assert "All posts" in html
    assert "Edit your profile" in html


def test_a_profile_without_posts_says_so(client_of, member, owner):
    html = _profile(client_of(member), owner)
    assert "No posts yet." in html
    assert 'id="working-on-title"' not in html


def test_the_profile_sections_speak_dutch(client_of, member, owner, space, settings):
    settings.LANGUAGE_CODE = "nl"
    make_post(owner, None, "Ik werk aan de roosters", kind=PostKind.WORK_OUT_LOUD)
    html = _profile(client_of(member), owner)
    assert "Bezig met" in html
    assert "Recente berichten" in html
    assert "Alle berichten" in html
    assert _button(html, "Volgen")


def test_unfollowing_someone_one_may_not_see_is_a_404_and_following_oneself_a_400(
    client, member, stranger, outsider
):
    client.force_login(member)
    assert (
        client.post(f"/posts/people/{stranger.handle}/follow", {"action": "unfollow"}).status_code
        == 404
    )
    assert (
        client.post("/posts/people/nobody.here/follow", {"action": "unfollow"}).status_code == 404
    )
    assert client.post(f"/posts/people/{member.handle}/follow").status_code == 400
    client.post(f"/posts/people/{outsider.handle}/follow")
    assert (
        client.post(f"/posts/people/{outsider.handle}/follow", {"action": "unfollow"}).status_code
        == 302
    )


def test_an_admin_edits_someone_elses_profile_in_the_admin(client, admin_user, member):
    client.force_login(admin_user)
    html = client.get(f"/people/{member.handle}/").content.decode()
    assert f"/admin/people/user/{member.pk}/change/" in html
    assert 'btn btn-outline-primary" href="/me/profile/"' not in html


def test_the_post_shown_as_working_on_is_not_repeated_under_recent_posts(client, member, outsider):
    from brug.posts import actions

    actions.create_post(author=outsider, space=None, body="Eerste bericht", rate_limit=False)
    actions.create_post(
        author=outsider,
        space=None,
        kind="work_out_loud",
        body="Ik werk aan de nieuwe roosterplanning",
        rate_limit=False,
    )
    client.force_login(member)
    html = client.get(f"/people/{outsider.handle}/").content.decode()
    assert html.count("Ik werk aan de nieuwe roosterplanning") == 1
    assert "Eerste bericht" in html
