"""Bearer tokens and the session (+ CSRF) as the API's two ways in."""

from datetime import timedelta

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from brug.api.tests.conftest import API, ApiClient
from brug.people.models import ApiToken
from brug.people.tokens import create_token, digest_token, verify_token

pytestmark = pytest.mark.django_db


def test_a_valid_token_signs_the_person_in(member, api_as):
    response = api_as(member).get("/me")
    assert response.status_code == 200
    assert response.json()["handle"] == member.handle


def test_only_the_digest_and_a_prefix_of_a_token_are_stored(member):
    token = create_token(user=member, name="laptop")
    row = ApiToken.objects.get(user=member)
    assert token.startswith("brug_")
    assert row.digest == digest_token(token) and len(row.digest) == 64
    assert token not in {row.digest, row.prefix, row.name}
    assert len(row.prefix) == 8 and token.startswith(f"brug_{row.prefix}")


def test_a_wrong_token_is_a_401_with_the_error_shape(member):
    create_token(user=member)
    response = ApiClient("brug_not-a-real-token").get("/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"} and response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused_even_with_a_valid_session(member):
    api = ApiClient("brug_wrong")
    api.client.force_login(member)
    assert api.get("/me").status_code == 401


def test_a_revoked_token_no_longer_works(member):
    token = create_token(user=member)
    api = ApiClient(token)
    assert api.get("/me").status_code == 200
    ApiToken.objects.filter(user=member).delete()
    assert api.get("/me").status_code == 401


def test_a_token_can_be_revoked_through_the_api(member):
    token = create_token(user=member, name="old")
    row = ApiToken.objects.get(digest=digest_token(token))
    other = ApiClient(create_token(user=member, name="admin script"))
    assert other.delete(f"/me/tokens/{row.pk}").status_code == 204
    assert ApiClient(token).get("/me").status_code == 401


def test_someone_elses_token_cannot_be_revoked_and_looks_missing(member, outsider):
    token = create_token(user=outsider)
    row = ApiToken.objects.get(digest=digest_token(token))
    response = ApiClient(create_token(user=member)).delete(f"/me/tokens/{row.pk}")
    assert response.status_code == 404
    assert ApiClient(token).get("/me").status_code == 200


def test_a_token_of_an_inactive_person_is_refused(member):
    token = create_token(user=member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert ApiClient(token).get("/me").status_code == 401


def test_a_session_of_an_inactive_person_is_refused(member):
    client = Client()
    client.force_login(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(f"{API}/me").status_code == 401


def test_no_credentials_is_a_401(db):
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_anonymous_post_is_a_401_not_a_csrf_403(db):
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/me/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_other_authorization_schemes_are_ignored(member):
    response = Client().get(f"{API}/me", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "value", ["Bearer", "Bearer ", "Bearer " + "x" * 5000, "Bearer t\u00e9st", "bearer  spaced"]
)
def test_malformed_bearer_headers_are_a_401_never_a_500(member, value):
    response = Client().get(f"{API}/me", headers={"Authorization": value})
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(member, django_assert_num_queries):
    token = create_token(user=member)
    assert verify_token(token) == member
    first = ApiToken.objects.get(user=member).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only, no write
        verify_token(token)
    assert ApiToken.objects.get(user=member).last_used_at == first
    ApiToken.objects.filter(user=member).update(last_used_at=first - timedelta(minutes=2))
    verify_token(token)
    assert ApiToken.objects.get(user=member).last_used_at > first - timedelta(seconds=1)
    assert ApiToken.objects.get(user=member).last_used_at <= timezone.now()


def test_a_session_reads_without_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(f"{API}/me").json()["id"] == member.pk


def test_a_session_post_without_csrf_token_is_a_403_with_json_detail(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(f"{API}/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=member).exists()


def test_a_session_post_with_the_csrf_token_succeeds(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    csrf = _get_new_csrf_string()  # what a page would have set as the csrftoken cookie
    client.cookies["csrftoken"] = csrf
    response = client.post(
        f"{API}/me/tokens",
        {"name": "from the browser"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content
    assert response.json()["token"].startswith("brug_")
    assert ApiToken.objects.get(user=member).name == "from the browser"


def test_a_token_post_needs_no_csrf(member):
    api = ApiClient(create_token(user=member), enforce_csrf_checks=True)
    response = api.post("/me/tokens", {"name": "script"})
    assert response.status_code == 201
    new = response.json()
    assert ApiClient(new["token"]).get("/me").status_code == 200
    listed = api.get("/me/tokens").json()["items"]
    assert {t["id"] for t in listed} == set(ApiToken.objects.values_list("id", flat=True))
    assert all("token" not in t for t in listed)


def test_a_token_request_carries_the_viewer(member, space):
    # The Viewer built for a token request knows the person's spaces.
    from django.test import RequestFactory

    from brug.api.auth import token_auth

    request = RequestFactory().get(
        "/", headers={"Authorization": f"Bearer {create_token(user=member)}"}
    )
    assert token_auth(request) == member
    assert request.user == member and request.viewer.id == member.pk
    assert space.pk in request.viewer.space_roles


def test_a_token_answer_is_in_the_persons_language_unless_the_client_asks_otherwise(member):
    member.language = "en"
    member.save(update_fields=["language"])
    api = ApiClient(create_token(user=member))
    assert api.get("/me")["Content-Language"] == "en"
    assert api.get("/me", headers={"Accept-Language": "nl"})["Content-Language"] == "nl"
    body = api.get("/me/tokens", {"cursor": "garbage"}).json()
    assert body["detail"] == "The cursor is invalid; start again without one."


def test_a_session_answer_is_in_the_persons_chosen_language(member):
    member.language = "en"
    member.save(update_fields=["language"])
    client = Client()
    client.force_login(member)
    response = client.get(f"{API}/me", headers={"Accept-Language": "nl"})
    assert response["Content-Language"] == "en"
