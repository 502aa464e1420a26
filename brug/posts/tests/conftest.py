"""Helpers for the posts tests: posts through the actions, API clients with tokens."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from PIL import Image

from brug.people.tokens import create_token
from brug.posts import actions

API = "/api/v1"


def make_post(author, space, body="Hallo allemaal", **kwargs):
    """Create a post through the action (rate limit off: tests post a lot)."""
    kwargs.setdefault("rate_limit", False)
    return actions.create_post(author=author, space=space, body=body, **kwargs)


def make_comment(author, post, body="Goed idee!", **kwargs):
    kwargs.setdefault("rate_limit", False)
    return actions.create_comment(author=author, post=post, body=body, **kwargs)


def png_bytes(size=(64, 48), color=(20, 120, 160), exif: bytes | None = None, fmt="PNG") -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


class Upload(io.BytesIO):
    """A file-like upload with a name and size, like Django's UploadedFile."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


class Api:
    """JSON calls to /api/v1 with a Bearer token of one person."""

    def __init__(self, person) -> None:
        self.client = Client()
        self.token = create_token(user=person, name="test")
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path, data=None):
        return self.client.get(f"{API}{path}", data, headers=self.headers)

    def _send(self, method, path, payload):
        return getattr(self.client, method)(
            f"{API}{path}",
            json.dumps(payload),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, payload=None):
        return self._send("post", path, payload or {})

    def patch(self, path, payload=None):
        return self._send("patch", path, payload or {})

    def delete(self, path):
        return self.client.delete(f"{API}{path}", headers=self.headers)


@pytest.fixture
def api():
    """``api(person)`` → an ``Api`` with a fresh token of that person."""
    return Api


@pytest.fixture
def client_of(client):
    """``client_of(person)`` → a fresh test client signed in as that person."""

    def make(person):
        new = Client()
        new.force_login(person)
        return new

    return make


@pytest.fixture
def uploads_dir(settings, tmp_path):
    """Keep uploaded files of a test in its own folder."""
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }
    storages._storages.pop("default", None)
    yield tmp_path / "uploads"
    storages._storages.pop("default", None)
