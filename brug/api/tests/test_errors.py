"""One error shape, ``{"detail": ...}``, for every status; bad input never a 500."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client, RequestFactory

from brug.api.main import api
from brug.api.tests.conftest import API, ApiClient
from brug.core.exceptions import Conflict, PayloadTooLarge, RateLimited
from brug.people.models import ApiToken

pytestmark = pytest.mark.django_db


def _shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "errors"}
    return body


@pytest.fixture
def api_member(member, api_as):
    return api_as(member)


# Statuses reached through real requests --------------------------------------
def test_malformed_json_is_a_400(api_member):
    _shape(api_member.post("/me/tokens", raw=b'{"name": '), 400)


def test_invalid_utf8_is_a_400(api_member):
    _shape(api_member.post("/me/tokens", raw=b'{"name": "\xff\xfe"}'), 400)


@pytest.mark.parametrize("raw", [b'{"name": NaN}', b'{"name": Infinity}', b'{"name": 1e999}'])
def test_non_finite_numbers_are_a_400(api_member, raw):
    _shape(api_member.post("/me/tokens", raw=raw), 400)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400(api_member, depth):
    raw = b'{"name": ' + b"[" * depth + b"]" * depth + b"}"
    _shape(api_member.post("/me/tokens", raw=raw), 400)


def test_json_of_the_wrong_type_is_a_422_listing_the_field(api_member):
    body = _shape(api_member.post("/me/tokens", {"name": ["a list"]}), 422)
    assert body["errors"][0]["loc"] == ["body", "payload", "name"]
    assert "name" in body["detail"]


def test_a_top_level_array_is_a_422(api_member):
    _shape(api_member.post("/me/tokens", raw=b"[1, 2]"), 422)


def test_missing_credentials_is_a_401(db):
    _shape(Client().get(f"{API}/me"), 401)


def test_an_unknown_api_path_is_a_json_404(api_member):
    _shape(api_member.get("/no-such-thing"), 404)
    _shape(api_member.get("/me/"), 404)


def test_a_wrong_method_is_a_json_405_with_allow(api_member):
    response = api_member.client.put(f"{API}/me", headers=api_member._headers(None))
    _shape(response, 405)
    assert "GET" in response["Allow"]


def test_an_id_beyond_64_bits_is_a_404_not_a_500(api_member):
    _shape(api_member.delete(f"/me/tokens/{2**64}"), 404)


def test_an_oversized_body_is_a_413(api_member, settings):
    settings.BRUG_MAX_REQUEST_BYTES = 1000
    _shape(api_member.post("/me/tokens", {"name": "x" * 2000}), 413)
    assert not ApiToken.objects.filter(name__startswith="xx").exists()


def test_a_body_over_the_in_memory_limit_is_a_413_not_a_400(api_member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _shape(api_member.post("/me/tokens", {"name": "x" * 2000}), 413)


# Statuses raised by actions: the mapping itself --------------------------------
def _raise(exc):
    request = RequestFactory().get(f"{API}/me")
    return api.on_exception(request, exc)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (Http404(), 404),
        (PermissionDenied(), 403),
        (Conflict(), 409),
        (PayloadTooLarge(), 413),
        (RateLimited(retry_after=30), 429),
        (ValidationError("Too short."), 422),
        (OverflowError("Python int too large to convert to SQLite INTEGER"), 422),
    ],
)
def test_exceptions_from_actions_map_to_their_status(exc, status):
    response = _raise(exc)
    body = json.loads(response.content)
    assert response.status_code == status
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "errors"}


def test_a_rate_limit_says_when_to_retry():
    response = _raise(RateLimited(retry_after=42))
    assert response["Retry-After"] == "42"


def test_a_conflict_keeps_its_message():
    assert json.loads(_raise(Conflict("Stale version 3")).content)["detail"] == "Stale version 3"


def test_a_permission_denied_message_is_passed_on():
    body = json.loads(_raise(PermissionDenied("Only moderators may pin.")).content)
    assert body["detail"] == "Only moderators may pin."


def test_a_django_validation_error_lists_each_field():
    exc = ValidationError({"name": ["Too long."], "body": ["Required.", "Too short."]})
    body = json.loads(_raise(exc).content)
    assert body["errors"] == [
        {"loc": ["name"], "msg": "Too long.", "type": "invalid"},
        {"loc": ["body"], "msg": "Required.", "type": "invalid"},
        {"loc": ["body"], "msg": "Too short.", "type": "invalid"},
    ]
    assert "name: Too long." in body["detail"]


def test_an_unexpected_error_is_a_json_500_and_is_logged(caplog):
    response = _raise(RuntimeError("boom"))
    assert response.status_code == 500
    assert "boom" not in response.content.decode()
    assert json.loads(response.content)["detail"]
    assert any("Unhandled API error" in r.message for r in caplog.records)


def test_the_error_detail_speaks_the_requested_language(db):
    dutch = Client().get(f"{API}/me", headers={"Accept-Language": "nl"}).json()["detail"]
    english = Client().get(f"{API}/me", headers={"Accept-Language": "en"}).json()["detail"]
    assert english == "Authentication required: send a Bearer token or sign in."
    assert isinstance(dutch, str) and dutch


def test_the_answer_language_follows_the_header_or_the_persons_choice(member):
    from brug.api.auth import activate_language

    member.language = "en"
    request = RequestFactory().get("/")
    activate_language(request, member, header_first=True)
    assert request.LANGUAGE_CODE == "en"
    request = RequestFactory().get("/", headers={"Accept-Language": "nl"})
    activate_language(request, member, header_first=True)
    assert request.LANGUAGE_CODE == "nl"
    activate_language(request, member, header_first=False)  # a browser session
    assert request.LANGUAGE_CODE == "en"
    member.language = ""
    request = RequestFactory().get("/", headers={"Accept-Language": "nl"})
    request.LANGUAGE_CODE = "en"  # as LocaleMiddleware decided (say, from the cookie)
    activate_language(request, member, header_first=False)
    assert request.LANGUAGE_CODE == "en"


def test_a_garbage_token_never_reaches_the_handler_as_a_500(db):
    response = ApiClient("\x00").get("/me")
    assert response.status_code == 401
