"""Profile photos: validated by content, re-encoded, served only to who may see the person."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from brug.people import actions
from brug.people.tests.conftest import jpeg_with_gps, png_bytes, upload
from brug.spaces.actions import _add_membership

pytestmark = pytest.mark.django_db


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_a_photo_is_cropped_square_and_stored_under_uploads(member, photos_dir):
    actions.set_photo(person=member, by=member, upload=upload(png_bytes(300, 200)))
    member.refresh_from_db()
    assert member.photo.name.startswith(f"photos/{member.pk}-")
    with Image.open(photos_dir / member.photo.name) as image:
        assert image.size == (200, 200)


def test_a_photo_loses_its_exif_and_gps_data(member, photos_dir):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)
    actions.set_photo(person=member, by=member, upload=upload(data, "me.jpg", "image/jpeg"))
    member.refresh_from_db()
    with Image.open(photos_dir / member.photo.name) as image:
        assert not image.getexif()
        assert image.format == "JPEG"


def test_a_new_photo_removes_the_old_file(member, photos_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_photo(person=member, by=member, upload=upload(png_bytes()))
    first = photos_dir / member.photo.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_photo(person=member, by=member, upload=upload(png_bytes(colour=(1, 2, 3))))
    assert not first.exists()
    assert (photos_dir / member.photo.name).exists()


def test_a_20_mb_photo_is_refused_with_a_clear_message(member, photos_dir):
    big = png_bytes(10, 10) + b"\x00" * (20 * 2**20)
    with pytest.raises(ValidationError) as error:
        actions.set_photo(person=member, by=member, upload=upload(big, "huge.png"))
    assert "larger than" in error.value.message_dict["photo"][0]
    member.refresh_from_db()
    assert not member.photo


def test_a_text_file_renamed_to_jpg_is_refused(member, photos_dir):
    fake = upload(b"Dit is geen foto maar een boodschappenlijst.\n" * 20, "foto.jpg", "image/jpeg")
    with pytest.raises(ValidationError) as error:
        actions.set_photo(person=member, by=member, upload=fake)
    assert "not an image" in error.value.message_dict["photo"][0]
    member.refresh_from_db()
    assert not member.photo
    assert not photos_dir.exists() or not any(photos_dir.rglob("*.*"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(member, photos_dir):
    bomb = upload(_png_claiming(30000, 30000), "bomb.png")
    with pytest.raises(ValidationError) as error:
        actions.set_photo(person=member, by=member, upload=bomb)
    assert "too many pixels" in error.value.message_dict["photo"][0]
    member.refresh_from_db()
    assert not member.photo


def test_a_colleague_cannot_change_someone_elses_photo(member, outsider, photos_dir):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.set_photo(person=member, by=outsider, upload=upload(png_bytes()))


# The photo view -------------------------------------------------------------------


def test_the_photo_is_served_with_nosniff_and_private_caching(client, member, outsider, photos_dir):
    actions.set_photo(person=member, by=member, upload=upload(png_bytes()))
    client.force_login(outsider)
    response = client.get(f"/people/{member.handle}/photo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"  # re-encoded: no alpha, so JPEG
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (200, 200)


def test_without_a_photo_an_initials_avatar_is_served(client, member, outsider):
    client.force_login(outsider)
    response = client.get(f"/people/{member.handle}/photo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b">SW</text>" in response.content
    assert b"<script" not in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_initials_avatar_escapes_what_a_name_contains(client, member, outsider):
    actions.update_profile(person=member, by=member, name="<script>alert(1)</script> &amp;")
    client.force_login(outsider)
    response = client.get(f"/people/{member.handle}/photo")
    assert b"<script" not in response.content
    assert b"&lt;" in response.content or b"&amp;" in response.content


def test_a_stranger_gets_404_for_a_photo(client, member, stranger):
    client.force_login(stranger)
    assert client.get(f"/people/{member.handle}/photo").status_code == 404


def test_a_guest_gets_404_for_the_photo_of_someone_outside_their_spaces(
    client, member, guest, space
):
    client.force_login(guest)
    assert client.get(f"/people/{member.handle}/photo").status_code == 404
    _add_membership(space=space, person=guest)
    assert client.get(f"/people/{member.handle}/photo").status_code == 200


def test_a_signed_out_visitor_gets_no_photo(client, member):
    response = client.get(f"/people/{member.handle}/photo")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
