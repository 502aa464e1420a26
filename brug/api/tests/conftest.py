"""Helpers for API tests: clients that call ``/api/v1/`` with a token or a session."""

import json

import pytest
from django.test import Client

from brug.people.tokens import create_token

API = "/api/v1"


class ApiClient:
    """A Django test client speaking JSON to the API with a Bearer token."""

    def __init__(self, token: str | None = None, **client_kwargs) -> None:
        self.client = Client(**client_kwargs)
        self.token = token

    def _headers(self, headers: dict | None) -> dict:
        result = {}
        if self.token:
            result["Authorization"] = f"Bearer {self.token}"
        result.update(headers or {})
        return result

    def get(self, path: str, data=None, headers=None):
        return self.client.get(f"{API}{path}", data, headers=self._headers(headers))

    def _send(self, method: str, path: str, payload, headers, raw: bytes | None):
        body = raw if raw is not None else json.dumps(payload)
        return getattr(self.client, method)(
            f"{API}{path}", body, content_type="application/json", headers=self._headers(headers)
        )

    def post(self, path, payload=None, headers=None, raw=None):
        return self._send("post", path, payload, headers, raw)

    def patch(self, path, payload=None, headers=None, raw=None):
        return self._send("patch", path, payload, headers, raw)

    def delete(self, path, headers=None):
        return self.client.delete(f"{API}{path}", headers=self._headers(headers))


@pytest.fixture
def api_as():
    """``api_as(person)`` → an ``ApiClient`` holding a fresh token of ``person``."""

    def make(person=None, **client_kwargs) -> ApiClient:
        token = create_token(user=person, name="test") if person is not None else None
        return ApiClient(token, **client_kwargs)

    return make
