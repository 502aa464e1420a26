"""The posts API: the calls of DESIGN.md's table, their errors and their limits."""

import pytest
from django.test import Client

from brug.posts.models import Attachment, Follow, Post, Reaction
from brug.posts.tests.conftest import API, make_comment, make_post, png_bytes

pytestmark = pytest.mark.django_db


def test_create_read_edit_and_delete_a_post(api, member, moderator, space):
    client = api(member)
    response = client.post(f"/spaces/{space.pk}/posts", {"body": "Hallo @mo.derator, **vet**"})
    assert response.status_code == 201
    data = response.json()
    assert data["id"] and data["version"] == 1 and data["space_id"] == space.pk
    assert "<strong>vet</strong>" in data["body_html"]
    assert data["author"]["handle"] == "sanne.dewit"
    post_id = data["id"]
    assert client.get(f"/posts/{post_id}").json()["body"] == "Hallo @mo.derator, **vet**"
    response = client.patch(f"/posts/{post_id}", {"body": "Nieuw", "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.patch(f"/posts/{post_id}", {"body": "Oud", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["detail"]
    assert [r["version"] for r in client.get(f"/posts/{post_id}/revisions").json()] == [1]
    assert api(moderator).patch(f"/posts/{post_id}", {"body": "x", "version": 2}).status_code == 403
    assert client.delete(f"/posts/{post_id}").status_code == 204
    assert client.get(f"/posts/{post_id}").status_code == 404


def test_profile_posts_through_the_api(api, member, guest):
    response = api(member).post(
        "/posts", {"body": "I'm working on onboarding", "kind": "work_out_loud"}
    )
    assert response.status_code == 201
    assert response.json()["space_id"] is None
    assert api(guest).post("/posts", {"body": "x"}).status_code == 403


def test_invalid_posts_get_422_with_a_detail(api, member, space):
    client = api(member)
    for payload in (
        {"body": ""},
        {"body": "x", "kind": "question"},
        {"body": "x" * 20_001},
        {"body": "nul\u0000byte"},
        {"kind": "update"},
    ):
        response = client.post(f"/spaces/{space.pk}/posts", payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"]
    assert not Post.objects.exists()


def test_ten_thousand_mentions_are_refused(api, member, space):
    body = " ".join(f"@p{n}" for n in range(10_000))
    response = api(member).post(f"/spaces/{space.pk}/posts", {"body": body})
    assert response.status_code == 422
    response = api(member).post(
        f"/spaces/{space.pk}/posts", {"body": " ".join(f"@p{n}" for n in range(51))}
    )
    assert response.status_code == 422
    assert "50" in response.json()["detail"]


def test_a_twenty_megabyte_body_gets_413(api, member, space):
    client = api(member)
    response = client.client.post(
        f"{API}/spaces/{space.pk}/posts",
        '{"body": "' + "x" * (20 * 1024 * 1024) + '"}',
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 413


def test_posting_too_fast_gets_429_with_retry_after(api, member, space, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"post": "1/600"}
    client = api(member)
    assert client.post(f"/spaces/{space.pk}/posts", {"body": "een"}).status_code == 201
    response = client.post(f"/spaces/{space.pk}/posts", {"body": "twee"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600


def test_feed_is_cursor_paginated(api, member, space):
    for n in range(30):
        make_post(member, space, f"Post {n}")
    client = api(member)
    first = client.get("/feed", {"limit": 20}).json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    second = client.get("/feed", {"limit": 20, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 10 and second["next_cursor"] is None
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(ids)) == 30
    assert client.get("/feed", {"cursor": "garbage"}).status_code == 400


def test_space_posts_list_and_its_limits(api, member, outsider, stranger, space, private_space):
    make_post(member, private_space, "Privé")
    assert (
        api(member).get(f"/spaces/{private_space.pk}/posts").json()["items"][0]["body"] == "Privé"
    )
    assert api(outsider).get(f"/spaces/{private_space.pk}/posts").status_code == 403
    assert api(stranger).get(f"/spaces/{private_space.pk}/posts").status_code == 404
    assert api(member).get("/spaces/999999/posts").status_code == 404
    assert api(member).get(f"/spaces/{space.pk}/posts", {"limit": 1000}).status_code == 200


def test_comments_and_reactions(api, member, moderator, space):
    post = make_post(member, space)
    client = api(moderator)
    response = client.post(f"/posts/{post.pk}/comments", {"body": "Eens! @sanne.dewit"})
    assert response.status_code == 201
    comment_id = response.json()["id"]
    reply = client.post(
        f"/posts/{post.pk}/comments", {"body": "En verder", "parent_id": comment_id}
    )
    assert reply.json()["parent_id"] == comment_id
    assert (
        client.post(f"/posts/{post.pk}/comments", {"body": "x", "parent_id": 999999}).status_code
        == 422
    )
    listed = api(member).get(f"/posts/{post.pk}/comments").json()
    assert [c["id"] for c in listed["items"]][0] == comment_id
    response = client.post(f"/posts/{post.pk}/reactions", {"kind": "thanks"})
    assert response.status_code == 201
    assert response.json() == [{"kind": "thanks", "count": 1, "mine": True}]
    assert client.post(f"/posts/{post.pk}/reactions", {"kind": "thanks"}).status_code == 201
    assert Reaction.objects.count() == 1
    assert client.post(f"/posts/{post.pk}/reactions", {"kind": "angry"}).status_code == 422
    assert client.delete(f"/posts/{post.pk}/reactions/thanks").json() == []
    response = api(member).post(f"/comments/{comment_id}/reactions", {"kind": "helpful"})
    assert response.status_code == 201
    edited = client.patch(f"/comments/{comment_id}", {"body": "Helemaal eens", "version": 1})
    assert edited.status_code == 200
    assert client.patch(f"/comments/{comment_id}", {"body": "x", "version": 1}).status_code == 409
    assert client.delete(f"/comments/{comment_id}").status_code == 204


def test_mentions_endpoint_offers_readers_only(api, member, outsider, space, private_space):
    response = api(member).get("/mentions", {"q": "ot", "space_id": space.pk})
    assert [p["handle"] for p in response.json()["items"]] == ["otto.outsider"]
    response = api(member).get("/mentions", {"q": "ot", "space_id": private_space.pk})
    assert response.json()["items"] == []
    assert response.json()["may_mention_all"] is True
    assert api(member).get("/mentions", {"space_id": 999999}).status_code == 404


def test_pin_through_the_api(api, member, moderator, space):
    post = make_post(member, space)
    assert api(member).post(f"/posts/{post.pk}/pin").status_code == 403
    assert api(moderator).post(f"/posts/{post.pk}/pin").json()["is_pinned"] is True
    assert api(moderator).delete(f"/posts/{post.pk}/pin").json()["is_pinned"] is False


def test_follow_through_the_api(api, member, outsider, stranger):
    assert api(member).post(f"/people/{outsider.pk}/follow").status_code == 204
    assert Follow.objects.filter(follower=member, followee=outsider).exists()
    assert api(member).post(f"/people/{stranger.pk}/follow").status_code == 404
    assert api(member).delete(f"/people/{outsider.pk}/follow").status_code == 204
    assert api(member).get(f"/people/{outsider.pk}/posts").status_code == 200


def test_upload_then_attach(api, member, space, uploads_dir):
    client = api(member)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.client.post(
        f"{API}/attachments",
        {"file": SimpleUploadedFile("wond.png", png_bytes(), content_type="image/png")},
        headers=client.headers,
    )
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    assert response.json()["content_type"] == "image/jpeg"
    post = client.post(
        f"/spaces/{space.pk}/posts", {"body": "Foto", "attachment_ids": [attachment_id]}
    )
    assert post.status_code == 201
    assert post.json()["attachments"][0]["id"] == attachment_id
    assert Attachment.objects.get().post_id == post.json()["id"]
    response = client.client.post(
        f"{API}/attachments",
        {"file": SimpleUploadedFile("x.exe", b"MZ" + bytes(100))},
        headers=client.headers,
    )
    assert response.status_code == 422


def test_session_clients_need_csrf_for_writes(member, space):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        f"{API}/spaces/{space.pk}/posts", '{"body": "x"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_comments_list_of_an_invisible_post_is_404(api, member, stranger, space):
    post = make_post(member, space)
    make_comment(member, post)
    assert api(stranger).get(f"/posts/{post.pk}/comments").status_code == 404
