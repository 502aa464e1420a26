"""The pages and htmx fragments: what a person sees and what bad input gets."""

import re

import pytest

from brug.posts import actions, queries
from brug.posts.models import Comment, Follow, Post, Reaction
from brug.posts.tests.conftest import make_comment, make_post
from brug.posts.tests.inert import assert_inert
from brug.posts.tests.test_markdown import ATTACKS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _prose(html: bytes) -> list[str]:
    """The rendered user texts of a page (the ``brug-prose`` blocks)."""
    return re.findall(r'<div class="brug-prose">(.*?)</div>\n', html.decode(), flags=re.S)


def test_the_site_root_leads_to_the_home_feed(member_client):
    response = member_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/posts/"


def test_home_shows_a_composer_with_my_spaces_and_my_profile(member_client, space, private_space):
    response = member_client.get("/posts/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'action="/posts/new"' in content
    assert "Informatiebeveiliging" in content and "Teamleiders" in content
    assert 'value="profile"' in content
    assert 'data-brug-mentions="/posts/mentions"' in content


def test_posting_from_the_composer_lands_on_the_post_or_back(member_client, member, space):
    response = member_client.post("/posts/new", {"space": space.pk, "body": "Hallo **team**"})
    post = Post.objects.get()
    assert response["Location"] == f"/posts/{post.pk}/"
    response = member_client.post(
        "/posts/new",
        {"space": "profile", "body": "Ik werk aan X", "kind": "work_out_loud", "next": "/posts/"},
    )
    assert response["Location"] == "/posts/"
    assert Post.objects.get(space=None).kind == "work_out_loud"


def test_posting_somewhere_forbidden_answers_403_or_404(
    client_of, outsider, stranger, space, secret_space
):
    assert (
        client_of(outsider).post("/posts/new", {"space": space.pk, "body": "x"}).status_code == 403
    )
    assert (
        client_of(outsider).post("/posts/new", {"space": secret_space.pk, "body": "x"}).status_code
        == 404
    )
    assert (
        client_of(stranger).post("/posts/new", {"space": space.pk, "body": "x"}).status_code == 404
    )
    assert client_of(outsider).post("/posts/new", {"space": "abc", "body": "x"}).status_code == 404
    assert not Post.objects.exists()


def test_composer_errors_are_a_422_with_the_text_kept(member_client, space):
    response = member_client.post("/posts/new", {"space": space.pk, "body": "   "})
    assert response.status_code == 422
    body = " ".join(f"@p{n}" for n in range(60))
    response = member_client.post("/posts/new", {"space": space.pk, "body": body})
    assert response.status_code == 422
    assert b"at most 50" in response.content
    assert b"@p59" in response.content
    assert not Post.objects.exists()


def test_a_twenty_megabyte_body_gets_413(member_client, space):
    response = member_client.post(
        "/posts/new", {"space": space.pk, "body": "x" * (20 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert not Post.objects.exists()


def test_posting_too_fast_gets_429_with_retry_after(member_client, space, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"post": "2/600"}
    for n in range(2):
        assert (
            member_client.post("/posts/new", {"space": space.pk, "body": f"{n}"}).status_code == 302
        )
    response = member_client.post("/posts/new", {"space": space.pk, "body": "te veel"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert b"te veel" in response.content  # the text is not lost
    assert Post.objects.count() == 2


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_in_posts_comments_and_names_are_inert_on_every_page(
    client_of, member, moderator, space, attack
):
    moderator.name = attack[:150]
    moderator.save()
    post = make_post(member, space, f"Kijk: {attack}", title=attack[:200])
    make_comment(moderator, post, attack)
    client = client_of(member)
    pages = [
        client.get(f"/posts/{post.pk}/"),
        client.get("/posts/"),
        client.get(f"/posts/space/{space.pk}/feed", headers=HTMX),
        client.get(f"/posts/people/{moderator.handle}/"),
    ]
    for response in pages:
        assert response.status_code == 200
        for prose in _prose(response.content):
            assert_inert(prose)
        content = response.content.decode()
        assert "<script>alert" not in content
        assert "<svg onload" not in content
        assert "<img src=x onerror" not in content
        assert not re.search(r"<a\s[^>]*href=\"\s*(javascript|data|vbscript):", content, re.I)
    actions.edit_post(editor=member, post=post, body="schoon", version=1)
    history = client.get(f"/posts/{post.pk}/history").content.decode()
    assert "<script>alert" not in history and "<svg onload" not in history


def test_post_page_shows_comments_threads_and_records_the_view(
    member_client, member, moderator, space
):
    from brug.analytics import recording

    post = make_post(member, space, "Wie weet iets van het ECD?")
    top = make_comment(moderator, post, "Ik!")
    make_comment(member, post, "Top, dank", parent=top)
    before = recording.pending_views()
    response = member_client.get(f"/posts/{post.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Ik!") < content.index("Top, dank")
    assert f'id="replies-{top.pk}"' in content
    assert recording.pending_views() >= before + 1 or recording.pending_views() >= 1


def test_comment_by_htmx_returns_the_comment_and_a_fresh_form(member_client, member, space):
    post = make_post(member, space)
    response = member_client.post(f"/posts/{post.pk}/comments", {"body": "Via htmx"}, headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Via htmx" in content
    assert 'hx-swap-oob="true"' in content
    comment = Comment.objects.get()
    response = member_client.post(
        f"/posts/{post.pk}/comments", {"body": "Antwoord", "parent": comment.pk}, headers=HTMX
    )
    assert f'id="reply-form-{comment.pk}"' in response.content.decode()
    assert Comment.objects.get(body="Antwoord").parent_id == comment.pk


def test_comment_errors_by_htmx_come_back_into_the_form(
    member_client, member, space, settings, rate_window
):
    post = make_post(member, space)
    response = member_client.post(f"/posts/{post.pk}/comments", {"body": ""}, headers=HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#comment-form"
    settings.BRUG_RATE_LIMITS = {"comment": "1/600"}
    member_client.post(f"/posts/{post.pk}/comments", {"body": "een"}, headers=HTMX)
    response = member_client.post(f"/posts/{post.pk}/comments", {"body": "twee"}, headers=HTMX)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert response["HX-Retarget"] == "#comment-form"


def test_comment_without_htmx_redirects_to_the_comment(member_client, member, space):
    post = make_post(member, space)
    response = member_client.post(f"/posts/{post.pk}/comments", {"body": "Gewoon"})
    comment = Comment.objects.get()
    assert response["Location"] == f"/posts/{post.pk}/#comment-{comment.pk}"


def test_reactions_toggle_by_htmx(member_client, member, space):
    post = make_post(member, space)
    response = member_client.post(f"/posts/{post.pk}/react", {"kind": "thanks"}, headers=HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert Reaction.objects.count() == 1
    member_client.post(f"/posts/{post.pk}/react", {"kind": "thanks"}, headers=HTMX)
    assert Reaction.objects.count() == 0
    response = member_client.post(f"/posts/{post.pk}/react", {"kind": "angry"}, headers=HTMX)
    assert response.status_code == 422


def test_comment_reactions_toggle(member_client, member, moderator, space):
    post = make_post(member, space)
    comment = make_comment(moderator, post)
    response = member_client.post(f"/posts/comments/{comment.pk}/react", {"kind": "helpful"})
    assert response.status_code == 302
    assert Reaction.objects.get().comment_id == comment.pk


def test_edit_with_a_stale_version_gets_409_and_keeps_my_text(client_of, member, space):
    post = make_post(member, space, "Versie 1")
    client = client_of(member)
    assert client.get(f"/posts/{post.pk}/edit").status_code == 200
    assert (
        client.post(f"/posts/{post.pk}/edit", {"body": "Versie 2", "version": 1}).status_code == 302
    )
    response = client.post(f"/posts/{post.pk}/edit", {"body": "Mijn versie", "version": 1})
    assert response.status_code == 409
    assert b"Mijn versie" in response.content and b"Versie 2" in response.content
    history = client.get(f"/posts/{post.pk}/history")
    assert b"Versie 1" in history.content


def test_only_the_author_sees_the_edit_page(client_of, member, moderator, space):
    post = make_post(member, space)
    assert client_of(moderator).get(f"/posts/{post.pk}/edit").status_code == 403


def test_moderators_pin_and_delete_from_the_post_page(client_of, member, moderator, space):
    post = make_post(member, space)
    client = client_of(moderator)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Pin to the top" in page
    assert client.post(f"/posts/{post.pk}/pin").status_code == 302
    assert Post.objects.get().is_pinned
    assert client_of(member).post(f"/posts/{post.pk}/pin").status_code == 403
    assert client.post(f"/posts/{post.pk}/delete").status_code == 302
    assert client.get(f"/posts/{post.pk}/").status_code == 404


def test_load_more_fragment_continues_the_space_feed(member_client, member, space):
    posts = [make_post(member, space, f"Post nummer {n}") for n in range(30)]
    first = member_client.get(f"/posts/space/{space.pk}/feed", headers=HTMX).content.decode()
    assert "Post nummer 29" in first and "Post nummer 4<" not in first
    cursor = re.search(r"\?before=([0-9_]+)", first).group(1)
    more = member_client.get(f"/posts/space/{space.pk}/feed?before={cursor}", headers=HTMX)
    assert more.status_code == 200
    assert more.content.decode().count('class="card brug-post') == 5
    assert member_client.get(f"/posts/space/{space.pk}/feed?before=rubbish").status_code == 400
    assert len(posts) == 30


def test_home_load_more_returns_the_feed_fragment(member_client, member, space):
    for n in range(27):
        make_post(member, space, f"Post {n}")
    page = queries.get_home_feed(viewer=member)
    response = member_client.get(f"/posts/?before={page.next_cursor}", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response.content.decode().count('class="card brug-post') == 2


def test_mention_autocomplete_lists_readers_and_offers_all(member_client, space):
    response = member_client.get("/posts/mentions", {"space_id": space.pk, "q": "mo"})
    content = response.content.decode()
    assert 'data-handle="mo.derator"' in content
    response = member_client.get("/posts/mentions", {"space_id": space.pk, "q": "a"})
    assert 'data-handle="all"' in response.content.decode()
    response = member_client.get("/posts/mentions", {"space_id": "profile", "q": "otto"})
    assert response.status_code == 200
    assert member_client.get("/posts/mentions", {"space_id": "x"}).status_code == 404


def test_person_page_follow_and_unfollow(member_client, member, outsider, space):
    make_post(outsider, None, "Ik werk aan de nieuwe roosters", kind="work_out_loud")
    page = member_client.get(f"/posts/people/{outsider.handle}/")
    assert page.status_code == 200
    assert b"Ik werk aan de nieuwe roosters" in page.content
    response = member_client.post(f"/posts/people/{outsider.handle}/follow", headers=HTMX)
    assert b"Following" in response.content
    assert Follow.objects.filter(follower=member, followee=outsider).exists()
    member_client.post(f"/posts/people/{outsider.handle}/follow", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_pages_of_unknown_things_are_404(member_client):
    assert member_client.get("/posts/999999/").status_code == 404
    assert member_client.get("/posts/people/nobody.here/").status_code == 404
    assert member_client.get("/posts/space/999999/feed").status_code == 404
    assert member_client.get("/posts/attachments/999/x.png").status_code == 404


def test_a_guest_sees_no_profile_composer(client_of, guest, space):
    from brug.spaces.actions import _add_membership

    _add_membership(space=space, person=guest)
    content = client_of(guest).get("/posts/").content.decode()
    assert 'value="profile"' not in content
    assert client_of(guest).post("/posts/new", {"space": "profile", "body": "x"}).status_code == 403


def test_a_person_named_like_an_attack_is_shown_as_text(member_client, space):
    evil = UserFactory(name="<img src=x onerror=alert(1)>", handle="evil")
    make_post(evil, None, "hoi")
    content = member_client.get("/posts/people/evil/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
