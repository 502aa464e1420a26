"""Helpers for the people tests: images made with Pillow, API clients with tokens."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from brug.api.tests.conftest import ApiClient
from brug.people.tokens import create_token


def png_bytes(width=300, height=200, colour=(200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(width=400, height=300) -> bytes:
    """A JPEG carrying EXIF with a GPS block (what a phone camera writes)."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 54.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def api_as():
    """``api_as(person)`` -> an API client with a fresh token of ``person``."""

    def make(person):
        return ApiClient(create_token(user=person, name="test"))

    return make


@pytest.fixture
def photos_dir(settings, tmp_path):
    """Store uploads in a temporary folder for the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }
    return tmp_path / "uploads"
